"""Social cards: the og:image of every page, a picture of its title made at build time.

Pillow draws them: its wheels for every platform carry FreeType and a scalable default
font, so no font file or system library is needed. A card is 600x315 (the size link
previews show), drawn in 256 shades between the background and the ink and saved in 3 of
them (INK_LEVELS) plus the accent, as a 2-bit palette PNG: crisp text in about 3.2 KB (16
shades took 7 KB and looked the same at the size a preview shows; 256 shades took 10 KB, a
full-colour PNG took 25 ms, a JPEG smudged the letters and weighed 13 KB). Each letter is
drawn once and each word put together from letters once, and the PNG is written by
`png_bytes` (Pillow's encoder packs and filters rows it need not), so a card costs about
0.5 ms, 0.2 ms of it zlib; cards are cached by what they show, so a rebuild makes only the
new ones. The same text gives the same bytes.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from generator.text.words import fold

WIDTH, HEIGHT = 600, 315
MARGIN = 40
TITLE_SIZE, SMALL_SIZE = 34, 17
LINE = 44
MAX_LINES = 4
BACKGROUND, INK, ACCENT = (0xF7, 0xF7, 0xF5), (0x1D, 0x21, 0x27), (0x2F, 0x4F, 0xB5)
ACCENT_HEIGHT = 8
# Drawing shades: 0 (background) to FULL_INK shade into the ink; ACCENT_INDEX is the accent.
FULL_INK, ACCENT_INDEX = 254, 255
SMALL_INK = 170  # the site name and the byline, lighter than the title
# Saved shades: the drawing's 255 ink shades are rounded to the nearest of these shares of
# the ink, the accent after: 4 colours, 2 bits a pixel. The middle one is the lighter text
# (SMALL_INK, 67% ink): at 68% it keeps that text's contrast on the background at 5:1 (a
# middle at 50% gave it 3.2:1), and letters' edges take it too.
INK_LEVELS = (0.0, 0.68, 1.0)
SAVED_INK = len(INK_LEVELS) - 1
BITS = 2
CARD_FILE = "card.png"
# Where a page's card is: pages of one collection (its orders and pages) share its card.
_VARIANT = re.compile(r"(?:by/[a-z]+/)?(?:page/\d+/)?$")


@dataclass(frozen=True)
class CardText:
    """What a card shows: the page's title, a line under it, the site's name."""

    title: str
    line: str
    site: str

    @property
    def key(self) -> str:
        """What the card is cached under."""
        return repr((self.title, self.line, self.site))


def card_path(page_path: str) -> str:
    """The site path of a page's card: 'papers/x/index.html' -> 'papers/x/card.png'."""
    folder = page_path.removesuffix("index.html")
    if "by/" in folder or "page/" in folder:  # (the pattern tries every place: 12 us)
        folder = _VARIANT.sub("", folder)
    return folder + CARD_FILE


def palette() -> list[int]:
    """The background, the INK_LEVELS shares of the ink, then the accent: RGB triples,
    flattened."""
    pairs = list(zip(BACKGROUND, INK, strict=True))
    colors = [
        tuple(round(back + (ink - back) * level) for back, ink in pairs) for level in INK_LEVELS
    ]
    return [value for color in (*colors, ACCENT) for value in color]


def saved_shades() -> list[int]:
    """The saved shade of each drawing shade (the nearest level; the accent last): a lookup
    table for Image.point."""
    nearest = [
        min(range(len(INK_LEVELS)), key=lambda n: abs(INK_LEVELS[n] - shade / FULL_INK))
        for shade in range(FULL_INK + 1)
    ]
    return [*nearest, SAVED_INK + 1]


