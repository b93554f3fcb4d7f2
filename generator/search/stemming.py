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

from generator.text.words import CJK_LETTERS, fold

# What separates a query's words, the same characters in Python and search-engine.js
# (the two languages' \s differ): white space of both, and the hyphen. Escapes, not the
# characters: the browser reads this pattern from the index, which holds no control
# characters.
_SEPARATOR = re.compile(
    r"[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\-]+"
)
# Chinese, Japanese and Korean letters: text in them has no spaces between words, so it is
# indexed and searched as overlapping pairs of letters (as Lucene's CJK analyzer does).
_CJK_RUN = re.compile(f"([{CJK_LETTERS}]+)")
# A query holds at most this many words (a pasted page is cut): every query is answered
# in time that does not grow past it.
MAX_QUERY_WORDS = 32
# Of a query's quoted phrases, this many are looked for.
MAX_PHRASES = 8
# Up to this many neighbouring words of a query are tried as one ("uni rep lk net").
GLUE_WORDS = 4
# arXiv links (and Hugging Face paper links, named by the arXiv id) and versioned ids in a
# query stand for the id, as the index holds it.
_ARXIV_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/"
    r"(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?/?",
    re.IGNORECASE,
)
_ARXIV_VERSION = re.compile(r"\b((?:arxiv:)?\d{4}\.\d{4,5})v\d+\b", re.IGNORECASE)
# Runs of letters in a word that mixes letters and digits ("gpt4image": gpt, image); a
# run ending in "v" before digits is a name before its version ("mobilenetv3": mobilenet).
_LETTER_RUN = re.compile(r"([^\W\d_]+)(?=(\d)?)")


class LunrJsPorterStemmer(PorterStemmer):  # type: ignore[misc]  # lunr.py has no types
    """lunr.py's Porter stemmer with steps 1a, 1b and 1c as lunr.js 2.3.9 does them."""

    b: str
    j: int
    k: int
    k0: int
    # lunr.js's steps 1a and 1b want a letter before these (/^(.+?)(ss|i)es$/,
    # /^(.+?)eed$/): a word that is only one of them goes on to the rules after ("ies" ->
    # "ie", as "cats" -> "cat"; "eed" -> "e", as "feed" -> "fe"), where lunr.py stripped it.
    _AFTER_A_LETTER = frozenset({"sses", "ies", "eed"})

    def ends(self, s: str) -> int:
        found: int = super().ends(s)
        if found and s in self._AFTER_A_LETTER and self.j < self.k0:
            return 0
        return found

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
    """Fold accents and strip punctuation from both ends, keeping letters and digits of
    every script (in time linear in the word: a regular expression anchored at the end
    would try every start)."""
    folded = fold_word(word)
    start, end = 0, len(folded)
    while start < end and not folded[start].isalnum():
        start += 1
    while end > start and not folded[end - 1].isalnum():
        end -= 1
    return folded[start:end]


def cjk_terms(word: str) -> list[str] | None:
    """A trimmed word holding CJK letters as the terms it is indexed and searched by: each
    run of CJK letters as its overlapping pairs (a lone letter as itself), the rest as
    words. None for a word without CJK letters."""
    parts = _CJK_RUN.split(word)
    if len(parts) == 1:
        return None
    terms = []
    for number, part in enumerate(parts):
        if number % 2:  # a CJK run
            terms += [part[i : i + 2] for i in range(max(1, len(part) - 1))]
        else:
            trimmed = trim_word(part)
            if trimmed and stop_word_filter(Token(trimmed)) is not None:
                terms.append(stem_word(trimmed))
    return terms


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
    the whole corpus), without creating a Token per word and per pipeline step; except
    that a word in CJK letters is its pairs of letters (cjk_terms), where lunr would keep
    a whole sentence as one term.
    """

    _TOKEN = re.compile(r"[^ \t\n\r\f\v\xa0-]+")

    # What a word that stands for several terms (CJK letter pairs) maps to in `_terms`.
    _SEVERAL = "\0"

    def __init__(self) -> None:
        self._terms: dict[str, str] = {}
        self._several: dict[str, list[str]] = {}
        # Words that are not their own stems ("learning": "learn", "coding": "code"), with
        # their stems: while such a word is typed, its letters are not its stem's (from
        # "learni" on, "learning" is not "learn"'s completion, nor "codin" "code"'s).
        self.forms: dict[str, str] = {}

    def __call__(self, text: str | None) -> list[str]:
        if text is None:
            return []
        terms = []
        known = self._terms
        for word in self._TOKEN.findall(str(text).lower()):
            term = known.get(word)
            if term is None:
                term = self._learn(word)
            if term:
                if term is self._SEVERAL:
                    terms += self._several[word]
                else:
                    terms.append(term)
        return terms

    def _learn(self, word: str) -> str:
        """The term of a word not seen before ("": none; _SEVERAL: see _several)."""
        trimmed = trim_word(word)
        cjk = cjk_terms(trimmed)
        if cjk is not None:
            self._several[word] = cjk
            term = self._SEVERAL
        elif not trimmed or stop_word_filter(Token(trimmed)) is None:
            term = ""
        else:
            term = stem_word(trimmed)
            self._form(trimmed, term)
        self._terms[word] = term
        return term

    def spellings(self, variants: dict[str, str]) -> list[str]:
        """The terms of a text's other spellings (word_variants), each once; a spelling
        that is not its term is one of the forms, as a word that is not its stem is."""
        for spelling, term in variants.items():
            self._form(spelling, term)
        return list(dict.fromkeys(variants.values()))

    def _form(self, word: str, term: str) -> None:
        if term != word:
            self.forms[word] = term


def browser_patterns() -> dict[str, str]:
    """The regular expressions search-engine.js splits and reads a query by, as their
    sources (each means the same in both languages: literal characters in classes, no
    Python-only syntax); the browser compiles them from the index's core."""
    return {
        "separator": _SEPARATOR.pattern,
        "cjk_run": _CJK_RUN.pattern,
        "arxiv_link": _ARXIV_LINK.pattern,
        "arxiv_version": _ARXIV_VERSION.pattern,
        "quoted": _QUOTED.pattern,
    }


