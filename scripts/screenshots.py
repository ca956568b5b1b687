"""Full-page screenshots of every page type: light and dark at 1,280 px, and a 390 px
phone, for the seed and for imported fixture sites (`make screenshots`).

Each site gets a scratch SQLite database under var/screenshots/<site>/ (the seed via
`load_seed`, a fixture via `import_hugo`), a development server on 127.0.0.1 and
headless Chromium (/usr/bin/chromium, or AIRML_CHROMIUM) through Playwright; the
PNGs land in var/screenshots/<site>/<page>-<light|dark|phone>.png. Detail pages are
found by following the first link of each listing, so imported sites need no list.

    python scripts/screenshots.py                       # seed, cvr-lab, focs-lab
    python scripts/screenshots.py --sites seed --pages home,people
    python scripts/screenshots.py --base-url http://127.0.0.1:8000 --sites mine
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures" / "hugo-sites"
OUT = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("AIRML_CHROMIUM", "/usr/bin/chromium")
DEFAULT_SITES = ["seed", "cvr-lab", "focs-lab--focs-lab.github.io"]

# (name, listing path, pattern of a detail link on it, or None)
PAGES = [
    ("home", "/", None),
    ("research", "/research/", None),
    ("direction", "/research/", r"^/research/[^/?#]+/$"),
    ("people", "/people/", None),
    ("person", "/people/", r"^/people/[^/?#]+/$"),
    ("publications", "/publications/", None),
    ("publication", "/publications/", r"^/publications/[^/?#]+/$"),
    ("projects", "/projects/", None),
    ("project", "/projects/", r"^/projects/[^/?#]+/$"),
    ("news", "/news/", None),
    ("news-item", "/news/", r"^/news/(?!feed|atom)[^/?#]+/$"),
    ("events", "/events/", None),
    ("event", "/events/", r"^/events/[^/?#]+/$"),
    ("contact", "/contact/", None),
    ("search", "/search/?q=learning", None),
    ("404", "/no-such-page/", None),
]
VARIANTS = {
    "light": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "light"},
    "dark": {"viewport": {"width": 1280, "height": 800}, "color_scheme": "dark"},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "color_scheme": "light",
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare(site, env):
    """A fresh scratch database holding `site` (the seed or a fixture import)."""
    folder = OUT / site
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env["DATABASE_URL"] = f"sqlite:///{folder / 'db.sqlite3'}"
    env["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    manage(env, "migrate", "--noinput", "-v0")
    if site == "seed":
        manage(env, "load_seed", "-v0")
    else:
        manage(env, "import_hugo", "--skip-invalid", "-v0", str(FIXTURES / site))
    return folder


def serve(env, port):
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the development server on port {port} did not start")


def detail_path(page, base, listing, pattern):
    page.goto(base + listing, wait_until="load")
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))")
    return next((h for h in hrefs if re.match(pattern, h or "")), None)


def shoot(browser, base, folder, only):
    from_listing = {}
    with browser.new_context() as context:
        page = context.new_page()
        for name, listing, pattern in PAGES:
            if pattern and (not only or name in only):
                from_listing[name] = detail_path(page, base, listing, pattern)
    taken = []
    for variant, options in VARIANTS.items():
        with browser.new_context(**options) as context:
            page = context.new_page()
            for name, listing, pattern in PAGES:
                if only and name not in only:
                    continue
                path = from_listing.get(name) if pattern else listing
                if not path:
                    continue  # this site has no such page (no events, ...)
                page.goto(base + path, wait_until="load")
                target = folder / f"{name}-{variant}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
    return taken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", default=",".join(DEFAULT_SITES))
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("SCREENSHOTS_PORT", 8790)))
    parser.add_argument("--base-url", help="shoot a running site instead of scratch copies")
    args = parser.parse_args()
    only = {p for p in args.pages.split(",") if p}

    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_SERVE_MEDIA": "1"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for site in args.sites.split(","):
            if args.base_url:
                folder = OUT / site
                folder.mkdir(parents=True, exist_ok=True)
                taken = shoot(browser, args.base_url.rstrip("/"), folder, only)
            else:
                folder = prepare(site, dict(env))
                site_env = dict(env, DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
                                DJANGO_MEDIA_ROOT=str(folder / "media"))  # fmt: skip
                server = serve(site_env, args.port)
                try:
                    taken = shoot(browser, f"http://127.0.0.1:{args.port}", folder, only)
                finally:
                    server.terminate()
                    server.wait(10)
            print(f"{site}: {len(taken)} screenshots in {folder.relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
