"""Add by DOI / arXiv id in the admin, on recorded answers; preprints joined to papers."""

import datetime
import json

import pytest

from research import identifiers
from research.models import Publication
from research.sources import arxiv, crossref
from tests.factories import PersonFactory, PublicationFactory
from tests.recorded import body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shut_network")]
URL = "/admin/research/publication/add-by-identifier/"
PASTE = """10.1371/journal.pone.0033693
https://arxiv.org/abs/1605.08386v1
https://doi.org/10.1371/notarealdoi
hello
"""


@pytest.fixture
def answers(recorded):
    recorded.crossref("10.1371/journal.pone.0033693")
    recorded.crossref_404("10.1371/notarealdoi")
    recorded.datacite_404("10.1371/notarealdoi")
    recorded.doi_org_404("10.1371/notarealdoi")
    recorded.arxiv("1605.08386")
    return recorded


def test_preview_lists_new_and_errors_and_saves_nothing(staff_client, answers):
    PersonFactory(first_name="Shankar", last_name="Sadasivan", slug="shankar")

    response = staff_client.post(URL, {"identifiers": PASTE, "preview": "1"})

    html = response.content.decode()
    assert "2 new, 0 updated, 0 unchanged, 2 with errors." in html
    assert "<strong>Shankar Sadasivan</strong>" in html
    assert "Brooks B. Pond" in html and "<strong>Brooks B. Pond</strong>" not in html
    assert "DOI: no registration agency knows 10.1371/notarealdoi" in html
    assert "&#x27;hello&#x27; is neither a DOI nor an arXiv id" in html
    assert Publication.objects.count() == 0


def test_confirm_adds_every_field_and_a_second_paste_finds_them_here(staff_client, answers):
    preview = staff_client.post(URL, {"identifiers": PASTE, "preview": "1"})
    token = preview.context["token"]

    done = staff_client.post(URL, {"token": token, "confirm": "1"})

    assert "2 new, 0 updated, 0 unchanged, 2 with errors." in done.content.decode()
    paper = Publication.objects.get(doi="10.1371/journal.pone.0033693")
    assert (paper.volume, paper.number, paper.pages, paper.issn) == ("7", "3", "e33693",
                                                                      "1932-6203")  # fmt: skip
    assert paper.publisher == "Public Library of Science (PLoS)"
    assert (paper.date, paper.date_precision) == (datetime.date(2012, 3, 21), "day")
    assert paper.venue_short == "PLoS ONE"
    assert [a.name for a in paper.authorships.all()][:2] == ["Shankar Sadasivan", "Brooks B. Pond"]
    preprint = Publication.objects.get(eprint="1605.08386")
    assert (preprint.pub_type, preprint.archive_prefix) == ("preprint", "arXiv")
    assert preprint.url_pdf == "https://arxiv.org/pdf/1605.08386v1.pdf"

    again = staff_client.post(URL, {"identifiers": PASTE, "preview": "1"})
    assert "0 new, 0 updated, 2 unchanged, 2 with errors." in again.content.decode()
    assert Publication.objects.count() == 2


def test_an_expired_preview_asks_to_paste_again(staff_client, answers):
    response = staff_client.post(URL, {"token": "gone", "confirm": "1"}, follow=True)
    assert "This preview has expired" in response.content.decode()
    assert Publication.objects.count() == 0


def test_members_may_not_add_by_identifier(client, answers):
    from tests.factories import UserFactory

    member = UserFactory(is_staff=True)
    client.force_login(member)
    assert client.get(URL).status_code in (302, 403)


def test_an_existing_doi_or_arxiv_id_or_title_and_year_is_never_a_second_record(answers):
    doi_match = PublicationFactory(doi="10.1371/JOURNAL.PONE.0033693", title="Other words")
    records, errors = identifiers.fetch("1605.08386")
    title_match = PublicationFactory(title=records[0].title.upper(), date=records[0].date)

    records, errors = identifiers.fetch("10.1371/journal.pone.0033693 1605.08386")
    entries = identifiers.plan(records, errors)

    assert [e.publication for e in entries] == [doi_match, title_match]
    assert all(e.action == "update" for e in entries)


def test_the_published_version_comes_first_and_the_preprint_is_its_arxiv_button():
    feed = arxiv.parse_feed(body("arxiv/query-search-testing-max10.atom.xml"))
    preprint_record = next(r for r in feed if r.bib["eprint"] == "2202.12139")
    published = PublicationFactory(doi="10.1109/icstw55395.2022.00035", title="Published",
                                   date=datetime.date(2022, 4, 1), status="published")  # fmt: skip

    entries = identifiers.plan([preprint_record])
    identifiers.apply(entries)

    preprint = Publication.objects.get(eprint="2202.12139", pub_type="preprint")
    assert (preprint.version_of, preprint.version_kind) == (published, "preprint")
    published.refresh_from_db()
    assert published.arxiv_id == "2202.12139"
    labels = [b.label for b in published.link_buttons()]
    assert "arXiv" in labels
    listed = list(Publication.objects.published().for_listing())
    assert published in listed and preprint not in listed
    again = identifiers.plan([preprint_record])
    assert [(e.action, e.publication) for e in again] == [("unchanged", preprint)]


def test_crossref_has_preprint_joins_the_preprint_read_later():
    items = json.loads(body("crossref/works-query-ecology-author-boettiger.json"))["message"]
    by_doi = {i["DOI"]: i for i in items["items"]}
    journal = crossref.to_record(by_doi["10.1002/ece3.2314"])
    biorxiv = crossref.to_record(by_doi["10.1101/014852"])

    identifiers.apply(identifiers.plan([biorxiv]))
    identifiers.apply(identifiers.plan([journal]))

    preprint = Publication.objects.get(doi="10.1101/014852")
    assert preprint.version_of == Publication.objects.get(doi="10.1002/ece3.2314")
    assert preprint.version_kind == "preprint"


def test_a_paste_over_the_limit_reports_the_rest(recorded, monkeypatch):
    monkeypatch.setattr(identifiers, "MAX_IDENTIFIERS", 2)
    recorded.crossref("10.1371/journal.pone.0033693")
    recorded.crossref("10.1145/3448016.3452841")

    records, errors = identifiers.fetch(
        "10.1371/journal.pone.0033693 10.1145/3448016.3452841 10.7554/elife.01567"
    )

    assert [r.doi for r in records] == ["10.1371/journal.pone.0033693", "10.1145/3448016.3452841"]
    assert [(e.record.key, e.error) for e in errors] == [
        ("10.7554/elife.01567", "more than 2 at once: paste it again")]  # fmt: skip


THREE = "10.1371/journal.pone.0033693 10.1145/3448016.3452841 10.1109/icdcsw.2003.1203662"


@pytest.mark.parametrize("paste", [THREE.split()[0], THREE])
def test_preview_query_count_is_fixed(staff_client, recorded, django_assert_num_queries, paste):
    for doi in THREE.split():
        recorded.crossref(doi)
    PublicationFactory.create_batch(5)
    staff_client.get(URL)
    # session, user, roles, the publications with their authors (2), the people; the
    # site settings come from the shared cache (warmed by the GET): the same for 1 and
    # for 3 identifiers
    with django_assert_num_queries(6):
        response = staff_client.post(URL, {"identifiers": paste, "preview": "1"})
    assert response.context["counts"]["new"] == len(paste.split())
