"""The recipe build, deploy and serve run: `SiteBuilder.run` reads top to bottom as the stages.

content (read_content: config, listings, notes, metadata -> papers -> topics)
  -> search index (on a core of its own) and catalog (related papers, authors, feeds)
  -> plan (every page and its social card) -> pages (composed, rendered, written on
  every core) and social cards -> data files, theme assets, the sitemap.

`serve` runs the same recipe after each edit with the `Change` the edit made, and the
recipe redoes only the stages that change reaches. What each stage caches between builds
lives behind it (incremental.py), not here.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from generator.catalog.authors import index_authors
from generator.catalog.graph import citation_graph
from generator.catalog.papers import merge
from generator.content.citations import read_citations
from generator.content.config import load_config, plugin_names
from generator.content.metadata import read_metadata
from generator.content.notes import read_free_pages, read_notes
from generator.content.templates import (
    COLLECTION_MARKDOWN,
    OLD_COLLECTION_MARKDOWN,
    collection_markdown,
    template_dirs,
)
from generator.diagnostics import ContentWarning, Diagnostics, Location, StrictModeError
from generator.engine.cache import BuildCache
from generator.engine.collector import collector_paused
from generator.engine.parallel import Background, run_tasks, worker_count
from generator.engine.progress import Progress
from generator.incremental import (
    SHARED,
    CachedMarkdown,
    CompiledTemplates,
    ComposedCache,
    MarkdownStore,
    MemoryMarkdown,
    parse_cached,
    related_cached,
    social_cards_cached,
    topics_cached,
)
from generator.model import SiteConfig
from generator.plugins import Content, Plugins, load_plugins
from generator.site.downloads import site_downloads
from generator.site.feeds import undated_listings
from generator.site.output import Writer, Written
from generator.site.pages import PlannedPage, SiteParts, SitePlan
from generator.site.render import (
    MarkdownOptions,
    SiteEnvironment,
    compile_ahead,
    make_environment,
    markdown_path,
    render_pages,
)
from generator.site.social import CardText

T = TypeVar("T")
# Files by kind ("search", "cards"), each with its size and time (`Written.state`).
Kept = Mapping[str, Mapping[str, tuple[int, int]]]
# The Markdown twins a build left: the key they were made with (SiteBuilder.twins_key),
# and every file of that build with its size and time.
Twins = tuple[str, Mapping[str, tuple[int, int]]]


class Change(enum.Enum):
    """What an edit touched, the most work first. Each redoes its stage and all after it,
    and reuses what the stages before it made last time (serve passes it; build and deploy
    always start from CONTENT)."""

    CONTENT = "content"  # everything
    TEMPLATES = "templates"  # pages, cards and assets; reuses papers, topics, search
    LAYOUTS = "layouts"  # only .html templates: as TEMPLATES, reusing each composed page
    ASSETS = "assets"  # only files in templates/assets: the pages are kept as they are
    STYLES = "styles"  # only stylesheets: as ASSETS, and browsers swap them without a reload

    def reaches(self, stage: Change) -> bool:
        """Whether this change redoes `stage` (every stage from its own on)."""
        order = list(Change)
        return order.index(self) <= order.index(stage)


@dataclass(frozen=True)
class Preview:
    """serve's hooks, to show what a rebuild has made before it ends. Whenever pages are
    rendered again, the `open_pages` (those its browsers have open) are rendered before
    the rest and given to `first_pages` with what else is known to be current: after a
    layout edit, every file but an HTML page is as it was (`keep_previous`); after any
    other edit, the theme assets and data files are given with them. After a content
    edit, `all_but_search` is called once every file is written but the search index
    (made last: it is what a rebuild in serve's one process spends most on); if a newer
    edit came by then (`superseded`), the run stops there with `Superseded` (the next run
    makes the index, from the content)."""

    open_pages: frozenset[str]
    first_pages: Callable[[dict[str, bytes], bool], None]
    all_but_search: Callable[[], None]
    superseded: Callable[[], bool] = lambda: False


class Superseded(Exception):
    """A run that stopped before its search index was made: a newer edit came (the next
    run starts from the content)."""


@dataclass(frozen=True)
class Catalog:
    """Everything the content decides, before any template is involved: what the pages
    are made from, the data files (.bib and CSL-JSON downloads, CNAME) and the content's
    warnings."""

    parts: SiteParts
    data_files: dict[str, bytes]
    content_warnings: tuple[ContentWarning, ...]

    @property
    def warnings(self) -> tuple[ContentWarning, ...]:
        """The content's warnings, and those of the site's templates as they are now."""
        return self.content_warnings + template_warnings(self.parts.config)


class SiteBuilder:
    """The recipe: `build`, `deploy` and `serve` all make a site with `run`.

    A builder remembers what each stage made, so that the next `run` can start from the
    stage a change reaches (serve keeps one builder; build makes one per build). A
    `preview` builder (serve's) keeps its Markdown in memory rather than in the cache.
    """

    def __init__(
        self,
        root: Path,
        base_url: str | None = None,
        strict: bool = False,
        progress: Progress | None = None,
        preview: bool = False,
        content_key: str | None = None,
    ) -> None:
        self.root, self.base_url, self.strict, self.preview = root, base_url, strict, preview
        self.content_key = content_key  # a hash of the content, when the caller made one
        self.progress = progress or Progress()
        self.cache = BuildCache.for_site(root)
        self.catalog: Catalog | None = None
        self.plan: SitePlan | None = None
        self.search: dict[str, bytes] = {}
        # The last run's search files or social cards were written by the processes that
        # made them (their bytes never reached this one): the next run starts from content.
        self.wrote_apart = False
        self.social_card_texts: dict[str, CardText] | None = None
        # The files of each kind made from the content alone (the search files, the social
        # cards) that the last run that made pages wrote or kept (build records them for
        # the next build), and those the run under way may keep.
        self.apart: dict[str, list[str]] = {}
        self._kept: Kept = {}
        # What decided the Markdown twins of the last run that made pages (None: unknown),
        # and the twins the last build left (the key they were made with, and each file's
        # size and time): a twin made with the same key and found so is not read back.
        self.twins_key: str | None = None
        self._twins: Twins | None = None
        self.social_cards: dict[str, bytes] = {}  # drawn from social_card_texts
        self.markdown: MemoryMarkdown | None = None
        self.plugins: Plugins | None = None  # loaded again by each run from content
        # The content whose search index a run stopped by a newer edit did not make.
        self.unsearched: Content | None = None
        # The last Jinja environment, and the state of the template files and the plugins
        # it was made with.
        self._env: tuple[list[tuple[str, int, int]], str, SiteEnvironment] | None = None
        # The process compiling the templates while the content is read (_compile_apart).
        self._compiling: Background | None = None

    def run(
        self,
        writer: Writer,
        change: Change = Change.CONTENT,
        preview: Preview | None = None,
        kept: Kept | None = None,
        twins: Twins | None = None,
    ) -> Written:
        """Make the site into `writer`, redoing the stages `change` reaches; what was
        written (every path of the site). `preview` is shown what is ready before the
        end. `kept`: the files of each kind made from the content alone that the writer's
        folder holds as a build of this same content left them (with their size and
        time): they are kept rather than made again. `twins`: the Markdown twins the
        writer's folder holds (see `twins_key`)."""
        if self.catalog is None or self.plan is None or self.plugins is None or self.wrote_apart:
            change = Change.CONTENT  # nothing to reuse yet
        elif self.unsearched is not None and not change.reaches(Change.LAYOUTS):
            change = Change.LAYOUTS  # the last run's pages were never served whole
        self._kept, self.apart, self._twins = dict(kept or {}), {}, twins
        try:
            return self._run(writer, change, preview)
        except Superseded:
            raise  # all but the search index is made: the next run makes it
        except BaseException:
            self.catalog = self.plan = self.plugins = None  # half-made: start from content
            raise

    def _run(self, writer: Writer, change: Change, preview: Preview | None) -> Written:
        progress, cache = self.progress, self.cache
        searching: Background | None = None
        search_apart: Written | None = None
        rest: dict[str, bytes] | None = None  # every file but the pages (site_files)
        try:
            if change.reaches(Change.CONTENT):
                self.wrote_apart = False
                plugins = self.plugins = load_plugins(self.root, plugin_names(self.root))
                self._compiling = self._compile_apart(plugins)
                made = self._content()
                content = (
                    made[0]
                    if made
                    else read_content(self.root, self.base_url, progress, cache, plugins)
                )
                if self.strict and content.diagnostics.warnings:
                    raise StrictModeError(tuple(content.diagnostics.warnings))
                # The index needs only papers and topics: built on a core of its own from
                # here, with whatever else the plugins make beside the pages (and written
                # there, when the writer can); or kept, made from this content before.
                self.unsearched = None
                if made is not None:  # (a theme asset in the place of a kept file: made)
                    self.catalog = _with_templates(made[1], self.root)
                    rest = site_files(self.catalog)
                    search_apart = self._keep("search", rest)
                if search_apart is None:
                    make = functools.partial(background_files, content, cache, plugins)
                    fork = worker_count(len(content.papers)) > 1
                    searching = Background(_task(make, writer, fork), fork)
                    self.unsearched = content
                if made is None:
                    self.catalog = complete_catalog(content, progress, cache, plugins)
                    if self.content_key is not None:
                        cache.replace_kind("catalog", self.content_key, (content, self.catalog))
            else:  # the template folders as they are now (a site may have just made one)
                assert self.catalog is not None and self.plugins is not None
                self.catalog = _with_templates(self.catalog, self.root)
                if self.unsearched is not None:  # a newer edit stopped the last run first
                    make = functools.partial(background_files, self.unsearched, cache, self.plugins)
                    searching = Background(_task(make, writer, False), False)
            catalog, plugins = self.catalog, self.plugins
            assert catalog is not None and plugins is not None
            rest = site_files(catalog) if rest is None else rest
            written = Written()
            if change.reaches(Change.LAYOUTS):
                env = self._environment(catalog.parts.config.templates, plugins)
                reused = None if change.reaches(Change.TEMPLATES) else self.plan
                plan = self.plan = plan_site(catalog, env, plugins, self.preview, reused)
                # After a layout edit, nothing but the HTML pages changes (unless the last
                # run, stopped by this edit, was never served whole).
                beside = None if change is Change.LAYOUTS and searching is None else rest
                written.add(self._pages(plan, env, writer, preview, beside))
            else:
                assert self.plan is not None
                plan = self.plan
                written.add(writer.keep([*_page_files(plan), *self.social_cards]))
            with progress.stage("write", "data files"):
                written.add(writer.write_files(rest))
            if searching is not None:
                if preview is not None:
                    preview.all_but_search()
                    if preview.superseded():  # (serve makes the index here, after the pages)
                        raise Superseded
                files, seconds = searching.result()
                self.unsearched = None
                progress.add("search", seconds)
                if isinstance(files, Written):
                    self.search, self.wrote_apart, search_apart = {}, True, files
                else:
                    self.search = files
            if search_apart is None:
                with progress.stage("write", "search files"):
                    search_apart = writer.write_files(self.search)
            written.add(search_apart)
            if rest.keys().isdisjoint(search_apart.paths):  # (else a theme asset took one's
                self.apart["search"] = search_apart.paths  # place: made again next time)
        finally:
            try:
                if searching is not None:
                    searching.cancel()
            finally:
                if self._compiling is not None:
                    self._compiling.cancel()
                    self._compiling = None
        return written

    def _pages(
        self,
        plan: SitePlan,
        env: SiteEnvironment,
        writer: Writer,
        first: Preview | None = None,
        beside: dict[str, bytes] | None = None,
    ) -> Written:
        """Pages and their social cards; the cards are drawn beside the rendering (each is
        a picture to encode), and only when what they show changed. `first`'s open pages
        are rendered and shown before the others (and again with them, as any page), with
        the files `beside` them (None: every other file is as it was)."""
        drawing, apart = None, None
        kept = self._kept.get("cards")
        if kept is not None and sorted(plan.social_cards) == sorted(kept):
            apart = self._keep("cards")  # the same content: the same cards
        elif plan.social_cards != self.social_card_texts:
            draw = functools.partial(social_cards_cached, plan.social_cards, self.cache)
            fork = worker_count(len(plan.pages)) > 1
            drawing = Background(_task(draw, writer, fork), fork)
        try:
            assert self.plugins is not None
            markdown = self._markdown_store(self.plugins.markdown(plan.config.raw_html))
            if first is not None:
                wanted = [plan.compose(p) for p in plan.pages if p.path in first.open_pages]
                if wanted:
                    renderer = markdown.renderer(0)
                    pages = render_pages(wanted, env, renderer, remember=False)
                    if beside is None:
                        first.first_pages(pages, True)
                    else:
                        first.first_pages(beside | pages, False)
            composed = None
            if self.content_key is not None and not self.preview:
                templates = plan.markdown_templates()
                composed = ComposedCache(self.cache, self.content_key, env, templates)
            self.twins_key = None if composed is None else composed.markdown_key
            twins: Mapping[str, tuple[int, int]] = {}
            if self._twins is not None and self.twins_key == self._twins[0]:
                twins = self._twins[1]  # made with this key: the same bytes
            self._take_compiled(env)
            written = render_on_cores(plan, env, writer, markdown, self.progress, composed, twins)
            if drawing is not None:
                made, seconds = drawing.result()
                self.progress.add("cards", seconds)
                if isinstance(made, Written):
                    apart = made
                    self.social_cards, self.social_card_texts = {}, None
                    self.wrote_apart = True
                else:
                    self.social_cards, self.social_card_texts = made, plan.social_cards
        finally:
            if drawing is not None:
                drawing.cancel()
        if apart is None:
            apart = writer.write_files(self.social_cards)
        written.add(apart)
        self.apart["cards"] = apart.paths
        return written

    def _keep(self, kind: str, clashing: Mapping[str, bytes] | None = None) -> Written | None:
        """The files of `kind` this run keeps as they are, if it was given them and none of
        them is in the place of one of the `clashing` files."""
        files = self._kept.get(kind)
        if files is None or (clashing is not None and not clashing.keys().isdisjoint(files)):
            return None
        self.wrote_apart = True  # (their bytes never reach this process)
        return Written(paths=list(files), state=dict(files))

    def _content(self) -> tuple[Content, Catalog] | None:
        """The content and catalog of the last build, if its content was the same (a
        build after a template edit reads no listing again)."""
        if self.content_key is None:
            return None
        made = self.cache.load("catalog", self.content_key)
        return made if isinstance(made, tuple) else None

    def _environment(
        self,
        templates: tuple[Path, ...],
        plugins: Plugins,
        found: list[tuple[Path, Path]] | None = None,
    ) -> SiteEnvironment:
        """The Jinja environment of the template folders `templates` (whose files are
        `found`, if the caller has looked): the last one while no template file and no
        plugin changed (it keeps the templates it compiled; serve's rebuilds after a
        content edit reuse them)."""
        files = [
            (str(path), info.st_mtime_ns, info.st_size)
            for _, path in (template_files(templates) if found is None else found)
            for info in [path.stat()]
        ]
        if self._env is None or self._env[:2] != (files, plugins.key):
            # The template folders end with the theme (shared only by papersite's plugins).
            theme = templates[-1] if plugins.own else None
            compiled = CompiledTemplates(self.cache, plugins.key, theme)
            env = make_environment(templates, plugins.filters, plugins.template_globals, compiled)
            self._env = (files, plugins.key, env)
        return self._env[2]

    def _compile_apart(self, plugins: Plugins) -> Background | None:
        """A process that compiles every template of the site's folders into the cache
        while this one reads the content (the second core idles until the search index is
        begun: compiling took the busy cores 0.1 s of a cold build of the example); the
        pages then load them compiled (`_take_compiled`). Only when the caches lack some
        (the site's and the theme's hold fewer entries than there are template files: a
        cold build, a new template, the first site of a new papersite): where they hold
        them all, loading them here costs what a fork does (a layout
        edited since is compiled here, once, and a template only a layout names, such as
        base.html, by each render process; all of them are compiled so when the entries
        are another papersite's or another theme folder's, as before). None where
        forking is not safe or there is one core: they are compiled as they are needed."""
        if worker_count(2, per_worker=1) < 2:
            return None
        templates = template_dirs(self.root)
        files = template_files(templates)
        env = self._environment(templates, plugins, files)
        compiled = env.bytecode_cache
        if isinstance(compiled, CompiledTemplates) and compiled.held() >= len(files):
            return None
        names = [path.relative_to(folder).as_posix() for folder, path in files]
        return Background(functools.partial(_compiled_into_cache, env, names), fork=True)

    def _take_compiled(self, env: SiteEnvironment) -> None:
        """Wait for the templates `_compile_apart` compiled, and take what each names (a
        template loaded compiled is not parsed here). That process only saves work: if it
        failed, the templates are compiled here, and any error is reported as usual."""
        job, self._compiling = self._compiling, None
        if job is None:
            return
        try:
            named = job.result()
        except Exception:  # (its result is only an optimization; Ctrl-C still goes through)
            return
        for filename, names in named.items():
            env.named.setdefault(filename, names)

    def _markdown_store(self, options: MarkdownOptions) -> MarkdownStore:
        """Where the HTML of Markdown converted before is found: the cache, or (preview)
        the memory of the last run."""
        if not self.preview:
            return CachedMarkdown(self.cache, options)
        if self.markdown is None or self.markdown.options != options:
            self.markdown = MemoryMarkdown(options)
        return self.markdown


def read_content(
    root: Path,
    base_url: str | None,
    progress: Progress,
    cache: BuildCache,
    plugins: Plugins | None = None,
) -> Content:
    """Configuration, listings and notes, merged into papers and put into topics."""
    plugins = plugins or load_plugins(root, plugin_names(root))
    diagnostics = Diagnostics()
    config = plugins.on_config(load_config(root, base_url, diagnostics, plugins.readers))
    if not config.url:
        diagnostics.warn(
            Location(config.content / "site.yml", 1),
            "no url: canonical links, og:url, sitemap.xml and the 404 page's root links are "
            "left out; set url: https://USER.github.io/REPO/ or pass --base-url",
        )
    with progress.stage("parse", f"{len(config.listings)} listings"):
        entries = parse_cached(config, diagnostics, cache, plugins.readers, plugins.key)
        notes = read_notes(config.content / "papers", plugins.note_fields)
        records = read_metadata(config.content)
    with progress.stage("merge", f"{len(entries)} entries"):
        papers = merge(entries, notes, config.listings, records, diagnostics)
        papers = plugins.on_papers(papers, diagnostics)
    with progress.stage("topics", f"{len(papers)} papers"):
        topics = topics_cached(papers, config, diagnostics, cache)
    undated_listings(config, papers, diagnostics)
    return Content(config, papers, topics, diagnostics)


def template_warnings(config: SiteConfig) -> tuple[ContentWarning, ...]:
    """What the site's templates still do that should change: an old name."""
    if collection_markdown(config.templates) != OLD_COLLECTION_MARKDOWN:
        return ()
    where = Location(config.root / "templates" / OLD_COLLECTION_MARKDOWN)
    said = (
        f"{OLD_COLLECTION_MARKDOWN} is now called {COLLECTION_MARKDOWN} (it still works; rename it)"
    )
    return (ContentWarning(where, said),)


def complete_catalog(
    content: Content, progress: Progress, cache: BuildCache, plugins: Plugins | None = None
) -> Catalog:
    """Related papers, authors, free pages, data files (the plugins' too: the feeds): the
    rest of what the content decides."""
    config, papers = content.config, content.papers
    plugins = plugins or load_plugins(config.root, plugin_names(config.root))
    with progress.stage("related", f"{len(papers)} papers"):
        related = related_cached(papers, cache)
    free_pages = read_free_pages(config.content / "pages")
    citations = read_citations(config.content)
    if citations is not None:
        with progress.stage("graph", f"{len(citations.records)} records"):
            graph = citation_graph(papers, citations)
    else:
        graph = citation_graph(papers, None)
    warnings = tuple(content.diagnostics.warnings)
    authors = index_authors(papers)
    parts = SiteParts(config, papers, content.topics, authors, related, free_pages, graph)
    data_files = plugins.data_files(parts) | {".nojekyll": b""}
    if config.cname:
        data_files["CNAME"] = (config.cname + "\n").encode("utf-8")
    return Catalog(parts, data_files | site_downloads(parts), warnings)


def _with_templates(catalog: Catalog, root: Path) -> Catalog:
    """The catalog with the template folders as they are now."""
    config = dataclasses.replace(catalog.parts.config, templates=template_dirs(root))
    return dataclasses.replace(catalog, parts=dataclasses.replace(catalog.parts, config=config))


def background_files(content: Content, cache: BuildCache, plugins: Plugins) -> dict[str, bytes]:
    """What the plugins make on a core of their own: the search index, and lunr.js."""
    return plugins.background(content, cache)


def plan_site(
    catalog: Catalog,
    env: jinja2.Environment,
    plugins: Plugins,
    keeps_pages: bool = False,
    pages_from: SitePlan | None = None,
) -> SitePlan:
    """Every page's path and how to compose it (the plugins' kinds of page too), and the
    pages' social cards."""
    with collector_paused():  # 0.45 s at 10,000 papers, 0.6-0.8 s with the collector
        return SitePlan(catalog.parts, env, keeps_pages, pages_from, plugins.extensions)


def _page_files(plan: SitePlan) -> list[str]:
    """The files the pages of `plan` were rendered into (their HTML, and their Markdown)."""
    paths = [page.path for page in plan.pages]
    markdown = [markdown_path(page.path) for page in plan.pages if page.has_markdown]
    return paths + markdown


def site_files(catalog: Catalog) -> dict[str, bytes]:
    """Everything but the pages (and the files rendered as pages are: feeds, the sitemap,
    robots.txt): theme assets, data files."""
    return theme_assets(catalog.parts.config) | catalog.data_files


# Pages a render process makes before it writes them (their bytes are held until then).
RENDER_BATCH = 1_000

# The kinds of theme asset a site gets; pyproject.toml ships the same in the wheel (tested).
ASSET_SUFFIXES = (".css", ".ico", ".js", ".png", ".svg", ".woff2")


def theme_assets(config: SiteConfig) -> dict[str, bytes]:
    """Theme assets; the site's own templates/assets override the default theme's."""
    files: dict[str, bytes] = {}
    for templates in reversed(config.templates):
        assets = templates / "assets"
        for path in sorted(assets.rglob("*")) if assets.is_dir() else ():
            if path.is_file() and path.suffix in ASSET_SUFFIXES:
                files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files


def render_on_cores(
    plan: SitePlan,
    env: SiteEnvironment,
    writer: Writer,
    markdown: MarkdownStore,
    progress: Progress,
    composed: ComposedCache | None = None,
    twins: Mapping[str, tuple[int, int]] | None = None,
) -> Written:
    """Compose, render and write the pages: one forked process per core (when that pays,
    is safe, and the writer writes from any process), each with its share of the pages and
    its own share of the Markdown store (and of the `composed` cache), so nothing large
    travels between processes. `twins`: the size and time of the Markdown twins the last
    build left, if they hold the bytes this one makes."""
    twins = twins or {}
    pages = plan.pages
    workers = worker_count(len(pages)) if writer.from_any_process else 1

    def render_share(number: int, share: list[PlannedPage]) -> tuple[dict[str, float], Written]:
        renderer = markdown.renderer(number)
        renderer.start_build()
        begun = time.perf_counter()
        if composed is not None:
            plan.reuse(composed.markdown(number), composed.cards(number), composed.texts(number))
        composed_markdown: dict[str, str] = {}
        written = Written()
        writing = 0.0
        # A batch at a time: the pages' bytes are written before the next batch is made, so
        # memory holds one batch of them, not the whole share (at 50,000 papers a render
        # process held 0.5 GB of them at once).
        for start in range(0, len(share), RENDER_BATCH):
            batch = share[start : start + RENDER_BATCH]
            made = [plan.compose(page) for page in batch]
            if composed is not None:
                composed_markdown.update(
                    (page.path, done.markdown)
                    for page, done in zip(batch, made, strict=True)
                    if page.template is not None and done.markdown is not None
                )
            files = render_pages(made, env, renderer)
            known = {
                twin: twins[twin]
                for page in made
                if page.markdown is not None and (twin := markdown_path(page.path)) in twins
            }
            del made  # the contexts: not kept while the files are written
            started = time.perf_counter()
            written.add(writer.write_files(files, known))
            writing += time.perf_counter() - started
            del files
        finished = time.perf_counter()
        markdown.keep(number, renderer)
        if composed is not None:  # once the pages are gone: it pickles much
            composed.keep(number, plan, composed_markdown)
        kept = time.perf_counter() - finished
        times = {
            "markdown": renderer.seconds,
            "html": finished - begun - renderer.seconds - writing + kept,
            "write": writing,
        }
        return times, written

    shares = [pages[start::workers] for start in range(workers)]
    if workers > 1:
        with progress.stage("html", "templates"):
            compile_ahead(env, plan.templates())
    with progress.stage("render", f"{len(pages)} pages on {workers} core(s)"):
        rendered = run_tasks(
            [functools.partial(render_share, n, share) for n, share in enumerate(shares)],
            workers,
        )
    for stage in ("markdown", "html", "write"):
        progress.add(stage, sum(times[stage] for times, _ in rendered) / workers)
    markdown.done(workers)
    if composed is not None:
        composed.done(workers)
    written = Written()
    for _, share_written in rendered:
        written.add(share_written)
    return written


def template_files(templates: tuple[Path, ...]) -> list[tuple[Path, Path]]:
    """Every template file of the folders `templates`, with its folder: not their assets,
    nor the compiled templates kept beside the theme."""
    return [
        (folder, path)
        for folder in templates
        for path in sorted(folder.rglob("*.*"))
        if path.is_file() and {"assets", SHARED}.isdisjoint(path.relative_to(folder).parts)
    ]


def _compiled_into_cache(env: SiteEnvironment, names: list[str]) -> dict[str, list[str]]:
    """Compile the templates `names` and all they name into the environment's cache (for
    `_compile_apart`'s process); what each template file names."""
    compile_ahead(env, names)
    return env.named


def _task(
    make: Callable[[], dict[str, bytes]], writer: Writer, fork: bool
) -> Callable[[], tuple[dict[str, bytes] | Written, float]]:
    """`make`, timed, for a Background process: in a forked one that can write, it writes
    what it makes and gives back only what it wrote (the bytes never travel)."""
    if fork and writer.from_any_process:
        return functools.partial(_timed, _writing, make, writer)
    return functools.partial(_timed, make)


def _writing(make: Callable[[], dict[str, bytes]], writer: Writer) -> Written:
    return writer.write_files(make())


def _timed(task: Callable[..., T], *args: Any) -> tuple[T, float]:
    """A task's result and the seconds it took."""
    begun = time.perf_counter()
    return task(*args), time.perf_counter() - begun
