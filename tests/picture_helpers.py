"""Hostile and ordinary pictures and documents, built in the tests (with Pillow and raw
bytes), and a way to store one in a visit file as irp-field 0.3.0 stored it: the bytes
as they came, under their own hash."""

from __future__ import annotations

import io
import sqlite3
import struct
import zlib
from pathlib import Path

from PIL import Image

from irp_field.core.ids import keyed_id

ARTIST = "Jade Richards"  # on the Hull team: redaction pseudonymises her name
SERIAL = "SN-4410299-QX"
MAKE = "Canon-EOS-R6-irp"
# 53 degrees 44' 30" N, 0 degrees 17' 12" W: HMP Hull, as EXIF GPS rationals
LATITUDE = ((53, 1), (44, 1), (30, 1))
LONGITUDE = ((0, 1), (17, 1), (12, 1))


def gps_bytes() -> list[bytes]:
    """The latitude as the EXIF holds it, in either byte order."""
    return [b"".join(struct.pack(order + "II", n, d) for n, d in LATITUDE) for order in ("<", ">")]


def secrets_in(data: bytes) -> list[str]:
    """Which of the camera's secrets the bytes hold."""
    found = [name for name in (ARTIST, SERIAL, MAKE) if name.encode() in data]
    if any(pattern in data for pattern in gps_bytes()):
        found.append("GPS")
    return found


def halves(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> Image.Image:
    """Blue on the left half, red on the right: which way up it is can be seen."""
    width, height = size
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 30, 220), (0, 0, width // 2, height))
    return image.convert(mode) if mode != "RGB" else image


def camera_jpeg(orientation: int | None = None, size: tuple[int, int] = (64, 48)) -> bytes:
    """A phone's JPEG: EXIF with a GPS position, the camera's make and serial number, the
    owner's name as Artist (and an orientation, if given)."""
    exif = Image.Exif()
    exif[0x013B] = ARTIST
    exif[0x010F] = MAKE
    if orientation is not None:
        exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0xA431] = SERIAL
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (53.0, 44.0, 30.0), "W", (0.0, 17.0, 12.0)
    out = io.BytesIO()
    halves(size).save(out, "JPEG", quality=95, exif=exif)
    data = out.getvalue()
    assert sorted(secrets_in(data)) == sorted([ARTIST, SERIAL, MAKE, "GPS"])  # all in it
    return data


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int, height: int, rows: bytes, *, depth: int = 8, colour: int = 2) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", rows)
        + png_chunk(b"IEND", b"")
    )


def zero_width_png() -> bytes:
    """A PNG of zero width: a hand-built header with a valid CRC."""
    return png(0, 10, zlib.compress(b"\0" * 10))


def bomb_png(side: int = 20_000) -> bytes:
    """A 20,000 x 20,000 PNG of one colour (one bit a pixel): 48 KB on disk, 400 million
    pixels decoded."""
    row = b"\0" * (1 + (side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    return png(side, side, data, depth=1, colour=0)


def text_png() -> bytes:
    """An ordinary PNG with text chunks naming its author and a comment."""
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", ARTIST)
    info.add_text("Comment", f"Taken on {MAKE}", zip=True)
    info.add_itxt("Description", f"serial {SERIAL}")
    halves().save(out, "PNG", pnginfo=info)
    return out.getvalue()


def animated_png() -> bytes:
    out = io.BytesIO()
    first, second = halves(), halves().transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    first.save(out, "PNG", save_all=True, append_images=[second])
    return out.getvalue()


def polyglot_jpeg() -> bytes:
    """A JPEG's first bytes, then an HTML page: what python-docx met with a KeyError."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<html><script>alert('x')</script></html>\xff\xd9"


def decodable_polyglot_jpeg() -> bytes:
    """A real JPEG with a script in a comment and an HTML page after its end."""
    out = io.BytesIO()
    halves().save(out, "JPEG", comment=b"<script>alert('in a comment')</script>")
    return out.getvalue() + b"<html><script>alert('after the end')</script></html>"


HOSTILE = {
    "magic bytes of a JPEG": ("magic.jpg", b"\xff\xd8\xff", "does not decode"),
    "magic bytes of a PNG": ("magic.png", b"\x89PNG\r\n\x1a\n", "does not decode"),
    "a PNG of zero width": ("zero.png", zero_width_png(), "has no pixels (0 x 10)"),
    "a JPEG/HTML polyglot": ("page.jpg", polyglot_jpeg(), "does not decode"),
    "a decompression bomb": ("bomb.png", bomb_png(), "20,000 x 20,000 pixels"),
    "an animated PNG": ("moving.png", animated_png(), "animation"),
}


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def object_stream_pdf(hidden: bytes) -> bytes:
    """A PDF whose catalogue (with ``hidden`` in it) is inside a compressed object stream."""
    objects = b"1 0 << /Type /Catalog " + hidden + b" >>"
    packed = zlib.compress(objects)
    return pdf(
        b"2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj"
    )


def store_as_0_3_0(
    path: Path, data: bytes, kind: str, *, name: str, paragraph_number: str = "3.12"
) -> str:
    """Store ``data`` as irp-field 0.3.0 did (its bytes as they came, under their hash)
    and attach it to a paragraph, each row with its entry in the edit history as 0.3.0
    logged every write; returns the file's hash. Written with sqlite3, as the old
    version's rows are: a stamp of the past, so any edit here outranks it."""
    import hashlib

    from irp_field.core.visit_file import VisitFile
    from irp_field.findings.summary import paragraph_numbers

    with VisitFile.open(path, readonly=True) as visit:
        visit_id = visit.visit_id
        paragraph = {n: i for i, n in paragraph_numbers(visit).items()}[paragraph_number]
    sha256 = hashlib.sha256(data).hexdigest()
    stamp = "1647252000000.000000.oldlaptop"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO attachment_file (id, created_by, version, kind, size, content) "
            "VALUES (?, 'Jade Richards', ?, ?, ?, ?)",
            (sha256, stamp, kind, len(data), data),
        )
        conn.execute(
            "INSERT INTO attachment (id, created_by, version, file_sha256, target_kind, "
            "target_id, caption, file_name) VALUES (?, 'Jade Richards', ?, ?, 'paragraph', ?, "
            "'Exercise yard', ?)",
            (
                keyed_id(visit_id, "attachment", sha256, "paragraph", paragraph),
                stamp,
                sha256,
                paragraph,
                name,
            ),
        )
        attachment = keyed_id(visit_id, "attachment", sha256, "paragraph", paragraph)
        for table, row_id in (("attachment_file", sha256), ("attachment", attachment)):
            conn.execute(
                "INSERT INTO change_log (id, table_name, row_id, action, version, changed_by) "
                "VALUES (?, ?, ?, 'insert', ?, 'Jade Richards')",
                (f"log-{table}-{row_id}", table, row_id, stamp),
            )
    conn.close()
    return sha256
