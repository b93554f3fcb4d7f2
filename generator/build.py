"""`build` (and deploy's build): run the recipe into the output folder, all or nothing,
unless nothing changed since the last build; then the size check and the report."""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import time
from collections.abc import Iterator
from pathlib import Path

from generator.diagnostics import StrictModeError
from generator.engine.cache import FOLDER, BuildCache, made_folder
from generator.engine.progress import Progress
from generator.manifest import (
    content_files,
    files_held,
    last_manifest,
    last_twins,
    record_output,
    site_fingerprint,
    up_to_date,
    written_state,
)
from generator.model import BuildReport, Paper
from generator.site.hosting import size_warning
from generator.site.output import MARKER, OutputError, check_output, updated_output

__all__ = ["BuildReport", "StrictModeError", "build_site", "missing_facts"]


def missing_facts(papers: list[Paper]) -> tuple[tuple[str, int], ...]:
    """How many papers name no author, have no publication date, and no arXiv id or DOI
    (the facts a citation needs), the most often missing first; none that all have."""
    counts = {
        "name no author": sum(not paper.authors for paper in papers),
        "have no publication date": sum(paper.published is None for paper in papers),
        "have no arXiv id or DOI": sum(not (paper.arxiv or paper.doi) for paper in papers),
    }
    return tuple(
        (what, count) for what, count in sorted(counts.items(), key=lambda item: -item[1]) if count
    )


@contextlib.contextmanager
def only_build(root: Path, output: Path) -> Iterator[None]:
    """Hold the site's build lock (in its cache folder) for the block: a second build of
    the same site at the same time stops with a clear error, rather than both writing the
    same files and cache. A POSIX record lock, held by this process alone: forked workers
    do not inherit it (as they would an flock), so a killed build's lock goes with it,
    not with the last of its dying workers."""
    with open(made_folder(root / FOLDER) / "build.lock", "a+b") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES, as the system has it
            raise OutputError(
                f"another build of {root} is running; wait for it to finish "
                f"(nothing was written to {output})"
            ) from None
        yield


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
    output = output or root / "site"
    check_output(output)
    cache = BuildCache.for_site(root)
    fingerprint = site_fingerprint(root, base_url, cache)
    manifest = last_manifest(cache)
    previous = up_to_date(manifest, fingerprint.site, output)
    if previous is not None:
        if strict and previous.warnings:
            raise StrictModeError(previous.warnings)
        return dataclasses.replace(
            previous, seconds=time.perf_counter() - started, timings={}, up_to_date=True
        )
    # There is work: only now are the stages (and jinja2, markdown-it, lunr...) imported.
    from generator.recipe import SiteBuilder

    builder = SiteBuilder(root, base_url, strict, progress, content_key=fingerprint.content)
    held = functools.partial(files_held, manifest, output)
    with only_build(root, output), updated_output(output, held) as (writer, record):
        # The search files and social cards of the last build, if made from this content.
        kept = content_files(manifest, fingerprint.content, output, writer.holds)
        record.add(builder.run(writer, kept=kept, twins=last_twins(manifest, output)))
    catalog, plan = builder.catalog, builder.plan
    assert catalog is not None and plan is not None
    state = written_state(output, [*record.paths, MARKER], record.state)
    sizes = {path: size for path, (size, _) in state.items() if path != MARKER}
    too_large = size_warning(output, sizes, len(catalog.parts.papers))
    report = BuildReport(
        output=output,
        papers=len(catalog.parts.papers),
        topics=len(catalog.parts.topics.topics),
        pages=sum(page.path.endswith(".html") for page in plan.pages),
        files=len(record.paths),
        warnings=(*catalog.warnings, *([too_large] if too_large else [])),
        seconds=time.perf_counter() - started,
        timings=dict(builder.progress.timings),
        missing=missing_facts(catalog.parts.papers),
    )
    record_output(builder.cache, fingerprint, report, state, builder.apart, builder.twins_key)
    builder.progress.done()
    if strict and too_large:
        raise StrictModeError((too_large,))
    return report
