"""The citation graph's pages, a built-in plugin: the papers missing from the collection
and their feed, and a link to them in the header, when content/citations.json exists.
(Paper pages show each paper's citations and collections offer "Most cited" themselves.)"""

from __future__ import annotations

from collections.abc import Iterator

from generator.plugins.api import Plugin
from generator.site.pages import SiteParts, missing_papers
from generator.text.urls import MISSING


def _nav(parts: SiteParts) -> Iterator[tuple[str, str]]:
    if parts.graph.fetched is not None:
        yield ("Missing", MISSING)


PLUGIN = Plugin("graph", page_kinds=(missing_papers,), nav=_nav)
