"""Draw the Hull sample's photograph: python docs/sample_photograph.py

The published report shows a photograph of the segregation unit's exercise bicycles
after paragraph 3.13. The sample cannot ship that photograph, so it ships this drawing
of two exercise bicycles in a room, made here pixel by pixel and written as a PNG with
zlib alone (no imaging library). ``tests/test_report_parts.py`` checks that the
shipped file is what this script draws.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 480, 300
TARGET = (
    Path(__file__).resolve().parent.parent
    / "sample_visits"
    / "hmp-hull-2022"
    / "attachments"
    / "segregation-unit-exercise-bicycles.png"
)

Colour = tuple[int, int, int]
WALL: Colour = (214, 222, 228)
FLOOR: Colour = (150, 150, 146)
SKIRTING: Colour = (90, 96, 102)
WINDOW: Colour = (176, 206, 226)
BARS: Colour = (70, 74, 80)
FRAME: Colour = (38, 70, 120)
TYRE: Colour = (30, 30, 30)
SEAT: Colour = (20, 20, 20)
METAL: Colour = (160, 164, 170)


class Canvas:
    def __init__(self, width: int, height: int, colour: Colour) -> None:
        self.width, self.height = width, height
        self.pixels = [[colour] * width for _ in range(height)]

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        for y in range(max(0, y0), min(self.height, y1)):
            row = self.pixels[y]
            for x in range(max(0, x0), min(self.width, x1)):
                row[x] = colour

    def ring(self, cx: float, cy: float, outer: float, inner: float, colour: Colour) -> None:
        for y in range(int(cy - outer), int(cy + outer) + 1):
            for x in range(int(cx - outer), int(cx + outer) + 1):
                d = math.hypot(x + 0.5 - cx, y + 0.5 - cy)
                if inner <= d <= outer and 0 <= x < self.width and 0 <= y < self.height:
                    self.pixels[y][x] = colour

    def line(
        self, x0: float, y0: float, x1: float, y1: float, width: float, colour: Colour
    ) -> None:
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        pad = int(width) + 1
        for y in range(int(min(y0, y1)) - pad, int(max(y0, y1)) + pad + 1):
            for x in range(int(min(x0, x1)) - pad, int(max(x0, x1)) + pad + 1):
                px, py = x + 0.5, y + 0.5
                t = max(0.0, min(1.0, ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / length**2))
                d = math.hypot(px - (x0 + t * (x1 - x0)), py - (y0 + t * (y1 - y0)))
                if d <= width / 2 and 0 <= x < self.width and 0 <= y < self.height:
                    self.pixels[y][x] = colour

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(c for pixel in row for c in pixel) for row in self.pixels)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + kind
                + data
                + struct.pack(">I", zlib.crc32(kind + data))
            )

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b"")
        )


def bicycle(canvas: Canvas, x: float, floor: float) -> None:
    """An exercise bicycle facing left: base, flywheel, frame, seat and handlebars."""
    canvas.line(x - 70, floor - 6, x + 70, floor - 6, 10, BARS)  # the feet
    canvas.ring(x - 45, floor - 55, 40, 28, TYRE)  # the flywheel
    canvas.ring(x - 45, floor - 55, 9, 0, METAL)
    canvas.line(x - 45, floor - 55, x + 40, floor - 8, 9, FRAME)  # down tube
    canvas.line(x + 20, floor - 110, x + 40, floor - 8, 9, FRAME)  # seat post
    canvas.line(x - 25, floor - 125, x - 45, floor - 55, 9, FRAME)  # handlebar stem
    canvas.line(x - 25, floor - 125, x + 20, floor - 110, 7, FRAME)  # top tube
    canvas.line(x - 40, floor - 130, x - 12, floor - 122, 7, SEAT)  # the handlebars
    canvas.rect(int(x + 5), int(floor - 122), int(x + 42), int(floor - 110), SEAT)  # the seat
    canvas.ring(x + 5, floor - 45, 12, 8, METAL)  # the crank
    canvas.line(x + 5, floor - 45, x + 20, floor - 30, 5, METAL)


def draw() -> bytes:
    canvas = Canvas(WIDTH, HEIGHT, WALL)
    floor = 235
    canvas.rect(0, floor, WIDTH, HEIGHT, FLOOR)
    canvas.rect(0, floor - 8, WIDTH, floor, SKIRTING)
    canvas.rect(300, 40, 430, 120, WINDOW)  # a barred window
    for bar in range(312, 430, 18):
        canvas.rect(bar, 40, bar + 4, 120, BARS)
    canvas.rect(296, 36, 434, 40, BARS)
    canvas.rect(296, 120, 434, 124, BARS)
    bicycle(canvas, 130, floor + 25)
    bicycle(canvas, 330, floor + 25)
    return canvas.png()


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(draw())
    print(f"Wrote {TARGET} ({TARGET.stat().st_size} bytes)")
