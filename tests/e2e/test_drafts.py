"""No typed work is lost when a save fails: the database is cut while an editor saves
an admin form (and while a pasted BibTeX text is previewed); the browser offers the
input back on the next visit, and a successful save clears it."""

import contextlib

import pytest
from django.db import OperationalError
from django.db.backends import utils

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BIBTEX = """@inproceedings{rossi2026drafts,
  title     = {Typed Work Survives Outages},
  author    = {Rossi, Maria and Turing, Alan},
  booktitle = {Proceedings of Resilient Systems},
  year      = {2026},
}
"""
DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.startsWith('airml-draft:'))"


@contextlib.contextmanager
def database_cut(monkeypatch):
    """Every query of every connection (the live server's too) fails as when the
    database server has gone away."""

    def gone(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(utils.CursorWrapper, "_execute", gone)
        patch.setattr(utils.CursorWrapper, "_executemany", gone)
        yield


@pytest.fixture
def editor(visit):
    from tests.factories import UserFactory

    UserFactory(username="editor", is_staff=True, is_superuser=True)
    browser = visit()
    browser.goto("/admin/login/")
    browser.page.fill("#id_username", "editor")
    browser.page.fill("#id_password", "pw-for-tests-123")
    with browser.page.expect_navigation():
        browser.page.click("input[type=submit]")
    return browser


def test_admin_form_input_survives_a_database_cut_during_save(editor, monkeypatch):
    from news.models import NewsItem
    from tests.factories import NewsFactory

    news = NewsFactory(title="Old title", body="Old body")
    url = f"/admin/news/newsitem/{news.pk}/change/"
    page = editor.page
    editor.goto(url)
    page.fill("#id_title", "A title typed just before the outage")
    page.fill("textarea[name=body]", "Two paragraphs of **careful** writing.\n\nThe second one.")

    with database_cut(monkeypatch):
        with page.expect_navigation() as navigation:
            page.locator("input[name=_save]").first.click()
        assert navigation.value.status == 503
        assert "Back in a moment" in page.content()

    editor.goto(url)
    assert page.input_value("#id_title") == "Old title"  # the database still has the old one
    page.wait_for_selector(".airml-draft-notice")
    page.click(".airml-draft-restore")

    assert page.input_value("#id_title") == "A title typed just before the outage"
    assert page.input_value("textarea[name=body]").startswith("Two paragraphs of **careful**")
    with page.expect_navigation():
        page.locator("input[name=_save]").first.click()
    assert page.locator(".messagelist .success").count() == 1
    assert NewsItem.objects.get(pk=news.pk).title == "A title typed just before the outage"
    assert page.evaluate(DRAFT_KEYS) == []  # saved: the draft is gone
    editor.goto(url)
    assert page.locator(".airml-draft-notice").count() == 0


def test_pasted_bibtex_comes_back_after_a_database_cut(editor, monkeypatch):
    url = "/admin/research/publication/import-bibtex/"
    page = editor.page
    editor.goto(url)
    page.fill("textarea[name=bibtex]", BIBTEX)

    with database_cut(monkeypatch):
        with page.expect_navigation() as navigation:
            page.click("input[name=preview]")
        assert navigation.value.status == 503

    editor.goto(url)
    assert page.input_value("textarea[name=bibtex]") == ""
    page.wait_for_selector(".airml-draft-notice")
    page.click(".airml-draft-restore")

    assert page.input_value("textarea[name=bibtex]") == BIBTEX


def test_unchanged_form_offers_no_draft(editor):
    from tests.factories import NewsFactory

    news = NewsFactory(title="Calm")
    editor.goto(f"/admin/news/newsitem/{news.pk}/change/")

    assert editor.page.locator(".airml-draft-notice").count() == 0
    assert editor.page.evaluate(DRAFT_KEYS) == []
