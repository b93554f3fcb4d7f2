"""The compact lunr index: built directly, expanded back to lunr's own shape on demand.

lunr.py's Builder makes every posting a dict of dicts and serializes to a JSON shape
that repeats refs and empty fields; the compact shape is smaller and lossless (refs are
document numbers, terms are numbered by their sorted position, both delta-encoded), and
split.py cuts it into the files the site ships. IndexBuilder scores
terms exactly as lunr.py's Builder does (BM25 with its k1 and b, rounded to 3 places) and
writes that shape straight away: the tests compare it with stock lunr.py's index,
compacted (tests/lunrreference.py).
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from itertools import accumulate
from typing import Any

from lunr import __TARGET_JS_VERSION__ as LUNR_TARGET_VERSION

from generator.search.stemming import Analyzer, search_pipeline

# lunr's BM25 parameters (lunr.Builder's defaults).
K1 = 1.2
B = 0.75


class IndexBuilder:
    """Documents in, one compact index per group of fields out.

    Documents are numbered in the order they are added; a group's index is what lunr.py
    would build from the same documents with only that group's fields.
    """

    def __init__(self, fields: tuple[tuple[str, int], ...]) -> None:
        self._names = [name for name, _ in fields]
        self._boosts = dict(fields)
        self._analyze = Analyzer()
        # term -> doc numbers holding it, one list per field (in the order of `fields`)
        self._postings: dict[str, list[list[int]]] = {}
        # per field: each document's term frequencies and length
        self._frequencies: list[list[Counter[str]]] = [[] for _ in fields]
        self._lengths: list[list[int]] = [[] for _ in fields]

    def add(self, texts: dict[str, str | list[str] | tuple[str, dict[str, str]]]) -> None:
        """A document's fields: text to analyze, a list of terms made already, or text
        and its other spellings with their terms (word_variants), whose terms are added to
        its own (those it does not hold already) and which are forms of their terms."""
        doc = len(self._frequencies[0])
        width = len(self._names)
        for number, name in enumerate(self._names):
            value = texts[name]
            if isinstance(value, tuple):
                terms = self._analyze(value[0])
                if value[1]:
                    own = set(terms)
                    terms += [t for t in self._analyze.spellings(value[1]) if t not in own]
            else:
                terms = value if isinstance(value, list) else self._analyze(value)
            counts = Counter(terms)
            self._frequencies[number].append(counts)
            self._lengths[number].append(len(terms))
            for term in counts:
                posting = self._postings.get(term)
                if posting is None:
                    posting = self._postings[term] = [[] for _ in range(width)]
                posting[number].append(doc)

    @property
    def forms(self) -> dict[str, str]:
        """The words analyzed that are not their own stems, and the other spellings that
        are not their own terms ("crossmodal" for "cross-modal"), with their terms."""
        return self._analyze.forms

    def compact(self, names: tuple[str, ...], last: bool = False) -> dict[str, Any]:
        """The compact index of the fields `names` (the shape is in the module docstring).
        With `last`, each field's counts are let go once its vectors are made, so the two
        are never all in memory at once (50,000 papers: some 200 MB); the builder can make
        no other index after it."""
        numbers = [self._names.index(name) for name in names]
        postings = {
            term: [per_field[n] for n in numbers]
            for term, per_field in self._postings.items()
            if any(per_field[n] for n in numbers)
        }
        terms = sorted(postings)
        position = {term: n for n, term in enumerate(terms)}
        documents = len(self._frequencies[0])
        # Each term's idf, by term number.
        idf = [_idf(sum(map(len, postings[term])), documents) for term in terms]
        vectors = []
        # Scores rounded to 3 places repeat: each value is kept once (millions of floats at
        # 50,000 papers, a few thousand of them different).
        scores: dict[float, float] = {}
        for n, name in zip(numbers, names, strict=True):
            boost = self._boosts[name]
            lengths = self._lengths[n]
            average = sum(lengths) / documents if documents else 0
            rows: list[list[float]] = []
            for counts, length in zip(self._frequencies[n], lengths, strict=True):
                row: list[float] = []
                rows.append(row)
                if not counts:
                    continue
                base = K1 * (1 - B + B * (length / average))
                previous = 0
                # The score is lunr.py's expression, in its order, so it rounds alike.
                for number, tf in sorted([(position[term], tf) for term, tf in counts.items()]):
                    score = round(idf[number] * ((K1 + 1) * tf) / (base + tf) * boost, 3)
                    row += (number - previous, scores.setdefault(score, score))
                    previous = number
            vectors.append(rows)
            if last:
                self._frequencies[n] = []
        return {
            "version": LUNR_TARGET_VERSION,
            "fields": list(names),
            "pipeline": search_pipeline().serialize(),
            "terms": terms,
            "postings": [[_deltas(docs) for docs in postings[term]] for term in terms],
            "vectors": vectors,
        }


def _idf(documents_with_term: int, document_count: int) -> float:
    """lunr's inverse document frequency (lunr.idf), from the count it sums up."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def short_ref(number: int) -> str:
    """Base-36 refs: a ref is repeated in every posting, so short ones keep the index small."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def expand_index(compact: dict[str, Any]) -> dict[str, Any]:
    """lunr's serialized shape of a compact index, for lunr.py's Index.load."""
    fields = compact["fields"]
    refs = [short_ref(doc) for doc in range(max(map(len, compact["vectors"]), default=0))]
    inverted = []
    for number, (term, per_field) in enumerate(
        zip(compact["terms"], compact["postings"], strict=True)
    ):
        posting: dict[str, Any] = {"_index": number}
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
    """Each number as the step from the one before (the first from 0)."""
    if not numbers:
        return []
    return [numbers[0], *map(operator.sub, numbers[1:], numbers[:-1])]
