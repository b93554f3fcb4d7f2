"""The search index: built as lunr.py would, split into files (split.py), searched
by lunr.js 2.3.9 in the browser; Searcher is the build's mirror of assets/search-engine.js."""

from __future__ import annotations

import bisect
import importlib.resources
import itertools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token

from generator.catalog.authors import index_authors
from generator.catalog.topics import TopicIndex
from generator.diagnostics import ContentError
from generator.model import MONTHS, Paper, SiteConfig
from generator.search.compact import IndexBuilder, short_ref
from generator.search.split import (
    COMPLETIONS,
    PAIR,
    RECORDS,
    document_counts,
    js_order,
    read_postings,
    read_script,
    read_vocabulary,
    script,
    split_index,
    term_postings,
)
from generator.search.stemming import (
    GLUE_WORDS,
    MAX_PHRASES,
    MAX_QUERY_WORDS,
    browser_patterns,
    cjk_terms,
    glued_terms,
    holds_phrase,
    phrase_stems,
    phrase_tokens,
    phrase_words,
    plain_query,
    query_words,
    quoted_phrases,
    stem_word,
    word_variants,
)
from generator.text.identifiers import without_version
from generator.text.snippets import CARD_TOPICS, EXCERPT_CHARS, byline, excerpt
from generator.text.urls import browser_paths
from generator.text.words import ACCENTS, FOLDED_LETTERS

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
    ("pairs", TITLE_BOOST),
    ("notes", 1),
)
# The "pairs" field holds each two neighbouring words of a title (stop words included) as
# one term, the stems joined by PAIR (split.py), so words typed together rank a
# title holding them together above one where they are apart. The title and the abstract
# also hold the other spellings of their words (stemming.word_variants: "Mixture-of-Experts"
# as one word, "MobileNetV3" without its version), scored as words of that field.
_APOSTROPHE = re.compile("['\u2019]")
# A word the index lacks may start longer words (from this many letters) or hold a typo
# (from this many): shorter ones would match too much.
PREFIX_MIN = 3
TYPO_MIN = 4
# A longer word is looked for as it is (with its completions): the words one typo from a
# word, and the terms it starts with, grow with its length.
TYPO_MAX = 40
# A prefix of this many letters or more stands for all its completions (shorter ones for
# their COMPLETIONS most common): a word finds all it finds whole while it is typed.
EVERY_COMPLETION = 4
# A query with quoted phrases reads this many of its best papers with every word for them.
PHRASE_CHECKED = 200


@dataclass(frozen=True)
class SearchFiles:
    """Every file of the split index (generator/search/split.py), by path under the site."""

    parts: tuple[tuple[str, bytes], ...]

    def files(self) -> dict[str, bytes]:
        return dict(self.parts)


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
                    # What the records, the facets and the notes field hold besides.
                    paper.published.iso() if paper.published else "",
                    [link.url for link in paper.links if link.label == "Code"],
                    paper.notes,
                ]
                for paper in papers
            ],
        ],
        ensure_ascii=False,
    )


def build_search(
    papers: list[Paper], topics: TopicIndex, config: SiteConfig
) -> tuple[SearchFiles, dict[str, Any]]:
    """Index every paper and split the index into files; also returns the whole compact
    index, for the self-test."""
    listing_names = {listing.id: listing.name for listing in config.listings}
    topic_numbers = {topic.slug: number for number, topic in enumerate(topics.topics)}
    builder = IndexBuilder(FIELDS)
    store = []
    abstracts = []
    paper_topics = []
    for paper in papers:
        numbers = [topic_numbers[topic.slug] for topic in topics.of_paper.get(paper.slug, ())]
        builder.add(
            {
                "title": (paper.title, word_variants(paper.title)),
                "abstract": (paper.abstract, word_variants(paper.abstract)),
                "topics": " ".join(topics.topics[n].name for n in numbers),
                "listings": " ".join(listing_names.get(key, key) for key in paper.listings),
                "authors": " ".join(map(author_words, paper.authors)),
                "ids": identifier_words(paper),
                "pairs": word_pairs(phrase_stems(paper.title)),
                "notes": paper.notes,
            }
        )
        store.append(_store_row(paper, numbers[:CARD_TOPICS]))
        abstracts.append(_whole_abstract(paper))
        paper_topics.append(numbers)
    # Words that are not their own terms, as written and as spelled otherwise ("crossmodal"
    # for "cross-modal"), with their terms: what a word being typed may become.
    forms = sorted(builder.forms.items(), key=lambda form: js_order(form[0]))
    compact = builder.compact(tuple(dict(FIELDS)), last=True)
    del builder  # its per-document counts weigh what the compact index does: gone before the split
    listed = [[topic.name, topic.slug] for topic in topics.topics]
    files = split_index(compact, listed, store, paper_topics, abstracts, forms, browser_rules())
    files.update(facet_files(papers))
    return SearchFiles(tuple(sorted(files.items()))), compact


