"""How pages look: light and dark themes (system preference and the toggle, kept
without a cookie), no horizontal scrolling at 320 px, and the print style."""

import pytest

from tests.e2e.conftest import PAGES, open_page

pytestmark = pytest.mark.e2e

BACKGROUND = "getComputedStyle(document.body).backgroundColor"
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(15, 20, 25)"


def test_theme_follows_the_system_and_the_toggle_persists_without_cookie(lab, visit):
    browser = visit(color_scheme="dark")
    page = browser.page
    browser.goto("/")
    assert page.evaluate(BACKGROUND) == DARK_BG
    toggle = page.locator("[data-theme-toggle]")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "true"

    toggle.click()

    assert page.evaluate(BACKGROUND) == LIGHT_BG
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.evaluate("localStorage.getItem('theme')") == "light"
    browser.goto("/publications/")  # the choice holds on the next page
    assert page.evaluate(BACKGROUND) == LIGHT_BG
    assert [c["name"] for c in browser.context.cookies()] == []  # no cookie needed

    page.emulate_media(color_scheme="light")
    page.locator("[data-theme-toggle]").click()
    assert page.evaluate(BACKGROUND) == DARK_BG
    page.reload()
    assert page.evaluate(BACKGROUND) == DARK_BG


def test_light_system_preference_gives_light_theme(lab, visit):
    browser = visit(color_scheme="light")
    browser.goto("/")

    assert browser.page.evaluate(BACKGROUND) == LIGHT_BG
    assert browser.page.get_attribute("[data-theme-toggle]", "aria-pressed") == "false"


def test_no_horizontal_scrolling_at_320_px(lab, visit):
    browser = visit(viewport={"width": 320, "height": 640})
    too_wide = {}

    for name, path in PAGES:
        open_page(browser, path)
        width = browser.page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[name] = width

    assert too_wide == {}


def test_wide_screen_keeps_text_in_a_readable_column(lab, visit):
    browser = visit(viewport={"width": 1920, "height": 1080})
    browser.goto("/publications/")

    main_width = browser.page.evaluate("document.querySelector('main').clientWidth")
    assert main_width <= 72 * 17  # --wrap: 72rem at the 17px base size
    assert browser.page.evaluate("document.documentElement.scrollWidth") == 1920


def test_print_style_hides_navigation_and_buttons_keeps_citations(lab, visit):
    browser = visit()
    page = browser.page
    browser.goto("/publications/")
    assert page.is_visible("nav[aria-label=Main]") and page.is_visible(".pub-actions")

    page.emulate_media(media="print")

    for hidden in [
        ".site-header",
        "nav[aria-label=Main]",
        ".pub-actions",
        ".theme-toggle",
        ".site-footer",
        "form.filters",
        "details.cite",
    ]:
        assert not page.is_visible(hidden), hidden
    citations = page.locator(".citations li .pub")  # title, authors, venue and year
    assert citations.count() == 4
    assert all(citations.nth(i).is_visible() for i in range(4))
    assert "Provable Defences against Patch Attacks" in citations.first.inner_text()
    assert "Rossi, M." in citations.first.inner_text()
    assert page.evaluate(BACKGROUND) == LIGHT_BG
