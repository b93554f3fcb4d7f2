"""BibTeX keys, unique across the site, in Google Scholar's style ("he2016deep")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from generator.diagnostics import Diagnostics, Location
from generator.model import Paper
from generator.text.words import fold

# Words Google Scholar skips when it picks the title word of a key ("he2016deep").
_KEY_STOP_WORDS = frozenset(
    "a an and are as at by do does for from in is of on or the to via with".split()
)


def cite_keys(papers: list[Paper], diagnostics: Diagnostics | None = None) -> dict[str, str]:
    """A BibTeX key per paper (by slug). A paper from the user's .bib keeps that entry's
    key (every \\cite of it must still work); the others get Google Scholar's style (family
    name of the first author, year, first title word: "he2016deep"), with "a", "b"...
    added to keys that several papers would share or a .bib already uses. Which paper
    keeps a plain key depends only on the set of papers (their title keys), never on
    file order."""
    keys: dict[str, str] = {}
    owners: dict[str, Paper] = {}
    for paper in sorted(papers, key=lambda paper: paper.key):
        if paper.bib is None:
            continue
        owner = owners.setdefault(paper.bib.key.casefold(), paper)
        if owner is paper:
            keys[paper.slug] = paper.bib.key
        elif diagnostics is not None:  # BibTeX keys are the same whatever their case
            diagnostics.warn(
                paper.origins[0] if paper.origins else Location(Path("content")),
                f"key '{paper.bib.key}' is also the key of '{owner.title}'; this paper "
                "gets a key of its own",
            )
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        if paper.slug not in keys:
            groups.setdefault(_base_key(paper), []).append(paper)
    used = set(groups) | set(owners)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda paper: paper.key)
        suffixes = _suffixes()
        if base.casefold() not in owners:
            keys[members.pop(0).slug] = base
        for paper in members:
            key = base + next(suffixes)
            while key in used:
                key = base + next(suffixes)
            used.add(key)
            keys[paper.slug] = key
    return keys


def _base_key(paper: Paper) -> str:
    """Family name + year + first title word; with only a title, its first three words
    (a key made of one common word would be shared by many papers)."""
    words = [
        word
        for word in re.findall(r"[a-z0-9]+", _ascii(paper.title).lower())
        if word not in _KEY_STOP_WORDS
    ]
    family = _family_name(paper.authors[0]) if paper.authors else ""
    year = str(paper.published.year) if paper.published else ""
    key = family + year + "".join(words[:1] if family or year else words[:3])
    return key or "paper" + re.sub(r"[^a-z0-9]", "", paper.slug)


def _family_name(name: str) -> str:
    """The family name as a key part: the last word before any ", Jr", ASCII letters only."""
    main = name.split(",")[0].split()
    return re.sub(r"[^a-z]", "", _ascii(main[-1]).lower()) if main else ""


def _suffixes() -> Iterator[str]:
    """a, b, ..., z, aa, ab, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    width = 1
    while True:
        for number in range(len(letters) ** width):
            digits = []
            for _ in range(width):
                number, rest = divmod(number, len(letters))
                digits.append(letters[rest])
            yield "".join(reversed(digits))
        width += 1


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode("ascii")
