"""Paper cards and rows (templates/_cards.html), the same wherever papers are listed.

A card depends only on its paper, the depth of the page (its links are relative) and its
heading level, a row on its paper and the depth; collections show the same ones on many
pages: each is rendered once and reused.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from generator.model import Paper
from generator.site.render import load_template
from generator.text.urls import Linker


class PaperCards:
    """`cards(paper, link, level)`: the card of `paper` for the page `link` makes links for."""

    def __init__(
        self, env: jinja2.Environment, topics_of: dict[str, Any], before: PaperCards | None = None
    ) -> None:
        """`before`: the cards of the last build of the same content (serve's); the cards
        it made are reused if _cards.html is unchanged."""
        self._env = env
        self._loaded: jinja2.Template | None = None  # loaded for the first card not made before
        self._source = _source(env, "_cards.html")
        self._topics_of = topics_of
        self._made: dict[tuple[str, str, int, str], Markup] = {}
        if before is not None and before._source == self._source:
            self._made = before._made

    def __call__(self, paper: Paper, link: Linker, level: int = 3) -> Markup:
        key = (paper.slug, link.up, level, "")
        card = self._made.get(key)
        if card is None:
            card = self._made[key] = self._template().module.paper_card(  # type: ignore[attr-defined]
                paper, link, self._topics_of, level
            )
        return card

    def row(self, paper: Paper, link: Linker, note: str = "") -> Markup:
        """The paper as one line (title, byline, date, and a `note` such as its citation
        count): `cards.row(paper, link)`."""
        key = (paper.slug, link.up, 0, note)
        row = self._made.get(key)
        if row is None:
            made = self._template().module.paper_row(paper, link, note)  # type: ignore[attr-defined]
            row = self._made[key] = made
        return row

    def _template(self) -> jinja2.Template:
        if self._loaded is None:
            self._loaded = load_template(self._env, "_cards.html")
        return self._loaded


def _source(env: jinja2.Environment, name: str) -> tuple[str, str | None]:
    """The text of a template and the file it is read from."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    return source, filename
