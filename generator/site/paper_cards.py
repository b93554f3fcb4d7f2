"""Paper cards and rows (templates/_cards.html), the same wherever papers are listed.

A card depends only on its paper, the depth of the page (its links are relative) and its
heading level, a row on its paper and the depth; collections show the same ones on many
pages: each is rendered once and reused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from generator.model import Paper
from generator.site.render import load_template
from generator.text.urls import Linker

# What a card or row is made from besides the paper's content: its slug, the depth of the
# page's links, the heading level (0: a row) and the row's note.
CardKey = tuple[str, str, int, str]
CARDS_TEMPLATE = "_cards.html"


class PaperCards:
    """`cards(paper, link, level)`: the card of `paper` for the page `link` makes links for."""

    def __init__(
        self,
        env: jinja2.Environment,
        topics_of: dict[str, Any],
        before: PaperCards | None = None,
        cached: Mapping[CardKey, str] | None = None,
    ) -> None:
        """`before`: the cards of the last build of the same content (serve's); the cards
        it made are reused if _cards.html is unchanged. `cached`: cards an earlier build
        of the same content and cards template made (build's, from its cache)."""
        self._env = env
        self._loaded: jinja2.Template | None = None  # loaded for the first card not made before
        self._source = _source(env, CARDS_TEMPLATE)
        self._topics_of = topics_of
        # Kept as text (each use is wrapped again: a Markup of a str is a copy), so that
        # the cache stores them as they are.
        self._made: dict[CardKey, str] = {}
        self._cached = cached or {}
        self.drawn = 0  # cards and rows rendered here, not reused
        if before is not None and before._source == self._source:
            self._made = before._made

    def made(self) -> dict[CardKey, str]:
        """Every card and row this helper has given, as text."""
        return self._made

    def __call__(self, paper: Paper, link: Linker, level: int = 3) -> Markup:
        key = (paper.slug, link.up, level, "")
        return Markup(self._made.get(key) or self._make(key, paper, link))

    def row(self, paper: Paper, link: Linker, note: str = "") -> Markup:
        """The paper as one line (title, byline, date, and a `note` such as its citation
        count): `cards.row(paper, link)`."""
        key = (paper.slug, link.up, 0, note)
        return Markup(self._made.get(key) or self._make(key, paper, link))

    def many(self, papers: Iterable[Paper], link: Linker, level: int = 3) -> Markup:
        """The cards of `papers`, a line each (`level` 0: their rows, without notes): what
        `cards(paper, link, level)` or `cards.row(paper, link)` gives for each, in one
        call, as a collection of thousands of papers lists them."""
        made, up, lines = self._made, link.up, []
        for paper in papers:
            key = (paper.slug, up, level, "")
            lines.append(made.get(key) or self._make(key, paper, link))
        return Markup("\n".join(lines))

    def _make(self, key: CardKey, paper: Paper, link: Linker) -> str:
        """The card (or row, level 0) of `key` first asked for: cached, or rendered."""
        _, _, level, note = key
        made = self._cached.get(key)
        if made is None:
            self.drawn += 1
            module: Any = self._template().module
            if level == 0:
                made = str(module.paper_row(paper, link, note))
            else:
                made = str(module.paper_card(paper, link, self._topics_of, level))
        self._made[key] = made
        return made

    def _template(self) -> jinja2.Template:
        if self._loaded is None:
            self._loaded = load_template(self._env, CARDS_TEMPLATE)
        return self._loaded


def _source(env: jinja2.Environment, name: str) -> tuple[str, str | None]:
    """The text of a template and the file it is read from."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    return source, filename
