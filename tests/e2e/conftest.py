"""The browser suite's fixtures: one headless Chromium per session, a realistic lab.

The system's Chromium (/usr/bin/chromium, or AIRML_CHROMIUM) is driven through
Playwright's Python package; no browser is ever downloaded. Without Chromium or
Playwright every test here is skipped with the reason, so `make test` runs on a
machine with only Python; with AIRML_E2E_REQUIRED set (`make e2e`, CI) that is an
error instead.

The site runs in pytest-django's `live_server` (a threaded server on localhost);
every test that uses it gets a transactional database, so `lab` builds the content
again for each test (load_seed plus factories, with images so alt text and
renditions are exercised).
"""

import datetime
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("AIRML_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _missing():
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if importlib.util.find_spec("axe_playwright_python") is None:
        return "axe-playwright-python is not installed (pip install -e '.[dev]')"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set AIRML_CHROMIUM)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    here = Path(__file__).parent
    if reason and os.environ.get("AIRML_E2E_REQUIRED"):  # `make e2e` and CI: never skip
        raise pytest.UsageError(f"AIRML_E2E_REQUIRED is set but {reason}.")
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"browser suite skipped: {reason}"))


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session, with an empty throwaway profile."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    # Playwright gives the browser a new empty profile in a temporary folder, and
    # each test's context (see Visit) starts without cookies or storage.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Visit:
    """A fresh browser context (no cookies, no storage) that records every request."""

    def __init__(self, browser, base_url, **options):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **options)
        self.context.set_default_timeout(15_000)
        self.requests = []
        self.context.on("request", lambda request: self.requests.append(request))
        self.page = self.context.new_page()

    def goto(self, path, status=200):
        response = self.page.goto(path, wait_until="load")
        assert response is not None and response.status == status, (path, response.status)
        return response

    def foreign_requests(self):
        """Requests to any host other than the test server (data: URLs are local)."""
        host = urlsplit(self.base_url).netloc
        return [
            r.url
            for r in self.requests
            if not r.url.startswith("data:") and urlsplit(r.url).netloc != host
        ]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, live_server):
    """Open contexts with `visit()` (options as for Playwright's new_context)."""
    opened = []

    def open_visit(**options):
        opened.append(Visit(browser, live_server.url, **options))
        return opened[-1]

    yield open_visit
    for item in opened:
        item.close()


