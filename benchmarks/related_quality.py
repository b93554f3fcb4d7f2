"""How related the related papers are, on the example (433 papers): how often the first
related paper shares a topic with the paper, how often any shown one does, and how many
are shown. Topics are assigned by keyword phrases, so this measure favours text that
shares phrases; judge changes by hand as well (issue 26 did, on 12 papers whose first
related paper a change moved, and found it a draw).

Run from the repository root after `pip install -e ".[test]"`:

    python benchmarks/related_quality.py
"""

from __future__ import annotations

import statistics
from pathlib import Path

from generator.catalog.related import find_related
from generator.content.config import plugin_names
from generator.engine.cache import BuildCache
from generator.engine.progress import Progress
from generator.plugins import load_plugins
from generator.recipe import read_content

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    plugins = load_plugins(ROOT, plugin_names(ROOT))
    content = read_content(ROOT, None, Progress(), BuildCache(None), plugins)
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


if __name__ == "__main__":
    main()