def plain_query(text: str) -> str:
    """A query with arXiv links and versioned ids as the ids the index holds."""
    return _ARXIV_VERSION.sub(r"\1", _ARXIV_LINK.sub(r"\1", text))


def query_words(text: str, prefix: bool = False) -> list[str]:
    """Words of a query as the browser splits them: lower-case, trimmed, no stop words, a
    word in CJK letters as its pairs of letters; at most MAX_QUERY_WORDS. With `prefix`,
    the last word is being typed and stays even if it is a stop word ("other" is on its
    way to "others")."""
    parts = [word for word in map(trim_word, _SEPARATOR.split(plain_query(text).lower())) if word]
    words = []
    for number, word in enumerate(parts):
        cjk = cjk_terms(word)
        if cjk is not None:
            words += cjk
        elif stop_word_filter(Token(word)) is not None or (prefix and number == len(parts) - 1):
            words.append(word)
        if len(words) >= MAX_QUERY_WORDS:
            break
    return words[:MAX_QUERY_WORDS]


def phrase_words(text: str, limit: int | None = None) -> list[str]:
    """Every word of a text, stop words included, trimmed (not stemmed)."""
    words = []
    for part in _SEPARATOR.split(text.lower()):
        word = trim_word(part)
        if word:
            words.append(word)
            if limit is not None and len(words) >= limit:
                break
    return words


def phrase_stems(text: str, limit: int | None = None) -> list[str]:
    """Every word of a text, stop words included, trimmed and stemmed: what word pairs
    are made of ("Once-for-All" is "onc", "for", "all")."""
    return [stem_word(word) for word in phrase_words(text, limit)]


_QUOTED = re.compile('["\u201c\u201d\u201e]([^"\u201c\u201d\u201e]*)["\u201c\u201d\u201e]')


def quoted_phrases(text: str) -> list[list[str]]:
    """The phrases a query puts in double quotes (straight or curly; an unclosed quote is
    no phrase), each as its phrase_tokens, those of two tokens or more."""
    phrases = []
    for match in _QUOTED.finditer(plain_query(text)):
        tokens = phrase_tokens(match.group(1))
        if len(tokens) >= 2:
            phrases.append(tokens)
            if len(phrases) == MAX_PHRASES:
                break
    return phrases


def phrase_tokens(text: str) -> list[str]:
    """Every word of a text, stop words included, trimmed and stemmed, and each CJK
    letter as a word of its own: what a phrase is matched on."""
    tokens: list[str] = []
    for part in _SEPARATOR.split(text.lower()):
        word = trim_word(part)
        for number, piece in enumerate(_CJK_RUN.split(word) if word else ()):
            if number % 2:
                tokens.extend(piece)
            elif trimmed := trim_word(piece):
                tokens.append(stem_word(trimmed))
    return tokens


def holds_phrase(tokens: list[str], phrase: list[str]) -> bool:
    """Whether `phrase`'s tokens come one after another in `tokens`."""
    size = len(phrase)
    return any(tokens[start : start + size] == phrase for start in range(len(tokens) - size + 1))


def glued_terms(words: list[str]) -> list[str]:
    """What neighbouring words of a query are as one word ("mobile net v3" is also
    "mobilenetv3", "pre training" "pretrain"): two to GLUE_WORDS of them, stemmed."""
    return [
        stem_word("".join(words[start:end]))
        for start in range(len(words))
        for end in range(start + 2, min(start + GLUE_WORDS, len(words)) + 1)
    ]


def word_variants(text: str) -> dict[str, str]:
    """The other spellings a text's words are found by, with their terms: a hyphenated word
    as one ("Mixture-of-Experts" is "mixtureofexperts", term "mixtureofexpert";
    "pre-training" "pretraining", "pretrain"), and a word mixing letters and digits by its
    runs of letters, a name without its version ("MobileNetV3" is "mobilenet", "GPT4Image"
    "gpt" and "image")."""
    found: dict[str, str] = {}
    # Most words have nothing else to spell: only those with a hyphen or a digit are read.
    for match in _SPELLED.finditer(text.lower()):
        found.update(_token_variants(match.group(0)))
    return found


# A whitespace-separated token with a hyphen or a digit; matched from a token's start only
# and without backtracking, so the scan is linear in the text.
_SPELLED = re.compile(r"(?<!\S)[^\s\-\d]*+[\-\d]\S*")


@functools.lru_cache(maxsize=1 << 16)
def _token_variants(token: str) -> tuple[tuple[str, str], ...]:
    """word_variants of one whitespace-separated token: (spelling, term) pairs."""
    found: dict[str, str] = {}
    trimmed = trim_word(token)
    if not trimmed or cjk_terms(trimmed) is not None:
        return ()
    words = [part for part in (trim_word(p) for p in trimmed.split("-")) if part]
    if len(words) > 1:
        words.append("".join(words))
    for word in words:
        if len(words) > 1 and word is words[-1]:
            found[word] = stem_word(word)
        if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            for match in _LETTER_RUN.finditer(word):
                run = match.group(1)
                if run.endswith("v") and match.group(2) and len(run) > 2:
                    run = run[:-1]
                if len(run) >= 2 and stop_word_filter(Token(run)) is not None:
                    found[run] = stem_word(run)
    return tuple(found.items())
