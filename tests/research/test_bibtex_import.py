"""BibTeX import through the admin: preview, confirm, matching, errors, round trip."""

import datetime
from pathlib import Path

import pytest

from research.bibtex_import import PersonMatcher, import_bibtex, plan
from research.models import Authorship, Publication
from tests.factories import AuthorshipFactory, PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db
URL = "/admin/research/publication/import-bibtex/"
EDGE = (Path(__file__).resolve().parent / "bib" / "edge_cases.bib").read_text()

GOOD_AND_BAD = r"""
@inproceedings{hopper2025robust,
  title = {Robust Compilers},
  author = {Hopper, Grace and Turing, A. and Outsider, Olga},
  booktitle = {NeurIPS}, year = 2025, doi = {10.1/robust},
}
@article{broken,
  title = {Unclosed,
  year = 2020
}
@article{lovelace2024engines,
  title = {Analytical Engines},
  author = {Ada Lovelace},
  journal = {Annals}, year = 2024,
}
"""


@pytest.fixture
def members():
    return {
        "grace": PersonFactory(first_name="Grace", last_name="Hopper", slug="grace"),
        "alan": PersonFactory(first_name="Alan", last_name="Turing", slug="alan"),
        "jose": PersonFactory(first_name="José", last_name="Peña", slug="jose"),
        "kurt": PersonFactory(
            first_name="Kurt", last_name="Müller", slug="kurt", aliases="K. Mueller"
        ),  # fmt: skip
    }


def test_person_matcher_accepts_every_name_form(members):
    matcher = PersonMatcher()
    for name in ["Grace Hopper", "Hopper, Grace", "G. Hopper", "G Hopper", "GRACE HOPPER"]:
        assert matcher.match(name) == members["grace"], name
    assert matcher.match("José Peña") == members["jose"]
    assert matcher.match("Jose Pena") == members["jose"]
    assert matcher.match("K. Mueller") == members["kurt"]
    assert matcher.match("Kurt Muller") == members["kurt"]
    assert matcher.match("Olga Outsider") is None
    assert matcher.match("et al.") is None


def test_initials_are_not_matched_when_ambiguous(members):
    PersonFactory(first_name="Gregory", last_name="Hopper", slug="greg")
    matcher = PersonMatcher()
    assert matcher.match("G. Hopper") is None
    assert matcher.match("Grace Hopper") == members["grace"]


