"""Search by author (accents folded, initials) and by arXiv id or DOI, in real Chromium and
in the build's own engine (generator/search/index.py), on a site built from Hub JSON and BibTeX."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, serve_directory

from generator.build import build_site
from generator.search.index import Searcher
from generator.search.split import join_store

RESNET = "Deep Residual Learning for Image Recognition"
CONVIT = "ConViT: Improving Vision Transformers with Soft Convolutional Inductive Biases"
FIRST = [
    ("he kaiming", RESNET),
    ("Kaiming He", RESNET),
    ("1512.03385", RESNET),
    ("arXiv:1512.03385", RESNET),
    ("d'Ascoli", CONVIT),
    ("d\u2019Ascoli", CONVIT),
    ("Stephane d'Ascoli", CONVIT),
    ("STÉPHANE", CONVIT),
    ("S. d'Ascoli", CONVIT),
    ("ascoli", CONVIT),
    ("10.1088/1742-5468/ac9830", CONVIT),
]
AMONG = [("K. He", RESNET), ("joerg muller", "Alpha Networks for Vision")]


@pytest.fixture(scope="module")
def people_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("people")
    sources = root / "content" / "listings"
    sources.mkdir(parents=True)
    shutil.copy(FIXTURES / "hub" / "search-vision.json", sources / "vision.json")
    shutil.copy(FIXTURES / "reading-list.bib", sources / "reading.bib")
    (root / "content" / "site.yml").write_text("title: People\n", encoding="utf-8")
    return build_site(root).output


@pytest.fixture(scope="module")
def engine(people_site):
    store = join_store(lambda path: (people_site / path).read_bytes())
    return Searcher.of_site(people_site), [row[0] for row in store]


@pytest.mark.parametrize(("query", "title"), FIRST)
def test_the_build_finds_people_and_ids_first(engine, query, title):
    indexes, titles = engine
    refs = indexes.search(query)
    assert refs and titles[int(refs[0], 36)] == title


def test_initials_and_folded_names_find_the_paper(engine):
    indexes, titles = engine
    for query, title in AMONG:
        assert title in [titles[int(ref, 36)] for ref in indexes.search(query)], query


@pytest.fixture(scope="module")
def people_url(people_site):
    with serve_directory(people_site) as url:
        yield url


def test_the_browser_finds_people_and_ids_first(people_url, chromium):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for query, title in FIRST:
        page.goto(people_url + "search/?q=" + query.replace("&", "%26"))
        first = page.locator("#search-results li h2").first
        first.wait_for()
        assert first.inner_text() == title, query
    # The results say who wrote each paper, with the matched name highlighted.
    page.goto(people_url + "search/?q=kaiming")
    byline = page.locator("#search-results .card-meta span").first
    byline.wait_for()
    assert byline.inner_text() == "Kaiming He, Xiangyu Zhang, Shaoqing Ren et al."
    assert byline.locator("mark").all_inner_texts() == ["Kaiming"]
    page.goto(people_url + "search/?q=stephane")
    marked = page.locator("#search-results .card-meta span mark").first
    marked.wait_for()
    assert marked.inner_text() == "Stéphane"
    assert errors == []
    page.close()


def test_typing_an_author_in_the_header_box_suggests_their_paper(people_url, chromium):
    page = chromium.new_page()
    page.goto(people_url)
    page.locator("#site-search-input").fill("d'ascoli")
    suggestion = page.locator("#site-search-suggestions .suggestion-title").first
    suggestion.wait_for()
    assert suggestion.inner_text() == CONVIT
    page.close()
