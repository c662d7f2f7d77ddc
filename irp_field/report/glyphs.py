"""A small bitmap font, so that the charts' PNGs carry their labels and counts without a
font library (Word shows the picture; the inspectors' laptops have no imaging library).

Each glyph is 5 pixels wide and 8 high (the last row for the tails of g, j, p, q and y):
eight rows of five bits, as hex, the top row first. Characters it lacks are drawn as a space.
"""

from __future__ import annotations

WIDTH, HEIGHT = 5, 8
GLYPHS: dict[str, str] = {
    " ": "0000000000000000",
    "%": "1819020408130300",
    "'": "0c04080000000000",
    "(": "0204080808040200",
    ")": "0804020202040800",
    ",": "00000000000c0408",
    "-": "0000001f00000000",
    ".": "00000000000c0c00",
    "/": "0001020408100000",
    "0": "0e11131519110e00",
    "1": "040c040404040e00",
    "2": "0e11010204081f00",
    "3": "1f02040201110e00",
    "4": "02060a121f020200",
    "5": "1f101e0101110e00",
    "6": "0608101e11110e00",
    "7": "1f01020408080800",
    "8": "0e11110e11110e00",
    "9": "0e11110f01020c00",
    ":": "000c0c000c0c0000",
    "=": "00001f001f000000",
    "A": "0e11111f11111100",
    "B": "1e11111e11111e00",
    "C": "0e11101010110e00",
    "D": "1c12111111121c00",
    "E": "1f10101e10101f00",
    "F": "1f10101e10101000",
    "G": "0e11101711110f00",
    "H": "1111111f11111100",
    "I": "0e04040404040e00",
    "J": "0702020202120c00",
    "K": "1112141814121100",
    "L": "1010101010101f00",
    "M": "111b151511111100",
    "N": "1111191513111100",
    "O": "0e11111111110e00",
    "P": "1e11111e10101000",
    "Q": "0e11111115120d00",
    "R": "1e11111e14121100",
    "S": "0f10100e01011e00",
    "T": "1f04040404040400",
    "U": "1111111111110e00",
    "V": "11111111110a0400",
    "W": "1111111515150a00",
    "X": "11110a040a111100",
    "Y": "11110a0404040400",
    "Z": "1f01020408101f00",
    "a": "00000e010f110f00",
    "b": "1010161911111e00",
    "c": "00000e1010110e00",
    "d": "01010d1311110f00",
    "e": "00000e111f100e00",
    "f": "0609081c08080800",
    "g": "00000f11110f010e",
    "h": "1010161911111100",
    "i": "04000c0404040e00",
    "j": "020006020202120c",
    "k": "1010121418141200",
    "l": "0c04040404040e00",
    "m": "00001a1515111100",
    "n": "0000161911111100",
    "o": "00000e1111110e00",
    "p": "00001e11111e1010",
    "q": "00000f11110f0101",
    "r": "0000161910101000",
    "s": "00000e100e011e00",
    "t": "08081c0808090600",
    "u": "0000111111130d00",
    "v": "00001111110a0400",
    "w": "0000111115150a00",
    "x": "0000110a040a1100",
    "y": "00001111110f010e",
    "z": "00001f0204081f00",
}


def text_width(text: str, scale: int) -> int:
    """Pixels the text takes at ``scale`` (a pixel of space between characters)."""
    return len(text) * (WIDTH + 1) * scale


def draw_text(
    pixels: bytearray,
    width: int,
    x: int,
    y: int,
    text: str,
    scale: int,
    rgb: tuple[int, int, int],
) -> None:
    """Draw ``text`` into an RGB buffer ``width`` pixels wide, its top left at (x, y)."""
    height = len(pixels) // (3 * width)
    colour = bytes(rgb)
    for index, character in enumerate(text):
        rows = GLYPHS.get(character, GLYPHS[" "])
        left = x + index * (WIDTH + 1) * scale
        for row in range(HEIGHT):
            bits = int(rows[2 * row : 2 * row + 2], 16)
            for column in range(WIDTH):
                if not bits & (1 << (WIDTH - 1 - column)):
                    continue
                for dy in range(scale):
                    py = y + row * scale + dy
                    if not 0 <= py < height:
                        continue
                    for dx in range(scale):
                        px = left + column * scale + dx
                        if 0 <= px < width:
                            at = 3 * (py * width + px)
                            pixels[at : at + 3] = colour
