"""A PDF read back with poppler's tools (poppler-utils): each page's size, its text, its
pictures, and the fonts the document uses. The tests that use it skip where the tools
are not installed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

TOOLS = ("pdfinfo", "pdftotext", "pdffonts", "pdfimages")


def _run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    pages = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))  # type: ignore[union-attr]
    info = _run("pdfinfo", "-f", "1", "-l", str(pages), str(pdf))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    return [(float(w), float(h)) for w, h in sizes]


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, laid out as it stands on the page."""
    pages = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fonts(pdf: Path) -> set[str]:
    """The fonts' names, without the subset prefix ("LiberationSans-Bold")."""
    lines = _run("pdffonts", str(pdf)).splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in lines if line.strip()}


def pages_with_pictures(pdf: Path) -> list[int]:
    """The page (from 1) of each picture, in order."""
    lines = _run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    return [int(line.split()[0]) for line in lines if line.strip() and line.split()[2] == "image"]
