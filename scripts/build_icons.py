"""Build static/icons/sprite.svg from maintained icon sets (run when icons change).

Brands come from npm `simple-icons` (CC0; LinkedIn from its 9.x line, the last that
ships it), generic icons from npm `lucide-static` (ISC). Usage:

    npm install --prefix /tmp/icons simple-icons lucide-static si9@npm:simple-icons@9.21.0
    python scripts/build_icons.py /tmp/icons/node_modules

The sprite is committed (static/icons/sprite.svg) with the licences beside it, so
neither the image nor the site's build needs Node.
"""

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"

# symbol id -> (package, file name without .svg)
BRANDS = {
    "google-scholar": ("simple-icons", "googlescholar"),
    "orcid": ("simple-icons", "orcid"),
    "github": ("simple-icons", "github"),
    "linkedin": ("si9", "linkedin"),
    "twitter": ("simple-icons", "x"),
    "bluesky": ("simple-icons", "bluesky"),
    "mastodon": ("simple-icons", "mastodon"),
}
GENERIC = {
    "email": "mail",
    "website": "globe",
    "other": "link",
    "pdf": "file-text",
    "code": "code-xml",
    "dataset": "database",
    "doi": "link",
    "arxiv": "scroll-text",
    "project": "folder-open",
    "slides": "presentation",
    "video": "video",
    "poster": "image",
    "cite": "quote",
    "feed": "rss",
    "event": "calendar",
    "menu": "menu",
    "search": "search",
    "award": "award",
    "map": "map-pin",
    "phone": "phone",
    "theme": "sun-moon",
    "arrow": "arrow-right",
}


def inner(svg):
    body = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    body = re.sub(r"^.*?<svg[^>]*>", "", body, flags=re.S)
    body = re.sub(r"</svg>\s*$", "", body.strip())
    body = re.sub(r"<title>.*?</title>", "", body)
    return re.sub(r"\s+", " ", body).replace(" />", "/>").strip()


def main(modules):
    modules = Path(modules)
    symbols = []
    for name, (package, file) in BRANDS.items():
        svg = (modules / package / "icons" / f"{file}.svg").read_text()
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{inner(svg)}</symbol>')
    for name, file in GENERIC.items():
        svg = (modules / "lucide-static" / "icons" / f"{file}.svg").read_text()
        symbols.append(
            f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{inner(svg)}</symbol>'
        )
    versions = {
        p: json.loads((modules / p / "package.json").read_text())["version"]
        for p in ("simple-icons", "si9", "lucide-static")
    }
    header = (
        f"<!-- simple-icons {versions['simple-icons']} (LinkedIn: {versions['si9']}), CC0-1.0; "
        f"lucide-static {versions['lucide-static']}, ISC. See LICENSES.md. "
        "Built by scripts/build_icons.py. -->"
    )
    sprite = (
        f'{header}\n<svg xmlns="http://www.w3.org/2000/svg" fill="currentColor">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sprite.svg").write_text(sprite)
    licences = [
        "# Icon licences\n",
        "static/icons/sprite.svg is built by scripts/build_icons.py from:\n",
        f"- npm `simple-icons` {versions['simple-icons']} and {versions['si9']} (LinkedIn): "
        "brand icons, CC0-1.0. Brand marks remain their owners' trademarks.\n",
        f"- npm `lucide-static` {versions['lucide-static']}: generic icons, ISC licence:\n",
        "\n```\n" + (modules / "lucide-static" / "LICENSE").read_text().strip() + "\n```\n",
        "\n## simple-icons\n\n```\n"
        + (modules / "simple-icons" / "LICENSE.md").read_text().strip()
        + "\n```\n",
    ]
    (OUT / "LICENSES.md").write_text("".join(licences))
    print(f"{len(symbols)} icons, {len(sprite)} bytes -> {OUT / 'sprite.svg'}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "node_modules")
