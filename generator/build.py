"""The build, top to bottom: each line one pipeline stage.

It runs in two halves so that `serve` can redo only what an edit touches: the
catalog (everything that depends on content) and the rendering (everything that
also depends on templates).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.config import load_config
from generator.diagnostics import ContentWarning, Diagnostics, Location
from generator.feeds import robots, site_feeds, sitemap
from generator.model import ComposedPage, Page, Paper, SiteConfig
from generator.notes import read_free_pages, read_paper_pages
from generator.output import check_output, staged_output, write_files
from generator.pages import compose_pages
from generator.papers import merge
from generator.parallel import run_tasks, worker_count
from generator.progress import Progress
from generator.related import find_related
from generator.render import MarkdownRenderer, make_environment, render_pages
from generator.search import build_search, lunr_js, self_test
from generator.sources import parse_sources
from generator.topics import TopicIndex, assign_topics


@dataclass(frozen=True)
class Catalog:
    """Everything the content decides, before any template is involved."""

    config: SiteConfig
    papers: list[Paper]
    topics: TopicIndex
    related: dict[str, tuple[Paper, ...]]
    free_pages: list[Page]
    data_files: dict[str, bytes]
    warnings: tuple[ContentWarning, ...]


@dataclass(frozen=True)
class BuildReport:
    """What a build made, for the summary line and for tests."""

    output: Path
    papers: int
    topics: int
    pages: int
    files: int
    warnings: tuple[ContentWarning, ...]
    seconds: float
    timings: dict[str, float]


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
    unless the caller builds the index alongside the pages with search_files)."""
    progress = progress or Progress()
    diagnostics = Diagnostics()
    config = load_config(root, base_url)
    if not config.url:
        diagnostics.warn(
            Location(config.content / "site.yml", 1),
            "no url: canonical links, og:url, sitemap.xml and the 404 page's root links are "
            "left out; set url: https://USER.github.io/REPO/ or pass --base-url",
        )
    with progress.stage("parse", f"{len(config.listings)} listings"):
        entries = parse_sources(config.listings, diagnostics)
        paper_pages = read_paper_pages(config.content / "papers")
    with progress.stage("merge", f"{len(entries)} entries"):
        papers = merge(entries, paper_pages, config.listings)
    with progress.stage("topics", f"{len(papers)} papers"):
        topics = assign_topics(papers, config.taxonomy, config.fallback_topic, diagnostics)
    with progress.stage("related", f"{len(papers)} papers"):
        related = find_related(papers)
    data_files = site_feeds(config, papers, topics.topics) | {
        "robots.txt": robots(config),
        ".nojekyll": b"",
    }
    if config.cname:
        data_files["CNAME"] = (config.cname + "\n").encode("utf-8")
    free_pages = read_free_pages(config.content / "pages")
    warnings = tuple(diagnostics.warnings)
    catalog = Catalog(config, papers, topics, related, free_pages, data_files, warnings)
    if search:
        with progress.stage("search", f"{len(papers)} papers"):
            files = search_files(catalog)
        catalog = dataclasses.replace(catalog, data_files=catalog.data_files | files)
    return catalog


def search_files(catalog: Catalog) -> dict[str, bytes]:
    """The search index, checked by the self-test, and lunr.js for the browser."""
    search = build_search(catalog.papers, catalog.topics, catalog.config)
    self_test(search, catalog.papers, catalog.config.search_checks)
    return {
        "assets/search-index.js": search.js_bytes,
        "assets/search-index.json": search.json_bytes,
        "assets/lunr.js": lunr_js(),
    }


def compose_site(catalog: Catalog, env: jinja2.Environment) -> list[ComposedPage]:
    """Every page with its context; Markdown pages written through templates/*.md."""
    return compose_pages(
        catalog.config, catalog.papers, catalog.topics, catalog.related, catalog.free_pages, env
    )


