"""Bibliographic fields on the publication page, in its citation and in Scholar tags."""

import re

import pytest

from research.bibtex_import import import_bibtex
from research.models import LinkButton, Publication

pytestmark = pytest.mark.django_db

ARTICLE = """@article{vaswani2024,
  title = {Attention Is Still All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  journal = {Journal of Machine Learning Research},
  volume = {25}, number = {3}, pages = {101--142},
  publisher = {JMLR.org},
  year = {2024},
  eprint = {2401.01234}, archivePrefix = {arXiv}, primaryClass = {cs.LG},
  url = {https://jmlr.org/papers/v25/vaswani24a.html},
}
"""
YEAR_ONLY = """@inproceedings{yearonly2025,
  title = {Only a Year}, author = {Doe, Jane}, booktitle = {Some Conference}, year = 2025,
}
"""


def _imported(text):
    import_bibtex(text)
    publication = Publication.objects.get()
    publication.status = "published"
    publication.save()
    return publication


def _meta(html):
    return re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', html)


def test_page_shows_the_bibliographic_fields_and_link_buttons(client):
    publication = _imported(ARTICLE)

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "<dt>Volume</dt><dd>25</dd>" in html
    assert "<dt>Issue</dt><dd>3</dd>" in html
    assert "<dt>Pages</dt><dd>101\u2013142</dd>" in html
    assert "<dt>Publisher</dt><dd>JMLR.org</dd>" in html
    assert re.search(r'<a class="btn" href="https://arxiv.org/abs/2401.01234">.*?arXiv</a>', html)
    assert re.search(
        r'<a class="btn" href="https://jmlr.org/papers/v25/vaswani24a.html">.*?Web page</a>', html
    )
    assert publication.link_buttons() == [
        LinkButton("arXiv", "https://arxiv.org/abs/2401.01234", "arxiv"),
        LinkButton("Web page", "https://jmlr.org/papers/v25/vaswani24a.html", "website"),
    ]


def test_scholar_tags_carry_volume_issue_pages_publisher_and_arxiv_id(client):
    publication = _imported(ARTICLE)

    tags = _meta(client.get(publication.get_absolute_url()).content.decode())

    assert ("citation_publication_date", "2024") in tags
    expected = [
        ("citation_journal_title", "Journal of Machine Learning Research"),
        ("citation_volume", "25"), ("citation_issue", "3"), ("citation_firstpage", "101"),
        ("citation_lastpage", "142"), ("citation_publisher", "JMLR.org"),
        ("citation_arxiv_id", "2401.01234"),
    ]  # fmt: skip
    assert [tag for tag in tags if tag in expected] == expected


def test_citation_gives_volume_issue_pages(client):
    publication = _imported(ARTICLE)

    assert "<i>Journal of Machine Learning Research</i>, <i>25</i>(3), 101–142." in (
        publication.citation_html
    )


def test_year_only_entry_never_shows_or_exports_a_month(client):
    publication = _imported(YEAR_ONLY)

    html = client.get(publication.get_absolute_url()).content.decode()

    assert '<time datetime="2025">2025</time>' in html
    assert "January" not in html
    assert ("citation_publication_date", "2025") in _meta(html)
    assert '"datePublished": "2025"' in html
    assert "month" not in publication.bibtex_export and "(2025)" in publication.citation_html


def test_month_precision_shows_the_month_but_no_day(client):
    publication = _imported(YEAR_ONLY.replace("year = 2025", "year = 2025, month = jul"))

    html = client.get(publication.get_absolute_url()).content.decode()

    assert '<time datetime="2025-07">July 2025</time>' in html
    assert ("citation_publication_date", "2025/07") in _meta(html)
