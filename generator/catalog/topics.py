"""Put papers into the topics of the taxonomy by the keywords and phrases each topic lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import Diagnostics
from generator.model import Paper, Topic, TopicRule
from generator.text.identifiers import title_spelling
from generator.text.slugs import slugify
from generator.text.words import normalize_words

TITLE_WEIGHT = 3
MIN_SCORE = 2
MAX_TOPICS_PER_PAPER = 4


@dataclass(frozen=True)
class TopicIndex:
    """Topics in taxonomy order, and each paper's topics (by slug), best match first."""

    topics: tuple[Topic, ...]
    of_paper: dict[str, tuple[Topic, ...]]


class _PhraseFinder:
    """Finds which keyword phrases occur in a text, looking phrases up by their first word."""

    def __init__(self, keywords: set[tuple[int, tuple[str, ...]]]) -> None:
        self._by_first_word: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for topic, phrase in sorted(keywords):
            self._by_first_word.setdefault(phrase[0], []).append((topic, phrase))

    def find(self, text: str) -> set[tuple[int, tuple[str, ...]]]:
        words = normalize_words(text)
        found = set()
        for start, word in enumerate(words):
            for topic, phrase in self._by_first_word.get(word, ()):
                if len(phrase) == 1 or tuple(words[start : start + len(phrase)]) == phrase:
                    found.add((topic, phrase))
        return found


def topic_scores(papers: list[Paper], rules: tuple[TopicRule, ...]) -> list[list[int]]:
    """How strongly each paper matches each topic: TITLE_WEIGHT for every keyword phrase
    in its title, 1 for every other one in its abstract or notes."""
    keywords = [
        (index, tuple(normalize_words(keyword)))
        for index, rule in enumerate(rules)
        for keyword in rule.keywords
    ]
    finder = _PhraseFinder({(index, phrase) for index, phrase in keywords if phrase})
    all_scores = []
    for paper in papers:
        in_title = finder.find(paper.title)
        in_abstract = finder.find(paper.abstract + " " + paper.notes) - in_title
        scores = [0] * len(rules)
        for index, _ in in_title:
            scores[index] += TITLE_WEIGHT
        for index, _ in in_abstract:
            scores[index] += 1
        all_scores.append(scores)
    return all_scores


def assign_topics(
    papers: list[Paper],
    rules: tuple[TopicRule, ...],
    fallback: str | None,
    diagnostics: Diagnostics,
    scores: list[list[int]] | None = None,
) -> TopicIndex:
    """Score every paper against every topic (unless `scores` are given); keep the strong
    matches, and the topics a paper names itself (at least one each)."""
    if scores is None:
        scores = topic_scores(papers, rules)
    by_slug = {rule.slug: index for index, rule in enumerate(rules)}
    by_name = _topic_names(rules)
    chosen = {
        paper.slug: _pick(paper, paper_scores, by_slug, by_name, fallback, diagnostics)
        for paper, paper_scores in zip(papers, scores, strict=True)
    }
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


def _topic_names(rules: tuple[TopicRule, ...]) -> dict[str, int]:
    """Every way a note may name a topic, folded: its slug, its name (in any script, with
    any case, accents or spacing), and the slug its name would make."""
    names: dict[str, int] = {}
    for index, rule in enumerate(rules):
        for name in (rule.slug, rule.name, slugify(rule.name)):
            names.setdefault(_folded(name), index)
    return names


def _folded(name: str) -> str:
    """A topic's name as notes may write it: case, accents, spacing and dashes aside."""
    return " ".join(re.sub(r"[_-]+", " ", title_spelling(name)).split())


def _pick(
    paper: Paper,
    scores: list[int],
    by_slug: dict[str, int],
    by_name: dict[str, int],
    fallback: str | None,
    diagnostics: Diagnostics,
) -> list[int]:
    explicit = []
    for named in paper.requested_topics:
        index = by_name.get(_folded(named), by_name.get(_folded(slugify(named))))
        if index is not None and index not in explicit:
            explicit.append(index)
        elif index is None:
            diagnostics.warn(
                paper.origins[-1],
                f"unknown topic '{named}' (not a name or slug in topics.yml)",
            )
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


def newest_first(paper: Paper) -> tuple[Any, ...]:
    """Sort key: papers with a publication date newest first, then the others, each by
    title (then slug: no two papers tie). Only real dates count: a listing's date says
    when a paper was listed."""
    published = paper.published.key if paper.published else (0, 0, 0)
    return (
        paper.published is None,
        tuple(-part for part in published),
        paper.title.lower(),
        paper.slug,
    )
