"""Social cards: an og:image for every page, drawn at build time, cached, the same each time."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from generator.build import build_site
from generator.diagnostics import ContentError
from generator.site import social
from generator.site.social import HEIGHT, WIDTH, CardText, Painter, card_path, draw_cards

OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')


def og_images(site: Path) -> dict[str, str]:
    """Every page's og:image address, by the page's path in the site."""
    found = {}
    for page in site.rglob("*.html"):
        match = OG_IMAGE.search(page.read_text(encoding="utf-8"))
        if match:
            found[page.relative_to(site).as_posix()] = match.group(1)
    return found


def test_every_page_but_404_shows_its_own_card(example_build):
    site = example_build.output
    url = "https://papersite.github.io/papersite/"
    images = og_images(site)
    pages = {page.relative_to(site).as_posix() for page in site.rglob("*.html")}
    assert sorted(pages - images.keys()) == ["404.html"]
    cards = {path.relative_to(site).as_posix() for path in site.rglob("card.png")}
    shown = set()
    for page, address in images.items():
        assert address.startswith(url), address
        card = address.removeprefix(url)
        assert card in cards, page
        shown.add(card)
    assert shown == cards  # no card is drawn that no page shows
    # A paper has a card of its own; the pages of a collection share the collection's.
    assert images["papers/index.html"] == images["papers/by/date/index.html"]
    assert images["papers/index.html"] == url + "papers/card.png"
    paper = next(page for page in images if page.startswith("papers/") and "/by/" not in page)
    assert images[paper] == url + paper.removesuffix("index.html") + "card.png"
    with Image.open(site / "papers" / "card.png") as image:
        assert image.size == (WIDTH, HEIGHT)
        assert image.format == "PNG"


def test_card_shows_the_title_in_ink_within_the_margins():
    painter = Painter()
    blank = Image.open(io.BytesIO(painter.card(CardText("", "", "")))).convert("RGB")
    card = Image.open(io.BytesIO(painter.card(CardText("Attention Is All You Need", "", ""))))
    drawn = ImageChops.difference(card.convert("RGB"), blank).getbbox()
    assert drawn is not None
    left, top, right, bottom = drawn
    assert left >= social.MARGIN and right <= WIDTH - social.MARGIN
    assert top > social.ACCENT_HEIGHT and bottom < HEIGHT - 48
    # The darkest pixel of the title is the ink itself.
    darkest = min(card.convert("L").tobytes())
    assert darkest == Image.new("RGB", (1, 1), social.INK).convert("L").getpixel((0, 0))


@pytest.mark.parametrize("word", ["Transformers", "AVA", "jiffy", "Wq", "T5-XXL", "office"])
def test_a_word_made_of_letters_is_the_word_pillow_draws(word):
    """The painter composes words from letters drawn once; the picture must not change."""
    size = social.TITLE_SIZE
    font = ImageFont.load_default(size=size)
    ours = Image.new("L", (400, 80), 0)
    glyph = Painter()._word(word, size)
    assert glyph.shape is not None
    Painter._blend(ours, 255, 10 + glyph.left, 10 + glyph.top, glyph.shape)
    pillow = Image.new("L", (400, 80), 0)
    ImageDraw.Draw(pillow).text((10, 10), word, font=font, fill=255)
    assert ours.tobytes() == pillow.tobytes()


def test_long_titles_wrap_to_four_lines_and_end_with_an_ellipsis():
    painter = Painter()
    title = " ".join(["Scaling"] * 60)
    lines = painter._wrap(title, social.TITLE_SIZE, WIDTH - 2 * social.MARGIN)
    assert len(lines) == social.MAX_LINES
    assert lines[-1].endswith("…")
    assert all(
        painter._width(line, social.TITLE_SIZE) <= WIDTH - 2 * social.MARGIN for line in lines
    )
    one_long_word = painter._wrap("x" * 400, social.TITLE_SIZE, 300)
    assert len(one_long_word) == 1 and one_long_word[0].endswith("…")


@pytest.mark.parametrize("line", ["x" * 400, "Scaling Laws for Neural Language Models " * 9])
def test_a_line_too_wide_keeps_its_longest_start_that_fits_with_an_ellipsis(line):
    painter = Painter()
    size, width = social.TITLE_SIZE, 300
    fitted = painter._fit(line, size, width)
    assert fitted.endswith("…") and painter._width(fitted, size) <= width
    kept = fitted[:-1]
    assert line.startswith(kept)
    # A letter more would not fit (a space after the start is cut off, not counted).
    next_letter = line[len(kept)]
    assert next_letter == " " or painter._width(line[: len(kept) + 1] + "…", size) > width


def test_a_title_of_one_long_word_is_measured_letter_by_letter_once(monkeypatch):
    """Fitting a line cut one letter at a time and measured the whole line again for
    each: a title of 20,000 letters took 15 s to draw (and 80,000, four minutes)."""
    painter = Painter()
    measured = []
    letter = painter._letter
    monkeypatch.setattr(painter, "_letter", lambda *args: measured.append(1) or letter(*args))
    lines = painter._wrap("Long " + "x" * 20_000, social.TITLE_SIZE, WIDTH - 2 * social.MARGIN)
    assert lines[-1].endswith("…")
    assert len(measured) < 3 * 20_000


def test_titles_the_font_cannot_draw_still_make_a_card():
    painter = Painter()
    for title in ("注意力就是你所需要的", "Ü-Net für Bilder 🚀", "   "):
        with Image.open(io.BytesIO(painter.card(CardText(title, "", "Site")))) as image:
            assert image.size == (WIDTH, HEIGHT)
    # Letters the font lacks are left out, never drawn as boxes.
    assert painter._wrap("注意力 Net", social.TITLE_SIZE, 500) == ["Net"]


def test_same_text_same_bytes_and_cached_cards_are_not_drawn_again(monkeypatch):
    texts = {"a/card.png": CardText("One", "", "S"), "b/card.png": CardText("Two", "x", "S")}
    first = draw_cards(texts, {})
    again = draw_cards(texts, {})
    assert first == again
    assert first["a/card.png"] != first["b/card.png"]
    drawn = []
    monkeypatch.setattr(Painter, "card", lambda self, text: drawn.append(text) or b"png")
    made = {text.key: first[path] for path, text in texts.items()}
    texts["c/card.png"] = CardText("Three", "", "S")
    assert draw_cards(texts, made)["a/card.png"] == first["a/card.png"]
    assert drawn == [CardText("Three", "", "S")]


def test_card_paths():
    assert card_path("index.html") == "card.png"
    assert card_path("papers/attention/index.html") == "papers/attention/card.png"
    assert card_path("papers/by/title/page/2/index.html") == "papers/card.png"
    assert card_path("topics/vision/by/date/index.html") == "topics/vision/card.png"
    assert card_path("listings/2024-05/page/3/index.html") == "listings/2024-05/card.png"


def test_a_rebuild_draws_only_the_card_whose_title_changed(make_site, monkeypatch):
    root = make_site("standard.txt")
    build_site(root)
    drawn: list[CardText] = []
    real = Painter.card
    monkeypatch.setattr(Painter, "card", lambda self, text: drawn.append(text) or real(self, text))
    listing = root / "content" / "listings" / "standard.txt"
    text = listing.read_text(encoding="utf-8")
    first_title = "Alpha Networks for Vision"
    assert first_title in text
    listing.write_text(text.replace(first_title, first_title + " Revisited", 1), encoding="utf-8")
    site = build_site(root).output
    assert [card.title for card in drawn] == [first_title + " Revisited"]
    assert len(og_images(site)) == len(list(site.rglob("*.html"))) - 1


def test_no_cards_without_a_url_or_when_turned_off(make_site):
    no_url = build_site(make_site("standard.txt", site_yml="title: T\n")).output
    assert og_images(no_url) == {} and not list(no_url.rglob("card.png"))
    assert 'name="twitter:card" content="summary"' in (no_url / "index.html").read_text()


def test_social_cards_false_turns_them_off(make_site):
    site_yml = "title: T\nurl: https://example.org/t/\nsocial_cards: false\n"
    site = build_site(make_site("standard.txt", site_yml=site_yml)).output
    assert og_images(site) == {} and not list(site.rglob("card.png"))


def test_social_cards_must_be_true_or_false(make_site):
    site_yml = "title: T\nurl: https://example.org/t/\nsocial_cards: sometimes\n"
    with pytest.raises(ContentError) as error:
        build_site(make_site("standard.txt", site_yml=site_yml))
    assert str(error.value).endswith("site.yml:3: error: social_cards must be true or false")


def test_cards_are_2_bit_palette_pngs_of_about_3_kb():
    """3 shades of ink look the same as 255 at a preview's size, in half the bytes of 15:
    50,000 cards are 170 MB. The file is a PNG every decoder reads (Pillow checks its CRCs)."""
    data = Painter().card(
        CardText(
            "2.5 Years in Class against Multi-view Object Detection Systems with CLIP-3708",
            "Listed February 10, 2024",
            "Synthetic 10000",
        )
    )
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert data[24] == 2  # bit depth
    assert data[25] == 3  # colour type: palette
    assert len(data) < 4_000
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.size == (WIDTH, HEIGHT)
        assert len(image.getcolors()) == 4  # background, two shades of ink, the accent
        assert image.getpixel((0, 0)) == 3 and image.getpixel((0, HEIGHT - 1)) == 0
        assert image.convert("RGB").getpixel((0, 0)) == social.ACCENT
        assert image.convert("RGB").getpixel((0, HEIGHT - 1)) == social.BACKGROUND


def test_the_lighter_text_of_a_card_keeps_a_contrast_of_4_5_to_1():
    """The site's name and the byline are drawn in the middle shade of the four: on the
    background it must read as well as small text on a page (WCAG AA, 4.5:1)."""

    def luminance(rgb):
        parts = [v / 255 for v in rgb]
        linear = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    card = Painter().card(CardText("A title", "Stéphane d'Ascoli · 2021", "Vision Papers"))
    with Image.open(io.BytesIO(card)) as image:
        colours = image.convert("RGB")
        used = {colours.getpixel(xy) for xy in [(x, HEIGHT - 40) for x in range(40, 300)]}
    lighter = max(used - {social.BACKGROUND}, key=luminance)  # the lightest ink in the byline
    darker, light = sorted([luminance(lighter), luminance(social.BACKGROUND)])
    assert (light + 0.05) / (darker + 0.05) >= 4.5