def _preview(client, data):
    """Post the import form; follow to the import's page (tasks run immediately here)."""
    response = client.post(URL, {**data, "preview": "1"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(URL)
    return response


def test_admin_preview_writes_nothing_and_lists_each_entry(staff_client, members):
    response = _preview(staff_client, {"bibtex": GOOD_AND_BAD})

    assert response.status_code == 200
    job = response.context["job"]
    assert (job.status, job.text) == ("planned", GOOD_AND_BAD)  # kept until confirmed
    assert {r["key"]: r["action"] for r in job.rows} == {
        "hopper2025robust": "new", "broken": "error", "lovelace2024engines": "new"}  # fmt: skip
    html = response.content.decode()
    assert "<strong>Grace Hopper</strong>" in html and "<strong>A. Turing</strong>" in html
    assert "malformed entry" in html and "<td>7</td>" in html  # the broken entry's line
    assert "2 new, 0 updated, 0 unchanged, 1 with errors. Nothing has been saved yet." in html
    assert '<meta http-equiv="refresh"' not in html  # nothing running: no refresh
    assert Publication.objects.count() == 0


def test_admin_confirm_imports_good_entries_and_reports_the_bad(staff_client, members):
    job = _preview(staff_client, {"bibtex": GOOD_AND_BAD}).context["job"]

    response = staff_client.post(f"{URL}{job.pk}/", {"confirm": "1"}, follow=True)

    assert response.status_code == 200
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    html = response.content.decode()
    assert "2 new, 0 updated, 0 unchanged, 1 with errors." in html
    assert "malformed entry" in html
    robust = Publication.objects.get(slug="hopper2025robust")
    assert [(a.name, a.person) for a in robust.authorships.order_by("order")] == [
        ("Grace Hopper", members["grace"]), ("A. Turing", members["alan"]),
        ("Olga Outsider", None)]  # fmt: skip
    assert (robust.venue, robust.doi, robust.date) == ("NeurIPS", "10.1/robust",
                                                       datetime.date(2025, 1, 1))  # fmt: skip
    assert "@inproceedings{hopper2025robust" in robust.bibtex
    assert Publication.objects.filter(slug="lovelace2024engines").exists()
    # Confirming twice imports nothing more.
    staff_client.post(f"{URL}{job.pk}/", {"confirm": "1"})
    assert Publication.objects.count() == 2


def test_admin_import_page_refreshes_while_a_task_runs(staff_client):
    from research.import_jobs import BibtexImport

    job = BibtexImport.objects.create(text="@misc{x, title={T}, year=2020}", status="applying",
                                      total=5000, done=1250)  # fmt: skip

    html = staff_client.get(f"{URL}{job.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress max="5000" value="1250">25%</progress> 1250 of 5000 entries' in html


def test_admin_import_that_failed_keeps_its_text_and_can_be_retried(staff_client, monkeypatch):
    from research import import_jobs

    def broken(text):
        raise RuntimeError("database went away")

    monkeypatch.setattr(import_jobs.bibtex_import, "plan", broken)
    failed = _preview(staff_client, {"bibtex": GOOD_AND_BAD})
    assert (
        failed.status_code == 200 and "RuntimeError: database went away" in failed.content.decode()
    )
    job = import_jobs.BibtexImport.objects.get()
    assert (job.status, job.error, job.text) == ("failed", "RuntimeError: database went away",
                                                 GOOD_AND_BAD)  # fmt: skip
    monkeypatch.undo()

    response = staff_client.post(f"{URL}{job.pk}/", {"retry": "1"}, follow=True)

    assert response.context["job"].status == "planned"
    assert Publication.objects.count() == 0


def test_admin_import_is_for_editors_not_members(client, django_user_model):
    from research.import_jobs import BibtexImport

    job = BibtexImport.objects.create(text="@misc{x, title={T}, year=2020}")
    user = django_user_model.objects.create_user("visitor", password="pw", is_staff=False)
    client.force_login(user)

    assert client.get(f"{URL}{job.pk}/").status_code == 302  # to the admin login


def test_admin_upload_of_bib_file(staff_client, members):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("refs.bib", EDGE.encode(), "application/x-bibtex")
    response = _preview(staff_client, {"bibfile": upload})

    actions = sorted((r["key"], r["action"]) for r in response.context["job"].rows)
    assert actions == [("broken2020", "error"), ("child2021crossref", "new"),
                       ("noyear", "new"), ("pena2023accents", "error"),
                       ("pena2023accents", "new"), ("preprint2024", "new"),
                       ("thesis2019", "new"), ("unicode2022", "new")]  # fmt: skip


def test_admin_refuses_empty_and_non_utf8_input(staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    empty = staff_client.post(URL, {"bibtex": "  ", "preview": "1"})
    assert "Paste BibTeX or choose a .bib file." in empty.content.decode()
    binary = SimpleUploadedFile("refs.bib", b"\xff\xfe\x00garbage", "application/octet-stream")
    latin = staff_client.post(URL, {"bibfile": binary, "preview": "1"})
    assert "The file is not UTF-8 text." in latin.content.decode()


def test_second_import_is_unchanged_and_edits_are_updates(members):
    import_bibtex(GOOD_AND_BAD)

    entries = plan(GOOD_AND_BAD)
    assert [e.action for e in entries if e.key != "broken"] == ["unchanged", "unchanged"]

    changed = GOOD_AND_BAD.replace("booktitle = {NeurIPS}", "booktitle = {ICML}")
    entries, counts = import_bibtex(changed)
    assert counts == {"new": 0, "update": 1, "unchanged": 1, "error": 1}
    assert [e.changes for e in entries if e.action == "update"] == [["venue", "bibtex"]]
    assert Publication.objects.get(slug="hopper2025robust").venue == "ICML"
    assert Publication.objects.count() == 2


def test_matching_by_doi_and_by_title(members):
    by_doi = PublicationFactory(slug="old-key", title="Something else", doi="10.1/robust")
    by_title = PublicationFactory(slug="another-key", title="Analytical engines!")

    entries = {e.key: e for e in plan(GOOD_AND_BAD)}

    assert entries["hopper2025robust"].publication == by_doi
    assert entries["lovelace2024engines"].publication == by_title
    assert entries["lovelace2024engines"].action == "update"


def test_an_over_long_title_is_a_clear_error_planned_before_anything_is_written(members):
    too_long = "@article{long, title = {" + "x" * 500 + "}, author = {Hopper, Grace}, year = 2020}"

    entries, counts = import_bibtex(too_long + GOOD_AND_BAD)

    assert counts["error"] == 2 and counts["new"] == 2
    failed = next(e for e in entries if e.key == "long")
    assert failed.error == "the title is longer than 400 characters (500)"
    assert not Publication.objects.filter(slug="long").exists()
    assert Authorship.objects.count() == 4  # only the two good entries' authors


def test_an_entry_that_fails_to_save_leaves_nothing_behind(members, monkeypatch):
    from research import bibtex_import

    real = bibtex_import.Authorship.objects.bulk_create

    def fail_for_one(authorships):
        if authorships and authorships[0].publication.slug == "hopper2025robust":
            raise RuntimeError("disk full")  # after the publication's INSERT
        return real(authorships)

    monkeypatch.setattr(bibtex_import.Authorship.objects, "bulk_create", fail_for_one)

    entries, counts = import_bibtex(GOOD_AND_BAD)

    failed = next(e for e in entries if e.key == "hopper2025robust")
    assert failed.error == "could not be saved: disk full"
    assert not Publication.objects.filter(slug="hopper2025robust").exists()
    assert Publication.objects.filter(slug="lovelace2024engines").exists()
    assert not Authorship.objects.filter(name__icontains="hopper").exists()


def test_export_then_import_into_empty_database_reproduces_publications(client, members):
    import_bibtex(EDGE)
    first = PublicationFactory(title="Manual & <Odd> Title", slug="manual2020", doi="10.9/m",
                               date=datetime.date(2020, 11, 1), pub_type="article-journal",
                               venue="Journal of Things", url_pdf="https://e.org/m.pdf",
                               abstract="An abstract with 10% more & less.")  # fmt: skip
    AuthorshipFactory(publication=first, person=members["grace"], name="", order=0)
    AuthorshipFactory(publication=first, name="Zoë Ångström", order=1)

    def snapshot():
        return sorted(
            (p.slug, p.title, p.date, p.pub_type, p.venue, p.doi, p.url_pdf, p.abstract,
             tuple(a.display_name for a in p.authorships.order_by("order")))
            for p in Publication.objects.all()
        )  # fmt: skip

    before = snapshot()
    exported = client.get("/publications.bib").content.decode()
    Publication.objects.all().delete()

    _entries, counts = import_bibtex(exported)

    assert counts["error"] == 0 and counts["new"] == len(before)
    assert snapshot() == before


def test_full_given_names_never_match_by_initial():
    PersonFactory(first_name="Wei", last_name="Zhang", slug="wei")
    jane = PersonFactory(first_name="Jane", last_name="Doe", slug="jane")
    matcher = PersonMatcher()

    assert matcher.match("Wen Zhang") is None
    assert matcher.match("Zhang, Weiming") is None
    assert matcher.match("John Doe") is None
    assert matcher.match("J. Doe") == jane
    assert matcher.match("Doe, J.") == jane
    assert matcher.match("W Zhang").slug == "wei"


def test_an_update_never_blanks_fields_the_entry_lacks(members):
    import_bibtex(GOOD_AND_BAD)
    publication = Publication.objects.get(slug="hopper2025robust")
    publication.abstract = "Written by an editor."
    publication.url_pdf = "https://example.org/robust.pdf"
    publication.save()
    without_doi = GOOD_AND_BAD.replace(" doi = {10.1/robust},", "").replace(
        "{NeurIPS}", "{NeurIPS 2025}"
    )

    entries, counts = import_bibtex(without_doi)

    assert counts["update"] == 1
    publication.refresh_from_db()
    assert publication.venue == "NeurIPS 2025"
    assert (publication.doi, publication.abstract, publication.url_pdf) == (
        "10.1/robust",
        "Written by an editor.",
        "https://example.org/robust.pdf",
    )


def test_admin_import_survives_an_impossible_year(staff_client):
    text = "@article{y0, title={T}, author={A, B}, year={0000}}"
    response = _preview(staff_client, {"bibtex": text})
    assert response.status_code == 200
    assert "the entry has no valid year" in response.content.decode()


def test_admin_import_nobody_picked_up_says_so_and_can_be_started_again(staff_client):
    from django.utils import timezone

    from research.import_jobs import BibtexImport

    job = BibtexImport.objects.create(text=GOOD_AND_BAD)  # queued, no worker took it
    BibtexImport.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=2)
    )

    html = staff_client.get(f"{URL}{job.pk}/").content.decode()
    assert "is the task worker running" in html
    response = staff_client.post(f"{URL}{job.pk}/", {"retry": "1"}, follow=True)

    assert response.context["job"].status == "planned"
    assert response.context["job"].counts == {"new": 2, "update": 0, "unchanged": 0, "error": 1}
