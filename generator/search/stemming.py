"""The text pipeline shared by the index (lunr.py) and the browser (lunr.js 2.3.9).

lunr.py 0.8 and lunr.js 2.3.9 disagree in two places that decide what the browser can
find. Porter step 1c: lunr.py turns "survey" into "survei", lunr.js keeps "survey" (it
turns a final y into i only after a consonant). And the trimmer: lunr.py keeps trailing
punctuation on tokens such as "92.3%," while lunr.js strips accented letters at word
edges ("café" -> "caf"). These functions follow lunr.js where the browser runs them
(the stemmer is the whole search pipeline) and are consistent with it at index time.
"""

from __future__ import annotations

import functools
import re

from lunr.pipeline import Pipeline
from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

from generator.text.words import fold

# Letters and digits of any script; everything else is trimmed from a token's edges.
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SEPARATOR = re.compile(r"[\s\-]+")


class LunrJsPorterStemmer(PorterStemmer):  # type: ignore[misc]  # lunr.py has no types
    """lunr.py's Porter stemmer with step 1c as lunr.js 2.3.9 does it."""

    b: str
    k: int
    k0: int

    def step1c(self) -> None:
        # lunr.js: /^(.+?)([^aeiou])y$/ -> a final y after a consonant becomes i.
        if self.b[self.k] == "y" and self.k - self.k0 >= 2 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


@functools.lru_cache(maxsize=1 << 18)
def stem_word(word: str) -> str:
    """Stem one lower-case word exactly as lunr.js 2.3.9's stemmer would."""
    stemmed: str = LunrJsPorterStemmer().stem(word)
    return stemmed


def fold_word(word: str) -> str:
    """A lower-case word without accents: 'stéphane' -> 'stephane', 'łukasz' -> 'lukasz'."""
    return fold(word)


def trim_word(word: str) -> str:
    """Fold accents and strip punctuation from both ends, keeping letters of every script."""
    return _EDGE.sub("", fold_word(word))


def stemmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token:
    """Pipeline function; serialized under lunr's label "stemmer" so lunr.js uses its own."""
    return token.update(lambda text, metadata=None: stem_word(text))


def trimmer(token: Token, i: int | None = None, tokens: list[Token] | None = None) -> Token | None:
    """Index-time trimmer (not serialized); drops tokens that were only punctuation."""
    trimmed = trim_word(str(token))
    return token.update(lambda text, metadata=None: trimmed) if trimmed else None


stemmer.label = "stemmer"  # type: ignore[attr-defined]  # read by lunr.py's Pipeline
# Registered under its own label only so lunr.py does not warn about it; the label is
# never serialized (only the search pipeline is) and lunr's "stemmer" stays untouched.
Pipeline.register_function(trimmer, "papersite-trimmer")


def index_pipeline() -> Pipeline:
    pipeline = Pipeline()
    pipeline.add(trimmer, stop_word_filter, stemmer)
    return pipeline


def search_pipeline() -> Pipeline:
    pipeline = Pipeline()
    pipeline.add(stemmer)
    return pipeline


class Analyzer:
    """The index-time tokenizer and pipeline fused: text -> index terms, memoized per word.

    It yields exactly what lunr's Tokenizer followed by index_pipeline() yields (tested on
    the whole corpus), without creating a Token per word and per pipeline step.
    """

    _TOKEN = re.compile(r"[^ \t\n\r\f\v\xa0-]+")

    def __init__(self) -> None:
        self._terms: dict[str, str] = {}

    def __call__(self, text: str | None) -> list[str]:
        if text is None:
            return []
        terms = []
        for word in self._TOKEN.findall(str(text).lower()):
            term = self._terms.get(word)
            if term is None:
                term = self._terms[word] = self._term(word)
            if term:
                terms.append(term)
        return terms

    @staticmethod
    def _term(word: str) -> str:
        trimmed = trim_word(word)
        if not trimmed or stop_word_filter(Token(trimmed)) is None:
            return ""
        return stem_word(trimmed)


def query_words(text: str) -> list[str]:
    """Words of a query as the browser splits them: lower-case, trimmed, no stop words."""
    words = [trim_word(part) for part in _SEPARATOR.split(text.lower())]
    return [word for word in words if word and stop_word_filter(Token(word)) is not None]


def phrase_stems(text: str) -> list[str]:
    """Every word of a text, stop words included, trimmed and stemmed: what word pairs
    are made of ("Once-for-All" is "onc", "for", "all")."""
    words = (trim_word(part) for part in _SEPARATOR.split(text.lower()))
    return [stem_word(word) for word in words if word]
