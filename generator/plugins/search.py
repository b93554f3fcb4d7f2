"""Search, a built-in plugin: the search page, and the index the browser queries, built
(or found in the cache) on a core of its own while the pages are rendered."""

from __future__ import annotations

from generator.engine.cache import BuildCache
from generator.incremental import cached_search
from generator.plugins.api import Content, Plugin
from generator.search.index import lunr_js
from generator.site.pages import search_page


def search_files(content: Content, cache: BuildCache) -> dict[str, bytes]:
    """The search index (built, or found in the cache) and lunr.js for the browser."""
    search = cached_search(content.papers, content.topics, content.config, cache)
    return search.files() | {"assets/lunr.js": lunr_js()}


PLUGIN = Plugin("search", page_kinds=(search_page,), background=search_files)
