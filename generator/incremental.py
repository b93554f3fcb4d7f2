"""What lets a rebuild skip work: the cached stages.

Each stage result is stored in the content-hash cache under a key made of everything
that decides it (the whole build is skipped by manifest.py's no-change check).
"""

from __future__ import annotations

import os
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import jinja2
import jinja2.bccache

from generator.catalog.related import find_related
from generator.catalog.topics import TopicIndex, assign_topics, topic_scores
from generator.content.listings import read_listings
from generator.content.readers import READERS, Reader
from generator.diagnostics import Diagnostics
from generator.engine.cache import BuildCache, digest
from generator.engine.collector import collector_paused
from generator.engine.parallel import worker_count
from generator.model import Entry, Paper, SiteConfig
from generator.search.index import SearchFiles, build_search, search_inputs, self_test
from generator.site.pages import PaperTexts, SitePlan
from generator.site.paper_cards import CARDS_TEMPLATE, CardKey
from generator.site.render import MarkdownOptions, MarkdownRenderer, template_sources
from generator.site.social import CardText, draw_cards

# Forking for related papers pays only for large collections: 433 papers take 0.05 s in
# one process and 0.065 s in two; 10,000 take 2.9 s in one and 2.0-2.4 s in two.
RELATED_PER_WORKER = 1_000
# Where a theme's compiled templates are kept beside it (a folder git and packaging skip,
# and the fingerprint of template folders too), and how their keys are told apart.
SHARED, THEME_KEY = "__pycache__", "theme-"


def parse_cached(
    config: SiteConfig,
    diagnostics: Diagnostics,
    cache: BuildCache,
    readers: Mapping[str, Reader] = READERS,
    readers_key: str = "",
) -> list[Entry]:
    """Listings parsed before (same bytes, same place, same readers: `readers_key` names
    the plugins' code) come from the cache, warnings too."""
    entries: list[Entry] = []
    used = set()
    for listing in config.listings:
        read = listing.path.read_bytes()
        key = cache.key("parse", str(listing.path), listing.id, readers_key, read)
        used.add(key)
        cached = cache.load("parse", key)
        if cached is None:
            found = Diagnostics()
            cached = (read_listings((listing,), found, readers), found.warnings)
            cache.store("parse", key, cached)
        entries.extend(cached[0])
        diagnostics.warnings.extend(cached[1])
    cache.retain("parse", used)
    return entries


def topics_cached(
    papers: list[Paper], config: SiteConfig, diagnostics: Diagnostics, cache: BuildCache
) -> TopicIndex:
    """Topics, with each paper's keyword scores from the cache when its text and the
    taxonomy are unchanged (the choice, and its warnings, are made again every time)."""
    key = cache.key(
        "topics",
        repr([(rule.slug, rule.keywords) for rule in config.taxonomy]),
        *(f"{p.title}\0{p.abstract}\0{p.notes}" for p in papers),
    )
    scores = cache.load("topics", key)
    if scores is None:
        scores = topic_scores(papers, config.taxonomy)
        cache.replace_kind("topics", key, scores)
    return assign_topics(papers, config.taxonomy, config.fallback_topic, diagnostics, scores)


def related_cached(papers: list[Paper], cache: BuildCache) -> dict[str, tuple[Paper, ...]]:
    key = cache.key("related", *(f"{p.slug}\0{p.title}\0{p.abstract}" for p in papers))
    by_slug = {paper.slug: paper for paper in papers}
    cached = cache.load("related", key)
    if cached is None:
        related = find_related(papers, worker_count(len(papers), RELATED_PER_WORKER))
        cache.replace_kind("related", key, {s: [p.slug for p in r] for s, r in related.items()})
        return related
    return {slug: tuple(by_slug[other] for other in others) for slug, others in cached.items()}


def cached_search(
    papers: list[Paper], topics: TopicIndex, config: SiteConfig, cache: BuildCache
) -> SearchFiles:
    """The search index; one found in the cache passed the same self-test when made."""
    key = cache.key("search", search_inputs(papers, topics, config))
    search = cache.load("search", key)
    if search is None:
        with collector_paused():  # 10,000 papers: 8.2 s, 11.5 s with the collector
            search, _ = build_search(papers, topics, config)
        self_test(search, papers, config.search_checks)
        cache.replace_kind("search", key, search)
    return search


class MarkdownStore(Protocol):
    """Where each render share finds the HTML of Markdown converted before: `renderer(n)`
    for share n (in the parent, or in a forked worker), `keep(n, renderer)` after it has
    rendered (in the same process), `done(workers)` once all shares are in."""

    def renderer(self, number: int) -> MarkdownRenderer: ...

    def keep(self, number: int, renderer: MarkdownRenderer) -> None: ...

    def done(self, workers: int) -> None: ...


