"""The one Markdown pipeline: Python-Markdown, then an nh3 allow-list sanitiser.

Every Markdown field in the portal, django-markdownx's live preview and the Hugo
importer go through `render_markdown`.  Raw HTML that editors rely on (such as
`<span class="blue-highlight">`) survives; scripts, event handlers, inline
styles, frames, forms and `javascript:`/`data:` URLs do not. Classes come only from
`ALLOWED_CLASSES` (content cannot dress up as the site's own interface) and every
`id` gets the `user-content-` prefix (content cannot take the page's own ids), with
in-document links such as footnotes following it. docs/sanitiser.md lists both.
"""

import re
import threading

import markdown
import nh3

EXTENSIONS = [
    "markdown.extensions.extra",  # tables, footnotes, fenced code, abbreviations, md_in_html
    "markdown.extensions.sane_lists",
    "pymdownx.arithmatex",  # $...$ and $$...$$ pass through untouched for client-side math
]
EXTENSION_CONFIGS = {
    "markdown.extensions.extra": {"markdown.extensions.tables": {"use_align_attribute": True}},
    "pymdownx.arithmatex": {"generic": True},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
_COMMON = {"class", "id", "title", "lang"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON | {"href"},
    "img": _COMMON | {"src", "alt", "width", "height", "loading"},
    "td": _COMMON | {"align", "colspan", "rowspan"},
    "th": _COMMON | {"align", "colspan", "rowspan", "scope"},
    "abbr": _COMMON,
    "ol": _COMMON | {"start", "reversed"},
    "details": _COMMON | {"open"},
}
# Relative URLs pass through; absolute ones must use one of these schemes.
URL_SCHEMES = {"http", "https", "mailto"}

# Classes content may carry: the ones real content uses for its own meaning and the
# ones this pipeline writes. Anything else (`preview-banner`, `btn`, `badge`, ...) is
# the site's interface and is dropped. Keep docs/sanitiser.md in step.
ALLOWED_CLASSES = frozenset({
    "blue-highlight",  # the seed's research page (and Hugo Blox sites) highlight words
    "portrait",  # Hugo Blox author images in page bodies
    "footnote", "footnote-ref", "footnote-backref",  # Python-Markdown footnotes
    "arithmatex",  # math left for the browser
})  # fmt: skip
CODE_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
ID_PREFIX = "user-content-"
_ID_IN_HTML = re.compile(r"""\bid\s*=\s*["']?([^"'\s>]+)""")


def _allowed_classes(value, allowed):
    kept = [
        name for name in value.split() if name in allowed or CODE_LANGUAGE_CLASS.fullmatch(name)
    ]
    return " ".join(dict.fromkeys(kept)) or None


def _attribute_filter(document_ids, allowed):
    def keep(tag, attribute, value):
        if attribute == "class":
            return _allowed_classes(value, allowed)
        if attribute == "id":
            value = value.strip()
            return f"{ID_PREFIX}{value}" if value else None
        if attribute == "href" and value.startswith("#") and value[1:] in document_ids:
            return f"#{ID_PREFIX}{value[1:]}"
        return value

    return keep


def sanitize_html(html, extra_classes=frozenset()):
    """Reduce arbitrary HTML to the allow-list (also used for imported raw HTML).

    `extra_classes`: classes that HTML the site itself generates may keep (the
    citation formatter's `member` and `cite-title`); never for editors' text.
    """
    if not html:
        return ""
    # Only links to an id this document defines follow the prefix: `#contact` and
    # other anchors of the page around the content keep working.
    document_ids = set(_ID_IN_HTML.findall(html))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter(document_ids, ALLOWED_CLASSES | extra_classes),
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_local = threading.local()


def _converter():
    # Building a Markdown instance costs more than converting a paragraph: keep
    # one per thread (instances are not thread-safe) and reset it between uses.
    if not hasattr(_local, "md"):
        _local.md = markdown.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
    return _local.md.reset()


def render_markdown(text):
    """Render editor Markdown (with raw HTML) to safe HTML."""
    if not text:
        return ""
    return sanitize_html(_converter().convert(text))
