"""The build, top to bottom: each line one pipeline stage."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import load_config
from generator.diagnostics import ContentError, ContentWarning, Diagnostics
from generator.feeds import robots, site_feeds, sitemap
from generator.model import SiteConfig
from generator.notes import read_free_pages, read_paper_pages
from generator.output import check_output, write_site
from generator.pages import compose_pages
from generator.papers import merge
from generator.related import find_related
from generator.render import make_environment, render_pages
from generator.search import build_search, lunr_js, self_test
from generator.sources import parse_sources
from generator.topics import assign_topics


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


def build_site(
    root: Path, output: Path | None = None, base_url: str | None = None, strict: bool = False
) -> BuildReport:
    """Build the site under `root` into `output` (default root/site); raise on bad content."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    config = load_config(root, base_url)
    output = output or root / "site"
    check_output(output)
    env = make_environment(config)
    entries = parse_sources(config.listings, diagnostics)
    papers = merge(entries, read_paper_pages(config.content / "papers"), config.listings)
    topics = assign_topics(papers, config.taxonomy, config.fallback_topic, diagnostics)
    related = find_related(papers)
    free_pages = read_free_pages(config.content / "pages")
    pages = compose_pages(config, papers, topics, related, free_pages, env)
    files = render_pages(pages, env, config.raw_html)
    search_files = build_search(papers, topics, config)
    self_test(search_files, papers, config.search_checks)
    files |= site_feeds(config, papers, topics.topics) | _static_files(config, list(files))
    files["assets/search-index.js"] = search_files.js_bytes
    files["assets/search-index.json"] = search_files.json_bytes
    files["assets/lunr.js"] = lunr_js()
    if strict and diagnostics.warnings:
        raise StrictModeError(tuple(diagnostics.warnings))
    write_site(files, output)
    return BuildReport(
        output=output,
        papers=len(papers),
        topics=len(topics.topics),
        pages=sum(path.endswith(".html") for path in files),
        files=len(files),
        warnings=tuple(diagnostics.warnings),
        seconds=time.perf_counter() - started,
    )


def _static_files(config: SiteConfig, page_paths: list[str]) -> dict[str, bytes]:
    """Theme assets (the site's own override the default theme's), and the host's files."""
    files: dict[str, bytes] = {}
    for templates in reversed(config.templates):
        assets = templates / "assets"
        for path in sorted(assets.rglob("*")) if assets.is_dir() else ():
            if path.is_file() and path.suffix in {".css", ".js", ".svg", ".png", ".ico", ".woff2"}:
                files["assets/" + path.relative_to(assets).as_posix()] = path.read_bytes()
    files["robots.txt"] = robots(config)
    files[".nojekyll"] = b""
    map_data = sitemap(config, page_paths)
    if map_data is not None:
        files["sitemap.xml"] = map_data
    if config.cname:
        files["CNAME"] = (config.cname + "\n").encode("utf-8")
    return files


__all__ = ["BuildReport", "ContentError", "StrictModeError", "build_site"]
