"""Template tags that list research items for a person (used on profile pages)."""

from django import template

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
