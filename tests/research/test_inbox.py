"""The publication inbox: sync from ORCID and OpenAlex on recorded answers, decisions,
who sees what, and one paper one record across BibTeX, Hugo and sync."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from responses import matchers

from research import inbox
from research.bibtex_import import import_bibtex
from research.inbox import InboxItem, SyncRun
from research.models import Publication
from tests.admin_forms import admin_form_data
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory, UserFactory
from tests.recorded import CROSSREF, DATACITE, OPENALEX, ORCID

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shut_network")]
BINFIELD = "0000-0002-9341-7985"
AUTHOR = "A5023888391"
CHANGELIST = "/admin/research/inboxitem/"
MINI = Path(__file__).resolve().parents[1] / "importers" / "hugo_sites" / "sources-mini"
BINFIELD_DOIS = ["10.3233/isu-130714", "10.1038/npre.2009.2801", "10.1080/03615260801973992",
                 "10.1080/03615260801973414"]  # fmt: skip
NO_DOI = ["15536016", "15536017", "15536018", "15536019"]


def openalex_works(recorded, author=AUTHOR):
    query = {"filter": f"author.id:{author}", "per-page": "200", "cursor": "*"}
    recorded.add(f"{OPENALEX}works", "openalex/works-filter-openalex-ids-cursor.json",
                 match=[matchers.query_param_matcher(query)])  # fmt: skip


def binfield_answers(recorded, *, failing=1):
    """ORCID's works list; no agency has its DOIs (recorded 404 answers), ORCID has no
    more for the works without DOI (its recorded 404), except `failing` of them,
    whose request fails."""
    recorded.orcid_works(BINFIELD, "orcid/works-0000-0002-9341-7985.json")
    for doi in BINFIELD_DOIS:
        recorded.crossref_404(doi)
        recorded.datacite_404(doi)
        recorded.doi_org_404(doi)
    for put_code in NO_DOI[failing:]:
        recorded.add(f"{ORCID}{BINFIELD}/work/{put_code}",
                     "errors/orcid-404-person-invalid-orcid.json", 404)  # fmt: skip


@pytest.fixture
def farber(db):
    user = UserFactory(is_staff=True, username="farber")
    user.groups.add(Group.objects.get(name="Member"))
    return PersonFactory(first_name="Michael", last_name="Färber", slug="michael-farber",
                         openalex_id=AUTHOR, user=user)  # fmt: skip


@pytest.fixture
def binfield(db):
    return PersonFactory(first_name="Peter", last_name="Binfield", slug="binfield",
                         orcid=BINFIELD)  # fmt: skip


def test_person_orcid_is_validated_with_its_check_digit():
    person = PersonFactory.build(slug="x", orcid="0000-0002-9341-7986")
    with pytest.raises(ValidationError, match="check digit"):
        person.full_clean()
    person.orcid, person.openalex_id = "0000-0002-9341-7985", "W123"
    with pytest.raises(ValidationError, match="OpenAlex author id"):
        person.full_clean()
    person.openalex_id = "A5023888391"
    person.full_clean()


def test_openalex_sync_proposes_each_work_once(recorded, farber):
    openalex_works(recorded)

    run = inbox.sync_person(farber)

    assert (run.proposed, run.errors) == (2, "")
    items = {i.identity: i for i in InboxItem.objects.all()}
    assert set(items) == {"doi:10.1145/3383583.3398584", "doi:10.48550/arxiv.2007.14454"}
    trends = items["doi:10.1145/3383583.3398584"]
    assert trends.record["authors"] == ["Chifumi Nishioka", "Michael Färber"]
    assert (trends.year, trends.status, trends.match) == (2020, "pending", None)

    again = inbox.sync_person(farber)
    assert again.proposed == 0
    assert InboxItem.objects.count() == 2


def test_orcid_sync_reads_works_with_and_without_doi_and_reports_the_failing_one(
    recorded, binfield
):
    binfield_answers(recorded)

    run = inbox.sync_person(binfield)

    assert run.proposed == 7  # 4 with a DOI, 3 of the 4 without
    assert run.errors.startswith("PLoS ONE: Background, future development, and article-level"
                                 " metrics: ORCID: could not be reached")  # fmt: skip
    no_doi = InboxItem.objects.get(identity="orcid:15536017")
    assert no_doi.record["authors"] == ["Peter Binfield"]
    assert no_doi.record["date_precision"] == "year"
    assert InboxItem.objects.get(identity="doi:10.1038/npre.2009.2801").record["date"] == (
        "2009-01-21")  # fmt: skip

    assert inbox.sync_person(binfield).proposed == 0  # the failing one is asked again


def test_a_failing_orcid_is_shown_in_the_inbox_never_a_500(recorded, binfield, staff_client,
                                                           monkeypatch):  # fmt: skip
    monkeypatch.setattr("research.sources.http.BACKOFF", 0)
    for _ in range(4):
        recorded.add(f"{ORCID}{BINFIELD}/works", "errors/orcid-500-search-bad-start.json", 500)

    out = io.StringIO()
    call_command("sync_publications", person="binfield", stdout=out)

    assert "binfield: 0 proposed; failed: ORCID: answered 500" in out.getvalue()
    page = staff_client.get(CHANGELIST)
    assert page.status_code == 200
    assert "ORCID: answered 500" in page.content.decode()
    assert SyncRun.objects.get().proposed == 0


def test_accept_creates_the_publication_with_the_member(recorded, farber):
    openalex_works(recorded)
    inbox.sync_person(farber)
    item = InboxItem.objects.get(identity="doi:10.1145/3383583.3398584")

    publication = inbox.accept(item)

    assert publication.doi == "10.1145/3383583.3398584"
    assert [(a.name, a.person) for a in publication.authorships.all()] == [
        ("Chifumi Nishioka", None), ("Michael Färber", farber)]  # fmt: skip
    item.refresh_from_db()
    assert (item.status, item.publication) == ("accepted", publication)


def test_accept_links_the_member_to_the_publication_already_here(recorded, farber):
    here = PublicationFactory(doi="10.1145/3383583.3398584", title="Trends")
    AuthorshipFactory(publication=here, name="Michael Färber", order=1)
    openalex_works(recorded)
    inbox.sync_person(farber)
    item = InboxItem.objects.get(identity="doi:10.1145/3383583.3398584")
    assert item.match == here

    assert inbox.accept(item) == here

    assert Publication.objects.count() == 1
    assert [a.person for a in here.authorships.all()] == [farber]


def test_merge_fills_what_the_chosen_publication_lacks(recorded, farber):
    chosen = PublicationFactory(title="Trends of citations (draft title)", venue="", doi="")
    openalex_works(recorded)
    inbox.sync_person(farber)
    item = InboxItem.objects.get(identity="doi:10.1145/3383583.3398584")

    inbox.merge(item, chosen)

    chosen.refresh_from_db()
    assert chosen.title == "Trends of citations (draft title)"  # kept
    assert chosen.doi == "10.1145/3383583.3398584"
    assert chosen.authorships.get().person == farber
    assert InboxItem.objects.get(pk=item.pk).status == "merged"


def test_rejected_is_remembered(recorded, farber):
    openalex_works(recorded)
    inbox.sync_person(farber)
    for item in InboxItem.objects.all():
        inbox.reject(item)

    assert inbox.sync_person(farber).proposed == 0
    assert Publication.objects.count() == 0


def test_members_see_and_decide_their_own_items_editors_all(recorded, farber, binfield,
                                                            staff_client):  # fmt: skip
    openalex_works(recorded)
    binfield_answers(recorded)
    inbox.sync_person(farber)
    inbox.sync_person(binfield)
    client = Client()
    client.force_login(farber.user)

    mine = client.get(CHANGELIST + "?status=pending")
    everyone = staff_client.get(CHANGELIST + "?status=pending")

    assert mine.context["cl"].result_count == 2
    assert everyone.context["cl"].result_count == 9
    other = InboxItem.objects.filter(person=binfield).first()
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code in (302, 403, 404)
    own = InboxItem.objects.get(identity="doi:10.1145/3383583.3398584")
    url = f"{CHANGELIST}{own.pk}/change/"
    data = admin_form_data(client.get(url))
    response = client.post(url, {**data, "_accept": "1"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == "accepted"
    assert own.publication.authorships.filter(person=farber).exists()
    dashboard = client.get("/admin/")
    assert dashboard.context["inbox_count"] == 1


def test_the_task_runs_the_sync(recorded, farber, settings):
    openalex_works(recorded)
    inbox.sync_publications.call(farber.pk)
    assert InboxItem.objects.filter(person=farber).count() == 2


def test_one_paper_one_record_across_bibtex_hugo_and_sync(recorded, farber):
    """The same two papers by BibTeX, by a Hugo site, then by sync: still two records."""
    import_bibtex(
        "@inproceedings{trends, title = {Trends of Publications' Citations and Altmetrics "
        'Based on Open Access Types}, author = {Nishioka, Chifumi and F{\\"a}rber, Michael},'
        " booktitle = {JCDL}, year = 2020, doi = {10.1145/3383583.3398584}}\n"
        "@misc{prominence, title = {Measuring Prominence of Scientific Work in Online News "
        "as a Proxy for Impact}, author = {Ravenscroft, James}, year = 2020,"
        " eprint = {2007.14454}, archivePrefix = {arXiv}}"
    )
    assert Publication.objects.count() == 2

    call_command("import_hugo", str(MINI), stdout=io.StringIO())
    assert Publication.objects.count() == 2

    openalex_works(recorded)
    run = inbox.sync_person(farber)
    items = list(InboxItem.objects.order_by("identity"))
    assert run.proposed == 1  # Färber is already the author of "Trends" (Hugo linked him)
    assert items[0].identity == "doi:10.48550/arxiv.2007.14454"
    assert items[0].match == Publication.objects.get(eprint="2007.14454")
    inbox.accept(items[0])

    assert Publication.objects.count() == 2
    assert sorted(Publication.objects.values_list("doi", flat=True)) == [
        "", "10.1145/3383583.3398584"]  # fmt: skip


def test_unused_urls_are_the_documented_ones():
    assert CROSSREF.startswith("https://api.crossref.org/") and DATACITE.endswith("/dois/")


@pytest.mark.parametrize("n", [1, 3])
def test_inbox_list_query_count_is_fixed(staff_client, django_assert_num_queries, n):
    person = PersonFactory()
    match = PublicationFactory()
    for i in range(n):
        InboxItem.objects.create(person=person, identity=f"doi:10.1/{i}", source="orcid",
                                 title=f"Work {i}", match=match)  # fmt: skip
    SyncRun.objects.create(person=person, errors="ORCID: answered 500")
    staff_client.get(CHANGELIST)
    # session, user, permissions, counts and the rows (person and match joined), the
    # person filter's choices, the failed runs (site settings from the shared cache):
    # not one per row
    with django_assert_num_queries(11):
        page = staff_client.get(CHANGELIST)
    assert page.context["cl"].result_count == n
    assert "ORCID: answered 500" in page.content.decode()


def test_accept_after_the_paper_arrived_another_way_links_without_overwriting(recorded, farber):
    openalex_works(recorded)
    inbox.sync_person(farber)
    item = InboxItem.objects.get(identity="doi:10.1145/3383583.3398584")
    arrived = PublicationFactory(doi="10.1145/3383583.3398584", title="Trends (as edited)")

    assert inbox.accept(item) == arrived

    arrived.refresh_from_db()
    assert arrived.title == "Trends (as edited)"
    assert [a.person for a in arrived.authorships.all()] == [farber]
    assert Publication.objects.count() == 1


def test_sync_now_queues_the_members_own_sync(farber, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    client = Client()
    client.force_login(farber.user)

    response = client.post(CHANGELIST + "sync/", follow=True)

    assert "Sync queued" in response.content.decode()
    results = default_task_backend.results
    assert [r.args for r in results] == [[farber.pk]]
    assert client.get(CHANGELIST + "sync/").status_code == 403
