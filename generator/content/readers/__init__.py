"""Readers: one module per listing format, registered here by file extension.

Each reader turns one file into Entries (a title, where it was read, and the Facts the
file gives); nothing after this stage knows which format a paper came from. A new format
is one new module and one line below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.content.readers import bibtex, hub_json, listing_text
from generator.diagnostics import Diagnostics
from generator.model import Entry

Reader = Callable[[Path, str, Diagnostics], list[Entry]]

READERS: dict[str, Reader] = {
    ".txt": listing_text.read_listing,
    ".json": hub_json.read_listing,
    ".bib": bibtex.read_listing,
}
