"""Topic assignment by keywords, with a fallback so every paper has a topic."""

from __future__ import annotations

from pathlib import Path

from generator.catalog.topics import assign_topics
from generator.diagnostics import Diagnostics, Location
from generator.model import Paper, TopicRule


def rule(name: str, *keywords: str) -> TopicRule:
    return TopicRule(name, name.lower(), "", keywords, Location(Path("topics.yml"), 1))


def paper(title: str, abstract: str = "", requested_topics: tuple[str, ...] = ()) -> Paper:
    slug = title.lower().replace(" ", "-")
    origin = (Location(Path("x.txt"), 1),)
    return Paper(title, slug, title, abstract, (), origin, requested_topics=requested_topics)


RULES = (
    rule("Transformers", "vision transformer", "attention"),
    rule("Medical", "medical", "x-ray"),
    rule("Other", "computer vision"),
)


def test_keyword_in_title_assigns_topic_and_plural_matches():
    index = assign_topics([paper("Vision Transformers at Scale")], RULES, None, Diagnostics())
    assert [topic.slug for topic in index.of_paper["vision-transformers-at-scale"]] == [
        "transformers"
    ]


def test_one_weak_abstract_hit_is_not_enough_when_another_topic_is_strong():
    papers = [paper("Medical Segmentation", "We use attention on chest scans.")]
    index = assign_topics(papers, RULES, None, Diagnostics())
    assert [topic.slug for topic in index.of_paper["medical-segmentation"]] == ["medical"]


def test_fallback_topic_for_papers_matching_nothing():
    diagnostics = Diagnostics()
    index = assign_topics([paper("Cooking Robots")], RULES, "other", diagnostics)
    assert [topic.slug for topic in index.of_paper["cooking-robots"]] == ["other"]
    assert diagnostics.warnings == []


def test_without_fallback_an_unmatched_paper_is_reported():
    diagnostics = Diagnostics()
    assign_topics([paper("Cooking Robots")], RULES, None, diagnostics)
    assert "matches no topic" in diagnostics.warnings[0].message


def test_front_matter_topics_come_first_and_unknown_ones_warn():
    diagnostics = Diagnostics()
    papers = [paper("Vision Transformer", requested_topics=("medical", "nope"))]
    index = assign_topics(papers, RULES, None, diagnostics)
    assert [topic.slug for topic in index.of_paper["vision-transformer"]] == [
        "medical",
        "transformers",
    ]
    assert "unknown topic 'nope'" in diagnostics.warnings[0].message


def test_topics_list_their_papers():
    papers = [paper("Vision Transformer A"), paper("Vision Transformer B"), paper("Medical C")]
    index = assign_topics(papers, RULES, "other", Diagnostics())
    sizes = {topic.slug: len(topic.papers) for topic in index.topics}
    assert sizes == {"transformers": 2, "medical": 1, "other": 0}


def test_a_note_names_a_topic_by_its_name_its_slug_or_its_name_in_any_script():
    """A topic with a slug of its own ("cv") or a name in another script was "unknown"
    to a note that named it: the paper lost the topic."""
    rules = (
        TopicRule("Computer Vision", "cv", "", ("image",), Location(Path("topics.yml"), 1)),
        TopicRule("視覚と言語", "vision-language", "", ("caption",), Location(Path("t"), 2)),
        TopicRule("Réseaux de neurones", "neural", "", ("neuron",), Location(Path("t"), 3)),
    )
    wanted = ("computer vision", "cv", "視覚と言語", "VISION-LANGUAGE", "reseaux-de-neurones")
    papers = [paper("Cooking Robots", requested_topics=wanted)]
    diagnostics = Diagnostics()
    index = assign_topics(papers, rules, None, diagnostics)
    assert [topic.slug for topic in index.of_paper["cooking-robots"]] == [
        "cv",
        "vision-language",
        "neural",
    ]
    assert diagnostics.warnings == []
    assign_topics([paper("Other", requested_topics=("Nope",))], rules, None, diagnostics)
    assert "unknown topic 'Nope'" in diagnostics.warnings[0].message
