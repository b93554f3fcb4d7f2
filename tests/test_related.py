"""Related papers: similar ones first, never the paper itself, at most five."""

from __future__ import annotations

from pathlib import Path

from generator.catalog.related import find_related
from generator.diagnostics import Location
from generator.model import Paper

FILLER = [
    "cooking recipes kitchen",
    "football match goals",
    "stock market prices",
    "weather rain forecast",
    "gardening plants soil",
    "music guitar chords",
]


def paper(slug: str, text: str) -> Paper:
    return Paper(slug, slug, slug, text, (), (Location(Path("x.txt"), 1),))


def test_most_similar_paper_comes_first_and_self_is_excluded():
    papers = [
        paper("a", "point cloud segmentation with lidar sensors in driving scenes"),
        paper("b", "lidar point cloud segmentation for autonomous driving scenes"),
        paper("c", "lidar sensors for driving"),
    ] + [paper(f"f{i}", text + " everyday life") for i, text in enumerate(FILLER)]
    related = find_related(papers)
    assert related["a"][0].slug == "b"
    assert all(other.slug != "a" for other in related["a"])
    assert all(len(others) <= 5 for others in related.values())


def test_papers_sharing_nothing_have_no_related_papers():
    related = find_related([paper("x", "alpha beta gamma"), paper("y", "delta epsilon zeta")])
    assert related == {"x": (), "y": ()}


def test_split_over_workers_gives_the_same_result():
    papers = [
        paper(f"p{i:02d}", f"{FILLER[i % len(FILLER)]} topic{i % 4} shared words")
        for i in range(24)
    ]
    assert find_related(papers, workers=3) == find_related(papers, workers=1)
