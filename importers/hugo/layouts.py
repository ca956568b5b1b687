"""Layout overrides (`layouts/**.html`) holding hand-written text: never dropped.

A site may write content straight into a template: an alumni list in
`layouts/people/list.html`, a paragraph above the publication list in
`layouts/section/publication.html`. Such text is what visitors read, so the visible
text of a list layout (Go template actions, scripts and tags removed) becomes a text
section of the page that uses it, hidden until an editor has reviewed it; the text of
other layouts (a single-page template, a partial, a shortcode) is reported as not
imported, with the reason.
Layouts with no visible text are markup only and are not reported.
"""

import html
import re

from pages.models import Page, Section

ACTION = re.compile(r"\{\{.*?\}\}", re.S)
HIDDEN = re.compile(r"<(script|style|svg|head)\b.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
HEADING = re.compile(r"<h[1-3][^>]*>(.*?)</h[1-3]>", re.S | re.I)
MIN_WORDS = 8


def visible_text(source):
    """The words a visitor would read in a template, paragraphs kept apart."""
    text = HIDDEN.sub(" ", ACTION.sub(" ", source))
    text = re.sub(r"<(br|/p|/li|/h\d|/div|/tr)\b[^>]*>", "\n", text, flags=re.I)
    text = html.unescape(TAG.sub(" ", text))
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if re.search(r"[^\W\d_]{2}", line))


class LayoutMapper:
    def _import_layouts(self):
        folder = self.site.root / "layouts"
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*.html")):
            if self.site.inside(path) is None or not path.is_file():
                continue
            source = path.read_text(encoding="utf-8", errors="replace")
            text = visible_text(source)
            if len(text.split()) < MIN_WORDS:
                continue
            rel = path.relative_to(self.site.root).as_posix()
            page = self._layout_page(path.relative_to(folder).parts)
            if page is None:
                reason = self._layout_reason(path, folder)
                self.report.record(rel, "not imported", reason=reason)
                continue
            heading = HEADING.search(ACTION.sub(" ", source))
            title = (
                re.sub(r"\s+", " ", TAG.sub("", heading.group(1))).strip()
                if heading
                else path.stem.replace("_", " ").title()
            )
            Section.objects.update_or_create(
                page=page,
                kind=Section.Kind.MARKDOWN,
                title=f"{title}"[:200],
                # Hidden until an editor has looked: a template's text mixes content
                # with the messages of its branches ("No lab members found").
                defaults={"body": text, "order": 1000, "is_visible": False},
            )
            self.report.record(
                rel, "merged", "section", page.get_absolute_url(),
                "text of a layout override: a hidden text section of the page, to review",
            )  # fmt: skip

    def _layout_page(self, parts):
        """The page a list layout renders: `<section>/list.html`, `section/<s>.html`."""
        if len(parts) != 2 or parts[0] in ("partials", "shortcodes", "_default"):
            return None
        folder, name = parts
        if folder == "section":
            section = name.removesuffix(".html")
        elif name in ("list.html", "section.html", "terms.html"):
            section = folder
        else:
            return None
        kind = self.rules.kind_of(section)
        slug = {"publication": "publications", "news": "news", "project": "projects",
                "event": "events", "people": "people"}.get(kind, section)  # fmt: skip
        return Page.objects.filter(slug=slug).first()

    @staticmethod
    def _layout_reason(path, folder):
        parts = path.relative_to(folder).parts
        if parts[0] == "partials":
            return (
                "a partial template (part of every page using it): its fixed text is not imported"
            )
        if parts[0] == "shortcodes":
            return "a shortcode template: its uses in content are converted, its own text is not"
        if parts[-1] in ("list.html", "section.html", "terms.html") or parts[0] == "section":
            return "a list layout of a section that has no page here: its text is not imported"
        return "a template of single pages: its fixed text is not imported"
