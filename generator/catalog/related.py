"""Find similar papers by TF-IDF cosine over title, abstract and lead authors, via an
inverted index; a paper is shown as related only when more than one thing links them."""

from __future__ import annotations

import functools
import heapq
import math
from collections import Counter, defaultdict
from operator import itemgetter

from lunr.stemmer import porter_stemmer

from generator.engine.parallel import run_tasks
from generator.model import Paper
from generator.text.words import fold, normalize_words

RELATED_COUNT = 5
TERMS_PER_PAPER = 12
POSTINGS_PER_TERM = 60
MAX_DOCUMENT_FREQUENCY = 0.15
TITLE_WEIGHT = 2
# The authors a paper is known by: its first few and its last (the lab's head, often).
LEAD_AUTHORS = 3
# Close enough to show: a cosine of at least MIN_SIMILARITY over two or more shared terms
# (words or authors). One shared word is more often a coincidence of vocabulary ("Less is
# More" and a "lite" model): it needs ONE_TERM_SIMILARITY between two papers with
# abstracts, and TITLE_TERM_SIMILARITY when either is known by its title alone, where only
# the rare name of a thing gets there ("LLaMA" and "The Llama 3 Herd of Models", not
# "Mask R-CNN" and a "k-means Mask Transformer"). The benchmark
# (benchmarks/related_quality.py) and the pairs judged by hand in
# tests/fixtures/related/judged.tsv set these three.
MIN_SIMILARITY = 0.15
ONE_TERM_SIMILARITY = 0.2
TITLE_TERM_SIMILARITY = 0.45
STOP_WORDS = frozenset(
    """a about above across after again against all also although am among an and any are
    as at be been before being below between both but by can could did do doe doing down
    during each few for from further had ha have having he her here hi how however i if in
    into is it it its itself just may me more most much my no nor not of off on once only
    or other our out over own same she should so some such than that the their them then
    there these they this those through thu to too two under until up upon very via wa we
    were what when where which while who whom why will with within without would you your
    yet one new based using use used show propose proposed paper approach method result""".split()
)


def find_related(papers: list[Paper], workers: int = 1) -> dict[str, tuple[Paper, ...]]:
    """Up to RELATED_COUNT most similar papers for each paper, keyed by slug.

    Each paper keeps only its heaviest terms and each term only its heaviest postings,
    so the work grows with papers x terms kept, never with every pair of papers. The
    scoring is split over `workers` forked processes; the result does not depend on it.
    """
    stems = _Stems()
    bags = [_bag(paper, stems) for paper in papers]
    frequency = Counter(term for bag in bags for term in bag)
    limit = max(2, MAX_DOCUMENT_FREQUENCY * len(papers))
    idf = {
        term: math.log(len(papers) / count)
        for term, count in frequency.items()
        if 1 < count <= limit
    }
    vectors = [_vector(bag, idf) for bag in bags]
    has_abstract = [bool(paper.abstract) for paper in papers]
    postings: dict[str, list[tuple[float, int]]] = {}
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((weight, index))
    for term, entries in postings.items():
        postings[term] = heapq.nlargest(POSTINGS_PER_TERM, entries, key=lambda e: (e[0], -e[1]))

    def nearest(start: int) -> list[list[int]]:
        found = []
        for index in range(start, len(vectors), workers):
            scores: dict[int, float] = defaultdict(float)
            vector = vectors[index]
            for term, weight in sorted(vector.items()):
                for other_weight, other in postings[term]:
                    scores[other] += weight * other_weight
            scores.pop(index, None)
            best = []
            candidates = [item for item in scores.items() if item[1] >= MIN_SIMILARITY]
            for other, score in sorted(candidates, key=itemgetter(1), reverse=True):
                if score < TITLE_TERM_SIMILARITY:
                    shared = len(vector.keys() & vectors[other].keys())
                    described = has_abstract[index] and has_abstract[other]
                    if score < _least_similarity(shared, described):
                        continue
                best.append(other)
                if len(best) == RELATED_COUNT:
                    break
            found.append(best)
        return found

    shares = run_tasks([functools.partial(nearest, start) for start in range(workers)], workers)
    related: dict[str, tuple[Paper, ...]] = {}
    for start, share in enumerate(shares):
        for index, best in zip(range(start, len(papers), workers), share, strict=True):
            related[papers[index].slug] = tuple(papers[other] for other in best)
    return {paper.slug: related[paper.slug] for paper in papers}


def _least_similarity(shared_terms: int, both_described: bool) -> float:
    if shared_terms > 1:
        return MIN_SIMILARITY
    return ONE_TERM_SIMILARITY if both_described else TITLE_TERM_SIMILARITY


class _Stems(dict[str, str]):
    """Each word's stem, found once: lunr's Porter stemmer, as search uses."""

    def __missing__(self, word: str) -> str:
        stem: str = porter_stemmer.stem(word)
        self[word] = stem
        return stem


def _bag(paper: Paper, stems: _Stems) -> Counter[str]:
    """The paper's terms: stems of its title's words (counted TITLE_WEIGHT times) and its
    abstract's, and its lead authors' names. `stems` remembers each word's stem."""
    authors = paper.authors[:LEAD_AUTHORS] + paper.authors[LEAD_AUTHORS:][-1:]
    names = ["@" + "-".join(normalize_words(fold(name))) for name in authors]
    title = _useful(paper.title, stems)
    return Counter(title * TITLE_WEIGHT + _useful(paper.abstract, stems) + names)


def _useful(text: str, stems: _Stems) -> list[str]:
    """The stems of the words that say what a text is about: no stop words, numbers or
    words under three letters."""
    return [
        stems[word]
        for word in normalize_words(text)
        if len(word) > 2 and word not in STOP_WORDS and not word.isdigit()
    ]


def _vector(bag: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """The paper's heaviest terms, L2-normalized."""
    weights = {
        term: (1 + math.log(count)) * idf[term] for term, count in bag.items() if term in idf
    }
    top = heapq.nlargest(TERMS_PER_PAPER, weights.items(), key=lambda item: (item[1], item[0]))
    norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
    return {term: weight / norm for term, weight in top}
