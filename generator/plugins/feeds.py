"""Atom feeds, a built-in plugin: the whole site's, and one per topic and per listing,
written by the theme's feed.xml (a site's templates/feed.xml replaces it)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from generator.plugins.api import Plugin
from generator.site.feeds import site_feeds
from generator.site.pages import PlannedPage, SiteParts


def feed_files(parts: SiteParts) -> Iterator[PlannedPage]:
    feeds = site_feeds(parts.config, parts.papers, parts.topics.topics, parts.listing_members)
    for path, feed in feeds.items():
        yield PlannedPage(path, "feed.xml", functools.partial(dict, feed=feed))


PLUGIN = Plugin("feeds", page_kinds=(feed_files,))
