"""Hugo's rules for a site's content: languages, sections and their kinds, bundles, URLs.

Hugo decides from the files, not from fixed folder names: a section is any folder
under a language's content folder (at any depth; year folders are sections too), a
folder holding `index.md` is a leaf bundle (one page; other files in it are its
resources), a folder holding `_index.md` is a branch bundle (a list page), any other
Markdown file is a page of its own. The kind of content a section holds comes from
front matter `type`, else from the section's name and its synonyms. Languages come
from the config: `content/<lang>/` (`contentDir`) or `index.<lang>.md` suffixes.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

CONTENT_SUFFIXES = (".md", ".markdown", ".bib", ".qmd", ".rmd", ".html")
MARKDOWN_SUFFIXES = (".md", ".markdown")

# Section (or front matter `type`) name -> the kind of content it holds.
SECTION_KINDS = {
    "publication": "publication",
    "publications": "publication",
    "papers": "publication",
    "paper": "publication",
    "pubs": "publication",
    "post": "news",
    "posts": "news",
    "news": "news",
    "blog": "news",
    "project": "project",
    "projects": "project",
    "event": "event",
    "events": "event",
    "talk": "event",
    "talks": "event",
    "authors": "people",
    "author": "people",
}
# Our collection page for each kind, where a section's list page lands.
KIND_PAGES = {
    "publication": "publications",
    "news": "news",
    "project": "projects",
    "event": "events",
    "people": "people",
}


def urlize(segment):
    """A path segment as Hugo writes it: lower case, spaces to dashes, accents kept
    unless `removePathAccents` (then dropped)."""
    text = unicodedata.normalize("NFC", str(segment)).strip().lower()
    return re.sub(r"\s+", "-", text)


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@dataclass
class Language:
    code: str
    content: Path  # its content folder
    prefix: str  # URL prefix ("" or "/es")


class SiteRules:
    """The languages of a site and where each content file belongs by Hugo's rules."""

    def __init__(self, site, config, languages, warn=None):
        self.site = site
        self.warn = warn or (lambda source, message: None)
        self.config = config if isinstance(config, dict) else {}
        languages = languages if isinstance(languages, dict) else {}
        languages = languages or (
            self.config.get("languages") if isinstance(self.config.get("languages"), dict) else {}
        )
        codes = [str(code) for code in languages] or ["en"]
        default = str(self.config.get("defaultContentLanguage") or codes[0])
        in_subdir = bool(self.config.get("defaultContentLanguageInSubdir"))
        self.default = default
        self.languages = {}
        for code in codes or [default]:
            options = languages.get(code) if isinstance(languages.get(code), dict) else {}
            folder = options.get("contentDir") or options.get("contentdir")
            content = site.root / folder if folder else site.content
            prefix = "" if code == default and not in_subdir else f"/{code}"
            self.languages[code] = Language(code, content, prefix)
        if default not in self.languages:
            self.languages[default] = Language(default, site.content, "")
        self.content = self.languages[default].content
        if not self.content.is_dir():
            self.content = site.content
        self.prefix = self.languages[default].prefix
        self.permalinks = {
            str(k): str(v)
            for k, v in (self.config.get("permalinks") or {}).items()
            if isinstance(v, str)
        }
        self.remove_accents = bool(self.config.get("removePathAccents"))

    # ---- languages ---------------------------------------------------------------------

    def language_of(self, path):
        """The language a content file is written in: its content folder, else the
        `.<lang>.md` suffix, else the default."""
        for code, language in self.languages.items():
            if language.content != self.site.content and path.is_relative_to(language.content):
                return code
        parts = path.name.split(".")
        if len(parts) >= 3 and parts[-2] in self.languages:
            return parts[-2]
        return self.default

    def is_default(self, path):
        return self.language_of(path) == self.default

    def page_file(self, folder, stem):
        """`folder/<stem>.md` or `<stem>.<default>.md` (or `.markdown`), or None."""
        for suffix in MARKDOWN_SUFFIXES:
            for name in (f"{stem}{suffix}", f"{stem}.{self.default}{suffix}"):
                candidate = folder / name
                if candidate.is_file() and self.site.inside(candidate):
                    return candidate
        return None

    @staticmethod
    def stem(path):
        """A page file's name without extension or language ('hello.es.md' -> 'hello')."""
        name = path.name
        for suffix in MARKDOWN_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        head, _dot, tail = name.rpartition(".")
        return head if head and len(tail) in (2, 3, 5) and tail.isalpha() else name

    # ---- sections ----------------------------------------------------------------------

    def kind_of(self, name, type_=""):
        """The kind of content a section (or a page's `type`) holds, or ''."""
        for candidate in (type_, name):
            kind = SECTION_KINDS.get(str(candidate or "").strip().lower())
            if kind:
                return kind
        return ""

    def sections(self):
        """Top-level sections of the default language: (folder, kind by name/type)."""
        found = []
        for path in sorted(self.content.iterdir()):
            if path.is_dir() and not path.name.startswith(".") and self.site.inside(path):
                index = self.page_file(path, "_index")
                type_ = ""
                if index is not None:
                    type_ = _front_type(index)
                found.append((path, self.kind_of(path.name, type_)))
        return found

    def entries(self, folder):
        """The pages of a section at any depth: leaf bundles (a folder with index.md,
        or a folder with only a cite.bib) and single Markdown files."""
        found = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue  # Hugo publishes nothing from hidden files and folders
            if self.site.inside(path) is None:
                where = self.site.relative(folder)
                self.warn(where, f"{path.name} points outside the site and was ignored")
                continue
            if path.is_dir():
                if self.page_file(path, "index") is not None:
                    found.append(path)
                elif (path / "cite.bib").is_file() and not any(p.is_dir() for p in path.iterdir()):
                    found.append(path)
                else:
                    found.extend(self.entries(path))  # a sub-section (a year folder)
            elif (
                path.suffix.lower() in MARKDOWN_SUFFIXES
                and self.stem(path) not in ("_index", "index")
                and self.is_default(path)
            ):
                found.append(path)
        return found

    def branch_lists(self, folder):
        """`_index.md` files of a section and its sub-sections (list pages)."""
        return sorted(
            p
            for p in folder.rglob("_index*")
            if p.suffix in MARKDOWN_SUFFIXES
            and self.is_default(p)
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and self.site.inside(p)
        )

    def files_under(self, path):
        if path.is_file():
            return [path]
        return sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CONTENT_SUFFIXES
        )

    def content_files(self):
        """Every content file Hugo reads (all languages), as paths."""
        return sorted(
            p
            for p in self.site.content.rglob("*")
            if p.is_file() and p.suffix.lower() in CONTENT_SUFFIXES
        )


