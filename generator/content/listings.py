"""Read every listing in content/sources with the reader for its format."""

from __future__ import annotations

from pathlib import Path

from generator.content.readers import READERS
from generator.diagnostics import Diagnostics
from generator.model import Entry, Listing


def read_listings(listings: tuple[Listing, ...], diagnostics: Diagnostics) -> list[Entry]:
    """Every entry of every listing, in file order."""
    entries: list[Entry] = []
    for listing in listings:
        entries.extend(read_listing(listing.path, listing.id, diagnostics))
    return entries


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """One listing file, read by the reader registered for its extension."""
    return READERS[path.suffix.lower()](path, listing_id, diagnostics)