class Painter:
    """Draws cards from letters drawn once (Pillow's text drawing lays out and rasterizes
    every string anew). The font sets letters side by side by whole-pixel advances with
    no kerning, so a word put together from letter pictures is the word Pillow draws."""

    def __init__(self) -> None:
        from PIL import Image, ImageDraw, ImageFont

        self._image, self._draw = Image, ImageDraw
        self._fonts = {size: ImageFont.load_default(size=size) for size in (TITLE_SIZE, SMALL_SIZE)}
        self._letters: dict[tuple[str, int], Glyph] = {}
        self._words: dict[tuple[str, int], Glyph] = {}
        self._missing: dict[int, bytes] = {}
        self._palette = palette()
        self._shades = saved_shades()

    def card(self, text: CardText) -> bytes:
        ink = self._image.new("L", (WIDTH, HEIGHT), 0)
        ink.paste(ACCENT_INDEX, (0, 0, WIDTH, ACCENT_HEIGHT))
        self._write(ink, text.site, SMALL_SIZE, MARGIN, 30)
        lines = self._wrap(text.title, TITLE_SIZE, WIDTH - 2 * MARGIN)
        top = 70 + (MAX_LINES - len(lines)) * LINE // 2
        for number, line in enumerate(lines):
            self._write(ink, line, TITLE_SIZE, MARGIN, top + number * LINE)
        if text.line:
            [line] = self._wrap(text.line, SMALL_SIZE, WIDTH - 2 * MARGIN, 1)
            self._write(ink, line, SMALL_SIZE, MARGIN, HEIGHT - 48)
        return png_bytes(ink.point(self._shades), self._palette)

    def _letter(self, char: str, size: int) -> Glyph:
        """A letter's shape, drawn once; one the font lacks is folded (é -> e) or left out."""
        found = self._letters.get((char, size))
        if found is None:
            font = self._fonts[size]
            shown = self._drawable(char, font)
            box = font.getbbox(shown) if shown.strip() else (0, 0, 0, 0)
            left, top, right, bottom = (int(edge) for edge in box)
            shape = None
            if right > left and bottom > top:
                shape = self._image.new("L", (right - left, bottom - top), 0)
                self._draw.Draw(shape).text((-left, -top), shown, font=font, fill=255)
            advance = font.getlength(shown) if shown else 0.0
            found = self._letters[(char, size)] = Glyph(shape, left, top, advance)
        return found

    def _word(self, word: str, size: int) -> Glyph:
        """A word's shape, put together from its letters once (titles share most words)."""
        found = self._words.get((word, size))
        if found is None:
            placed, pen = [], 0.0
            for letter in map(functools.partial(self._letter, size=size), word):
                if letter.shape is not None:
                    placed.append((round(pen) + letter.left, letter.top, letter.shape))
                pen += letter.advance
            if not placed:
                found = Glyph(None, 0, 0, pen)
            else:
                left = min(x for x, _, _ in placed)
                top = min(y for _, y, _ in placed)
                right = max(x + shape.size[0] for x, _, shape in placed)  # type: ignore[attr-defined]
                bottom = max(y + shape.size[1] for _, y, shape in placed)  # type: ignore[attr-defined]
                shape = self._image.new("L", (right - left, bottom - top), 0)
                for x, y, letter_shape in placed:
                    self._blend(shape, 255, x - left, y - top, letter_shape)
                found = Glyph(shape, left, top, pen)
            self._words[(word, size)] = found
        return found

    def _drawable(self, char: str, font: Any) -> str:
        """The letter, or what stands for it when the font has no glyph of its own."""
        if char.isascii():
            return char
        missing = self._missing.setdefault(id(font), self._ink_of("\uffff", font))
        for candidate in (char, fold(char)):
            if candidate and self._ink_of(candidate, font) != missing:
                return candidate
        return ""

    def _ink_of(self, char: str, font: Any) -> bytes:
        """A letter's picture as bytes: the same as the missing-glyph box if the font lacks it."""
        mask = self._image.new("L", (64, 64), 0)
        self._draw.Draw(mask).text((0, 0), char, font=font, fill=255)
        return mask.tobytes()

    def _width(self, text: str, size: int) -> float:
        return sum(self._letter(char, size).advance for char in text)

    def _wrap(self, text: str, size: int, width: int, most: int = MAX_LINES) -> list[str]:
        """Lines of whole words that fit `width`; the last ends with … if words are left."""
        lines: list[str] = []
        space = self._letter(" ", size).advance
        # Words wholly in letters the font lacks (a CJK title's) are left out, not blanks.
        used = 0.0
        for word in text.split():
            length = self._width(word, size)
            if not length:
                continue
            if lines and used + space + length <= width:
                lines[-1] += " " + word
                used += space + length
            elif len(lines) < most:
                lines.append(word)
                used = length
            else:
                lines[-1] = self._fit(lines[-1] + " " + word, size, width)
                break
        return [self._fit(line, size, width) for line in lines] or [""]

    def _fit(self, line: str, size: int, width: int) -> str:
        """The line, else its longest start that fits with "…" after it (letters' advances
        add up: measured once each, not the whole line again for each letter cut)."""
        if self._width(line, size) <= width:
            return line
        room = width - self._width("…", size)
        used = 0.0
        for end, char in enumerate(line):
            used += self._letter(char, size).advance
            if used > room:
                return line[:end].rstrip() + "…"
        return line + "…"  # (not reached: the line is wider than the room)

    def _write(self, ink: object, text: str, size: int, x: float, y: int) -> None:
        shade = FULL_INK if size == TITLE_SIZE else SMALL_INK
        space = self._letter(" ", size).advance
        for word in text.split(" "):
            glyph = self._word(word, size)
            if glyph.shape is not None:
                self._blend(ink, shade, round(x) + glyph.left, y + glyph.top, glyph.shape)
            x += glyph.advance + space

    @staticmethod
    def _blend(onto: object, shade: int, x: int, y: int, shape: object) -> None:
        """`shade` laid onto `onto` through `shape` at (x, y): where letters touch, both show.
        (Pillow's paste on the image cores: Image.paste checks its arguments each call.)"""
        width, height = shape.size  # type: ignore[attr-defined]
        onto.im.paste(shade, (x, y, x + width, y + height), shape.im)  # type: ignore[attr-defined]


