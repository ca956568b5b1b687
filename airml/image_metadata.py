"""Lossless removal of an image file's metadata (EXIF, GPS, XMP, IPTC, comments).

`airml.images.process` stores a picture that needs no change of its pixels (no
scaling, rotation, mode conversion or flattening) as its own bytes with these
segments cut out, instead of decoding and encoding it again: re-encoding was most
of an image-heavy import's time (a WebP or a large PNG takes a second or more) and
loses quality each time. Only the parts that say how to show the pixels are kept;
the rest of the file is copied as it was. Each function returns None when the file
is not laid out as expected, and the caller re-encodes it instead.
"""

import struct

# JPEG markers kept besides the scan data: tables, frame and scan headers, restart
# interval, and the APPn segments that change how pixels are shown.
JPEG_KEPT = {m for m in range(0xC0, 0xD0) if m != 0xC8} | {0xDA, 0xDB, 0xDD}
JPEG_KEPT_APP = {0xE0: (b"JFIF\0", b"JFXX\0"), 0xE2: (b"ICC_PROFILE\0",), 0xEE: (b"Adobe",)}
# PNG chunks kept: the critical ones and those that change how pixels are shown.
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP",
            b"sBIT", b"sRGB", b"cICP", b"pHYs"}  # fmt: skip
WEBP_KEPT = {b"VP8X", b"ICCP", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_EXIF_XMP_FLAGS = 0x08 | 0x04


def strip(data, fmt):
    """`data` without its metadata, or None when it cannot be done losslessly."""
    try:
        return {"JPEG": _jpeg, "PNG": _png, "WEBP": _webp}[fmt](data)
    except (struct.error, IndexError):
        return None


def _jpeg(data):
    if data[:2] != b"\xff\xd8":
        return None
    out, pos = [b"\xff\xd8"], 2
    while pos + 2 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte before a marker
            pos += 1
            continue
        if marker == 0xD9:  # end of image: anything after it is dropped
            out.append(b"\xff\xd9")
            return b"".join(out)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return None
        segment = data[pos:end]
        prefixes = JPEG_KEPT_APP.get(marker)
        if marker in JPEG_KEPT or (prefixes and segment[4:].startswith(prefixes)):
            out.append(segment)
        elif not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            return None  # a marker this function does not know: re-encode instead
        pos = end
        if marker == 0xDA:  # entropy-coded data up to the next marker, copied as is
            scan = pos
            pos = data.find(b"\xff", pos)
            while (
                pos != -1
                and pos + 1 < len(data)
                and (data[pos + 1] in (0x00, 0xFF) or 0xD0 <= data[pos + 1] <= 0xD7)
            ):  # a stuffed 0xFF, a fill byte or a restart marker: still scan data
                pos = data.find(b"\xff", pos + 1)
            if pos == -1:
                return None
            out.append(data[scan:pos])
    return None  # no end of image


def _png(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    out, pos = [data[:8]], 8
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            return None
        if kind in PNG_KEPT:
            out.append(data[pos:end])
        elif not kind[0] & 0x20:
            return None  # an unknown critical chunk: the picture needs it
        if kind == b"IEND":
            return b"".join(out)
        pos = end
    return None


def _webp(data):
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = min(8 + riff_size, len(data))
    chunks, pos = [], 12
    while pos + 8 <= end:
        kind, length = struct.unpack("<4sI", data[pos : pos + 8])
        stop = pos + 8 + length + (length & 1)
        if stop > end + 1:
            return None
        if kind == b"VP8X":
            flags = data[pos + 8] & ~WEBP_EXIF_XMP_FLAGS
            chunks.append(data[pos : pos + 8] + bytes([flags]) + data[pos + 9 : stop])
        elif kind in WEBP_KEPT:
            chunks.append(data[pos:stop])
        elif kind not in (b"EXIF", b"XMP "):
            return None  # animation frames or unknown chunks: re-encode instead
        pos = stop
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body
