"""Figures 2 and 3, the judgements as pie charts: SVG for HTML, PNG for Word.

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


def png(chart: Chart, size: int = 240) -> bytes:
    """The pie as PNG bytes (white background, a white gap between slices)."""
    slices = [(start, end, _hex(colour(label))) for label, _, start, end in _slices(chart)]
    radius = size / 2 - 3
    centre = size / 2
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type: none
        for x in range(size):
            dx, dy = x + 0.5 - centre, y + 0.5 - centre
            pixel = (255, 255, 255)
            if dx * dx + dy * dy <= radius * radius:
                angle = math.atan2(dx, -dy) % (2 * math.pi)
                pixel = (230, 230, 230)  # nothing judged yet: a grey disc
                for start, end, rgb in slices:
                    if start <= angle < end or (len(slices) == 1):
                        pixel = rgb
                        break
            rows.extend(pixel)
    return _encode_png(size, size, bytes(rows))


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
