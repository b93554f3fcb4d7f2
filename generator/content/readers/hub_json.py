"""The Hugging Face JSON reader (*.json): Hub API response bodies, as curl or `fetch` save them.

Three shapes are read: `/api/papers/search` and `/api/daily_papers` answer with a list of
items that hold the paper under "paper" (and, beside it, when the item was listed);
`/api/papers/{id}` answers with one paper. A list of such papers is read too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.content.readers.files import read_text
from generator.diagnostics import ContentError, Diagnostics, Location
from generator.model import Entry, Facts, Link, PaperDate
from generator.text.characters import LINE_END, describe, unwritable, writable
from generator.text.identifiers import arxiv_id


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """Every paper of a saved Hub response; an item that is not a paper is reported."""
    text = read_text(path, diagnostics, "listing")
    watch = _UnwritableWatch()
    try:
        data = json.loads(text, object_pairs_hook=watch)
    except json.JSONDecodeError as error:
        raise ContentError(
            path, error.lineno, f"not valid JSON: {error.msg} (column {error.colno})"
        ) from None
    except RecursionError:
        raise ContentError(path, 1, "JSON nested too deeply to be a Hub answer") from None
    if isinstance(data, dict) and "error" in data:
        raise ContentError(
            path, 1, f"this is an error the Hub sent, not papers: {str(data['error'])[:200]}"
        )
    if isinstance(data, dict):
        items: Iterator[tuple[Any, int]] = iter([(data, 1)])
    elif isinstance(data, list):
        watch.found = None  # said per item below
        items = _array_items(text, watch)
    else:
        raise ContentError(path, 1, "expected a list of papers or one paper (a JSON object)")
    entries = []
    for number, (item, line) in enumerate(items, start=1):
        location = Location(path, line)

        def warn(message: str, location: Location = location, number: int = number) -> None:
            diagnostics.warn(location, f"item {number} {message}")

        if watch.found is not None:
            by = "a space" if writable(watch.found) == " " else "U+FFFD"
            warn(f"holds {describe(watch.found)}: replaced by {by}")
            watch.found = None
        read = paper_facts(item, warn)
        if read is not None:
            entries.append(Entry(read[0], location, listing_id, None, read[1]))
    return entries


def paper_facts(item: Any, warn: Callable[[str], None]) -> tuple[str, Facts] | None:
    """The title and facts of one item of a Hub answer (a search or daily item, or a
    paper); None, with a warning, if it is not a paper with a title."""
    if not isinstance(item, dict):
        warn("is not a paper (a JSON object); skipped")
        return None
    nested = item.get("paper")
    paper: dict[str, Any] = nested if isinstance(nested, dict) else item
    title = _text(item.get("title")) or _text(paper.get("title"))
    if not title:
        warn("has no title; skipped")
        return None

    def note(message: str) -> None:
        warn(f"('{title[:60]}'): {message}")

    arxiv = None
    if paper.get("id") is not None:
        arxiv = arxiv_id(str(paper["id"]))
        if arxiv is None:
            note(f"'{paper['id']}' is not an arXiv id; left out")
    links = []
    for key, label in (("githubRepo", "Code"), ("projectPage", "Project page")):
        url = _text(paper.get(key))
        if url.startswith(("http://", "https://")):
            links.append(Link(label, url))
        elif url:
            note(f"{key} is not a web address; left out")
    upvotes = paper.get("upvotes")
    facts = Facts(
        abstract=_text(paper.get("summary")) or _text(item.get("summary")),
        authors=_authors(paper.get("authors"), note),
        published=_date(paper.get("publishedAt"), note),
        arxiv=arxiv,
        links=tuple(links),
        upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
    )
    return title, facts


def _authors(value: Any, warn: Callable[[str], None]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        warn("authors is not a list; left out")
        return ()
    names = [_text(author.get("name")) for author in value if isinstance(author, dict)]
    if len(names) < len(value):
        warn("an author without a name; left out")
    return tuple(name for name in names if name)


def _date(value: Any, warn: Callable[[str], None]) -> PaperDate | None:
    """publishedAt is an ISO timestamp ('2015-12-10T18:58:06.000Z'); its day is the date."""
    if value is None:
        return None
    try:
        return PaperDate.of(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        warn(f"publishedAt '{value}' is not a date; left out")
        return None


def _text(value: Any) -> str:
    """A text value on one line, with what no page may hold replaced (None: '')."""
    return " ".join(writable(value).split()) if isinstance(value, str) else ""


class _UnwritableWatch:
    """A JSON object hook that remembers the first text value holding a character no page
    may hold (an escape such as "\\u001b" or "\\ud800" makes one), so its item can be
    named in a warning; `_text` replaces such characters."""

    def __init__(self) -> None:
        self.found: str | None = None

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        for _, value in pairs:
            if self.found is None and isinstance(value, str):
                self.found = unwritable(value)
        return dict(pairs)


def _array_items(text: str, watch: _UnwritableWatch) -> Iterator[tuple[Any, int]]:
    """The elements of the top-level JSON array in `text` (already known to be valid),
    each with the line it starts on, so warnings can point at it."""
    decoder = json.JSONDecoder(object_pairs_hook=watch)
    position = text.index("[") + 1
    line, counted = 1, 0
    while True:
        position = _skip_space(text, position)
        if text[position] == "]":
            return
        value, end = decoder.raw_decode(text, position)
        line, counted = line + len(LINE_END.findall(text, counted, position)), position
        yield value, line
        position = _skip_space(text, end)
        if text[position] == ",":
            position += 1


def _skip_space(text: str, position: int) -> int:
    while text[position] in " \t\r\n":
        position += 1
    return position
