"""Photographs decoded and re-encoded clean: what a visit stores of a picture is its
pixels, never what the camera wrote beside them.

A phone's JPEG says where it was taken (EXIF GPS), with which camera (its serial
number) and often by whom (EXIF Artist: the inspector's real name, which redaction
pseudonymises everywhere else); a PNG carries text chunks; either may carry anything
after its end (an HTML page, a second file). Every path that takes a picture (``attach``,
the screens' ``f``, a bundle, the merge) passes it through :func:`clean`; ``check`` and
the merge ask :func:`stored_verdicts` of what is stored; the report shows only what
:func:`clean` gives it. The rules and their words are ``domain.attachments``'s.

*Clean* is read from the file's layout, never by re-encoding and comparing (a JPEG
re-encoded is never the same bytes twice over): a clean file holds only what an
encoding by irp-field writes (JPEG: a JFIF header without a thumbnail, its tables, one
frame and its scans, the end; PNG: its header, palette, transparency, data and end),
nothing after its end, and it decodes whole. A clean file is kept byte for byte, so
cleaning twice changes nothing and a clean picture merged from another laptop is the
same file there and here. Any other is decoded (within :data:`MAX_PIXELS`), turned
upright as its EXIF orientation says, and encoded anew without its metadata: JPEG at
quality 90 with its own chroma subsampling, PNG losslessly, colours converted to sRGB
from an ICC profile first (the profile's texts name the device). Two laptops that
attach the same camera picture store the same clean bytes (one file by content hash)
as long as they run the same Pillow: a different encoder may write other bytes (two
files of one picture; nothing is lost).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from irp_field.domain import attachments as rules
from irp_field.domain.verdicts import RecordRefused, Verdict

# Pillow's own bound, set deliberately: above it a decoder warns, at twice it refuses.
# Both are refusals here (the warning is caught and refused), and the header's size is
# judged before Pillow is asked at all.
Image.MAX_IMAGE_PIXELS = rules.MAX_PIXELS

FORMATS = {"jpeg": "JPEG", "png": "PNG"}
JPEG_QUALITY = 90
PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "I;16")  # kept as they are

_JPEG_FRAMES = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}  # SOFn; C4 DHT, C8 JPG, CC DAC
_JPEG_TABLES = {0xC4, 0xCC, 0xDB, 0xDD, 0xDC}  # DHT, DAC, DQT, DRI, DNL: the picture's own
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # after a scan: not stuffing, not RSTn
_PNG_PICTURE = {b"IHDR", b"PLTE", b"tRNS", b"IDAT"}
_PNG_ANIMATION = {b"acTL", b"fcTL", b"fdAT"}
_APP_NAMES = (
    (b"Exif\0", "EXIF"),
    (b"http://ns.adobe.com/xap/1.0/", "XMP"),
    (b"http://ns.adobe.com/xmp/extension/", "XMP"),
    (b"ICC_PROFILE\0", "an ICC colour profile"),
    (b"MPF\0", "further pictures (a preview or depth map)"),
    (b"Photoshop 3.0\0", "IPTC"),
)
# What ``stored_verdicts`` found of each file, by its kind and hash, with a mark where
# the file's name goes (names are one line: never a NUL).
_NAME = "\0"
_STORED: dict[tuple[str, str], list[Verdict]] = {}
_PNG_NAMES = {
    b"eXIf": "EXIF",
    b"iCCP": "an ICC colour profile",
    b"tIME": "a time it was changed",
}


@dataclass
class Layout:
    """What a picture's file holds, read from its segments or chunks (no decoding)."""

    width: int = 0
    height: int = 0
    scans: int = 0
    frames: int = 1  # an animated PNG's pictures (acTL)
    carried: list[str] = field(default_factory=list)  # beside its pixels ([]: clean)
    whole: bool = True  # every byte in a segment or chunk, and an end

    @property
    def clean(self) -> bool:
        return self.whole and not self.carried


@dataclass(frozen=True)
class CleanPicture:
    content: bytes
    removed: list[str]  # what the original carried that this does not ([]: kept as it was)
    turned: bool  # turned upright as its EXIF orientation said

    @property
    def changed(self) -> bool:
        return bool(self.removed) or self.turned


def layout(kind: str, content: bytes) -> Layout:
    return _jpeg_layout(content) if kind == "jpeg" else _png_layout(content)


