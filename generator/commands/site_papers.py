"""The site's papers as `fetch` sees them: what the build would merge, without what
earlier runs of fetch learned."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from generator.catalog.papers import merge
from generator.content.config import load_config
from generator.content.listings import read_listings
from generator.content.metadata import read_metadata
from generator.content.notes import read_notes
from generator.diagnostics import Diagnostics
from generator.model import Facts, Paper


def site_papers(root: Path) -> list[Paper]:
    """The site's papers as the build merges them from listings, notes and the edits in
    metadata.yml, leaving out what earlier runs fetched (so a refresh sees what is missing
    without it, and asks again for what it fetched)."""
    config = load_config(root)
    entries = read_listings(config.listings, Diagnostics())
    pages = read_notes(config.content / "papers")
    edits = {
        key: dataclasses.replace(record, fetched=Facts())
        for key, record in read_metadata(config.content).items()
    }
    return merge(entries, pages, config.listings, edits)
