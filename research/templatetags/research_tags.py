"""Template tags that list research items for a person (used on profile pages)."""

from django import template

from research.models import Project, Publication

register = template.Library()


@register.inclusion_tag("research/includes/_person_research.html")
def person_research(person):
    """A person's published publications and projects: two queries plus one prefetch."""
    return {
        "publications": list(Publication.objects.published().for_listing().by_person(person)),
        "projects": list(Project.objects.published().filter(people=person)),
    }
