"""How related the related papers are, and what finding them costs.

On the example (433 papers): how often the first related paper shares a topic with the
paper, how often any shown one does, how many are shown and how many papers show none.
Topics are assigned by keyword phrases, so this measure favours text that shares phrases;
so it also counts the pairs judged by hand in tests/fixtures/related/judged.tsv (on the
example with a reading group's classics.bib beside it, papers known by their titles
alone): judged related and shown, judged unrelated and shown. Then the seconds
find_related takes on the 10,000-paper corpus (benchmarks/corpus.py), median of three.

Run from the repository root after `pip install -e ".[test]"`:

    python benchmarks/related_quality.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generator.catalog.related import find_related
from generator.content.config import plugin_names
from generator.engine.cache import BuildCache
from generator.engine.progress import Progress
from generator.model import Paper
from generator.plugins import load_plugins
from generator.recipe import read_content

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "related"
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import site_of_size  # noqa: E402


def read(root: Path):  # type: ignore[no-untyped-def]
    plugins = load_plugins(root, plugin_names(root))
    return read_content(root, None, Progress(), BuildCache(None), plugins)


def topics_shared() -> None:
    content = read(ROOT)
    papers = content.papers
    topics = {p.slug: {t.slug for t in content.topics.of_paper[p.slug]} for p in papers}
    related = find_related(papers)
    shown = [paper for paper in papers if related[paper.slug]]
    first = [bool(topics[p.slug] & topics[related[p.slug][0].slug]) for p in shown]
    every = [
        statistics.mean(bool(topics[p.slug] & topics[other.slug]) for other in related[p.slug])
        for p in shown
    ]
    print(f"papers: {len(papers)}, with related papers: {len(shown)}")
    print(f"first related paper shares a topic: {statistics.mean(first):.3f}")
    print(f"related papers shown that share a topic: {statistics.mean(every):.3f}")
    count = statistics.mean(len(related[paper.slug]) for paper in papers)
    print(f"related papers shown a paper: {count:.2f}")


def judged(folder: Path) -> None:
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(FIXTURES / "classics.bib", folder / "content" / "listings" / "classics.bib")
    papers = read(folder).papers
    related = find_related(papers)

    def one(start: str) -> Paper:
        (found,) = [paper for paper in papers if paper.title.startswith(start)]
        return found

    counts = {"related": [0, 0], "unrelated": [0, 0]}
    for line in (FIXTURES / "judged.tsv").read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        paper, other, verdict = line.split("\t")
        counts[verdict][0] += 1
        counts[verdict][1] += one(other) in related[one(paper).slug]
    titles_only = [paper for paper in papers if not paper.abstract]
    alone = sum(not related[paper.slug] for paper in titles_only)
    print(f"judged related, shown: {counts['related'][1]} of {counts['related'][0]}")
    print(f"judged unrelated, shown: {counts['unrelated'][1]} of {counts['unrelated'][0]}")
    print(f"papers known by title alone showing none: {alone} of {len(titles_only)}")


def cost(folder: Path, size: int) -> None:
    papers = read(site_of_size(folder, size)).papers
    times = []
    for _ in range(3):
        start = time.perf_counter()
        find_related(papers)
        times.append(time.perf_counter() - start)
    print(f"find_related at {len(papers)} papers, one process: {statistics.median(times):.2f} s")


def main() -> None:
    topics_shared()
    with tempfile.TemporaryDirectory() as folder:
        judged(Path(folder) / "classics")
        cost(Path(folder) / "large", 10_000)


if __name__ == "__main__":
    main()
