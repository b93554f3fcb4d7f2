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
from generator.site.urls import Linker


class Cards:
    """`cards(paper, link, level)`: the card of `paper` for the page `link` makes links for."""

    def __init__(self, env: jinja2.Environment, topics_of: dict[str, Any]) -> None:
        self._template = load_template(env, "_cards.html")
        self._topics_of = topics_of
        self._made: dict[tuple[str, str, int], Markup] = {}

    def __call__(self, paper: Paper, link: Linker, level: int = 3) -> Markup:
        key = (paper.slug, link.up, level)
        card = self._made.get(key)
        if card is None:
            card = self._made[key] = self._template.module.paper_card(  # type: ignore[attr-defined]
                paper, link, self._topics_of, level
            )
        return card

    def row(self, paper: Paper, link: Linker) -> Markup:
        """The paper as one line (title, byline, date): `cards.row(paper, link)`."""
        key = (paper.slug, link.up, 0)
        row = self._made.get(key)
        if row is None:
            row = self._made[key] = self._template.module.paper_row(paper, link)  # type: ignore[attr-defined]
        return row
