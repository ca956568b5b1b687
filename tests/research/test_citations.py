"""`research.citations.refresh`: each save of a publication with its authors formats its
citation exactly once (admin, BibTeX import, Hugo import); a person's edit re-formats
their papers only when what citations show of them changes; members are linked."""

import collections
import datetime
import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from airml.models import Status
from people.models import Person
from research import bibtex_import, citations
from research.models import Authorship, Publication
from tests.admin_forms import add_inline_rows, admin_form_data, assert_saved
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db
MINI = Path(__file__).resolve().parents[1] / "importers" / "hugo_sites" / "blox-mini"
# A person's change form posted unchanged but for the bio: the admin's own work (session,
# permissions, the form and its three inlines, history) plus the person's two (below).
ADMIN_PERSON_SAVE_QUERIES = 26
# PostgreSQL also writes the person's search document (search.registry), in one UPDATE.
SEARCH_DOCUMENT = 1 if connection.vendor == "postgresql" else 0


@pytest.fixture
def formatted(monkeypatch):
    """How often each publication's citation was formatted (citeproc), by pk."""
    counts = collections.Counter()
    real = citations.citation_html

    def counting(publication, authorships):
        counts[publication.pk] += 1
        return real(publication, authorships)

    monkeypatch.setattr(citations, "citation_html", counting)
    return counts


def papers_of(person, n):
    """`n` papers by `person` (and an outsider), written in bulk: nothing formatted."""
    papers = Publication.objects.bulk_create(
        Publication(title=f"Paper {i}", slug=f"bulk-{i}", date=datetime.date(2020, 1, 1))
        for i in range(n)
    )
    Authorship.objects.bulk_create(
        [Authorship(publication=p, person=person, order=0) for p in papers]
        + [Authorship(publication=p, name="Olga Outsider", order=1) for p in papers]
    )
    return papers


# ---- exactly once per save ----------------------------------------------------------


def test_admin_add_of_a_publication_with_its_authors_formats_it_once(staff_client, formatted):
    grace = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    data = admin_form_data(staff_client.get("/admin/research/publication/add/"))
    data.update(title="Once Only", slug="once-only", date="2024-05-01", date_precision="year",
                pub_type="paper-conference", venue="NeurIPS", status="published")  # fmt: skip
    prefix = "authorships"
    add_inline_rows(data, prefix, [
        {"person": grace.pk, "name": "", "order": 0},
        {"name": "Olga Outsider", "order": 1},
        {"name": "Ext Two", "order": 2},
    ])  # fmt: skip

    assert_saved(staff_client.post("/admin/research/publication/add/", data))

    publication = Publication.objects.get(slug="once-only")
    assert formatted == {publication.pk: 1}
    assert publication.citation_html.startswith(
        '<a href="/people/grace/" rel="noopener noreferrer"><strong class="member">Hopper, G.'
        "</strong></a>, Outsider, O., &amp; Two, E. (2024)."
    )
    assert "author = {Hopper, Grace and Outsider, Olga and Two, Ext}" in (
        publication.bibtex_export)  # fmt: skip


def test_admin_change_of_the_authors_formats_once(staff_client, formatted):
    publication = PublicationFactory(slug="edited")
    for name in ["Ann One", "Bob Two", "Cy Three", "Di Four"]:
        AuthorshipFactory(publication=publication, name=name)
    formatted.clear()
    url = f"/admin/research/publication/{publication.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["authorships-1-name"] = "Bea Two"
    data["authorships-3-DELETE"] = "on"

    assert_saved(staff_client.post(url, data))

    publication.refresh_from_db()
    assert formatted == {publication.pk: 1}
    assert publication.citation_html.startswith("One, A., Two, B., &amp; Three, C. (2024).")


FOUR = """@article{{four2024,
  title = {{{title}}},
  author = {{Hopper, Grace and Outsider, Olga and Two, Ext and Three, Ext}},
  journal = {{Journal of Things}}, year = {{2024}}
}}
@article{{other2023, title = {{Another}}, author = {{Solo, Sam}}, journal = {{J}}, year = {{2023}}}}
"""


