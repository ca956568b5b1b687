"""WCAG 2.2 AA: axe-core in real Chromium finds nothing on any public page type,
in the light and the dark theme."""

import pytest

from tests.e2e.conftest import PAGES, open_page

pytestmark = pytest.mark.e2e

# axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus axe's
# best practices (heading order, landmarks, ...), which the site meets too.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DARK_PAGES = ["home", "publications", "publication", "person", "plain page", "contact", "search"]


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations(lab, visit, scheme):
    pages = PAGES if scheme == "light" else [p for p in PAGES if p[0] in DARK_PAGES]
    browser = visit(color_scheme=scheme)
    found = {}

    for name, path in pages:
        open_page(browser, path)
        violations = axe_violations(browser.page)
        if violations:
            found[f"{name} {path}"] = violations

    assert found == {}


def test_axe_reports_no_violations_in_contact_form_errors(lab, visit):
    browser = visit()
    open_page(browser, "/contact/")
    browser.page.fill("#contact-email", "not-an-address")
    browser.page.click("form.contact-form button[type=submit]")
    browser.page.wait_for_selector("#contact-errors")

    assert axe_violations(browser.page) == []
