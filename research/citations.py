"""Formatted references (citeproc-py, CSL "APA 6th edition") and generated BibTeX.

Both are derived from a publication's structured fields and its authors, and stored
on it by `refresh`, so listings never format citations per request. `refresh` is the
one place that does it: the admin (after the authors inline is saved), the BibTeX and
Hugo imports and the shell call it; a person's change of what citations show (name,
profile link, whether the profile is public) calls it for their papers
(research/signals.py). Nothing else formats a saved publication's citation.
"""

import functools
import html
import re
from collections import defaultdict
from pathlib import Path

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from airml.cache import bump_content_version
from airml.markdown import sanitize_html
from research.bibtex_export import publication_entry
from research.models import Authorship, Publication

STYLE_FILE = Path(__file__).resolve().parent / "csl" / "apa-6th-edition.csl"
CSL_TYPES = {"workshop": "paper-conference", "preprint": "article", "other": "article"}
DATE_PARTS = {
    "year": lambda d: [d.year],
    "month": lambda d: [d.year, d.month],
    "day": lambda d: [d.year, d.month, d.day],
}
MEMBER_TOKEN = "Zqxmember{}Zqx"  # noqa: S105 - a placeholder, not a secret
# Classes this module writes into citations (the sanitiser drops any other).
CITATION_CLASSES = frozenset({"member", "cite-title", "cite-plain"})
# The fields of a Person that stored citations show or depend on (`cited_person`): a
# change there re-formats the person's papers, any other edit (bio, photo) does not.
PERSON_CITED_FIELDS = ("first_name", "last_name", "display_name", "slug", "status", "publish_at")


@functools.cache
def _style():
    return CitationStylesStyle(str(STYLE_FILE), validate=False)


def _csl_name(name, index, is_member):
    words = name.split()
    if name == "et al.":
        return {"literal": "et al."}
    family = words[-1] if words else name
    given = " ".join(words[:-1])
    if is_member:
        family = MEMBER_TOKEN.format(index)
    return {"family": family, "given": given} if given else {"literal": family}


def format_citation(
    pub_type, title, date, venue, authors, doi="", url="", *, precision="year", details=None
):
    """HTML reference for a publication; `authors` is [(name, member)], where `member`
    is the member's profile path (or False for anyone else).

    Members' names come out as <a href="/people/<slug>/"><strong class="member">;
    citeproc never sees them, so the style cannot mangle the markup (a bare True marks
    a member without a link). With `url`, the title links there.
    `details` adds CSL variables (volume, issue, page, publisher, URL); the date
    carries only the parts `precision` says are known.
    """
    # citeproc-py's HTML formatter does not escape data: escape it going in.
    esc = functools.partial(html.escape, quote=False)
    item = {
        "id": "item",
        "type": CSL_TYPES.get(pub_type, pub_type),
        "title": esc(title),
        "author": [_csl_name(esc(name), i, member) for i, (name, member) in enumerate(authors)],
    }
    if date is not None:  # undated: APA's style prints "n.d."
        item["issued"] = {"date-parts": [DATE_PARTS[precision](date)]}
    for name, value in (details or {}).items():
        if value:
            item[name] = value if name == "URL" else esc(value)
    if venue:
        item["container-title"] = esc(venue)
    if doi:
        item["DOI"] = doi
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem("item")]))
    text = str(bibliography.bibliography()[0])
    text = re.sub(r"https://doi\.org/\S+$", "", text).strip()
    escaped_title = esc(title)
    if url and escaped_title in text:
        link = f'<a class="cite-title" href="{html.escape(url)}">{escaped_title}</a>'
        text = text.replace(escaped_title, link, 1)
    for i, (name, member) in enumerate(authors):
        if member:
            family = esc(name.split()[-1])
            text = re.sub(
                re.escape(MEMBER_TOKEN.format(i)) + r"((?:,\s*(?:[^\s,&]{1,3}\.[\s-]*)+)?)",
                lambda m, family=family, member=member: (
                    _member_name(f"{family}{m.group(1).rstrip()}", member)
                    + (" " if m.group(1).endswith(" ") else "")
                ),
                text,
            )
    # Defence in depth: the stored HTML is printed as is.
    return sanitize_html(text, extra_classes=CITATION_CLASSES)


