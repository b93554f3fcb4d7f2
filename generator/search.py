"""The search index: lunr.py builds it, lunr.js 2.3.9 searches it in the browser."""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

from lunr.index import Index
from lunr.token_set import TokenSet

from generator.diagnostics import ContentError
from generator.identifiers import without_version
from generator.model import Paper, SiteConfig
from generator.search_index import IndexBuilder, expand_index, short_ref
from generator.snippets import byline, excerpt
from generator.stemming import query_words, search_pipeline, stem_word
from generator.topics import TopicIndex

LUNR_JS_VERSION = "2.3.9"
LUNR_JS_CARRIER = "mkdocs==1.6.1"
TITLE_BOOST = 10
FIELDS = (
    ("title", TITLE_BOOST),
    ("abstract", 1),
    ("topics", 2),
    ("listings", 1),
    ("authors", 3),
    ("ids", TITLE_BOOST),
)
# Above this many papers the index would pass ~3 MB gzip (about 700 bytes a paper): it is
# then split in two shards, titles (with topics, listings, authors) loaded first and
# abstracts loaded once someone searches.
SHARD_PAPERS = 4000
SHARDS = {"titles": ("title", "topics", "listings", "authors", "ids"), "abstracts": ("abstract",)}
SELF_TEST_TOP = 3
_APOSTROPHE = re.compile("['\u2019]")
# While typing, the last word stands for this many of its most common completions.
COMPLETIONS = 10


@dataclass(frozen=True)
class SearchFiles:
    """The index and document store as JSON, and the shards loaded after them."""

    json_bytes: bytes
    shards: tuple[tuple[str, bytes], ...] = ()

    def files(self) -> dict[str, bytes]:
        """assets/search-index.js (+ .json twin) and one pair per later shard."""
        files = {
            "assets/search-index.js": _script("window.papersiteSearch = ", self.json_bytes),
            "assets/search-index.json": self.json_bytes,
        }
        for name, data in self.shards:
            setter = f"(window.papersiteSearchShards ||= {{}})[{json.dumps(name)}] = "
            files[f"assets/search-{name}.js"] = _script(setter, data)
            files[f"assets/search-{name}.json"] = data
        return files


def _script(prefix: str, json_bytes: bytes) -> bytes:
    return prefix.encode() + json_bytes.rstrip(b"\n") + b";\n"