def browser_rules() -> dict[str, Any]:
    """Every rule search-engine.js follows that Python also follows, from their one home
    here: the browser reads them from the index's core ("rules"), never from a copy."""
    return {
        "prefix_min": PREFIX_MIN,
        "every_completion": EVERY_COMPLETION,
        "typo_min": TYPO_MIN,
        "typo_max": TYPO_MAX,
        "typo_letters": TYPO_LETTERS,
        "max_query_words": MAX_QUERY_WORDS,
        "max_phrase_words": MAX_PHRASE_WORDS,
        "glue_words": GLUE_WORDS,
        "max_phrases": MAX_PHRASES,
        "phrase_checked": PHRASE_CHECKED,
        "excerpt_chars": EXCERPT_CHARS,
        "accents": ACCENTS.pattern,
        "folded_letters": FOLDED_LETTERS,
        "months": list(MONTHS),  # a result's date reads as a paper card's (PaperDate.label)
        "paths": browser_paths(),  # where results, topics and the search page are
        **browser_patterns(),
    }


def facet_files(papers: list[Paper]) -> dict[str, bytes]:
    """What the search page sorts and filters by, for every paper (by number):
    `assets/search/dates.js`, each paper's date as YYYYMMDD (a month or year alone has
    zeros for the rest; 0: not known), and `assets/search/people.js`, every author's name
    and address (as on their author page) and each paper's authors by number."""
    dates = [
        paper.published.year * 10_000
        + (paper.published.month or 0) * 100
        + (paper.published.day or 0)
        if paper.published
        else 0
        for paper in papers
    ]
    authors = index_authors(papers)
    number = {author.slug: n for n, author in enumerate(authors.authors)}
    people = {
        "names": [[author.name, author.slug] for author in authors.authors],
        "of": [[number[a.slug] for a in authors.of_paper.get(paper.slug, ())] for paper in papers],
    }
    return {
        "assets/search/dates.js": script("dates", dates),
        "assets/search/people.js": script("people", people),
    }


def _whole_abstract(paper: Paper) -> str:
    """The abstract on one line where the record's excerpt is only its start, else "": a
    result whose words are deeper in it shows them (search-engine.js deepen)."""
    whole = " ".join(paper.abstract.split())
    return whole if len(whole) > EXCERPT_CHARS else ""


def _store_row(paper: Paper, topic_numbers: list[int]) -> list[Any]:
    """What a result shows of a paper, as assets/search-engine.js's records() reads it:
    title, slug, the numbers of the topics its card shows, excerpt, then byline, date,
    arXiv id and code link (trailing empty ones left out: most papers have none)."""
    code = next((link.url for link in paper.links if link.label == "Code"), "")
    row = [
        paper.title,
        paper.slug,
        topic_numbers,
        excerpt(paper.abstract),
        byline(paper.authors, paper.more_authors),
        paper.published.iso() if paper.published else "",
        paper.arxiv or "",
        code,
    ]
    while len(row) > 4 and row[-1] == "":
        row.pop()
    return row


def word_pairs(terms: list[str]) -> list[str]:
    """Each two neighbouring terms as one, joined by PAIR."""
    return [first + PAIR + second for first, second in itertools.pairwise(terms)]


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


# Word pairs and glued words are looked for among a query's first this many words.
MAX_PHRASE_WORDS = 2 * MAX_QUERY_WORDS


def glue_spans(count: int) -> list[tuple[int, int]]:
    """The (start, end) of each run of words stemming.glued_terms glues, in its order."""
    return [
        (start, end)
        for start in range(count)
        for end in range(start + 2, min(start + GLUE_WORDS, count) + 1)
    ]