@pytest.fixture
def lab(live_server):
    """Realistic content: the seed, people with photos, papers, projects, news, events,
    and a /positions/ page holding a section of every kind and every listing view."""
    from airml.models import ListingView
    from pages.models import Collection, Section, SiteSettings
    from people.models import Group
    from tests import factories as f

    call_command("load_seed", verbosity=0)
    site = SiteSettings.load()
    site.email = "lab@example.org"
    site.phone = "+41 44 632 00 00"
    site.address = "AIR-ML Lab\nUniversitätstrasse 6\n8092 Zurich, Switzerland"
    site.map_url = "https://www.openstreetmap.org/?mlat=47.3763&mlon=8.5481#map=18/47.3763/8.5481"
    site.directions = "Tram 6, 9 or 10 to ETH/Universitätsspital; we are on the third floor."
    site.footer = "AIR-ML Lab · [Contact](/contact/)"
    site.save()

    members, students = (
        Group.objects.get(slug="lab-members"),
        Group.objects.get(slug="affiliated-students"),
    )
    lead = f.PersonFactory(
        first_name="Maria",
        last_name="Rossi",
        slug="maria-rossi",
        role="Professor",
        membership="faculty",
        groups=[members],
        avatar=f.image_file(size=(400, 400)),
        avatar_alt="Maria Rossi smiling in front of a whiteboard",
        bio="Maria leads the **lab**.",
        interests="Adversarial robustness\nInterpretability",
        email="maria@example.org",
    )
    lead.education.create(course="PhD in Computer Science", institution="ETH Zurich", year="2012")
    lead.organisations.create(name="ETH Zurich", url="https://ethz.ch")
    f.SocialLinkFactory(person=lead)
    f.SocialLinkFactory(person=lead, kind="orcid", url="https://orcid.org/0000-0002-1825-0097")
    student = f.PersonFactory(
        first_name="Jonas",
        last_name="Weber",
        slug="jonas-weber",
        role="PhD student",
        membership="phd",
        groups=[members],
        avatar=f.image_file(size=(300, 300), color=(20, 90, 160)),
        avatar_alt="Jonas Weber on a hike",
    )
    f.PersonFactory(
        first_name="Lea",
        last_name="Meier",
        slug="lea-meier",
        role="MSc student",
        membership="affiliated",
        groups=[students],
    )
    f.PersonFactory(
        first_name="Tom",
        last_name="Keller",
        slug="tom-keller",
        membership="phd",
        member_status="alumni",
        groups=[members],
        start_date=datetime.date(2018, 9, 1),
        end_date=datetime.date(2023, 6, 30),
        now_at="Google DeepMind",
        now_at_url="https://deepmind.google",
    )

    from research.models import ResearchDirection

    direction = ResearchDirection.objects.order_by("order").first()
    direction.image = f.image_file(size=(900, 500), color=(30, 120, 60))
    direction.image_alt = "A plot of robust accuracy against perturbation size"
    direction.save()
    direction.people.add(lead, student)

    project = f.ProjectFactory(
        title="Certified Robustness at Scale",
        slug="certified-robustness",
        image=f.image_file(size=(960, 540), color=(120, 40, 40)),
        image_alt="Diagram of a certified defence pipeline",
        image_caption="Our pipeline",
        body="We build **certified** defences.",
        url_code="https://github.com/example/cert",
        featured=True,
    )
    project.directions.add(direction)
    project.people.add(lead, student)
    f.ProjectFactory(title="Explaining Vision Models", slug="explaining-vision")

    tag = f.TagFactory(name="robustness", slug="robustness")
    for i, (title, year, kind) in enumerate(
        [
            ("Provable Defences against Patch Attacks", 2025, "paper-conference"),
            ("Interpretable Features for Robust Models", 2024, "article-journal"),
            ("A Survey of Adversarial Training", 2024, "preprint"),
            ("Robustness Certificates for Transformers", 2023, "paper-conference"),
        ]
    ):
        paper = f.PublicationFactory(
            title=title,
            slug=f"rossi{year}paper{i}",
            date=datetime.date(year, 5, 1),
            pub_type=kind,
            featured=i == 0,
            award="Best Paper Award" if i == 0 else "",
            presentation="oral" if i == 1 else "",
            doi=f"10.1000/airml.{i}",
            url_pdf="https://arxiv.org/pdf/2401.00001",
            url_code="https://github.com/example/x",
            image=f.image_file(size=(800, 450)) if i == 0 else None,
            image_alt="Patches on a stop sign" if i == 0 else "",
        )
        f.AuthorshipFactory(publication=paper, person=lead, name="", order=0)
        f.AuthorshipFactory(
            publication=paper, person=student, name="", order=1, note="equal contribution"
        )
        f.AuthorshipFactory(publication=paper, name="Alan Turing", order=2)
        paper.tags.add(tag)
        paper.directions.add(direction)
        paper.projects.add(project)
        paper.save()  # format the citation with its authors

    f.NewsFactory(
        title="Paper accepted at ICLR",
        slug="iclr-accepted",
        date=datetime.date(2025, 1, 20),
        image=f.image_file(size=(800, 500), color=(90, 90, 20)),
        image_alt="The ICLR logo on a poster",
        featured=True,
    )
    f.NewsFactory(title="Welcome Jonas", slug="welcome-jonas", date=datetime.date(2024, 9, 1))
    f.EventFactory(
        title="Robustness in Practice",
        slug="robustness-in-practice",
        image=f.image_file(size=(800, 500), color=(10, 10, 90)),
        image_alt="Speaker at the lectern",
        abstract="What *robust* means.",
        url_slides="https://example.org/slides.pdf",
    )

    positions = f.PageFactory(
        slug="positions", title="Open positions", subtitle="Join us", body="We are **hiring**."
    )
    order = iter(range(0, 1000, 10))
    f.SectionFactory(
        page=positions,
        kind=Section.Kind.MARKDOWN,
        order=next(order),
        title="PhD positions",
        body="Funded positions, see [our research](/research/).",
    )
    hero = f.SectionFactory(
        page=positions,
        kind=Section.Kind.HERO,
        order=next(order),
        title="Work with us",
        body="Robust ML in Zurich.",
        button_label="Read about our research",
        button_url="/research/",
    )
    f.SectionPhotoFactory(section=hero, date=datetime.date(2024, 6, 1))
    collections = [
        Collection.NEWS,
        Collection.PUBLICATIONS,
        Collection.PROJECTS,
        Collection.EVENTS,
        Collection.DIRECTIONS,
        Collection.PEOPLE,
    ]
    for view, collection in zip(ListingView.values, collections, strict=True):
        f.SectionFactory(
            page=positions,
            kind=Section.Kind.COLLECTION,
            order=next(order),
            title=f"{collection.label} ({view})",
            collection=collection,
            view=view,
            count=3,
        )
    f.SectionFactory(
        page=positions,
        kind=Section.Kind.COLLECTION,
        order=next(order),
        title="Our publications as cards",
        collection=Collection.PUBLICATIONS,
        view=ListingView.CARD,
        count=2,
    )
    f.SectionFactory(page=positions, kind=Section.Kind.PEOPLE, order=next(order), title="Team")
    f.SectionFactory(
        page=positions,
        kind=Section.Kind.CONTACT,
        order=next(order),
        title="Questions?",
        body="Ask us anything.",
    )
    f.SectionFactory(
        page=positions,
        kind=Section.Kind.CTA,
        order=next(order),
        title="Apply now",
        body="Send your CV.",
        button_label="Contact us",
        button_url="/contact/",
    )
    return {"person": lead, "project": project, "direction": direction}


# Every public page type, with what to do before checking it.
PAGES = [
    ("home", "/"),
    ("research", "/research/"),
    ("direction", "/research/foundations-of-adversarial-ml/"),
    ("people", "/people/"),
    ("person", "/people/maria-rossi/"),
    ("publications", "/publications/?year=2024&q=robust"),
    ("publication", "/publications/rossi2025paper0/"),
    ("projects", "/projects/"),
    ("project", "/projects/certified-robustness/"),
    ("news", "/news/"),
    ("news item", "/news/iclr-accepted/"),
    ("events", "/events/"),
    ("event", "/events/robustness-in-practice/"),
    ("plain page", "/positions/"),
    ("contact", "/contact/"),
    ("search", "/search/?q=robust"),
    ("search, nothing found", "/search/?q=zzzqqq"),
    ("404", "/no-such-page/"),
]
NOT_FOUND = {"/no-such-page/"}


def open_page(visit_obj, path):
    visit_obj.goto(path, status=404 if path in NOT_FOUND else 200)
    if path.startswith("/publications/rossi"):
        visit_obj.page.click("details.cite > summary")  # the Cite block, opened
        assert visit_obj.page.is_visible("details.cite[open] pre")
