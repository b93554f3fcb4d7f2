"""Put papers into the topics of the taxonomy by the keywords and phrases each topic lists."""

from __future__ import annotations

from dataclasses import dataclass

from generator.diagnostics import Diagnostics
from generator.model import Paper, Topic, TopicRule
from generator.words import normalize_words

TITLE_WEIGHT = 3
MIN_SCORE = 2
MAX_TOPICS_PER_PAPER = 4


@dataclass(frozen=True)
class TopicIndex:
    """Topics in taxonomy order, and each paper's topics (by slug), best match first."""

    topics: tuple[Topic, ...]
    of_paper: dict[str, tuple[Topic, ...]]


def _phrases(words: list[str], longest: int) -> set[tuple[str, ...]]:
    return {
        tuple(words[start : start + size])
        for size in range(1, longest + 1)
        for start in range(len(words) - size + 1)
    }


def assign_topics(
    papers: list[Paper],
    rules: tuple[TopicRule, ...],
    fallback: str | None,
    diagnostics: Diagnostics,
) -> TopicIndex:
    """Score every paper against every topic; keep the strong matches (at least one each)."""
    keywords = [
        (index, tuple(normalize_words(keyword)))
        for index, rule in enumerate(rules)
        for keyword in rule.keywords
    ]
    keywords = [(index, phrase) for index, phrase in keywords if phrase]
    longest = max((len(phrase) for _, phrase in keywords), default=1)
    by_slug = {rule.slug: index for index, rule in enumerate(rules)}
    chosen: dict[str, list[int]] = {}
    for paper in papers:
        in_title = _phrases(normalize_words(paper.title), longest)
        in_abstract = _phrases(normalize_words(paper.abstract + " " + paper.notes), longest)
        scores = [0] * len(rules)
        for index, phrase in set(keywords):
            if phrase in in_title:
                scores[index] += TITLE_WEIGHT
            elif phrase in in_abstract:
                scores[index] += 1
        chosen[paper.slug] = _pick(paper, scores, by_slug, fallback, diagnostics)
    members: list[list[Paper]] = [[] for _ in rules]
    for paper in papers:
        for index in chosen[paper.slug]:
            members[index].append(paper)
    topics = tuple(
        Topic(rule.slug, rule.name, rule.description, tuple(sorted(group, key=newest_first)))
        for rule, group in zip(rules, members, strict=True)
    )
    of_paper = {slug: tuple(topics[index] for index in picks) for slug, picks in chosen.items()}
    return TopicIndex(topics, of_paper)


def _pick(
    paper: Paper,
    scores: list[int],
    by_slug: dict[str, int],
    fallback: str | None,
    diagnostics: Diagnostics,
) -> list[int]:
    explicit = []
    for slug in paper.topics:
        if slug in by_slug:
            explicit.append(by_slug[slug])
        else:
            diagnostics.warn(paper.origins[-1], f"unknown topic '{slug}' (not in topics.yml)")
    ranked = sorted(range(len(scores)), key=lambda index: (-scores[index], index))
    strong = [index for index in ranked if scores[index] >= MIN_SCORE]
    picks = explicit + [index for index in strong if index not in explicit]
    if not picks and ranked and scores[ranked[0]] > 0:
        picks = [ranked[0]]
    if not picks and fallback is not None:
        picks = [by_slug[fallback]]
    if not picks and by_slug:
        diagnostics.warn(paper.origins[0], f"'{paper.title}' matches no topic in topics.yml")
    return picks[: max(MAX_TOPICS_PER_PAPER, len(explicit))]


def newest_first(paper: Paper) -> tuple:
    """Sort key: dated papers newest first, then undated ones, each by title."""
    return (paper.date is None, -(paper.date.toordinal() if paper.date else 0), paper.title.lower())