def _positions(words: list[str], wanted: list[str]) -> list[int]:
    """For each of a query's words (stop words included), its number among its query
    words (stop words left out), or -1."""
    positions = []
    number = 0
    for word in words:
        cjk = cjk_terms(word)
        if cjk is not None:  # a query word for each pair of letters
            positions.append(-1)
            number += len(cjk)
        elif number < len(wanted) and word == wanted[number]:
            positions.append(number)
            number += 1
        else:
            positions.append(-1)
    return positions


@dataclass
class Vocabulary:
    """The index's terms (in JavaScript's order) and how many (field, document) pairs hold
    each: what the browser knows before it loads a term's postings, and all it needs to
    know what a query's words stand for (search-engine.js does the same with its w files);
    and the words that are not their own stems, with their stems (Analyzer.forms)."""

    terms: list[str]
    counts: dict[str, int]
    forms: list[tuple[str, str]] = field(default_factory=list)  # in JavaScript's order

    def boosts(self, text: str, *, prefix: bool = False) -> dict[str, float]:
        """The index terms a query asks for, with their boosts: its words' terms, and the
        title word pairs it holds."""
        return self.boosts_of(text, self.expanded(text, prefix))

    def boosts_of(self, text: str, expanded: list[list[tuple[str, float]]]) -> dict[str, float]:
        boosts: dict[str, float] = {}
        for terms in expanded:
            for term, boost in terms:
                boosts[term] = boosts.get(term, 0.0) + boost
        for pair in word_pairs(phrase_stems(plain_query(text), MAX_PHRASE_WORDS)):
            if pair in self.counts:
                boosts[pair] = boosts.get(pair, 0.0) + 1.0
        return boosts

    def expanded(self, text: str, prefix: bool) -> list[list[tuple[str, float]]]:
        """What each query word stands for (index terms, each with its boost): itself, or
        what `exact` finds for a word the index lacks; while typing (`prefix`), the last
        word stands for the terms of the words it starts (`typing`). Neighbouring words
        that the index holds as one word ("mobile net v3": "mobilenetv3") stand for it
        too, its boost shared among them."""
        wanted = query_words(text, prefix)
        expanded = [
            self.typing(word) if prefix and position == len(wanted) - 1 else self.exact(word)
            for position, word in enumerate(wanted)
        ]
        words = phrase_words(plain_query(text), MAX_PHRASE_WORDS)
        positions = _positions(words, wanted)
        for (start, end), term in zip(glue_spans(len(words)), glued_terms(words), strict=True):
            covered = sorted({positions[n] for n in range(start, end) if positions[n] >= 0})
            if term in self.counts and covered:
                for number in covered:
                    expanded[number] = [*expanded[number], (term, 1.0 / len(covered))]
        return expanded

    def typing(self, word: str) -> list[tuple[str, float]]:
        """A word being typed stands for the terms of the words it starts (`completed`:
        "image" for image, images and ImageNet; "learni" for learning's "learn"; "binari"
        for binary and binarization's "binar"), each boosted by its share of the most
        common one's count, and, if the index holds it as written (`written`), its stem
        in full: "image" is images before ImageNet, "dataset" datasets, not data; "datas",
        which no text holds, is datasets, not data. A word no text holds may hold a typo:
        a fix as common as the most common word it starts or more counts in full
        ("impove", which starts only "impoverish", is improve; "learni" is not the rarer
        "learnt"). A word that starts none stands for what `exact` finds, and for a
        typo's fixes though the index holds its stem ("aling", stem "al", is align)."""
        completed = self.completed(word)
        stem = stem_word(word)
        held = stem in self.counts
        found = dict(self.weighed(completed) if completed else self.exact(word))
        if completed and held and self.written(word):
            found[stem] = 1.0
        elif completed or held:
            # (a word's own completions are its stem's when the two are one: not made again)
            least = self.counts[completed[0]] if completed else 0
            for term in self.unheld(word, stem, completed if stem == word else None)[1]:
                if self.counts[term] >= least:
                    found.setdefault(term, 1.0)
        return list(found.items())

    def written(self, word: str) -> bool:
        """Whether the index holds `word` as a word of a text: a term, or a word whose
        stem is not itself (`forms`; the index holds its stem)."""
        if word in self.counts:
            return True
        at = self._forms_from(word)
        return at < len(self.forms) and self.forms[at][0] == word

    def exact(self, word: str) -> list[tuple[str, float]]:
        """The word's term; for a word the index lacks, the words it starts and a typo's
        fixes, in full (`unheld`)."""
        stem = stem_word(word)
        if stem in self.counts:
            return [(stem, 1.0)]
        started, fixes = self.unheld(word, stem)
        return [*started, *((term, 1.0) for term in fixes)]

    def unheld(
        self, word: str, stem: str, completed: list[str] | None = None
    ) -> tuple[list[tuple[str, float]], list[str]]:
        """For a word the index lacks (or holds as the stem of no word written so): the
        words its stem starts (three letters or more: "fbnet" is FBNetV5, "gpt4"
        GPT4Image), `completed` and `weighed`, and the other terms one typo away that start with the
        same two letters (for a word of four to TYPO_MAX letters): a term one edit from the
        word's stem (of four letters or more), or the stem of a word one edit from it
        ("segmentaton" is "segmentation", whose stem "segment" is far from "segmentaton";
        "aling" is align). `completed`: the stem's `completed`, when it is known already."""
        if len(stem) < PREFIX_MIN:
            started = []
        else:
            started = self.weighed(self.completed(stem) if completed is None else completed)
        found = dict(started)
        fixes: dict[str, None] = {}
        # (A stem may be much shorter than its word: "tuing", a typo of tuning, is "tu".)
        near_stem = len(stem) >= TYPO_MIN and len(word) <= TYPO_MAX
        near_word = TYPO_MIN <= len(word) <= TYPO_MAX and len(stem) >= 2
        if near_stem or near_word:
            near = self.starting(stem[:2])
            held = set(near)
            for term in near if near_stem else ():
                if one_edit_apart(stem, term) and term not in found:
                    fixes[term] = None
            for variant in one_edit_variants(word) if near_word and held else ():
                term = stem_word(variant)
                if term in held and term not in found:
                    fixes[term] = None
        return started, list(fixes)

    def weighed(self, terms: list[str]) -> list[tuple[str, float]]:
        """Each term with its count's share of the most common one's, the first (`terms`
        as `completed` gives them; counts: the (field, document) pairs holding a term):
        while a word is typed, its common completion ("transformer") is the likely one."""
        if not terms:
            return []
        most = self.counts[terms[0]]
        return [(term, self.counts[term] / most) for term in terms]

    def completed(self, prefix: str) -> list[str]:
        """The terms of the index's words starting with `prefix` (the terms that start with
        it, and the stems of the words that do: `forms`), the most common first: all of
        them from EVERY_COMPLETION letters on, else the COMPLETIONS that most documents
        hold."""
        terms = dict.fromkeys(self.starting(prefix))
        for word, stem in self.forms[self._forms_from(prefix) :]:
            if not word.startswith(prefix):
                break
            if stem in self.counts:
                terms[stem] = None
        top = sorted(terms, key=lambda term: (-self.counts[term], js_order(term)))
        return top if len(prefix) >= EVERY_COMPLETION else top[:COMPLETIONS]

    def _forms_from(self, word: str) -> int:
        """Where `word` is, or would be, among the forms (in JavaScript's order)."""
        return bisect.bisect_left(self.forms, js_order(word), key=lambda form: js_order(form[0]))

    def starting(self, prefix: str) -> list[str]:
        """The words (not word pairs) of the index that start with `prefix`."""
        low = bisect.bisect_left(self.terms, js_order(prefix), key=js_order)
        found = []
        for term in self.terms[low:]:
            if not term.startswith(prefix):
                break
            if PAIR not in term:
                found.append(term)
        return found


