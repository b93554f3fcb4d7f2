"""Author pages, a built-in plugin: an index of every author and a collection for each."""

from __future__ import annotations

from collections.abc import Iterator

from generator.plugins.api import Plugin
from generator.site.pages import SiteParts, author_pages, authors_index
from generator.text.urls import AUTHORS


def _nav(parts: SiteParts) -> Iterator[tuple[str, str]]:
    if parts.authors.authors:
        yield ("Authors", AUTHORS)


PLUGIN = Plugin("authors", page_kinds=(authors_index, author_pages), nav=_nav)
