"""The index split into small files, so a query loads only what it needs.

One compact lunr index (compact.py) becomes:

- `assets/search-index.js`, the core: fields, pipeline, topics, the paper count, the
  first term of every term chunk and of every vocabulary file, the most common
  completions of each one-letter prefix, and the rules search-engine.js follows as Python
  does (numbers and regular expressions: one home, in Python);
- `assets/search/t<N>.js`, term chunks: consecutive terms (in sorted order) with their
  postings, each posting as (document, score) pairs per field, so a chunk expands into a
  small lunr index of its own (a term's score in a document does not depend on the other
  terms, and lunr's query norm is shared by all fields: search-engine.js adds the postings'
  scores up to exactly the unsplit index's, see `combine` there);
- `assets/search/w<N>.js`, the vocabulary: sorted terms and how many (field, document)
  pairs hold each, for completions and typo tolerance without the postings, and the words
  in the same range that are not their own stems, with their stems and the stems' counts
  ("learning": "learn", "coding": "code"), so that a word being typed finds its stem;
- `assets/search/r<N>.js`, result records, RECORDS papers each, loaded for the rows shown;
- `assets/search/a<N>.js`, the whole abstracts of the same papers ("" where the record's
  excerpt is all of it), loaded after the rows are shown, to show the matched words of a
  deeper match;
- `assets/search/topics.js`, every paper's topics, for the topic filter's counts: a
  character a topic (`codes`, the n-th for topic n) and the papers' strings of them
  joined by commas (`of`), a third smaller gzip than lists of numbers (it is what a
  deep-linked query loads that grows with the collection).

Each file is a classic script that sets one entry of `window.papersiteSearchData`, so
everything loads by <script> tag and works from file://.
"""

from __future__ import annotations

import bisect
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Any

# A term chunk holds terms until its JSON passes this many bytes (about 4-6 KB gzip); a
# term whose posting alone is larger has a chunk of its own.
CHUNK_BYTES = 14_000
# Terms per vocabulary file (about 3-5 KB gzip).
VOCAB_TERMS = 1_200
# Papers per record file: a page of results touches a few of them.
RECORDS = 8
# While typing, the last word stands for this many of its most common completions.
COMPLETIONS = 10
DATA = "window.papersiteSearchData"
# What joins the two stems of a title word pair into one term (no word holds a space).
PAIR = " "
# The characters that stand for the first topics in topics.js (then U+0100 and on).
TOPIC_CODES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def topic_codes(count: int) -> str:
    """A character for each of `count` topics: one that needs no escape in JSON."""
    more = max(0, count - len(TOPIC_CODES))
    return TOPIC_CODES[:count] + "".join(chr(0x100 + n) for n in range(more))


def topics_of_papers(paper_topics: list[list[int]], count: int) -> dict[str, str]:
    """topics.js's data: each paper's topic numbers as characters (in ascending order,
    which gzip packs best), the papers' strings joined by commas."""
    codes = topic_codes(count)
    joined = ",".join("".join(codes[n] for n in sorted(numbers)) for numbers in paper_topics)
    return {"codes": codes, "of": joined}


def js_order(text: str) -> bytes:
    """Sort key of JavaScript's string comparison (UTF-16 code units), in which
    search-engine.js looks terms up."""
    return text.encode("utf-16-be", "surrogatepass")