@dataclass
class Searcher:
    """The index, searched as assets/search-engine.js searches its chunks: each query word
    stands for index terms (itself; the completions of a word being typed; or, for a word
    the index lacks, the terms one typo away: Vocabulary), scored by lunr's formula from
    the terms' postings (tests hold it to lunr.py's own query of the whole index)."""

    postings: dict[str, list[list[float]]]  # term -> per field: document, score, ...
    words: Vocabulary
    # A paper's title and abstract by its number, to match quoted phrases (None: no text,
    # phrases rank nothing first)
    texts: Callable[[int], tuple[str, str]] | None = None

    @classmethod
    def of_site(cls, site: Path) -> Searcher:
        """The searcher of a built site, from its index files."""
        return cls.of_files(lambda path: (site / path).read_bytes())

    @classmethod
    def of(cls, compact: dict[str, Any]) -> Searcher:
        counts = dict(zip(compact["terms"], document_counts(compact), strict=True))
        words = Vocabulary(sorted(compact["terms"], key=js_order), counts)
        return cls(dict(zip(compact["terms"], term_postings(compact), strict=True)), words)

    @classmethod
    def of_files(cls, read: Callable[[str], bytes], queries: list[str] | None = None) -> Searcher:
        """The searcher of the written index (`read` gives a file by its path under the
        site). With `queries`, it reads what the browser loads to answer them: the core, the
        vocabulary and the chunks of the terms they stand for, not the whole index."""
        terms, counts, forms = read_vocabulary(read)
        words = Vocabulary(terms, dict(zip(terms, counts, strict=True)), forms)
        needed = None if queries is None else {t for q in queries for t in words.boosts(q)}
        return cls(read_postings(read, needed), words, PaperTexts(read))

    def search(self, text: str, *, prefix: bool = False, partial: bool = True) -> list[str]:
        """Refs for a query: papers with every word first, then (with `partial`) papers
        with some of them, each by score, then by ref. With `prefix`, the last word is
        being typed and stands for its most common completions."""
        return [ref for ref, _ in self.scored(text, prefix=prefix, partial=partial)]

    def scored(
        self, text: str, *, prefix: bool = False, partial: bool = True
    ) -> list[tuple[str, float]]:
        return self.ranked(text, prefix=prefix, partial=partial).results

    def ranked(self, text: str, *, prefix: bool = False, partial: bool = True) -> Ranking:
        """The results of a query (ref and score), and how many of them hold every word
        and how many its quoted phrases (they come first), as search-engine.js's search."""
        words = query_words(text, prefix)
        expanded = self.words.expanded(text, prefix)
        boosts = self.words.boosts_of(text, expanded)
        if not boosts:
            return Ranking([], 0, 0)
        # lunr's score (lunr.Index.prototype.query): per field, the query's boosts dotted
        # with the document's stored scores over the query vector's norm, which every field
        # shares; summed over the fields (as search-engine.js `combine`).
        norm = math.sqrt(sum(boost * boost for boost in boosts.values()))
        sums: dict[int, float] = {}
        matched: dict[int, set[str]] = {}
        for term, boost in boosts.items():
            for pairs in self.postings.get(term, ()):
                for doc, score in zip(map(int, pairs[0::2]), pairs[1::2], strict=True):
                    sums[doc] = sums.get(doc, 0.0) + boost * score
                    matched.setdefault(doc, set()).add(term)
        scores = {doc: total / norm for doc, total in sums.items()}
        # A stop word being typed stands for its completions but is not needed ("Kaiming He").
        needed = expanded[: len(words) - optional_last(words, prefix)]
        hits = {
            doc: sum(any(term in matched[doc] for term, _ in terms) for terms in needed)
            for doc in scores
        }
        order = sorted(scores, key=lambda doc: (-score_key(scores[doc]), doc))
        complete = [doc for doc in order if hits[doc] == len(needed)]
        rest = [doc for doc in order if hits[doc] < len(needed)] if partial else []
        phrases = quoted_phrases(text)
        held = []
        if phrases and self.texts is not None:
            # Of the papers with every word, the best PHRASE_CHECKED are read for the
            # phrases; those holding every phrase (in the title or abstract) come first.
            for doc in complete[:PHRASE_CHECKED]:
                title, abstract = self.texts(doc)
                tokens = (phrase_tokens(title), phrase_tokens(abstract))
                if all(any(holds_phrase(t, phrase) for t in tokens) for phrase in phrases):
                    held.append(doc)
            first = set(held)
            complete = held + [doc for doc in complete if doc not in first]
        results = [(short_ref(doc), scores[doc]) for doc in complete + rest]
        return Ranking(results, len(complete), len(held))


