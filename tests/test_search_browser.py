"""Search as people use it, in headless Chromium, over HTTP and straight from disk."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import serve_directory
from playwright.sync_api import expect

from generator.build import build_site

RESNET = "Deep Residual Learning for Image Recognition"


@pytest.fixture(params=["http", "file"])
def site(request, example_build, example_url):
    """(base URL, suffix that makes a folder URL open its page) for both ways of opening."""
    if request.param == "http":
        return example_url, ""
    return example_build.output.as_uri() + "/", "index.html"


@pytest.fixture
def served(example_url):
    """The site over HTTP only, for what is about the answers rather than how the page
    loads them (the scripts and the index's files load alike from disk: the tests with
    `site` show it)."""
    return example_url, ""


def open_search(page, site, query: str, topic: str = "") -> None:
    base, index = site
    extra = f"&topic={topic}" if topic else ""
    page.goto(f"{base}search/{index}?q={quote(query)}{extra}")
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")


def result_titles(page) -> list[str]:
    return page.locator("#search-results h2").all_inner_texts()


def test_type_in_header_see_paper_first_and_open_it(page, site):
    base, index = site
    page.goto(base + index)
    page.keyboard.press("/")
    page.keyboard.type("deep residual")
    first = page.locator("#site-search-suggestions [role=option]").first
    # The suggestions of a word still being typed ("deep residua") can show first, under
    # load, with the paper first too: an arrow pressed then is undone when the full query's
    # come. Their "See all" link names the query they are for.
    expect(page.locator("#suggestion-all")).to_have_attribute(
        "href", re.compile(r"\?q=deep\+residual$")
    )
    expect(first).to_have_text(re.compile("^" + re.escape(RESNET)))
    assert page.get_attribute("#site-search-input", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#site-search-input", "aria-activedescendant") == "suggestion-0"
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers/deep-residual-learning-for-image-recognition/**")
    assert page.locator("h1").inner_text() == RESNET


def test_escape_closes_suggestions(page, site):
    base, index = site
    page.goto(base + index)
    page.click("#site-search-input")
    page.keyboard.type("vision")
    page.locator("#site-search-suggestions [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#site-search-suggestions").is_hidden()
    assert page.get_attribute("#site-search-input", "aria-expanded") == "false"


def test_deep_link_shows_highlighted_results(page, site):
    open_search(page, site, "survey")
    titles = result_titles(page)
    assert len(titles) >= 10
    assert all("survey" in title.lower() for title in titles[:10]), titles[:10]
    assert page.locator("#search-results h2 mark").first.inner_text() == "Survey"
    assert page.input_value("#search-page-input") == "survey"


def test_excerpt_starts_at_the_first_matched_word(page, site):
    """HyperNetworks' excerpt names hypernetworks at character 19 and again at 145: it is
    shown from its start, not cut before the second mention."""
    open_search(page, site, "hypernetworks")
    card = page.locator("#search-results li.paper-card", has_text="HyperNetworks").first
    excerpt = card.locator(".card-snippet").inner_text()
    assert not excerpt.startswith("…")
    assert card.locator(".card-snippet mark").count() >= 2


PALETTES = "4M-21: An Any-to-Any Vision Model for Tens of Tasks and Modalities"


def test_a_match_deep_in_the_abstract_shows_the_passage_that_has_it(page, site):
    """ "palettes" is some 600 characters into 4M-21's abstract, past the record's excerpt:
    once the whole abstracts arrive, the card shows the passage around it, marked."""
    open_search(page, site, "palettes")
    card = page.locator("#search-results li.paper-card", has_text=PALETTES).first
    page.wait_for_function("document.querySelector('#search-results .card-snippet mark') !== null")
    snippet = card.locator(".card-snippet")
    assert snippet.inner_text().startswith("…")
    assert snippet.locator("mark").first.inner_text().lower() == "palettes"
    assert len(snippet.inner_text()) <= 224


def test_the_results_are_busy_until_the_page_s_last_rows_are_in(page, served):
    """The first rows come before the rest of the page: the list stays aria-busy (what
    assistive technology, and any script, waits on) until the rest is in too. Each time
    the page lifts it, the rows then shown are counted."""
    page.add_init_script(
        """
        window.busyLifted = [];
        new MutationObserver((changes) => {
          for (const change of changes) {
            if (change.target.id === "search-results" && !change.target.hasAttribute("aria-busy"))
              window.busyLifted.push(change.target.querySelectorAll("h2").length);
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ["aria-busy"] });
        """
    )
    open_search(page, served, "vision")
    page.wait_for_function("window.busyLifted.length > 0")
    shown = len(result_titles(page))
    assert shown > 5  # more than the first few rows
    assert page.evaluate("window.busyLifted") == [shown]


def test_abstracts_that_fail_to_load_leave_the_excerpts(chromium, example_url):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.route(
        "**/assets/search/a*.js", lambda route: (failed.append(route.request.url), route.abort())
    )
    open_search(page, (example_url, ""), "palettes")
    page.wait_for_function("document.querySelectorAll('#search-results .card-snippet').length > 0")
    page.wait_for_timeout(300)
    assert failed
    card = page.locator("#search-results li.paper-card", has_text=PALETTES).first
    assert card.locator(".card-snippet").inner_text().startswith("Current multimodal")
    assert "could not" not in page.locator("#search-status").inner_text()
    page.close()
    assert errors == []


def test_topic_filter_with_counts_and_back_button(page, site):
    open_search(page, site, "survey")
    everything = len(result_titles(page))
    choice = page.locator("#topic-filter label", has_text="Vision transformers")
    count = int(choice.locator(".count").inner_text())
    assert 0 < count < everything
    choice.click()
    page.wait_for_function("location.search.includes('topic=vision-transformers')")
    assert len(result_titles(page)) == count
    for chips in page.locator("#search-results .chips").all():
        assert "Vision transformers" in chips.inner_text()
    page.go_back()
    page.wait_for_function(
        f"document.querySelectorAll('#search-results h2').length === {everything}"
    )


def test_search_page_without_a_query_reads_the_index_only_when_asked(page, site):
    """The hint is in the page as served, and the index (preloaded) is only read once the
    visitor reaches for the search box: nothing heavy runs while the page loads."""
    base, index = site
    page.set_viewport_size({"width": 390, "height": 800})  # the phone layout
    page.goto(f"{base}search/{index}")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#search-status").startswith("Type a few words")
    assert page.locator("#topic-filter").is_hidden()  # no empty filter box
    assert page.evaluate("typeof window.papersiteSearchData") == "undefined"
    page.click("#search-page-input")
    page.keyboard.type("nerf")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('nerf')")
    assert "NeRF" in result_titles(page)[0]
    assert page.locator("#topic-filter").is_visible()


def test_the_status_names_the_words_its_results_are_for(page, served):
    """Results that arrive while the reader types on (before the next search starts)
    are shown under their own words, not the box's: "n" typed, its results held back,
    "erf" typed, the held results come first ("N-modality"), then those of "nerf". (The
    page waits 120 ms after a letter before it searches: 2 s here, so the held results
    surely come in that time, however busy the machine.)"""
    base, _ = served
    page.add_init_script(
        """{ const later = window.setTimeout;
             window.setTimeout = (run, wait, ...rest) =>
               later(run, wait === 120 ? 2000 : wait, ...rest); }"""
    )
    page.goto(f"{base}search/")
    page.evaluate(
        """() => { window.seen = [];
             const status = document.getElementById('search-status');
             new MutationObserver(() => {
               const first = document.querySelector('#search-results h2');
               window.seen.push([status.textContent, first ? first.textContent : '']); })
               .observe(status, {childList: true, characterData: true, subtree: true}); }"""
    )
    held: list = []
    records = re.compile(r".*/assets/search/r\d+\.js$")
    page.route(records, lambda route: held.append(route))
    page.click("#search-page-input")
    page.keyboard.type("n")
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(25)
    assert held
    page.keyboard.type("erf")  # the search for "nerf" starts 120 ms after the last letter
    for route in held:
        route.continue_()
    page.unroute(records)
    page.wait_for_function(
        "document.getElementById('search-status').textContent.includes('nerf')", timeout=15000
    )
    assert "NeRF" in result_titles(page)[0]
    shown = page.evaluate("window.seen")
    assert ["" for status, first in shown if "“nerf”" in status and "NeRF" not in first] == []
    assert any("“n”" in status for status, _ in shown), shown  # the held results were shown


@pytest.mark.parametrize("query", ["", "?q=vision%20transformer"])
def test_search_page_does_not_shift_on_a_phone(page, site, query):
    base, index = site
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}search/{index}{query}")
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(
        """() => new Promise(resolve => {
             let sum = 0;
             const observer = new PerformanceObserver(list => {
               for (const entry of list.getEntries()) if (!entry.hadRecentInput) sum += entry.value;
             });
             observer.observe({type: "layout-shift", buffered: true});
             setTimeout(() => { observer.disconnect(); resolve(sum); }, 300);
           })"""
    )
    assert shift < 0.01
    assert page.locator("#topic-filter").is_visible() == bool(query)


def test_topic_chips_hold_their_counts_on_a_phone(page, site):
    page.set_viewport_size({"width": 390, "height": 800})
    open_search(page, site, "medical image segmentation")
    spilled = page.evaluate(
        """() => [...document.querySelectorAll('#topic-filter .filter-choice')].filter(chip =>
             chip.querySelector('.count').getBoundingClientRect().right >
             chip.getBoundingClientRect().right).length"""
    )
    assert page.locator("#topic-filter .filter-choice").count() > 5
    assert spilled == 0


def test_typo_still_finds(page, served):
    open_search(page, served, "transfomer")
    assert "Transformer in Transformer" in result_titles(page)[:3]
    assert "words like" in page.inner_text("#search-status")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # A typo in one word while the other matches.
        ("knowlege distillation", "Knowledge Distillation"),
        # The start of a title word: a name without its version, glued to a number.
        ("fbnet", "FBNetV5"),
        ("gpt4 image", "GPT4Image"),
        # A last word not finished, as the header box completes it.
        ("hyperne", "HyperNetworks"),
        # Words typed together rank the title holding them together first.
        ("once for all", "Once-for-All"),
        # A whole word is itself before its completions ("imagenet"), and not a shorter
        # word its stem starts with ("data").
        ("image", "image recognition"),
        ("dataset", "dataset"),
    ],
)
def test_the_search_page_finds_what_people_mean(page, served, query, first):
    open_search(page, served, query)
    assert first.lower() in result_titles(page)[0].lower(), result_titles(page)[:3]


def test_no_results_and_odd_input_never_throw(page, served):
    for query in ["arXiv:2303.08774", "-", "+", "qqqzzzk wwwxxxj", "title:vit^2 ~1"]:
        open_search(page, served, query)
        status = page.inner_text("#search-status")
        assert status.startswith("No papers match") or "paper" in status
    open_search(page, served, "qqqzzzk wwwxxxj")
    assert page.inner_text("#search-status").startswith("No papers match")
    assert result_titles(page) == []


def test_hostile_title_is_found_and_shown_as_text(chromium, make_site):
    root = make_site("standard.txt")
    title = "<img src=x onerror=alert(1)> Hostile Paper"
    abstract = "An abstract with <script>alert(2)</script> inside it, long enough to count. " * 5
    (root / "content" / "listings" / "evil.txt").write_text(f"{title}\n\n{abstract}\n", "utf-8")
    site = build_site(root).output
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_directory(site) as base:
        page.goto(f"{base}search/?q=hostile")
        page.wait_for_function("document.querySelectorAll('#search-results h2').length > 0")
        assert page.locator("#search-results h2").first.inner_text() == title
        assert page.locator("#search-results img").count() == 0
        page.goto(base)
        page.click("#site-search-input")
        page.keyboard.type("onerror")
        # Suggestions arrive as the chunks they need load: wait for the last word's.
        page.wait_for_function(
            """title => {
                 const option = document.querySelector('#site-search-suggestions [role=option]');
                 return option && option.textContent.startsWith(title);
               }""",
            arg=title,
        )
        assert page.locator("#site-search-suggestions img").count() == 0
    assert dialogs == []
    page.close()


def test_a_result_card_links_where_the_papers_card_on_the_site_links(page, site, example_build):
    """search-engine.js builds result cards by hand (from URL shapes it shares with
    text/urls.py and identifiers.py): every link of a result is a link of the same
    paper's card on the site's pages, as absolute URLs, over HTTP and from disk."""
    import re

    base, index = site
    listing = example_build.output / "papers" / "index.html"
    html = listing.read_text("utf-8")
    cards = re.findall(r'<li class="card paper-card">(.*?)</li>\n', html, re.S)
    with_code = next(card for card in cards if ">Code<" in card and ">arXiv<" in card)
    title = re.search(r"<h\d class=\"card-title\"><a href=\"[^\"]*\">(.*?)</a>", with_code)[1]
    page.goto(f"{base}papers/{index}")
    shown = page.locator("li.paper-card", has=page.locator(f'.card-title a:text-is("{title}")'))
    on_site = set(shown.locator("a").evaluate_all("links => links.map((a) => a.href)"))
    open_search(page, site, title.replace("&amp;", "&").replace("&#39;", "'"))
    card = page.locator("#search-results li").first
    assert card.locator("h2").inner_text() == title
    in_results = card.locator("a").evaluate_all("links => links.map((a) => a.href)")
    assert len(in_results) >= 4  # the paper, a topic, arXiv, PDF, code
    assert set(in_results) <= on_site, set(in_results) - on_site


def test_abstracts_load_for_the_cards_near_the_screen_only(chromium, example_url):
    """A deep link loads the whole abstracts (eight papers a file) only of the cards on or
    near the screen; the others load as they scroll into view."""
    page = chromium.new_page(viewport={"width": 390, "height": 700})
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    open_search(page, (example_url, ""), "publicly available")
    needing = page.locator("#search-results .card-snippet:not(:has(mark))").count()
    page.wait_for_timeout(500)
    first = {url for url in loaded if "/assets/search/a" in url}
    assert 1 <= len(first) < needing
    page.locator("#search-results li.paper-card").last.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    later = {url for url in loaded if "/assets/search/a" in url}
    assert len(later) > len(first)
    page.close()


def test_a_deep_link_asks_for_its_words_chunks_beside_the_vocabulary(
    chromium, example_build, example_url
):
    """From EVERY_COMPLETION letters on, every word starting with the typed one is looked
    up, so the term chunks holding such words are asked for with the vocabulary that
    names them, not after it (a round trip sooner): here while the vocabulary is held
    back. A chunk of its range that holds only title pairs starting with it ("scalabl
    and") and words it does not start is not asked for then."""
    from generator.search.index import EVERY_COMPLETION
    from generator.search.split import PAIR, chunk_of, read_script
    from generator.search.stemming import stem_word

    assets = example_build.output / "assets"
    starts = read_script((assets / "search-index.js").read_bytes())["chunks"]

    def range_of(stem: str) -> list[int]:
        """The chunks whose range holds terms starting with `stem` (as filesOf)."""
        numbers = [chunk_of(starts, stem)]
        while numbers[-1] + 1 < len(starts) and starts[numbers[-1] + 1].startswith(stem):
            numbers.append(numbers[-1] + 1)
        return numbers

    def holds_a_word(number: int, stem: str) -> bool:
        chunk = read_script((assets / "search" / f"t{number}.js").read_bytes())
        return any(PAIR not in term and term.startswith(stem) for term in chunk["terms"])

    def asked_while_the_vocabulary_is_held(query: str, wanted: set[str]) -> set[str]:
        page = chromium.new_page()
        asked: list[str] = []
        held: list = []
        vocabulary = re.compile(r".*/assets/search/w\d+\.js$")
        page.on("request", lambda request: asked.append(request.url.rsplit("/", 1)[-1]))
        page.route(vocabulary, lambda route: held.append(route))
        try:
            page.goto(f"{example_url}search/?q={query}", wait_until="domcontentloaded")
            for _ in range(300):
                if held and wanted <= set(asked):
                    break
                page.wait_for_timeout(50)
            page.wait_for_timeout(300)  # (time for a chunk asked for in vain)
            assert held, asked
            return {name for name in asked if re.fullmatch(r"t\d+\.js", name)}
        finally:
            for route in held:
                route.continue_()
            page.unroute(vocabulary)
            page.wait_for_function("document.querySelectorAll('#search-results h2').length")
            page.close()

    in_vain = 0
    # image: its next chunk starts with a word; vision: with a title pair, then words;
    # scalable: with title pairs, then words it does not start; scal starts those words.
    for query in ("image", "vision", "scalable", "scal"):
        stem = stem_word(query)
        assert len(stem) >= EVERY_COMPLETION
        numbers = range_of(stem)
        assert len(numbers) >= 2, query  # the terms starting with it span chunks
        needed = {f"t{n}.js" for n in numbers if n == numbers[0] or holds_a_word(n, stem)}
        vain = {f"t{n}.js" for n in numbers} - needed
        in_vain += len(vain)
        asked = asked_while_the_vocabulary_is_held(query, needed)
        assert needed <= asked and not vain & asked, (query, needed, vain, asked)
    assert in_vain >= 1 and any(PAIR in starts[n] for n in range_of(stem_word("vision"))[1:])


def test_back_after_a_new_query_returns_to_the_query_before(page, served):
    """A query typed (and Enter pressed, or not) gets one history entry: Back goes to the
    query before it, not to the same query again."""
    base, _ = served
    page.goto(base + "papers/")
    open_search(page, served, "segmentation")
    before = result_titles(page)
    box = page.locator("#search-page-input")
    for press_enter in (True, False):
        box.fill("mamba")
        page.wait_for_url(re.compile(r"\?q=mamba$"))
        if press_enter:
            box.press("Enter")
        page.wait_for_function("document.querySelector('#search-results h2')")
        page.go_back()
        page.wait_for_url(re.compile(r"\?q=segmentation$"))
        page.wait_for_function(
            "t => document.querySelector('#search-results h2')?.innerText === t", arg=before[0]
        )
        assert box.input_value() == "segmentation"
    box.fill("vision")
    box.press("Enter")  # before the typing pause: the new query still gets its entry
    page.wait_for_url(re.compile(r"\?q=vision$"))
    page.go_back()
    page.wait_for_url(re.compile(r"\?q=segmentation$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/papers/$"))


@pytest.mark.parametrize("width", [390, 1280])
def test_a_query_of_one_long_word_wraps_rather_than_widen_the_page(page, served, width):
    base, _ = served
    page.set_viewport_size({"width": width, "height": 800})
    word = "x" * 300
    open_search(page, served, word)
    assert word in page.inner_text("#search-status")
    overflow = "document.documentElement.scrollWidth - window.innerWidth"
    assert page.evaluate(overflow) <= 0
    page.goto(base)
    page.click("#site-search-input")
    page.keyboard.type("Pneumonoultramicroscopicsilicovolcanoconiosisdetectionnetworks")
    listbox = page.locator("#site-search-suggestions")
    expect(listbox).to_contain_text("detectionnetworks")
    assert listbox.evaluate("box => box.scrollWidth - box.clientWidth") <= 0
    assert page.evaluate(overflow) <= 0


def test_without_javascript_the_search_page_says_only_that_it_needs_it(chromium, served):
    base, _ = served
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "search/")
    said = page.locator("main noscript p")
    assert said.is_visible() and "needs JavaScript" in said.inner_text()
    assert page.locator("#search-status").is_hidden()  # not "Type a few words"
    assert page.locator(".search-key").is_hidden()  # no "/" to press
    context.close()


def test_back_while_typing_leaves_forward_history_alone(page, served):
    """Typing then Back within the typing pause: the pause's update pushed an entry for
    the page gone back to, and the way forward was lost."""
    open_search(page, served, "segmentation")
    box = page.locator("#search-page-input")
    box.fill("mamba")
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q=mamba$"))
    box.press("x")
    page.go_back()
    page.wait_for_url(re.compile(r"\?q=segmentation$"))
    page.wait_for_timeout(400)  # past the typing pause
    assert page.url.endswith("?q=segmentation")
    page.go_forward()
    page.wait_for_url(re.compile(r"\?q=mamba$"))
