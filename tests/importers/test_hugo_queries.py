"""The Hugo import reads what earlier imports stored once per kind, not once per object:
its queries grow by a fixed few per new entry and not at all for unchanged ones."""

import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    # tags and projects (2 each), links, the citation (`refresh`: authors read,
    # UPDATE); a project: slug check, INSERT, tags and people (2 each), links. Once,
    # whatever their number: the tags
    # known, one INSERT of imported items and one of redirects (were 5 queries each).
    # PostgreSQL takes 2 more per publication and project than SQLite.
    per_pair = 11 + 7 + (2 if connection.vendor == "postgresql" else 0)
    assert with_new - unchanged == 5 * per_pair + 3