def _jpeg_layout(data: bytes) -> Layout:
    found = Layout()
    position = 2  # after the start marker
    while True:
        if position >= len(data) or data[position] != 0xFF:
            found.whole = False  # ends without its end marker, or bytes outside a segment
            return found
        while position < len(data) and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(data):
            found.whole = False
            return found
        marker = data[position]
        position += 1
        if marker == 0xD9:  # the end
            if position < len(data):
                found.carried.append("data after the picture's end")
            return found
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue  # markers without a length
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            found.whole = False
            return found
        body = data[position + 2 : position + length]
        position += length
        if marker in _JPEG_FRAMES and len(body) >= 5:
            found.height = int.from_bytes(body[1:3], "big")
            found.width = int.from_bytes(body[3:5], "big")
        elif marker == 0xDA:
            found.scans += 1
            after = _NEXT_MARKER.search(data, position)
            position = after.start() if after else len(data)
        elif marker == 0xE0:
            if not (body.startswith(b"JFIF\0") and len(body) == 14 and body[12:14] == b"\0\0"):
                found.carried.append("a JFIF extension (a thumbnail)")
        elif 0xE1 <= marker <= 0xEF:
            found.carried.append(
                next((n for prefix, n in _APP_NAMES if body.startswith(prefix)), "APP data")
            )
        elif marker == 0xFE:
            found.carried.append("a comment")
        elif marker not in _JPEG_TABLES:
            found.carried.append(f"a segment of type {marker:02X}")


def _png_layout(data: bytes) -> Layout:
    found = Layout()
    position = 8  # after the signature
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            break
        body = data[position + 8 : end - 4]
        if kind == b"IHDR" and len(body) >= 8:
            found.width = int.from_bytes(body[0:4], "big")
            found.height = int.from_bytes(body[4:8], "big")
        elif kind == b"IEND":
            if end < len(data):
                found.carried.append("data after the picture's end")
            return found
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            keyword = body.split(b"\0", 1)[0][:79].decode("latin-1", "replace")
            found.carried.append(f"a text chunk ({keyword!r})")
        elif kind == b"acTL":
            found.frames = max(2, int.from_bytes(body[0:4], "big"))
        elif kind in _PNG_ANIMATION:
            found.frames = max(found.frames, 2)
        elif kind not in _PNG_PICTURE:
            found.carried.append(
                _PNG_NAMES.get(kind, f"a {kind.decode('latin-1', 'replace')!r} chunk")
            )
        position = end
    found.whole = False  # no end chunk
    return found


def _refuse(verdicts: list[Verdict]) -> None:
    if verdicts:
        raise RecordRefused(verdicts)


