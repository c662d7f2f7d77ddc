"""The judgements as pie charts (Figures 2 and 3 of Hull's report): SVG for HTML, PNG for
Word, each slice labelled with its count and a legend naming every judgement with its count.

The chart's data and its text bars (for Markdown) are the tally's: ``findings.tally``.

The PNG is drawn pixel by pixel and encoded with zlib, so Word gets a real image
without a plotting library (matplotlib is not available on the inspectors' laptops).
"""

from __future__ import annotations

import math
import struct
import zlib
from html import escape

from irp_field.findings.tally import Chart
from irp_field.report import glyphs

# Best progress green through to no meaningful progress red, as the published charts do.
COLOURS = {
    "Good progress": "#2e7d32",
    "Significant progress": "#2e7d32",
    "Reasonable progress": "#9ccc65",
    "Insufficient progress": "#f9a825",
    "No meaningful progress": "#c62828",
}


def colour(label: str) -> str:
    return COLOURS.get(label, "#757575")


def _slices(chart: Chart) -> list[tuple[str, int, float, float]]:
    """(label, units, start angle, end angle), clockwise from twelve o'clock, in radians."""
    total = sum(n for _, n in chart.slices)
    out, angle = [], 0.0
    for label, n in chart.slices:
        if n and total:
            sweep = 2 * math.pi * n / total
            out.append((label, n, angle, angle + sweep))
            angle += sweep
    return out


def svg(chart: Chart, size: int = 180) -> str:
    """An inline SVG pie with its legend; prints in colour or greys (each slice is labelled)."""
    radius = size / 2 - 4
    cx = cy = size / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{size + 230}" height="{size}" '
        f'viewBox="0 0 {size + 230} {size}"><title>{escape(chart.title)}</title>'
    ]
    slices = _slices(chart)
    if len(slices) == 1:
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour(slices[0][0])}" '
            'stroke="#fff" stroke-width="2"/>'
        )
    for label, _, start, end in slices if len(slices) > 1 else []:
        x1, y1 = cx + radius * math.sin(start), cy - radius * math.cos(start)
        x2, y2 = cx + radius * math.sin(end), cy - radius * math.cos(end)
        large = 1 if end - start > math.pi else 0
        parts.append(
            f'<path d="M{cx:.1f},{cy:.1f} L{x1:.1f},{y1:.1f} A{radius:.1f},{radius:.1f} 0 '
            f'{large},1 {x2:.1f},{y2:.1f} Z" fill="{colour(label)}" '
            'stroke="#fff" stroke-width="2"/>'
        )
    for label, n, start, end in slices:  # each slice's count, inside it
        middle = (start + end) / 2 if len(slices) > 1 else 0.0
        reach = radius * 0.6 if len(slices) > 1 else 0.0
        fill = "#000" if _text_colour(_hex(colour(label))) == (0, 0, 0) else "#fff"
        x, y = cx + reach * math.sin(middle), cy - reach * math.cos(middle)
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" '
            f'font-size="20" font-family="Arial, sans-serif" text-anchor="middle" '
            f'dominant-baseline="central" fill="{fill}">{n}</text>'
        )
    for row, (label, n) in enumerate(chart.slices):
        y = 24 + row * 26
        parts.append(
            f'<rect x="{size + 10}" y="{y - 12}" width="14" height="14" fill="{colour(label)}"/>'
            f'<text x="{size + 32}" y="{y}" font-size="13" font-family="Arial, sans-serif">'
            f"{escape(label)}: {n}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _hex(rgb: str) -> tuple[int, int, int]:
    return int(rgb[1:3], 16), int(rgb[3:5], 16), int(rgb[5:7], 16)


LEGEND_SCALE = 2  # the legend's letters: 10 by 14 pixels
COUNT_SCALE = 3  # the counts on the slices


def _text_colour(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black on light slices, white on dark ones."""
    light = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 150
    return (0, 0, 0) if light else (255, 255, 255)


def _pie(pixels: bytearray, width: int, chart: Chart, size: int) -> None:
    slices = [(start, end, _hex(colour(label))) for label, _, start, end in _slices(chart)]
    radius = size / 2 - 3
    centre = size / 2
    for y in range(size):
        for x in range(size):
            dx, dy = x + 0.5 - centre, y + 0.5 - centre
            if dx * dx + dy * dy > radius * radius:
                continue
            angle = math.atan2(dx, -dy) % (2 * math.pi)
            pixel = (230, 230, 230)  # nothing judged yet: a grey disc
            for start, end, rgb in slices:
                if start <= angle < end or len(slices) == 1:
                    pixel = rgb
                    break
            at = 3 * (y * width + x)
            pixels[at : at + 3] = bytes(pixel)
    for label, n, start, end in _slices(chart):  # each slice's count, inside it
        middle = (start + end) / 2 if len(slices) > 1 else 0.0
        reach = radius * 0.6 if len(slices) > 1 else 0.0
        text = str(n)
        x = int(centre + reach * math.sin(middle) - glyphs.text_width(text, COUNT_SCALE) / 2)
        y = int(centre - reach * math.cos(middle) - glyphs.HEIGHT * COUNT_SCALE / 2)
        rgb = _text_colour(_hex(colour(label)))
        glyphs.draw_text(pixels, width, x, y, text, COUNT_SCALE, rgb)


def _legend(pixels: bytearray, width: int, chart: Chart, left: int) -> None:
    line = (glyphs.HEIGHT + 6) * LEGEND_SCALE
    for row, (label, n) in enumerate(chart.slices):
        top = 24 + row * line
        rgb = bytes(_hex(colour(label)))
        for y in range(top, top + glyphs.HEIGHT * LEGEND_SCALE):
            at = 3 * (y * width + left)
            pixels[at : at + 3 * 14] = rgb * 14
        text = f"{label}: {n}"
        glyphs.draw_text(pixels, width, left + 22, top, text, LEGEND_SCALE, (0, 0, 0))


def png(chart: Chart, size: int = 240) -> bytes:
    """The pie as PNG bytes, each slice with its count, and a legend of every judgement
    with its count beside it (white background, a white gap between slices)."""
    longest = max((len(f"{label}: {n}") for label, n in chart.slices), default=0)
    width = size + 20 + 22 + glyphs.text_width(" " * longest, LEGEND_SCALE) + 10
    height = max(size, 24 + len(chart.slices) * (glyphs.HEIGHT + 6) * LEGEND_SCALE)
    pixels = bytearray(b"\xff" * (width * height * 3))
    _pie(pixels, width, chart, size)
    _legend(pixels, width, chart, size + 20)
    rows = b"".join(
        b"\x00" + bytes(pixels[3 * width * y : 3 * width * (y + 1)]) for y in range(height)
    )
    return _encode_png(width, height, rows)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _encode_png(width: int, height: int, raw: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
