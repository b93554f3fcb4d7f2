"""What lets a rebuild skip work: the cached stages and the no-change check.

Each stage result is stored in the content-hash cache under a key made of everything
that decides it; the whole build is skipped when its inputs and its output are unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.cache import BuildCache, digest
from generator.config import template_dirs
from generator.diagnostics import Diagnostics
from generator.model import BuildReport, Paper, SiteConfig
from generator.parallel import worker_count
from generator.related import find_related
from generator.search import SearchFiles, build_search, search_inputs, self_test
from generator.sources import parse_sources
from generator.topics import TopicIndex


def parse_cached(config: SiteConfig, diagnostics: Diagnostics, cache: BuildCache) -> list:
    """Listings parsed before (same bytes, same place) come from the cache, warnings too."""
    entries, used = [], set()
    for listing in config.listings:
        key = cache.key("parse", str(listing.path), listing.id, listing.path.read_bytes())
        used.add(key)
        cached = cache.load("parse", key)
        if cached is None:
            found = Diagnostics()
            cached = (parse_sources((listing,), found), found.warnings)
            cache.store("parse", key, cached)
        entries.extend(cached[0])
        diagnostics.warnings.extend(cached[1])
    cache.retain("parse", used)
    return entries


def related_cached(papers: list[Paper], cache: BuildCache) -> dict[str, tuple[Paper, ...]]:
    key = cache.key("related", *(f"{p.slug}\0{p.title}\0{p.abstract}" for p in papers))
    by_slug = {paper.slug: paper for paper in papers}
    cached = cache.load("related", key)
    if cached is None:
        related = find_related(papers, worker_count(len(papers)))
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
        search, indexes = build_search(papers, topics, config)
        self_test(indexes, papers, config.search_checks)
        cache.replace_kind("search", key, search)
    return search


def remember_markdown(
    cache: BuildCache, kind: str, remembered: dict[str, str], shares: list[dict | list]
) -> None:
    """Cache exactly this build's converted pages, rewriting only when something changed."""
    if all(isinstance(share, list) for share in shares):
        used = {key for share in shares for key in share}
        if used == remembered.keys():
            return
        cache.store(kind, "pages", {key: remembered[key] for key in used})
        return
    merged: dict[str, str] = {}
    for share in shares:
        merged.update(share if isinstance(share, dict) else {k: remembered[k] for k in share})
    cache.store(kind, "pages", merged)


def site_fingerprint(root: Path, base_url: str | None) -> str:
    """A hash of everything a build reads: content, templates, theme, options, environment."""
    parts: list[str | bytes] = [base_url or "", os.environ.get("SOURCE_DATE_EPOCH", "")]
    for folder in (root / "content", *template_dirs(root)):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def up_to_date(cache: BuildCache, fingerprint: str, output: Path) -> BuildReport | None:
    """The last build's report, if its inputs were these and its output is untouched."""
    manifest = cache.load("output", "manifest")
    if not manifest or manifest["fingerprint"] != fingerprint:
        return None
    if manifest["output"] != str(output.resolve()) or _output_state(output) != manifest["files"]:
        return None
    return manifest["report"]


def record_output(cache: BuildCache, fingerprint: str, report: BuildReport) -> None:
    state = _output_state(report.output)
    manifest = {
        "fingerprint": fingerprint,
        "output": str(report.output.resolve()),
        "files": state,
        "report": report,
    }
    cache.store("output", "manifest", manifest)


def _output_state(output: Path) -> dict[str, tuple[int, int]]:
    """Every file under `output` with its size and modification time."""
    state = {}
    for folder, _, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            info = os.stat(path)
            state[os.path.relpath(path, output)] = (info.st_size, info.st_mtime_ns)
    return state
