"""Merge listing entries and notes pages into papers: dedupe, slugs, links, dates."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from generator.diagnostics import ContentError
from generator.links import links_in
from generator.model import Entry, Listing, Paper, PaperPage
from generator.slugs import unique_slugs

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """A paper's identity: its title ignoring case, whitespace and punctuation."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", title).casefold())


def merge(
    entries: list[Entry], pages: list[PaperPage], listings: tuple[Listing, ...]
) -> list[Paper]:
    """One Paper per distinct title, sorted by slug; the result ignores input order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(title_key(entry.title), []).append(entry)
    pages_by_key: dict[str, PaperPage] = {}
    for page in pages:
        key = title_key(page.title)
        if not key:
            raise ContentError(page.location.path, 1, "title needs letters or digits")
        if key in pages_by_key:
            other = pages_by_key[key].location.path
            raise ContentError(page.location.path, 1, f"same paper as {other}: merge the notes")
        pages_by_key[key] = page
    keys = sorted(set(groups) | set(pages_by_key))
    titles = {key: _canonical_title(groups.get(key, []), pages_by_key.get(key)) for key in keys}
    slugs = unique_slugs([(key, titles[key]) for key in keys])
    papers = [
        _paper(key, slugs[key], titles[key], groups.get(key, []), pages_by_key.get(key), listings)
        for key in keys
    ]
    return sorted(papers, key=lambda paper: paper.slug)


def _canonical_title(entries: list[Entry], page: PaperPage | None) -> str:
    """The notes page's title, else the most common spelling (ties: the smallest)."""
    if page is not None:
        return page.title
    counts = Counter(entry.title for entry in entries)
    return min(counts, key=lambda title: (-counts[title], title))


def _paper(
    key: str,
    slug: str,
    title: str,
    entries: list[Entry],
    page: PaperPage | None,
    listings: tuple[Listing, ...],
) -> Paper:
    order = {listing.id: index for index, listing in enumerate(listings)}
    dates = {listing.id: listing.date for listing in listings}
    abstracts = sorted({entry.abstract for entry in entries}, key=lambda text: (-len(text), text))
    abstract = (page.abstract if page and page.abstract else "") or (
        abstracts[0] if abstracts else ""
    )
    listing_ids = sorted(
        {entry.listing for entry in entries if entry.listing},
        key=lambda listing: (order.get(listing, len(order)), listing),
    )
    listing_dates = [dates[listing] for listing in listing_ids if dates.get(listing)]
    origins = sorted(
        {entry.location for entry in entries}, key=lambda loc: (str(loc.path), loc.line)
    )
    if page is not None:
        origins.append(page.location)
    links = {link.url: link for link in links_in(abstract)}
    for link in page.links if page else ():
        links.setdefault(link.url, link)
    return Paper(
        key=key,
        slug=slug,
        title=title,
        abstract=abstract,
        listings=tuple(listing_ids),
        origins=tuple(origins),
        date=(page.date if page and page.date else None) or min(listing_dates, default=None),
        authors=page.authors if page else (),
        links=tuple(links.values()),
        topics=page.topics if page else (),
        notes=page.notes if page else "",
    )
