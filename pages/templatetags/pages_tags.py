"""Template tags for search engines: schema.org JSON-LD for the lab and its people."""

from django import template
from django.urls import reverse

from airml.templatetags.airml_tags import jsonld

register = template.Library()


def organisation_data(site, request):
    """schema.org data for the lab, from the site settings (no query)."""
    data = {
        "@type": "ResearchOrganization",
        "name": site.full_name or site.name,
        "url": request.build_absolute_uri(reverse("pages:home")),
    }
    if site.name and site.name != data["name"]:
        data["alternateName"] = site.name
    if site.description:
        data["description"] = site.description
    if site.email:
        data["email"] = site.email
    if site.phone:
        data["telephone"] = site.phone
    if site.address:
        data["address"] = " ".join(site.address.split())
    return data


@register.simple_tag(takes_context=True)
def organisation_jsonld(context):
    data = {"@context": "https://schema.org"} | organisation_data(
        context["site"], context["request"]
    )
    return jsonld(data)


@register.simple_tag(takes_context=True)
def person_jsonld(context, person):
    request = context["request"]
    affiliation = organisation_data(context["site"], request)
    return jsonld(person.schema_org(request, affiliation=affiliation))
