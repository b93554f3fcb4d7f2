"""Reading a listing file's text the same way for every format."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError, Diagnostics, Location


def read_text(path: Path, diagnostics: Diagnostics, what: str) -> str:
    """The file as text: UTF-8 with or without a byte-order mark; bad bytes become '?'
    with a warning at their line, so one stray byte never loses a paper."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(path, 0, f"cannot read {what}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        diagnostics.warn(Location(path, line), "not valid UTF-8; bad bytes replaced with '?'")
        return data.decode("utf-8-sig", errors="replace").replace("\ufffd", "?")
