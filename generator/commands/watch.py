"""Watch a site's content and templates, and report each burst of edits once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from generator.content.readers.files import is_unread
from generator.recipe import Change

DEBOUNCE_SECONDS = 0.03  # editors save in bursts of a few milliseconds
POLL_SECONDS = 0.25


def is_ignored(path: Path) -> bool:
    """An edit no build would see: a file no build reads, or compiled Python."""
    return is_unread(path) or "__pycache__" in path.parts


def classify(paths: set[Path], root: Path) -> Change | None:
    """The recipe's Change an edit of these paths makes, the most work first: CONTENT
    (content/, hooks.py), TEMPLATES (a Markdown template or a new folder), LAYOUTS (only
    .html templates), ASSETS, STYLES (only stylesheets: swapped in place)."""
    content, templates = root / "content", root / "templates"
    changes = set()
    for path in paths:
        if path.is_relative_to(content) or path == root / "hooks.py":
            changes.add(Change.CONTENT)  # hooks.py is code the content stages run
        elif path == templates or path.is_relative_to(templates / "assets"):
            changes.add(Change.STYLES if path.suffix == ".css" else Change.ASSETS)
            if path == templates:
                changes.add(Change.TEMPLATES)
        elif path.is_relative_to(templates):
            changes.add(Change.LAYOUTS if path.suffix == ".html" else Change.TEMPLATES)
    return next((change for change in Change if change in changes), None)


class Debouncer:
    """Collects paths and calls `action` with them once no new path came for `delay`."""

    def __init__(self, action: Callable[[set[Path]], None], delay: float = DEBOUNCE_SECONDS):
        self._action = action
        self._delay = delay
        self._pending: set[Path] = set()
        self._deadline = 0.0
        self._stopped = False
        self._condition = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="papersite-rebuild", daemon=True)
        self._thread.start()

    def add(self, path: Path) -> None:
        with self._condition:
            self._pending.add(path)
            self._deadline = time.monotonic() + self._delay
            self._condition.notify()

    def pending(self) -> bool:
        """Whether paths wait for the next call of the action (one will come)."""
        with self._condition:
            return bool(self._pending) and not self._stopped

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._stopped and (
                    not self._pending or time.monotonic() < self._deadline
                ):
                    wait = self._deadline - time.monotonic() if self._pending else None
                    self._condition.wait(timeout=wait)
                if self._stopped:
                    return
                batch, self._pending = self._pending, set()
            self._action(batch)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: SiteWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file event inside it
        paths = [Path(str(event.src_path))]
        if getattr(event, "dest_path", ""):
            paths.append(Path(str(event.dest_path)))
        for path in paths:
            self._watcher.saw(path, is_directory=event.is_directory)


class SiteWatcher:
    """watchdog over content/, templates/ and the site root (to notice a new templates/,
    and edits of hooks.py).

    Created, moved and deleted events count as edits, so editors that save by writing a
    temporary file and renaming it over the original are seen.
    """

    def __init__(self, root: Path, on_change: Callable[[Change, set[Path]], None], poll: bool):
        self.root = root.resolve()
        self._on_change = on_change
        self._observer = PollingObserver(timeout=POLL_SECONDS) if poll else Observer()
        self._handler = _Handler(self)
        # Each watched folder, by the inode it had when its watch began: inotify follows
        # the inode, so a folder replaced (a branch switch, mv and cp) is watched again.
        self._watched: dict[Path, tuple[int, Any]] = {}
        self._debouncer = Debouncer(self._flush)

    def start(self) -> None:
        self._observer.schedule(self._handler, str(self.root), recursive=False)
        for folder in (self.root / "content", self.root / "templates"):
            self._watch(folder)
        self._observer.start()

    def stop(self) -> None:
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        self._debouncer.stop()

    def saw(self, path: Path, is_directory: bool) -> None:
        if is_ignored(path):
            return
        if is_directory and path.parent == self.root:
            self._watch(path)
        if classify({path}, self.root) is not None:
            self._debouncer.add(path)

    def _watch(self, folder: Path) -> None:
        if not folder.is_dir() or folder.name not in ("content", "templates"):
            return
        inode = folder.stat().st_ino
        current = self._watched.get(folder)
        if current is not None and current[0] == inode:
            return
        if current is not None:
            self._observer.unschedule(current[1])
        watch = self._observer.schedule(self._handler, str(folder), recursive=True)
        self._watched[folder] = (inode, watch)

    def pending(self) -> bool:
        """Whether an edit was seen that the next rebuild will take (a rebuild under way
        may then stop waiting for what that one makes again)."""
        return self._debouncer.pending()

    def _flush(self, paths: set[Path]) -> None:
        change = classify(paths, self.root)
        if change is not None:
            self._on_change(change, paths)
