"""Publications for visitors: citations, Cite, exports, filters, metadata, facts."""

import datetime
import json
import re

import pytest
from django.test import Client

from airml.models import Status
from news.models import NewsItem
from research.bibtex import parse_bibtex
from research.citations import refresh
from research.models import Publication
from tests.admin_forms import admin_form_data, assert_saved
from tests.factories import (
    AuthorshipFactory,
    DirectionFactory,
    PersonFactory,
    PublicationFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    grace = PersonFactory(first_name="Grace", last_name="Hopper", slug="grace")
    alan = PersonFactory(first_name="Alan", last_name="Turing", slug="alan")
    robust = DirectionFactory(title="Robustness", slug="robustness")
    privacy = TagFactory(name="privacy", slug="privacy")

    def paper(slug, title, year, pub_type="paper-conference", authors=(), **extra):
        publication = PublicationFactory(slug=slug, title=title, date=datetime.date(year, 6, 1),
                                         pub_type=pub_type, **extra)  # fmt: skip
        for order, author in enumerate(authors):
            if isinstance(author, str):
                AuthorshipFactory(publication=publication, name=author, order=order)
            else:
                AuthorshipFactory(publication=publication, person=author, name="", order=order)
        return publication

    papers = {
        "a": paper("a2024", "Certified Defences for Graphs", 2024, authors=[grace, "Ext One"],
                   featured=True, abstract="We certify *graph* models."),
        "b": paper("b2024", "Membership Inference Revisited", 2024, "article-journal",
                   authors=["Ext Two", alan], venue="Journal of Privacy"),
        "c": paper("c2022", "Adversarial Training at Scale", 2022, authors=[grace, alan]),
        "d": paper("d2021", "A Survey of Robustness", 2021, "preprint", authors=["Ext Three"]),
    }  # fmt: skip
    papers["a"].directions.add(robust)
    papers["c"].directions.add(robust)
    papers["b"].tags.add(privacy)
    return {"grace": grace, "alan": alan, **papers}


def listed_titles(html):
    listing = html[html.index("listing-citation") :]
    return re.findall(r'class="cite-title"[^>]*>([^<]+)</a>', listing)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Certified Defences for Graphs", "Membership Inference Revisited",
              "Adversarial Training at Scale", "A Survey of Robustness"]),
        ("?year=2024", ["Certified Defences for Graphs", "Membership Inference Revisited"]),
        ("?type=article-journal", ["Membership Inference Revisited"]),
        ("?direction=robustness", ["Certified Defences for Graphs",
                                   "Adversarial Training at Scale"]),
        ("?person=alan", ["Membership Inference Revisited", "Adversarial Training at Scale"]),
        ("?tag=privacy", ["Membership Inference Revisited"]),
        ("?featured=1", ["Certified Defences for Graphs"]),
        ("?q=graph", ["Certified Defences for Graphs"]),  # abstract and title
        ("?q=turing", ["Membership Inference Revisited", "Adversarial Training at Scale"]),
        ("?q=ext+three", ["A Survey of Robustness"]),  # a non-member author
        ("?year=2024&person=grace", ["Certified Defences for Graphs"]),
        ("?direction=robustness&year=2022&q=scale", ["Adversarial Training at Scale"]),
        ("?year=1999", []),
        ("?year=abc", ["Certified Defences for Graphs", "Membership Inference Revisited",
                       "Adversarial Training at Scale", "A Survey of Robustness"]),
    ],
)  # fmt: skip
def test_filters_return_exactly_the_expected_rows(client, lab, query, expected):
    response = client.get(f"/publications/{query}")
    assert response.status_code == 200
    assert listed_titles(response.content.decode()) == expected