def test_reimporting_one_changed_four_author_entry_formats_it_once(formatted):
    PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    bibtex_import.import_bibtex(FOUR.format(title="First Title"))
    assert sorted(formatted.values()) == [1, 1]  # each new entry once
    formatted.clear()

    entries, counts = bibtex_import.import_bibtex(
        FOUR.format(title="Second Title").replace("Three, Ext", "Four, Ext")
    )

    four = Publication.objects.get(title="Second Title")
    assert counts == {"new": 0, "update": 1, "unchanged": 1, "error": 0}
    assert formatted == {four.pk: 1}
    assert "Four, E. (2024). " in four.citation_html
    assert four.authorships.count() == 4


def test_a_deferred_import_formats_each_citation_once_in_its_citing_step(formatted):
    text = "\n".join(
        f"@misc{{k{i}, title = {{T{i}}}, author = {{A, B and C, D}}, year = {{2020}}}}"
        for i in range(5)
    )
    bibtex_import.import_bibtex(text, defer_citations=True)

    pks = set(Publication.objects.values_list("pk", flat=True))
    assert len(pks) == 5 and dict(formatted) == dict.fromkeys(pks, 1)
    assert not any(citations.is_plain_citation(p.citation_html) for p in Publication.objects.all())


def test_the_hugo_import_formats_each_publication_once(tmp_path, formatted):
    site = tmp_path / "site"
    shutil.copytree(MINI, site)

    call_command("import_hugo", str(site), stdout=io.StringIO())

    pks = set(Publication.objects.values_list("pk", flat=True))
    assert pks and dict(formatted) == dict.fromkeys(pks, 1)
    paper = Publication.objects.get(slug__contains="robust")
    assert re.search(r'<a href="/people/jane-doe/"[^>]*><strong class="member">Doe, J\.',
                     paper.citation_html)  # fmt: skip


# ---- a person's save ----------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 100])
def test_a_bio_only_edit_runs_the_same_few_queries_however_many_papers(
    n, formatted, django_assert_num_queries
):
    person = PersonFactory()
    papers_of(person, n)
    person = Person.objects.get(pk=person.pk)
    person.bio = "A *new* biography."

    # The cited fields read back (1), the UPDATE (1): no paper is read or formatted.
    with django_assert_num_queries(2 + SEARCH_DOCUMENT):
        person.save()

    assert not formatted


@pytest.mark.parametrize("n", [1, 100])
def test_a_bio_only_edit_in_the_admin_costs_the_same_with_1_or_100_papers(
    n, staff_client, formatted, django_assert_num_queries
):
    person = PersonFactory()
    papers_of(person, n)
    url = f"/admin/people/person/{person.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["bio"] = "A *new* biography."

    with django_assert_num_queries(ADMIN_PERSON_SAVE_QUERIES + SEARCH_DOCUMENT):
        assert_saved(staff_client.post(url, data))

    assert not formatted
    assert Person.objects.get(pk=person.pk).bio == "A *new* biography."


@pytest.mark.parametrize("n", [3, 30])
def test_a_name_change_reformats_exactly_their_papers_in_batched_queries(
    n, formatted, django_assert_num_queries
):
    person = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    theirs = papers_of(person, n)
    other = PublicationFactory(slug="not-theirs")
    AuthorshipFactory(publication=other, name="Someone Else")
    formatted.clear()
    person = Person.objects.get(pk=person.pk)
    person.last_name = "Hopper-Murray"

    # Cited fields read (1), UPDATE (1), their papers (1), their authors (1), one UPDATE.
    with django_assert_num_queries(5 + SEARCH_DOCUMENT):
        person.save()

    assert dict(formatted) == {p.pk: 1 for p in theirs}
    for paper in Publication.objects.filter(pk__in=[p.pk for p in theirs]):
        assert '<strong class="member">Hopper-Murray, G.</strong>' in paper.citation_html
        assert "author = {Hopper-Murray, Grace and Outsider, Olga}" in paper.bibtex_export
    assert "Hopper-Murray" not in Publication.objects.get(pk=other.pk).citation_html