@dataclass(frozen=True)
class Ranking:
    """A query's results (ref, score), best first: the `phrased` papers holding its
    quoted phrases, then the rest of the `complete` ones holding every word, then those
    holding some."""

    results: list[tuple[str, float]]
    complete: int
    phrased: int


class PaperTexts:
    """Each paper's title and abstract, read from the search's record and abstract files
    as search-engine.js reads them (a file of RECORDS papers at a time)."""

    def __init__(self, read: Callable[[str], bytes]) -> None:
        self._read = read
        self._files: dict[str, list[Any]] = {}

    def _file(self, name: str) -> list[Any]:
        if name not in self._files:
            data = read_script(self._read(f"assets/search/{name}.js"))
            self._files[name] = data if isinstance(data, list) else []
        return self._files[name]

    def __call__(self, doc: int) -> tuple[str, str]:
        number, at = divmod(doc, RECORDS)
        record = self._file(f"r{number}")[at]
        whole = self._file(f"a{number}")[at]
        return record[0], whole or record[3]


def optional_last(words: list[str], prefix: bool) -> int:
    """1 if the last word is a stop word being typed (query_words keeps it), else 0."""
    return int(prefix and bool(words) and stop_word_filter(Token(words[-1])) is None)


def score_key(score: float) -> int:
    """Scores compared to nine places: the browser adds chunk scores up in another order."""
    return math.floor(score * 1e9 + 0.5)


