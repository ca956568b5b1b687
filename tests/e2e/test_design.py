"""The designed look in a real browser: the asset budget of every page type, a header
that stays one row at any width with a long lab name, the menu disclosure without
JavaScript, imported real content without axe violations, and a large lab (60 people,
130 papers) on a 320 px phone."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import PAGES, open_page
from tests.e2e.test_accessibility import axe_violations

pytestmark = pytest.mark.e2e

ASSET_BUDGET = 60 * 1024  # CSS, JS and fonts of one page on a first visit
CVR = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "hugo-sites" / "cvr-lab"
LONG_NAME = "Laboratory for Adversarial, Interpretable and Robust Machine Learning Research"

HEADER_ROW = """() => {
  const header = document.querySelector('.header-inner');
  const shown = [...header.children].filter(el => el.offsetParent !== null);
  const tops = shown.map(el => el.getBoundingClientRect());
  const links = [...document.querySelectorAll('.nav-wide .menu a')]
    .filter(a => a.offsetParent !== null).map(a => a.getBoundingClientRect().top);
  return {
    height: header.getBoundingClientRect().height,
    rows: new Set(tops.map(r => Math.round(r.top + r.height / 2) >> 3)).size,
    menuRows: new Set(links.map(t => Math.round(t))).size,
    disclosure: document.querySelector('.nav-narrow').offsetParent !== null,
    scroll: document.documentElement.scrollWidth,
  };
}"""


def test_every_page_type_loads_at_most_60_kb_of_css_js_and_fonts(lab, visit):
    sizes = {}
    for name, path in PAGES:
        browser = visit()  # a first visit: empty cache
        open_page(browser, path)
        browser.page.wait_for_load_state("networkidle")
        kinds = {"stylesheet", "script", "font"}
        assets = [r for r in browser.requests if r.resource_type in kinds]
        sizes[name] = sum(r.sizes()["responseBodySize"] for r in assets)
        assert browser.foreign_requests() == [], name

    assert max(sizes.values()) <= ASSET_BUDGET, sizes
    assert min(sizes.values()) > 0  # the stylesheet was counted


@pytest.mark.parametrize("width", [320, 390, 768, 1024, 1280, 1920])
def test_header_stays_one_row_with_a_long_lab_name(lab, visit, width):
    from pages.models import SiteSettings

    site = SiteSettings.load()
    site.name = LONG_NAME
    site.save()
    browser = visit(viewport={"width": width, "height": 800})
    browser.goto("/publications/")

    header = browser.page.evaluate(HEADER_ROW)

    assert header["rows"] == 1, header
    assert header["height"] < 100, header  # two lines of name at most
    assert header["scroll"] <= width, header
    assert header["disclosure"] or header["menuRows"] == 1, header
    if width < 960:  # narrow screens: always the "Menu" disclosure
        assert header["disclosure"], header
    if width >= 1280:  # wide ones: the menu beside even a long name
        assert not header["disclosure"], header


def test_menu_disclosure_works_without_javascript(lab, visit):
    browser = visit(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = browser.page
    browser.goto("/")
    narrow = page.locator("nav[aria-label='Main (narrow screens)'] a[href='/people/']")
    assert not narrow.is_visible() and not page.is_visible("nav[aria-label=Main]")

    page.click(".nav-narrow > summary")
    assert narrow.is_visible()
    with page.expect_navigation():
        narrow.click()

    assert page.url.endswith("/people/")


@pytest.mark.skipif(not CVR.exists(), reason="../shared/fixtures is not beside the repo")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_imported_site_has_no_axe_violations(live_server, visit, scheme):
    call_command("import_hugo", str(CVR), "--skip-invalid", verbosity=0)
    browser = visit(color_scheme=scheme)
    browser.goto("/people/")
    person = browser.page.get_attribute("main .person-card h3 a", "href")
    browser.goto("/publications/")
    paper = browser.page.get_attribute("main .pub-title a", "href")
    found = {}

    for path in ["/", "/people/", person, "/publications/", paper, "/projects/", "/news/"]:
        browser.goto(path)
        violations = axe_violations(browser.page)
        if violations:
            found[path] = violations

    assert found == {}


def test_a_large_lab_fits_a_320_px_phone_and_a_wide_screen(live_server, visit):
    from people.models import Group
    from tests import factories as f

    call_command("load_seed", verbosity=0)
    members = Group.objects.get(slug="lab-members")
    people = [
        f.PersonFactory(
            first_name=f"Maximiliane-Alexandra {i}",
            last_name="Schwarzenbach-Oberholzer",
            slug=f"p{i}",
            role="Doctoral researcher",
            groups=[members],
        )  # fmt: skip
        for i in range(60)
    ]
    for i in range(130):
        paper = f.PublicationFactory(
            title=f"An unusually long title about certified robustness of models, part {i}",
            slug=f"paper{i}", date=datetime.date(2010 + i % 15, 1, 1), doi=f"10.1/x{i}",
            url_pdf="https://example.org/p.pdf", url_code="https://example.org/c",
            venue_short="NeurIPS", award="Outstanding Paper Award" if i % 20 == 0 else "",
        )  # fmt: skip
        for order, person in enumerate(people[i % 50 : i % 50 + 8]):
            f.AuthorshipFactory(publication=paper, person=person, name="", order=order)
        paper.save()

    phone = visit(viewport={"width": 320, "height": 640})
    for path in ["/people/", "/publications/", "/"]:
        phone.goto(path)
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 320, path

    wide = visit(viewport={"width": 1280, "height": 800})
    wide.goto("/people/")
    per_row = wide.page.evaluate(
        "(() => { const tops = [...document.querySelectorAll('.person-card')]"
        ".map(c => c.getBoundingClientRect().top);"
        " return tops.filter(t => t === tops[0]).length })()"
    )
    assert per_row >= 5
    wide.goto("/publications/")
    row = wide.page.locator(".pub").first
    buttons = row.locator(".pub-actions > .btn, .pub-actions > details > summary")
    tops = {round(box["y"]) for box in (b.bounding_box() for b in buttons.all())}
    assert len(tops) == 1  # PDF, code, DOI and Cite on one row
