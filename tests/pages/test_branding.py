"""Branding from Site settings: the accent palette (WCAG contrast), the admin's
refusal of unreadable colours, every favicon size from one upload, the home intro."""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from pages.branding import (
    AA,
    DARK_BACKGROUNDS,
    LIGHT_BACKGROUNDS,
    contrast_ratio,
    palette,
    relative_luminance,
    validate_accent_color,
    worst_contrast,
)
from pages.models import SiteLink, SiteSettings
from tests.admin_forms import admin_form_data
from tests.factories import image_file


def test_contrast_maths_matches_wcag_reference_values():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000", "#fff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # WebAIM's checker: #777777 on white is 4.48:1 (fails AA), #767676 is 4.54:1.
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#0b5cad", "#fff") == contrast_ratio("#fff", "#0b5cad")


@pytest.mark.parametrize("accent", ["#1d4ed8", "#7c3aed", "#b91c1c", "#0f766e", "#000000"])
def test_palette_keeps_aa_in_both_themes(accent):
    colors = palette(accent)

    assert colors["light"]["--accent"] == accent  # the lab's colour, as given
    assert worst_contrast(colors["light"]["--accent"], LIGHT_BACKGROUNDS) >= AA
    assert worst_contrast(colors["dark"]["--accent"], DARK_BACKGROUNDS) >= AA
    for theme in ("light", "dark"):
        fill, text = colors[theme]["--accent"], colors[theme]["--accent-fg"]
        assert contrast_ratio(fill, text) >= AA  # text on a primary button


def test_too_light_a_colour_is_refused_with_a_darker_suggestion():
    with pytest.raises(Exception) as refused:
        validate_accent_color("#ffcc00")
    message = refused.value.messages[0]
    suggestion = message.rsplit(": ", 1)[1].rstrip(".")

    assert "too light" in message and "1.4:1" in message  # against the grey surface
    assert worst_contrast(suggestion, LIGHT_BACKGROUNDS) >= AA


@pytest.mark.django_db
def test_admin_refuses_an_unreadable_accent_and_stores_a_good_one(staff_client):
    url = f"/admin/pages/sitesettings/{SiteSettings.load().pk}/change/"
    data = admin_form_data(staff_client.get(url))
    assert {"name", "intro", "footer", "email", "accent_color"} <= set(data)  # every setting

    refused = staff_client.post(url, {**data, "accent_color": "#ffee88"})
    assert refused.status_code == 200
    assert "too light to read as text" in refused.content.decode()
    assert SiteSettings.load().accent_color == ""

    for bad in ("blue", "#12345"):
        response = staff_client.post(url, {**data, "accent_color": bad})
        assert "Enter a hex colour" in response.content.decode()

    staff_client.post(url, {**data, "accent_color": "#7C3AED"})
    assert SiteSettings.load().accent_color == "#7c3aed"


@pytest.mark.django_db
def test_accent_stylesheet_is_linked_only_when_set_and_overrides_both_themes(client):
    assert "/brand.css" not in client.get("/").content.decode()
    assert client.get("/brand.css").status_code == 404

    site = SiteSettings.load()
    site.accent_color = "#7c3aed"
    site.save()
    html = client.get("/").content.decode()
    css = client.get("/brand.css")

    assert '<link rel="stylesheet" href="/brand.css?v=' in html
    assert css["Content-Type"] == "text/css"
    body = css.content.decode()
    assert ":root { --accent: #7c3aed; --accent-fg: #ffffff" in body
    assert ':root[data-theme="dark"] { --accent: ' in body
    assert "prefers-color-scheme: dark" in body


def icon_sizes(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.format, sorted(image.info.get("sizes", {image.size}))


@pytest.mark.django_db
def test_default_favicons_are_served_without_an_upload(client):
    ico = client.get("/favicon.ico")
    touch = client.get("/apple-touch-icon.png")

    assert ico.status_code == 200 and ico["Content-Type"] == "image/x-icon"
    assert icon_sizes(ico.content) == ("ICO", [(16, 16), (32, 32), (48, 48)])
    assert touch["Content-Type"] == "image/png"
    assert icon_sizes(touch.content) == ("PNG", [(180, 180)])
    assert icon_sizes(client.get("/icon-512.png").content) == ("PNG", [(512, 512)])
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico?v=' in html
    assert '<link rel="apple-touch-icon" href="/apple-touch-icon.png?v=' in html


@pytest.mark.django_db
def test_every_size_is_made_from_one_upload(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = client.get("/").content.decode()
    site = SiteSettings.load()
    site.favicon = image_file("mark.png", fmt="PNG", size=(300, 200), color=(10, 200, 30))
    site.save()
    cache.clear()

    html = client.get("/").content.decode()
    touch = client.get("/apple-touch-icon.png").content

    assert html.split("/favicon.ico?v=")[1][:10] != before.split("/favicon.ico?v=")[1][:10]
    with Image.open(io.BytesIO(touch)) as image:
        assert image.size == (180, 180)  # cropped to a square, then scaled
        assert image.convert("RGB").getpixel((90, 90)) == (10, 200, 30)
    assert icon_sizes(client.get("/favicon.ico").content)[1] == [(16, 16), (32, 32), (48, 48)]


@pytest.mark.django_db
def test_logo_and_lab_links_show_in_header_and_footer(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    site = SiteSettings.load()
    site.logo = image_file("logo.png", fmt="PNG", size=(120, 120))
    site.address = "Main Street 1\nZurich"
    site.save()
    SiteLink.objects.create(kind="github", url="https://github.com/airml", order=1)
    SiteLink.objects.create(kind="email", url="lab@example.org", order=2)

    html = client.get("/news/").content.decode()

    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<img class="brand-logo" src="/media/branding/' in header
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Main Street 1<br>Zurich" in footer
    assert '<a href="https://github.com/airml"><svg class="icon"' in footer
    assert '#github"></use></svg><span>GitHub</span></a>' in footer
    assert '<a href="mailto:lab@example.org">' in footer
    assert footer.index("GitHub") < footer.index("Email")
    assert "/news/feed/" in footer and "&copy;" in footer
