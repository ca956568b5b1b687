"""Undated works (a BibTeX entry with no year): imported with no date made up, listed
as APA's "n.d.", last in lists, exported without year or month."""

import datetime
import re
from xml.etree.ElementTree import fromstring  # noqa: S405 - our own feed

import pytest

from research.bibtex_import import import_bibtex
from research.import_jobs import BibtexImport
from research.models import Publication
from tests.admin_forms import admin_form_data, assert_saved
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db
URL = "/admin/research/publication/import-bibtex/"
UNDATED = r"""@article{barrancocontour,
  title={Contour motion estimation for address-event data},
  author={Barranco, Francisco and Ferm{\"u}ller, Cornelia and Aloimonos, Yiannis}
}"""


@pytest.fixture
def undated(staff_client):
    """The fixture's undated entry, imported through the admin (preview, confirm)."""
    PersonFactory(first_name="Cornelia", last_name="Fermüller", slug="cornelia")
    PublicationFactory(slug="dated", title="A Dated Paper", date=datetime.date(2020, 3, 1))
    staff_client.post(URL, {"bibtex": UNDATED, "preview": "1"})
    job = BibtexImport.objects.get()
    assert job.counts == {"new": 1, "update": 0, "unchanged": 0, "error": 0}
    staff_client.post(f"{URL}{job.pk}/", {"confirm": "1"})
    return Publication.objects.get(slug="barrancocontour")


def test_admin_import_keeps_title_and_authors_and_invents_no_date(undated):
    assert (undated.date, undated.date_precision) == (None, "none")
    assert undated.title == "Contour motion estimation for address-event data"
    assert [a.display_name for a in undated.authorships.order_by("order")] == [
        "Francisco Barranco", "Cornelia Fermüller", "Yiannis Aloimonos"]  # fmt: skip
    assert "(n.d.)" in undated.citation_html
    assert '<strong class="member">Fermüller, C.</strong>' in undated.citation_html


def test_export_has_no_year_or_month_and_imports_back_the_same(client, undated):
    bib = client.get(f"/publications/{undated.slug}.bib").content.decode()
    assert "title = {{Contour motion estimation for address-event data}}" in bib
    assert not re.search(r"^\s*(year|month|date)\s*=", bib, re.M)

    entries, _counts = import_bibtex(bib)  # the export reads back as the same work
    assert [(e.action, e.changes) for e in entries] == [("update", ["bibtex"])]  # raw text only
    again = Publication.objects.get(slug=undated.slug)
    assert (again.date, again.date_precision, again.title) == (None, "none", undated.title)

    all_bib = client.get("/publications.bib").content.decode()
    assert all_bib.index("@article{barrancocontour") > all_bib.index("dated")  # undated last


def test_pages_show_nd_and_no_date_anywhere(client, undated):
    page = client.get(undated.get_absolute_url()).content.decode()
    assert "<dt>Date</dt><dd>n.d.</dd>" in page
    assert "citation_publication_date" not in page and "datePublished" not in page

    listing = client.get("/publications/").content.decode()
    assert listing.index("A Dated Paper") < listing.index("Contour motion estimation")
    assert "n.d." in listing

    facets = client.get("/publications/?year=2020").content.decode()
    assert "A Dated Paper" in facets and "Contour motion" not in facets

    rss = fromstring(client.get("/publications/feed/").content)  # noqa: S314
    items = {i.findtext("title"): i.findtext("pubDate") for i in rss.iter("item")}
    assert items["Contour motion estimation for address-event data"] is None
    assert items["A Dated Paper"]
    atom = client.get("/publications/atom/")
    assert atom.status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/search/?q=contour").status_code == 200


def test_admin_saves_an_undated_work_only_with_the_no_date_precision(staff_client, client):
    publication = PublicationFactory(slug="p", title="Was Dated")
    url = f"/admin/research/publication/{publication.pk}/change/"
    data = admin_form_data(staff_client.get(url))

    data["date"] = ""
    refused = staff_client.post(url, data)
    assert refused.status_code == 200 and "choose &#x27;No date&#x27;" in refused.content.decode()

    data["date_precision"] = "none"
    assert_saved(staff_client.post(url, data))
    publication.refresh_from_db()
    assert (publication.date, publication.year_label) == (None, "n.d.")
    assert "(n.d.)" in publication.citation_html  # the one save path refreshed it
    assert "n.d." in client.get(publication.get_absolute_url()).content.decode()

    data["date"], data["date_precision"] = "", "year"
    assert staff_client.post(url, data).status_code == 200  # still refused
    data["date"], data["date_precision"] = "2021-01-01", "none"
    assert staff_client.post(url, data).status_code == 200  # a date with "no date"
