"""People in listings: a card and an alumni line, each rendered once per version of
the person (see airml.fragments; a link edit touches the person, see people.signals)."""

from django import template

from airml.fragments import render_kept

register = template.Library()

HEADINGS = {"h2", "h3", "h4"}


@register.simple_tag
def person_card(person, heading="h3"):
    heading = heading if heading in HEADINGS else "h3"
    return render_kept("listing/includes/_person_card.html", person, hx=heading)


@register.simple_tag
def alumni_entry(person):
    return render_kept("listing/includes/_alumni_entry.html", person)