# The letters a typo may have dropped or changed (the word is folded: no accents).
TYPO_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def one_edit_variants(word: str) -> list[str]:
    """The words one edit from `word` (a letter left out, swapped with the next, changed
    or put in) that keep its first two letters, in search-engine.js's order."""
    variants = []
    for at in range(2, len(word) + 1):
        if at < len(word):
            variants.append(word[:at] + word[at + 1 :])
            if at + 1 < len(word):
                variants.append(word[:at] + word[at + 1] + word[at] + word[at + 2 :])
        for letter in TYPO_LETTERS:
            if at < len(word):
                variants.append(word[:at] + letter + word[at + 1 :])
            variants.append(word[:at] + letter + word[at:])
    return variants


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, deleted, changed, or two neighbours swapped (as search-engine.js)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] == b[start + 1 :]:
            return True
        return (
            a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


def self_test(files: SearchFiles, papers: list[Paper], checks: tuple[str, ...]) -> None:
    """Query the written index as the browser will, loading what the browser loads for
    these queries (Searcher.of_files) and scoring as it scores; an empty result stops
    the build. What it checks is what search promises: a paper is among the results of its
    title, its arXiv id and its first author, never at which rank (papers with one title
    in four spellings rank as they may)."""
    samples = sorted({0, len(papers) // 2, len(papers) - 1}) if papers else []
    with_id = next((n for n, paper in enumerate(papers) if paper.arxiv), None)
    with_authors = next((n for n, paper in enumerate(papers) if paper.authors), None)
    queries = [*checks, *(papers[number].title for number in samples)]
    queries += [papers[with_id].arxiv or ""] if with_id is not None else []
    queries += [papers[with_authors].authors[0]] if with_authors is not None else []
    searcher = Searcher.of_files(files.files().__getitem__, queries)
    for query in checks:
        if not searcher.search(query):
            raise ContentError(
                Path("content/site.yml"), 0, f"search self-test: '{query}' finds nothing"
            )
    for number in samples:
        title = papers[number].title
        found = searcher.search(title, partial=False)
        if short_ref(number) not in found and query_words(title):
            _self_test_failed(
                papers[number], f"searching the title '{title}' does not find the paper"
            )
    # A paper's arXiv id finds it, and so does its first author's name.
    if with_id is not None:
        arxiv = papers[with_id].arxiv or ""
        if short_ref(with_id) not in searcher.search(arxiv):
            _self_test_failed(papers[with_id], f"searching its arXiv id {arxiv} does not find it")
    if with_authors is not None:
        name = papers[with_authors].authors[0]
        if query_words(name) and short_ref(with_authors) not in searcher.search(name):
            _self_test_failed(
                papers[with_authors], f"searching its author '{name}' does not find it"
            )


def _self_test_failed(paper: Paper, problem: str) -> None:
    origin = paper.origins[0]
    raise ContentError(origin.path, origin.line, f"search self-test: {problem}")


def lunr_js() -> bytes:
    """lunr.js 2.3.9 from the installed package that carries it (never downloaded), minified."""
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
    return minified(data)


def minified(script: bytes) -> bytes:
    """A script without its comments and spaces (rjsmin, which renames nothing), under its
    leading comment (lunr.js's names its version, copyright and licence): 100 KB -> 40 KB,
    25 KB -> 10 KB gzip, for lunr.js."""
    import rjsmin

    banner = script[: script.index(b"*/") + 2] if script.startswith(b"/*") else b""
    body: str = rjsmin.jsmin(script.decode("utf-8"))
    return banner + b"\n" + body.encode("utf-8") + b"\n"
