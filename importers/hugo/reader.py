"""Reading a Hugo site: front matter (YAML/TOML), config files, and safe paths."""

import re
import tomllib
from pathlib import Path

import yaml

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


class SiteError(Exception):
    """A problem with one file of the site, named with its line where known."""

    def __init__(self, path, message, line=None):
        self.path, self.message, self.line = path, message, line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class _DateSafeLoader(yaml.SafeLoader):
    """YAML loader that keeps dates as strings (Hugo sites mix every date format) and
    refuses aliases, which a few bytes can expand into gigabytes ("billion laughs")."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


_DateSafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _FastDateSafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser (about 20 times faster), same dates-as-strings rule; used only
    for text that cannot hold an anchor or alias (no '&' or '*' before a name)."""


_FastDateSafeLoader.yaml_implicit_resolvers = _DateSafeLoader.yaml_implicit_resolvers
MAYBE_ALIAS = re.compile(r"[&*][^\s,\]}]")


def _has_alias(text):
    """Whether the YAML uses an alias, by libyaml's event stream (aliases unexpanded)."""
    if not MAYBE_ALIAS.search(text):
        return False
    if not hasattr(yaml, "CSafeLoader"):
        return True  # no libyaml: the refusing loader decides
    return any(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text, Loader=yaml.CSafeLoader))


def _load(text):
    if not _has_alias(text):
        try:
            return yaml.load(text, Loader=_FastDateSafeLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass  # PyYAML's own parser says where, as editors know its messages
    return yaml.load(text, Loader=_DateSafeLoader)  # noqa: S506 - a SafeLoader subclass


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _tolerant(text):
    """What Hugo's YAML reader accepts and PyYAML does not: control characters pasted
    from PDFs, and tabs used for indentation (read as two spaces)."""
    text = CONTROL.sub("", text)
    return re.sub(r"^(\t+)", lambda m: "  " * len(m.group(1)), text, flags=re.M)


def parse_yaml(text, path, line_offset=0):
    try:
        try:
            data = _load(text)
        except yaml.YAMLError:
            tolerant = _tolerant(text)
            if tolerant == text:
                raise
            data = _load(tolerant)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SiteError(path, f"invalid YAML: {problem}", line) from exc
    return data


def parse_toml(text, path, line_offset=0):
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) + line_offset if found else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SiteError(path, f"invalid TOML: {message}", line) from exc


def read_text(path, relative):
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SiteError(relative, "not UTF-8 text") from exc
    except OSError as exc:
        raise SiteError(relative, f"cannot be read ({exc.strerror})") from exc


def split_front_matter(text, path):
    """(metadata dict, Markdown body) from a content file with YAML or TOML front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text
    fence = lines[0].strip()
    for end in range(1, len(lines)):
        if lines[end].strip() == fence:
            break
    else:
        raise SiteError(path, f"front matter opened with '{fence}' is never closed", 1)
    block = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip("\n")
    data = parse_yaml(block, path, 1) if fence == "---" else parse_toml(block, path, 1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SiteError(path, "front matter is not a set of 'key: value' fields", 2)
    return data, body


class HugoSite:
    """A Hugo site folder; every path it hands out stays inside that folder."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise SiteError(root, "is not a folder")
        self.content = self.root / "content"
        if not self.content.is_dir():
            raise SiteError(root, "is not a Hugo site: it has no content/ folder")
        self.config_dir = self.root / "config" / "_default"
        self._inside = {}  # path -> resolved path inside the site, or None

    def relative(self, path):
        """The path inside the site, as shown in messages; SiteError if it leads outside."""
        safe = self.inside(path)
        if safe is None:
            raise SiteError(Path(path).name, "points outside the site folder")
        return safe.relative_to(self.root).as_posix()

    def inside(self, path):
        """The resolved path if it is inside the site (symlinks included), else None."""
        key = str(path)
        if key not in self._inside:
            self._inside[key] = self._resolve_inside(path)
        return self._inside[key]

    def _resolve_inside(self, path):
        try:
            resolved = Path(path).resolve()
        except (OSError, RuntimeError):
            return None
        return resolved if resolved.is_relative_to(self.root) else None

    def read(self, path):
        """(metadata, body) of a content file."""
        safe = self.inside(path)
        if safe is None:
            raise SiteError(path, "points outside the site folder")
        relative = self.relative(safe)
        return split_front_matter(read_text(safe, relative), relative)

    def config(self, name):
        """A config file (name without extension) as a dict, TOML or YAML; {} if absent."""
        candidates = [self.config_dir / f"{name}.{ext}" for ext in ("toml", "yaml", "yml")]
        if name in ("config", "hugo"):
            candidates += [self.root / f"{name}.{ext}" for ext in ("toml", "yaml", "yml")]
        for path in candidates:
            safe = self.inside(path)
            if safe is None or not safe.is_file():
                continue
            relative = self.relative(safe)
            text = read_text(safe, relative)
            data = (
                parse_toml(text, relative) if safe.suffix == ".toml" else parse_yaml(text, relative)
            )
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise SiteError(relative, "is not a set of settings")
            return data
        return {}

    def resolve_asset(self, reference, near):
        """Find an image named in front matter or a shortcode, without leaving the site.

        Looks beside the content file, then in assets/media/, assets/images/ and
        static/. Returns a path or None.
        """
        if not reference or not isinstance(reference, str) or "://" in reference:
            return None
        reference = reference.split("?")[0].lstrip("/")
        for base in (
            near,
            self.root / "assets" / "media",
            self.root / "assets" / "images",
            self.root / "static",
            self.root / "assets",
        ):
            safe = self.inside(base / reference)
            if safe is not None and safe.is_file():
                return safe
        return None

    def bundle_image(self, folder, stem):
        """`featured.*` or `avatar.*` in a page bundle folder."""
        for suffix in IMAGE_SUFFIXES:
            candidate = self.inside(folder / f"{stem}{suffix}")
            if candidate is not None and candidate.is_file():
                return candidate
        return None
