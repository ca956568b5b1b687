"""Keyboard only: skip link first, visible focus, the whole menu, the publication
filters and the contact form, all without a mouse."""

import pytest

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
          href: el.getAttribute('href'), name: el.getAttribute('name'),
          text: (el.textContent || '').trim().slice(0, 60),
          outline: getComputedStyle(el).outlineStyle,
          outlineWidth: getComputedStyle(el).outlineWidth};
}"""


def tab(page, times=1):
    for _ in range(times):
        page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def test_skip_link_is_first_and_moves_focus_to_main(lab, visit):
    browser = visit()
    browser.goto("/publications/")

    first = tab(browser.page)
    assert first["cls"] == "skip-link" and first["href"] == "#main"
    assert browser.page.is_visible(".skip-link")  # shown while focused
    assert first["outline"] == "solid" and first["outlineWidth"] == "3px"

    browser.page.keyboard.press("Enter")

    assert browser.page.evaluate("document.activeElement.id") == "main"
    after = tab(browser.page)  # the next stop is inside main, past the menu
    assert browser.page.evaluate("document.activeElement.closest('main') !== null")
    assert after["tag"] in {"a", "input", "select", "button", "summary"}


def test_every_menu_link_is_reachable_in_order_with_visible_focus(lab, visit):
    browser = visit()
    browser.goto("/")
    menu = browser.page.eval_on_selector_all(
        "nav[aria-label=Main] a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert "/contact/" in menu and len(menu) == 7

    tab(browser.page)  # skip link
    brand = tab(browser.page)
    reached = [tab(browser.page) for _ in menu]

    assert brand["cls"] == "brand"
    assert [stop["href"] for stop in reached] == menu
    assert all(stop["outline"] == "solid" for stop in reached)
    search, search_button = tab(browser.page), tab(browser.page)
    assert (search["name"], search_button["text"]) == ("q", "Search")
    assert search["outline"] == "solid" and search_button["outline"] == "solid"
    toggle = tab(browser.page)
    assert toggle["cls"] == "theme-toggle"
    browser.page.keyboard.press("Enter")  # the theme toggle works from the keyboard
    assert browser.page.evaluate("document.documentElement.dataset.theme") in {"dark", "light"}
    for _ in range(3):
        browser.page.keyboard.press("Shift+Tab")
    browser.page.keyboard.press("Enter")  # follow the last menu link
    browser.page.wait_for_url("**/contact/")


def test_publication_filters_work_with_the_keyboard(lab, visit):
    browser = visit()
    browser.goto("/publications/")
    page = browser.page
    stops = []
    for _ in range(40):
        stop = tab(page)
        stops.append(stop)
        if stop["id"] == "f-q":
            break
    assert stops[-1]["id"] == "f-q", "the search box is reachable by Tab"

    page.keyboard.type("robust")
    year = tab(page)
    assert year["name"] == "year"
    page.keyboard.press("ArrowDown")  # first year in the list: the newest (2025)
    tab(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back in the search box
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "q=robust" in page.url and "year=2025" in page.url
    assert page.locator(".citations li").count() == 1
    assert page.inner_text(".result-count") == "1 publication matches your filters."
    assert page.input_value("#f-q") == "robust"


def test_contact_form_is_operable_by_keyboard_and_skips_the_honeypot(lab, visit):
    browser = visit()
    browser.goto("/contact/")
    page = browser.page
    page.focus("#contact-name")
    page.keyboard.type("Grace Hopper")
    visited = [tab(page)["id"]]
    page.keyboard.type("grace@example.org")
    visited.append(tab(page)["id"])
    page.keyboard.type("Visit")
    visited.append(tab(page)["id"])
    page.keyboard.type("May we visit?")
    submit = tab(page)

    assert visited == ["contact-email", "contact-subject", "contact-message"]
    assert submit["tag"] == "button" and submit["text"] == "Send message"  # honeypot skipped
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/contact/?sent=1#contact")
    assert "your message has been sent" in page.inner_text("[role=status]")

    from pages.models import ContactMessage

    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.message) == (
        "Grace Hopper",
        "grace@example.org",
        "May we visit?",
    )


def test_contact_form_errors_keep_the_input(lab, visit):
    browser = visit()
    browser.goto("/contact/")
    page = browser.page
    page.fill("#contact-name", "Grace Hopper")
    page.fill("#contact-email", "grace-at-example")
    page.fill("#contact-message", "Hello")
    with page.expect_navigation():
        page.click("form.contact-form button[type=submit]")

    assert page.is_visible("#contact-errors")
    assert page.input_value("#contact-name") == "Grace Hopper"
    assert page.input_value("#contact-email") == "grace-at-example"
    assert page.input_value("#contact-message") == "Hello"
    assert page.get_attribute("#contact-email", "aria-invalid") == "true"


def test_site_search_works_from_the_keyboard(lab, visit):
    browser = visit()
    browser.goto("/")
    page = browser.page
    for _ in range(30):
        if tab(page)["name"] == "q":
            break
    page.keyboard.type("robust")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=robust")
    assert page.locator("main h1").inner_text().startswith("Search")
