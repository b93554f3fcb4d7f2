"""The search index as lunr.py builds it: stemming, trimming, compaction, size, self-test."""

from __future__ import annotations

import gzip
import html
import json
import subprocess
import sys

import pytest
from conftest import REPO
from lunrreference import compact_index

from generator.build import build_site
from generator.content.config import load_config
from generator.diagnostics import ContentError
from generator.engine.cache import BuildCache
from generator.engine.progress import Progress
from generator.recipe import complete_catalog, read_content
from generator.search import index as search_module
from generator.search.compact import expand_index
from generator.search.index import Searcher
from generator.search.split import (
    PAIR,
    join_index,
    join_store,
    json_bytes,
    pair_share,
    read_script,
    topics_of_papers,
)
from generator.search.stemming import query_words, stem_word, trim_word
from generator.text.snippets import CARD_TOPICS, EXCERPT_CHARS

BUDGET_GZIP = 350_000


def reader(example_build):
    return lambda path: (example_build.output / path).read_bytes()


def core(example_build) -> dict:
    return read_script((example_build.output / "assets" / "search-index.js").read_bytes())


def test_step_1c_follows_lunr_js():
    assert [stem_word(w) for w in ["survey", "key", "array", "display", "way", "play"]] == [
        "survey",
        "key",
        "array",
        "display",
        "way",
        "play",
    ]
    assert stem_word("happy") == "happi" and stem_word("sky") == "ski"
    assert stem_word("recognition") == "recognit"


def test_trimmer_strips_punctuation_and_folds_accents():
    assert trim_word("92.3%,") == "92.3"
    assert trim_word("arxiv:2303.08774,") == "arxiv:2303.08774"
    assert trim_word("(e.g.,") == "e.g"
    assert trim_word("café,") == "cafe"
    assert trim_word("łódź") == "lodz" and trim_word("straße") == "strasse"
    assert trim_word("d\u2019ascoli") == "d'ascoli"
    assert trim_word("東京") == "東京" and trim_word("--") == ""


def test_query_words_never_fail_on_odd_input():
    assert query_words("arXiv:2303.08774") == ["arxiv:2303.08774"]
    assert query_words("-") == [] and query_words("+") == [] and query_words("the of") == []
    assert query_words("Vision-Language  survey!") == ["vision", "language", "survey"]


def test_compaction_is_lossless(example_build):
    compact = join_index(reader(example_build))
    original = expand_index(compact)
    assert compact_index(original) == compact
    expanded = expand_index(compact_index(original))
    assert expanded == original


def test_refs_are_short_and_store_maps_them(example_build):
    store = join_store(reader(example_build))
    assert len(store) == example_build.papers
    title, slug, topics, excerpt, *more = store[0]
    assert len(more) <= 4  # byline, date, arXiv id, code when known
    page = (example_build.output / "papers" / slug / "index.html").read_text("utf-8")
    assert "<h1 id=" in page and html.escape(title) in page
    assert (example_build.output / "papers" / slug / "index.html").is_file()
    assert all(0 <= n < len(core(example_build)["topics"]) for n in topics)
    assert len(excerpt) <= EXCERPT_CHARS + 1


def test_every_search_file_is_small(example_build):
    """A query loads the core, the chunks of its words and the records it shows: each of
    them a few KB gzip, whatever the size of the collection."""
    assets = example_build.output / "assets"
    sizes = {
        path.relative_to(assets).as_posix(): len(gzip.compress(path.read_bytes(), mtime=0))
        for path in [assets / "search-index.js", *sorted((assets / "search").iterdir())]
    }
    print(f"\nsearch files: {len(sizes)}, {sum(sizes.values())} bytes gzip in all")
    assert sizes["search-index.js"] <= 4_000
    assert max(sizes.values()) <= 24_000, max(sizes, key=sizes.get)
    records = [size for name, size in sizes.items() if name.startswith("search/r")]
    assert max(records) <= 2_500
    assert not list(assets.glob("*.json")) and not list((assets / "search").glob("*.json"))


def test_no_positions_are_indexed(example_build):
    compact = join_index(reader(example_build))
    assert set(compact) == {"version", "fields", "pipeline", "terms", "postings", "vectors"}
    assert compact["pipeline"] == ["stemmer"]


@pytest.fixture(scope="module")
def index(example_build):
    return Searcher.of_site(example_build.output)


