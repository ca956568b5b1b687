"""The Hugo import reads what earlier imports stored once per kind, not once per object:
its queries grow by a fixed few per new entry and not at all for unchanged ones."""

import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from airml import cache as airml_cache
from importers.hugo import HugoImporter

from .test_hugo_import import MINI

pytestmark = pytest.mark.django_db


def site_with(tmp_path, extra):
    """The mini site with `extra` more copies of one publication and one project."""
    site = tmp_path / f"site{extra}"
    shutil.copytree(MINI, site)
    content = site / "content"
    for n in range(extra):
        copy = content / "publication" / f"copy{n}"
        shutil.copytree(content / "publication" / "doe2024robust", copy)
        # Distinct papers: the same title or DOI would be the same record (one paper, one
        # record) and merge into the original.
        for name in ("index.md", "cite.bib"):
            text = (copy / name).read_text()
            text = text.replace("Robust Certification at Scale", f"Robust Certification {n}")
            (copy / name).write_text(text.replace("rml.2024.7", f"rml.2024.{100 + n}"))
        shutil.copytree(content / "project" / "robust-vision", content / "project" / f"copy{n}")
    return site


def queries(site):
    """Queries of one import, besides each file's savepoint (SAVEPOINT and RELEASE)."""
    with CaptureQueriesContext(connection) as captured:
        HugoImporter(site).run()
    return sum("SAVEPOINT" not in q["sql"] for q in captured.captured_queries)


def test_unchanged_entries_cost_no_queries_and_new_ones_a_fixed_few(tmp_path):
    small = site_with(tmp_path, 1)
    queries(small)
    larger = site_with(tmp_path, 6)  # the same entries and 5 more of each kind

    with_new = queries(larger)
    unchanged = queries(larger)
    unchanged_again = queries(small)

    assert unchanged == unchanged_again  # nothing read or written per unchanged entry
    # A publication: slug check, INSERT, authorships (SELECT for the DELETE, INSERT),
    # tags and projects (2 each), links; a project: slug check, INSERT, tags and people
    # (2 each), links. Once, whatever their number: the tags known, one INSERT of
    # imported items and one of redirects (were 5 queries each), the citations of all
    # papers formatted at the end (`refresh`: authors read, one UPDATE).
    # PostgreSQL takes 2 more per publication and project than SQLite.
    per_pair = 9 + 7 + (2 if connection.vendor == "postgresql" else 0)
    assert with_new - unchanged == 5 * per_pair + 3 + 2


class _VersionDrops:
    """The shared cache, counting the drops of the content version."""

    def __init__(self, real):
        self.real, self.drops = real, 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def delete(self, key, *args, **kwargs):
        self.drops += key == airml_cache.VERSION_KEY
        return self.real.delete(key, *args, **kwargs)

    def delete_and_announce(self, key):  # Redis: the drop and its announcement at once
        self.drops += key == airml_cache.VERSION_KEY
        return self.real.delete_and_announce(key)


def test_an_import_drops_the_cached_pages_version_once_not_once_a_save(monkeypatch):
    airml_cache.versioned_get("any-page")  # makes the version record cached pages use
    assert airml_cache.cache.get(airml_cache.VERSION_KEY) is not None
    spy = _VersionDrops(airml_cache.cache)
    monkeypatch.setattr(airml_cache, "cache", spy)

    report = HugoImporter(MINI).run()

    assert sum(report.counts["publications"].values()) > 0  # dozens of saves happened
    assert spy.drops == 1
    assert spy.real.get(airml_cache.VERSION_KEY) is None  # every cached page is stale