def _json_bytes(data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Safe inside a <script> element or a .js file even if a title contains "</script>".
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode("utf-8") + b"\n"


def search_inputs(papers: list[Paper], topics: TopicIndex, config: SiteConfig) -> str:
    """Everything the index and store are made of (and the self-test checks), as one text."""
    listing_names = {listing.id: listing.name for listing in config.listings}
    return json.dumps(
        [
            [topic.name for topic in topics.topics],
            [topic.slug for topic in topics.topics],
            list(config.search_checks),
            [
                [
                    paper.slug,
                    paper.title,
                    paper.abstract,
                    list(paper.authors),
                    paper.arxiv,
                    paper.doi,
                    [listing_names.get(key, key) for key in paper.listings],
                    [topic.slug for topic in topics.of_paper.get(paper.slug, ())],
                ]
                for paper in papers
            ],
        ],
        ensure_ascii=False,
    )


def build_search(
    papers: list[Paper], topics: TopicIndex, config: SiteConfig
) -> tuple[SearchFiles, list[dict]]:
    """Index every paper; the store maps each ref to what a result shows. Also returns each
    shard's compact index, for the self-test."""
    listing_names = {listing.id: listing.name for listing in config.listings}
    topic_numbers = {topic.slug: number for number, topic in enumerate(topics.topics)}
    shards = SHARDS if len(papers) > SHARD_PAPERS else {"all": tuple(dict(FIELDS))}
    builder = IndexBuilder(FIELDS)
    store = []
    for paper in papers:
        paper_topics = topics.of_paper.get(paper.slug, ())
        builder.add(
            {
                "title": paper.title,
                "abstract": paper.abstract,
                "topics": " ".join(topic.name for topic in paper_topics),
                "listings": " ".join(listing_names.get(key, key) for key in paper.listings),
                "authors": " ".join(map(author_words, paper.authors)),
                "ids": identifier_words(paper),
            }
        )
        store.append(_store_row(paper, [topic_numbers[topic.slug] for topic in paper_topics]))
    indexes = [builder.compact(fields) for fields in shards.values()]
    main = {
        "version": 1,
        "topics": [[topic.name, topic.slug] for topic in topics.topics],
        "store": store,
        "indexes": indexes[:1],
        "more": [f"search-{name}.js" for name in list(shards)[1:]],
    }
    later = zip(list(shards)[1:], indexes[1:], strict=True)
    files = SearchFiles(
        _json_bytes(main), tuple((name, _json_bytes(index)) for name, index in later)
    )
    return files, indexes


def _store_row(paper: Paper, topic_numbers: list[int]) -> list:
    """What a result shows of a paper, as assets/search.js's record() reads it: title,
    slug, topic numbers, excerpt, then byline, date, arXiv id and code link (trailing
    empty ones left out: most papers of a listing have none of them)."""
    code = next((link.url for link in paper.links if link.label == "Code"), "")
    row = [
        paper.title,
        paper.slug,
        topic_numbers,
        excerpt(paper.abstract),
        byline(paper.authors),
        paper.published.iso() if paper.published else "",
        paper.arxiv or "",
        code,
    ]
    while len(row) > 4 and row[-1] == "":
        row.pop()
    return row


def author_words(name: str) -> str:
    """What finds an author: the name, the parts of a name with an apostrophe ("d'Ascoli"
    is also "Ascoli"), and the initials of the given names ("K. He")."""
    words = name.replace(",", " ").split()
    parts = [part for word in words if _APOSTROPHE.search(word) for part in _APOSTROPHE.split(word)]
    initials = [word[0] for word in words[:-1]]
    return " ".join([name, *parts, *initials])


def identifier_words(paper: Paper) -> str:
    """The arXiv id with and without its version and "arXiv:", and the DOI."""
    words = []
    if paper.arxiv:
        for arxiv in dict.fromkeys([paper.arxiv, without_version(paper.arxiv)]):
            words += [arxiv, "arxiv:" + arxiv]
    if paper.doi:
        words.append(paper.doi)
    return " ".join(words)


def load_index(compact: dict) -> Index:
    """Load one compact index with lunr.py's loader and our stemmer, as the browser will."""
    index = Index.load(expand_index(compact))
    index.pipeline = search_pipeline()
    return index


def load_indexes(files: SearchFiles) -> list[Index]:
    """Every shard of a written index, first shard first."""
    compacts = json.loads(files.json_bytes)["indexes"]
    compacts += [json.loads(data) for _, data in files.shards]
    return [load_index(compact) for compact in compacts]


def search(
    indexes: list[Index],
    text: str,
    *,
    prefix: bool = False,
    fuzzy: bool = True,
    partial: bool = True,
) -> list[str]:
    """Refs for a query, the way the site's search box asks lunr.js (assets/search.js).

    Each shard is asked once and scores are added up. Papers with every word rank first,
    then (with `partial`) papers with some of them, each by score, then by ref; a query
    that finds nothing is retried allowing one typo per word. With `prefix`, the last word
    also matches longer words (as-you-type).
    """
    words = query_words(text)
    if not words:
        return []
    stems = [stem_word(word) for word in words]
    refs = _ranked(indexes, words, stems, prefix, 0, partial)
    if not refs and fuzzy:
        refs = _ranked(indexes, words, stems, False, 1, True)
    return refs


def _ranked(
    indexes: list[Index],
    words: list[str],
    stems: list[str],
    prefix: bool,
    edit_distance: int,
    partial: bool,
) -> list[str]:
    last = len(words) - 1
    scores: dict[str, float] = {}
    found: dict[str, set[int]] = {}
    for index in indexes:
        query = index.create_query()
        for position, word in enumerate(words):
            if prefix and position == last:
                # With no completion, a wildcard that matches nothing keeps the query from
                # being empty (lunr.js would match every document).
                expanded = completions(index, stems[position])
                for term, boost in expanded or [(stems[position] + "*", 1.0)]:
                    query.term(term, use_pipeline=False, boost=boost)
            else:
                query.term(word, edit_distance=edit_distance)
        for result in index.query(query):
            ref, terms = result["ref"], result["match_data"].metadata
            scores[ref] = scores.get(ref, 0.0) + result["score"]
            hits = found.setdefault(ref, set())
            for position, stem in enumerate(stems):
                if (
                    edit_distance
                    or stem in terms
                    or (
                        prefix and position == last and any(term.startswith(stem) for term in terms)
                    )
                ):
                    hits.add(position)
    order = sorted(scores, key=lambda ref: (-scores[ref], int(ref, 36)))
    complete = [ref for ref in order if len(found[ref]) == len(words)]
    if not partial:
        return complete
    return complete + [ref for ref in order if len(found[ref]) < len(words)]


def completions(index: Index, stem: str) -> list[tuple[str, float]]:
    """The COMPLETIONS index terms starting with `stem` that most documents hold, each
    boosted by its share of the most common one's documents.

    While a word is being typed, its common completion ("transformer") is the likely one;
    a plain wildcard would rank a rare completion ("transfer") first, for its idf.
    """
    terms = index.token_set.intersect(TokenSet.from_string(stem + "*")).to_list()
    counts = {term: _documents(index.inverted_index[term]) for term in terms}
    top = sorted(counts, key=lambda term: (-counts[term], term))[:COMPLETIONS]
    return [(term, counts[term] / counts[top[0]]) for term in top]


def _documents(posting: dict) -> int:
    return sum(len(refs) for field, refs in posting.items() if field != "_index")


def self_test(compacts: list[dict], papers: list[Paper], checks: tuple[str, ...]) -> None:
    """Query the index through lunr.py's loader, as the browser will; an empty result stops
    the build.

    A check passes once any shard finds something (later shards are loaded only if needed);
    titles are looked up in the first shard, which holds them and answers first.
    """
    loaded: dict[int, Index] = {}

    def shard(number: int) -> list[Index]:
        if number not in loaded:
            loaded[number] = load_index(compacts[number])
        return [loaded[number]]

    for query in checks:
        if not any(search(shard(n), query, fuzzy=False) for n in range(len(compacts))):
            raise ContentError(
                Path("content/site.yml"), 0, f"search self-test: '{query}' finds nothing"
            )
    if not papers:
        return
    samples = sorted({0, len(papers) // 2, len(papers) - 1})
    for number in samples:
        title = papers[number].title
        found = search(shard(0), title, fuzzy=False, partial=False)[:SELF_TEST_TOP]
        if short_ref(number) not in found and query_words(title):
            _self_test_failed(
                papers[number], f"searching the title '{title}' does not find the paper"
            )
    # A paper's arXiv id finds it first; its first author's name finds it among others.
    with_id = next((n for n, paper in enumerate(papers) if paper.arxiv), None)
    if with_id is not None:
        arxiv = papers[with_id].arxiv or ""
        if short_ref(with_id) not in search(shard(0), arxiv, fuzzy=False)[:SELF_TEST_TOP]:
            _self_test_failed(papers[with_id], f"searching its arXiv id {arxiv} does not find it")
    with_authors = next((n for n, paper in enumerate(papers) if paper.authors), None)
    if with_authors is not None:
        name = papers[with_authors].authors[0]
        if query_words(name) and short_ref(with_authors) not in search(shard(0), name, fuzzy=False):
            _self_test_failed(
                papers[with_authors], f"searching its author '{name}' does not find it"
            )


def _self_test_failed(paper: Paper, problem: str) -> None:
    origin = paper.origins[0]
    raise ContentError(origin.path, origin.line, f"search self-test: {problem}")


def lunr_js() -> bytes:
    """lunr.js 2.3.9 from the installed package that carries it (never downloaded)."""
    try:
        resource = importlib.resources.files("mkdocs") / "contrib/search/templates/search/lunr.js"
        data = resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        raise ContentError(
            Path("lunr.js"),
            0,
            f"lunr.js {LUNR_JS_VERSION} not found: it comes from the Python package "
            f"{LUNR_JS_CARRIER}; install it with: pip install '{LUNR_JS_CARRIER}'",
        ) from None
    if f"- {LUNR_JS_VERSION}\n".encode() not in data[:300]:
        raise ContentError(
            Path(str(resource)),
            1,
            f"this lunr.js is not version {LUNR_JS_VERSION}: pip install '{LUNR_JS_CARRIER}'",
        )
    return data
