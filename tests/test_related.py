"""Related papers: similar ones first, never the paper itself, at most five."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import copy_of_example

from generator.catalog.related import find_related
from generator.content.config import plugin_names
from generator.diagnostics import Location
from generator.engine.cache import BuildCache
from generator.engine.progress import Progress
from generator.model import Paper
from generator.plugins import load_plugins
from generator.recipe import read_content

FIXTURES = Path(__file__).parent / "fixtures" / "related"

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


def titled(slug: str, title: str, abstract: str = "", authors: tuple[str, ...] = ()) -> Paper:
    return Paper(slug, slug, title, abstract, (), (Location(Path("x.txt"), 1),), authors=authors)


def crowd(count: int) -> list[Paper]:
    """Papers about other things, so that the words under test are rare."""
    return [
        titled(f"c{i:02d}", f"{FILLER[i % len(FILLER)]} {i}", FILLER[(i + 1) % len(FILLER)])
        for i in range(count)
    ]


TERMS = [f"term{chr(97 + i)}" for i in range(26)]  # words that two to six papers share


def test_one_common_word_between_titles_is_not_enough():
    """'Mask R-CNN' and papers with 'mask' in their abstracts (as one in ten have) share a
    word, not a subject."""
    masked = [
        titled(f"m{i}", f"Topic {word}", f"a mask for {word}: " + " ".join(TERMS[i : i + 6]))
        for i, word in enumerate(["pixels", "speech", "tokens", "graphs"])
    ]
    papers = [titled("maskrcnn", "Mask R-CNN"), *masked, *crowd(30)]
    assert find_related(papers)["maskrcnn"] == ()


def test_the_rare_name_of_a_thing_in_both_titles_is_enough():
    papers = [
        titled("llama", "LLaMA: Open and Efficient Foundation Language Models"),
        titled("llama3", "The Llama 3 Herd of Models", "we release llama models"),
        *crowd(24),
    ]
    assert [other.slug for other in find_related(papers)["llama"]] == ["llama3"]


def test_shared_lead_authors_and_word_forms_link_papers():
    """Two titles alone, linked by two lead authors, or by 'Editing' and 'Edit' (stems)."""
    lab = ("Ross Girshick", "Piotr Dollár")
    papers = [
        titled("a", "Instance masks", authors=("Kaiming He", *lab)),
        titled(
            "b",
            "Segment anything",
            authors=("Alexander Kirillov", "Piotr Dollar", "X Y", "Ross Girshick"),
        ),
        titled("c", "Multi-aspect editing", "editing images with diffusion, attribute editing"),
        titled("d", "Emu Edit", "precise image edit with recognition tasks"),
        *crowd(24),
    ]
    related = find_related(papers)
    assert [other.slug for other in related["a"]] == ["b"]
    assert [other.slug for other in related["c"]] == ["d"]


@pytest.fixture(scope="module")
def example_with_classics(tmp_path_factory: pytest.TempPathFactory) -> list[Paper]:
    """The example's papers and a reading group's classics.bib (no abstracts) beside them."""
    root = copy_of_example(tmp_path_factory.mktemp("classics"))
    shutil.copy(FIXTURES / "classics.bib", root / "content" / "listings" / "classics.bib")
    plugins = load_plugins(root, plugin_names(root))
    return read_content(root, None, Progress(), BuildCache(None), plugins).papers


def judged_pairs() -> list[tuple[str, str, str]]:
    path = FIXTURES / "judged.tsv"
    rows = [line.split("\t") for line in path.read_text("utf-8").splitlines()]
    return [(row[0], row[1], row[2]) for row in rows if len(row) == 3 and row[0][0] != "#"]


def test_pairs_judged_by_hand(example_with_classics: list[Paper]):
    """No pair judged unrelated is shown; most judged related are (all but one now:
    'Segment Anything' no longer reaches ASAM once 'segment' and 'segmentation' are one
    stem that too many papers share)."""
    papers = example_with_classics
    related = find_related(papers)

    def one(start: str) -> Paper:
        (found,) = [p for p in papers if p.title.startswith(start)]
        return found

    shown = {
        (paper, other): one(other).slug in {p.slug for p in related[one(paper).slug]}
        for paper, other, _ in judged_pairs()
    }
    verdicts = {(paper, other): verdict for paper, other, verdict in judged_pairs()}
    wrong = [pair for pair, verdict in verdicts.items() if verdict == "unrelated" and shown[pair]]
    assert wrong == []
    judged_related = [pair for pair, verdict in verdicts.items() if verdict == "related"]
    missed = [pair for pair in judged_related if not shown[pair]]
    assert len(judged_related) >= 15 and len(missed) <= len(judged_related) // 10, missed
