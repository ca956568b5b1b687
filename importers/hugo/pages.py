"""Pages: plain pages, landing and widget pages, section list pages."""

from airml.models import ListingView, Status
from importers.hugo.reader import SiteError
from importers.hugo.values import (
    PAGE_TYPES,
    SECTIONS,
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


class PageMapper:
    # ---- pages -------------------------------------------------------------------------

    def _import_pages(self):
        content = self.site.content
        home_widgets = content / "home"
        if home_widgets.is_dir():
            self._guard(home_widgets, self._import_widget_page, home_widgets, "home")
        root_index = content / "_index.md"
        if root_index.is_file():
            self._guard(root_index, self._import_single_page, root_index, "home")
        for path in sorted(content.iterdir()):
            if self.site.inside(path) is None or path.name in ("home", "authors", "admin"):
                if path.name == "admin":
                    self.report.warn("content/admin", "Netlify CMS configuration not imported")
                continue
            if path.is_dir() and path.name in SECTIONS:
                list_page = path / "_index.md"
                if list_page.is_file():
                    self._guard(list_page, self._import_section_page, list_page, path.name)
            elif path.is_dir():
                index = next(
                    (p for p in (path / "index.md", path / "_index.md") if p.is_file()), None
                )
                if index is None:
                    continue
                meta, _body = self._read_or_none(index)
                if meta is not None and meta.get("type") == "widget_page":
                    self._guard(path, self._import_widget_page, path, _page_slug(path.name))
                else:
                    self._guard(index, self._import_single_page, index, _page_slug(path.name))
            elif path.suffix == ".md" and path.name != "_index.md":
                self._guard(path, self._import_single_page, path, _page_slug(path.stem))

    def _read_or_none(self, path):
        try:
            return self._read(path)
        except SiteError:
            return None, None  # the page import reports it

    def _page(self, slug, source, checksum, fill_page):
        def fill(page):
            page = page or Page.objects.filter(slug=slug).first() or Page(slug=slug)
            fill_page(page)
            return page

        page, changed = self._upsert(source, Page, checksum, fill, "pages")
        return page

    def _import_single_page(self, index, slug):
        """A plain page, or a Hugo Blox landing page (`type: landing` + `sections`)."""
        source = self.site.relative(index)
        meta, body = self._read(index)
        folder = index.parent

        def fill_page(page):
            page.title = (_text(meta.get("title")) or slug.replace("-", " ").title())[:200]
            page.subtitle = _text(meta.get("subtitle"))[:300]
            page.body = self._body(body, folder, source)
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

        checksum = self._checksum(index, extra=slug)
        page = self._page(slug, source, checksum, fill_page)
        self._aliases(meta, page)

    def _import_widget_page(self, folder, slug):
        """A Wowchemy widget page: every *.md beside index.md is a section, by weight."""
        files = [
            p
            for p in sorted(folder.glob("*.md"))
            if p.name not in ("index.md", "_index.md") and self.site.inside(p)
        ]
        index = next((p for p in (folder / "index.md", folder / "_index.md") if p.is_file()), None)
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

        self._page(slug, source, checksum, fill_page)

    def _import_section_page(self, list_page, section):
        """`content/post/_index.md` etc.: title, intro and view of a collection page."""
        source = self.site.relative(list_page)
        meta, body = self._read(list_page)
        slug = SECTIONS[section]

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
        content = self.site.content
        for section, slug in SECTIONS.items():
            if (content / section).is_dir():
                self._redirect(f"/{section}/", f"/{slug}/")
        if (content / "authors").is_dir():
            self._redirect("/author/", "/people/")
            self._redirect("/authors/", "/people/")
        self._redirect("/team/", "/people/")
