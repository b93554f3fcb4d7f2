"""The no-change check: a build whose inputs hash to the last build's, and whose output
is untouched, does nothing. It imports none of the stages, so such a build costs the
hashing of the site's files and little else."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import ENTRY_POINTS
from generator.content.readers.files import is_unread
from generator.content.templates import template_dirs
from generator.engine.cache import BuildCache
from generator.engine.faults import pause_at
from generator.model import BuildReport


@dataclass(frozen=True)
class Fingerprint:
    """Hashes of what a build reads, each salted with papersite itself (the cache's salt),
    so a new or edited papersite builds again. `content`: the site's place, content and
    options, all that the papers, topics and the rest of the catalog are made from;
    `site`: that and the templates and theme."""

    content: str
    site: str


def site_fingerprint(root: Path, base_url: str | None, cache: BuildCache) -> Fingerprint:
    """The fingerprints of the site at `root` as it is now (each file read once)."""
    parts: list[str | bytes] = [
        str(root.resolve()),
        base_url or "",
        os.environ.get("SOURCE_DATE_EPOCH", ""),
    ]
    for path in _files_under(root / "content"):
        parts += [path.relative_to(root / "content").as_posix(), _bytes_of(path)]
    parts += _plugin_code(root)
    content = cache.key(*parts)
    parts = [content]
    for folder in template_dirs(root):
        for path in _files_under(folder):
            parts += [path.relative_to(folder).as_posix(), _bytes_of(path)]
    return Fingerprint(content, cache.key(*parts))


def _plugin_code(root: Path) -> list[str | bytes]:
    """The site's hooks.py, and the versions of the installed plugins site.yml may turn
    on (looked up only when it has a plugins: setting: that costs 50 ms)."""
    found: list[str | bytes] = []
    hooks = root / "hooks.py"
    if hooks.is_file():
        found += ["hooks.py", hooks.read_bytes()]
    site = root / "content" / "site.yml"
    if site.is_file() and b"plugins:" in site.read_bytes():
        from importlib.metadata import entry_points

        for point in sorted(entry_points(group=ENTRY_POINTS), key=lambda p: p.name):
            found += [point.name, point.value, point.dist.version if point.dist else ""]
    return found


def last_manifest(cache: BuildCache) -> dict[str, Any] | None:
    """What `record_output` remembered of the last build."""
    manifest = cache.load("output", "manifest")
    return manifest if isinstance(manifest, dict) else None


def up_to_date(
    manifest: dict[str, Any] | None, fingerprint: str, output: Path
) -> BuildReport | None:
    """The last build's report, if its inputs were these and its output is untouched:
    the same files (`files_held`), each as that build left it."""
    if not manifest or manifest["fingerprint"] != fingerprint:
        return None
    if files_held(manifest, output) is None:
        return None
    if _current_state(output, manifest["files"]) != manifest["files"]:
        return None
    report: BuildReport = manifest["report"]
    return report


def files_held(manifest: dict[str, Any] | None, output: Path) -> frozenset[str] | None:
    """Every file `output` holds, if it is the last build's output and no file has been
    added, removed or renamed in it since; else None. A file added, removed or renamed
    changes its folder's times, so the folders the build wrote into are checked and
    nothing needs to be listed (a folder's change time too: a tool that restores its
    modification time cannot set it)."""
    if not manifest or "folders" not in manifest:
        return None
    if manifest["output"] != str(output.resolve()):
        return None
    if _current_state(output, manifest["folders"], folders=True) != manifest["folders"]:
        return None
    return frozenset(manifest["files"])


def content_files(
    manifest: dict[str, Any] | None, content: str, output: Path, held: frozenset[str] | None
) -> dict[str, dict[str, tuple[int, int]]] | None:
    """The files the last build made from its content alone (the search files and the
    social cards, by kind), each with its size and time, if `content` is that build's
    content fingerprint and `output` holds them as that build left them: the same
    folders (`held`: what `files_held` said) and each file's size and time the same.
    Else None."""
    if held is None or not manifest or manifest.get("content") != content:
        return None
    files = manifest["files"]
    kept = {
        kind: {path: files[path] for path in paths} for kind, paths in manifest["apart"].items()
    }
    every = {path: state for made in kept.values() for path, state in made.items()}
    if _current_state(output, every) != every:
        return None
    return kept


def last_twins(
    manifest: dict[str, Any] | None, output: Path
) -> tuple[str, dict[str, tuple[int, int]]] | None:
    """The key the last build's Markdown twins were made with (the build's `twins_key`)
    and the size and time it left each of its files with, if it knew that key and built
    into `output` (a build into another folder left other files)."""
    if not manifest or not manifest.get("twins"):
        return None
    if manifest["output"] != str(output.resolve()):
        return None
    return manifest["twins"], manifest["files"]


def written_state(
    output: Path, paths: list[str], known: Mapping[str, tuple[int, int]]
) -> dict[str, tuple[int, int]]:
    """The size and time of every file a build left in `output` (`paths`, relative to it:
    all there is, so no folder walk is needed); those of the files the build found as they
    were and left alone are `known` already."""
    state = {}
    top = os.fspath(output) + os.sep
    for relative in paths:
        found = known.get(relative)
        if found is None:
            info = os.stat(top + relative)
            found = (info.st_size, info.st_mtime_ns)
        state[relative] = found
    return state


def record_output(
    cache: BuildCache,
    fingerprint: Fingerprint,
    report: BuildReport,
    state: dict[str, tuple[int, int]],
    apart: Mapping[str, list[str]],
    twins: str | None = None,
) -> None:
    """Remember this build: its inputs, its output's `written_state`, which of its files
    were made from the content alone (`apart`, by kind: see `content_files`), and the key
    its Markdown twins were made with (`twins`: see `last_twins`)."""
    pause_at("manifest")
    folders = {""}
    for path in state:
        folder = path.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    manifest = {
        "fingerprint": fingerprint.site,
        "content": fingerprint.content,
        "apart": {kind: sorted(paths) for kind, paths in apart.items()},
        "twins": twins,
        "output": str(report.output.resolve()),
        "files": state,
        "folders": _current_state(report.output, sorted(folders), folders=True),
        "report": report,
    }
    cache.store("output", "manifest", manifest)


def _current_state(
    output: Path, paths: Iterable[str], folders: bool = False
) -> dict[str, tuple[int, int]] | None:
    """The size and time of each of `paths` under `output` now (of `folders`, the times of
    their last modification and change); None if one is gone."""
    state = {}
    top = os.fspath(output) + os.sep  # joined by hand: os.path.join costs what a stat does
    for relative in paths:
        try:
            info = os.stat(top + relative)
        except OSError:
            return None
        if folders:
            state[relative] = (info.st_mtime_ns, info.st_ctime_ns)
        else:
            state[relative] = (info.st_size, info.st_mtime_ns)
    return state


def _bytes_of(path: Path) -> bytes:
    """A file's bytes; for anything else (a link to nowhere, a FIFO), what it is, never
    read: a build must run to report it (one made after a good build was not seen)."""
    if os.path.isfile(path):
        return path.read_bytes()
    return b"\0link to nowhere" if os.path.islink(path) else b"\0not a file"


def _files_under(folder: Path) -> list[Path]:
    """Every file under `folder`, and whatever else is not a folder there (a link to
    nowhere, a FIFO), sorted, through symbolic links to folders too (the build reads a
    symlinked content/listings: its edits must count), each real folder once; but those
    no build reads (an editor's lock file changes nothing)."""
    found: list[Path] = []
    seen: set[str] = set()
    for directory, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(directory)
        if real in seen or "__pycache__" in Path(directory).parts:
            folders.clear()
            continue
        seen.add(real)
        folders[:] = [name for name in folders if not is_unread(Path(name))]
        found += [Path(directory) / name for name in names if not is_unread(Path(name))]
    return sorted(found)
