"""Deterministic synthetic corpora made from the real listings, for benchmarks.

Titles and abstracts are recombined from the example site's papers: a title joins the
first half of one real title to the second half of another and a model-like name, an
abstract is a shuffle of sentences from three real abstracts. Every paper is unique,
the vocabulary is the real one, and the same size and seed always give the same files.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_LISTING = 100
REPEATED = 0.1  # share of entries that also appear in a second listing, as in real listings


def real_papers() -> list[tuple[str, str]]:
    from generator.catalog.papers import merge
    from generator.content.config import load_config
    from generator.content.listings import read_listings
    from generator.diagnostics import Diagnostics

    config = load_config(ROOT)
    papers = merge(read_listings(config.listings, Diagnostics()), [], config.listings)
    return [(paper.title, paper.abstract) for paper in papers if paper.abstract]


def make_corpus(target: Path, size: int, seed: int = 7) -> Path:
    """Write a site with `size` unique papers to `target` (replacing it); returns it."""
    rng = random.Random(seed)
    papers = real_papers()
    sentences = [re.split(r"(?<=[.!?])\s+", abstract) for _, abstract in papers]
    entries = []
    for number in range(size):
        first, second = rng.sample(papers, 2)
        head = first[0].split(":")[0] if ":" in first[0] else " ".join(first[0].split()[:4])
        tail = " ".join(second[0].split()[len(second[0].split()) // 2 :])
        name = f"{rng.choice(['Net', 'Former', 'ViT', 'CLIP', 'Mamba', 'Diff'])}-{number}"
        title = f"{head} {tail} with {name}"
        parts = [s for pool in rng.sample(sentences, 3) for s in pool[: rng.randint(2, 4)]]
        rng.shuffle(parts)
        entries.append((title, " ".join(parts)))
    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "listings").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "topics.yml", target / "content" / "topics.yml")
    listings = [entries[start : start + PER_LISTING] for start in range(0, size, PER_LISTING)]
    for index, listing in enumerate(listings):
        extra = rng.sample(entries, int(len(listing) * REPEATED))
        lines = [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "byAK and the research community",
            "Mar 14",
            "",
        ]
        for title, abstract in listing + extra:
            lines += [title, "", abstract, ""]
        path = target / "content" / "listings" / f"listing-{index:04d}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
    sources = "\n".join(
        f"  listing-{index:04d}:\n    name: Listing {index + 1}\n"
        f"    date: 2024-{1 + index % 12:02d}-{1 + index % 28:02d}"
        for index in range(len(listings))
    )
    (target / "content" / "site.yml").write_text(
        f"title: Synthetic {size}\nurl: https://example.org/bench/\nsources:\n{sources}\n",
        encoding="utf-8",
    )
    return target


EXAMPLE_SIZE = 433  # what the benchmarks call the repository's own content/


def site_of_size(target: Path, size: int) -> Path:
    """A site root in `target`: a copy of the example's content for EXAMPLE_SIZE (so its
    build cache stays out of the checkout), else `make_corpus`'s site of `size` papers."""
    if size == EXAMPLE_SIZE:
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ROOT / "content", target / "content")
        return target
    return make_corpus(target, size)
