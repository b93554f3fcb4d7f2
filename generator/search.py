"""The search index: lunr.py builds it, lunr.js 2.3.9 searches it in the browser."""

from __future__ import annotations

import gzip
import importlib.resources
import json
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from lunr import __TARGET_JS_VERSION__ as LUNR_TARGET_VERSION
from lunr.builder import Builder
from lunr.field_ref import FieldRef
from lunr.idf import idf as Idf
from lunr.index import Index
from lunr.query import Query

from generator.diagnostics import ContentError
from generator.model import Paper, SiteConfig
from generator.stemming import (
    Analyzer,
    index_pipeline,
    query_words,
    search_pipeline,
    stem_word,
)
from generator.topics import TopicIndex

LUNR_JS_VERSION = "2.3.9"
LUNR_JS_CARRIER = "mkdocs==1.6.1"
TITLE_BOOST = 10
EXCERPT_CHARS = 220
FIELDS = (("title", TITLE_BOOST), ("abstract", 1), ("topics", 2), ("listings", 1), ("authors", 3))
# Above this many papers the index would pass ~3 MB gzip (about 700 bytes a paper): it is
# then split in two shards, titles (with topics, listings, authors) loaded first and
# abstracts loaded once someone searches.
SHARD_PAPERS = 4000
SHARDS = {"titles": ("title", "topics", "listings", "authors"), "abstracts": ("abstract",)}
SELF_TEST_TOP = 3


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

    def sizes(self) -> dict[str, int]:
        """Bytes of what the browser loads (the .js files), raw and gzip."""
        scripts = [data for path, data in self.files().items() if path.endswith(".js")]
        return {
            "raw": sum(map(len, scripts)),
            "gzip": sum(len(gzip.compress(data, mtime=0)) for data in scripts),
        }


def _script(prefix: str, json_bytes: bytes) -> bytes:
    return prefix.encode() + json_bytes.rstrip(b"\n") + b";\n"


def _json_bytes(data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Safe inside a <script> element or a .js file even if a title contains "</script>".
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode("utf-8") + b"\n"


class FastBuilder(Builder):
    """lunr's Builder with its tokenizer and index pipeline replaced by one memoized
    Analyzer; the index it builds serializes exactly like the plain Builder's (tested)."""

    def __init__(self) -> None:
        super().__init__()
        self._analyze = Analyzer()

    def add(self, doc: dict, attributes: dict | None = None) -> None:
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        inverted = self.inverted_index
        for field_name in self._fields:
            terms = self._analyze(doc[field_name])
            field_ref = str(FieldRef(doc_ref, field_name))
            counts = Counter(terms)  # keys in order of first appearance, as lunr numbers them
            self.field_term_frequencies[field_ref] = counts
            self.field_lengths[field_ref] = len(terms)
            for term in counts:
                posting = inverted.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted[term] = posting
                posting[field_name].setdefault(doc_ref, {})

    def serialize_index(self) -> dict:
        """What build().serialize() returns, without the token set only queries need."""
        totals: dict[str, int] = dict.fromkeys(self._fields, 0)
        documents: dict[str, int] = dict.fromkeys(self._fields, 0)
        for field_ref, length in self.field_lengths.items():
            field_name = field_ref.split("/", 1)[0]
            documents[field_name] += 1
            totals[field_name] += length
        average = {name: totals[name] / documents[name] for name in self._fields if documents[name]}
        idf_of: dict[str, float] = {}
        k1, b = self._k1, self._b
        vectors = []
        for field_ref, frequencies in self.field_term_frequencies.items():
            field_name, doc_ref = field_ref.split("/", 1)
            if not frequencies:  # lunr never divides for an empty field (its average may be 0)
                vectors.append([field_ref, []])
                continue
            length_ratio = self.field_lengths[field_ref] / average[field_name]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            pairs = []
            for term, tf in frequencies.items():
                posting = self.inverted_index[term]
                idf = idf_of.get(term)
                if idf is None:
                    idf = idf_of[term] = Idf(posting, self.document_count)
                score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * length_ratio) + tf)
                score *= field_boost
                score *= doc_boost
                pairs.append((posting["_index"], round(score, 3)))
            pairs.sort()
            vectors.append([field_ref, [value for pair in pairs for value in pair]])
        return {
            "version": LUNR_TARGET_VERSION,
            "fields": list(self._fields),
            "fieldVectors": vectors,
            "invertedIndex": [
                [term, self.inverted_index[term]] for term in sorted(self.inverted_index)
            ],
            "pipeline": self.search_pipeline.serialize(),
        }


def make_builder(fast: bool, fields: tuple[str, ...] = tuple(dict(FIELDS))) -> Builder:
    """A Builder set up with our fields and pipelines; `fast` is the memoized one."""
    builder: Builder = FastBuilder() if fast else Builder()
    builder.pipeline = index_pipeline()
    builder.search_pipeline = search_pipeline()
    builder.ref("id")
    for name, boost in FIELDS:
        if name in fields:
            builder.field(name, boost=boost)
    return builder


