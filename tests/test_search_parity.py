"""Parity: what lunr.py finds, real lunr.js 2.3.9 finds, word for word and result for result."""

from __future__ import annotations

import random
import re

import pytest
from conftest import REPO

from generator.catalog.papers import merge
from generator.content.config import load_config
from generator.content.listings import read_listings
from generator.content.notes import read_notes
from generator.diagnostics import Diagnostics
from generator.search.index import Searcher
from generator.search.stemming import stem_word, trim_word

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
    # Issue 24: glued and hyphenated words, versions, links, other scripts, long input.
    "mobile net v3",
    "mobilenet",
    "mixture of experts multi-task",
    "pre-training pretraining",
    "uni rep lk net",
    "https://arxiv.org/abs/2103.10697",
    "https://huggingface.co/papers/2103.10697",
    "arXiv:2010.11929v2",
    "画像認識",
    "GPT-4による画像認識",
    "한국어 검색",
    " ".join(["vision"] * 40 + ["transformer"]),
    '"masked autoencoders"',
    "medical image segmentaton",
    "object detectoin",
    # Letters outside the Basic Multilingual Plane (copied from PDFs), odd white space.
    "vi\U0001d42cion",
    "trans\U0001f642former",
    "ima\U0001d420e",
    "vision\ufefftransformer",
    "vision\x85transformer",
    "vision\x1ctransformer",
    "画像認識 mobile net v3",
    "image generaton diffusion",
    '"image recognition" survey',
    "\u201cvision transformer\u201d \u201cself-supervised\u201d",
    '"attention is all you need"',
    '"masked autoencoders',
    "!" * 3000 + "vision" + "?" * 3000,
]


@pytest.fixture(scope="module")
def vocabulary() -> list[str]:
    """Every word of the corpus as the index-time pipeline hands it to the stemmer."""
    config = load_config(REPO)
    entries = read_listings(config.listings, Diagnostics())
    papers = merge(entries, read_notes(config.content / "papers"), config.listings)
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
    page.evaluate("window.papersiteSearchEngine.search('vision').then(() => true)")
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


def test_words_that_are_only_a_suffix_stem_alike(page):
    """lunr.js's Porter steps want a letter before the suffixes they strip; lunr.py strips
    them from a word that is nothing else ("ies": "i", where lunr.js keeps "ie")."""
    words = ["ies", "sses", "eed", "eeds", "ing", "ed", "ses", "bies", "ponies", "caresses"]
    words += ["feed", "agreed", "cats", "ties", "sees", "eing", "yes", "ys"]
    in_js = page.evaluate(
        "words => words.map(w => lunr.stemmer(new lunr.Token(w)).toString())", words
    )
    assert [stem_word(word) for word in words] == in_js


def test_query_words_split_alike(page, vocabulary):
    samples = [
        *QUERIES,
        *["Café, crème!", "(e.g.,", "ResNet-50's", "a/b", "x_y", "ÉCOLE"],
        *["Łukasz Øster Straße", "Æsir œuvre", "İstanbul", "ðþı", "Ñandú", "ﬁne"],
        *["arxiv.org/pdf/2103.10697v3.pdf", "画像認識の研究、深層学習", "x " * 50, "——", "a—b"],
        *["a\ufeffb", "a\x85b", "a\x1cb\x1fc", "a\u3000b", "vi\U0001d42cion"],
    ]
    in_js = page.evaluate(
        "texts => texts.map(t => window.papersiteSearchEngine.queryWords(t))", samples
    )
    from generator.search.stemming import query_words

    assert in_js == [query_words(text) for text in samples]


PREFIXES = ["vision transf", "hyperne", "segm", "medical im", "3d gaus", "self-sup", "x", "zzq"]
PREFIXES += ["learni", "segmenta", "generat", "traini", "transformr", "mobile net v", "画像認"]


