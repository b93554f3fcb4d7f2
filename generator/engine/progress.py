"""Stage timings for every build, and a progress line on a terminal for long ones."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TextIO

STAGES = ("parse", "merge", "topics", "related", "search", "markdown", "html", "write")
WALL_ONLY = ("render",)  # shown while running, not reported: its parts are


class Progress:
    """Times each pipeline stage; shows the running stage when writing to a terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.timings: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self._stream = stream
        self._width = 0

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """Visible on an interactive terminal unless --quiet; silent otherwise."""
        return cls(None if quiet or not sys.stderr.isatty() else sys.stderr)

    @contextlib.contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        self._show(f"{name}{' ' + detail if detail else ''}…")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        if name not in WALL_ONLY:
            self.timings[name] = self.timings.get(name, 0.0) + seconds

    def done(self) -> None:
        """Clear the progress line before the summary is printed."""
        self._show("")

    def _show(self, text: str) -> None:
        if self._stream is None:
            return
        self._stream.write("\r" + text.ljust(self._width) + ("\r" if not text else ""))
        self._stream.flush()
        self._width = len(text)
