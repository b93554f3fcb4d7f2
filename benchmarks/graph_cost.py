"""What the citation graph costs a build: a cold build of the same papers without and
with content/citations.json, side by side, at 433 and 10,000 papers (by default).

The corpus is benchmarks/corpus.py's, its listings written as Hub JSON so each paper has
an arXiv id, and a citations.json in the shape `fetch graph` writes: each paper cites
REFERENCES papers, 0 to 2 x INSIDE_MEAN of them in the collection (a topical collection
holds a few of a paper's references), the rest drawn from outside papers half the
collection's number with Zipf-like weights (a few classics everyone cites: the missing
page's head), each with a count.
Prints the build's graph stage, the wall time, and the bytes and files the graph adds
(the Most cited order of every collection, the missing page and feed, the paper pages'
Citations sections and pictures).

Run from the repository root after `pip install -e ".[test]"`:

    python benchmarks/graph_cost.py [--sizes 433 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
from pathlib import Path

from bench import cold
from corpus import make_corpus

REFERENCES = 30
INSIDE_MEAN = 3  # references in the collection, on average


def graph_site(target: Path, size: int, with_citations: bool) -> Path:
    """The corpus of `size` papers with Hub JSON listings (ids 2401.00001...), and with or
    without a citations.json."""
    make_corpus(target, size)
    listings = target / "content" / "listings"
    number = 0
    ids: list[str] = []
    for path in sorted(listings.glob("*.txt")):
        blocks = path.read_text("utf-8").split("\n\n")[1:]
        items = []
        for title, abstract in zip(blocks[0::2], blocks[1::2], strict=False):
            number += 1
            arxiv = f"24{number // 100_000 + 1:02d}.{number % 100_000:05d}"
            ids.append(arxiv)
            items.append({"id": arxiv, "title": title.strip(), "summary": abstract.strip()})
        path.with_suffix(".json").write_text(json.dumps(items), "utf-8")
        path.unlink()
    if with_citations:
        rng = random.Random(size)
        outside = [f"19{n // 100_000 + 1:02d}.{n % 100_000:05d}" for n in range(size // 2)]
        weights = [1 / (rank + 1) for rank in range(len(outside))]
        papers = {}
        for arxiv in sorted(set(ids)):
            inside = rng.sample(ids, rng.randint(0, 2 * INSIDE_MEAN))
            others = set(rng.choices(outside, weights, k=REFERENCES - len(inside)))
            papers[f"arxiv:{arxiv}"] = {
                "fetched": "2026-12-02",
                "citations": rng.randint(0, 5000),
                "venue": "",
                "url": None,
                "references": [
                    {"title": f"Paper {ref}", "arxiv": ref, "doi": None,
                     "citations": rng.randint(0, 50000), "year": 2020, "url": None}
                    for ref in inside + sorted(others)
                ],
            }  # fmt: skip
        data = {"papers": papers, "source": "Semantic Scholar"}
        (target / "content" / "citations.json").write_text(json.dumps(data), "utf-8")
    return target


def on_disk(site: Path) -> tuple[int, int]:
    files = [path for path in (site / "site").rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[433, 10_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'papers':>7} {'graph':>8} {'wall s':>15} {'graph stage s':>14} "
          f"{'bytes a paper':>15} {'files a paper':>14}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            results = {}
            for with_citations in (False, True):
                site = graph_site(Path(folder) / f"g{size}-{with_citations}", size, with_citations)
                runs = [cold(site, Path(folder) / "trash") for _ in range(args.runs)]
                wall = statistics.median(run["seconds"] for run in runs)
                stage = statistics.median(run["timings"].get("graph", 0.0) for run in runs)
                results[with_citations] = (wall, stage, *on_disk(site), runs[0]["papers"])
            for with_citations, (wall, stage, size_bytes, files, papers) in results.items():
                print(
                    f"{papers:>7} {'with' if with_citations else 'without':>8} {wall:>15.2f} "
                    f"{stage:>14.3f} {size_bytes / papers:>15,.0f} {files / papers:>14.2f}"
                )
            (w0, _, b0, f0, n), (w1, s1, b1, f1, _) = results[False], results[True]
            print(
                f"{n:>7} {'added':>8} {w1 - w0:>+15.2f} {s1:>14.3f} {(b1 - b0) / n:>+15,.0f} "
                f"{(f1 - f0) / n:>+14.3f}"
            )


if __name__ == "__main__":
    main()
