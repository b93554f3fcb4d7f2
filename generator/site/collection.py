"""Collection pages (all papers, a topic, a listing, an author): their sort orders, the
papers of each page, year groups with counts, the pager.

Every order is a set of static pages (folder/, folder/by/title/, folder/page/2/, ...), so
sorting works without JavaScript and from disk; the default order is the folder itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.catalog.topics import newest_first
from generator.model import Paper
from generator.text.urls import order_folder, page_folder

# The orders a collection can offer: the label of the link to it, and its folder.
SORTS = {
    "date": ("Newest first", order_folder("date")),
    "title": ("Title", order_folder("title")),
    "order": ("Listing order", order_folder("listing")),
    "cited": ("Most cited", order_folder("cited")),
}
UNDATED = "Date not known"
# A year with fewer papers than this (a row of cards on a wide screen) shares its heading
# with the sparse years beside it.
SPARSE_YEAR = 3


@dataclass(frozen=True)
class Collection:
    """A list of papers with a heading: a topic, a listing, an author, or all papers.
    `sorts` are the orders offered, the default first; "order" is `listing`'s own."""

    name: str
    description: str
    papers: tuple[Paper, ...]
    sorts: tuple[str, ...] = ("date", "title")
    feed: str | None = None
    listing: str | None = None
    empty: str = "No papers here yet."
    # Whether it offers the "cited" order when citations are known (all papers and topics:
    # a listing has its own order, an author's papers are few), and how often each paper is
    # cited, by slug (content/citations.json).
    citable: bool = False
    citations: Mapping[str, int] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Ranks:
    """Each paper's place (by slug) in the orders every collection offers, worked out
    once for the whole site: a collection sorts its papers by these numbers rather than by
    their keys (the same order: no two papers tie in either)."""

    newest: Mapping[str, int]
    title: Mapping[str, int]


def site_ranks(papers: Iterable[Paper]) -> Ranks:
    """The papers' `Ranks`."""
    papers = list(papers)
    newest = {paper.slug: n for n, paper in enumerate(sorted(papers, key=newest_first))}
    title = {paper.slug: n for n, paper in enumerate(sorted(papers, key=_by_title))}
    return Ranks(newest, title)


def _by_title(paper: Paper) -> tuple[str, str]:
    return (paper.title.casefold(), paper.slug)


