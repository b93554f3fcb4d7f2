"""Issue 24: text in other scripts. A topic named in Japanese gets an address and its
papers are found by a word of its name; a note written in Chinese is found by any word of
two or more characters in it (overlapping letter pairs, as Lucene's CJK analyzer);
accented Latin text with or without its accents. In headless Chromium, over HTTP and from
file://, and in Python (the build's self-test mirror) alike."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import serve_directory

from generator.build import build_site
from generator.search.index import Searcher
from generator.search.split import join_store

TOPICS = (
    "fallback: other\n"
    "topics:\n"
    "  - name: 画像認識\n    keywords: [alpha]\n"
    "  - name: Transformers\n    keywords: [transformer]\n"
    "  - name: Other\n    keywords: [computer vision]\n"
)
NOTE = """---
title: "Beta: Better Transformers"
---
本文提出了一种新的视觉变换器\uff0c
在图像分类任务上取得了很好的效果。

Ce modèle généralise très bien.
"""
# A listing with a paper whose title is Japanese.
JAPANESE_LISTING = (
    "Mar 14\n\n深層学習による物体検出\n\n"
    "We study object detection with deep networks and propose a method that improves "
    "results on several benchmarks by a wide margin.\n"
)
# A query, and the title of the paper it must find first.
FOUND = [
    ("認識", "Alpha Networks for Vision"),
    ("画像認識", "Alpha Networks for Vision"),
    ("变换器", "Beta: Better Transformers"),
    ("图像分类", "Beta: Better Transformers"),
    ("视觉", "Beta: Better Transformers"),
    ("generalise", "Beta: Better Transformers"),
    ("modele", "Beta: Better Transformers"),
]


@pytest.fixture(scope="module")
def scripts_site(tmp_path_factory):
    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("scripts")
    (root / "content" / "listings").mkdir(parents=True)
    (root / "content" / "papers").mkdir()
    (root / "content" / "listings" / "standard.txt").write_bytes(
        (FIXTURES / "standard.txt").read_bytes()
    )
    (root / "content" / "site.yml").write_text("title: Scripts\n", "utf-8")
    (root / "content" / "topics.yml").write_text(TOPICS, "utf-8")
    (root / "content" / "papers" / "beta.md").write_text(NOTE, "utf-8")
    (root / "content" / "listings" / "japanese.txt").write_text(JAPANESE_LISTING, "utf-8")
    report = build_site(root, root / "site")
    return report.output


def test_a_japanese_topic_has_an_address(scripts_site):
    page = scripts_site / "topics" / "hua-xiang-ren-shi" / "index.html"
    assert "画像認識" in page.read_text("utf-8")


@pytest.mark.parametrize(("query", "title"), FOUND)
def test_python_finds_words_of_any_script(scripts_site, query, title):
    searcher = Searcher.of_site(scripts_site)
    store = join_store(lambda path: (scripts_site / path).read_bytes())
    found = [store[int(ref, 36)][0] for ref in searcher.search(query, prefix=True)]
    assert found[:1] == [title], (query, found)


@pytest.mark.parametrize("how", ["http", "file"])
def test_the_browser_finds_words_of_any_script(chromium, scripts_site, how):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_directory(scripts_site) as url:
        base, index = (url, "") if how == "http" else (scripts_site.as_uri() + "/", "index.html")
        for query, title in FOUND:
            page.goto(f"{base}search/{index}?q={quote(query)}")
            page.wait_for_function(
                "!document.getElementById('search-results').hasAttribute('aria-busy')"
            )
            assert page.locator("#search-results h2").first.inner_text() == title, query
        # Matched CJK letters are marked in a result, as matched words are.
        page.goto(f"{base}search/{index}?q={quote('物体検出')}")
        page.wait_for_function(
            "!document.getElementById('search-results').hasAttribute('aria-busy')"
        )
        first = page.locator("#search-results h2").first
        assert first.inner_text() == "深層学習による物体検出"
        assert first.locator("mark").all_inner_texts() == ["物体検出"]
        # The topic's chip leads to its page.
        page.goto(f"{base}search/{index}?q={quote('認識')}")
        chip = page.locator("#search-results .chip", has_text="画像認識").first
        href = chip.get_attribute("href")
        assert "topics/hua-xiang-ren-shi/" in href
        # And the header box finds the note's words as they are typed.
        page.goto(base + index)
        page.fill("#site-search-input", "图像分")
        page.locator("#site-search-suggestions [role=option]").first.wait_for()
        first = page.locator("#site-search-suggestions .suggestion-title").first.inner_text()
        assert first == "Beta: Better Transformers"
    assert errors == []
    page.close()
