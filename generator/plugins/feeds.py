"""Atom feeds, a built-in plugin: the whole site's, and one per topic and per listing."""

from __future__ import annotations

from generator.plugins.api import Plugin
from generator.site.feeds import site_feeds
from generator.site.pages import SiteParts


def _feeds(parts: SiteParts) -> dict[str, bytes]:
    return site_feeds(parts.config, parts.papers, parts.topics.topics)


PLUGIN = Plugin("feeds", data_files=_feeds)