def json_bytes(data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Safe inside a <script> element or a .js file even if a title contains "</script>".
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text.encode("utf-8")


def script(name: str, data: object) -> bytes:
    """A classic script that stores `data` under `name`."""
    return f"({DATA} ||= {{}})[{json.dumps(name)}] = ".encode() + json_bytes(data) + b";\n"


def read_script(data: bytes) -> object:
    """The data a script written by `script` stores (for tests and tools)."""
    return json.loads(data.split(b" = ", 1)[1].rstrip(b";\n"))


def term_postings(compact: dict[str, Any]) -> list[list[list[float]]]:
    """Per term, per field: document, score, document, score, ... (documents ascending)."""
    fields = len(compact["fields"])
    postings: list[list[list[float]]] = [[[] for _ in range(fields)] for _ in compact["terms"]]
    for field, rows in enumerate(compact["vectors"]):
        for doc, row in enumerate(rows):
            for term, score in zip(accumulate(row[0::2]), row[1::2], strict=True):
                postings[term][field] += (doc, score)
    return postings


def document_counts(compact: dict[str, Any]) -> list[int]:
    """Per term, how many (field, document) pairs hold it (lunr's posting sizes, summed)."""
    return [sum(map(len, per_field)) for per_field in compact["postings"]]


def split_index(
    compact: dict[str, Any],
    topics: list[list[str]],
    store: list[list[Any]],
    paper_topics: list[list[int]],
    abstracts: list[str],
    forms: Sequence[tuple[str, str]] = (),
    rules: dict[str, Any] | None = None,
) -> dict[str, bytes]:
    """The files of the module docstring, by path under the site."""
    order = sorted(range(len(compact["terms"])), key=lambda n: js_order(compact["terms"][n]))
    terms = [compact["terms"][n] for n in order]
    all_postings, all_counts = term_postings(compact), document_counts(compact)
    postings = [all_postings[n] for n in order]
    counts = [all_counts[n] for n in order]
    files: dict[str, bytes] = {}
    chunk_starts: list[str] = []
    pair_shares: list[int] = []
    chunk: dict[str, list[Any]] = {"terms": [], "postings": []}
    size = 0

    def flush() -> None:
        nonlocal chunk, size
        if chunk["terms"]:
            files[f"assets/search/t{len(chunk_starts)}.js"] = script(f"t{len(chunk_starts)}", chunk)
            chunk_starts.append(chunk["terms"][0])
            if PAIR in chunk["terms"][0]:
                pair_shares.append(pair_share(chunk["terms"]))
        chunk, size = {"terms": [], "postings": []}, 0

    for term, per_field in zip(terms, postings, strict=True):
        encoded = [_delta_pairs(pairs) for pairs in per_field]
        # About what its JSON adds: a step and a score are some 5 bytes each on average.
        grows = len(term.encode()) + 6 + sum(2 + 5 * len(pairs) for pairs in encoded)
        if size and size + grows > CHUNK_BYTES:
            flush()
        chunk["terms"].append(term)
        chunk["postings"].append(encoded)
        size += grows
    flush()
    word_starts = [terms[start] for start in range(0, len(terms), VOCAB_TERMS)]
    count_of = dict(zip(terms, counts, strict=True))
    forms_of: dict[int, list[list[Any]]] = {}
    for word, stem in forms:
        if stem in count_of:
            form = [word, stem, count_of[stem]]
            forms_of.setdefault(max(0, chunk_of(word_starts, word)), []).append(form)
    for number, start in enumerate(range(0, len(terms), VOCAB_TERMS)):
        part = slice(start, start + VOCAB_TERMS)
        vocabulary: dict[str, Any] = {"terms": terms[part], "counts": counts[part]}
        if number in forms_of:
            vocabulary["forms"] = forms_of[number]
        files[f"assets/search/w{number}.js"] = script(f"w{number}", vocabulary)
    for number, start in enumerate(range(0, len(store), RECORDS)):
        files[f"assets/search/r{number}.js"] = script(f"r{number}", store[start : start + RECORDS])
        files[f"assets/search/a{number}.js"] = script(
            f"a{number}", abstracts[start : start + RECORDS]
        )
    files["assets/search/topics.js"] = script("topics", topics_of_papers(paper_topics, len(topics)))
    core = {
        "version": 2,
        "lunr": compact["version"],
        "fields": compact["fields"],
        "pipeline": compact["pipeline"],
        "papers": len(store),
        "topics": topics,
        "chunks": chunk_starts,
        "pairShares": pair_shares,
        "words": word_starts,
        "starts": first_letter_completions(terms, counts),
        "records": RECORDS,
        # What search-engine.js follows as Python does (generator/search/index.py
        # browser_rules), with the parts of this file's shape it needs.
        "rules": {**(rules or {}), "completions": COMPLETIONS, "pair": PAIR},
    }
    files["assets/search-index.js"] = script("index", core)
    return files


def pair_share(terms: list[str]) -> int:
    """For a chunk whose first term is a title pair ("vision model"): how many letters its
    first word shares with the pair's first word (0: it holds no word). A word being typed
    whose range the chunk is in starts that pair's word, so the chunk holds words it
    stands for exactly when the word is no longer than this: search-engine.js asks for
    such chunks beside the vocabulary only then (the others may hold title pairs alone)."""
    first = terms[0].split(PAIR, 1)[0]
    word = next((term for term in terms if PAIR not in term), "")
    apart = (at for at, (a, b) in enumerate(zip(first, word, strict=False)) if a != b)
    return next(apart, min(len(first), len(word)))


def first_letter_completions(terms: list[str], counts: list[int]) -> dict[str, list[Any]]:
    """For each first letter, its COMPLETIONS most common terms: a one-letter prefix
    would otherwise need a twentieth of the vocabulary."""
    by_letter: dict[str, list[tuple[int, str]]] = {}
    for term, count in zip(terms, counts, strict=True):
        if PAIR not in term:  # words, not the title's word pairs
            by_letter.setdefault(term[0], []).append((-count, term))

    def rank(pair: tuple[int, str]) -> tuple[int, bytes]:  # ties in the browser's order
        return pair[0], js_order(pair[1])

    return {
        letter: [[term, -negative] for negative, term in sorted(ranked, key=rank)[:COMPLETIONS]]
        for letter, ranked in sorted(by_letter.items())
    }


def _delta_pairs(pairs: list[float]) -> list[float]:
    """(number, score) pairs with each number as the step from the one before."""
    if not pairs:
        return []
    out: list[float] = pairs.copy()
    numbers = [int(doc) for doc in pairs[0::2]]
    out[0::2] = [numbers[0], *map(operator.sub, numbers[1:], numbers[:-1])]
    return out


def join_index(read: Callable[[str], bytes]) -> dict[str, Any]:
    """The compact index again, from the files `split_index` wrote (`read` gives a file's
    bytes by its path under the site): splitting loses nothing."""
    core: Any = read_script(read("assets/search-index.js"))
    fields = len(core["fields"])
    found: dict[str, list[list[float]]] = {}
    for number in range(len(core["chunks"])):
        chunk: Any = read_script(read(f"assets/search/t{number}.js"))
        for term, per_field in zip(chunk["terms"], chunk["postings"], strict=True):
            found[term] = [list(_undelta_pairs(pairs)) for pairs in per_field]
    terms = sorted(found)
    vectors: list[list[list[float]]] = [[[] for _ in range(core["papers"])] for _ in range(fields)]
    postings = []
    for number, term in enumerate(terms):
        per_field = []
        for field, pairs in enumerate(found[term]):
            docs = [int(doc) for doc in pairs[0::2]]
            for doc, score in zip(docs, pairs[1::2], strict=True):
                vectors[field][doc] += (number, score)
            per_field.append(
                [doc - previous for previous, doc in zip([0, *docs], docs, strict=False)]
            )
        postings.append(per_field)
    for rows in vectors:
        for doc, row in enumerate(rows):
            rows[doc] = _delta_pairs(row)
    return {
        "version": core["lunr"],
        "fields": core["fields"],
        "pipeline": core["pipeline"],
        "terms": terms,
        "postings": postings,
        "vectors": vectors,
    }


def chunk_of(starts: list[str], term: str) -> int:
    """The number of the term chunk that would hold `term` (-1: before the first), from
    the chunks' first terms (as search-engine.js finds it)."""
    return bisect.bisect_right(starts, js_order(term), key=js_order) - 1


def read_postings(
    read: Callable[[str], bytes], only: Iterable[str] | None = None
) -> dict[str, list[list[float]]]:
    """Each term's postings from the term chunks (per field: document, score, ...); with
    `only`, just the chunks that would hold those terms are read, as the browser loads
    them for a query, and only those terms are kept."""
    core: Any = read_script(read("assets/search-index.js"))
    wanted = None if only is None else set(only)
    numbers: Iterable[int] = range(len(core["chunks"]))
    if wanted is not None:
        numbers = sorted({chunk_of(core["chunks"], term) for term in wanted} - {-1})
    found: dict[str, list[list[float]]] = {}
    for number in numbers:
        chunk: Any = read_script(read(f"assets/search/t{number}.js"))
        for term, per_field in zip(chunk["terms"], chunk["postings"], strict=True):
            if wanted is None or term in wanted:
                found[term] = [_undelta_pairs(pairs) for pairs in per_field]
    return found


def read_vocabulary(
    read: Callable[[str], bytes],
) -> tuple[list[str], list[int], list[tuple[str, str]]]:
    """Every term (in JavaScript's order) and its count, and the words that are not their
    own stems with their stems, from the vocabulary files."""
    core: Any = read_script(read("assets/search-index.js"))
    terms: list[str] = []
    counts: list[int] = []
    forms: list[tuple[str, str]] = []
    for number in range(len(core["words"])):
        part: Any = read_script(read(f"assets/search/w{number}.js"))
        terms += part["terms"]
        counts += part["counts"]
        forms += [(word, stem) for word, stem, _ in part.get("forms", ())]
    return terms, counts, forms


def _undelta_pairs(pairs: list[float]) -> list[float]:
    out: list[float] = []
    doc = 0
    for step, score in zip(pairs[0::2], pairs[1::2], strict=True):
        doc += int(step)
        out += (doc, score)
    return out


def join_store(read: Callable[[str], bytes]) -> list[list[Any]]:
    """Every paper's result record, from the record files (for tests and tools)."""
    core: Any = read_script(read("assets/search-index.js"))
    rows: list[list[Any]] = []
    for number in range((core["papers"] + RECORDS - 1) // RECORDS):
        rows += read_script(read(f"assets/search/r{number}.js"))  # type: ignore[arg-type]
    return rows
