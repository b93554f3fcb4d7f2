"""Read every listing in content/listings with the reader for its format."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.content.readers import READERS, Reader
from generator.diagnostics import Diagnostics
from generator.model import Entry, Listing


def read_listings(
    listings: tuple[Listing, ...],
    diagnostics: Diagnostics,
    readers: Mapping[str, Reader] = READERS,
) -> list[Entry]:
    """Every entry of every listing, in file order, each read by the reader for its
    extension (`readers`: the built-in ones, and those of the site's plugins)."""
    entries: list[Entry] = []
    for listing in listings:
        entries.extend(readers[listing.path.suffix.lower()](listing.path, listing.id, diagnostics))
    return entries


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """One listing file, read by the built-in reader for its extension."""
    return READERS[path.suffix.lower()](path, listing_id, diagnostics)
