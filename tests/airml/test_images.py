"""The one image gate: malicious and broken files refused with a message; good photos
re-encoded without metadata, orientation applied, modes and animations normalised."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from airml import images
from airml.images import clean_upload, process
from tests import image_corpus
from tests.image_corpus import jpeg, png, png_bomb, webp


def reopen(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def exif_with_gps_and_orientation(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 1.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 2.5),
    }
    return exif


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [(case[1], case[2], case[4]) for case in image_corpus.corpus()],
    ids=[case[0] for case in image_corpus.corpus()],
)
def test_malicious_or_broken_files_are_refused_with_a_message(name, data, message):
    with pytest.raises(ValidationError) as refused:
        process(data)
    assert message in " ".join(refused.value.messages)


def test_bomb_in_pillows_own_warning_range_is_refused(monkeypatch):
    # With our limits lifted, Pillow's DecompressionBombWarning (100 million pixels is
    # above its 89 million threshold) must still refuse the file, not just warn.
    monkeypatch.setattr(images, "MAX_PIXELS", 10**10)
    monkeypatch.setattr(images, "MAX_DIMENSION", 10**6)

    with pytest.raises(ValidationError, match="too many pixels"):
        process(png_bomb())


def test_limits_hold_even_if_pillows_check_is_switched_off(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    with pytest.raises(ValidationError, match="too many pixels"):
        process(png_bomb())


@pytest.mark.parametrize(("fmt", "maker"), [("JPEG", jpeg), ("PNG", png), ("WEBP", webp)])
def test_gps_and_exif_are_gone_from_the_stored_file(fmt, maker):
    source = maker(exif=exif_with_gps_and_orientation().tobytes())
    assert reopen(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input has GPS

    stored = reopen(process(source).data)

    assert stored.format == fmt
    assert dict(stored.getexif()) == {}
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in stored.info


def test_xmp_and_comments_are_gone():
    source = jpeg(xmp=b"<x:xmpmeta><rdf:RDF>GPSLatitude 52.37</rdf:RDF></x:xmpmeta>",
                  comment=b"taken at home")  # fmt: skip
    data = process(source).data
    assert b"xmpmeta" not in data and b"GPSLatitude" not in data and b"at home" not in data


def test_exif_orientation_is_applied():
    source = jpeg(size=(80, 40), exif=exif_with_gps_and_orientation(orientation=6).tobytes())

    result = process(source)

    assert (result.width, result.height) == (40, 80)
    assert reopen(result.data).size == (40, 80)


def test_cmyk_jpeg_becomes_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (30, 20), (0, 255, 255, 0)).save(buffer, "JPEG")

    stored = reopen(process(buffer.getvalue()).data)

    assert (stored.format, stored.mode) == ("JPEG", "RGB")


def test_palette_png_keeps_transparency():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.putpixel((5, 5), 1)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)

    stored = reopen(process(buffer.getvalue()).data)

    assert stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0 and stored.getpixel((5, 5)) == (0, 0, 255, 255)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animation_is_flattened_to_its_first_frame(fmt):
    frames = [Image.new("RGB", (30, 30), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert getattr(reopen(buffer.getvalue()), "n_frames", 1) == 3

    stored = reopen(process(buffer.getvalue()).data)

    assert getattr(stored, "n_frames", 1) == 1
    assert stored.convert("RGB").getpixel((10, 10))[0] > 200  # red, the first frame


def test_multi_picture_jpeg_is_stored_as_jpeg():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (30, 20), "red"), Image.new("RGB", (30, 20), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])

    result = process(buffer.getvalue())

    assert (result.extension, reopen(result.data).format) == ("jpg", "JPEG")


def test_sixteen_bit_and_greyscale_pngs_are_accepted():
    assert process(png(mode="I;16", color=30000)).extension == "png"
    assert process(png(mode="LA", color=(100, 50))).extension == "png"
    assert process(png(mode="1", color=1)).extension == "png"


def test_large_photo_is_scaled_down():
    result = process(jpeg(size=(4000, 1000)))
    assert (result.width, result.height) == (3000, 750)


def test_upload_gets_random_name_with_detected_extension_and_size():
    from django.core.files.uploadedfile import SimpleUploadedFile

    cleaned = clean_upload(SimpleUploadedFile("../../me.png", jpeg(size=(64, 48)), "image/png"))

    assert cleaned.name.endswith("-64x48.jpg")
    assert "me" not in cleaned.name and "/" not in cleaned.name
    assert cleaned.content_type == "image/jpeg"


def _pixels(data):
    return reopen(data).convert("RGBA").tobytes()


@pytest.mark.parametrize("progressive", [False, True])
def test_picture_needing_no_change_keeps_its_bytes_without_metadata(progressive):
    noisy = Image.effect_noise((120, 80), 60).convert("RGB")
    buffer = io.BytesIO()
    exif = exif_with_gps_and_orientation().tobytes()
    noisy.save(buffer, "JPEG", quality=95, progressive=progressive, exif=exif, comment=b"at home")
    source = buffer.getvalue()

    result = process(source)

    assert _pixels(result.data) == _pixels(source)  # not encoded again: no loss
    assert b"PhoneMaker" not in result.data and b"at home" not in result.data
    assert dict(reopen(result.data).getexif()) == {}


SITES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "hugo-sites"
SITE_PICTURES = sorted((SITES / "NU-AquaLab--aqualab-web" / "assets" / "media").glob("*.[jp][pn]g"))


@pytest.mark.skipif(not SITE_PICTURES, reason="../shared/fixtures/hugo-sites is not beside us")
def test_real_site_pictures_keep_their_pixels_and_lose_their_metadata():
    for path in SITE_PICTURES:
        source = path.read_bytes()
        result = process(source)
        stored = reopen(result.data)
        assert dict(stored.getexif()) == {}, path.name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(stored.info), path.name
        if max(Image.open(path).size) <= images.MAX_SIDE:
            assert _pixels(result.data) == _pixels(source), path.name


def test_large_jpeg_is_decoded_at_a_reduced_scale_and_scaled_to_the_limit():
    result = process(jpeg(size=(9000, 1500)))
    assert (result.width, result.height) == (3000, 500)
    assert reopen(result.data).size == (3000, 500)


# --- Alt text: an image shown on the site needs a description -------------------

ALT_TEXT_CASES = [
    ("people", "person", "avatar", "avatar_alt", "PersonFactory"),
    ("research", "researchdirection", "image", "image_alt", "DirectionFactory"),
    ("research", "project", "image", "image_alt", "ProjectFactory"),
    ("research", "publication", "image", "image_alt", "PublicationFactory"),
    ("news", "newsitem", "image", "image_alt", "NewsFactory"),
    ("news", "event", "image", "image_alt", None),
]


def _event():
    import datetime

    from django.utils import timezone

    from news.models import Event

    starts = timezone.make_aware(datetime.datetime(2025, 5, 1, 10))
    return Event.objects.create(title="Talk", slug="talk", date=starts)


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model", "image", "alt", "factory"), ALT_TEXT_CASES)
def test_image_without_description_is_a_clear_form_error(staff_client, app, model, image, alt,
                                                         factory):  # fmt: skip
    from tests import factories
    from tests.admin_forms import admin_form_data

    obj = getattr(factories, factory)() if factory else _event()
    url = f"/admin/{app}/{model}/{obj.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data.update({image: factories.image_file("photo.jpg"), alt: "  "})

    refused = staff_client.post(url, data)

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert list(errors) == [alt]
    assert "Describe this image" in errors[alt][0]
    obj.refresh_from_db()
    assert not getattr(obj, image)

    data = admin_form_data(refused)
    data.update({image: factories.image_file("photo.jpg"), alt: "Three people at a whiteboard"})
    saved = staff_client.post(url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    obj.refresh_from_db()
    assert getattr(obj, image) and getattr(obj, alt) == "Three people at a whiteboard"


@pytest.mark.django_db
def test_alt_text_field_explains_itself_in_the_admin(staff_client):
    from tests.factories import ProjectFactory

    html = staff_client.get(f"/admin/research/project/{ProjectFactory().pk}/change/").content
    assert b"Describe the image for people who cannot see it" in html


@pytest.mark.django_db
def test_code_and_importers_may_save_images_without_form_checks():
    from tests.factories import NewsFactory, image_file

    news = NewsFactory(image=image_file(), image_alt="")

    assert news.image  # only forms (the admin) require the description
