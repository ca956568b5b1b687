"""Hugo shortcodes -> Markdown/HTML. Unknown ones stay visible, with a warning.

`convert(body, image_url)` returns (markdown, warnings); `image_url(src)` maps an
image reference to its imported URL (or None when the image is missing).
"""

import re
import shlex

# {{< name args >}} or {{% name args %}}, optionally closed by {{< /name >}}.
SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]+)(.*?)\s*[>%]\}\}", re.S)
PAIRED = {
    "callout",
    "alert",
    "spoiler",
    "math",
    "cta",
    "hl",
    "list_children",
    "staticref",
    "highlight",
    "blocks",
}


def _args(raw):
    try:
        parts = shlex.split(raw.strip())
    except ValueError:
        parts = raw.split()
    named, positional = {}, []
    for part in parts:
        key, sep, value = part.partition("=")
        if sep and re.fullmatch(r"[\w-]+", key):
            named[key] = value
        else:
            positional.append(part)
    return named, positional


def _escape_md(text):
    return text.replace("[", "\\[").replace("]", "\\]")


def convert(body, image_url):
    warnings = []

    def figure(named, positional):
        src = named.get("src") or (positional[0] if positional else "")
        caption = named.get("caption") or named.get("title") or ""
        alt = named.get("alt") or caption or src.rsplit("/", 1)[-1]
        url = image_url(src)
        if url is None:
            warnings.append(f"figure image '{src}' not found; kept as a link")
            url = src
        figure_md = f"![{_escape_md(alt)}]({url})"
        return f"{figure_md}\n\n*{caption}*" if caption else figure_md

    def replace_single(name, named, positional):
        if name == "figure":
            return figure(named, positional)
        if name in ("icon",):
            warnings.append(f"icon '{named.get('name', '')}' removed (icons are not imported)")
            return ""
        if name == "youtube":
            video = named.get("id") or (positional[0] if positional else "")
            return f"[Watch the video on YouTube](https://www.youtube.com/watch?v={video})"
        if name in ("vimeo",):
            video = named.get("id") or (positional[0] if positional else "")
            return f"[Watch the video on Vimeo](https://vimeo.com/{video})"
        if name == "video":
            src = named.get("src") or (positional[0] if positional else "")
            return f"[Video]({src})"
        if name in ("cite",):
            page = named.get("page", "")
            return f"[{page.strip('/').rsplit('/', 1)[-1]}]({page})" if page else ""
        if name == "mention":
            who = positional[0] if positional else named.get("name", "")
            return f"[{who}](/author/{who}/)"
        if name in ("ref", "relref"):
            target = positional[0] if positional else ""
            return "/" + target.strip("/").removesuffix(".md").removesuffix("/index") + "/"
        if name == "toc":
            warnings.append("table of contents shortcode removed")
            return ""
        return None

    def replace_paired(name, named, positional, inner):
        if name in ("callout", "alert"):
            kind = (positional[0] if positional else named.get("type", "note")).capitalize()
            quoted = "\n".join(f"> {line}" for line in inner.strip().splitlines())
            return f"> **{kind}:**\n{quoted}"
        if name == "spoiler":
            summary = named.get("text", "Details")
            return f"<details><summary>{summary}</summary>\n\n{inner.strip()}\n\n</details>"
        if name == "math":
            return inner
        if name == "cta":
            return (
                f"[{named.get('cta_text', inner.strip() or 'Learn more')}]"
                f"({named.get('cta_link', '#')})"
            )
        if name == "hl":
            return f"<mark>{inner}</mark>"
        return None

    def paired_sub(match):
        name, raw, inner = match.group("name"), match.group("args"), match.group("inner")
        named, positional = _args(raw)
        out = replace_paired(name, named, positional, inner)
        if out is None:
            warnings.append(f"shortcode '{name}' is not supported; kept as text")
            return match.group(0)
        return out

    paired = re.compile(
        r"\{\{([<%])\s*(?P<name>[\w.-]+)(?P<args>[^}]*?)\s*[>%]\}\}(?P<inner>.*?)"
        r"\{\{[<%]\s*/\s*(?P=name)\s*[>%]\}\}",
        re.S,
    )
    body = paired.sub(paired_sub, body)

    def single_sub(match):
        closing, name, raw = match.group(2), match.group(3), match.group(4)
        if closing:
            warnings.append(f"closing shortcode '/{name}' without an opening one; kept as text")
            return match.group(0)
        named, positional = _args(raw)
        cta_like = name == "cta" and named.get("cta_link")
        out = replace_paired(name, named, positional, "") if cta_like else None
        out = out if out is not None else replace_single(name, named, positional)
        if out is None:
            warnings.append(f"shortcode '{name}' is not supported; kept as text")
            return match.group(0)
        return out

    body = SHORTCODE.sub(single_sub, body)
    return body, warnings


CTA = re.compile(
    r"\{\{[<%]\s*cta\b(?P<args>[^}]*?)\s*[>%]\}\}"
    r"(?:(?P<inner>(?:(?!\{\{[<%]\s*cta\b).)*?)\{\{[<%]\s*/\s*cta\s*[>%]\}\})?",
    re.S,
)


def extract_ctas(body):
    """A page's `cta` shortcodes taken out of its text: (text without them,
    [(label, link, text)]), one call to action section each."""
    found = []

    def take(match):
        named, _positional = _args(match.group("args"))
        link = named.get("cta_link", "")
        if not link:
            return match.group(0)  # not a button: convert() keeps it as before
        inner = (match.group("inner") or "").strip()
        found.append((named.get("cta_text") or "Learn more", link, inner))
        return ""

    return CTA.sub(take, body), found