class CachedMarkdown:
    """The build's Markdown store: one cache entry a share (each render process caches
    its own share, so nothing large travels between processes), salted like every key so
    HTML made by another papersite or markdown-it-py version is never reused."""

    def __init__(self, cache: BuildCache, options: MarkdownOptions) -> None:
        self._cache, self._options = cache, options
        self._kind = f"markdown-{int(options.raw_html)}"
        self._prefix = cache.key(self._kind, options.key)[:16] + "-"
        names = cache.names(self._kind, self._prefix)
        # The HTML each share converted last time, by share name.
        self.shares = {name: cache.load(self._kind, name) or {} for name in names}
        self._remembered = {k: html for share in self.shares.values() for k, html in share.items()}

    def renderer(self, number: int) -> MarkdownRenderer:
        return MarkdownRenderer(self._options, self._remembered)

    def keep(self, number: int, renderer: MarkdownRenderer) -> None:
        """Cache exactly the pages this share converted (or reused), unless that is what
        the cache already holds for it."""
        name = self._prefix + str(number)
        previous = self.shares.get(name, {})
        if renderer.converted or renderer.remembered.keys() != previous.keys():
            self._cache.store(self._kind, name, renderer.remembered)

    def done(self, workers: int) -> None:
        self._cache.retain(self._kind, {self._prefix + str(n) for n in range(workers)})


class MemoryMarkdown:
    """serve's Markdown store: one renderer kept in memory from one rebuild to the next
    (serve renders in one process)."""

    def __init__(self, options: MarkdownOptions) -> None:
        self.options = options
        self._renderer = MarkdownRenderer(options)

    def renderer(self, number: int) -> MarkdownRenderer:
        return self._renderer

    def keep(self, number: int, renderer: MarkdownRenderer) -> None:
        self._renderer = renderer

    def done(self, workers: int) -> None:
        pass


class CompiledTemplates(jinja2.BytecodeCache):
    """Each template as the last build compiled it (Jinja's bytecode), while its source is
    the same: a build's render processes, and serve after a template edit, compile only
    the templates that changed (compiling the theme's took 0.08 s a process). One entry a
    template file (so the cache does not grow with each change of papersite or of the
    plugins), holding the checksum of the source it was compiled from (Jinja checks it)
    and what else decided the code: the plugins (`plugins_key`: Jinja computes a filter
    applied to a literal while it compiles, so an edited filter of hooks.py changes the
    code), the environment's filters and tests and how each is called (one that takes the
    context is called differently), and the salt of every key (papersite's code, Jinja's
    version). Anything else, or anything damaged, is compiled again.

    The `theme`'s templates compile the same in every site: they are kept beside the theme
    too, in its __pycache__ (as Python keeps a module's bytecode; nothing is kept where it
    cannot be written), so a new site's first build compiles none of them (0.13 s of a
    small site's 0.21 s). There, an entry a template and what decided its code (sites
    with other plugins do not take turns replacing each other's), and only those of this
    papersite and Jinja (the salt) are kept. A site whose plugins are not all papersite's
    own (hooks.py, an installed plugin) passes no `theme`: each edit of its hooks.py
    would add entries there."""

    def __init__(self, cache: BuildCache, plugins_key: str, theme: Path | None = None) -> None:
        self._cache, self._plugins = cache, plugins_key
        self._theme = None if theme is None else str(theme) + os.sep
        self._shared_cache = None if theme is None else BuildCache(theme / SHARED)
        self._era = cache.key("templates")[:16] + "-"  # the salt's: this papersite's entries
        self._pruned = False

    def held(self) -> int:
        """How many compiled templates the site's cache and the theme's hold (the theme's
        of this papersite, for any set of plugins): a rough count, to tell a cold cache."""
        count = len(self._cache.names("templates", ""))
        if self._shared_cache is not None:
            count += len(self._shared_cache.names("templates", self._era))
        return count

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = digest("templates", super().get_cache_key(name, filename))
        if self._theme is not None and filename and filename.startswith(self._theme):
            return THEME_KEY + key
        return key

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        decided_by = self._decided_by(bucket.environment)
        if self._load(self._cache, bucket.key, bucket, decided_by):
            return
        shared = self._shared(bucket.key, decided_by)
        if shared is not None and self._load(shared[0], shared[1], bucket, decided_by):
            self._store(self._cache, bucket.key, bucket, decided_by)  # the site's, next time

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        decided_by = self._decided_by(bucket.environment)
        self._store(self._cache, bucket.key, bucket, decided_by)
        shared = self._shared(bucket.key, decided_by)
        if shared is not None and self._store(*shared, bucket, decided_by) and not self._pruned:
            self._pruned = True  # what other versions of papersite or Jinja compiled goes
            shared[0].retain("templates", set(shared[0].names("templates", self._era)))

    def _shared(self, key: str, decided_by: str) -> tuple[BuildCache, str] | None:
        """Where the theme keeps the template of `key` compiled so: its cache and name."""
        if self._shared_cache is None or not key.startswith(THEME_KEY):
            return None
        return self._shared_cache, self._era + digest(key, decided_by)

    @staticmethod
    def _load(cache: BuildCache, name: str, bucket: jinja2.bccache.Bucket, decided_by: str) -> bool:
        stored = cache.load("templates", name)
        if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], bytes)):
            return False
        if stored[0] != decided_by:
            return False
        try:
            bucket.bytecode_from_string(stored[1])
        except Exception:  # damaged in any way: compiled again, never believed
            bucket.reset()
        if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
            bucket.reset()
        return bucket.code is not None

    @staticmethod
    def _store(
        cache: BuildCache, name: str, bucket: jinja2.bccache.Bucket, decided_by: str
    ) -> bool:
        return cache.store("templates", name, (decided_by, bucket.bytecode_to_string()))

    def _decided_by(self, env: jinja2.Environment) -> str:
        calls = "\n".join(
            f"{kind} {name} {getattr(table[name], 'jinja_pass_arg', '')}"
            for kind, table in (("filter", env.filters), ("test", env.tests))
            for name in sorted(table)
        )
        return self._cache.key("templates", self._plugins, calls)