def titles(example_build, refs: list[str]) -> list[str]:
    store = join_store(reader(example_build))
    return [store[int(ref, 36)][0] for ref in refs]


def test_survey_finds_the_surveys(example_build, index):
    found = titles(example_build, index.search("survey"))
    assert len(found) >= 10
    assert "Vision-Language Models for Vision Tasks: A Survey" in found[:3]


def test_all_words_rank_first(example_build, index):
    found = titles(example_build, index.search("medical segmentation"))
    assert (
        "TransDAE: Dual Attention Mechanism in a Hierarchical Transformer for Efficient "
        "Medical Image Segmentation" in found[:5]
    )


def test_typo_falls_back_to_fuzzy(example_build, index):
    found = titles(example_build, index.search("segmantation"))
    assert sum("segmentation" in title.lower() for title in found[:5]) >= 3
    assert titles(example_build, index.search("transfomer"))[0] == "Transformer in Transformer"


def test_accented_author_is_found(example_build, index):
    found = titles(example_build, index.search("Stéphane"))
    assert found[0].startswith("ConViT")


def test_prefix_matches_while_typing(example_build, index):
    assert titles(example_build, index.search("hyperne", prefix=True))[0] == "HyperNetworks"


def test_a_word_being_typed_means_its_common_completions(example_build, index):
    """'transf' is far more often 'transformer' than 'transfer' (which a plain wildcard
    ranks first for its idf), and 'im' after 'medical' more often 'image' than 'impact'."""
    top = titles(example_build, index.search("vision transf", prefix=True))[:3]
    assert all("transformer" in title.lower() for title in top), top
    top = titles(example_build, index.search("medical im", prefix=True))[:3]
    assert all("medical im" in title.lower() for title in top), top


def test_a_whole_word_ranks_the_papers_holding_it_first(example_build, index):
    """A word typed whole is that word before its completions, and not the shorter words
    its stem starts with: "image" found four ImageNet papers first ("imagenet" was weighed
    against the completions of "image" alone, the most common of which it is), "dataset"
    papers about data ("data" counted in full), "learning" papers with "learning-based"."""
    for word in ("image", "dataset", "learning", "recognition", "transformers"):
        top = titles(example_build, index.search(word, prefix=True))[:5]
        holding = [title for title in top if stem_word(word) in map(stem_word, query_words(title))]
        assert len(top) == 5 and holding == top, (word, top)


def test_a_word_being_typed_stands_for_the_terms_of_the_words_it_starts():
    """The terms that start with it and the stems of the words that do (forms), on one
    scale: each count's share of the most common one's; its own stem, if held, in full."""
    from generator.search.index import Vocabulary, js_order

    counts = {
        "imag": 800,
        "imagenet": 100,
        "binar": 50,
        "binari": 20,
        "learn": 900,
        "learningbas": 9,
        "learnt": 3,
        "data": 400,
        "dataset": 200,
        "classif": 231,
        "classifi": 15,
    }
    forms = {
        "image": "imag",
        "images": "imag",
        "binarization": "binar",
        "binary": "binari",
        "learning": "learn",
        "learned": "learn",
        "datasets": "dataset",
        "classification": "classif",
        "classifier": "classifi",
    }
    vocabulary = Vocabulary(
        sorted(counts, key=js_order),
        counts,
        sorted(forms.items(), key=lambda form: js_order(form[0])),
    )
    assert dict(vocabulary.typing("image")) == {"imag": 1.0, "imagenet": 100 / 800}
    # learning's "learn" first, not learning-based, nor the rarer "learnt", one typo away
    assert dict(vocabulary.typing("learni")) == {"learn": 1.0, "learningbas": 9 / 900}
    # binary, in full, and binarization's "binar"; never data for "dataset"
    assert dict(vocabulary.typing("binari")) == {"binari": 1.0, "binar": 1.0}
    assert dict(vocabulary.typing("dataset")) == {"dataset": 1.0}
    assert dict(vocabulary.typing("classifi")) == {"classif": 1.0, "classifi": 1.0}
    # ImageNet's start, or image with a letter too many: as much as ImageNet, not more
    assert dict(vocabulary.typing("imagen")) == {"imagenet": 1.0, "imag": 1.0}
    assert dict(vocabulary.typing("learnin")) == {"learn": 1.0, "learningbas": 9 / 900}
    # A word that starts none: its typo's fixes, in full.
    assert dict(vocabulary.typing("learnx")) == {"learn": 1.0, "learnt": 1.0}
    # "datas" is no word of a text: it is datasets, not data (its stem) in full
    assert dict(vocabulary.typing("datas")) == {"dataset": 1.0}
    # A word no text holds may hold a typo: a fix as common as its most common completion
    # or more counts in full; one that starts none, though its stem is held, too.
    counts.update(improv=180, impoverish=1, al=4, align=60)
    forms.update(improve="improv")  # (impoverish is its own stem: a term, not a form)
    vocabulary = Vocabulary(
        sorted(counts, key=js_order),
        counts,
        sorted(forms.items(), key=lambda form: js_order(form[0])),
    )
    assert dict(vocabulary.typing("impove")) == {"impoverish": 1.0, "improv": 1.0}
    assert dict(vocabulary.typing("aling")) == {"al": 1.0, "align": 1.0}


