"""Comparable words and letters: accents folded (search, slugs, author names, citation
keys), and words split for topic matching and related papers."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")
# The plural 's' that normalize_words drops: the last letter of a word of 4+ letters and
# digits, not after another 's' (one pass over the text instead of a test per word).
_PLURAL_S = re.compile(r"s(?<=[a-z0-9]{2}[a-rt-z0-9]s)(?![a-z0-9])")


def normalize_words(text: str) -> list[str]:
    """Lower-case words with a plural 's' dropped, so 'Transformers' matches 'transformer'
    (but 'class' and 'gas' stay as they are)."""
    return _WORD.findall(_PLURAL_S.sub("", text.lower()))


# Accents are combining marks after NFD; these letters have no decomposition of their own.
# (search-engine.js folds a query's words by the same two rules, read from the index.)
ACCENTS = re.compile("[\u0300-\u036f]")
FOLDED_LETTERS = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "\u0131": "i",  # dotless i
    "\u2019": "'",  # typographic apostrophes
    "\u02bc": "'",
}
_LETTERS = str.maketrans(FOLDED_LETTERS)


# Chinese, Japanese (kana) and Korean letters: text in them has no spaces between words.
# Search indexes it as overlapping letter pairs (search/stemming.py, whose rules
# search-engine.js reads from the index); an address spells each letter apart
# (text/slugs.py).
CJK_LETTERS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff"
)


def fold(text: str) -> str:
    """Text without accents: 'Stéphane' -> 'Stephane', 'Łukasz' -> 'Lukasz', 'Straße' ->
    'Strasse' (assets/search-engine.js folds the words of a query the same way)."""
    if text.isascii():
        return text
    plain = ACCENTS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", plain).translate(_LETTERS)
