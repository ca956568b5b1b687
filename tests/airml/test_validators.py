"""Link validation: only site paths, anchors and http(s)/mailto links reach an href."""

import pytest
from django.core.exceptions import ValidationError

from airml.validators import is_safe_link, validate_link_for_kind
from pages.models import SiteLink
from people.models import SocialLink, validate_social_link
from tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("/people/", True), ("/#about", True), ("#contact", True),
        ("https://example.org/x?y=1", True), ("http://example.org", True),
        ("mailto:lab@example.org", True),
        ("javascript:alert(1)", False), (" javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False),
        ("//evil.example/", False), ("/\\evil.example", False), ("https://", False),
        ("vbscript:x", False), ("mailto:", False), ("", False), ("people/", False),
        ("http://[::1", False), ("/a\tb", False),
    ],
)  # fmt: skip
def test_is_safe_link(value, safe):
    assert is_safe_link(value) is safe


def test_social_links_accept_addresses_and_web_links_only():
    validate_social_link("jane@example.org")
    validate_social_link("mailto:jane@example.org")
    validate_social_link("https://github.com/jane")
    for bad in ("javascript:alert(1)", "/people/jane/", "#x", "data:,x"):
        with pytest.raises(ValidationError):
            validate_social_link(bad)


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        ("website", "https://lab.example.org/", True),
        ("website", "javascript&colon;alert(1)//@x", False),
        ("website", "jane@example.org", False),
        ("website", "mailto:jane@example.org", False),
        ("github", "https://github.com/jane", True),
        ("google-scholar", "/people/jane/", False),
        ("email", "jane@example.org", True),
        ("email", "mailto:jane@example.org", True),
        ("email", "https://example.org", False),
        ("email", "javascript&colon;alert(1)//@x", False),
        ("email", "mailto:jane@example.org?bcc=x@y.org", False),
        ("other", "https://example.org", True),
        ("other", "jane@example.org", True),
        ("other", "javascript:alert(1)", False),
    ],
)  # fmt: skip
def test_link_validators_per_link_kind(kind, value, valid):
    if valid:
        validate_link_for_kind(kind, value)
    else:
        with pytest.raises(ValidationError):
            validate_link_for_kind(kind, value)


def test_website_link_with_encoded_javascript_scheme_is_refused():
    with pytest.raises(ValidationError):
        validate_social_link("javascript&colon;alert(1)//@x")
    with pytest.raises(ValidationError):
        validate_link_for_kind("website", "javascript&colon;alert(1)//@x")


@pytest.mark.django_db
def test_social_link_kind_mismatch_is_a_field_error_in_the_model():
    person = PersonFactory()
    link = SocialLink(person=person, kind=SocialLink.Kind.WEBSITE, url="jane@example.org")

    with pytest.raises(ValidationError) as raised:
        link.full_clean()

    assert list(raised.value.message_dict) == ["url"]
    SiteLink(kind="email", url="lab@example.org", order=0).full_clean()
    with pytest.raises(ValidationError):
        SiteLink(kind="github", url="lab@example.org", order=0).full_clean()


@pytest.mark.django_db
def test_website_link_with_encoded_javascript_is_refused_in_the_person_admin(staff_client):
    from tests.admin_forms import add_inline_rows, admin_form_data

    person = PersonFactory()
    url = f"/admin/people/person/{person.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    add_inline_rows(data, "social_links", [
        {"kind": "website", "url": "javascript&colon;alert(1)//@x", "order": 0}
    ])  # fmt: skip

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any("url" in form_errors for form_errors in errors)
    assert not SocialLink.objects.exists()
