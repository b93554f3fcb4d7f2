"""Parity: what lunr.py finds, real lunr.js 2.3.9 finds, word for word and result for result."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO

from generator.config import load_config
from generator.diagnostics import Diagnostics
from generator.notes import read_paper_pages
from generator.papers import merge
from generator.search import load_index, search
from generator.sources import parse_sources
from generator.stemming import stem_word, trim_word

QUERIES = [
    "survey",
    "key",
    "array",
    "display",
    "92.3%",
    "Stéphane",
    "d'Ascoli",
    "vision transformer",
    "medical image segmentation",
    "arXiv:2303.08774",
    "Stephane",
    "d\u2019Ascoli",
    "dosovitskiy a",
    "2103.10697",
    "arXiv:2010.11929",
    "Multi-View",
    "efficent vison",
    "the",
    "-",
    "+",
]


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    """Every word of the corpus as the index-time pipeline hands it to the stemmer."""
    config = load_config(REPO)
    entries = parse_sources(config.listings, Diagnostics())
    papers = merge(entries, read_paper_pages(config.content / "papers"), config.listings)
    words = set()
    for paper in papers:
        for part in re.split(
            r"[\s\-]+", f"{paper.title} {paper.abstract} {' '.join(paper.authors)}"
        ):
            word = trim_word(part.lower())
            if word:
                words.add(word)
    return sorted(words)


@pytest.fixture(scope="module")
def page(chromium, example_url):
    page = chromium.new_page()
    page.goto(example_url)
    page.evaluate("window.papersiteSearchEngine.engine().then(() => true)")
    yield page
    page.close()


def test_whole_vocabulary_stems_alike(page, vocabulary):
    in_js = page.evaluate(
        "words => words.map(w => lunr.stemmer(new lunr.Token(w)).toString())", vocabulary
    )
    in_python = [stem_word(word) for word in vocabulary]
    differ = [(w, p, j) for w, p, j in zip(vocabulary, in_python, in_js, strict=True) if p != j]
    print(f"\n{len(vocabulary)} words stemmed, {len(differ)} differ")
    assert len(vocabulary) > 7000
    assert differ == []


def test_query_words_split_alike(page, vocabulary):
    samples = [
        *QUERIES,
        *["Café, crème!", "(e.g.,", "ResNet-50's", "a/b", "x_y", "ÉCOLE"],
        *["Łukasz Øster Straße", "Æsir œuvre", "İstanbul", "ðþı", "Ñandú", "ﬁne"],
    ]
    in_js = page.evaluate(
        "texts => texts.map(t => window.papersiteSearchEngine.queryWords(t))", samples
    )
    from generator.stemming import query_words

    assert in_js == [query_words(text) for text in samples]


def test_queries_return_the_same_top_five(page, example_build):
    data = json.loads((example_build.output / "assets" / "search-index.json").read_bytes())
    indexes = [load_index(compact) for compact in data["indexes"]]
    in_js = page.evaluate(
        """queries => window.papersiteSearchEngine.engine().then(({indexes}) =>
             queries.map(q => window.papersiteSearchEngine.search(indexes, q)
                                .results.slice(0, 5).map(r => r.ref)))""",
        QUERIES,
    )
    in_python = [search(indexes, query)[:5] for query in QUERIES]
    for query, python, js in zip(QUERIES, in_python, in_js, strict=True):
        assert js == python, query
    assert in_python[QUERIES.index("survey")], "survey must find something"
    assert in_python[QUERIES.index("Stéphane")], "accented words must be found"
    assert in_python[QUERIES.index("92.3%")], "numbers with punctuation must be found"
    convit = in_python[QUERIES.index("2103.10697")][:1]
    assert convit and convit == in_python[QUERIES.index("Stephane")][:1], "ids and names"


PREFIXES = ["vision transf", "hyperne", "segm", "medical im", "3d gaus", "self-sup", "x", "zzq"]


def test_words_being_typed_rank_the_same(page, example_build):
    data = json.loads((example_build.output / "assets" / "search-index.json").read_bytes())
    indexes = [load_index(compact) for compact in data["indexes"]]
    in_js = page.evaluate(
        """queries => window.papersiteSearchEngine.engine().then(({indexes}) =>
             queries.map(q => window.papersiteSearchEngine.search(indexes, q, {prefix: true})
                                .results.slice(0, 5).map(r => r.ref)))""",
        PREFIXES,
    )
    in_python = [search(indexes, query, prefix=True)[:5] for query in PREFIXES]
    for query, python, js in zip(PREFIXES, in_python, in_js, strict=True):
        assert js == python, query
    assert in_python[PREFIXES.index("segm")], "a prefix must find something"