def test_self_test_failure_stops_the_build(make_site):
    root = make_site("standard.txt")
    site_yml = root / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text() + "search_checks: [alpha, zebra crossing]\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(root)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "search self-test: 'zebra crossing' finds nothing" in result.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize(
    ("unindexed", "problem"),
    [
        ("author_words", "searching its author 'Alexey Dosovitskiy'"),
        ("identifier_words", "arXiv id"),
    ],
)
def test_self_test_checks_authors_and_ids(monkeypatch, unindexed, problem):
    """The self-test searches a paper's author and arXiv id: it fails if they are not indexed."""
    config = load_config(REPO)
    content = read_content(REPO, None, Progress(), BuildCache(None))
    files, _ = search_module.build_search(content.papers, content.topics, config)
    search_module.self_test(files, content.papers, config.search_checks)
    monkeypatch.setattr(search_module, unindexed, lambda value: "")
    files, _ = search_module.build_search(content.papers, content.topics, config)
    with pytest.raises(ContentError, match=problem):
        search_module.self_test(files, content.papers, config.search_checks)


def example_catalog(root):
    """The example's papers, topics and the rest of its catalog (no search index)."""
    content = read_content(root, None, Progress(), BuildCache(None))
    return complete_catalog(content, Progress(), BuildCache(None))


