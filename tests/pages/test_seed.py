"""The seed: the lab's Research page becomes a Page plus three ResearchDirections."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pages.models import MenuItem, Page, Section
from pages.seed_content import SEED_FILE, parse_research_page
from research.models import ResearchDirection

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "research-mission.md"

TITLES = ["Foundations of Adversarial ML", "Principled Algorithmic Design",
          "Trustworthy AI Applications"]  # fmt: skip


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared/seed is not beside the repo")
def test_bundled_seed_matches_shared_seed():
    assert SEED_FILE.read_text() == SHARED_SEED.read_text()


def test_parse_research_page_splits_intro_and_directions():
    meta, intro, directions = parse_research_page(SEED_FILE.read_text())

    assert meta == {"title": "Our Mission", "view": "compact"}
    assert intro.startswith("The mission of the AIR-ML Lab")
    assert intro.endswith("focusing on three main directions:")
    assert [title for title, _ in directions] == TITLES
    assert directions[0][1].startswith("Although rigor is quite essential")
    assert directions[2][1].endswith("efficiency, and usability).")


@pytest.mark.django_db
def test_seeded_research_page_reads_as_the_seed(client):
    call_command("load_seed")

    response = client.get("/research/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Our Mission</h1>" in html
    assert '<span class="blue-highlight"><strong>Adversarial ML</strong></span>' in html
    assert "listing-compact" in html
    positions = [html.index(title) for title in TITLES]
    assert positions == sorted(positions)
    assert html.index("focusing on three main directions") < positions[0]
    assert 'href="/research/foundations-of-adversarial-ml/"' in html
    assert "A primary focus is robust generalization in the presence of adversaries." in html


@pytest.mark.django_db
def test_seed_creates_directions_as_records(client):
    call_command("load_seed")

    directions = list(ResearchDirection.objects.order_by("order"))
    assert [d.title for d in directions] == TITLES
    assert directions[1].summary.startswith("A major component of our research")
    page = Page.objects.get(slug="research")
    assert page.view == "compact" and page.collection == "directions"
    response = client.get(directions[0].get_absolute_url())
    assert response.status_code == 200
    assert "Foundations of Adversarial ML</h1>" in response.content.decode()


@pytest.mark.django_db
def test_loading_seed_twice_changes_nothing(capsys):
    call_command("load_seed")
    counts = (Page.objects.count(), Section.objects.count(), MenuItem.objects.count(),
              ResearchDirection.objects.count())  # fmt: skip
    direction = ResearchDirection.objects.get(slug="principled-algorithmic-design")
    direction.summary = "Rewritten by an editor."
    direction.save()

    call_command("load_seed")

    assert "nothing changed" in capsys.readouterr().out
    assert counts == (Page.objects.count(), Section.objects.count(), MenuItem.objects.count(),
                      ResearchDirection.objects.count())  # fmt: skip
    direction.refresh_from_db()
    assert direction.summary == "Rewritten by an editor."


@pytest.mark.django_db
def test_editor_reorders_and_extends_directions(client):
    call_command("load_seed")
    last = ResearchDirection.objects.get(slug="trustworthy-ai-applications")
    last.order = -1
    last.save()
    ResearchDirection.objects.create(title="Interpretability", slug="interpretability", order=99)

    html = client.get("/research/").content.decode()

    assert html.index("Trustworthy AI Applications") < html.index("Foundations of Adversarial")
    assert html.index("Principled Algorithmic Design") < html.index("Interpretability")


@pytest.mark.django_db
def test_load_seed_reports_bad_files(tmp_path):
    missing = tmp_path / "missing.md"
    with pytest.raises(CommandError, match="not found"):
        call_command("load_seed", file=missing)
    no_front = tmp_path / "plain.md"
    no_front.write_text("Just text.")
    with pytest.raises(CommandError, match="front matter"):
        call_command("load_seed", file=no_front)
    assert Page.objects.count() == 0


@pytest.mark.django_db
def test_home_after_seed_has_hero_news_and_team_link(client):
    call_command("load_seed")

    html = client.get("/").content.decode()

    assert "<h1>Adversarial, Interpretable and Robust Machine Learning Lab</h1>" in html
    assert "Latest news" not in html  # an empty list says nothing to a visitor
    assert "We study how machine learning fails under attack" in html  # Site settings intro
    assert "main directions:" not in html  # not the mission's first paragraph
    assert 'href="/people/">Meet the team</a>' in html
    assert 'href="/research/"' in html  # menu from the database
