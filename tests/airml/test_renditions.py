"""Responsive renditions: written on save, served in srcset with width/height, and no
database query per image."""

import os
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NewsFactory, PersonFactory, image_file

pytestmark = pytest.mark.django_db


def rendition_files(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        if os.path.relpath(root, settings.MEDIA_ROOT).startswith("renditions"):
            found += [os.path.join(root, name) for name in files]
    return sorted(found)


def test_renditions_are_written_when_the_image_is_saved(settings):
    PersonFactory(avatar=image_file(size=(1400, 900)))

    files = rendition_files(settings)

    assert len(files) == 3 and all(f.endswith(".webp") for f in files)


def test_small_image_gets_no_larger_renditions(settings):
    PersonFactory(avatar=image_file(size=(500, 500)))
    assert len(rendition_files(settings)) == 1  # 320 only; the original serves 500


def test_detail_page_has_srcset_sizes_and_dimensions(client):
    NewsFactory(slug="talk", image=image_file(size=(1400, 900)), image_alt="Our talk")

    html = client.get("/news/talk/").content.decode()

    img = re.search(r'<img [^>]*alt="Our talk"[^>]*>', html)[0]
    assert 'width="1400" height="900"' in img
    widths = re.findall(r"\.webp (\d+)w", img)
    assert widths == ["320", "640", "1280"]
    assert re.search(r'srcset="[^"]*-1400x900\.jpg 1400w"', img)
    assert 'sizes="(max-width: 48rem) 100vw, 48rem"' in img


def test_avatar_keeps_its_box_size(client):
    PersonFactory(slug="ada", avatar=image_file(size=(800, 600)))

    html = client.get("/people/ada/").content.decode()

    img = re.search(r'<img [^>]*class="avatar avatar-large"[^>]*>', html)[0]
    assert 'width="220" height="220"' in img and 'sizes="220px"' in img and "320w" in img


@pytest.mark.parametrize("url", ["/people/", "/news/"])
def test_images_add_no_queries(client, url):
    def count():
        cache.clear()  # cold cache: rendition existence is looked up again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    PersonFactory()
    NewsFactory()
    count()  # the first request creates the site settings row
    without_images = count()
    for _ in range(4):
        PersonFactory(avatar=image_file(size=(700, 500)))
        NewsFactory(image=image_file(size=(700, 500)))

    assert count() == without_images
