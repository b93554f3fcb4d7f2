"""Plugins: what a site's hooks.py, an installed package or papersite itself adds to a
build, on one small typed API (`Plugin`).

A plugin is a set of optional parts, each used at one stage of the recipe: readers for
new listing formats and the note fields it reads (content), `on_config` and `on_papers`
(the catalog), page kinds, navigation, paper fields and page context (planning), template
filters and globals and Markdown extensions (rendering), and data files, made with the
catalog or (`background`) on a core of their own beside the pages. Each part flows
through the stage that uses it, so it is cached and reused by serve as that stage is.

Search, feeds and author pages are built-in plugins on this API (always on); math and
schedule are built-in plugins a site turns on (site.yml: `plugins: [math, schedule]`), as
it turns on a plugin an installed package registers in the `papersite.plugins` entry-point
group. A site's own hooks.py is always on.
"""

from __future__ import annotations

from generator.plugins.api import Content, Plugin
from generator.plugins.loading import Plugins, load_plugins, plugins_key
from generator.site.pages import PageKind, PlannedPage, SiteParts

__all__ = [
    "Content",
    "PageKind",
    "PlannedPage",
    "Plugin",
    "Plugins",
    "SiteParts",
    "load_plugins",
    "plugins_key",
]
