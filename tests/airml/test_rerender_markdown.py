from django.core.management import call_command

from pages.models import Page
from tests.factories import PageFactory


def test_rerender_markdown_applies_todays_sanitiser_to_rows_saved_before(db):
    page = PageFactory(body='<p class="preview-banner" id="main">Hi</p>')
    # As a row saved by an older pipeline would hold it:
    Page.objects.filter(pk=page.pk).update(body_html='<p class="preview-banner" id="main">Hi</p>')

    call_command("rerender_markdown")

    html = Page.objects.get(pk=page.pk).body_html
    assert "preview-banner" not in html
    assert 'id="main"' not in html
    assert "Hi" in html


def test_rerender_markdown_dry_run_writes_nothing(db, capsys):
    page = PageFactory(body="Hello")
    Page.objects.filter(pk=page.pk).update(body_html="<p>stale</p>")

    call_command("rerender_markdown", "--dry-run")

    assert Page.objects.get(pk=page.pk).body_html == "<p>stale</p>"
    assert "1 rows would change." in capsys.readouterr().out
