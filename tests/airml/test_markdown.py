"""The one Markdown pipeline: keeps editors' markup, removes anything that can run."""

import pytest

from airml.markdown import render_markdown
from tests.factories import NewsFactory, PageFactory
from tests.xss import PAYLOADS, unsafe_parts


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


def test_unsafe_parts_detects_what_it_should():
    # The checker itself must be able to fail, or the corpus tests prove nothing.
    assert unsafe_parts('<img src="x" onerror="alert(1)">') == ["img[onerror]"]
    assert unsafe_parts('<a href=" JaVa\tScript:x">a</a>') != []
    assert unsafe_parts("<script>x</script>") == ["<script>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_strips_payload(payload):
    html = render_markdown(f"Intro text.\n\n{payload}\n\nOutro.")
    assert unsafe_parts(html) == []
    assert "Intro text." in html


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_saved_and_rendered_on_public_page_is_inert(client, payload):
    news = NewsFactory(body=f"Before.\n\n{payload}\n\nAfter.")
    news.refresh_from_db()
    assert unsafe_parts(news.body_html) == []

    response = client.get(news.get_absolute_url())

    assert response.status_code == 200
    body = response.content.decode()
    article = body[body.index("<main") : body.index("</main>")]
    assert unsafe_parts(article) == []
    assert "Before." in article


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_live_preview_sanitises_payload(staff_client, payload):
    response = staff_client.post("/markdownx/markdownify/", {"content": payload})

    assert response.status_code == 200
    assert unsafe_parts(response.content.decode()) == []


def test_seed_highlight_span_survives():
    html = render_markdown('centred on <span class="blue-highlight">**Adversarial ML**</span>.')
    assert '<span class="blue-highlight"><strong>Adversarial ML</strong></span>' in html


def test_markdown_features_kept():
    html = render_markdown(
        "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] and `code` and $x^2$.\n\n"
        "[^1]: A note.\n\n[link](https://example.org) ![alt](/media/a.png)"
    )
    assert "<h1>Title</h1>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote"' in html
    assert "<code>code</code>" in html
    assert '<span class="arithmatex">\\(x^2\\)</span>' in html
    assert 'href="https://example.org"' in html
    assert 'src="/media/a.png"' in html and 'alt="alt"' in html


def test_empty_markdown_renders_empty():
    assert render_markdown("") == ""


@pytest.mark.django_db
def test_markdown_rendered_once_on_save_and_on_update_fields():
    page = PageFactory(body="*one*")
    assert page.body_html == "<p><em>one</em></p>"
    page.body = "**two**"
    page.save(update_fields=["body"])
    page.refresh_from_db()
    assert page.body_html == "<p><strong>two</strong></p>"


def test_sanitiser_keeps_only_allowed_classes():
    html = render_markdown(
        '<p class="preview-banner blue-highlight">x</p> <span class="btn badge">y</span>'
    )

    assert '<p class="blue-highlight">x</p>' in html
    assert "<span>y</span>" in html
    assert "preview-banner" not in html and "btn" not in html


def test_sanitiser_keeps_code_language_and_pipeline_classes():
    html = render_markdown("Math $x$.[^1]\n\n```python\nx = 1\n```\n\n[^1]: A note.")

    assert '<code class="language-python">' in html
    assert '<span class="arithmatex">' in html and '<div class="footnote">' in html


def test_sanitiser_prefixes_ids_so_content_cannot_take_page_ids():
    html = render_markdown('<div id="main">x</div> <a href="#main">m</a> <a href="#contact">c</a>')

    assert 'id="user-content-main"' in html and 'id="main"' not in html
    assert 'href="#user-content-main"' in html  # a link to the content's own id follows it
    assert 'href="#contact"' in html  # an anchor of the page around it is left alone


def test_sanitiser_footnote_links_still_reach_their_targets():
    html = render_markdown("Claim.[^1]\n\n[^1]: Source.")

    assert (
        '<sup id="user-content-fnref:1"><a class="footnote-ref" href="#user-content-fn:1"' in html
    )
    assert '<li id="user-content-fn:1">' in html and 'href="#user-content-fnref:1"' in html


def test_seed_research_page_highlight_survives():
    from pathlib import Path

    seed = (Path(__file__).parents[2] / "pages" / "seed" / "research-mission.md").read_text()

    assert 'class="blue-highlight"' in render_markdown(seed)
