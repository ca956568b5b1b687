"""Every file accounted for: what the mappers did not take gets a report line saying why.

Runs after every mapper. A content file nobody recorded is classified by Hugo's
rules: a translation (other language), a resource of a leaf bundle (Hugo renders
no page for it), a BibTeX file outside a publication bundle, and so on. Layout
overrides with visible text are recorded too: imported as a text section of the
page that uses them (see `layouts`), or reported as not imported.
"""

from importers.hugo.rules import MARKDOWN_SUFFIXES


class Accounting:
    def _account_for_the_rest(self):
        for path in self.rules.content_files():
            rel = path.relative_to(self.site.root).as_posix()
            if self.report.has(rel):
                continue
            self.report.record(rel, "not imported", reason=self._why_not(path))

    def _why_not(self, path):
        if any(part.startswith(".") for part in path.relative_to(self.site.content).parts):
            return "inside a hidden folder (a draft or a checkpoint copy): Hugo publishes none"
        language = self.rules.language_of(path)
        if language != self.rules.default:
            return f"translation not imported ({language})"
        if self.site.inside(path) is None:
            return "a link leading outside the site folder"
        bundle = self._leaf_bundle_of(path)
        if bundle is not None:
            index = bundle.relative_to(self.site.root).as_posix()
            return f"a resource of the page bundle {index}: Hugo publishes no page for it"
        suffix = path.suffix.lower()
        if suffix == ".bib":
            return "a BibTeX file outside a publication bundle (import it with import_bibtex)"
        if suffix == ".html":
            return "an HTML content file: raw HTML pages are not imported"
        if suffix not in MARKDOWN_SUFFIXES:
            return f"a {suffix} file: Hugo needs a converter (pandoc) for it; not imported"
        return "no mapping for this file's section"

    def _leaf_bundle_of(self, path):
        """The index.md of the leaf bundle a file sits in (not the file itself), or None."""
        folder = path.parent
        while folder != self.rules.content and folder.is_relative_to(self.rules.content):
            index = self.rules.page_file(folder, "index")
            if index is not None and index != path:
                return index
            folder = folder.parent
        return None