# ---- members linked -----------------------------------------------------------------


@pytest.fixture
def cited(db):
    grace = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    draft = PersonFactory(first_name="Dora", last_name="Draft", slug="dora", status=Status.DRAFT)
    paper = PublicationFactory(slug="linked", title="Linked Authors")
    for person_or_name in [grace, "Olga Outsider", draft]:
        if isinstance(person_or_name, str):
            AuthorshipFactory(publication=paper, name=person_or_name)
        else:
            AuthorshipFactory(publication=paper, person=person_or_name, name="")
    return {"grace": grace, "dora": draft, "paper": paper}


def authors_line(html):
    return re.search(r'<p class="pub-authors">(.*?)</p>', html, flags=re.S).group(1)


def test_the_publication_list_links_members_and_not_others(client, cited):
    authors = authors_line(client.get("/publications/").content.decode())

    assert re.search(r'<a href="/people/grace/"[^>]*><strong>Hopper, G\.</strong></a>', authors)
    assert "Outsider, O." in authors and not re.search(r"<a[^>]*>[^<]*Outsider", authors)
    # A member whose profile is a draft is bold but not linked: the link would be a 404.
    assert "<strong>Draft, D.</strong>" in authors and "/people/dora/" not in authors
    assert authors.count("<a ") == 1


def test_a_slug_change_relinks_their_papers_and_the_old_link_redirects(
    staff_client, client, cited, formatted
):
    grace = cited["grace"]
    url = f"/admin/people/person/{grace.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["slug"] = "grace-hopper"

    assert_saved(staff_client.post(url, data))

    assert formatted == {cited["paper"].pk: 1}
    authors = authors_line(client.get("/publications/").content.decode())
    assert 'href="/people/grace-hopper/"' in authors and 'href="/people/grace/"' not in authors
    old = client.get("/people/grace/")  # a copy of the old citation (a feed reader's) still works
    assert old.status_code == 301 and old["Location"].endswith("/people/grace-hopper/")


def test_a_member_whose_profile_is_unpublished_is_no_longer_linked(
    staff_client, client, cited, formatted
):
    grace = cited["grace"]

    staff_client.post("/admin/people/person/", {
        "action": "unpublish", "_selected_action": [grace.pk]})  # fmt: skip

    assert Person.objects.get(pk=grace.pk).status == Status.DRAFT
    assert formatted == {cited["paper"].pk: 1}
    authors = authors_line(client.get("/publications/").content.decode())
    assert "/people/grace/" not in authors and "<strong>Hopper, G.</strong>" in authors


def test_a_deleted_member_stays_an_author_by_name_unlinked(client, cited, formatted):
    cited["grace"].delete()

    assert formatted == {cited["paper"].pk: 1}
    paper = Publication.objects.get(pk=cited["paper"].pk)
    assert paper.citation_html.startswith("Hopper, G., Outsider, O., &amp; ")
    assert "/people/grace/" not in paper.citation_html


def test_refresh_citations_command_brings_old_citations_up_to_date(cited, formatted):
    paper = cited["paper"]
    old = '<strong class="member">Hopper, G.</strong>, Outsider, O. (2024). Linked Authors.'
    Publication.objects.filter(pk=paper.pk).update(citation_html=old)  # as formatted before
    formatted.clear()
    out = io.StringIO()

    call_command("refresh_citations", stdout=out)

    assert out.getvalue() == "1 citations formatted.\n"
    assert formatted == {paper.pk: 1}
    assert Publication.objects.get(pk=paper.pk).citation_html.startswith(
        '<a href="/people/grace/" rel="noopener noreferrer"><strong class="member">Hopper, G.'
    )
