"""Screenshots of the admin at 1,280×800: dashboard, publication, person and page forms,
the BibTeX import and the content-health page.

    python scripts/screenshots_admin.py OUTDIR [--port 18510] [--only NAME ...]

Runs on its own: a scratch SQLite database and media folder in a temporary
directory, the seed plus a few drafts, a scheduled item and an unread message,
a development server on 127.0.0.1:PORT (stopped at the end), and the system
Chromium (/usr/bin/chromium or AIRML_CHROMIUM) through Playwright. Writes
NAME.png (the first screen) and NAME-full.png (the whole page) for each view and
prints each page's height and whether anything overflows to the right.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("AIRML_CHROMIUM", "/usr/bin/chromium")
USER, PASSWORD = "editor-shots", "screenshots-pw-123"

SETUP = """
import datetime
from django.contrib.auth.models import User
from django.utils import timezone
from news.models import NewsItem
from pages.models import ContactMessage, Page
from people.models import Person
from research.citations import refresh
from research.models import Authorship, Publication

from django.contrib.auth.models import Group
editor = User.objects.create_user({user!r}, "shots@example.org", {password!r}, is_staff=True)
editor.groups.add(Group.objects.get(name="Editor"))  # what an editor sees
now = timezone.now()
NewsItem.objects.create(title="Draft: our summer school", slug="summer-school-draft",
                        status="draft", body="Coming soon.")
NewsItem.objects.create(title="New grant announced", slug="grant-scheduled",
                        status="published", publish_at=now + datetime.timedelta(days=3))
ContactMessage.objects.create(name="A. Visitor", email="visitor@example.org",
                              subject="PhD positions?", message="Hello!")
paper = Publication.objects.create(
    title="Certified Robustness against Adversarial Patch Attacks via Randomized Cropping "
          "and Extremely Long Titles That Real Papers Sometimes Have",
    slug="rossi2025certified", date=datetime.date(2025, 7, 1), pub_type="paper-conference",
    venue="Proceedings of the 42nd International Conference on Machine Learning (ICML 2025)",
    venue_short="ICML 2025", abstract="We *certify* robustness.", doi="10.5555/airml.1",
    url_pdf="https://arxiv.org/pdf/2501.00001")
person = Person.objects.create(first_name="Maria", last_name="Rossi", slug="maria-rossi",
                               role="Professor", membership="faculty", bio="Maria leads the lab.")
for i, name in enumerate(["", "Alan Turing", "Grace Hopper"]):
    Authorship.objects.create(publication=paper, person=person if not name else None,
                              name=name, order=i, note="equal contribution" if i == 1 else "")
refresh([paper])
print("IDS", paper.pk, person.pk, Page.objects.order_by("pk").first().pk)
"""

VIEWS = [
    ("dashboard", "/admin/"),
    ("publication-form", "/admin/research/publication/{paper}/change/"),
    ("publication-add", "/admin/research/publication/add/"),
    ("person-form", "/admin/people/person/{person}/change/"),
    ("page-form", "/admin/pages/page/{page}/change/"),
    ("bibtex-import", "/admin/research/publication/import-bibtex/"),
    ("content-health", "/admin/content-health/"),
    ("news-list", "/admin/news/newsitem/"),
]


def run(args, env, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                          **kwargs)  # fmt: skip


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer")


def shoot(base, outdir, ids, only=()):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless", "--no-sandbox"])  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=base)
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text
                else None)  # fmt: skip
        page.goto("/admin/login/")
        page.fill("#id_username", USER)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        for name, path in VIEWS:
            if only and name not in only:
                continue
            page.goto(path.format(**ids), wait_until="networkidle")
            page.screenshot(path=str(outdir / f"{name}.png"))
            page.screenshot(path=str(outdir / f"{name}-full.png"), full_page=True)
            height = page.evaluate("document.documentElement.scrollHeight")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth > document.documentElement.clientWidth"
            )
            print(
                f"{name}: {height} px tall ({height / 800:.2f} screens), "
                f"horizontal overflow: {overflow}"
            )
        browser.close()
    if violations:
        print("CSP violations:", *violations, sep="\n  ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--port", type=int, default=18510)
    parser.add_argument("--only", nargs="+", default=(), choices=[name for name, _ in VIEWS],
                        metavar="NAME", help="shoot only these views")  # fmt: skip
    options = parser.parse_args()
    options.outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="airml-shots-") as scratch:
        env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_VAR_DIR": scratch,
               "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3", "REDIS_URL": ""}  # fmt: skip
        env.pop("DJANGO_SETTINGS_MODULE", None)
        run(["migrate", "--noinput", "-v", "0"], env)
        run(["load_seed", "-v", "0"], env)
        out = run(["shell", "-c", SETUP.format(user=USER, password=PASSWORD)], env,
                  stdout=subprocess.PIPE, text=True).stdout.splitlines()  # fmt: skip
        line = next(line for line in out if line.startswith("IDS "))
        ids = dict(zip(["paper", "person", "page"], line.split()[1:], strict=True))
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{options.port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{options.port}"
            wait_for(f"{base}/admin/login/")
            shoot(base, options.outdir, ids, options.only)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Screenshots in {options.outdir}")


if __name__ == "__main__":
    main()