def _member_name(text, member):
    """A member's name in a citation: bold, linked to their profile when it is public."""
    strong = f'<strong class="member">{text}</strong>'
    return f'<a href="{html.escape(member)}">{strong}</a>' if isinstance(member, str) else strong


def member_link(authorship):
    """What a citation shows of an author: their public profile's path, True for a member
    whose profile is not public (bold, unlinked), False for anyone else."""
    if authorship.person_id is None:
        return False
    person = authorship.person
    return person.get_absolute_url() if person.is_public else True


def cited_person(person):
    """What a citation shows of a person: the name, the profile's path, whether it is linked."""
    return person.name, person.slug, person.is_public


def refresh(publications):
    """Format and store the citation and generated BibTeX of these saved publications,
    once each, from their saved authors. Two queries however many there are (their
    authorships with people, one UPDATE; more only past the database's batch size)."""
    publications = list({p.pk: p for p in publications if p.pk is not None}.values())
    if not publications:
        return
    authors = defaultdict(list)
    rows = Authorship.objects.filter(publication__in=[p.pk for p in publications])
    for authorship in rows.select_related("person").order_by("order", "pk"):
        authors[authorship.publication_id].append(authorship)
    for publication in publications:
        publication.citation_html, publication.bibtex_export = derived_fields(
            publication, authors[publication.pk]
        )
    Publication.objects.bulk_update(publications, ["citation_html", "bibtex_export"])
    bump_content_version()  # bulk_update() sends no signal


def derived_fields(publication, authorships, *, cite=True):
    """(citation HTML, generated BibTeX) from a publication's fields and its authorships,
    in order (saved or not: a bulk import computes them before its single INSERT).
    With `cite=False` the citation is the plain one (`plain_citation`)."""
    names = [a.display_name for a in authorships]
    citation = citation_html if cite else plain_citation
    return citation(publication, authorships), publication_entry(publication, names)


def citation_html(publication, authorships):
    """The formatted reference (citeproc, about 13 ms)."""
    details = {
        "volume": publication.volume,
        "issue": publication.number,
        "page": publication.pages.replace("--", "\u2013"),
        "publisher": publication.publisher or publication.institution or publication.school,
        "publisher-place": publication.address,
        "edition": publication.edition,
        "URL": "" if publication.doi else publication.url,
    }
    return format_citation(
        publication.pub_type,
        publication.title,
        publication.date,
        publication.venue or publication.howpublished,
        [(a.display_name, member_link(a)) for a in authorships],
        publication.doi,
        publication.get_absolute_url(),
        precision=publication.date_precision,
        details=details,
    )


PLAIN_MARK = 'class="cite-plain"'


def plain_citation(publication, authorships):
    """A plain reference (authors, year, linked title, venue, DOI), shown while a large
    import's citations are still being formatted in the background. Built here, not
    with a template: a template render costs as much as the rest of an entry."""
    esc = functools.partial(html.escape, quote=False)
    names = ", ".join(
        _member_name(esc(a.display_name), member) if (member := member_link(a))
        else esc(a.display_name)
        for a in authorships
    )  # fmt: skip
    venue = publication.venue or publication.howpublished
    url = html.escape(publication.get_absolute_url())
    text = (
        f"{names}{' ' if names else ''}({esc(str(publication.date_label))}). "
        f'<a class="cite-title" href="{url}">{esc(publication.title)}</a>.'
        + (f" <em>{esc(venue)}</em>." if venue else "")
        + (f" https://doi.org/{esc(publication.doi)}" if publication.doi else "")
    )
    return f"<span {PLAIN_MARK}>{text}</span>"


def is_plain_citation(text):
    return PLAIN_MARK in text
