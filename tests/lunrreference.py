"""Reference code the tests compare the search index with: stock lunr.py's Builder with
our fields and pipelines, the compaction of its serialized index into the shape the
site ships (what generator/search/compact.py writes directly), and lunr.py's own loader,
whose queries the build's Searcher and search-engine.js must score alike."""

from __future__ import annotations

from typing import Any

from lunr.builder import Builder
from lunr.index import Index

from generator.search.compact import expand_index
from generator.search.stemming import index_pipeline, search_pipeline


def stock_builder(fields: tuple[tuple[str, int], ...]) -> Builder:
    """lunr.py's own Builder with our fields and pipelines (refs: short_ref of numbers)."""
    builder = Builder()
    builder.pipeline = index_pipeline()
    builder.search_pipeline = search_pipeline()
    builder.ref("id")
    for name, boost in fields:
        builder.field(name, boost=boost)
    return builder


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


def _deltas(numbers: list[int]) -> list[int]:
    return [number - previous for previous, number in zip([0, *numbers], numbers, strict=False)]


def load_index(compact: dict[str, Any]) -> Index:
    """The compact index in lunr.py's own Index, with our query pipeline, as unsplit."""
    index = Index.load(expand_index(compact))
    index.pipeline = search_pipeline()
    return index