def test_filter_counts_and_bib_export_match_the_page(client, lab):
    html = client.get("/publications/?person=grace").content.decode()

    assert '<option value="2024">2024 (1)</option>' in html
    assert '<option value="2022">2022 (1)</option>' in html
    assert '<option value="grace" selected>Grace Hopper (2)</option>' in html
    # A facet counts what choosing that value instead would give (single choice per facet).
    assert '<option value="alan">Alan Turing (2)</option>' in html
    assert "2 publications match your filters." in html
    assert 'href="/publications.bib?person=grace"' in html

    bib = client.get("/publications.bib?person=grace")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    records, errors = parse_bibtex(bib.content.decode())
    assert errors == []
    assert [r.title for r in records] == listed_titles(html)


def test_a_person_listed_twice_on_a_paper_counts_it_once(client, lab):
    paper = Publication.objects.get(title="Certified Defences for Graphs")
    AuthorshipFactory(publication=paper, person=lab["grace"], name="", order=9)

    html = client.get("/publications/?person=grace&type=" + paper.pub_type).content.decode()

    assert listed_titles(html).count("Certified Defences for Graphs") == 1
    assert '<option value="grace" selected>Grace Hopper (' in html
    grace_count = re.search(r'value="grace" selected>Grace Hopper \((\d+)\)', html)[1]
    assert int(grace_count) == len(listed_titles(html))
    assert f"{len(listed_titles(html))} publication" in html