def _decoded(name: str, kind: str, content: bytes, *, quick: bool = False) -> Image.Image:
    """The picture decoded whole (``quick``: a JPEG at an eighth of its size, which still
    reads every byte of its scans), or RecordRefused naming the file."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            image = Image.open(io.BytesIO(content), formats=[FORMATS[kind]])
            _refuse(rules.picture_verdicts(name, image.width, image.height))
            if any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught):
                _refuse([rules.too_many_pixels(name, image.width, image.height)])
            if kind == "png" and getattr(image, "is_animated", False):
                _refuse(rules.picture_verdicts(name, 1, 1, frames=getattr(image, "n_frames", 2)))
            if quick and kind == "jpeg":
                image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except RecordRefused:
        raise
    except Image.DecompressionBombError:
        raise RecordRefused([rules.too_many_pixels(name)]) from None
    except UnidentifiedImageError:
        raise RecordRefused([rules.undecodable_verdict(name, kind, "no picture in it")]) from None
    except Exception as error:  # whatever a decoder raises on hostile bytes
        why = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise RecordRefused([rules.undecodable_verdict(name, kind, why)]) from None
    return image


def _judged(name: str, kind: str, content: bytes) -> Layout:
    """The layout, and what the rules say of it before anything is decoded."""
    found = layout(kind, content)
    if found.width or found.height:
        _refuse(
            rules.picture_verdicts(
                name, found.width, found.height, frames=found.frames, scans=found.scans
            )
        )
    elif found.frames > 1:
        _refuse(rules.picture_verdicts(name, 1, 1, frames=found.frames))
    return found


def clean(name: str, kind: str, content: bytes) -> CleanPicture:
    """The picture as a visit stores it, or RecordRefused naming ``name``."""
    found = _judged(name, kind, content)
    if found.clean:
        _decoded(name, kind, content)  # and decodes whole
        return CleanPicture(content, [], turned=False)
    image = _decoded(name, kind, content)
    removed = list(dict.fromkeys(_described(image, found)))
    subsampling = _subsampling(image)
    upright, turned = _upright(image)
    encoded = _encode(upright, kind, subsampling)
    again = layout(kind, encoded)
    if not again.clean:  # never: the encoders write none of it (tests hold them to this)
        raise RecordRefused([rules.undecodable_verdict(name, kind, "it cannot be cleaned")])
    return CleanPicture(encoded, removed, turned)


def for_showing(name: str, kind: str, content: bytes, sha256: str) -> bytes:
    """The bytes a report shows of a stored picture: a clean one as it is (read back as
    ``check`` reads it: quickly, once a process, so F12's three reports decode it once),
    any other cleaned; RecordRefused naming ``name`` for one that does not decode."""
    if rules.file_id(content) == sha256:
        said = stored_verdicts(name, kind, content, sha256)
        if not said:
            return content
        _refuse([v for v in said if v.refuses])
    return clean(name, kind, content).content


def stored_verdicts(name: str, kind: str, content: bytes, sha256: str) -> list[Verdict]:
    """A stored picture read back (``check``, and the merge for another laptop's): it is
    refused if it does not decode or breaks a rule of size, and said (WARN) if it still
    carries metadata. Decoded quickly (a JPEG at an eighth of its size), and once a
    process for each file: ``sha256`` is its bytes' hash, which the caller has checked
    (``domain.attachments.stored_verdicts``), so the same file in twelve laptops' visits
    is decoded once in their merge."""
    key = (kind, sha256)
    if key not in _STORED:
        if len(_STORED) >= 4096:
            _STORED.clear()
        _STORED[key] = _stored_verdicts(kind, content)
    return [Verdict(v.field, v.message.replace(_NAME, name), v.severity) for v in _STORED[key]]


def _stored_verdicts(kind: str, content: bytes) -> list[Verdict]:
    try:
        found = _judged(_NAME, kind, content)
        image = _decoded(_NAME, kind, content, quick=True)
    except RecordRefused as refused:
        return refused.verdicts
    if found.clean:
        return []
    return [rules.carried_verdict(_NAME, list(dict.fromkeys(_described(image, found))))]


def _described(image: Image.Image, found: Layout) -> list[str]:
    """What the file carries, in words; EXIF's most telling parts named."""
    said = list(found.carried) or ["bytes outside its segments"]
    if "EXIF" in said:
        said[said.index("EXIF")] = _exif_words(image)
    return said


def _exif_words(image: Image.Image) -> str:
    parts = []
    try:
        exif = image.getexif()
        if exif.get_ifd(0x8825):
            parts.append("a GPS position")
        if exif.get(0x013B):
            parts.append("the author's name")
        details = exif.get_ifd(0x8769)
        if details.get(0xA431) or details.get(0xA435):
            parts.append("the camera's serial number")
    except Exception:  # unreadable EXIF: dropped all the same
        pass
    return f"EXIF ({', '.join(parts)})" if parts else "EXIF"


def _subsampling(image: Image.Image) -> int:
    """The JPEG's own chroma subsampling (0: 4:4:4, 1: 4:2:2, 2: 4:2:0), kept; 4:4:4 when
    it has none of those (nothing of its colour is lost)."""
    from PIL import JpegImagePlugin

    if not isinstance(image, JpegImagePlugin.JpegImageFile):
        return 0
    found = JpegImagePlugin.get_sampling(image)
    return found if found in (0, 1, 2) else 0


def _upright(image: Image.Image) -> tuple[Image.Image, bool]:
    """The picture turned as its EXIF orientation says (before the EXIF is dropped)."""
    try:
        orientation = int(image.getexif().get(0x0112, 1))
    except Exception:  # unreadable EXIF: shown as stored
        orientation = 1
    if orientation in (2, 3, 4, 5, 6, 7, 8):
        turned = ImageOps.exif_transpose(image)
        if turned is not None:
            return turned, True
    return image, False


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours converted from the picture's ICC profile to sRGB, so that dropping the
    profile (whose texts name the device) does not change how the picture looks."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
        return converted if converted is not None else image
    except Exception:  # a profile it cannot read: its colours as they are
        return image


def _encode(image: Image.Image, kind: str, subsampling: int) -> bytes:
    transparency = image.info.get("transparency")
    image = _in_srgb(image)
    options: dict[str, Any]
    if kind == "jpeg":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        # not ``optimize``: a second pass over the picture (3x the encoding) for 5% smaller
        options = {"quality": JPEG_QUALITY, "subsampling": subsampling}
    else:
        if image.mode not in PNG_MODES:
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        options = {}
        if transparency is not None and image.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
    image.info = {}  # nothing of the original goes to the encoder (it falls back to info)
    out = io.BytesIO()
    image.save(out, format=FORMATS[kind], **options)
    return out.getvalue()
