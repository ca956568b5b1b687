"""The seed: the lab's real Research page turned into data, plus the site's skeleton.

`load_seed` only creates what is missing, so running it again (as `make run`
does) never overwrites what editors have changed.
"""

import re
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from airml.models import ListingView
from pages.models import Collection, MenuItem, Page, Section, SiteSettings
from people.models import Group
from research.models import ResearchDirection

SEED_FILE = Path(__file__).resolve().parent / "seed" / "research-mission.md"

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.S)
# A bullet led by highlighted bold text: * <span class="blue-highlight">**Title.**</span> rest
DIRECTION = re.compile(
    r"^\*\s+<span class=\"blue-highlight\">\*\*(?P<title>.+?)\*\*</span>\s*(?P<summary>.*)$"
)

MENU = [
    ("Home", "/"),
    ("Research", "/research/"),
    ("People", "/people/"),
    ("Publications", "/publications/"),
    ("Projects", "/projects/"),
    ("News", "/news/"),
    ("Contact", "/contact/"),
]
GROUPS = [("Lab Members", "lab-members"), ("Affiliated Students", "affiliated-students")]
# The home page's one-sentence intro (Site settings), not the mission's first paragraph.
INTRO = (
    "We study how machine learning fails under attack and build models that are "
    "robust, interpretable and trustworthy by design."
)


class SeedError(ValueError):
    pass


def parse_research_page(text):
    """Split the seed into (front matter, intro Markdown, [(title, summary), ...])."""
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        raise SeedError("The seed file has no YAML front matter between '---' lines.")
    meta = yaml.safe_load(match.group(1)) or {}
    intro_lines, directions = [], []
    for line in match.group(2).strip().splitlines():
        found = DIRECTION.match(line.strip())
        if found:
            directions.append((found["title"].strip().rstrip("."), found["summary"].strip()))
        elif not directions and line.strip():
            intro_lines.append(line.strip())
    if not directions:
        raise SeedError("The seed file lists no highlighted research directions.")
    return meta, "\n".join(intro_lines), directions


@transaction.atomic
def load_seed(path=SEED_FILE):
    """Create the seeded content that is missing; return the number of objects created."""
    meta, intro, directions = parse_research_page(Path(path).read_text(encoding="utf-8"))
    created = 0

    def make(model, lookup, **defaults):
        nonlocal created
        obj, was_created = model.objects.get_or_create(**lookup, defaults=defaults)
        created += was_created
        return obj

    if not SiteSettings.objects.exists():
        SiteSettings.objects.create(intro=INTRO)
        created += 1
    for order, (label, url) in enumerate(MENU):
        make(MenuItem, {"url": url}, label=label, order=order * 10)
    for order, (name, slug) in enumerate(GROUPS):
        make(Group, {"slug": slug}, name=name, order=order * 10)

    view = meta.get("view", ListingView.COMPACT)
    if view not in ListingView.values:
        view = ListingView.COMPACT
    make(Page, {"slug": "research"}, title=meta.get("title", "Research"), body=intro,
         collection=Collection.DIRECTIONS, view=view)  # fmt: skip
    for order, (title, summary) in enumerate(directions):
        make(ResearchDirection, {"slug": slugify(title)}, title=title, summary=summary,
             order=order * 10)  # fmt: skip

    for slug, title, collection, list_view in [
        ("people", "People", Collection.PEOPLE, ListingView.CARD),
        ("publications", "Publications", Collection.PUBLICATIONS, ListingView.CITATION),
        ("projects", "Projects", Collection.PROJECTS, ListingView.CARD),
        ("news", "News", Collection.NEWS, ListingView.NEWS),
    ]:
        make(Page, {"slug": slug}, title=title, collection=collection, view=list_view)

    if not Page.objects.filter(slug="contact").exists():
        contact = make(
            Page, {"slug": "contact"}, title="Contact",
            description="How to reach and visit the lab, and a form to write to us.",
        )  # fmt: skip
        Section(
            page=contact, kind=Section.Kind.CONTACT, order=0, title="Get in touch",
            body="Questions about our research, positions or visits are welcome. "
            "Write to us with the form below; we usually answer within a few days.",
        ).save()  # fmt: skip
        created += 1

    if not Page.objects.filter(slug="home").exists():
        home = make(Page, {"slug": "home"}, title="Home")
        Section.objects.bulk_create([
            Section(page=home, kind=Section.Kind.HERO, order=0,
                    title="Adversarial, Interpretable and Robust Machine Learning Lab",
                    button_label="Explore our research", button_url="/research/"),
            Section(page=home, kind=Section.Kind.COLLECTION, order=5,
                    title="Featured publications", collection=Collection.PUBLICATIONS,
                    featured_only=True, view=ListingView.CITATION, count=3),
            Section(page=home, kind=Section.Kind.COLLECTION, order=10, title="Latest news",
                    collection=Collection.NEWS, view=ListingView.NEWS, count=5),
            Section(page=home, kind=Section.Kind.CTA, order=20, title="Join us",
                    body="We are a team of researchers working on trustworthy AI.",
                    button_label="Meet the team", button_url="/people/"),
        ])  # fmt: skip
        for section in home.sections.all():
            section.save()  # render the Markdown (bulk_create skips save())
        created += 4
    return created
