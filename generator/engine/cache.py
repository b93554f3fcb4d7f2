"""A content-addressed cache in ROOT/.papersite-cache: safe to delete at any time.

Each entry is keyed by a hash of everything that decides it (and of papersite's own
version), so a stale entry is never used: it is simply not found.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import generator
from generator.engine.collector import collector_paused

FOLDER = ".papersite-cache"
# Written into the cache folder, so that git never lists it (as pytest and ruff do theirs).
IGNORE_FILE = b"# Made by papersite: a cache, safe to delete. Git ignores it whole.\n*\n"
# Bump when the shape of a cached value changes, so old entries are never read.
FORMAT = 4


def _salt() -> str:
    """What every key is salted with: papersite's version and code (so an edited checkout
    never reuses what its earlier code made), the cache format, the libraries' versions."""
    # zlib compresses the social cards (the bytes depend on its version); rjsmin lunr.js.
    parts = [generator.__version__, str(FORMAT), _code_digest(), zlib.ZLIB_RUNTIME_VERSION]
    libraries = ("lunr", "markdown-it-py", "jinja2", "bibtexparser", "pillow", "rjsmin")
    return "/".join(parts + installed_versions(libraries))


def installed_versions(names: tuple[str, ...]) -> list[str]:
    """The installed version of each distribution ("?" if none): the first found in a
    folder along sys.path, as importlib.metadata finds it there, read from the name of its
    .dist-info folder (a wheel's says its version) or else its metadata; not one inside a
    zip file or an .egg (pip makes neither). importlib.metadata itself takes 20-50 ms to
    import (email, zipfile, csv): a tenth of a small site's build before any of its work,
    and most of a build that finds nothing changed."""
    wanted = {_distribution_key(name) for name in names}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = sorted(os.listdir(folder or "."))
        except OSError:  # gone, or a zip file (none of these ships in one)
            continue
        for entry in entries:
            stem, _, kind = entry.rpartition(".")
            if kind.lower() not in ("dist-info", "egg-info"):
                continue
            name, _, rest = stem.partition("-")
            key = _distribution_key(name)
            if key in wanted and key not in found:
                named = rest.partition("-")[0]  # (an egg's name goes on with its Python)
                found[key] = named or _metadata_version(Path(folder or ".", entry))
    return [found.get(_distribution_key(name), "?") for name in names]


def _distribution_key(name: str) -> str:
    """A distribution's name as its folder's spells it, and as pip compares names:
    "markdown-it-py", "Markdown_It.py" and "markdown_it_py" are one."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(place: Path) -> str:
    """The Version: line of a distribution's metadata (METADATA in a .dist-info folder,
    PKG-INFO in an .egg-info folder, or the .egg-info file itself)."""
    for path in (place / "METADATA", place / "PKG-INFO", place):
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            continue
        found = re.search(r"^Version:[ \t]*(\S+)", text, re.MULTILINE)
        if found:
            return found[1]
    return "?"


@functools.cache
def _code_digest() -> str:
    """A hash of papersite's own Python files (read once a process, about 1 ms)."""
    code = Path(generator.__file__).parent
    return digest(*(path.read_bytes() for path in sorted(code.rglob("*.py"))))


def digest(*parts: str | bytes) -> str:
    """A hex key for the given parts, in order."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def made_folder(folder: Path) -> Path:
    """The cache folder, made (with the .gitignore that hides it from git) if it is not."""
    if not (folder / ".gitignore").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_bytes(IGNORE_FILE)
    return folder


class BuildCache:
    """Pickled values by kind and key; a disabled cache (folder None) stores nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._salt = _salt()

    @classmethod
    def for_site(cls, root: Path) -> BuildCache:
        return cls(root / FOLDER)

    def key(self, *parts: str | bytes) -> str:
        return digest(self._salt, *parts)

    def load(self, kind: str, key: str) -> Any | None:
        """The value stored under `key`, or None: missing, unreadable, cut short, or the
        file of another key under its name (each file holds its key beside its value)."""
        if self.folder is None:
            return None
        # The catalog of 10,000 papers loads in 0.08 s with the collector paused, 0.15-0.36 s
        # with it on (it walks every new object, again and again, and frees none).
        try:
            with open(self.folder / kind / key, "rb") as handle, collector_paused():
                stored = pickle.load(handle)
        except Exception:  # damaged in any way: recomputed, never believed nor fatal
            return None
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
            return stored[1]
        return None

    def store(self, kind: str, key: str, value: Any) -> bool:
        """Write atomically; a cache that cannot be written is silently skipped (False)."""
        if self.folder is None:
            return False
        folder = self.folder / kind
        try:
            made_folder(self.folder)
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump((key, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, folder / key)
            except BaseException:  # stopped half-way (a full disk, Ctrl-C, a cancelled
                with contextlib.suppress(OSError):  # worker): no stray temporary file
                    os.unlink(temporary)
                raise
        except OSError:
            return False
        return True

    def names(self, kind: str, prefix: str) -> list[str]:
        """The keys of `kind` that start with `prefix`, sorted."""
        if self.folder is None or not (self.folder / kind).is_dir():
            return []
        return sorted(p.name for p in (self.folder / kind).iterdir() if p.name.startswith(prefix))

    def replace_kind(self, kind: str, key: str, value: Any) -> None:
        """Store `value` as the only entry of `kind` (for caches that follow the site)."""
        self.store(kind, key, value)
        self.retain(kind, {key})

    def retain(self, kind: str, keys: set[str]) -> None:
        """Drop the entries of `kind` not in `keys`, so the cache follows the site's size
        (what cannot be removed stays: a cache is never an error)."""
        if self.folder is None:
            return
        try:
            stale = [p for p in (self.folder / kind).iterdir() if p.name not in keys]
        except OSError:
            return
        for path in stale:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                continue