def test_missing_lunr_js_is_a_clear_error(monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(search_module.importlib.resources, "files", missing)
    with pytest.raises(ContentError, match=r"pip install 'mkdocs==1.6.1'"):
        search_module.lunr_js()


def test_lunr_js_is_2_3_9_and_copied(example_build):
    data = (example_build.output / "assets" / "lunr.js").read_bytes()
    assert b"- 2.3.9\n" in data[:300]


def test_lunr_js_ships_minified_under_its_licence(example_build):
    """Comments and spaces go (the browser tests run this file); the banner with the
    version, copyright and licence stays."""
    data = (example_build.output / "assets" / "lunr.js").read_bytes()
    assert data.startswith(b"/**\n * lunr - http://lunrjs.com")
    assert b"Copyright (C) 2020 Oliver Nightingale" in data and b"@license MIT" in data
    assert len(data) < 45_000  # 99,805 bytes as the package carries it
    assert b"lunr.Index.load=function" in data and b"\n\n" not in data


def test_written_index_answers_exactly_like_the_self_tested_one():
    from conftest import REPO

    from generator.search.index import build_search

    catalog = example_catalog(REPO)
    files, compact = build_search(catalog.parts.papers, catalog.parts.topics, catalog.parts.config)
    tested = Searcher.of(compact)
    written = Searcher.of(join_index(files.files().__getitem__))
    for query in ["survey", "vision transformer", "medical segmentation", "Stéphane", "nerf"]:
        assert written.search(query) == tested.search(query), query
        assert written.search(query, prefix=True) == tested.search(query, prefix=True)


@pytest.mark.parametrize(
    "shards",
    [[name for name, _ in search_module.FIELDS if name != "pairs"], ["title", "authors", "ids"]],
)
def test_index_builder_gives_stock_lunr_index(shards):
    """IndexBuilder's compact index is stock lunr.py's index, compacted: same terms, refs
    and scores, on the whole example corpus, for all fields made from text and for some."""
    from conftest import REPO
    from lunrreference import stock_builder

    from generator.search.compact import IndexBuilder, short_ref
    from generator.search.index import FIELDS, author_words, identifier_words, word_pairs
    from generator.search.stemming import phrase_stems

    catalog = example_catalog(REPO)
    names = {listing.id: listing.name for listing in catalog.parts.config.listings}
    ours = IndexBuilder(FIELDS)
    stock = stock_builder(tuple((name, boost) for name, boost in FIELDS if name in shards))
    for number, paper in enumerate(catalog.parts.papers):
        document = {
            "title": paper.title,
            "abstract": paper.abstract,
            "topics": " ".join(t.name for t in catalog.parts.topics.of_paper[paper.slug]),
            "listings": " ".join(names[key] for key in paper.listings),
            "authors": " ".join(map(author_words, paper.authors)),
            "ids": identifier_words(paper),
            "notes": paper.notes,
        }
        # Word pairs are terms made already (lunr.py would split them): ours only; the
        # title's and abstract's other spellings (word_variants) are ours too, not here.
        ours.add({**document, "pairs": word_pairs(phrase_stems(paper.title))})
        stock.add({"id": short_ref(number), **{name: document[name] for name in shards}})
    expected = compact_index(stock.build().serialize())
    # Compared as JSON: pytest's diff of two large structures would take minutes.
    same = json.dumps(ours.compact(tuple(shards))) == json.dumps(expected)
    assert same


def test_self_test_reads_the_written_files_and_only_what_its_queries_load():
    """The self-test queries the files the browser loads (a chunk that lost its terms fails
    it), and loads what a browser would for its queries, not the whole index."""
    from generator.search.index import build_search
    from generator.search.split import chunk_of, script

    catalog = example_catalog(REPO)
    papers, config = catalog.parts.papers, catalog.parts.config
    files, _ = build_search(papers, catalog.parts.topics, config)
    written = files.files()
    read: list[str] = []

    def reading(path):
        read.append(path)
        return written[path]

    searcher = Searcher.of_files(reading, ["knowledge distillation"])
    chunks = [path for path in written if path.startswith("assets/search/t")]
    loaded = [path for path in read if path.startswith("assets/search/t")]
    assert 1 <= len(loaded) <= 3 < len(chunks)
    whole = Searcher.of(join_index(written.__getitem__))
    assert searcher.search("knowledge distillation")
    assert searcher.scored("knowledge distillation") == whole.scored("knowledge distillation")
    titles = [paper.title for paper in papers[:40]]
    partial = Searcher.of_files(written.__getitem__, titles)
    for title in titles:
        assert partial.scored(title) == whole.scored(title), title
    search_module.self_test(files, papers, config.search_checks)
    # The chunk holding 'distil' loses its terms: the written index no longer finds it,
    # though the index the files were made from still would.
    core = read_script(written["assets/search-index.js"])
    number = chunk_of(core["chunks"], "distil")
    emptied = dict(written) | {
        f"assets/search/t{number}.js": script(f"t{number}", {"terms": [], "postings": []})
    }
    broken = search_module.SearchFiles(tuple(sorted(emptied.items())))
    with pytest.raises(ContentError, match="'distillation' finds nothing"):
        search_module.self_test(broken, papers, ("distillation",))


def test_summed_scores_are_lunr_py_s_own_query_of_the_whole_index(example_build):
    """Searcher, like search-engine.js (held to it in Chromium), adds lunr's scores up from
    the terms' postings; lunr.py's Index.query of the whole index finds the same papers
    with the same scores (lunr's formula, not a look-alike)."""
    import random

    from lunrreference import load_index

    from generator.search.split import PAIR

    compact = join_index(reader(example_build))
    searcher = Searcher.of(compact)
    index = load_index(compact)
    words = [term for term in compact["terms"] if PAIR not in term]
    pick = random.Random(5)
    queries = [(pick.choice(words), False) for _ in range(60)]
    queries += [(" ".join(pick.sample(words, 2)), False) for _ in range(60)]
    queries += [(" ".join(pick.sample(words, 3)), True) for _ in range(30)]
    queries += [("vision transformer", False), ("medical image segmentation", True)]
    compared = 0
    for text, prefix in queries:
        expanded = searcher.words.expanded(text, prefix)
        boosts = searcher.words.boosts_of(text, expanded)
        if not boosts:
            continue
        query = index.create_query()
        for term, boost in boosts.items():
            query.term(term, use_pipeline=False, boost=boost)
        by_lunr = {result["ref"]: result["score"] for result in index.query(query)}
        ours = dict(searcher.scored(text, prefix=prefix))
        assert set(ours) == set(by_lunr), text
        for ref, score in ours.items():
            assert score == pytest.approx(by_lunr[ref], rel=1e-9, abs=1e-12), (text, ref)
        compared += 1
    assert compared > 140


def test_a_star_inside_a_word_is_that_word_not_a_wildcard(make_site):
    """lunr reads '*' in a query term as a wildcard; papersite looks terms up as they are,
    in the browser and in Python alike: 'A*B' finds the A*B paper, not 'aerob' or 'alb'."""
    root = make_site()
    entries = [
        ("The A*B search method", "We study A*B search on graphs. " * 4),
        ("An aerob study", "We study how cells breathe with oxygen and what follows. " * 3),
        ("Alb and more", "We study a protein of the blood and what it carries. " * 3),
    ]
    listing = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in entries)
    (root / "content" / "listings" / "stars.txt").write_text(listing, encoding="utf-8")
    report = build_site(root)
    searcher = Searcher.of_site(report.output)
    store = join_store(lambda path: (report.output / path).read_bytes())
    titles = [store[int(ref, 36)][0] for ref in searcher.search("a*b")]
    assert titles == ["The A*B search method"]


