"""The person card of people listings, built once per version of the person.

The people page prints every member at once; building a card (a template or
`format_html`) costs 60-100 µs, 10-20 ms for a lab of 200. So each worker keeps the
cards it has built, keyed by the person's id and `modified` time: an edit of the
person, or of one of their links (which touches the person, see people.signals),
makes a new key, and an edit of anything else leaves the cards valid. The markup is
the one `templates/listing/card.html` gives other kinds of items.
"""

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from airml.templatetags.airml_tags import responsive_image

register = template.Library()

HEADINGS = {"h2", "h3", "h4"}
MAX_CARDS = 5000  # per worker; about 1 KB each
_cards = {}


def _avatar(person):
    if person.avatar:
        return responsive_image(person.avatar, alt=person.image_alt, sizes="150px",
                                css_class="avatar", width=150, height=150)  # fmt: skip
    return format_html('<span class="avatar avatar-initials" aria-hidden="true">{}{}</span>',
                       person.first_name[:1], person.last_name[:1])  # fmt: skip


def _meta(person):
    if person.is_alumni:  # rare in cards: alumni have their own list
        return get_template("listing/includes/_meta.html").render({"item": person})
    if person.co_advisors:
        return format_html('<p class="meta">{} <span class="muted">({})</span></p>',
                           person.role, person.co_advisors)  # fmt: skip
    return format_html('<p class="meta">{}</p>', person.role)


def _links(person):
    links = person.listing_links
    if not links:
        return ""
    items = format_html_join("", '<li><a href="{}">{}</a></li>',
                             ((link.href, link.display_label) for link in links))  # fmt: skip
    return format_html('<ul class="social" aria-label="Links for {}">{}</ul>', person.name, items)


def _kept(person, build, *args):
    if person.pk is None:
        return build(person, *args)
    key = (build, person.pk, person.modified, *args, get_language(), get_script_prefix())
    html = _cards.get(key)
    if html is None:
        if len(_cards) >= MAX_CARDS:
            _cards.clear()
        html = _cards[key] = build(person, *args)
    return html


@register.simple_tag
def person_card(person, heading="h3"):
    return _kept(person, _card, heading if heading in HEADINGS else "h3")


@register.simple_tag
def alumni_entry(person):
    """One line of the alumni list: name (linked), then what they did and where they went."""
    return _kept(person, _alumni_entry)


def _alumni_entry(person):
    return format_html('<li><a href="{}">{}</a>{}</li>', person.get_absolute_url(), person.name,
                       _meta(person))  # fmt: skip


def clear_cards():
    _cards.clear()


def _card(person, heading):
    heading = mark_safe(heading)  # noqa: S308 - one of HEADINGS
    return format_html(
        '<article class="card">\n'
        '    <div class="card-image">{}</div>\n'
        '    <div class="card-body">\n'
        '      <{}><a href="{}">{}</a></{}>\n'
        "      {}\n"
        "      {}\n"
        "    </div>\n"
        "  </article>",
        _avatar(person), heading, person.get_absolute_url(), person.name, heading,
        _meta(person), _links(person),
    )  # fmt: skip
