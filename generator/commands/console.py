"""Where `fetch` talks to the user."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from generator.diagnostics import printable


@dataclass
class Console:
    """Where fetch talks: warnings and notes on stderr (above the progress bar, if any)."""

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    bar: Any = None

    def say(self, line: str) -> None:
        """Show one line; what came from the Hub or a file (a title with an ESC in it)
        is shown, never acted on by the terminal."""
        line = printable(line)
        if self.bar is not None:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)
