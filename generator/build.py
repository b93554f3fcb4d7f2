"""The build, top to bottom: each line one pipeline stage.

It runs in two halves so that `serve` can redo only what an edit touches: the
catalog (everything that depends on content) and the rendering (everything that
also depends on templates).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from generator.authors import AuthorIndex, index_authors
from generator.cache import BuildCache
from generator.config import load_config
from generator.diagnostics import ContentWarning, Diagnostics, Location
from generator.feeds import robots, site_feeds, sitemap
from generator.hosting import size_warning
from generator.incremental import (
    cached_search,
    markdown_share_name,
    markdown_shares,
    parse_cached,
    record_output,
    related_cached,
    remember_markdown_share,
    site_fingerprint,
    social_cards_cached,
    topics_cached,
    up_to_date,
    written_state,
)
from generator.metadata import read_metadata
from generator.model import BuildReport, ComposedPage, Page, Paper, SiteConfig
from generator.notes import read_free_pages, read_paper_pages
from generator.output import MARKER, SiteWriter, Written, check_output, updated_output
from generator.pages import PagePlan, SitePlan, plan_pages
from generator.papers import merge
from generator.parallel import Background, run_tasks, worker_count
from generator.progress import Progress
from generator.render import MarkdownRenderer, make_environment, render_pages
from generator.search import lunr_js
from generator.social import CardText
from generator.topics import TopicIndex

T = TypeVar("T")


@dataclass(frozen=True)
class Content:
    """The content read and sorted: configuration, papers, topics (what search needs)."""

    config: SiteConfig
    papers: list[Paper]
    topics: TopicIndex
    diagnostics: Diagnostics


@dataclass(frozen=True)
class Catalog:
    """Everything the content decides, before any template is involved."""

    config: SiteConfig
    papers: list[Paper]
    topics: TopicIndex
    authors: AuthorIndex
    related: dict[str, tuple[Paper, ...]]
    free_pages: list[Page]
    data_files: dict[str, bytes]
    warnings: tuple[ContentWarning, ...]


class StrictModeError(Exception):
    """--strict was given and the build produced warnings."""

    def __init__(self, warnings: tuple[ContentWarning, ...]) -> None:
        super().__init__(f"{len(warnings)} warning(s) and --strict is on")
        self.warnings = warnings


def load_catalog(
    root: Path,
    base_url: str | None = None,
    progress: Progress | None = None,
    search: bool = True,
) -> Catalog:
    """Read and process the content: listings, notes, topics, related papers (and search,
    unless the caller builds the index alongside with search_files)."""
    progress = progress or Progress()
    cache = BuildCache.for_site(root)
    content = read_content(root, base_url, progress, cache)
    catalog = complete_catalog(content, progress, cache)
    if search:
        with progress.stage("search", f"{len(content.papers)} papers"):
            files = search_files(content, cache)
        catalog = dataclasses.replace(catalog, data_files=catalog.data_files | files)
    return catalog


def read_content(
    root: Path, base_url: str | None, progress: Progress, cache: BuildCache
) -> Content:
    """Configuration, listings and notes, merged into papers and put into topics."""
    diagnostics = Diagnostics()
    config = load_config(root, base_url)
    if not config.url:
        diagnostics.warn(
            Location(config.content / "site.yml", 1),
            "no url: canonical links, og:url, sitemap.xml and the 404 page's root links are "
            "left out; set url: https://USER.github.io/REPO/ or pass --base-url",
        )
    with progress.stage("parse", f"{len(config.listings)} listings"):
        entries = parse_cached(config, diagnostics, cache)
        paper_pages = read_paper_pages(config.content / "papers")
        records = read_metadata(config.content)
    with progress.stage("merge", f"{len(entries)} entries"):
        papers = merge(entries, paper_pages, config.listings, records, diagnostics)
    with progress.stage("topics", f"{len(papers)} papers"):
        topics = topics_cached(papers, config, diagnostics, cache)
    return Content(config, papers, topics, diagnostics)


def complete_catalog(content: Content, progress: Progress, cache: BuildCache) -> Catalog:
    """Related papers, feeds, free pages: the rest of what the content decides."""
    config, papers = content.config, content.papers
    with progress.stage("related", f"{len(papers)} papers"):
        related = related_cached(papers, cache)
    data_files = site_feeds(config, papers, content.topics.topics) | {
        "robots.txt": robots(config),
        ".nojekyll": b"",
    }
    if config.cname:
        data_files["CNAME"] = (config.cname + "\n").encode("utf-8")
    free_pages = read_free_pages(config.content / "pages")
    warnings = tuple(content.diagnostics.warnings)
    authors = index_authors(papers)
    return Catalog(
        config, papers, content.topics, authors, related, free_pages, data_files, warnings
    )


def search_files(content: Content, cache: BuildCache) -> dict[str, bytes]:
    """The search index (built, or found in the cache) and lunr.js for the browser."""
    search = cached_search(content.papers, content.topics, content.config, cache)
    return search.files() | {"assets/lunr.js": lunr_js()}


def plan_site(catalog: Catalog, env: jinja2.Environment) -> SitePlan:
    """Every page's path and how to compose it, and the pages' social cards."""
    return plan_pages(
        catalog.config,
        catalog.papers,
        catalog.topics,
        catalog.authors,
        catalog.related,
        catalog.free_pages,
        env,
    )


def compose_site(
    catalog: Catalog, env: jinja2.Environment
) -> tuple[list[ComposedPage], dict[str, CardText]]:
    """Every page with its context (Markdown pages written through templates/*.md), and
    the pages' social cards."""
    plan = plan_site(catalog, env)
    return [make() for _, make in plan.pages], plan.cards


def draw_site_cards(catalog: Catalog, cards: dict[str, CardText]) -> dict[str, bytes]:
    """The social cards of `cards` (from compose_site), drawn or from the site's cache."""
    return social_cards_cached(cards, BuildCache.for_site(catalog.config.root))


def render_site(
    catalog: Catalog,
    pages: list[ComposedPage],
    cards: dict[str, bytes],
    env: jinja2.Environment,
    markdown: MarkdownRenderer,
) -> dict[str, bytes]:
    """Every output file: pages through the layouts, the drawn social cards, site_files."""
    files = render_pages(pages, env, markdown)
    return files | cards | site_files(catalog, [page.path for page in pages])


def site_files(catalog: Catalog, page_paths: list[str]) -> dict[str, bytes]:
    """Everything but the pages: theme assets, feeds and data files, the sitemap."""
    files = theme_assets(catalog.config) | catalog.data_files
    map_data = sitemap(catalog.config, page_paths)
    if map_data is not None:
        files["sitemap.xml"] = map_data
    return files


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


def build_site(
    root: Path,
    output: Path | None = None,
    base_url: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site under `root` into `output` (default root/site); raise on bad content.

    Once topics are known, one forked process builds the search index while the rest goes
    on; pages are rendered and written by one forked process per core (when that pays and
    is safe). The output is the same either way.
    Nothing is done when no input changed since the last build and its output is intact.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    output = output or root / "site"
    check_output(output)
    cache = BuildCache.for_site(root)
    fingerprint = site_fingerprint(root, base_url, cache)
    previous = up_to_date(cache, fingerprint, output)
    if previous is not None:
        if strict and previous.warnings:
            raise StrictModeError(previous.warnings)
        return dataclasses.replace(
            previous, seconds=time.perf_counter() - started, timings={}, up_to_date=True
        )
    content = read_content(root, base_url, progress, cache)
    if strict and content.diagnostics.warnings:
        raise StrictModeError(tuple(content.diagnostics.warnings))
    # The index needs only papers and topics: it is built on a core of its own from here on.
    searching = Background(
        functools.partial(_timed, search_files, content, cache),
        fork=worker_count(len(content.papers)) > 1,
    )
    try:
        catalog = complete_catalog(content, progress, cache)
        env = make_environment(catalog.config)
        site = plan_site(catalog, env)
        plan = site.pages
        # Social cards are drawn beside the rendering (each is a picture to encode).
        drawing = Background(
            functools.partial(_timed, social_cards_cached, site.cards, cache),
            fork=worker_count(len(plan)) > 1,
        )
        try:
            with updated_output(output) as (writer, record):
                record.add(_render_on_cores(catalog, env, plan, writer, cache, progress))
                search_data, search_seconds = searching.result()
                progress.add("search", search_seconds)
                cards, cards_seconds = drawing.result()
                progress.add("cards", cards_seconds)
                with progress.stage("write", "data files"):
                    rest = site_files(catalog, [path for path, _ in plan]) | search_data | cards
                    record.add(writer.write_files(rest))
        finally:
            drawing.cancel()
    finally:
        searching.cancel()
    state = written_state(output, [*record.paths, MARKER])
    sizes = {path: size for path, (size, _) in state.items() if path != MARKER}
    too_large = size_warning(output, sizes, len(catalog.papers))
    report = BuildReport(
        output=output,
        papers=len(catalog.papers),
        topics=len(catalog.topics.topics),
        pages=len(plan),
        files=len(record.paths),
        warnings=(*catalog.warnings, *([too_large] if too_large else [])),
        seconds=time.perf_counter() - started,
        timings=dict(progress.timings),
    )
    record_output(cache, fingerprint, report, state)
    progress.done()
    if strict and too_large:
        raise StrictModeError((too_large,))
    return report


def _render_on_cores(
    catalog: Catalog,
    env: jinja2.Environment,
    plan: list[PagePlan],
    writer: SiteWriter,
    cache: BuildCache,
    progress: Progress,
) -> Written:
    """Compose, render and write the pages: one forked process per core (when that pays
    and is safe), each with its share of the pages and its own share of the Markdown cache,
    so nothing large travels between processes."""
    workers = worker_count(len(plan))
    kind = f"markdown-{int(catalog.config.raw_html)}"
    cached = markdown_shares(cache, kind)
    remembered = {key: html for share in cached.values() for key, html in share.items()}

    def render_share(number: int, share: list[PagePlan]) -> tuple[dict[str, float], Written]:
        markdown = MarkdownRenderer(catalog.config.raw_html, remembered)
        begun = time.perf_counter()
        files = render_pages([make() for _, make in share], env, markdown)
        rendered = time.perf_counter()
        written = writer.write_files(files)
        finished = time.perf_counter()
        previous = cached.get(markdown_share_name(cache, kind, number), {})
        remember_markdown_share(cache, kind, number, previous, markdown)
        times = {
            "markdown": markdown.seconds,
            "html": rendered - begun - markdown.seconds,
            "write": finished - rendered,
        }
        return times, written

    shares = [plan[start::workers] for start in range(workers)]
    with progress.stage("render", f"{len(plan)} pages on {workers} core(s)"):
        rendered = run_tasks(
            [functools.partial(render_share, n, share) for n, share in enumerate(shares)],
            workers,
        )
    for stage in ("markdown", "html", "write"):
        progress.add(stage, sum(times[stage] for times, _ in rendered) / workers)
    cache.retain(kind, {markdown_share_name(cache, kind, number) for number in range(workers)})
    written = Written()
    for _, share_written in rendered:
        written.add(share_written)
    return written


def _timed(task: Callable[..., T], *args: Any) -> tuple[T, float]:
    """A task's result and the seconds it took."""
    begun = time.perf_counter()
    return task(*args), time.perf_counter() - begun
