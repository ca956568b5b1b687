"""Malicious and broken uploads, built in memory, with the refusal each must get."""

import io
import struct
import zlib

from PIL import Image


def jpeg(size=(64, 48), color=(200, 30, 30), **save_args):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_args)
    return buffer.getvalue()


def png(size=(64, 48), mode="RGB", color=(10, 120, 200), **save_args):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG", **save_args)
    return buffer.getvalue()


def webp(size=(64, 48), **save_args):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 200, 0)).save(buffer, "WEBP", **save_args)
    return buffer.getvalue()


def _chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_declaring(width, height, bit_depth=8, color_type=2, idat=None):
    """A PNG whose header declares a size; the pixel data may be tiny or absent."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    idat = idat if idat is not None else zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))  # fmt: skip


def png_bomb(side=10_000):
    """A real decompression bomb: about 12 kB that inflate to 100 million pixels."""
    row = b"\x00" + b"\x00" * (side // 8)  # filter byte + one bit per pixel
    return png_declaring(side, side, bit_depth=1, color_type=0,
                         idat=zlib.compress(row * side, 9))  # fmt: skip


def jpeg_with_comment(comment):
    data = jpeg()
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return data[:2] + segment + data[2:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # noqa: E501

INVALID = "Upload a valid JPEG, PNG or WebP image"
PIXELS = "too many pixels"
POLYGLOT = "also contains other content"
TOO_BIG = "larger than 5 MB"


def corpus():
    """(case id, file name, bytes, content type, expected message fragment)."""
    truncated = jpeg((300, 200), quality=95)
    noisy = Image.effect_noise((300, 200), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=95)
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    return [
        ("svg-with-script", "logo.svg", SVG, "image/svg+xml", INVALID),
        ("svg-named-png", "logo.png", SVG, "image/png", INVALID),
        ("html", "page.html", HTML, "text/html", INVALID),
        ("html-named-jpg", "photo.jpg", HTML, "image/jpeg", INVALID),
        ("gif-named-jpg", "anim.jpg", GIF, "image/jpeg", INVALID),
        ("truncated-jpeg", "cut.jpg", truncated, "image/jpeg", INVALID),
        ("empty", "empty.jpg", b"", "image/jpeg", INVALID),
        ("garbage", "x.png", b"not an image at all", "image/png", INVALID),
        ("bomb", "bomb.png", png_bomb(), "image/png", PIXELS),
        ("huge-dimensions", "huge.png", png_declaring(60_000, 60_000), "image/png", PIXELS),
        ("one-long-side", "strip.png", png_declaring(50_000, 10), "image/png", PIXELS),
        ("jpeg-comment-script", "c.jpg", jpeg_with_comment(b"<script>alert(1)</script>"),
         "image/jpeg", POLYGLOT),
        ("jpeg-then-html", "p.jpg", jpeg() + HTML, "image/jpeg", POLYGLOT),
        ("png-then-html", "p.png", png() + HTML, "image/png", POLYGLOT),
        ("png-then-zip", "p.png", png() + b"PK\x03\x04" + b"\x00" * 40, "image/png", POLYGLOT),
        ("png-text-chunk-html", "t.png", png()[:-12] + _chunk(b"tEXt", b"c\x00<html>x</html>")
         + _chunk(b"IEND", b""), "image/png", POLYGLOT),
        ("webp-then-html", "p.webp", webp() + b"\x00" * 8 + HTML, "image/webp", POLYGLOT),
        ("too-big", "big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "image/jpeg",
         TOO_BIG),
    ]  # fmt: skip
