"""Authors: one per distinct name across the papers, each with their papers, newest first."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from generator.catalog.topics import newest_first
from generator.model import Paper
from generator.text.slugs import slugify, unique_slugs
from generator.text.words import fold


@dataclass(frozen=True)
class Author:
    """A person named as an author of one or more papers."""

    slug: str
    name: str
    papers: tuple[Paper, ...]

    @property
    def sort_name(self) -> str:
        """Family name first, for the authors index ('He Kaiming')."""
        words = self.name.split(",")[0].split()
        return " ".join([words[-1], *words[:-1]]).casefold() if words else ""


@dataclass(frozen=True)
class AuthorIndex:
    """Authors by family name, and each paper's authors (by paper slug) in byline order."""

    authors: tuple[Author, ...]
    of_paper: dict[str, tuple[Author, ...]]


def author_key(name: str) -> str:
    """Names that differ only in accents, case or punctuation are one author (slugify
    folds accents as search does: Łukasz is Lukasz); names in other scripts are compared
    as written, never transliterated (王伟 and 汪巍 are both "wang wei" in pinyin)."""
    return slugify(name, max_length=200, transliterate=False) or name.casefold()


def index_authors(papers: list[Paper]) -> AuthorIndex:
    """Group the papers by author; an author's shown name is their most common spelling
    (ties: the one with accents, then the first in order)."""
    spellings: dict[str, Counter[str]] = {}
    members: dict[str, dict[str, Paper]] = {}
    for paper in papers:
        for name in paper.authors:
            key = author_key(name)
            spellings.setdefault(key, Counter())[name] += 1
            members.setdefault(key, {})[paper.slug] = paper
    names = {
        key: min(counts, key=lambda name: (-counts[name], -_accents(name), name))
        for key, counts in spellings.items()
    }
    slugs = unique_slugs([(key, names[key]) for key in names], empty="author")
    by_key = {
        key: Author(slugs[key], names[key], tuple(sorted(members[key].values(), key=newest_first)))
        for key in names
    }
    # Accents folded, as the letter headings file them: Åberg before Ashby, under A.
    authors = tuple(
        sorted(
            by_key.values(),
            key=lambda author: (fold(author.sort_name), author.sort_name, author.slug),
        )
    )
    of_paper = {
        paper.slug: tuple(by_key[key] for key in dict.fromkeys(map(author_key, paper.authors)))
        for paper in papers
    }
    return AuthorIndex(authors, of_paper)


def _accents(name: str) -> int:
    return sum(1 for char in unicodedata.normalize("NFKD", name) if unicodedata.combining(char))