@dataclass(frozen=True)
class Pager:
    """Where one page of a long collection is: its number (from 1) among `paths`, the
    site paths of all its pages."""

    number: int
    paths: tuple[str, ...]

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < len(self.paths) else None

    def numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and those near this one; None for a gap."""
        count = len(self.paths)
        shown = [
            n for n in range(1, count + 1) if n in (1, count) or abs(n - self.number) <= around
        ]
        numbers: list[int | None] = []
        for n in shown:
            if numbers and n - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


@dataclass(frozen=True)
class Group:
    """The papers of a page under one heading: a year (with how many papers of that year
    the whole collection has, and an id where the year starts), or none at all."""

    heading: str | None
    count: int
    papers: tuple[Paper, ...]
    id: str | None = None


@dataclass(frozen=True)
class Sorting:
    """A link to one order of the collection (its first page), current or not."""

    label: str
    path: str
    current: bool


@dataclass(frozen=True)
class YearLink:
    """Where the papers of one year group start, in the newest-first order: a year, or
    sparse neighbouring years that share a heading (then `label` is their range)."""

    label: str
    count: int
    path: str
    anchor: str


@dataclass(frozen=True)
class CollectionPage:
    """One page of one order of a collection."""

    path: str
    sort: str
    pager: Pager
    groups: tuple[Group, ...]
    sortings: tuple[Sorting, ...]
    years: tuple[YearLink, ...]
    first: int  # the number of its first paper in the order, from 1

    @property
    def papers(self) -> tuple[Paper, ...]:
        return tuple(paper for group in self.groups for paper in group.papers)


def collection_pages(
    folder: str, collection: Collection, size: int, ranks: Ranks
) -> list[CollectionPage]:
    """Every page of every order of `collection` under `folder` ("topics/x/"), size papers
    a page, sorted by the site's `ranks`; the default order's first page is `folder`."""
    roots = {
        sort: folder + ("" if number == 0 else SORTS[sort][1])
        for number, sort in enumerate(collection.sorts)
    }
    sortings = {
        sort: tuple(
            Sorting(SORTS[other][0], roots[other], other == sort) for other in collection.sorts
        )
        for sort in collection.sorts
    }
    pages = []
    for sort in collection.sorts:
        ordered = _ordered(collection, sort, ranks)
        count = max(1, -(-len(ordered) // size))
        paths = tuple(roots[sort] + ("" if n == 1 else page_folder(n)) for n in range(1, count + 1))
        # Each paper's year, its year's count and block, once an order (not once a page);
        # none in an order that is not by date (no year links, no groups).
        year_of = [_year(paper) for paper in ordered] if sort == "date" else []
        counts = _year_counts(year_of)
        blocks = _blocks(counts)
        years = _years(year_of, counts, blocks, paths, size)
        started: set[str] = set()
        for number, path in enumerate(paths, start=1):
            begin, end = (number - 1) * size, number * size
            shown = ordered[begin:end]
            groups = (
                _groups(shown, year_of[begin:end], counts, blocks, started)
                if sort == "date"
                else (Group(None, 0, shown),)
            )
            pages.append(
                CollectionPage(
                    path=path,
                    sort=sort,
                    pager=Pager(number, paths),
                    groups=groups,
                    sortings=sortings[sort] if len(collection.sorts) > 1 else (),
                    years=years if len(years) > 1 else (),
                    first=begin + 1,
                )
            )
    return pages


def _ordered(collection: Collection, sort: str, ranks: Ranks) -> tuple[Paper, ...]:
    if sort in ("date", "title"):
        rank = ranks.newest if sort == "date" else ranks.title
        return tuple(sorted(collection.papers, key=lambda paper: rank[paper.slug]))
    if sort == "cited":
        counts, newest = collection.citations, ranks.newest
        return tuple(
            sorted(
                collection.papers,
                key=lambda paper: (-counts.get(paper.slug, -1), newest[paper.slug]),
            )
        )
    listing = collection.listing

    def place(paper: Paper) -> int:
        return next(number for key, number in paper.positions if key == listing)

    return tuple(sorted(collection.papers, key=lambda paper: (place(paper), paper.slug)))


def _year(paper: Paper) -> str:
    return str(paper.published.year) if paper.published else UNDATED


def _anchor(year: str) -> str:
    return "year-" + (year if year != UNDATED else "unknown")


def _years(
    year_of: list[str],
    counts: dict[str, int],
    blocks: dict[str, list[str]],
    paths: tuple[str, ...],
    size: int,
) -> tuple[YearLink, ...]:
    """The year groups of a newest-first order (`year_of`: each paper's year, in order),
    newest first: a year, or sparse neighbouring years together ("2013-2017", an en dash),
    with the count, the page the group starts on and its anchor. One link a group: each
    year of a shared group would lead to it."""
    starts: dict[str, int] = {}
    for number, year in enumerate(year_of):
        starts.setdefault(year, number)
    links = []
    for block in dict.fromkeys(map(tuple, blocks.values())):
        first = block[0]
        total = sum(counts[year] for year in block)
        path = paths[starts[first] // size]
        links.append(YearLink(_block_heading(list(block)), total, path, _anchor(first)))
    return tuple(links)


def _year_counts(year_of: list[str]) -> dict[str, int]:
    """How many papers each year has, in the order the years first come."""
    counts: dict[str, int] = {}
    for year in year_of:
        counts[year] = counts.get(year, 0) + 1
    return counts


def _blocks(counts: dict[str, int]) -> dict[str, list[str]]:
    """Each year's block: the years one heading shows, newest first. Neighbouring years
    with fewer papers than a row of cards holds (SPARSE_YEAR) share one ("2019-2021"), so
    a year with one dated paper is not a row of empty space; a fuller year and the papers
    with no date stand alone."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for year, count in counts.items():
        sparse = year != UNDATED and count < SPARSE_YEAR
        if not (sparse and current and counts[current[-1]] < SPARSE_YEAR):
            current = []
        current.append(year)
        for member in current:
            blocks[member] = current
    return blocks


def _block_heading(block: list[str]) -> str:
    """'2021', or 2019 to 2021 with an en dash between (as ranges of years are written)."""
    return block[0] if len(block) == 1 else f"{block[-1]}\N{EN DASH}{block[0]}"


def _groups(
    shown: tuple[Paper, ...],
    year_of: list[str],
    counts: dict[str, int],
    blocks: dict[str, list[str]],
    started: set[str],
) -> tuple[Group, ...]:
    """A page's papers by year (`year_of`: each one's; sparse neighbouring years together,
    as the whole order's `counts` make its `blocks`); a group's heading has its id where
    the group starts."""
    runs: list[tuple[list[str], list[Paper]]] = []
    for paper, year in zip(shown, year_of, strict=True):
        block = blocks[year]
        if not runs or runs[-1][0] is not block:
            runs.append((block, []))
        runs[-1][1].append(paper)
    groups = []
    for block, papers in runs:
        first = block[0]
        count = sum(counts[year] for year in block)
        anchor = None if first in started else _anchor(first)
        groups.append(Group(_block_heading(block), count, tuple(papers), anchor))
        started.add(first)
    return tuple(groups)
