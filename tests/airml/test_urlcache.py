"""`reverse_slug` gives exactly what `reverse` gives, for every slug and prefix."""

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from airml.urlcache import reverse_slug

NAMES = ["people:person_detail", "research:publication_detail", "research:publication_bib",
         "research:project_detail", "research:direction_detail", "news:newsitem_detail",
         "news:event_detail", "pages:page_detail"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["grace-hopper", "x", "a_b-2024", "slug-placeholder"])
def test_same_as_reverse(name, slug):
    assert reverse_slug(name, slug) == reverse(name, kwargs={"slug": slug})


def test_other_slugs_take_the_normal_path():
    # A unicode slug (allowed by `<slug:>` only when ASCII) is refused like reverse() does.
    with pytest.raises(Exception) as error:
        reverse_slug("people:person_detail", "gödel")
    with pytest.raises(error.type):
        reverse("people:person_detail", kwargs={"slug": "gödel"})


def test_script_prefix_is_kept():
    assert reverse_slug("people:person_detail", "ada") == "/people/ada/"
    set_script_prefix("/lab/")
    try:
        assert reverse_slug("people:person_detail", "ada") == "/lab/people/ada/"
    finally:
        set_script_prefix("/")
    assert reverse_slug("people:person_detail", "ada") == "/people/ada/"


def test_a_changed_urlconf_is_followed(settings):
    reverse_slug("pages:page_detail", "about")  # remembered under the first URLconf
    with override_settings(ROOT_URLCONF="tests.airml.urls_prefixed"):
        assert reverse_slug("pages:page_detail", "about") == "/site/about/"
    assert reverse_slug("pages:page_detail", "about") == "/about/"
