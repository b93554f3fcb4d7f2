"""Merge listing entries, metadata records and notes into papers: dedupe, slugs,
facts by precedence (notes > metadata.yml edits > listings > fetched metadata), links."""

from __future__ import annotations

import dataclasses
from collections import Counter

from generator.catalog.cite_keys import cite_keys
from generator.content.facts import combine
from generator.diagnostics import ContentError, Diagnostics, Location
from generator.model import Entry, Facts, Link, Listing, MetadataRecord, Note, Paper, PaperDate
from generator.text.identifiers import graph_key, title_key, title_spelling
from generator.text.paper_links import links_in
from generator.text.slugs import unique_slugs
from generator.text.tex import typeset
from generator.text.urls import ORDERS, PAGES

__all__ = ["merge", "title_key"]
# Folders of the papers/ collection itself (papers/page/2/, papers/by/date/): never a slug.
COLLECTION_FOLDERS = frozenset({ORDERS.strip("/"), PAGES.strip("/")})
_NONE = Facts()


def merge(
    entries: list[Entry],
    notes: list[Note],
    listings: tuple[Listing, ...],
    records: dict[str, MetadataRecord] | None = None,
    diagnostics: Diagnostics | None = None,
) -> list[Paper]:
    """One Paper per distinct title, sorted by slug; the result ignores input order.

    `records` are content/metadata.yml's, by title key; a record that names no paper is
    reported (a typo in its title would otherwise go unnoticed).
    """
    records = records or {}
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        key = title_key(entry.title)
        if not key:  # all such titles would merge into one paper
            if diagnostics is not None:
                diagnostics.warn(
                    entry.location, f"title has no letters or digits: '{entry.title}'; skipped"
                )
            continue
        groups.setdefault(key, []).append(entry)
    positions = _listing_positions(groups)
    notes_by_key: dict[str, Note] = {}
    for note in notes:
        key = title_key(note.title)
        if not key:
            raise ContentError(note.location.path, 1, "title needs letters or digits")
        if key in notes_by_key:
            other = notes_by_key[key].location.path
            raise ContentError(note.location.path, 1, f"same paper as {other}: merge the notes")
        notes_by_key[key] = note
    keys = sorted(set(groups) | set(notes_by_key))
    if diagnostics is not None:
        for key in keys:
            named = [(entry.title, entry.location) for entry in groups.get(key, [])]
            if key in notes_by_key:
                named.append((notes_by_key[key].title, notes_by_key[key].location))
            _merged_spellings(named, diagnostics)
        for key in sorted(set(records) - set(keys)):
            record = records[key]
            diagnostics.warn(
                record.location, f"no listed paper or notes file is titled '{record.title}'"
            )
    titles = {key: _canonical_title(groups.get(key, []), notes_by_key.get(key)) for key in keys}
    slugs = unique_slugs([(key, titles[key]) for key in keys], reserved=COLLECTION_FOLDERS)
    papers = [
        _paper(
            key,
            slugs[key],
            titles[key],
            groups.get(key, []),
            notes_by_key.get(key),
            records.get(key),
            listings,
            diagnostics,
        )
        for key in keys
    ]
    keyed = cite_keys(papers, diagnostics)
    return sorted(
        (
            dataclasses.replace(
                paper,
                cite_key=keyed[paper.slug],
                positions=tuple(sorted(positions.get(paper.key, {}).items())),
            )
            for paper in papers
        ),
        key=lambda paper: paper.slug,
    )


def _merged_spellings(named: list[tuple[str, Location]], diagnostics: Diagnostics) -> None:
    """Warn where titles taken for one paper are spelled differently (beyond case,
    accents, spacing and typographic punctuation): "Pre-training" and "Pretraining" are
    one paper, and the warning names both places, in case they are not."""
    first: dict[str, tuple[str, Location]] = {}
    for title, location in sorted(named, key=lambda pair: (str(pair[1].path), pair[1].line)):
        first.setdefault(title_spelling(title), (title, location))
    spellings = list(first.values())
    for title, location in spellings[1:]:
        other, where = spellings[0]
        diagnostics.warn(
            location,
            f"'{title}' is taken for the same paper as '{other}' ({where.path.name}:"
            f"{where.line}): the titles differ only in punctuation",
        )