def social_cards_cached(texts: dict[str, CardText], cache: BuildCache) -> dict[str, bytes]:
    """Every social card: drawn ones come from the cache when their text is the same."""
    name = cache.key("cards")
    made = cache.load("cards", name) or {}
    before = len(made)
    cards = draw_cards(texts, made)
    used = {text.key for text in texts.values()}
    if len(made) != before or len(used) != len(made):
        cache.replace_kind("cards", name, {key: made[key] for key in used})
    return cards


class ComposedCache:
    """What a build gives the layouts that no layout decides, kept for the next build of
    the same content: each page's Markdown (reused while the Markdown templates and all
    they are made of are the same), the paper cards and rows (while _cards.html and all
    it is made of are) and the paper pages' texts (`PaperTexts`: always). A build after a
    layout edit then renders only the layouts.

    One cache entry of each a render share, written by the process that rendered the
    share (as CachedMarkdown's): the same content makes the same pages, so share n holds
    what process n will ask for next time, and nothing large travels between processes.
    """

    def __init__(
        self, cache: BuildCache, content_key: str, env: jinja2.Environment, markdown: list[str]
    ) -> None:
        self._cache = cache
        self._prefixes: dict[str, str | None] = {}
        made_of: list[tuple[str, list[str]]] = [
            ("page-markdown", markdown),
            ("card-html", [CARDS_TEMPLATE]),
            ("paper-texts", []),  # nothing but the content
        ]
        keys: dict[str, str | None] = {}
        for kind, names in made_of:
            sources = template_sources(env, names)
            keys[kind] = None if sources is None else cache.key(kind, content_key, *sources)
            self._prefixes[kind] = None if keys[kind] is None else f"{keys[kind]:.16}-"
        # What decides every page's Markdown (None: unknown), so the bytes of its Markdown
        # twin: the same key makes the same twins.
        self.markdown_key = keys["page-markdown"]
        self._loaded: dict[str, dict[int, int]] = {kind: {} for kind in self._prefixes}

    def _load(self, kind: str, number: int) -> dict[object, str]:
        prefix = self._prefixes[kind]
        found = self._cache.load(kind, prefix + str(number)) if prefix else None
        value = found if isinstance(found, dict) else {}
        self._loaded[kind][number] = len(value)
        return value

    def markdown(self, number: int) -> dict[str, str]:
        """The Markdown of the pages share `number` composed last time, by path."""
        return self._load("page-markdown", number)  # type: ignore[return-value]

    def cards(self, number: int) -> dict[CardKey, str]:
        """The cards and rows share `number` showed last time."""
        return self._load("card-html", number)  # type: ignore[return-value]

    def texts(self, number: int) -> dict[str, PaperTexts]:
        """The texts of the paper pages share `number` composed last time, by path."""
        return self._load("paper-texts", number)  # type: ignore[return-value]

    def keep(self, number: int, plan: SitePlan, markdown: dict[str, str]) -> None:
        """Cache what share `number` used (`markdown`: its pages' Markdown, by path), unless
        the cache holds exactly that already."""
        cards = plan.paper_cards
        for kind, value, made in (
            ("page-markdown", markdown, plan.rendered_markdown),
            ("card-html", cards.made(), cards.drawn),
            ("paper-texts", plan.paper_texts or {}, plan.made_texts),
        ):
            prefix = self._prefixes[kind]
            if prefix and (made or self._loaded[kind].get(number) != len(value)):
                self._cache.store(kind, prefix + str(number), value)

    def done(self, workers: int) -> None:
        for kind, prefix in self._prefixes.items():
            self._cache.retain(kind, {f"{prefix}{n}" for n in range(workers)} if prefix else set())
