"""Issue 24: one behaviour everywhere. The header box and the search page answer a query
alike (typos, words being typed, glued and hyphenated words); a word never finds less as
it is typed on; any input, however long, is answered. In headless Chromium."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from generator.search.index import EVERY_COMPLETION, Searcher
from generator.search.split import join_store
from generator.search.stemming import query_words, trim_word

AGREE = [
    "transformr",
    "learni",
    "segmenta",
    "vision transf",
    "mobile net v3",
    "mixture of experts multi-task",
    "Kaiming He",
    "knowlege distillation",
]


def header_count(page, text: str) -> int:
    """What the header box says for `text`: its number of results (0: "No papers match")."""
    page.fill("#site-search-input", "")  # an empty box empties the status at once
    page.fill("#site-search-input", text)
    status = page.locator("form.site-search [role=status]")
    page.wait_for_function(
        """text => document.getElementById('site-search-input').value === text &&
             /result|No papers/.test(
               document.querySelector('form.site-search [role=status]').textContent)""",
        arg=text,
    )
    said = status.inner_text()
    if said.startswith("No papers"):
        return 0
    see_all = page.inner_text("#suggestion-all")
    assert re.search(r"See all (\d+) result", see_all), see_all
    return int(re.search(r"(\d+) result", said).group(1))


def page_count(page, base: str, index: str, text: str) -> int:
    page.goto(f"{base}search/{index}?q={quote(text)}")
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")
    status = page.inner_text("#search-status")
    if status.startswith("No papers"):
        return 0
    # "N papers for ...", or "N papers with all of ..., then M with some of its words"
    counts = re.match(r"(\d+) papers?\b(?:.*, then (\d+) with some)?", status)
    assert counts, status
    return int(counts.group(1)) + int(counts.group(2) or 0)


@pytest.mark.parametrize("how", ["http", "file"])
def test_the_header_box_and_the_search_page_agree(page, example_build, example_url, how):
    base, index = (
        (example_url, "") if how == "http" else (example_build.output.as_uri() + "/", "index.html")
    )
    page.goto(base + index)
    in_box = {text: header_count(page, text) for text in AGREE}
    on_page = {text: page_count(page, base, index, text) for text in AGREE}
    assert in_box == on_page
    assert all(in_box.values()), in_box


def title_words(site) -> list[str]:
    rows = join_store(lambda path: (site / path).read_bytes())
    words = {trim_word(part.lower()) for row in rows for part in re.split(r"[\s\-]+", row[0])}
    return sorted(word for word in words if word and len(query_words(word)) == 1)


def test_every_title_word_finds_its_papers_while_it_is_typed(page, example_build, example_url):
    """Each title word of the example, typed letter by letter in the browser: from
    EVERY_COMPLETION letters on, every paper the whole word finds is found (shorter prefixes
    stand for their most common completions and are never empty). Words share their
    first letters, so each different query is asked once (5,154 of the 9,249 typed)."""
    site = example_build.output
    searcher = Searcher.of_site(site)
    words = title_words(site)
    assert len(words) > 1000
    typed = sorted({word[:n] for word in words for n in range(1, len(word))})
    page.goto(example_url)
    whole_js, typed_js = page.evaluate(
        """async ([words, typed]) => {
             const engine = window.papersiteSearchEngine;
             const refs = async (text, prefix) =>
               (await engine.search(text, {prefix})).results.map(r => r.ref);
             const out = [[], []];
             for (const word of words) out[0].push(await refs(word, false));
             for (const text of typed) out[1].push(await refs(text, true));
             return out;
           }""",
        [words, typed],
    )
    whole_of = dict(zip(words, whole_js, strict=True))
    found_of = dict(zip(typed, typed_js, strict=True))
    # Python answers alike (every query here; the parity tests hold the rest of the
    # scoring): a quarter of them, the rest is test_search.py's in Python.
    for word in words[::4]:
        assert whole_of[word] == searcher.search(word), word
    for text in typed[::4]:
        assert found_of[text] == searcher.search(text, prefix=True), text
    dropped = []
    for word, whole in whole_of.items():
        for n in range(1, len(word)) if whole else ():
            found = found_of[word[:n]]
            if not found or (n >= EVERY_COMPLETION and not set(whole) <= set(found)):
                dropped.append(word[:n])
    assert dropped == []


def test_typing_in_the_header_box_never_drops_to_nothing(page, example_url):
    page.goto(example_url)
    page.click("#site-search-input")
    said = []
    status = "form.site-search [role=status]"
    for word in ["learning", "segmentation", "generative", "training", "capabilities"]:
        page.fill("#site-search-input", "")
        for letter in word:
            # The status is emptied first, so the one read is this keystroke's.
            page.evaluate("s => { document.querySelector(s).textContent = ''; }", status)
            page.keyboard.type(letter)
            page.wait_for_function("s => document.querySelector(s).textContent !== ''", arg=status)
            said.append((page.input_value("#site-search-input"), page.inner_text(status)))
    empty = [typed for typed, text in said if text.startswith("No papers")]
    assert empty == [], empty
    assert len(said) == len("learningsegmentationgenerativetrainingcapabilities")


def test_a_very_long_query_is_answered(page, example_url):
    """A pasted page of text (100,000 characters, a quadratic trim would take minutes) is
    answered in the header box and on the search page."""
    text = ("vision transformer!!! " * 2000) + ("?" * 50_000)
    page.goto(example_url)
    assert header_count(page, text) > 0
    # One word 20,000 letters long: its typos and prefixes would take minutes to list.
    assert header_count(page, "transformer" * 2000) == 0
    page.goto(example_url + "search/?q=" + quote(text[:20_000]))
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")
    assert "paper" in page.inner_text("#search-status")


PHRASE = '"masked autoencoders"'


def test_a_quoted_phrase_ranks_the_papers_holding_it_first(page, example_build, example_url):
    """On the search page and in the header box alike: the papers whose title or abstract
    holds the words side by side come first, then those with them apart (as in Python)."""
    searcher = Searcher.of_site(example_build.output)
    ranked = searcher.ranked(PHRASE, prefix=True)
    apart = searcher.ranked(PHRASE.strip('"'), prefix=True)
    assert 0 < ranked.phrased < ranked.complete == apart.complete
    page.goto(example_url + "search/?q=" + quote(PHRASE))
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")
    status = page.inner_text("#search-status")
    assert status.startswith(f"{ranked.phrased} papers with \u201cmasked autoencoders\u201d"), (
        status
    )
    texts = paper_text_of(example_build.output)
    firsts = [int(ref, 36) for ref, _ in ranked.results[: ranked.phrased]]
    assert all("masked autoencoder" in texts(doc) for doc in firsts)
    later = [int(ref, 36) for ref, _ in ranked.results[ranked.phrased : ranked.complete]]
    assert not any("masked autoencoder" in texts(doc) for doc in later)
    shown = page.locator("#search-results h2").all_inner_texts()
    store = join_store(lambda path: (example_build.output / path).read_bytes())
    assert shown[:5] == [store[doc][0] for doc in firsts[:5]]
    page.goto(example_url)
    page.fill("#site-search-input", PHRASE)
    page.locator("#site-search-suggestions .suggestion-title").first.wait_for()
    assert page.locator("#site-search-suggestions .suggestion-title").first.inner_text() == shown[0]


def paper_text_of(site):
    """A paper's title and abstract, lower-case with hyphens as spaces, by number."""
    from generator.search.index import PaperTexts

    texts = PaperTexts(lambda path: (site / path).read_bytes())
    return lambda doc: " ".join(texts(doc)).lower().replace("-", " ")