def _listing_positions(groups: dict[str, list[Entry]]) -> dict[str, dict[str, int]]:
    """Each paper's place (from 0) in each listing that names it, by where the listing
    names it first: the listing's own order, whatever order the entries came in."""
    first_lines: dict[str, dict[str, int]] = {}
    for key, entries in groups.items():
        for entry in entries:
            if entry.listing is not None:
                lines = first_lines.setdefault(entry.listing, {})
                lines[key] = min(lines.get(key, entry.location.line), entry.location.line)
    positions: dict[str, dict[str, int]] = {}
    for listing, lines in first_lines.items():
        for number, key in enumerate(sorted(lines, key=lambda key: (lines[key], key))):
            positions.setdefault(key, {})[listing] = number
    return positions


def _canonical_title(entries: list[Entry], note: Note | None) -> str:
    """The note's title, else the most common spelling (ties: the smallest)."""
    if note is not None:
        return note.title
    counts = Counter(entry.title for entry in entries)
    return min(counts, key=lambda title: (-counts[title], title))


def _paper(
    key: str,
    slug: str,
    title: str,
    entries: list[Entry],
    note: Note | None,
    record: MetadataRecord | None,
    listings: tuple[Listing, ...],
    diagnostics: Diagnostics | None = None,
) -> Paper:
    order = {listing.id: index for index, listing in enumerate(listings)}
    ordered = sorted(
        entries,
        key=lambda e: (
            order.get(e.listing or "", len(order)),
            str(e.location.path),
            e.location.line,
        ),
    )
    # What the user wrote (a note, edits in metadata.yml, a .bib entry) ranks by kind of
    # source, never by file name; what was listed or fetched only fills its gaps.
    own = [entry for entry in ordered if entry.bib is not None]
    listed = [entry for entry in ordered if entry.bib is None]
    by_hand = [note.facts if note else _NONE, record.edited if record else _NONE]
    by_hand += [entry.facts for entry in own]
    if diagnostics is not None:
        places = [note.location if note else None, record.location if record else None]
        places += [entry.location for entry in own]
        _disagreements(list(zip(places, by_hand, strict=True)), diagnostics)
        _unpublished_keys(own, diagnostics)
    fetched = record.fetched if record else _NONE
    facts = combine([*by_hand, *(entry.facts for entry in listed), fetched])
    if diagnostics is not None:
        _other_identifiers(title, listed, facts, by_hand[:2], diagnostics)
    abstract = _abstract(by_hand, entries, fetched)
    listing_ids = sorted(
        {entry.listing for entry in entries if entry.listing},
        key=lambda listing: (order.get(listing, len(order)), listing),
    )
    dates = [listing.date for listing in listings if listing.id in listing_ids and listing.date]
    origins = sorted({e.location for e in entries}, key=lambda loc: (str(loc.path), loc.line))
    return Paper(
        key=key,
        slug=slug,
        title=title,
        abstract=abstract,
        listings=tuple(listing_ids),
        origins=(*origins, *([note.location] if note else [])),
        published=facts.published,
        listed=min(dates, default=None),
        authors=facts.authors,
        links=_links(facts, abstract),
        requested_topics=note.requested_topics if note else (),
        notes=note.notes if note else "",
        arxiv=facts.arxiv,
        doi=facts.doi,
        upvotes=facts.upvotes,
        venue=facts.venue,
        kind=facts.kind,
        authors_inverted=facts.authors_inverted,
        more_authors=facts.more_authors,
        details=facts.details,
        bib=own[0].bib if own else None,
        fields=facts.fields,
    )


