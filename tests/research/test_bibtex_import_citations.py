"""Large imports: publications written in bulk with a plain citation, the citeproc
references formatted after (the "formatting citations n/N" step of the same task)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from research import bibtex_import, import_jobs
from research.bibtex_import import apply, citations_to_format, format_citations, plan
from research.citations import citation_html, is_plain_citation, refresh
from research.models import Publication
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "/admin/research/publication/import-bibtex/"


def entries(n, first=0):
    return "\n".join(
        f"@inproceedings{{p{i}, title = {{Paper {i} on <Things> & More}}, "
        f"author = {{Hopper, Grace and Outsider, Olga}}, booktitle = {{NeurIPS}}, "
        f"year = {2000 + i}, doi = {{10.1/p{i}}}, keywords = {{robustness}}}}"
        for i in range(first, first + n)
    )


@pytest.fixture
def grace():
    return PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")


def _full(publication):
    return citation_html(publication, list(publication.authorships.order_by("order")))


def test_deferred_apply_writes_plain_citations_then_formatting_gives_the_save_path_ones(grace):
    planned = plan(entries(3))

    counts = apply(planned, defer_citations=True)

    assert counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    paper = Publication.objects.get(slug="p1")
    assert is_plain_citation(paper.citation_html)
    assert (
        '<a href="/people/grace/"><strong class="member">Grace Hopper</strong></a>, '
        "Olga Outsider (2001). "
        f'<a class="cite-title" href="{paper.get_absolute_url()}">Paper 1 on &lt;Things&gt; '
        "&amp; More</a>. <em>NeurIPS</em>. https://doi.org/10.1/p1"
    ) in paper.citation_html  # escaped, authors in order, members bold and linked
    assert [a.person for a in paper.authorships.order_by("order")] == [grace, None]
    assert [t.name for t in paper.tags.all()] == ["robustness"]
    assert "@inproceedings{p1," in paper.bibtex_export

    pks = citations_to_format(planned)
    assert sorted(pks) == sorted(Publication.objects.values_list("pk", flat=True))
    format_citations(pks)

    for publication in Publication.objects.all():
        assert not is_plain_citation(publication.citation_html)
        assert publication.citation_html == _full(publication)
        formatted = publication.citation_html
        refresh([publication])  # the one save path formats the same reference
        publication.refresh_from_db()
        assert publication.citation_html == formatted


@pytest.mark.parametrize("n", [3, 12])
def test_deferred_apply_queries_do_not_grow_with_the_entries(grace, n, django_assert_num_queries):
    planned = plan(entries(n))
    # The 8 of an import without keywords (below), the tag's creation (3, once), and
    # per entry with keywords its tag (get_or_create) and its link (2): 3 each.
    with django_assert_num_queries(10 + 3 * n):
        apply(planned, defer_citations=True)
    assert Publication.objects.count() == n


def test_deferred_apply_without_keywords_is_a_fixed_number_of_queries(grace):
    def queries_to_apply(count, offset):
        text = entries(count, offset).replace(", keywords = {robustness}", "")
        planned = plan(text)
        with CaptureQueriesContext(connection) as queries:
            apply(planned, defer_citations=True)
        return len(queries)

    # slugs, savepoints, one INSERT of publications, one of authorships, whatever the
    # number of entries (SQLite splits an INSERT past 999 parameters: 12 rows stay under).
    few = queries_to_apply(2, 0)
    assert Publication.objects.count() == 2
    Publication.objects.all().delete()  # the same starting point for both
    many = queries_to_apply(12, 2)

    assert few == many <= 8
    assert Publication.objects.count() == 12


def test_a_failing_entry_in_a_bulk_chunk_is_reported_alone_and_the_others_import(
    grace, monkeypatch
):
    add_tags = bibtex_import._add_tags

    def failing(entry, publication):
        if entry.key == "p1":
            raise RuntimeError("disk full")
        add_tags(entry, publication)

    monkeypatch.setattr(bibtex_import, "_add_tags", failing)
    planned = plan(entries(3))

    counts = apply(planned, defer_citations=True)

    assert counts == {"new": 2, "update": 0, "unchanged": 0, "error": 1}
    assert sorted(Publication.objects.values_list("slug", flat=True)) == ["p0", "p2"]
    assert [e.error for e in planned if e.key == "p1"] == ["could not be saved: disk full"]
    assert Publication.objects.get(slug="p2").authorships.count() == 2
    assert all(p.authorships.count() == 2 for p in Publication.objects.all())


def _confirm(client, text):
    client.post(URL, {"bibtex": text, "preview": "1"})
    job = import_jobs.BibtexImport.objects.get()
    return job, client.post(f"{URL}{job.pk}/", {"confirm": "1"}, follow=True)


def test_admin_import_ends_with_formatted_citations(staff_client, grace):
    job, response = _confirm(staff_client, entries(3))

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.counts["new"]) == ("done", 3, 3, 3)
    for publication in Publication.objects.all():
        assert publication.citation_html == _full(publication)
    page = staff_client.get(Publication.objects.get(slug="p2").get_absolute_url())
    assert "cite-plain" not in page.content.decode()


def test_admin_page_shows_the_citation_step(staff_client):
    job = import_jobs.BibtexImport.objects.create(text="x", status="citing", total=400, done=250,
                                                  counts={"new": 400})  # fmt: skip

    html = staff_client.get(f"{URL}{job.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in html
    assert "Formatting citations" in html
    assert '<progress max="400" value="250">62%</progress> Formatting citations 250/400' in html


def test_a_failure_while_formatting_keeps_the_publications_and_retry_formats_them(
    staff_client, grace, monkeypatch
):
    def broken(pks, progress=None):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(import_jobs.bibtex_import, "format_citations", broken)
    job, response = _confirm(staff_client, entries(2))
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "RuntimeError: worker killed")
    assert Publication.objects.count() == 2
    assert all(is_plain_citation(p.citation_html) for p in Publication.objects.all())
    monkeypatch.undo()

    staff_client.post(f"{URL}{job.pk}/", {"retry": "1"})

    job.refresh_from_db()
    assert job.status == "done" and Publication.objects.count() == 2
    for publication in Publication.objects.all():
        assert publication.citation_html == _full(publication)