def render_site(
    catalog: Catalog,
    pages: list[ComposedPage],
    env: jinja2.Environment,
    markdown: MarkdownRenderer,
) -> dict[str, bytes]:
    """Every output file: pages through the layouts, theme assets, data files."""
    config = catalog.config
    files = render_pages(pages, env, markdown)
    map_data = sitemap(config, list(files))
    if map_data is not None:
        files["sitemap.xml"] = map_data
    return files | theme_assets(config) | catalog.data_files


def theme_assets(config: SiteConfig) -> dict[str, bytes]:
    """Theme assets; the site's own templates/assets override the default theme's."""
    files: dict[str, bytes] = {}
    for templates in reversed(config.templates):
        assets = templates / "assets"
        for path in sorted(assets.rglob("*")) if assets.is_dir() else ():
            if path.is_file() and path.suffix in {".css", ".js", ".svg", ".png", ".ico", ".woff2"}:
                files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    return files


def make_site(
    root: Path, base_url: str | None = None, progress: Progress | None = None
) -> tuple[Catalog, dict[str, bytes]]:
    """The whole site in memory: every output file by its path."""
    progress = progress or Progress()
    catalog = load_catalog(root, base_url, progress)
    env = make_environment(catalog.config)
    markdown = MarkdownRenderer(catalog.config.raw_html)
    with progress.stage("html", f"{len(catalog.papers)} papers"):
        pages = compose_site(catalog, env)
        files = render_site(catalog, pages, env, markdown)
    progress.add("html", -markdown.seconds)
    progress.add("markdown", markdown.seconds)
    return catalog, files


def build_site(
    root: Path,
    output: Path | None = None,
    base_url: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site under `root` into `output` (default root/site); raise on bad content.

    Pages are rendered and written by one forked process per core (when that pays and is
    safe), while one more builds the search index; the output is the same either way.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    output = output or root / "site"
    check_output(output)
    catalog = load_catalog(root, base_url, progress, search=False)
    if strict and catalog.warnings:
        raise StrictModeError(catalog.warnings)
    env = make_environment(catalog.config)
    with progress.stage("html", f"{len(catalog.papers)} papers"):
        pages = compose_site(catalog, env)
    workers = worker_count(len(pages))
    raw_html = catalog.config.raw_html
    with staged_output(output) as staging:

        def render_share(share: list[ComposedPage]) -> dict[str, float]:
            markdown, begun = MarkdownRenderer(raw_html), time.perf_counter()
            files = render_pages(share, env, markdown)
            rendered = time.perf_counter()
            write_files(staging, files)
            return {
                "markdown": markdown.seconds,
                "html": rendered - begun - markdown.seconds,
                "write": time.perf_counter() - rendered,
            }

        def search_share() -> tuple[dict[str, bytes], float]:
            begun = time.perf_counter()
            return search_files(catalog), time.perf_counter() - begun

        shares = [pages[start::workers] for start in range(workers)]
        with progress.stage("render", f"{len(pages)} pages on {workers} core(s)"):
            (search_data, search_seconds), *rendered = run_tasks(
                [search_share, *[functools.partial(render_share, share) for share in shares]],
                workers + 1 if workers > 1 else 1,
            )
        progress.add("search", search_seconds)
        for stage in ("markdown", "html", "write"):
            progress.add(stage, sum(times[stage] for times in rendered) / workers)
        with progress.stage("write", "data files"):
            rest = theme_assets(catalog.config) | catalog.data_files | search_data
            map_data = sitemap(catalog.config, [page.path for page in pages])
            if map_data is not None:
                rest["sitemap.xml"] = map_data
            write_files(staging, rest)
    progress.done()
    return BuildReport(
        output=output,
        papers=len(catalog.papers),
        topics=len(catalog.topics.topics),
        pages=len(pages),
        files=len(pages) + sum(page.markdown is not None for page in pages) + len(rest),
        warnings=catalog.warnings,
        seconds=time.perf_counter() - started,
        timings=dict(progress.timings),
    )
