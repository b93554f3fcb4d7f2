"""How long a build takes to read the content/metadata.yml `fetch resolve` writes.

Run from the repository root after `pip install -e ".[test]"`:

    python benchmarks/metadata_read.py                  # 433 and 10,000 papers
    python benchmarks/metadata_read.py --sizes 50000 --runs 1

For each size it writes, with fetch's own writer (commands/metadata_writer.py), one record
a paper as the Hub answers for it (arXiv id, six authors, date, a 1,000-letter abstract,
upvotes), then reads the file as a build does (content/metadata.py), in this process, and
prints the file's size and the median read time, and the same with PyYAML's pure-Python
parser (what the build used before it read YAML with libyaml).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from generator.commands.metadata_writer import MetadataFile
from generator.content import yamlfile
from generator.content.metadata import read_metadata

ABSTRACT = ("We study how models learn from images and text at scale. " * 18).strip()


def write_records(content: Path, papers: int) -> int:
    """content/metadata.yml with a fetched record for each of `papers`; its size in bytes."""
    records = MetadataFile(content)
    for number in range(papers):
        hub = {
            "arxiv": f"24{number // 100_000 % 12 + 1:02d}.{number % 100_000:05d}",
            "authors": [f"Author{number} Person{rank}" for rank in range(6)],
            "date": f"2024-{number % 12 + 1:02d}-15",
            "abstract": ABSTRACT,
            "upvotes": number % 90,
        }
        records.put(f"Paper {number} on seeing and reading", hub)
    records.save()
    return (content / "metadata.yml").stat().st_size


def timed_read(content: Path, runs: int) -> float:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        read_metadata(content)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[433, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'papers':>7} {'file':>9} {'libyaml':>9} {'pure Python':>12}")
    with tempfile.TemporaryDirectory(prefix="papersite-metadata-") as folder:
        for size in args.sizes:
            content = Path(folder) / str(size) / "content"
            content.mkdir(parents=True)
            size_bytes = write_records(content, size)
            fast = timed_read(content, args.runs)
            chosen = yamlfile._LineLoader
            yamlfile._LineLoader = yamlfile._PyLineLoader
            try:
                slow = timed_read(content, args.runs)
            finally:
                yamlfile._LineLoader = chosen
            print(f"{size:>7} {size_bytes / 1e6:>7.1f}MB {fast:>8.2f}s {slow:>11.2f}s")


if __name__ == "__main__":
    main()