def generated_queries(vocabulary: list[str]) -> list[tuple[str, bool]]:
    """Hundreds of queries: words, pairs and triples of the corpus, words with a typo, and
    words being typed (a prefix of one to six letters), with the hand-written ones."""
    pick = random.Random(11)
    long_words = [word for word in vocabulary if len(word) >= 6 and word.isalpha()]
    queries = [(query, False) for query in QUERIES] + [(query, True) for query in PREFIXES]
    queries += [(pick.choice(vocabulary), False) for _ in range(150)]
    queries += [(" ".join(pick.sample(vocabulary, 2)), False) for _ in range(100)]
    queries += [(" ".join(pick.sample(vocabulary, 3)), False) for _ in range(40)]
    for word in pick.sample(long_words, 60):
        at = pick.randrange(2, len(word))
        queries.append((word[:at] + word[at + 1 :], False))  # one letter left out
    for word in pick.sample(long_words, 80):
        queries.append((word[: pick.randrange(1, 7)], True))
    for _ in range(30):
        first, second = pick.sample(long_words, 2)
        queries.append((f"{first} {second[:3]}", True))
    # Words typed apart that the index holds as one, and the other way round.
    for word in pick.sample(long_words, 30):
        at = pick.randrange(2, len(word) - 1)
        queries.append((f"{word[:at]} {word[at:]}", False))
        queries.append((f"{word[:at]}-{word[at:]}", True))
    return queries


def test_the_split_index_in_lunr_js_scores_as_the_whole_index_in_lunr_py(
    page, example_build, vocabulary
):
    """search-engine.js adds lunr's scores up from the chunks' postings; Python asks lunr.py
    the whole index at once. Same papers, same order, same scores, for every query."""
    queries = generated_queries(vocabulary)
    assert len(queries) >= 450
    in_js = page.evaluate(
        """queries => Promise.all(queries.map(([text, prefix]) =>
             window.papersiteSearchEngine.search(text, {prefix})
               .then(found => found.results.map(r => [r.ref, r.score]))))""",
        queries,
    )
    searcher = Searcher.of_site(example_build.output)
    found = 0
    for (text, prefix), js in zip(queries, in_js, strict=True):
        python = searcher.scored(text, prefix=prefix)
        assert [ref for ref, _ in js] == [ref for ref, _ in python], (text, prefix)
        for (_, js_score), (_, py_score) in zip(js, python, strict=True):
            assert js_score == pytest.approx(py_score, rel=1e-9, abs=1e-12), (text, prefix)
        found += bool(python)
    assert found > 0.9 * len(queries)
    # The hand-written cases find what they must.
    first = {
        text: searcher.search(text, prefix=prefix)[:1]
        for text, prefix in queries[: len(QUERIES) + len(PREFIXES)]
    }
    assert first["survey"] and first["Stéphane"] and first["92.3%"] and first["segm"]
    assert first["2103.10697"] == first["Stephane"], "ids and names"
    assert first["https://arxiv.org/abs/2103.10697"] == first["2103.10697"], "an arXiv link"
    assert first["https://huggingface.co/papers/2103.10697"] == first["2103.10697"], "the Hub's"
    assert first["arXiv:2010.11929v2"] == first["arXiv:2010.11929"], "a versioned id"
    for typed in ["learni", "segmenta", "generat", "traini", "transformr", "mobile net v"]:
        assert first[typed], f"{typed!r} finds nothing while it is typed"
    # Words typed apart are glued after a CJK word as before one.
    for text in ["画像認識 mobile net v3", "mobile net v3 画像認識"]:
        glued = {term for terms in searcher.words.expanded(text, False) for term, _ in terms}
        assert "mobilenetv3" in glued, text
    # A typo in one word while the others match: found through the word, not its stem.
    for text in ["medical image segmentaton", "object detectoin", "image generaton diffusion"]:
        ranked = searcher.ranked(text)
        assert ranked.complete > 0, text