def short_ref(number: int) -> str:
    """Base-36 refs: a ref is repeated in every posting, so short ones keep the index small."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


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
    shard in lunr's own serialized form, for the self-test (the compact form written to
    the site expands back to the same index with its terms renumbered: tested)."""
    listing_names = {listing.id: listing.name for listing in config.listings}
    topic_numbers = {topic.slug: number for number, topic in enumerate(topics.topics)}
    shards = SHARDS if len(papers) > SHARD_PAPERS else {"all": tuple(dict(FIELDS))}
    builders = {name: make_builder(True, fields) for name, fields in shards.items()}
    store = []
    for number, paper in enumerate(papers):
        paper_topics = topics.of_paper.get(paper.slug, ())
        document = {
            "id": short_ref(number),
            "title": paper.title,
            "abstract": paper.abstract,
            "topics": " ".join(topic.name for topic in paper_topics),
            "listings": " ".join(listing_names.get(key, key) for key in paper.listings),
            "authors": " ".join(paper.authors),
        }
        for name, builder in builders.items():
            builder.add({key: document[key] for key in ("id", *shards[name])})
        store.append(
            [
                paper.title,
                paper.slug,
                [topic_numbers[topic.slug] for topic in paper_topics],
                _excerpt(paper.abstract),
            ]
        )
    serialized = [builder.serialize_index() for builder in builders.values()]
    first, *later = [compact_index(index) for index in serialized]
    main = {
        "version": 1,
        "topics": [[topic.name, topic.slug] for topic in topics.topics],
        "store": store,
        "indexes": [first],
        "more": [f"search-{name}.js" for name in list(shards)[1:]],
    }
    files = SearchFiles(
        _json_bytes(main),
        tuple(
            (name, _json_bytes(index)) for name, index in zip(list(shards)[1:], later, strict=True)
        ),
    )
    return files, serialized


def compact_index(serialized: dict) -> dict:
    """lunr's serialized index in a smaller, lossless shape that the browser expands.

    lunr writes every field of every term even when empty, and repeats refs and term
    numbers in full. Here refs are doc numbers (base-36 refs parsed back), terms are
    numbered by their sorted position, and both kinds of numbers are delta-encoded.
    """
    fields = serialized["fields"]
    terms = [term for term, _ in serialized["invertedIndex"]]
    position = {posting["_index"]: n for n, (_, posting) in enumerate(serialized["invertedIndex"])}
    postings = [
        [_deltas(sorted(int(ref, 36) for ref in posting[field])) for field in fields]
        for _, posting in serialized["invertedIndex"]
    ]
    vectors: list[list] = [[] for _ in fields]
    field_number = {field: n for n, field in enumerate(fields)}
    for field_ref, elements in serialized["fieldVectors"]:
        field, ref = field_ref.split("/", 1)
        rows = vectors[field_number[field]]
        doc = int(ref, 36)
        rows.extend([None] * (doc + 1 - len(rows)))
        pairs = sorted((position[elements[i]], elements[i + 1]) for i in range(0, len(elements), 2))
        numbers = _deltas([term for term, _ in pairs])
        rows[doc] = [
            value
            for number, (_, score) in zip(numbers, pairs, strict=True)
            for value in (number, score)
        ]
    return {
        "version": serialized["version"],
        "fields": fields,
        "pipeline": serialized["pipeline"],
        "terms": terms,
        "postings": postings,
        "vectors": vectors,
    }


def expand_index(compact: dict) -> dict:
    """The inverse of compact_index: lunr's serialized shape, for Index.load (as search.js)."""
    fields = compact["fields"]
    refs = [short_ref(doc) for doc in range(max(map(len, compact["vectors"]), default=0))]
    inverted = []
    for number, (term, per_field) in enumerate(
        zip(compact["terms"], compact["postings"], strict=True)
    ):
        posting: dict = {"_index": number}
        for field, deltas in zip(fields, per_field, strict=True):
            posting[field] = {refs[doc]: {} for doc in accumulate(deltas)}
        inverted.append([term, posting])
    vectors = []
    for field, rows in zip(fields, compact["vectors"], strict=True):
        for doc, row in enumerate(rows):
            if row is None:
                continue
            terms = accumulate(row[0::2])
            elements = [value for pair in zip(terms, row[1::2], strict=False) for value in pair]
            vectors.append([f"{field}/{refs[doc]}", elements])
    return {
        "version": compact["version"],
        "fields": fields,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": compact["pipeline"],
    }


def _deltas(numbers: list[int]) -> list[int]:
    return [number - previous for previous, number in zip([0, *numbers], numbers, strict=False)]


def _excerpt(abstract: str) -> str:
    text = " ".join(abstract.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS + 1].rsplit(" ", 1)[0] + "…"


def load_index(serialized: dict) -> Index:
    """Load one index (lunr's serialized form, or our compact one) with lunr.py's loader and
    our stemmer, as the browser will."""
    if "terms" in serialized:
        serialized = expand_index(serialized)
    index = Index.load(serialized)
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
                query.term(stems[position], use_pipeline=False, wildcard=Query.WILDCARD_TRAILING)
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


def self_test(serialized: list[dict], papers: list[Paper], checks: tuple[str, ...]) -> None:
    """Query the serialized index through lunr.py's loader; an empty result stops the build."""
    indexes = [load_index(index) for index in serialized]
    for query in checks:
        if not search(indexes, query, fuzzy=False):
            raise ContentError(
                Path("content/site.yml"), 0, f"search self-test: '{query}' finds nothing"
            )
    if not papers:
        return
    samples = sorted({0, len(papers) // 2, len(papers) - 1})
    for number in samples:
        title = papers[number].title
        found = search(indexes, title, fuzzy=False, partial=False)[:SELF_TEST_TOP]
        if short_ref(number) not in found and query_words(title):
            raise ContentError(
                papers[number].origins[0].path,
                papers[number].origins[0].line,
                f"search self-test: searching the title '{title}' does not find the paper",
            )


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
