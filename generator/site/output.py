"""Write the site so that a failed build leaves the old one exactly as it was.

A fresh output folder (missing or empty) is written directly and removed again if the
build fails. An existing site is updated in place: a file whose bytes change is first
written beside its target (NAME.papersite-new) and renamed over it once every page is
ready; files the build no longer makes are then deleted. If the build fails, the new
files are removed and the old site is untouched.

Unchanged files are not rewritten: they keep their bytes, inode and time stamp, so a
rebuild that changes little writes little (a layout edit rewrites the HTML but not one
index.md). Creating files is what costs most on some file systems: on ext4 without a
journal, creating a file in the minutes after many were deleted is several times slower.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generator.engine.faults import pause_at

MARKER = ".papersite"
MARKER_TEXT = b"This folder is written by papersite build, which updates it on every build.\n"
PENDING = ".papersite-new"
# Written before the pending files are put in place, and removed once they all are: a
# build killed in between is finished by the next one (the new site, never a mix).
JOURNAL = ".papersite-commit"


class OutputError(Exception):
    """The output folder cannot be written without risking the user's files."""


def check_output(output: Path) -> None:
    """Refuse an output folder that holds files papersite did not put there."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise OutputError(f"{output} exists and is not a folder; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(
            f"{output} is not empty and was not made by papersite; "
            "empty it or choose another --output (nothing was deleted)"
        )


@dataclass
class Written:
    """What one write_files call did: every path it was given, and those left pending."""

    paths: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def add(self, other: Written) -> None:
        self.paths += other.paths
        self.pending += other.pending


class Writer(Protocol):
    """Where a build puts the site: `write_files` new bytes, `keep` files of the last build
    as they are. `from_any_process`: forked workers may write their own share."""

    @property
    def from_any_process(self) -> bool: ...

    def write_files(self, files: dict[str, bytes]) -> Written: ...

    def keep(self, paths: list[str]) -> Written: ...


@dataclass(frozen=True)
class SiteWriter:
    """Writes files into `folder`; `fresh` when it held no site (nothing to keep safe)."""

    folder: Path
    fresh: bool
    from_any_process: bool = True

    def keep(self, paths: list[str]) -> Written:
        """Leave these files of the last build in place (they are part of this one)."""
        return Written(paths=list(paths))

    def write_files(self, files: dict[str, bytes]) -> Written:
        """Write what changed (may run in several processes at once, on distinct files)."""
        written = Written()
        made: set[str] = set()
        for relative, data in sorted(files.items()):
            written.paths.append(relative)
            target = os.path.join(self.folder, relative)
            if not self.fresh and _holds(target, data):
                continue
            directory = os.path.dirname(relative)
            if directory and directory not in made:
                os.makedirs(os.path.join(self.folder, directory), exist_ok=True)
                made.add(directory)
            if self.fresh:
                _write(target, data)
            else:
                _write(target + PENDING, data)
                written.pending.append(relative)
            if len(written.paths) == 1:
                pause_at("write")
        return written

    def commit(self, written: Written) -> None:
        """Put the pending files in place, then delete whatever the build did not make;
        the journal lets the next build finish this if it is killed half-way."""
        journal = self.folder / JOURNAL
        if not self.fresh:
            _write_atomically(journal, "\n".join(sorted(written.paths)).encode("utf-8"))
            pause_at("journal")
        for number, relative in enumerate(written.pending):
            target = os.path.join(self.folder, relative)
            os.replace(target + PENDING, target)
            if number == 0:
                pause_at("commit")
        (self.folder / MARKER).write_bytes(MARKER_TEXT)
        if not self.fresh:  # a fresh folder holds only what this build wrote
            pause_at("prune")
            _finish(self.folder, set(written.paths))

    def discard(self) -> None:
        """Undo a failed build: remove what it wrote (everything, if the folder was fresh)."""
        _prune(self.folder, lambda relative: self.fresh or relative.endswith(PENDING))


class MemoryWriter:
    """The site in memory (serve's): `files` holds what was written, and `keep` takes files
    from the `previous` site. Workers' writes would stay in their processes."""

    from_any_process = False

    def __init__(self, previous: dict[str, bytes]) -> None:
        self.files: dict[str, bytes] = {}
        self._previous = previous

    def write_files(self, files: dict[str, bytes]) -> Written:
        self.files.update(files)
        return Written(paths=sorted(files))

    def keep(self, paths: list[str]) -> Written:
        for path in paths:
            self.files[path] = self._previous[path]
        return Written(paths=list(paths))


@contextlib.contextmanager
def updated_output(output: Path) -> Iterator[tuple[SiteWriter, Written]]:
    """A writer for `output` and the record of what was written; the caller adds every
    Written to the record. The site is committed when the block succeeds, and left as it
    was when it fails."""
    check_output(output)
    recover(output)
    existed = output.is_dir()
    fresh = not existed or not any(output.iterdir())
    output.mkdir(parents=True, exist_ok=True)
    # Marked before anything else, so that a first build killed half-way leaves a folder
    # the next build takes up (an unmarked one it would refuse as someone else's).
    if fresh:
        (output / MARKER).write_bytes(MARKER_TEXT)
    writer = SiteWriter(output, fresh)
    record = Written()
    try:
        yield writer, record
        writer.commit(record)
    except BaseException:
        writer.discard()
        if not existed:
            shutil.rmtree(output, ignore_errors=True)
        raise


def recover(output: Path) -> None:
    """Finish a commit a killed build began (its journal lists the new site). Files a
    build killed earlier had not put in place yet are left: they are rewritten or pruned
    by this build's own commit, or removed by its discard, so no walk of the whole site
    is needed on every build."""
    journal = output / JOURNAL
    if not journal.is_file():
        return
    keep = set(journal.read_text("utf-8").splitlines())
    for directory, _, names in os.walk(output):
        for name in names:
            if name.endswith(PENDING):
                path = os.path.join(directory, name)
                os.replace(path, path[: -len(PENDING)])
    _finish(output, keep)


def _finish(folder: Path, keep: set[str]) -> None:
    """Delete what the new site does not hold, then the journal that said what it holds."""
    kept = {*keep, MARKER, JOURNAL}
    _prune(folder, lambda relative: relative not in kept)
    (folder / JOURNAL).unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at `path` already has exactly these bytes."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _prune(folder: Path, unwanted: Callable[[str], bool]) -> None:
    """Delete the files for which unwanted(relative path) is true, then empty folders."""
    top = str(folder)
    for directory, _, names in os.walk(top, topdown=False):
        prefix = directory[len(top) + 1 :].replace(os.sep, "/")
        for name in names:
            if unwanted(f"{prefix}/{name}" if prefix else name):
                os.unlink(os.path.join(directory, name))
        if directory != top and not os.listdir(directory):
            os.rmdir(directory)
