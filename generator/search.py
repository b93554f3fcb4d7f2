"""The search index: lunr.py builds it, lunr.js 2.3.9 searches it in the browser."""

from __future__ import annotations

import gzip
import importlib.resources
import json
from dataclasses import dataclass
from pathlib import Path

from lunr.builder import Builder
from lunr.index import Index
from lunr.query import Query, QueryPresence

from generator.diagnostics import ContentError
from generator.model import Paper, SiteConfig
from generator.stemming import index_pipeline, query_words, search_pipeline, stem_word
from generator.topics import TopicIndex

LUNR_JS_VERSION = "2.3.9"
LUNR_JS_CARRIER = "mkdocs==1.6.1"
TITLE_BOOST = 10
EXCERPT_CHARS = 220
FIELDS = (("title", TITLE_BOOST), ("abstract", 1), ("topics", 2), ("listings", 1), ("authors", 3))
SELF_TEST_TOP = 3


@dataclass(frozen=True)
class SearchFiles:
    """The index and document store, serialized, and what they cost the browser."""

    payload: dict
    json_bytes: bytes

    @property
    def js_bytes(self) -> bytes:
        return b"window.papersiteSearch = " + self.json_bytes.rstrip(b"\n") + b";\n"

    def sizes(self) -> dict[str, int]:
        return {"raw": len(self.js_bytes), "gzip": len(gzip.compress(self.js_bytes, mtime=0))}


def short_ref(number: int) -> str:
    """Base-36 refs: a ref is repeated in every posting, so short ones keep the index small."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def build_search(papers: list[Paper], topics: TopicIndex, config: SiteConfig) -> SearchFiles:
    """Index every paper; the store maps each ref to what a result shows."""
    listing_names = {listing.id: listing.name for listing in config.listings}
    topic_numbers = {topic.slug: number for number, topic in enumerate(topics.topics)}
    builder = Builder()
    builder.pipeline = index_pipeline()
    builder.search_pipeline = search_pipeline()
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    store = []
    for number, paper in enumerate(papers):
        ref = short_ref(number)
        paper_topics = topics.of_paper.get(paper.slug, ())
        builder.add(
            {
                "id": ref,
                "title": paper.title,
                "abstract": paper.abstract,
                "topics": " ".join(topic.name for topic in paper_topics),
                "listings": " ".join(listing_names.get(key, key) for key in paper.listings),
                "authors": " ".join(paper.authors),
            }
        )
        store.append(
            [
                paper.title,
                paper.slug,
                [topic_numbers[topic.slug] for topic in paper_topics],
                _excerpt(paper.abstract),
            ]
        )
    payload = {
        "version": 1,
        "topics": [[topic.name, topic.slug] for topic in topics.topics],
        "store": store,
        "index": compact_index(builder.build().serialize()),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Safe inside a <script> element or a .js file even if a title contains "</script>".
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return SearchFiles(payload, text.encode("utf-8") + b"\n")


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
    inverted = []
    for number, (term, per_field) in enumerate(
        zip(compact["terms"], compact["postings"], strict=True)
    ):
        posting: dict = {"_index": number}
        for field, deltas in zip(fields, per_field, strict=True):
            posting[field] = {short_ref(doc): {} for doc in _undeltas(deltas)}
        inverted.append([term, posting])
    vectors = []
    for field, rows in zip(fields, compact["vectors"], strict=True):
        for doc, row in enumerate(rows):
            if row is None:
                continue
            terms = _undeltas(row[0::2])
            elements = [value for pair in zip(terms, row[1::2], strict=True) for value in pair]
            vectors.append([f"{field}/{short_ref(doc)}", elements])
    return {
        "version": compact["version"],
        "fields": fields,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": compact["pipeline"],
    }


def _deltas(numbers: list[int]) -> list[int]:
    return [number - previous for previous, number in zip([0, *numbers], numbers, strict=False)]


def _undeltas(deltas: list[int]) -> list[int]:
    total, numbers = 0, []
    for delta in deltas:
        total += delta
        numbers.append(total)
    return numbers


def _excerpt(abstract: str) -> str:
    text = " ".join(abstract.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS + 1].rsplit(" ", 1)[0] + "…"


def load_index(compact: dict) -> Index:
    """Load the index as written to the site, with our stemmer, as the browser will."""
    index = Index.load(expand_index(compact))
    index.pipeline = search_pipeline()
    return index


def search(index: Index, text: str, *, prefix: bool = False, fuzzy: bool = True) -> list[str]:
    """Refs for a query, the way the site's search box asks lunr.js.

    Papers with every word rank first, then papers with some of them; a query that finds
    nothing is retried allowing one typo per word. With `prefix`, the last word also
    matches longer words (as-you-type).
    """
    words = query_words(text)
    if not words:
        return []

    def run(presence: QueryPresence, edit_distance: int) -> list[str]:
        query = index.create_query()
        for position, word in enumerate(words):
            if prefix and position == len(words) - 1 and not edit_distance:
                query.term(
                    stem_word(word),
                    use_pipeline=False,
                    wildcard=Query.WILDCARD_TRAILING,
                    presence=presence,
                )
            else:
                query.term(word, presence=presence, edit_distance=edit_distance)
        return [match["ref"] for match in index.query(query)]

    refs = run(QueryPresence.REQUIRED, 0)
    if len(words) > 1:
        refs += [ref for ref in run(QueryPresence.OPTIONAL, 0) if ref not in refs]
    if not refs and fuzzy:
        refs = run(QueryPresence.OPTIONAL, 1)
    return refs


def self_test(files: SearchFiles, papers: list[Paper], checks: tuple[str, ...]) -> None:
    """Query the serialized index through lunr.py's loader; an empty result stops the build."""
    index = load_index(json.loads(files.json_bytes)["index"])
    for query in checks:
        if not search(index, query, fuzzy=False):
            raise ContentError(
                Path("content/site.yml"), 0, f"search self-test: '{query}' finds nothing"
            )
    if not papers:
        return
    samples = sorted({0, len(papers) // 2, len(papers) - 1})
    for number in samples:
        title = papers[number].title
        found = search(index, title, fuzzy=False)[:SELF_TEST_TOP]
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
