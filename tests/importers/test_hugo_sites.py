"""Every real Hugo site in ../shared/fixtures/hugo-sites imports whole (slow).

Per site: the import exits cleanly; every content file (Markdown, BibTeX, HTML under
content/) has a record in the JSON report; the counts of people, publications and
news items equal what the source folders hold (counted here with plain folder
rules, independent of the importer's); and at least 98 % of the URLs in the site's
HUGO_URLS.txt (the oracle: every URL a real Hugo build wrote; only this test reads
it) answer 200 or a permanent redirect to a 200.
"""

import io
import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.core.management import call_command

from news.models import NewsItem
from people.models import Person
from research.models import Publication

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SITES_ROOT = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "hugo-sites"
SITES = sorted(p.name for p in SITES_ROOT.iterdir() if p.is_dir()) if SITES_ROOT.is_dir() else []
CONTENT = {".md", ".markdown", ".bib", ".qmd", ".rmd", ".html"}
LANG_SUFFIX = re.compile(r"\.(?!en\.)[a-z]{2}\.md$")


def _default_content(site):
    """content/en when the site keeps one folder per language, else content/."""
    content = site / "content"
    return content / "en" if (content / "en").is_dir() and (content / "es").is_dir() else content


def _bundles(folder, names):
    """Leaf bundles (a folder with index.md or index.en.md, or only a cite.bib) and
    single files below the sections called `names`, at any depth."""
    found = 0
    for section in (folder / n for n in names):
        if not section.is_dir():
            continue
        for path in section.rglob("*"):
            if any(part.startswith(".") for part in path.relative_to(section).parts):
                continue
            if path.is_dir():
                has_index = (path / "index.md").is_file() or (path / "index.en.md").is_file()
                only_bib = (path / "cite.bib").is_file() and not any(
                    p.is_dir() for p in path.iterdir()
                )
                inside_bundle = any(
                    (parent / "index.md").is_file() for parent in path.parents if parent != section
                )
                if (has_index or only_bib) and not inside_bundle:
                    found += 1
            elif (
                path.suffix == ".md"
                and not path.name.startswith(("_index", "index"))
                and not LANG_SUFFIX.search(path.name)
                and not any((p / "index.md").is_file() for p in path.parents if p != section)
            ):
                found += 1
    return found


def _people(folder):
    found = 0
    for name in ("authors", "author"):
        section = folder / name
        if section.is_dir():
            found += sum(
                1
                for p in section.iterdir()
                if p.is_dir() and (any(p.glob("_index*.md")) or (p / "index.md").is_file())
            )
    return found


def _answers(client, url):
    response = client.get(quote(url))
    for _hop in range(4):
        if response.status_code not in (301, 308):
            break
        response = client.get(urlsplit(response["Location"]).path or "/")
    return response.status_code == 200


@pytest.mark.skipif(not SITES, reason="../shared/fixtures/hugo-sites is not beside the repository")
@pytest.mark.parametrize("name", SITES)
def test_real_site_imports_whole_and_its_old_urls_answer(name, tmp_path, client):
    site = SITES_ROOT / name
    report_file = tmp_path / "report.json"

    call_command("import_hugo", str(site), "--report", str(report_file), stdout=io.StringIO())

    report = json.loads(report_file.read_text())
    recorded = {r["file"] for r in report["files"]}
    files = [
        p.relative_to(site).as_posix()
        for p in (site / "content").rglob("*")
        if p.is_file() and p.suffix.lower() in CONTENT
    ]
    assert [f for f in files if f not in recorded] == []  # no file passed over in silence
    assert all(r["reason"] for r in report["files"] if r["outcome"] == "not imported")
    content = _default_content(site)
    assert Person.objects.count() == _people(content)
    # A paper listed twice (the same DOI, or title and year) is one record, its second
    # file reported as merged into it (one paper, one record).
    merged = [
        r for r in report["files"]
        if r["outcome"] == "merged" and r["object"]["kind"] == "publications"
        and not r["file"].endswith(".bib")
    ]  # fmt: skip
    assert all(r["reason"] for r in merged)
    assert Publication.objects.count() + len(merged) == _bundles(
        content, ["publication", "publications", "papers"]
    )
    assert NewsItem.objects.count() == _bundles(content, ["post", "posts", "news", "blog"])
    urls = [
        line.split("\t")[0].strip()
        for line in (site / "HUGO_URLS.txt").read_text().splitlines()
        if line.startswith("/")
    ]
    failing = [u for u in urls if not _answers(client, u)]
    assert len(failing) <= 0.02 * len(urls), failing[:20]