def _disagreements(sources: list[tuple[Location | None, Facts]], diagnostics: Diagnostics) -> None:
    """Warn where two of the user's own sources give a paper different dates or
    identifiers, naming both places (the first, which wins, and the other)."""
    for name, shown in (
        ("published", lambda date: date.iso()),
        ("doi", str),
        ("arxiv", str),
    ):
        given = [(where, value) for where, facts in sources if (value := getattr(facts, name))]
        for where, value in given[1:]:
            first_where, first_value = given[0]
            if where is None or first_where is None or _agree(value, first_value):
                continue
            label = {"published": "date", "doi": "DOI", "arxiv": "arXiv id"}[name]
            diagnostics.warn(
                where,
                f"{label} {shown(value)} differs from {shown(first_value)} in "
                f"{first_where.path.name}:{first_where.line}, which is used",
            )


def _other_identifiers(
    title: str, listed: list[Entry], facts: Facts, corrected: list[Facts], diagnostics: Diagnostics
) -> None:
    """Warn where a listing names another arXiv id or DOI for a paper than its page uses:
    two papers with one title were taken as one, and the other is not on the site. Not
    where a note or metadata.yml (`corrected`) gave the one used: that is a correction."""
    for name, label in (("arxiv", "arXiv id"), ("doi", "DOI")):
        used = getattr(facts, name)
        if any(getattr(given, name) for given in corrected):
            continue
        for entry in listed:
            value = getattr(entry.facts, name)
            if used and value and _identifier(name, value) != _identifier(name, used):
                diagnostics.warn(
                    entry.location,
                    f"{label} {value} is not {used}, which the page of '{title}' uses: "
                    "papers with one title are one page, so this one is not on the site",
                )


def _identifier(name: str, value: str) -> str | None:
    """How the citation graph names the paper of an arXiv id (any version) or a DOI (any
    case): the same paper, the same name."""
    return graph_key(value, None) if name == "arxiv" else graph_key(None, value)


def _unpublished_keys(own: list[Entry], diagnostics: Diagnostics) -> None:
    """Warn where two .bib entries with different keys are one paper (their titles are
    the same): the page publishes the first, so a \\cite of the other's key finds nothing."""
    if len(own) < 2:
        return
    first, where = own[0].bib, own[0].location
    for entry in own[1:]:
        assert first is not None and entry.bib is not None  # (own: the entries with one)
        if entry.bib.key != first.key:
            diagnostics.warn(
                entry.location,
                f"entry '{entry.bib.key}' is the same paper as '{first.key}' ({where.path.name}:"
                f"{where.line}), whose entry its page publishes: '{entry.bib.key}' is not on "
                "the site",
            )


def _abstract(by_hand: list[Facts], entries: list[Entry], fetched: Facts) -> str:
    """The abstract as a person wrote it, else the longest listed one, else the Hub's (the
    last two copied from arXiv, with their TeX typeset)."""
    written = next((facts.abstract for facts in by_hand if facts.abstract), "")
    if written:
        return written
    longest = max((e.abstract for e in entries), key=lambda text: (len(text), text), default="")
    return typeset(longest or fetched.abstract)


def _links(facts: Facts, abstract: str) -> tuple[Link, ...]:
    """The links facts name, then those found in the abstract (each URL once)."""
    links = {link.url: link for link in facts.links}
    for link in links_in(abstract):
        links.setdefault(link.url, link)
    return tuple(links.values())


def _agree(one: object, other: object) -> bool:
    """Whether two values say the same; dates as far as both are precise (2016 and
    2016-06-27 agree; 2015 and 2016 do not)."""
    if isinstance(one, PaperDate) and isinstance(other, PaperDate):
        pairs = [(one.year, other.year), (one.month, other.month), (one.day, other.day)]
        return all(a == b for a, b in pairs if a is not None and b is not None)
    return one == other
