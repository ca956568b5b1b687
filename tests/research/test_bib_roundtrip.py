"""The BibTeX round trip: import, export, compare field by field (bib_fidelity.py).

Over every distinct real `cite.bib` in ../shared/fixtures/hugo-sites and over a
hand-made corpus of the cases real files contain (tests/research/bib/roundtrip_edge.bib).
"""

from pathlib import Path

import pytest

from bench.bib_roundtrip import TOOL, fixture_bibs, load_tool, round_trip, run
from research.bibtex_import import import_bibtex
from research.models import Publication

EDGE = Path(__file__).parent / "bib" / "roundtrip_edge.bib"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not TOOL.is_file(), reason="needs ../shared/tools/bib_fidelity.py"),
]


def test_fixture_cite_bibs_round_trip_with_nothing_lost_changed_or_invented():
    paths = fixture_bibs()

    totals, lines = run(paths)

    assert totals["files"] == len(paths) == 103
    # One real file has no year at all: imported as an undated work (below).
    assert lines == []
    assert (totals["lost"], totals["changed"], totals["invented"]) == (0, 0, 0)
    assert totals["matched"] == totals["entries"]


def test_the_fixture_entry_without_a_year_is_imported_undated_and_exported_without_one():
    path = next(p for p in fixture_bibs() if "barranco2014c" in str(p))

    entries, counts = import_bibtex(path.read_text())

    assert counts == {"new": 1, "update": 0, "unchanged": 0, "error": 0}
    publication = Publication.objects.get()
    assert (publication.date, publication.date_precision) == (None, "none")
    assert (publication.date_label, publication.date_iso, publication.year_label) == (
        "n.d.", "", "n.d.")  # fmt: skip
    assert "(n.d.)" in publication.citation_html  # APA's form
    assert "year" not in publication.bibtex_export and "month" not in publication.bibtex_export
    assert "Contour motion estimation for address-event data" in publication.bibtex_export


def _edge_export():
    entries, _counts = import_bibtex(EDGE.read_text())
    return entries, {p.slug: p for p in Publication.objects.all()}


def test_edge_corpus_round_trips_every_field_of_every_entry():
    tool = load_tool()
    source = EDGE.read_text()
    # The proceedings is a crossref target, not a publication; its child inherits.
    inherited = {"year", "publisher", "series", "volume", "booktitle"}

    totals, text = round_trip(source, tool)

    # The comparison tool leaves `ieee # " Computer Society"` unjoined; we join it.
    concatenation = (
        """CHANGED macro2020.publisher: 'ieee # " Computer Society"' -> 'IEEE Computer Society'"""
    )
    problems = [
        line for line in text.splitlines()[:-1]
        if not line.startswith("MISSING ENTRY icml2021") and line != concatenation
        and not (line.startswith("INVENTED child2021.") and line.split(".")[1].split()[0]
                 in inherited)
    ]  # fmt: skip
    assert problems == []
    assert totals["entries"] == 10 and totals["matched"] == 9  # all but the proceedings


def test_edge_corpus_fields_land_in_their_columns():
    entries, pubs = _edge_export()

    macro, child, accents = pubs["macro2020"], pubs["child2021"], pubs["accents2019"]
    assert (macro.venue, macro.venue_field, macro.publisher) == (
        "IEEE Transactions on Pattern Analysis and Machine Intelligence", "journal",
        "IEEE Computer Society")  # fmt: skip
    assert (macro.volume, macro.number, macro.pages, macro.issn) == ("42", "7", "1203--1215",
                                                                     "0162-8828")  # fmt: skip
    assert (macro.date.isoformat(), macro.date_precision) == ("2020-07-01", "month")
    assert (child.venue, child.publisher, child.pages, child.date_precision) == (
        "Proceedings of the 38th International Conference on Machine Learning", "PMLR",
        "100–110", "year")  # fmt: skip
    assert accents.entry_type == "InProceedings"
    assert accents.address == "Montréal, Canada"
    assert accents.editors == "Adam Smith and Bea Jones"
    assert [a.name for a in accents.authorships.all()] == [
        "José Peña", "Søren Østergaard", "Zoë Ångström"]  # fmt: skip
    arxiv = pubs["arxiv2024"]
    assert (arxiv.entry_type, arxiv.pub_type) == ("article", "preprint")
    assert (arxiv.eprint, arxiv.archive_prefix, arxiv.primary_class) == ("2401.01234", "arXiv",
                                                                         "cs.LG")  # fmt: skip
    assert arxiv.url == "https://arxiv.org/abs/2401.01234"
    duplicate = next(e for e in entries if e.action == "error")
    assert "duplicate key 'macro2020'" in duplicate.error


def test_bad_input_is_kept_verbatim_and_never_invented():
    _entries, pubs = _edge_export()

    chapter, data, report = pubs["chapter2017"], pubs["data2022"], pubs["report2016"]
    # A garbled month: the date keeps only the year; the month is exported as written.
    assert (chapter.date_precision, chapter.extra_fields) == ("year", {"month": "Julyish"})
    assert chapter.pages == "12-"
    assert "month = {Julyish}" in chapter.bibtex_export
    # An unknown entry type is kept as given, its unknown fields verbatim.
    assert (data.entry_type, data.pub_type) == ("dataset", "other")
    assert data.extra_fields == {"version": "1.0.2", "file": ":data.zip:ZIP"}
    assert data.url == "https://zenodo.org/record/123_456"
    assert data.bibtex_export.startswith("@dataset{data2022,")
    # Too long for its column: not cut, kept among the extra fields.
    assert report.volume == ""
    assert report.extra_fields["volume"].startswith("This volume field is much longer")
    assert (report.doi, report.date_precision) == ("10.5555/tr.2016", "month")
    assert "doi = {doi:10.5555/tr.2016}" in report.bibtex_export
    assert "month" not in pubs["thesis2015"].bibtex_export