def test_the_browser_reads_the_search_rules_from_the_index_not_a_copy(example_build):
    """One home for each rule both languages follow (issue 24 added many): Python writes
    them into the core, search-engine.js reads every one of them and copies none."""
    import re

    from generator.search.index import browser_rules
    from generator.search.split import COMPLETIONS, PAIR

    rules = core(example_build)["rules"]
    assert rules == json.loads(
        json.dumps({**browser_rules(), "completions": COMPLETIONS, "pair": PAIR})
    )
    script = (REPO / "templates" / "assets" / "search-engine.js").read_text("utf-8")
    assert all(f"rules.{key}" in script or f"{key}:" in script for key in rules)
    copied = re.findall(r"const ([A-Z_]+) = (?:\d|\"|/\[)", script)
    # What a letter is has no common spelling (Python's str.isalnum, JavaScript's \p{L}\p{N}):
    # the parity tests hold the two to the same words.
    assert copied == ["WORD_CHARACTER"], copied


def test_the_scripts_link_where_the_url_scheme_says_and_name_no_folder():
    """One URL scheme (text/urls.py): the scripts read the folders of papers, topics and
    the search page from the core, and spell none of them."""
    import re

    from generator.text.urls import browser_paths

    assets = REPO / "templates" / "assets"
    for name in ("search-engine.js", "search-box.js", "search-page.js"):
        script = (assets / name).read_text("utf-8")
        assert not re.search(r"root \+ [\"'`]", script), name  # a page's address by hand
        for key in ("paper", "topic"):
            assert f'"{browser_paths()[key]}' not in script, (name, key)
    assert "paths: PATHS" in (assets / "search-engine.js").read_text("utf-8")


def test_every_title_word_finds_its_papers_while_it_is_typed_in_python(example_build, index):
    """As tests/test_search_typing.py checks in the browser: each title word of the
    example typed letter by letter never finds nothing, and from EVERY_COMPLETION letters
    on finds every paper the whole word finds."""
    import re

    from generator.search.index import EVERY_COMPLETION

    store = join_store(reader(example_build))
    words = {trim_word(part.lower()) for row in store for part in re.split(r"[\s\-]+", row[0])}
    words = {word for word in words if word and len(query_words(word)) == 1}
    assert len(words) > 1000
    found_of: dict[str, set[str]] = {}  # words share their first letters: ask each once
    dropped = []
    for word in sorted(words):
        whole = set(index.search(word))
        for n in range(1, len(word)) if whole else ():
            typed = word[:n]
            if typed not in found_of:
                found_of[typed] = set(index.search(typed, prefix=True))
            found = found_of[typed]
            if not found or (n >= EVERY_COMPLETION and not whole <= found):
                dropped.append(typed)
    assert dropped == []


