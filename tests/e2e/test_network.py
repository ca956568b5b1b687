"""Fast and private: every request stays on the site's own host (public pages, the
admin's sign-in and its Markdown editor), and the home page is small."""

import pytest

from tests.e2e.conftest import PAGES, open_page

pytestmark = pytest.mark.e2e

HOME_BUDGET = 60 * 1024  # bytes of HTML + CSS + JS transferred, photos excluded


def test_public_pages_request_nothing_from_other_hosts(lab, visit):
    browser = visit()

    for _name, path in PAGES:
        open_page(browser, path)

    assert browser.foreign_requests() == []
    kinds = {r.resource_type for r in browser.requests}
    assert {"document", "stylesheet", "script", "image"} <= kinds  # photos were loaded


def test_admin_sign_in_and_markdown_editor_request_nothing_from_other_hosts(lab, visit):
    from tests.factories import UserFactory

    UserFactory(username="editor", is_staff=True, is_superuser=True)
    browser = visit()
    page = browser.page
    browser.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-for-tests-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/")

    browser.goto("/admin/news/newsitem/add/")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill("Some **bold** news")
    page.wait_for_selector(".markdownx-preview strong")  # live preview went to our server

    assert browser.foreign_requests() == []
    assert any("/markdownx/markdownify/" in r.url for r in browser.requests)


def test_home_page_html_css_and_js_stay_under_60_kb(lab, visit):
    browser = visit()
    browser.goto("/")
    browser.page.wait_for_load_state("networkidle")

    counted = [
        r for r in browser.requests if r.resource_type in {"document", "stylesheet", "script"}
    ]
    sizes = {}
    for request in counted:
        size = request.sizes()
        sizes[request.url] = size["responseBodySize"] + size["responseHeadersSize"]
    total = sum(sizes.values())

    assert {r.resource_type for r in counted} == {"document", "stylesheet", "script"}
    print(f"home page: {total} bytes of HTML, CSS and JS ({len(counted)} responses)")
    assert 0 < total < HOME_BUDGET, sizes