def _front_type(path):
    """Front matter `type` of a list page, read cheaply (the file is read in full later)."""
    try:
        head = path.read_text(encoding="utf-8-sig", errors="replace")[:4000]
    except OSError:
        return ""
    found = re.search(r"^type\s*[:=]\s*['\"]?([\w-]+)", head, re.M)
    return found.group(1) if found else ""


def _date_parts(value):
    found = re.match(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(value or ""))
    if not found:
        return "", "", ""
    year, month, day = found.groups()
    return year, (month or "").zfill(2) if month else "", (day or "").zfill(2) if day else ""


def page_url(rules, source, meta):
    """The URL Hugo gives a page (a bundle folder or a single file) with this front
    matter: `url`, else the section's `permalinks` pattern, else its path; `slug`
    replaces the last segment; segments are urlized; the language prefix comes first."""
    meta = meta if isinstance(meta, dict) else {}
    explicit = str(meta.get("url") or "").strip()
    if explicit and not explicit.startswith(("http://", "https://")):
        path = "/" + explicit.strip("/")
        return rules.prefix + (path if "." in path.rsplit("/", 1)[-1] else path.rstrip("/") + "/")
    relative = source.relative_to(rules.content) if source.is_relative_to(rules.content) else None
    if relative is None:
        return ""
    parts = list(relative.parts)
    if not source.is_dir():
        parts[-1] = rules.stem(source)
    slug = str(meta.get("slug") or "").strip()
    leaf = slug or parts[-1]
    section = parts[0] if len(parts) > 1 else ""
    pattern = rules.permalinks.get(section)
    if pattern and len(parts) > 1:
        year, month, day = _date_parts(meta.get("date"))
        title = str(meta.get("title") or leaf)
        path = (
            pattern.replace(":slugorfilename", leaf)
            .replace(":slugorcontentbasename", leaf)
            .replace(":slug", leaf)
            .replace(":filename", parts[-1])
            .replace(":contentbasename", parts[-1])
            .replace(":title", title)
            .replace(":year", year)
            .replace(":month", month)
            .replace(":day", day)
            .replace(":sections", "/".join(parts[:-1]))
            .replace(":section", section)
        )
        segments = [s for s in path.split("/") if s]
    else:
        segments = parts[:-1] + [leaf]
    segments = [urlize(s) for s in segments]
    if rules.remove_accents:
        segments = [strip_accents(s) for s in segments]
    return rules.prefix + "/" + "/".join(segments) + "/"
