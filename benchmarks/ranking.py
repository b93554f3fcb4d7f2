"""MRR@10 of the site's search on a set of queries each aimed at one paper of the example
(benchmarks/ranking_queries.tsv, written before any tuning), with the misses listed.

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

TOP = 10
PREFIX = False  # as the search page asks (a word the index lacks is completed anyway)


def queries() -> list[tuple[str, str]]:
    lines = (ROOT / "benchmarks" / "ranking_queries.tsv").read_text("utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="list every query, not only misses")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        site = build_site(ROOT, Path(temporary) / "site").output
        searcher = Searcher.of_site(site)
        slugs = [row[1] for row in join_store(lambda path: (site / path).read_bytes())]
    total = 0.0
    for query, slug in queries():
        found = [slugs[int(ref, 36)] for ref in searcher.search(query, prefix=PREFIX)[:TOP]]
        rank = found.index(slug) + 1 if slug in found else None
        total += 1 / rank if rank else 0.0
        if args.all or rank != 1:
            print(f"{'miss' if rank is None else rank:>4}  {query}  ->  {slug}")
    print(f"MRR@{TOP} over {len(queries())} queries: {total / len(queries()):.3f}")


if __name__ == "__main__":
    main()
