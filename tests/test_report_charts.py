"""The pie charts: drawn for print (300 dpi, smooth edges, TrueType words in the shipped
font), readable without their colours, and the same chart in the Word and HTML reports."""

from __future__ import annotations

import io
import math
import re

import pytest
from PIL import Image

from irp_field.findings.judgement_tally import Chart
from irp_field.report import charts

HULL = Chart(
    "Figure 2: Progress on HMI Prisons recommendations from 2021 inspection (n=9)",
    "",
    "hmip",
    (
        ("Good progress", 2),
        ("Reasonable progress", 3),
        ("Insufficient progress", 4),
        ("No meaningful progress", 0),
    ),
    9,
)
NOTHING_YET = Chart(
    "Figure 3",
    "",
    "ofsted",
    (("Significant progress", 0), ("Reasonable progress", 0), ("Insufficient progress", 0)),
    0,
)


def _picture(chart: Chart) -> Image.Image:
    image = Image.open(io.BytesIO(charts.png(chart)))
    image.load()
    return image


def test_the_chart_is_drawn_for_print() -> None:
    """592 by 240 pixels was 125 dpi at 12 cm: now 300 dpi at its printed size."""
    image = _picture(HULL)
    assert image.format == "PNG"
    assert tuple(round(d) for d in image.info["dpi"]) == (300, 300)
    width_cm, height_cm = charts.size_cm(charts.png(HULL))
    assert (image.width, image.height) == (
        round(width_cm / 2.54 * 300),
        round(height_cm / 2.54 * 300),
    )
    assert 10 < width_cm < 16 and 4 < height_cm < 8
    assert charts.points(140) <= charts.PIE  # the pie: at least 4.9 cm across


def _pie_edge_colours(image: Image.Image) -> set[tuple[int, int, int]]:
    """The colours within two pixels of the pie's rim, all the way round."""
    rgb = image.convert("RGB")
    top, left = (image.height - charts.PIE) // 2, charts.points(4)
    centre, radius = charts.PIE / 2, charts.PIE / 2 - 1
    found = set()
    for step in range(3600):
        angle = 2 * math.pi * step / 3600
        for reach in (radius - 2, radius - 1, radius, radius + 1, radius + 2):
            x, y = centre + reach * math.sin(angle), centre - reach * math.cos(angle)
            found.add(rgb.getpixel((left + int(x), top + int(y))))
    return found  # type: ignore[return-value]


def test_the_pie_s_edge_is_smooth() -> None:
    """A jagged edge goes from white to a slice's colour in one step; a smooth one passes
    through the blends between them."""
    solid = {(255, 255, 255), *(charts._rgb(charts.colour(label)) for label, _ in HULL.slices)}
    blends = _pie_edge_colours(_picture(HULL)) - solid
    assert len(blends) >= 20


def test_the_words_are_real_type() -> None:
    """The legend's letters are anti-aliased TrueType, not a 5x8 bitmap of black pixels:
    many greys between the black of the letters and the white page."""
    image = _picture(HULL).convert("L")
    legend = image.crop((charts.PIE + charts.points(30), 0, image.width, image.height))
    greys = [value for value, count in enumerate(legend.histogram()) if count and 40 < value < 215]
    assert len(greys) > 50
    assert charts._font(charts.points(charts.LEGEND_TYPE)).getname() == (
        "Liberation Sans",
        "Regular",
    )


def test_every_count_is_readable_and_every_slice_stands_out_from_the_page() -> None:
    """WCAG 2.2 AA: each slice's count at 4.5:1 or more on its colour (1.4.3); each slice at
    3:1 or more against the white page (1.4.11)."""
    for label in (*charts.COLOURS, "Not yet judged"):
        fill = charts.colour(label)
        assert charts.contrast(charts.count_colour(fill), fill) >= 4.5, label
        assert charts.contrast(fill, "#ffffff") >= 3, label
    assert charts.contrast("#000000", "#ffffff") == pytest.approx(21)


def _slice_middles(chart: Chart, centre: float, radius: float) -> list[tuple[str, int, int]]:
    out = []
    for piece in charts._slices(chart):
        x = centre + radius * 0.85 * math.sin(piece.middle)
        y = centre - radius * 0.85 * math.cos(piece.middle)
        out.append((piece.label, round(x), round(y)))
    return out


def test_word_and_html_draw_the_same_chart() -> None:
    """The PNG (Word) and the SVG with its legend (HTML): the same slices in the same
    colours, the same legend lines, the same description."""
    image = _picture(HULL).convert("RGB")
    top = (image.height - charts.PIE) // 2
    margin = charts.points(4)
    for label, x, y in _slice_middles(HULL, charts.PIE / 2, charts.PIE / 2):
        assert image.getpixel((margin + x, top + y)) == charts._rgb(charts.colour(label)), label
    svg = charts.svg(HULL)
    fills = re.findall(r'<path [^>]*fill="(#[0-9a-f]{6})"', svg)
    assert fills == [charts.colour(label) for label, n in HULL.slices if n]
    legend = re.findall(r"</span>([^<]*)</li>", charts.legend(HULL))
    assert legend == [f"{label}: {n}" for label, n in HULL.slices]  # every level, 0 too
    assert f'aria-label="{charts.description(HULL)}"' in svg
    assert charts.description(HULL) == (
        "Pie chart of 9 judgements. Good progress: 2; Reasonable progress: 3; "
        "Insufficient progress: 4; No meaningful progress: 0."
    )


def test_a_chart_with_nothing_judged_is_a_grey_disc_with_its_legend() -> None:
    image = _picture(NOTHING_YET).convert("RGB")
    centre = ((image.height - charts.PIE) // 2) + charts.PIE // 2
    assert image.getpixel((charts.points(4) + charts.PIE // 2, centre)) == charts._rgb(
        charts.NOT_JUDGED
    )
    assert charts.description(NOTHING_YET).startswith("Pie chart with nothing judged yet.")
    assert "<circle" in charts.svg(NOTHING_YET)


def test_the_same_chart_is_the_same_picture() -> None:
    assert charts.png(HULL) == charts.png(HULL)