def test_every_other_spelling_finds_its_papers_while_it_is_typed(example_build, index):
    """As the title words above, the other spellings the index finds words by
    (word_variants: "cross-modal" as "crossmodal", "MobileNetV3" as "mobilenet"): from
    EVERY_COMPLETION letters on, each finds, while it is typed, every paper it finds
    whole ("crossmoda" found one paper, whose abstract holds "cross-modal/task")."""
    from generator.search.index import EVERY_COMPLETION
    from generator.search.stemming import word_variants

    content = read_content(REPO, None, Progress(), BuildCache(None))
    spellings = set()
    for paper in content.papers:
        spellings.update(word_variants(paper.title), word_variants(paper.abstract))
    spellings = {word for word in spellings if query_words(word) == [word]}
    assert len(spellings) > 1000
    words = index.words  # a paper holding a term a query asks for is found: terms suffice
    found_of: dict[str, set[str]] = {}
    dropped = []
    for word in sorted(spellings):
        whole = {term for term, _ in words.exact(word)}
        for n in range(EVERY_COMPLETION, len(word)):
            typed = word[:n]
            if all(term.startswith(typed) for term in whole):
                continue  # found among the terms starting with it: all, from these letters
            if typed not in found_of:
                found_of[typed] = {term for term, boost in words.typing(typed) if boost > 0}
            if not whole <= found_of[typed]:
                dropped.append(typed)
    assert dropped == []


def test_a_last_word_with_a_typo_is_fixed_though_it_starts_a_word(example_build, index):
    """A word being typed that the index lacks may hold a typo even when it starts some
    word: "impove" starts only "impoverish", and is improve."""
    found = titles(example_build, index.search("impove", prefix=True))
    assert len(found) > 100
    assert sum("improv" in title.lower() for title in found[:10]) >= 5, found[:10]


def test_topics_js_gives_each_paper_the_topics_of_its_record(example_build):
    """topics.js (a character a topic) holds every topic of each paper: those its record
    shows (the first CARD_TOPICS), and all of them when it has fewer."""
    data = read_script((example_build.output / "assets" / "search" / "topics.js").read_bytes())
    assert isinstance(data, dict)
    codes, of = data["codes"], data["of"].split(",")
    assert len(codes) == len(core(example_build)["topics"])
    store = join_store(reader(example_build))
    assert len(of) == len(store)
    for record, chars in zip(store, of, strict=True):
        numbers = [codes.index(char) for char in chars]
        assert set(record[2]) <= set(numbers)
        if len(record[2]) < CARD_TOPICS:
            assert sorted(numbers) == sorted(record[2])


def test_topic_codes_hold_any_number_of_topics_in_plain_json():
    papers = [[0], [61, 62], [], [99, 5, 70]]
    data = topics_of_papers(papers, 100)
    codes = data["codes"]
    assert len(set(codes)) == 100
    text = json_bytes(data).decode("utf-8")
    assert "\\" not in text and json.loads(text) == data
    decoded = [sorted(codes.index(char) for char in chars) for chars in data["of"].split(",")]
    assert decoded == [sorted(numbers) for numbers in papers]


def test_a_first_letter_s_completions_break_ties_as_the_browser_and_python_do():
    """The core's ten most common terms of each first letter (what the browser completes one
    letter with) are Vocabulary.completed's: ties in JavaScript's order, where a letter
    beyond U+FFFF (U+1D41A, two UTF-16 units from U+D835) sorts before U+FF41."""
    from generator.search.index import Vocabulary, js_order
    from generator.search.split import first_letter_completions

    counts = {f"q{n}": 5 for n in range(9)} | {"q\uff41": 1, "q\U0001d41a": 1}
    terms = sorted(counts, key=js_order)
    starts = first_letter_completions(terms, [counts[term] for term in terms])
    assert [term for term, _ in starts["q"]][-1] == "q\U0001d41a"
    assert [term for term, _ in starts["q"]] == Vocabulary(terms, counts).completed("q")


def test_a_chunk_starting_with_a_title_pair_says_how_far_its_first_word_shares_it():
    assert pair_share(["vision model", "vision transform", "vision'", "visionllm"]) == 6
    assert pair_share(["scalabl and", "scalabl vision", "scale", "scalekd"]) == 4
    assert pair_share(["vision a", "vision zero"]) == 0  # title pairs only
    assert pair_share(["imag of", "zebra"]) == 0


def test_the_core_gives_each_chunk_starting_with_a_title_pair_its_share(example_build):
    """search-index.js holds, for each chunk whose first term is a title pair, in order,
    what pair_share says of that chunk's terms."""
    read = reader(example_build)
    starts = core(example_build)["chunks"]
    paired = [n for n, start in enumerate(starts) if PAIR in start]
    assert paired and len(core(example_build)["pairShares"]) == len(paired)
    for number, share in zip(paired, core(example_build)["pairShares"], strict=True):
        assert share == pair_share(read_script(read(f"assets/search/t{number}.js"))["terms"])
