"""Write the site so that a failed build leaves the old one exactly as it was.

A fresh output folder (missing or empty) is written directly and removed again if the
build fails. An existing site is updated in place: the bytes of every file that changes
are first appended to a pack (one file per `write_files` call, .papersite-new-*), and once
every page is ready, a journal is written and each changed file is overwritten from its
pack; files the build no longer makes are then deleted. If the build fails before the
journal, the packs are removed and the old site is untouched; after it, the next build
finishes putting the new site in place.

Unchanged files are not rewritten: they keep their bytes, inode and time stamp, so a
rebuild that changes little writes little (a layout edit rewrites the HTML but not one
index.md). Changed files keep their inode: overwriting a file in place costs a tenth of
creating one on some file systems (on ext4 without a journal, creating a file, above all
in the minutes after many were deleted, is what a rebuild spent most of its time on). A
file with other hard links (a snapshot of the site, say) is replaced, never overwritten,
so the other copies keep the old bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from generator.diagnostics import PapersiteError
from generator.engine.faults import pause_at

MARKER = ".papersite"
MARKER_TEXT = b"This folder is written by papersite build, which updates it on every build.\n"
# The packs of an update's new bytes, in the output folder (never part of a site).
PENDING = ".papersite-new-"
# Written before the packs are put in place, and removed once they all are: a build
# killed in between is finished by the next one (the new site, never a mix).
JOURNAL = ".papersite-commit"
# A pack record: the length of the path, the length of the bytes, the path, the bytes.
_RECORD = struct.Struct(">IQ")


class OutputError(PapersiteError):
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
    """What write_files calls did: every path they were given, the packs holding the
    bytes of those that change (names in the output folder), and the size and time of
    those found holding their bytes already (`state`: they are left as they are), to
    which the commit adds those it overwrote."""

    paths: list[str] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    state: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, other: Written) -> None:
        self.paths += other.paths
        self.packs += other.packs
        self.state.update(other.state)


class Writer(Protocol):
    """Where a build puts the site: `write_files` new bytes, `keep` files of the last build
    as they are. `from_any_process`: forked workers may write their own share."""

    @property
    def from_any_process(self) -> bool: ...

    def write_files(
        self, files: dict[str, bytes], known: Mapping[str, tuple[int, int]] | None = None
    ) -> Written: ...

    def keep(self, paths: list[str]) -> Written: ...


@dataclass(frozen=True)
class SiteWriter:
    """Writes files into `folder`; `fresh` when it held no site (nothing to keep safe)."""

    folder: Path
    fresh: bool
    from_any_process: bool = True
    # Every file the folder holds, when the caller knows it (the last build's, untouched
    # since): what this build does not make is then deleted without walking the folder.
    holds: frozenset[str] | None = None

    def keep(self, paths: list[str]) -> Written:
        """Leave these files of the last build in place (they are part of this one)."""
        return Written(paths=list(paths))

    def write_files(
        self, files: dict[str, bytes], known: Mapping[str, tuple[int, int]] | None = None
    ) -> Written:
        """Write what changed: into the folder when it is fresh, else into a pack of this
        call's own (calls may run in several processes at once, on distinct files).
        `known`: the size and time of files the last build left holding exactly the bytes
        given here: one found so is not read to be compared."""
        written = Written()
        known = known or {}
        made: set[str] = set()
        pack: BinaryIO | None = None
        first = True
        try:
            for relative, data in sorted(files.items()):
                written.paths.append(relative)
                target = os.path.join(self.folder, relative)
                if self.fresh:
                    directory = os.path.dirname(relative)
                    if directory and directory not in made:
                        os.makedirs(os.path.join(self.folder, directory), exist_ok=True)
                        made.add(directory)
                    _write(target, data)
                elif (unchanged := _holding(target, data, known.get(relative))) is not None:
                    written.state[relative] = (unchanged.st_size, unchanged.st_mtime_ns)
                    continue
                else:
                    if pack is None:
                        handle, name = tempfile.mkstemp(prefix=PENDING, dir=self.folder)
                        pack = os.fdopen(handle, "wb", buffering=1 << 20)
                        written.packs.append(os.path.basename(name))
                    _append(pack, relative, data)
                if first:  # the first file this call wrote
                    first = False
                    if pack is not None:
                        pack.flush()  # so that a build stopped here leaves it in its pack
                    pause_at("write")
        finally:
            if pack is not None:
                pack.close()
        return written

    def commit(self, written: Written) -> None:
        """Put the packs' files in place, then delete whatever the build did not make;
        the journal lets the next build finish this if it is killed half-way."""
        if self.fresh:  # marked when it was made, it holds only what this build wrote
            return
        journal = {"packs": sorted(written.packs), "paths": sorted(written.paths)}
        _write_atomically(self.folder / JOURNAL, json.dumps(journal).encode("utf-8"))
        applied: list[str] = []
        try:
            pause_at("journal")
            _apply(self.folder, written.packs, applied, written.state)
        except BaseException:
            if not applied:  # nothing changed yet: the old site stays, whole
                (self.folder / JOURNAL).unlink(missing_ok=True)
            raise
        _mark(self.folder)
        pause_at("prune")
        _finish(self.folder, set(written.paths), self.holds)

    def discard(self) -> None:
        """Undo a failed build: remove what it wrote (everything, if the folder was fresh).
        Once the journal is written the new site is being put in place: it stays for the
        next build to finish."""
        if self.fresh:
            _prune(self.folder, lambda relative: True)
        elif not (self.folder / JOURNAL).exists():
            _remove_packs(self.folder)


class MemoryWriter:
    """The site in memory (serve's): `files` holds what was written, and `keep` takes files
    from the `previous` site. Workers' writes would stay in their processes."""

    from_any_process = False

    def __init__(self, previous: dict[str, bytes]) -> None:
        self.files: dict[str, bytes] = {}
        self._previous = previous

    def write_files(
        self, files: dict[str, bytes], known: Mapping[str, tuple[int, int]] | None = None
    ) -> Written:
        self.files.update(files)
        return Written(paths=sorted(files))

    def keep(self, paths: list[str]) -> Written:
        for path in paths:
            self.files[path] = self._previous[path]
        return Written(paths=list(paths))


@contextlib.contextmanager
def updated_output(
    output: Path, holds: Callable[[], frozenset[str] | None] | None = None
) -> Iterator[tuple[SiteWriter, Written]]:
    """A writer for `output` and the record of what was written; the caller adds every
    Written to the record. The site is committed when the block succeeds, and left as it
    was when it fails. `holds` tells every file the folder holds, if it can (asked once
    the folder is as the last build left it, before anything is written)."""
    check_output(output)
    recover(output)
    held = holds() if holds is not None else None
    existed = output.is_dir()
    fresh = not existed or not any(output.iterdir())
    output.mkdir(parents=True, exist_ok=True)
    # Marked before anything else, so that a first build killed half-way leaves a folder
    # the next build takes up (an unmarked one it would refuse as someone else's).
    if fresh:
        (output / MARKER).write_bytes(MARKER_TEXT)  # (a short one, if killed, still marks it)
    writer = SiteWriter(output, fresh, holds=None if fresh else held)
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
    """Finish a commit a killed build began (its journal names the packs and lists the
    new site); remove the packs of a build killed before its commit."""
    journal = output / JOURNAL
    if journal.is_file():
        try:
            began = json.loads(journal.read_bytes())
            packs, paths = list(began["packs"]), set(began["paths"])
        except (ValueError, KeyError, TypeError):
            raise OutputError(
                f"{journal} is damaged: a build was stopped while putting the site in "
                f"place; delete {output} and build again"
            ) from None
        _apply(output, packs)
        _finish(output, paths)
    if output.is_dir():
        _remove_packs(output)


def _apply(
    folder: Path,
    packs: list[str],
    applied: list[str] | None = None,
    state: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Overwrite each file from the packs (noting each in `applied`, before it is
    written, and its size and time in `state`, after); then remove the packs. (Packs are
    removed only once all are applied: a pack that is gone was applied.)"""
    first = True
    applied = [] if applied is None else applied
    state = {} if state is None else state
    for name in packs:
        if not (folder / name).is_file():
            continue
        with open(folder / name, "rb") as pack:
            while header := pack.read(_RECORD.size):
                path_size, data_size = _RECORD.unpack(header)
                relative = pack.read(path_size).decode("utf-8")
                applied.append(relative)
                left = _overwrite(os.path.join(folder, relative), pack.read(data_size))
                if left is not None:
                    state[relative] = left
                if first:
                    pause_at("commit")
                    first = False
    for name in packs:
        (folder / name).unlink(missing_ok=True)


def _overwrite(path: str, data: bytes) -> tuple[int, int] | None:
    """Make the file at `path` hold `data`: in place (its inode kept), or a new file put in
    its place when it has other hard links (they keep the old bytes) or is not there. The
    size and time it is left with, when written in place (a stat less per file)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        info = os.fstat(descriptor)
        if info.st_nlink > 1:  # opened, not written: the other links keep the old bytes
            _write_atomically(Path(path), data)
            return None
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        if info.st_size > len(data):
            os.ftruncate(descriptor, len(data))
        info = os.fstat(descriptor)
        return info.st_size, info.st_mtime_ns
    finally:
        os.close(descriptor)


def _remove_packs(folder: Path) -> None:
    for name in os.listdir(folder):
        if name.startswith(PENDING):
            os.unlink(folder / name)


def _finish(folder: Path, keep: set[str], holds: frozenset[str] | None = None) -> None:
    """Delete what the new site does not hold, then the journal that said what it holds.
    `holds`: every file the folder held before this build, if known (the folder is then
    not walked)."""
    kept = {*keep, MARKER, JOURNAL}
    if holds is None:
        _prune(folder, lambda relative: relative not in kept)
    else:
        _remove(folder, [relative for relative in holds if relative not in kept])
    (folder / JOURNAL).unlink(missing_ok=True)


def _remove(folder: Path, paths: list[str]) -> None:
    """Delete these files, then each folder they leave empty."""
    emptied: set[str] = set()
    for relative in paths:
        (folder / relative).unlink(missing_ok=True)
        parent = relative.rpartition("/")[0]
        while parent and parent not in emptied:
            emptied.add(parent)
            parent = parent.rpartition("/")[0]
    for relative in sorted(emptied, key=lambda path: path.count("/"), reverse=True):
        if not os.listdir(folder / relative):
            os.rmdir(folder / relative)


def _mark(folder: Path) -> None:
    """Give the marker its text, whole, if it has another (an older papersite's, or one a
    kill cut short). Never written over in place: a build killed then left it empty."""
    with contextlib.suppress(OSError):
        if (folder / MARKER).read_bytes() == MARKER_TEXT:
            return
    _write_atomically(folder / MARKER, MARKER_TEXT)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a disk that fills half-way, or a kill, leaves no
    trace (the next build removes a pending file left beside it)."""
    temporary = path.with_name(PENDING + path.name)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _holding(path: str, data: bytes, known: tuple[int, int] | None) -> os.stat_result | None:
    """The file at `path`'s size and times, if it already has exactly these bytes (or is
    as the build that wrote them left it: the size and time `known`)."""
    try:
        info = os.stat(path)
        if info.st_size != len(data):
            return None
        if (info.st_size, info.st_mtime_ns) == known:
            return info
        with open(path, "rb") as handle:
            return info if handle.read() == data else None
    except OSError:
        return None


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _append(pack: BinaryIO, relative: str, data: bytes) -> None:
    """Add the file `relative` with these bytes to a pack."""
    path = relative.encode("utf-8")
    pack.write(_RECORD.pack(len(path), len(data)) + path)
    pack.write(data)


def _prune(folder: Path, unwanted: Callable[[str], bool]) -> None:
    """Delete the files for which unwanted(relative path) is true, then empty folders."""
    top = str(folder)
    removed: set[str] = set()  # folders, each seen (bottom up) before its parent
    for directory, folders, names in os.walk(top, topdown=False):
        prefix = directory[len(top) + 1 :].replace(os.sep, "/")
        left = False
        for name in names:
            if unwanted(f"{prefix}/{name}" if prefix else name):
                os.unlink(os.path.join(directory, name))
            else:
                left = True
        left = left or any(os.path.join(directory, name) not in removed for name in folders)
        if directory != top and not left:
            os.rmdir(directory)
            removed.add(directory)
