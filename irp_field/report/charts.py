"""The judgements as pie charts (Figures 2 and 3 of Hull's report): SVG with an HTML legend
for HTML, PNG for Word, each slice labelled with its count and a legend naming every
judgement with its count, so that no judgement is told by its colour alone.

The chart's data and its text bars (for Markdown) are the tally's: ``findings.judgement_tally``.

The PNG is drawn for print: at 300 dots per inch, its shapes drawn four times larger and
scaled down (smooth edges), its words in Liberation Sans (Arial's metrics: the report's
type), which ships with the package (``fonts/``, under the SIL Open Font License), so
nothing is fetched and a laptop without the font draws the same chart. Pillow draws it;
``evidence.pictures`` is where Pillow reads pictures from elsewhere, which this never does.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import TYPE_CHECKING

from irp_field.findings.judgement_tally import Chart

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image, ImageFont

# Best progress green through to no meaningful progress red, as the published charts do;
# each at least 3:1 against the white page (WCAG 1.4.11), its count in black or white
# at 4.5:1 or more on it (``count_colour``).
COLOURS = {
    "Good progress": "#1b5e20",
    "Significant progress": "#1b5e20",
    "Reasonable progress": "#66a032",
    "Insufficient progress": "#ef6c00",
    "No meaningful progress": "#b71c1c",
}
NOT_JUDGED = "#e6e6e6"  # the disc of a chart with nothing judged yet

DPI = 300  # print resolution: the PNG is placed in Word at its natural size
SUPERSAMPLE = 4  # the pie is drawn this many times larger, then scaled down: smooth edges


def colour(label: str) -> str:
    return COLOURS.get(label, "#757575")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _luminance(hex_colour: str) -> float:
    """WCAG's relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def count_colour(background: str) -> str:
    """Black or white, whichever reads better on the slice."""
    return (
        "#000000"
        if contrast(background, "#000000") >= contrast(background, "#ffffff")
        else ("#ffffff")
    )


def description(chart: Chart) -> str:
    """What the chart shows, in words: the alternative text of its picture."""
    counts = "; ".join(f"{label}: {n}" for label, n in chart.slices)
    judged = f"of {chart.n} judgements" if chart.n else "with nothing judged yet"
    return f"Pie chart {judged}. {counts}."


@dataclass(frozen=True)
class _Slice:
    label: str
    n: int
    start: float  # radians, clockwise from twelve o'clock
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _slices(chart: Chart) -> list[_Slice]:
    total = sum(n for _, n in chart.slices)
    out, angle = [], 0.0
    for label, n in chart.slices:
        if n and total:
            sweep = 2 * math.pi * n / total
            out.append(_Slice(label, n, angle, angle + sweep))
            angle += sweep
    return out


def _count_at(
    slices: list[_Slice], piece: _Slice, centre: float, radius: float
) -> tuple[float, float]:
    """Where a slice's count goes: the middle of the disc when it is the only slice."""
    reach = radius * 0.62 if len(slices) > 1 else 0.0
    return centre + reach * math.sin(piece.middle), centre - reach * math.cos(piece.middle)


# -- SVG (HTML) ---------------------------------------------------------------------------


def svg(chart: Chart, size: int = 180) -> str:
    """The pie as an inline SVG, one picture (``role="img"``) named by its description,
    each slice with its count; prints in colour or greys. Its legend is ``legend``'s."""
    radius = size / 2 - 4
    centre = size / 2
    text = escape(description(chart))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{text}" '
        f'width="{size}" height="{size}" viewBox="0 0 {size} {size}"><title>{text}</title>'
    ]
    slices = _slices(chart)
    if len(slices) <= 1:
        fill = colour(slices[0].label) if slices else NOT_JUDGED
        parts.append(f'<circle cx="{centre}" cy="{centre}" r="{radius}" fill="{fill}"/>')
    for piece in slices if len(slices) > 1 else []:
        x1, y1 = centre + radius * math.sin(piece.start), centre - radius * math.cos(piece.start)
        x2, y2 = centre + radius * math.sin(piece.end), centre - radius * math.cos(piece.end)
        large = 1 if piece.end - piece.start > math.pi else 0
        parts.append(
            f'<path d="M{centre:.1f},{centre:.1f} L{x1:.1f},{y1:.1f} A{radius:.1f},{radius:.1f} '
            f'0 {large},1 {x2:.1f},{y2:.1f} Z" fill="{colour(piece.label)}" '
            'stroke="#fff" stroke-width="2"/>'
        )
    for piece in slices:  # each slice's count, inside it
        x, y = _count_at(slices, piece, centre, radius)
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="20" font-weight="bold" '
            'font-family="Arial, \'Liberation Sans\', sans-serif" text-anchor="middle" '
            f'dominant-baseline="central" fill="{count_colour(colour(piece.label))}">'
            f"{piece.n}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(chart: Chart) -> str:
    """The pie's legend as HTML text beside it: every judgement with its count, after a
    swatch of its colour (the colour is decoration: the words say it all)."""
    items = "".join(
        f'<li><span class="swatch" aria-hidden="true" style="background: {colour(label)}">'
        f"</span>{escape(label)}: {n}</li>"
        for label, n in chart.slices
    )
    return f'<ul class="legend">{items}</ul>'


