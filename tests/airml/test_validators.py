"""Link validation: only site paths, anchors and http(s)/mailto links reach an href."""

import pytest
from django.core.exceptions import ValidationError

from airml.validators import is_safe_link
from people.models import validate_social_link


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
