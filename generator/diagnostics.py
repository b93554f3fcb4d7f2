"""Errors and warnings that point at a file and line, so users can fix their content."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Location:
    """A place in a content file: the path and a 1-based line number (0 when unknown)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class PapersiteError(Exception):
    """Every error a command stops on, handled once (cli.main): the lines it prints, and
    the exit status (1; 2 for a mistake in how the command was called). `building`: the
    command was building the site (what it says of the site left in place)."""

    exit_code = 1

    def lines(self, building: bool = False) -> list[str]:
        return [printable(f"papersite: error: {self}")]


class ContentError(PapersiteError):
    """A mistake in content, configuration or templates that stops the build."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(message)
        self.location = Location(Path(path), line)
        self.message = message

    def __str__(self) -> str:
        return printable(f"{self.location}: error: {self.message}")

    def __reduce__(self) -> tuple[Any, ...]:
        # So an error raised in a worker process arrives whole in the parent.
        return (ContentError, (self.location.path, self.location.line, self.message))

    def lines(self, building: bool = False) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class ContentWarning:
    """Something odd in the content that the build worked around."""

    location: Location
    message: str

    def __str__(self) -> str:
        return printable(f"{self.location}: warning: {self.message}")


@dataclass
class Diagnostics:
    """Collects warnings from every stage in the order they were found."""

    warnings: list[ContentWarning] = field(default_factory=list)

    def warn(self, location: Location, message: str) -> None:
        self.warnings.append(ContentWarning(location, message))


class StrictModeError(PapersiteError):
    """--strict was given and the build produced warnings."""

    def __init__(self, warnings: tuple[ContentWarning, ...]) -> None:
        super().__init__(f"{len(warnings)} warning(s) and --strict is on")
        self.warnings = warnings

    def lines(self, building: bool = True) -> list[str]:
        said = f"papersite: error: {self}; the previous site was left as it was"
        return [*map(str, self.warnings), said]


# What a terminal would act on rather than show: controls (ESC starts a colour or title
# sequence), the separators that would end the line, and lone halves of a pair (which
# no UTF-8 stream can carry).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` as one line a terminal shows as it is: controls written as \\xNN escapes."""
    return _UNPRINTABLE.sub(lambda found: repr(found[0])[1:-1], text)


def file_error(error: OSError, *, building: bool = True) -> str:
    """One line for a failed file operation: the file, what went wrong, what to do (and,
    `building` the site, that the previous one is as it was)."""
    where = error.filename or "papersite"
    if not building:
        return printable(f"{where}: error: {what_failed(error)}")
    if error.errno == errno.EROFS:
        return printable(f"{where}: error: the file system is read-only: choose another --output")
    return printable(f"{where}: error: {what_failed(error)} (the previous site was left as it was)")


def what_failed(error: OSError) -> str:
    """What went wrong in a file operation, and what to do: 'permission denied: check who
    owns it'."""
    return {
        errno.ENOSPC: "the disk is full: free some space and try again",
        errno.EDQUOT: "the disk quota is used up: free some space and try again",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied: check who owns it",
        errno.EPERM: "not permitted: check who owns it",
        errno.ENOTDIR: "a part of this path is a file, not a folder",
    }.get(error.errno or 0, error.strerror or str(error))
