"""BibTeX parsing on a real-world corpus and hand-made edge cases; writing it back."""

import datetime
from pathlib import Path

import pytest

from research.bibtex import bibtex_name, entry_for, normalise_name, parse_bibtex

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "fixtures" / "hugo-sites"
EDGE = (HERE / "bib" / "edge_cases.bib").read_text()


def by_key(records):
    return {r.key: r for r in records}


def test_edge_cases_decode_accents_braces_and_macros():
    records, _errors = parse_bibtex(EDGE)
    pena = by_key(records)["pena2023accents"]

    assert pena.title == "GANs Are Not Robust: An Über-Study of Señor Attacks"
    assert pena.authors == ["José Peña", "Kurt Müller", "Øren Østergaard".replace("Øren", "Søren"),
                            "et al."]  # fmt: skip
    assert pena.venue == "International Conference on Machine Learning (PMLR)"
    assert pena.date == datetime.date(2023, 7, 1)
    assert pena.pub_type == "paper-conference"
    assert pena.doi == "10.5555/ICML.2023.1"
    assert pena.keywords == ["robustness", "GANs"]
    assert pena.line == 7


def test_edge_cases_non_ascii_crossref_preprint_thesis():
    records = by_key(parse_bibtex(EDGE)[0])

    unicode = records["unicode2022"]
    assert unicode.title == "Ünïcödé Títlés and “Quotes” — Straight from UTF-8"
    assert unicode.authors == ["Zoë Ångström", "Łukasz Żółć"]
    assert unicode.pub_type == "article-journal"
    assert unicode.date == datetime.date(2022, 1, 1)
    assert "50% better results & fewer" in unicode.abstract

    child = records["child2021crossref"]
    assert child.venue == "Advances in Neural Information Processing Systems 34"
    assert child.date.year == 2021
    assert child.authors == ["Jane Doe", "R. Roe"]
    assert "neurips2021" not in records  # a crossref target is not a publication

    preprint = records["preprint2024"]
    assert preprint.pub_type == "preprint"
    assert preprint.url == "https://arxiv.org/pdf/2401.00001.pdf"

    thesis = records["thesis2019"]
    assert (thesis.pub_type, thesis.venue) == ("thesis", "ETH Zürich")


def test_edge_cases_report_each_broken_entry_with_its_line():
    records, errors = parse_bibtex(EDGE)

    messages = sorted(str(e) for e in errors)
    assert messages == [
        "line 50, entry 'pena2023accents': duplicate key 'pena2023accents': only the first "
        "entry with it is used",
        "line 55, entry 'broken2020': malformed entry (check braces, quotes and commas)",
    ]
    assert len(records) == 6
    assert by_key(records)["pena2023accents"].title.startswith("GANs")
    # No year at all: an undated work ("n.d."), not an error, and no date made up.
    undated = by_key(records)["noyear"]
    assert (undated.date, undated.date_precision, undated.title) == (
        None, "none", "An Entry Without a Year")  # fmt: skip


def test_garbage_input_gives_errors_not_exceptions():
    records, errors = parse_bibtex("@article{x, title={T}, year=2020\n@@@ {{{ nonsense")
    assert records == []
    assert errors and "malformed" in errors[0].message


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/fixtures is not beside the repo")
def test_real_world_cite_bib_corpus():
    files = sorted(SHARED.glob("*/content/publication/*/cite.bib"))
    assert len(files) >= 20
    records, errors = [], []
    for path in files:
        found, failed = parse_bibtex(path.read_text())
        records += found
        errors += [(path.parent.name, str(e)) for e in failed]

    assert errors == []  # barranco2014c has no year: an undated work, not an error
    assert (by_key(records)["barrancocontour"].date_precision) == "none"
    keyed = by_key(records)
    granados = keyed["granados2014chip"]
    assert granados.authors == ["Sara Granados", "Francisco Barranco", "Sonia Mota",
                                "Javier Díaz", "Eduardo Ros"]  # fmt: skip
    assert granados.venue == "Journal of real-time image processing"
    assert (granados.pub_type, granados.date.year) == ("article-journal", 2014)
    assert all(r.title and r.authors for r in records)
    assert "Fermüller" in " ".join(keyed["barranco2021joint"].authors)


def test_names_normalise_and_convert():
    assert normalise_name("Peña, José") == normalise_name("pena jose")
    assert bibtex_name("Jane van Doe") == "van Doe, Jane"
    assert bibtex_name("Doe, Jane") == "Doe, Jane"
    assert bibtex_name("et al.") == "others"


def test_written_entry_parses_back_to_the_same_fields():
    text = entry_for(
        "k1",
        "article-journal",
        "R&D of {BERT}: 50% better_ever",
        datetime.date(2021, 3, 1),
        "Journal of ML",
        ["José Peña", "Jane van Doe"],
        doi="10.1/x",
        url="https://e.org/p.pdf",
        abstract="Cost $5 & more.",
    )

    (record,), errors = parse_bibtex(text)

    assert errors == []
    assert text.startswith("@article{k1,")
    assert record.title == "R&D of BERT: 50% better_ever"
    assert record.authors == ["José Peña", "Jane van Doe"]
    assert (record.venue, record.date, record.doi) == ("Journal of ML", datetime.date(2021, 3, 1),
                                                       "10.1/x")  # fmt: skip
    assert record.abstract == "Cost $5 & more."


def test_impossible_years_are_errors_and_forthcoming_years_are_read():
    text = (
        "@article{zero, title={T}, author={A, B}, year={0000}}\n"
        "@article{press, title={Accepted Work}, author={A, B}, year={in press}}\n"
    )

    records, errors = parse_bibtex(text)

    assert [str(e) for e in errors] == ["line 1, entry 'zero': the entry has no valid year"]
    (press,) = records
    assert press.date.year == datetime.date.today().year
    assert press.warnings == [f"year 'in press' read as {press.date.year}"]
