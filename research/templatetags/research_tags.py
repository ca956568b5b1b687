"""Template tags for research items: a person's research (profile pages), the options
of the publication filters, and publication citations in lists."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from airml.fragments import render_kept
from airml.markdown import sanitize_html
from research.models import Project, Publication

register = template.Library()


@register.inclusion_tag("research/includes/_person_research.html")
def person_research(person):
    """A person's newest publications and their projects: two queries plus one prefetch.

    The full, filterable list is /publications/?person=<slug>."""
    publications, more = (
        Publication.objects.published().for_listing().by_person(person).first_page()
    )
    return {
        "person": person,
        "publications": publications,
        "more_publications": more,
        "projects": list(Project.objects.published().filter(people=person)),
    }


@register.simple_tag
def facet_options(options):
    """The <option>s of one publication filter (a list of 200 people is 0.6 ms here,
    4 ms as a template loop)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        ((value, " selected" if chosen else "", label, count)
         for value, label, count, chosen in options),
    )  # fmt: skip


@register.simple_tag
def publication_citation(publication, detailed=False):
    """A publication's row in a list, rendered once per version (airml.fragments);
    the stored citation and BibTeX are part of the version, as author changes
    rewrite them without a save. `detailed` (the compact and list views, whose query
    prefetches the authors) links member authors and adds the summary."""
    return render_kept("research/includes/_publication_citation.html", publication,
                       name="publication",
                       version=(publication.citation_html, publication.bibtex_export),
                       detailed=bool(detailed))  # fmt: skip


@register.filter
def citation_authors(publication):
    """The authors part of the stored citation (members already in bold), for rows
    that show the title on its own: no authorship query on a citation list."""
    text = publication.citation_html or ""
    cut = text.find(f" ({publication.year_label}")
    if cut <= 0:
        return ""
    return mark_safe(sanitize_html(text[:cut].rstrip(" ,.")))  # noqa: S308 - sanitised
