"""Reading a listing file's text the same way for every format."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from generator.diagnostics import ContentError, Diagnostics, Location, what_failed
from generator.text.characters import CONTROLS, line_at

# Files no build reads, wherever they are: hidden ones (an editor's lock file, Emacs's
# .#notes.md, a link to nowhere while a buffer has unsaved edits; the ._listing.txt and
# .DS_Store macOS leaves) and editors' swap, backup and temporary files (vim's .swp, ~ and
# 4913, Emacs's #x#, kate's, browsers', and the file GNU `sed -i` writes before renaming
# it over the one it edits).
_UNREAD = re.compile(
    r"(^\.|^#.*#$|~$|\.sw[a-p]$|^4913$|\.tmp$|\.kate-swp$|\.crdownload$|\.part$"
    r"|^sed[0-9A-Za-z]{6}$)"
)


def is_unread(path: Path) -> bool:
    """Whether the file at `path` is one no build reads (nor counts as an edit)."""
    return bool(_UNREAD.search(path.name))


def is_content_file(path: Path) -> bool:
    """Whether `path` is a file to read: False when nothing (or a folder) is there; an
    error for anything else that is not a regular file (a FIFO would block the build
    forever, a device feed it without end, a socket cannot be read)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as error:
        raise ContentError(path, 0, f"cannot read it: {what_failed(error)}") from None
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISDIR(mode):
        return False
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    raise ContentError(path, 0, f"this is {kind}, not a file: replace it with a file or remove it")


def read_text(path: Path, diagnostics: Diagnostics, what: str) -> str:
    """The file as text: UTF-8 with or without a byte-order mark; bad bytes become '?'
    and control characters spaces, with a warning at their line, so one stray byte never
    loses a paper nor breaks a feed."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ContentError(path, 0, f"cannot read {what}: {what_failed(error)}") from None
    # Saved as UTF-16 (Windows' "Unicode"), or UTF-8 with or without a byte-order mark.
    codec = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(codec, errors="replace")
        diagnostics.warn(
            Location(path, line_at(before, len(before))),
            f"not valid {codec[:6].upper()}; bad bytes replaced with '?'",
        )
        text = data.decode(codec, errors="replace").replace("\ufffd", "?")
    return without_controls(text, path, diagnostics)


def without_controls(text: str, path: Path, diagnostics: Diagnostics) -> str:
    """`text` with control characters made spaces, and a warning at the first of them."""
    found = CONTROLS.search(text)
    if found is None:
        return text
    diagnostics.warn(
        Location(path, line_at(text, found.start())),
        f"control characters (U+{ord(found[0]):04X}...) replaced by spaces",
    )
    return CONTROLS.sub(" ", text)
