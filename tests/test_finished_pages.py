"""Issue 26: pages that look finished with any data. Every section a page shows has
something in it besides its heading, whatever the site holds (no topics, papers with
nothing but a title, a .bib with no abstracts)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from generator.build import build_site
from generator.text.words import fold

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PAPER = "papers/convit-improving-vision-transformers-with-soft-convolutional/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Sections(HTMLParser):
    """Each visible <section> of a page: what it holds besides its headings."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[dict] = []  # the sections being read, innermost last
        self.tags: list[str] = []
        self.empty: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.tags.append(tag)
        if tag == "section":
            named = dict(attrs)
            label = named.get("aria-labelledby") or named.get("class") or "?"
            self.open.append({"label": label, "hidden": "hidden" in named, "content": ""})
        elif tag in ("li", "img", "svg", "time") and self.open:
            self.open[-1]["content"] += f"<{tag}>"

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.tags:
            return
        while self.tags and self.tags.pop() != tag:
            pass
        if tag == "section" and self.open:
            section = self.open.pop()
            if not section["hidden"] and not section["content"].strip():
                self.empty.append(section["label"])

    def handle_data(self, data: str) -> None:
        if self.open and not HEADINGS & set(self.tags):
            self.open[-1]["content"] += data


def empty_sections(site: Path) -> dict[str, list[str]]:
    found = {}
    for page in sorted(site.rglob("*.html")):
        parser = Sections()
        parser.feed(page.read_text("utf-8"))
        if parser.empty:
            found[page.relative_to(site).as_posix()] = parser.empty
    return found


def test_no_page_of_a_sparse_site_shows_an_empty_section(make_site):
    """A .bib with no abstracts and no topics.yml: the home page had "Topics" over nothing
    (and a "0 topics" link to an empty page)."""
    root = make_site("reading-list.bib", site_yml="title: Sparse\n")
    (root / "content" / "topics.yml").unlink()
    (root / "content" / "papers").mkdir()
    (root / "content" / "papers" / "bare.md").write_text("---\ntitle: Only a Title\n---\n", "utf-8")
    build_site(root, root / "site")
    assert empty_sections(root / "site") == {}
    home = (root / "site" / "index.html").read_text("utf-8")
    assert "0 topics" not in home and "<strong>0</strong> topics" not in home


def test_the_empty_section_check_sees_one(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        '<section aria-labelledby="t"><h2 id="t">Topics</h2><ul class="grid">\n</ul></section>'
        '<section aria-labelledby="u" hidden><h2 id="u">Upcoming</h2><ol></ol></section>'
        '<section aria-labelledby="l"><h2 id="l">Listings</h2><ul><li>One</li></ul></section>',
        "utf-8",
    )
    assert empty_sections(tmp_path) == {"index.html": ["t"]}


def test_the_example_shows_no_empty_section(example_build):
    assert empty_sections(example_build.output) == {}


def many_authors_site(make_site) -> Path:
    """A .bib of 100 papers by 4 authors each: 400 names, family names from A to Z, with
    accents (Łukasiewicz, Émond) and one in another script."""
    families = [
        "Abbott",
        "Åberg",
        "Adams",
        "Bengio",
        "Chen",
        "Dosovitskiy",
        "Émond",
        "Fergus",
        "Girshick",
        "He",
        "Ioffe",
        "Jégou",
        "Kaiming",
        "LeCun",
        "Łukasiewicz",
        "Malik",
        "Ng",
        "Oquab",
        "Parikh",
        "Quigley",
        "Ren",
        "Sun",
        "Touvron",
        "Uijlings",
        "Vaswani",
        "Wang",
        "Xu",
        "Yosinski",
        "Zisserman",
        "李",
    ]
    entries = []
    for number in range(100):
        names = [
            f"{families[(number * 4 + k) % len(families)]}, Given{number * 4 + k}" for k in range(4)
        ]
        entries.append(
            f"@article{{p{number},\n  title = {{Paper Number {number} on Vision}},\n"
            f"  author = {{{' and '.join(names)}}},\n  year = {{2020}}\n}}\n"
        )
    root = make_site(site_yml="title: Many\n")
    (root / "content" / "listings" / "many.bib").write_text("\n".join(entries), "utf-8")
    return root


