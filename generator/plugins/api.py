"""The plugin API: `Plugin`, the parts a plugin may have, and what they are given."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from generator.catalog.topics import TopicIndex
from generator.content.readers import Reader
from generator.diagnostics import Diagnostics
from generator.engine.cache import BuildCache
from generator.model import Paper, SiteConfig
from generator.site.pages import PageKind, SiteParts


@dataclass(frozen=True)
class Content:
    """The content read and sorted: configuration, papers, topics (what search needs)."""

    config: SiteConfig
    papers: list[Paper]
    topics: TopicIndex
    diagnostics: Diagnostics


@dataclass(frozen=True)
class Plugin:
    """What a plugin adds to a build; every part is optional. In the order they are used:

    - `readers`: listing formats by file extension (".csv": a function of the file's path,
      the listing's id and a Diagnostics, returning its Entries), read from content/listings
      as the built-in .txt, .json and .bib are.
    - `note_fields`: front matter keys of content/papers/*.md the plugin reads (as text:
      `discussed: 2024-03-14` is paper.field("discussed") == "2024-03-14").
    - `on_config(config)`: the SiteConfig, changed or as it is.
    - `on_papers(papers, diagnostics)`: the papers once merged, before topics and search;
      the list, changed or as it is; warnings go to `diagnostics`.
    - `page_kinds`: functions of the SiteParts that yield `PlannedPage`s (a path, its
      layout, a function giving its context); pages come after the built-in ones.
    - `nav(parts)`: (label, path) links the header adds after Papers and Topics.
    - `paper_fields(paper)`: (label, text) lines a paper page shows under its dates.
    - `page_context(path, parts)`: more context for the page at `path` ({} for most).
    - `filters`, `template_globals`: what every template may use, by name.
    - `markdown(md)`: changes the markdown-it-py parser (md.use(a plugin), ...); the HTML
      it makes is remembered by the Markdown's hash and this plugin's identity.
    - `data_files(parts)`: more files of the site, by path, made with the catalog.
    - `background(content, cache)`: files made on a core of their own while the pages are
      rendered (the search index is one). They must follow from the content alone (what
      the build's content fingerprint hashes: content/, hooks.py, the plugins' versions):
      a build of the same content keeps the last build's as they are.
    """

    name: str
    readers: Mapping[str, Reader] = field(default_factory=dict)
    note_fields: tuple[str, ...] = ()
    on_config: Callable[[SiteConfig], SiteConfig] | None = None
    on_papers: Callable[[list[Paper], Diagnostics], list[Paper]] | None = None
    page_kinds: tuple[PageKind, ...] = ()
    nav: Callable[[SiteParts], Iterable[tuple[str, str]]] | None = None
    paper_fields: Callable[[Paper], Iterable[tuple[str, str]]] | None = None
    page_context: Callable[[str, SiteParts], Mapping[str, Any]] | None = None
    filters: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    markdown: Callable[[MarkdownIt], None] | None = None
    data_files: Callable[[SiteParts], Mapping[str, bytes]] | None = None
    background: Callable[[Content, BuildCache], Mapping[str, bytes]] | None = None


# The parts a hooks.py may define at its top level, by the name of the Plugin's field.
PARTS = tuple(name for name in Plugin.__dataclass_fields__ if name != "name")