# -- PNG (Word) ---------------------------------------------------------------------------


def points(size: float) -> int:
    """A length in points as pixels at the chart's resolution."""
    return round(size * DPI / 72)


PIE = points(150)  # the pie's diameter: 5.3 cm
LEGEND_TYPE = 10.5  # points: the size of the report's text
COUNT_TYPE = 15


@functools.lru_cache(maxsize=8)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    data = resources.files("irp_field.report").joinpath("fonts", name).read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size)


def _pie(chart: Chart) -> Image.Image:
    """The disc and its slices, smooth: drawn large, white gaps between slices, scaled down."""
    from PIL import Image, ImageDraw

    big = PIE * SUPERSAMPLE
    image = Image.new("RGB", (big, big), "white")
    draw = ImageDraw.Draw(image)
    box = (SUPERSAMPLE, SUPERSAMPLE, big - SUPERSAMPLE, big - SUPERSAMPLE)
    slices = _slices(chart)
    if len(slices) <= 1:
        draw.ellipse(box, fill=colour(slices[0].label) if slices else NOT_JUDGED)
    for piece in slices if len(slices) > 1 else []:
        draw.pieslice(
            box,
            math.degrees(piece.start) - 90,  # Pillow measures from three o'clock
            math.degrees(piece.end) - 90,
            fill=colour(piece.label),
        )
    centre = big / 2
    gap = points(1.5) * SUPERSAMPLE
    for piece in slices if len(slices) > 1 else []:
        edge = (centre + centre * math.sin(piece.start), centre - centre * math.cos(piece.start))
        draw.line([(centre, centre), edge], fill="white", width=gap)
    return image.reduce(SUPERSAMPLE)  # each pixel the mean of its SUPERSAMPLE² pixels


def png(chart: Chart) -> bytes:
    """The pie as a PNG for print (300 dpi), each slice with its count, and beside it a
    legend of every judgement with its count (white background)."""
    from PIL import Image, ImageDraw

    legend_font, count_font = _font(points(LEGEND_TYPE)), _font(points(COUNT_TYPE), bold=True)
    margin, swatch = points(4), points(LEGEND_TYPE)
    line = round(swatch * 1.9)
    lines = [f"{label}: {n}" for label, n in chart.slices]
    left = margin + PIE + points(18)
    text_width = max((legend_font.getlength(text) for text in lines), default=0)
    width = round(left + swatch + points(6) + text_width + margin)
    height = max(PIE + 2 * margin, 2 * margin + len(lines) * line)
    image = Image.new("RGB", (width, height), "white")
    top = (height - PIE) // 2
    image.paste(_pie(chart), (margin, top))
    draw = ImageDraw.Draw(image)
    slices = _slices(chart)
    radius = PIE / 2
    for piece in slices:
        x, y = _count_at(slices, piece, radius, radius)
        draw.text(
            (margin + x, top + y),
            str(piece.n),
            font=count_font,
            fill=count_colour(colour(piece.label)),
            anchor="mm",
        )
    first = (height - len(lines) * line) // 2 + line // 2
    for row, ((label, _), text) in enumerate(zip(chart.slices, lines, strict=True)):
        middle = first + row * line
        half = swatch // 2
        draw.rectangle((left, middle - half, left + swatch, middle + half), fill=colour(label))
        draw.text(
            (left + swatch + points(6), middle), text, font=legend_font, fill="black", anchor="lm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI))
    return out.getvalue()


def size_cm(picture: bytes) -> tuple[float, float]:
    """A chart's printed size: its pixels at ``DPI``."""
    import struct

    width, height = struct.unpack(">II", picture[16:24])
    return width / DPI * 2.54, height / DPI * 2.54
