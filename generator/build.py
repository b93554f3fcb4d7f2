"""The build, top to bottom: each line one pipeline stage.

It runs in two halves so that `serve` can redo only what an edit touches: the
catalog (everything that depends on content) and the rendering (everything that
also depends on templates).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.config import load_config
from generator.diagnostics import ContentWarning, Diagnostics, Location
from generator.feeds import robots, site_feeds, sitemap
from generator.model import ComposedPage, Page, Paper, SiteConfig
from generator.notes import read_free_pages, read_paper_pages
from generator.output import check_output, write_site
from generator.pages import compose_pages
from generator.papers import merge
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


class StrictModeError(Exception):
    """--strict was given and the build produced warnings."""

    def __init__(self, warnings: tuple[ContentWarning, ...]) -> None:
        super().__init__(f"{len(warnings)} warning(s) and --strict is on")
        self.warnings = warnings


def load_catalog(root: Path, base_url: str | None = None) -> Catalog:
    """Read and process the content: listings, notes, topics, related papers, search."""
    diagnostics = Diagnostics()
    config = load_config(root, base_url)
    if not config.url:
        diagnostics.warn(
            Location(config.content / "site.yml", 1),
            "no url: canonical links, og:url, sitemap.xml and the 404 page's root links are "
            "left out; set url: https://USER.github.io/REPO/ or pass --base-url",
        )
    entries = parse_sources(config.listings, diagnostics)
    papers = merge(entries, read_paper_pages(config.content / "papers"), config.listings)
    topics = assign_topics(papers, config.taxonomy, config.fallback_topic, diagnostics)
    related = find_related(papers)
    search = build_search(papers, topics, config)
    self_test(search, papers, config.search_checks)
    data_files = site_feeds(config, papers, topics.topics) | {
        "assets/search-index.js": search.js_bytes,
        "assets/search-index.json": search.json_bytes,
        "assets/lunr.js": lunr_js(),
        "robots.txt": robots(config),
        ".nojekyll": b"",
    }
    if config.cname:
        data_files["CNAME"] = (config.cname + "\n").encode("utf-8")
    free_pages = read_free_pages(config.content / "pages")
    warnings = tuple(diagnostics.warnings)
    return Catalog(config, papers, topics, related, free_pages, data_files, warnings)


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


def make_site(root: Path, base_url: str | None = None) -> tuple[Catalog, dict[str, bytes]]:
    """The whole site in memory: every output file by its path."""
    catalog = load_catalog(root, base_url)
    env = make_environment(catalog.config)
    pages = compose_site(catalog, env)
    return catalog, render_site(catalog, pages, env, MarkdownRenderer(catalog.config.raw_html))


def build_site(
    root: Path, output: Path | None = None, base_url: str | None = None, strict: bool = False
) -> BuildReport:
    """Build the site under `root` into `output` (default root/site); raise on bad content."""
    started = time.perf_counter()
    output = output or root / "site"
    check_output(output)
    catalog, files = make_site(root, base_url)
    if strict and catalog.warnings:
        raise StrictModeError(catalog.warnings)
    write_site(files, output)
    return BuildReport(
        output=output,
        papers=len(catalog.papers),
        topics=len(catalog.topics.topics),
        pages=sum(path.endswith(".html") for path in files),
        files=len(files),
        warnings=catalog.warnings,
        seconds=time.perf_counter() - started,
    )
