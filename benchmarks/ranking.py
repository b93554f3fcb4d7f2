"""MRR@10 of the site's search on sets of queries each aimed at one paper of the example
(benchmarks/ranking_queries.tsv, written before issue 11's tuning, and the held-out
tests/fixtures/search/queries.tsv of issue 24, by kind), with the misses listed; and, for
each word in the titles of five papers or more searched alone, the share of its first ten
results whose title holds it (by stem), with the words under half.

Searches as the search page does, through the build's mirror of assets/search-engine.js
(generator/search/index.py Searcher; tests hold it to search-engine.js in Chromium).

    python benchmarks/ranking.py [--all]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.build import build_site  # noqa: E402
from generator.search.index import Searcher  # noqa: E402
from generator.search.split import join_store  # noqa: E402
from generator.search.stemming import query_words, stem_word  # noqa: E402

TOP = 10
PREFIX = True  # as the header box and the search page ask: the last word may be being typed


SETS = {
    "issue 11": ROOT / "benchmarks" / "ranking_queries.tsv",
    "issue 24 (held out)": ROOT / "tests" / "fixtures" / "search" / "queries.tsv",
}


def queries(path: Path) -> list[tuple[str, str, str]]:
    """(kind, query, slug) rows of a set ("" for a set without kinds)."""
    lines = path.read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return [(row[0] if len(row) == 3 else "", row[-2], row[-1]) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every query, not only misses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = build_site(ROOT, Path(temporary) / "site").output
        searcher = Searcher.of_site(site)
        store = join_store(lambda path: (site / path).read_bytes())
        slugs = [row[1] for row in store]
    for name, path in SETS.items():
        rows = queries(path)
        by_kind: dict[str, list[float]] = {}
        misses = 0
        for kind, query, slug in rows:
            found = [slugs[int(ref, 36)] for ref in searcher.search(query, prefix=PREFIX)[:TOP]]
            rank = found.index(slug) + 1 if slug in found else None
            by_kind.setdefault(kind, []).append(1 / rank if rank else 0.0)
            misses += rank is None
            if args.all or rank != 1:
                print(f"{'miss' if rank is None else rank:>4}  {query}  ->  {slug}")
        every = [value for values in by_kind.values() for value in values]
        mrr = sum(every) / len(every)
        print(f"{name}: MRR@{TOP} over {len(rows)} queries: {mrr:.3f}, misses: {misses}")
        for kind, values in sorted(by_kind.items()):
            if kind:
                mrr = sum(values) / len(values)
                print(f"    {kind:<9} {len(values):>3} queries  MRR@{TOP} {mrr:.3f}")

    one_word(searcher, [row[0] for row in store])


def one_word(searcher: Searcher, titles: list[str]) -> None:
    """Each word of five titles or more, searched alone: how many of its first TOP results
    hold it in their title (by stem), on average, and the words under half."""
    stems = [{stem_word(word) for word in query_words(title)} for title in titles]
    held: dict[str, int] = {}
    for title in titles:
        for word in set(query_words(title)):
            if len(word) >= 4 and word.isalpha():
                held[word] = held.get(word, 0) + 1
    shares = {}
    for word in sorted(word for word, count in held.items() if count >= 5):
        top = searcher.search(word, prefix=PREFIX)[:TOP]
        shares[word] = sum(stem_word(word) in stems[int(ref, 36)] for ref in top) / max(len(top), 1)
    mean = sum(shares.values()) / len(shares)
    every = sum(share == 1 for share in shares.values())
    under = sorted(word for word, share in shares.items() if share < 0.5)
    print(
        f"one word, {len(shares)} title words: {mean:.3f} of the first {TOP} hold it in their"
        f" title; all {TOP} for {every} words; under half for {len(under)}: {under}"
    )


if __name__ == "__main__":
    main()
