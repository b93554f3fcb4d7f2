"""Reading a listing file's text the same way for every format."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError, Diagnostics, Location, what_failed
from generator.text.characters import CONTROLS


def read_text(path: Path, diagnostics: Diagnostics, what: str) -> str:
    """The file as text: UTF-8 with or without a byte-order mark; bad bytes become '?'
    and control characters spaces, with a warning at their line, so one stray byte never
    loses a paper nor breaks a feed."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(path, 0, f"cannot read {what}: {what_failed(error)}") from None
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # saved as UTF-16 (Windows' "Unicode")
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        diagnostics.warn(Location(path, line), "not valid UTF-8; bad bytes replaced with '?'")
        text = data.decode("utf-8-sig", errors="replace").replace("\ufffd", "?")
    return without_controls(text, path, diagnostics)


def without_controls(text: str, path: Path, diagnostics: Diagnostics) -> str:
    """`text` with control characters made spaces, and a warning at the first of them."""
    found = CONTROLS.search(text)
    if found is None:
        return text
    line = text.count("\n", 0, found.start()) + 1
    diagnostics.warn(
        Location(path, line), f"control characters (U+{ord(found[0]):04X}...) replaced by spaces"
    )
    return CONTROLS.sub(" ", text)