def png_bytes(image: Any, palette: list[int]) -> bytes:
    """A palette PNG of BITS bits a pixel from an "L" image of palette numbers: rows with
    no filter (the text's edges would not compress better for one). Each row is packed
    with a byte of 0 before it, its filter type (none): the image widened by a byte's worth
    of pixels of 0 on the left (Pillow pads what a crop reaches outside with 0), in half
    the time of joining the rows with a byte each."""
    width, height = image.size
    assert 8 % BITS == 0, "the pad must be whole bytes"
    rows = image.crop((-(8 // BITS), 0, width, height)).tobytes("raw", f"L;{BITS}")
    header = struct.pack(">IIBBBBB", width, height, BITS, 3, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"PLTE", bytes(palette)),
            _png_chunk(b"IDAT", _deflated(rows)),
            _png_chunk(b"IEND", b""),
        )
    )


def _deflated(data: bytes) -> bytes:
    """zlib level 4 with all its memory: half the time of the default level 6 (0.2 ms a
    card) for 5% more bytes (3.2 KB)."""
    deflate = zlib.compressobj(4, zlib.DEFLATED, 15, 9)
    return deflate.compress(data) + deflate.flush()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@dataclass(frozen=True)
class Glyph:
    """A letter's or word's shape (coverage 0-255; None if blank), where it sits from the
    pen and the top of the line, and how far it moves the pen."""

    shape: object | None
    left: int
    top: int
    advance: float


def draw_cards(texts: dict[str, CardText], made: dict[str, bytes]) -> dict[str, bytes]:
    """The card of every path: from `made` (cached, by text) when there, else drawn."""
    painter: Painter | None = None
    cards = {}
    for path, text in sorted(texts.items()):
        if text.key not in made:
            painter = painter or Painter()
            made[text.key] = painter.card(text)
        cards[path] = made[text.key]
    return cards