def test_a_long_authors_index_has_letter_headings_and_a_jump_bar(make_site):
    import re

    root = many_authors_site(make_site)
    build_site(root, root / "site")
    page = (root / "site" / "authors" / "index.html").read_text("utf-8")
    jumps = re.findall(r'<li><a href="#(letter-\d+)">(.)</a></li>', page)
    headings = re.findall(r'<h2 id="(letter-\d+)">(.) <span class="count">(\d+)</span></h2>', page)
    assert [letter for _, letter in jumps] == [letter for _, letter, _ in headings]
    assert [target for target, _ in jumps] == [target for target, _, _ in headings]
    letters = [letter for _, letter, _ in headings]
    assert letters[0] == "A" and letters[-1] == "#" and letters[:-1] == sorted(letters[:-1])
    assert "Ł" not in letters and "É" not in letters  # filed under L and E
    # In each letter, by family name with accents folded: Åberg between Abbott and Adams.
    shown = re.findall(r'<li><a href="\.\./authors/[^"]+">Given\d+ ([^<]+)</a>', page)
    a_names = [name for name in shown if fold(name[0]).upper() == "A"]
    assert a_names == sorted(a_names, key=lambda name: fold(name).casefold())
    assert "Åberg" in a_names and a_names.index("Åberg") > a_names.index("Abbott")
    assert sum(int(count) for _, _, count in headings) == 400
    assert len(re.findall(r'<li><a href="\.\./authors/[^"]+">', page)) == 400
    assert empty_sections(root / "site") == {}


def test_a_touch_screen_shows_no_keyboard_hint_and_a_mouse_one_does(chromium, example_url):
    """The search box's "/" hint is for keyboards: a phone's touch screen cannot press it."""
    for touch, shown in ((True, False), (False, True)):
        context = chromium.new_context(
            viewport={"width": 390, "height": 844}, has_touch=touch, is_mobile=touch
        )
        page = context.new_page()
        page.goto(example_url)
        assert page.locator(".search-key").is_visible() == shown, touch
        context.close()


def test_topic_chips_that_go_on_past_the_edge_fade_there(chromium, example_url):
    """On a phone the topic choices are one row that scrolls: a chip cut at the edge
    ("Vision transforme") with no sign of more; the edge with more now fades out."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(example_url + "search/?q=vision")
    page.wait_for_function(
        "!document.getElementById('search-status').textContent.startsWith('Loading')"
    )
    chips = page.locator("#topic-filter .filter-choices")

    def edges() -> tuple[str, str]:
        return chips.evaluate(
            "box => [box.dataset.more, getComputedStyle(box).maskImage || "
            "getComputedStyle(box).webkitMaskImage]"
        )

    more, mask = edges()
    assert more == "right" and mask != "none"
    chips.evaluate("box => { box.scrollLeft = 200; }")
    page.wait_for_function(
        "document.querySelector('#topic-filter .filter-choices').dataset.more === 'left right'"
    )
    chips.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    page.wait_for_function(
        "document.querySelector('#topic-filter .filter-choices').dataset.more === 'left'"
    )
    assert edges()[1] != "none"
    context.close()
    wide = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    page.goto(example_url + "search/?q=vision")
    page.wait_for_function(
        "!document.getElementById('search-status').textContent.startsWith('Loading')"
    )
    chips = page.locator("#topic-filter .filter-choices")
    assert chips.evaluate("box => getComputedStyle(box).maskImage") in (
        "none",
        "",
    )
    wide.close()


AXE = Path(__file__).resolve().parent.parent / ".cache" / "npm" / "node_modules" / "axe-core"
AXE_INSTALL = "npm install --prefix .cache/npm --no-save axe-core@4.14.1"


def axe_violations(page) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical violations of the page as it is now (and the
    moderate ones: a landmark twice without a name was one)."""
    script = AXE / "axe.min.js"
    if not script.is_file():
        import pytest

        pytest.fail(f"axe-core is not installed: run {AXE_INSTALL} (README, Tests)")
    page.add_script_tag(path=str(script))
    found = page.evaluate(
        "axe.run().then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))"
    )
    return [tuple(violation) for violation in found]


