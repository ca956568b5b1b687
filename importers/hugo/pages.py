"""Pages: plain pages, landing and widget pages, section list pages."""

import hashlib

from django.conf import settings
from django.urls import Resolver404, resolve

from airml.models import ListingView, Status
from importers.hugo.reader import SiteError
from importers.hugo.rules import KIND_PAGES, MARKDOWN_SUFFIXES, page_url
from importers.hugo.shortcodes import extract_ctas
from importers.hugo.values import (
    PAGE_TYPES,
    VIEWS,
    _bool,
    _list,
    _number,
    _page_slug,
    _text,
)
from pages.models import (
    Collection,
    Page,
)


def _free_page_slug(slug):
    """`slug`, or `<slug>-page` when /<slug>/ is one of the portal's own addresses
    (uploaded files at /media/, static files, the admin, a collection): a page there
    could never be reached, nor the old URL redirected to it."""
    prefixes = {settings.MEDIA_URL, settings.STATIC_URL}
    taken = any(f"/{slug}/".startswith(p) for p in prefixes if p and p.startswith("/"))
    if not taken:
        try:
            taken = resolve(f"/{slug}/").url_name != "page_detail"
        except Resolver404:
            taken = False
    return f"{slug}-page" if taken else slug


class PageMapper:
    # ---- pages -------------------------------------------------------------------------

    def _import_pages(self, sections):
        content = self.rules.content
        home_widgets = content / "home"
        if home_widgets.is_dir():
            self._guard(home_widgets, self._import_widget_page, home_widgets, "home")
        root_index = self.rules.page_file(content, "_index")
        if root_index is not None:
            self._guard(root_index, self._import_single_page, root_index, "home")
        for kind, folders in sections.items():
            for folder in folders:
                if folder.name == "home":
                    continue
                if folder.name == "admin":
                    self._not_imported(folder, "Netlify CMS configuration, not content")
                elif kind:
                    self._import_section_lists(folder, kind)
                else:
                    self._import_page_tree(folder, _page_slug(folder.name))
        for path in sorted(content.iterdir()):
            if (
                path.is_file()
                and path.suffix.lower() in MARKDOWN_SUFFIXES
                and self.rules.stem(path) != "_index"
                and self.rules.is_default(path)
                and self.site.inside(path)
            ):
                self._guard(path, self._import_single_page, path, _page_slug(self.rules.stem(path)))

    def _import_section_lists(self, folder, kind):
        """The list page of a section of a known kind, and of its sub-sections."""
        lists = self.rules.branch_lists(folder)
        top = self.rules.page_file(folder, "_index")
        if top is not None and kind in KIND_PAGES and kind != "people":
            self._guard(top, self._import_section_page, top, KIND_PAGES[kind], kind)
        for list_page in lists:
            if list_page != top and list_page.parent.parent == folder and kind == "people":
                continue  # a person's own _index.md
            if list_page == top and kind != "people":
                continue
            rel = self.site.relative(list_page)
            self.report.record(
                rel, "merged", "page", f"/{KIND_PAGES[kind]}/",
                "list page of a section: its pages are listed on the collection page",
            )  # fmt: skip

    def _import_page_tree(self, folder, slug):
        """A section of no known kind: its own page, then every page below it."""
        index = self.rules.page_file(folder, "index") or self.rules.page_file(folder, "_index")
        if index is not None:
            meta, _body = self._read_or_none(index)
            if folder.name == "home" or (meta is not None and meta.get("type") == "widget_page"):
                self._guard(folder, self._import_widget_page, folder, slug)
                return
            self._guard(index, self._import_single_page, index, slug)
            if index.name.startswith("index"):
                return  # a leaf bundle: the rest are its resources
        children = []
        for entry in self.rules.entries(folder):
            name = entry.name if entry.is_dir() else self.rules.stem(entry)
            child = _page_slug(f"{slug}-{name}")
            page_file = self.rules.page_file(entry, "index") if entry.is_dir() else entry
            if page_file is not None:
                children.append(self._guard(page_file, self._import_single_page, page_file, child))
        if index is None and any(children):
            self._guard(folder, self._import_list_page, folder, slug, [c for c in children if c])
        for list_page in self.rules.branch_lists(folder):
            if list_page.parent != folder:
                name = "-".join(list_page.parent.relative_to(folder).parts)
                self._guard(
                    list_page, self._import_single_page, list_page, _page_slug(f"{slug}-{name}")
                )

    def _import_list_page(self, folder, slug, children):
        """A section without `_index.md`: Hugo still lists its pages at its URL."""
        source = self.site.relative(folder)
        links = "\n".join(f"- [{c.title}]({c.get_absolute_url()})" for c in children)
        checksum = hashlib.sha256(f"{slug}\n{links}".encode()).hexdigest()

        def fill_page(page):
            page.title = folder.name.replace("-", " ").replace("_", " ").title()[:200]
            page.body = links
            page.status = Status.PUBLISHED
            page.save()

        page = self._page(slug, source, checksum, fill_page)
        self._redirect(page_url(self.rules, folder, {}), page)

    def _not_imported(self, path, reason):
        for file in self.rules.files_under(path):
            self.report.record(self.site.relative(file), "not imported", reason=reason)

    def _read_or_none(self, path):
        try:
            return self._read(path)
        except SiteError:
            return None, None  # the page import reports it

    def _page(self, slug, source, checksum, fill_page):
        slug = _free_page_slug(slug)

        def fill(page):
            page = page or Page.objects.filter(slug=slug).first() or Page(slug=slug)
            fill_page(page)
            return page

        page, changed = self._upsert(source, Page, checksum, fill, "pages", slug=slug)
        return page

    def _import_single_page(self, index, slug):
        """A plain page, or a Hugo Blox landing page (`type: landing` + `sections`)."""
        source = self.site.relative(index)
        meta, body = self._read(index)
        folder = index.parent

        def fill_page(page):
            page.title = (_text(meta.get("title")) or slug.replace("-", " ").title())[:200]
            page.subtitle = _text(meta.get("subtitle"))[:300]
            text, ctas = extract_ctas(body)
            page.body = self._body(text, folder, source)
            page.description = _text(meta.get("summary"))[:300]
            view = self._view(meta.get("view"), source) if meta.get("view") is not None else None
            if view:
                page.view = view
            page.status = Status.DRAFT if _bool(meta.get("draft")) else Status.PUBLISHED
            page.save()
            page.sections.all().delete()
            for order, block in enumerate(_list(meta.get("sections"))):
                if isinstance(block, dict):
                    self._section(page, order * 10, block, folder, source, blox=True)
            first = 10 * len(_list(meta.get("sections")))
            for order, (label, link, inner) in enumerate(ctas, start=first // 10):
                button = {"text": label, "url": link}
                cta = {"block": "cta", "content": {"text": inner, "button": button}}
                self._section(page, order * 10, cta, folder, source, blox=True)

        checksum = self._checksum(index, extra=slug)
        page = self._page(slug, source, checksum, fill_page)
        self._aliases(meta, page)
        if slug != "home":
            bundle = folder if self.rules.stem(index) in ("index", "_index") else index
            self._redirect(page_url(self.rules, bundle, meta), page)
        return page

    def _import_widget_page(self, folder, slug):
        """A Wowchemy widget page: every *.md beside index.md is a section, by weight."""
        files = [
            p
            for p in sorted(folder.glob("*.md"))
            if self.rules.stem(p) not in ("index", "_index")
            and self.rules.is_default(p)
            and self.site.inside(p)
        ]
        index = self.rules.page_file(folder, "index") or self.rules.page_file(folder, "_index")
        meta_index = self._read(index)[0] if index else {}
        widgets = []
        for path in files:
            meta, body = self._read(path)
            widgets.append((meta, body, path))
        widgets.sort(key=lambda w: (_number(w[0].get("weight")), w[2].name))
        source = self.site.relative(folder)
        checksum = self._checksum(index, *files, extra=slug)

        def fill_page(page):
            default = "Home" if slug == "home" else slug.replace("-", " ").title()
            page.title = (_text(meta_index.get("title")) or default)[:200]
            page.status = Status.PUBLISHED
            page.save()
            page.sections.all().delete()
            for order, (meta, body, path) in enumerate(widgets):
                block = {**meta, "block": meta.get("widget"), "_body": body}
                self._section(page, order * 10, block, folder, self.site.relative(path))

        page = self._page(slug, source, checksum, fill_page)
        for path in [index, *files] if index else files:
            self._record(self.site.relative(path), "merged", "page", page, "a section of the page")
        if slug != "home":
            self._redirect(page_url(self.rules, folder, meta_index), page)

    def _import_section_page(self, list_page, slug, kind):
        """`content/post/_index.md` etc.: title, intro and view of a collection page."""
        source = self.site.relative(list_page)
        meta, body = self._read(list_page)
        section = {"news": "post"}.get(kind, kind)

        def fill_page(page):
            page.title = (_text(meta.get("title")) or slug.title())[:200]
            page.body = self._body(body, list_page.parent, source)
            page.collection = PAGE_TYPES.get(section, Collection.NEWS)
            default = {
                "publications": ListingView.CITATION,
                "news": ListingView.NEWS,
                "projects": ListingView.CARD,
            }.get(slug, ListingView.LIST)
            page.view = self._view(meta.get("view"), source) if meta.get("view") else default
            page.save()

        checksum = self._checksum(list_page, extra=slug)
        self._page(slug, source, checksum, fill_page)

    def _view(self, value, source):
        view = VIEWS.get(_text(value).lower())
        if view is None:
            self.report.warn(source, f"listing view '{value}' is unknown; using 'compact'")
            return ListingView.COMPACT
        return view

    # ---- old URLs ----------------------------------------------------------------------

    def _section_redirects(self):
        """Each section's list URL (and its feed and pages, by rule) to its collection."""
        for folder, kind in self.rules.sections():
            if kind in KIND_PAGES:
                self._redirect(page_url(self.rules, folder, {}), f"/{KIND_PAGES[kind]}/")
        for name in ("author", "authors", "team"):
            self._redirect(f"{self.rules.prefix}/{name}/", "/people/")
