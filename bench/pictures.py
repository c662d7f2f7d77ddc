"""What cleaning a phone's photograph costs, beside Pillow doing the same work alone.

Every path that takes a picture decodes it, turns it upright and encodes it again
without its metadata (``evidence.pictures.clean``); ``check`` and the merge read every
stored picture back (``pictures.stored_verdicts``: its layout, and a JPEG decoded at an
eighth of its size, once a process for each file). A 12-megapixel JPEG (4000 x 3000, a
phone's ordinary picture, with EXIF) is:

- cleaned, beside Pillow's own open, load, exif_transpose and save at quality 90 (the
  floor): target within 1.3x (the rest is reading its layout and its EXIF);
- a clean picture taken again (kept byte for byte after a full decode), beside the floor;
- read back as ``check`` and the merge read it, beside a full decode: target at most
  0.6x (libjpeg still reads every byte of the scans, which is what proves the file
  decodes; only the drawing of the pixels is spared).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import best_of  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from irp_field.evidence import pictures  # noqa: E402

RUNS = 7
SIZE = (4000, 3000)


def _photograph() -> bytes:
    """A photograph's texture (noise, smoothed), with an author in its EXIF."""
    width, height = SIZE
    small = Image.frombytes("RGB", (width // 8, height // 8), os.urandom(width * height * 3 // 64))
    picture = small.resize(SIZE, Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x013B] = "Jade Richards"
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def _pillow_alone(data: bytes) -> bytes:
    """The same job in Pillow's own calls: decode, turn upright, encode."""
    image = Image.open(io.BytesIO(data))
    image.load()
    turned = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    (turned or image).save(out, "JPEG", quality=90)
    return out.getvalue()


def _full_decode(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def _line(what: str, seconds: float, floor_name: str, floor: float, target: float) -> None:
    ratio = seconds / floor
    verdict = "OK" if ratio <= target else "MISSED"
    print(
        f"{what}: {seconds * 1000:.0f} ms; {floor_name}: {floor * 1000:.0f} ms; ratio "
        f"{ratio:.2f}x (target: at most {target}x) {verdict}"
    )


def main() -> None:
    data = _photograph()
    clean = pictures.clean("p.jpg", "jpeg", data).content
    print(
        f"a {SIZE[0]} x {SIZE[1]} JPEG of {len(data) / 1e6:.1f} MB "
        f"({len(clean) / 1e6:.1f} MB clean)"
    )
    floor = best_of(RUNS, lambda: _pillow_alone(data))
    cleaning = best_of(RUNS, lambda: pictures.clean("p.jpg", "jpeg", data))
    _line(
        "cleaned (decoded, turned, re-encoded)", cleaning, "Pillow's decode and encode", floor, 1.3
    )
    kept = best_of(RUNS, lambda: pictures.clean("p.jpg", "jpeg", clean))
    _line("a clean picture taken again (kept)", kept, "Pillow's decode and encode", floor, 1.0)
    full = best_of(RUNS, lambda: _full_decode(clean))

    def read_back() -> None:
        pictures._STORED.clear()  # not the cache: the first reading of each file
        pictures.stored_verdicts("p.jpg", "jpeg", clean, "x" * 64)

    _line("read back by check and the merge", best_of(RUNS, read_back), "a full decode", full, 0.6)


if __name__ == "__main__":
    main()