def test_axe_finds_nothing_on_each_kind_of_page_nor_with_suggestions_open(page, example_url):
    """Issue 26 named two: a link nested in each suggestion (an interactive control inside
    an option) and two search landmarks without names on the search page. (The home page
    is checked with the suggestions open.)"""
    for path in ("papers/", "search/?q=vision", "authors/", PAPER):
        page.goto(example_url + path)
        if path.startswith("search/"):
            page.wait_for_function(
                "!document.getElementById('search-status').textContent.startsWith('Loading')"
            )
        assert axe_violations(page) == [], path
    page.goto(example_url)
    page.locator("#site-search-input").fill("vision")
    page.locator("#site-search-suggestions [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert axe_violations(page) == []


def test_on_a_narrow_phone_the_sections_scroll_and_fade_where_there_are_more(chromium, example_url):
    """At 320 px the header's sections do not all fit beside the mark and the theme: the
    row scrolls sideways, and fades at the edge with more (site.js marks it)."""
    context = chromium.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(example_url)
    page.wait_for_function("document.querySelector('.site-nav').dataset.more === 'right'")
    assert page.locator(".site-header").bounding_box()["height"] <= 112
    page.locator(".site-nav").evaluate("row => { row.scrollLeft = row.scrollWidth; }")
    page.wait_for_function("document.querySelector('.site-nav').dataset.more === 'left'")
    assert page.locator(".site-nav a", has_text="About").is_visible()
    context.close()


def test_a_card_with_nothing_but_its_title_is_no_empty_box(make_site, page):
    """A paper known by its title and date kept its row's height: a tall empty white box
    beside cards with abstracts. It keeps its own height now; cards with links keep the
    row's, their links at one height."""
    from conftest import serve_directory

    root = make_site("reading-list.bib", "standard.txt", site_yml="title: Group\n")
    build_site(root, root / "site")
    with serve_directory(root / "site") as url:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        cards = page.evaluate(
            """() => [...document.querySelectorAll('#latest ~ ul .paper-card')].map(card => {
                 const box = card.getBoundingClientRect();
                 const last = [...card.children].at(-1).getBoundingClientRect();
                 const links = card.querySelector('.card-actions');
                 return {top: box.top, height: box.height, room: box.bottom - last.bottom,
                         links: links ? links.getBoundingClientRect().bottom : null,
                         bare: !card.querySelector('.card-snippet, .card-actions')};
               })"""
        )
    bare = [card for card in cards if card["bare"]]
    assert bare, cards
    assert all(card["room"] < 24 for card in bare), bare  # its padding, no more
    rows: dict[float, list[float]] = {}
    for card in cards:
        if card["links"] is not None:
            rows.setdefault(round(card["top"]), []).append(card["links"])
    assert all(max(bottoms) - min(bottoms) < 1 for bottoms in rows.values()), rows


def test_on_a_wide_screen_the_related_papers_sit_beside_the_article(chromium, example_url):
    """Issue 26: at 1280 px the paper page used the left 60% and left the rest empty; the
    related papers now sit in that room, level with the title. On a phone and at 1024 px
    they follow the article, as before."""
    for width, beside in ((1280, True), (1024, False), (390, False)):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(example_url + PAPER)
        article = page.locator("article.paper").bounding_box()
        related = page.locator("section.related").bounding_box()
        if beside:
            assert related["x"] >= article["x"] + article["width"], (article, related)
            assert abs(related["y"] - article["y"]) < 40, (article, related)
            assert related["x"] + related["width"] <= width
        else:
            assert related["y"] >= article["y"] + article["height"], (width, article, related)
        context.close()


def test_on_a_phone_the_search_tools_fold_so_the_first_result_is_on_the_first_screen(
    chromium, example_url
):
    """Order, years and author fold behind one line on a phone (open when the address sets
    one of them, and with a tap); on a wide screen they show, with no line to fold them."""
    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(example_url + "search/?q=diffusion")
    page.locator("#search-results li").first.wait_for()
    first = page.evaluate("document.querySelector('#search-results li').getBoundingClientRect()")
    assert first["top"] < 844 - 300, first  # its title and snippet on the first screen
    assert not page.locator("#search-sort").is_visible()
    page.locator("#search-tools summary").tap()
    assert page.locator("#search-sort").is_visible()
    page.goto(example_url + "search/?q=diffusion&author=nobody")
    assert page.locator("#search-author, #author-filter").first.is_visible()
    phone.close()
    wide = chromium.new_page(viewport={"width": 1280, "height": 800})
    wide.goto(example_url + "search/?q=diffusion")
    wide.locator("#search-results li").first.wait_for()
    assert wide.locator("#search-sort").is_visible()
    assert not wide.locator("#search-tools summary").is_visible()
    wide.close()