def test_citation_list_shows_an_author_change_at_once(client, lab, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the listing's own kept parts must follow the change
    assert "Hopper, G." in client.get("/publications/").content.decode()

    authorship = lab["grace"].authorships.first()
    authorship.person = None
    authorship.name = "Grace B. Murray"
    authorship.save()
    refresh([authorship.publication])  # as the admin does after its authors inline

    html = client.get("/publications/").content.decode()
    assert "Murray, G. B." in html


def test_citation_highlights_members_and_cite_works_without_javascript(client, lab):
    html = client.get("/publications/").content.decode()

    grace, alan = (f'<a href="/people/{slug}/" rel="noopener noreferrer"><strong class="member">'
                   f"{name}</strong></a>" for slug, name in [("grace", "Hopper, G."),
                                                             ("alan", "Turing, A.")])  # fmt: skip
    assert f"{grace}, &amp; {alan} (2022)." in html  # members bold and linked
    assert f"Two, E., &amp; {alan} (2024)." in html  # others plain
    cite = html[html.index('<details class="cite">') :]
    assert cite.index("<summary>Cite</summary>") < cite.index("@inproceedings{a2024,")
    assert 'href="/publications/a2024.bib" download="a2024.bib"' in cite
    assert "data-copy hidden" in cite  # the copy button appears only with JavaScript


def test_single_and_person_bib_exports(client, lab):
    single = client.get("/publications/a2024.bib").content.decode()
    assert single.startswith("@inproceedings{a2024,")
    assert "author = {Hopper, Grace and One, Ext}" in single

    person = client.get("/people/grace/publications.bib").content.decode()
    assert [r.key for r in parse_bibtex(person)[0]] == ["a2024", "c2022"]
    assert client.get("/publications/missing.bib").status_code == 404
    assert client.get("/people/nobody/publications.bib").status_code == 404


def test_drafts_are_not_exported(client, lab):
    lab["a"].status = Status.DRAFT
    lab["a"].save()
    assert "a2024" not in client.get("/publications.bib").content.decode()
    assert client.get("/publications/a2024.bib").status_code == 404


def test_correcting_venue_in_admin_corrects_citation_everywhere(staff_client, client, lab):
    url = f"/admin/research/publication/{lab['c'].pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["venue"] = "Conference on Robust Things"

    assert_saved(staff_client.post(url, data))

    html = client.get("/publications/").content.decode()
    assert "<i>Conference on Robust Things</i>" in html
    assert "booktitle = {Conference on Robust Things}" in client.get(
        "/publications/c2022.bib").content.decode()  # fmt: skip
    assert "Conference on Robust Things" in client.get("/people/grace/").content.decode()


def test_renaming_a_member_updates_their_citations(client, lab):
    lab["grace"].last_name = "Hopper-Murray"
    lab["grace"].save()
    assert "Hopper-Murray, G." in client.get("/publications/").content.decode()


def test_scholar_meta_tags_and_json_ld(client, lab):
    publication = lab["a"]
    publication.doi = "10.1/graphs"
    publication.url_pdf = "https://example.org/graphs.pdf"
    publication.venue = "NeurIPS"
    publication.save()

    html = client.get("/publications/a2024/").content.decode()

    assert '<meta name="citation_title" content="Certified Defences for Graphs">' in html
    authors = re.findall(r'<meta name="citation_author" content="([^"]+)">', html)
    assert authors == ["Grace Hopper", "Ext One"]
    assert '<meta name="citation_publication_date" content="2024/06/01">' in html
    assert '<meta name="citation_conference_title" content="NeurIPS">' in html
    assert '<meta name="citation_pdf_url" content="https://example.org/graphs.pdf">' in html
    assert '<meta name="citation_doi" content="10.1/graphs">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "ScholarlyArticle" and data["name"] == publication.title
    assert [a["name"] for a in data["author"]] == ["Grace Hopper", "Ext One"]
    assert data["author"][0]["url"] == "http://testserver/people/grace/"
    assert data["sameAs"] == "https://doi.org/10.1/graphs"
    assert '<link rel="canonical" href="http://testserver/publications/a2024/">' in html
    listing = client.get("/publications/?year=2024").content.decode()
    assert '<link rel="canonical" href="http://testserver/publications/">' in listing


def test_json_ld_cannot_be_broken_out_of(client, lab):
    lab["a"].title = "</script><script>alert(1)</script>"
    lab["a"].save()
    html = client.get("/publications/a2024/").content.decode()
    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_awards_presentation_and_versions_are_facts(client, lab):
    main = lab["a"]
    main.award = "Distinguished Paper Award"
    main.presentation = "oral"
    main.venue_short = "NeurIPS 2024"
    main.save()
    preprint = PublicationFactory(slug="a2023arxiv", title="Certified Defences (preprint)",
                                  date=datetime.date(2023, 1, 1), pub_type="preprint",
                                  version_of=main, version_kind="preprint")  # fmt: skip

    listing = client.get("/publications/").content.decode()
    detail = client.get("/publications/a2024/").content.decode()
    preprint_html = client.get(preprint.get_absolute_url()).content.decode()

    assert '<span class="badge badge-award">Distinguished Paper Award</span>' in listing
    assert '<span class="badge badge-oral">Oral</span>' in detail
    assert '<span class="badge badge-venue">NeurIPS 2024</span>' in detail  # the year once
    assert 'Preprint: <a href="/publications/a2023arxiv/">' in detail
    assert 'This is the preprint of <a href="/publications/a2024/">' in preprint_html
    assert main.venue == "International Conference on Learning Representations"  # untouched


def test_announce_action_drafts_news_once(staff_client, lab):
    lab["b"].venue_short = "PETS"
    lab["b"].save()
    data = {"action": "announce", "_selected_action": [lab["b"].pk]}

    staff_client.post("/admin/research/publication/", data)
    staff_client.post("/admin/research/publication/", data)

    news = NewsItem.objects.get()
    assert news.title == "Paper accepted at PETS: Membership Inference Revisited"
    assert news.status == Status.DRAFT
    assert '<a href="/publications/b2024/"' in news.body_html
    assert Client().get(news.get_absolute_url()).status_code == 404  # a draft until published


def test_person_and_direction_pages_list_publications(client, lab):
    person = client.get("/people/grace/").content.decode()
    assert listed_titles(person) == ["Certified Defences for Graphs",
                                     "Adversarial Training at Scale"]  # fmt: skip
    direction = client.get("/research/robustness/").content.decode()
    assert listed_titles(direction) == ["Certified Defences for Graphs",
                                        "Adversarial Training at Scale"]  # fmt: skip


def test_project_page_lists_its_publications(client, lab):
    from tests.factories import ProjectFactory

    project = ProjectFactory(slug="gp", title="Graph Project")
    lab["a"].projects.add(project)
    assert "Certified Defences for Graphs" in client.get("/projects/gp/").content.decode()
    assert 'href="/projects/gp/"' in client.get("/publications/a2024/").content.decode()


def test_publication_save_keeps_citation_in_sync():
    publication = PublicationFactory(slug="x", title="Solo Work", venue="Venue")
    assert publication.citation_html.startswith("(2024).") or "Solo Work" in (
        publication.citation_html)  # fmt: skip
    AuthorshipFactory(publication=publication, name="Ada Lovelace")
    publication.refresh_from_db()
    assert publication.citation_html.startswith("Lovelace, A. (2024).")
    assert Publication.objects.get(pk=publication.pk).bibtex_export.count("Lovelace, Ada") == 1


@pytest.mark.parametrize("year", ["10000", "0", "0000", "99999", "²", "20x4"])
def test_impossible_year_filters_are_ignored(client, lab, year):
    response = client.get("/publications/", {"year": year})
    assert response.status_code == 200
    assert len(listed_titles(response.content.decode())) == 4
    assert client.get("/publications.bib", {"year": year}).status_code == 200


def test_many_word_search_does_not_multiply_joins(client, lab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/publications.bib", {"q": " ".join(["a"] * 10)})

    assert response.status_code == 200
    # Authors are searched in subqueries: joining authorships once per word would
    # multiply rows (authors ** words) and stall the database on a long query.
    assert all('JOIN "research_authorship"' not in q["sql"] for q in ctx.captured_queries)
    html = client.get("/publications/", {"q": "adversarial training scale"}).content.decode()
    assert listed_titles(html) == ["Adversarial Training at Scale"]
    html = client.get("/publications/", {"q": "turing adversarial"}).content.decode()
    assert listed_titles(html) == ["Adversarial Training at Scale"]


def test_announce_counts_only_new_drafts(staff_client, lab):
    data = {"action": "announce", "_selected_action": [lab["b"].pk]}
    first = staff_client.post("/admin/research/publication/", data, follow=True)
    second = staff_client.post("/admin/research/publication/", data, follow=True)
    assert "1 draft news item created" in first.content.decode()
    assert "0 draft news items created" in second.content.decode()


def test_deleting_a_member_keeps_their_name_as_a_plain_author(client, lab):
    lab["grace"].delete()

    html = client.get("/publications/").content.decode()

    assert "Hopper, G." in html
    assert '<strong class="member">Hopper' not in html
    assert lab["a"].authorships.first().display_name == "Grace Hopper"


def test_direction_and_person_pages_show_the_newest_twenty_and_link_to_all(client, lab):
    for i in range(25):
        paper = PublicationFactory(
            slug=f"many{i}", date=datetime.date(2010, 1, 1) + datetime.timedelta(days=i)
        )
        paper.directions.add(lab["a"].directions.first())
        AuthorshipFactory(publication=paper, person=lab["grace"], name="")

    direction = client.get("/research/robustness/").content.decode()
    person = client.get("/people/grace/").content.decode()

    assert len(listed_titles(direction)) == 20
    assert listed_titles(direction)[0] == "Certified Defences for Graphs"
    assert (
        'href="/publications/?direction=robustness">All publications in this direction' in direction
    )
    assert len(listed_titles(person)) == 20
    assert 'href="/publications/?person=grace">All publications by Grace Hopper' in person


def test_a_pdf_link_to_a_file_on_this_site_saves_in_the_admin(staff_client, client, lab):
    # The Hugo importer stores a bundle's paper.pdf under /media/ and links it.
    url = f"/admin/research/publication/{lab['c'].pk}/change/"
    data = admin_form_data(staff_client.get(url))

    refused = staff_client.post(url, {**data, "url_pdf": "javascript:alert(1)"})
    assert refused.status_code == 200
    assert_saved(staff_client.post(url, {**data, "url_pdf": "/media/files/paper.pdf"}))

    page = client.get(lab["c"].get_absolute_url()).content.decode()
    assert 'href="/media/files/paper.pdf"' in page
    assert (
        '<meta name="citation_pdf_url" content="http://testserver/media/files/paper.pdf">' in page
    )
