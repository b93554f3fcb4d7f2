"""The data that flows through the pipeline: plain dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import ContentWarning, Location


@dataclass(frozen=True)
class Listing:
    """One listing file in content/listings, with its settings from site.yml."""

    id: str
    name: str
    path: Path
    date: dt.date | None = None


MONTHS = (
    "January February March April May June July August September October November December"
).split()
# BibTeX's month macros (jan, feb, ...), which its standard styles define as the names.
MONTH_MACROS = tuple(name[:3].lower() for name in MONTHS)


@dataclass(frozen=True)
class PaperDate:
    """When a paper was published, as precisely as its source says: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, date: dt.date) -> PaperDate:
        return cls(date.year, date.month, date.day)

    @classmethod
    def parse(cls, text: str) -> PaperDate:
        """'2016', '2016-06' or '2016-06-27'; ValueError for anything else."""
        parts = text.strip().split("-")
        if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
            raise ValueError(text)
        if len(parts[0]) != 4 or any(len(part) > 2 for part in parts[1:]):
            raise ValueError(text)
        numbers = [int(part) for part in parts]
        dt.date(numbers[0], *[*numbers[1:], 1, 1][:2])  # raises ValueError if impossible
        return cls(*numbers)

    @property
    def key(self) -> tuple[int, int, int]:
        """Sort key: a year alone sorts before the dated days of that year."""
        return (self.year, self.month or 0, self.day or 0)

    def iso(self) -> str:
        """'2016', '2016-03' or '2016-03-05' (ISO 8601 at the known precision)."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def label(self) -> str:
        """'2016', 'March 2016' or 'March 5, 2016'."""
        if not self.month:
            return str(self.year)
        month = MONTHS[self.month - 1]
        return f"{month} {self.day}, {self.year}" if self.day else f"{month} {self.year}"


@dataclass(frozen=True)
class Link:
    """A labelled external link of a paper ("Code", "Project page", ...)."""

    label: str
    url: str


@dataclass(frozen=True)
class BibField:
    """One field of a .bib entry as its file wrote it: the name as spelled, the value with
    its TeX and inner braces (the outer pair or quotes removed; @string macros resolved);
    `bare` when written without either (a number, a month macro like jun)."""

    name: str
    value: str
    bare: bool = False


@dataclass(frozen=True)
class BibRecord:
    """A .bib entry as the user wrote it: its key, its entry type and its fields, published
    as they are (what other sources add comes after them)."""

    key: str
    kind: str
    fields: tuple[BibField, ...]


@dataclass(frozen=True)
class Facts:
    """What one file says about a paper besides its title; every field may be empty.

    They rank: what the user wrote (a note > edits in metadata.yml > a .bib entry) before
    what was listed (listings) before what `fetch` learned; each field of a paper comes
    from the highest-ranked one that has it. `authors_inverted` are the same people as
    "Last, First" when the source splits names itself (a .bib does); `more_authors` says
    the list is not complete ("and others"). `details` are a .bib's bibliographic fields
    as text (volume, number, pages, publisher, school, institution...), by lower-case
    name.
    """

    abstract: str = ""
    authors: tuple[str, ...] = ()
    published: PaperDate | None = None
    arxiv: str | None = None
    doi: str | None = None
    links: tuple[Link, ...] = ()
    upvotes: int | None = None
    venue: str = ""
    kind: str = ""
    authors_inverted: tuple[str, ...] = ()
    more_authors: bool = False
    details: tuple[tuple[str, str], ...] = ()
    # Fields a plugin reads (a note's `discussed:`, a column of a plugin's reader), as text
    # by name, in the order first given.
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Entry:
    """One paper as a listing names it: its title, what the listing says of it, where."""

    title: str
    location: Location
    listing: str | None = None
    date_label: str | None = None
    facts: Facts = Facts()
    bib: BibRecord | None = None  # the entry as written, when it comes from a .bib

    @property
    def abstract(self) -> str:
        return self.facts.abstract


@dataclass(frozen=True)
class Note:
    """A hand-written content/papers/*.md file: front matter and Markdown notes.
    `requested_topics` are the slugs its front matter asks for (topics.py adds them)."""

    title: str
    location: Location
    facts: Facts = Facts()
    requested_topics: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class MetadataRecord:
    """One paper in content/metadata.yml: what `fetch resolve` learned from the Hugging Face
    Hub (`fetched`) and what a person wrote beside it (`edited`, which wins)."""

    title: str
    location: Location
    edited: Facts = Facts()
    fetched: Facts = Facts()


@dataclass(frozen=True)
class Paper:
    """One paper after merging every listing entry, metadata record and note that names
    it. `published` is its publication date; `listed` the earliest date of a listing that
    names it (when the paper was listed, never shown as its publication date).
    `requested_topics` come from its note; the topics it is in are TopicIndex.of_paper."""

    key: str
    slug: str
    title: str
    abstract: str
    listings: tuple[str, ...]
    origins: tuple[Location, ...]
    published: PaperDate | None = None
    listed: dt.date | None = None
    authors: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    requested_topics: tuple[str, ...] = ()
    notes: str = ""
    arxiv: str | None = None
    doi: str | None = None
    upvotes: int | None = None
    venue: str = ""
    kind: str = ""
    cite_key: str = ""
    # Where each listing names the paper (listing id, position from 0), for its own order.
    positions: tuple[tuple[str, int], ...] = ()
    authors_inverted: tuple[str, ...] = ()  # "Last, First", when the source split the names
    more_authors: bool = False  # the author list is not complete ("and others")
    details: tuple[tuple[str, str], ...] = ()  # a .bib's volume, pages, publisher... as text
    bib: BibRecord | None = None  # the user's own .bib entry, published as it is
    fields: tuple[tuple[str, str], ...] = ()  # plugins' fields (Facts.fields), best source first

    def field(self, name: str) -> str:
        """A plugin's field of this paper ('' when no source gives it)."""
        return next((value for key, value in self.fields if key == name), "")


@dataclass(frozen=True)
class TopicRule:
    """A topic of the taxonomy and the phrases that put a paper in it."""

    name: str
    slug: str
    description: str
    keywords: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Topic:
    """A topic with the papers assigned to it, newest first."""

    slug: str
    name: str
    description: str
    papers: tuple[Paper, ...]


@dataclass(frozen=True)
class FreePage:
    """A page of its own from content/pages (about.md -> /about/), not about a paper."""

    slug: str
    title: str
    body: str
    location: Location


@dataclass(frozen=True)
class Reference:
    """A paper that a paper of the collection cites, as the scholarly API knows it."""

    title: str
    arxiv: str | None = None
    doi: str | None = None
    citations: int | None = None
    year: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class CitationRecord:
    """What `fetch graph` learned of one paper: how often it is cited, what it cites, its
    venue, and the day it was asked. `found` is False when the API did not know it."""

    fetched: dt.date
    found: bool = True
    citations: int | None = None
    references: tuple[Reference, ...] = ()
    venue: str = ""
    url: str | None = None


@dataclass(frozen=True)
class CitationData:
    """content/citations.json: the records by paper identity (text.identifiers.graph_key)."""

    source: str
    path: Path
    records: dict[str, CitationRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployTarget:
    """Where `deploy` publishes (site.yml's deploy:): a branch of a git remote (to:
    gh-pages, as GitHub Pages serves it), or a bucket of S3-compatible object storage (to:
    s3: AWS S3, Cloudflare R2, MinIO, Backblaze B2), under `prefix`, at `endpoint` (AWS's
    when None)."""

    to: str = "gh-pages"
    remote: str = "origin"
    branch: str = "gh-pages"
    bucket: str = ""
    prefix: str = ""
    endpoint: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yml and topics.yml say, resolved against the site root."""

    root: Path
    title: str
    description: str = ""
    url: str | None = None
    language: str = "en"
    author: str = ""
    cname: str | None = None
    raw_html: bool = False
    listings: tuple[Listing, ...] = ()
    taxonomy: tuple[TopicRule, ...] = ()
    fallback_topic: str | None = None
    search_checks: tuple[str, ...] = ()
    page_size: int = 200
    social_cards: bool = True
    templates: tuple[Path, ...] = field(default_factory=tuple)
    # site.yml's own settings for its templates (site.extra), and stylesheets after the theme's
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    extra_css: tuple[str, ...] = ()
    plugins: tuple[str, ...] = ()  # the plugins site.yml turns on, by name
    deploy: DeployTarget = DeployTarget()

    @property
    def content(self) -> Path:
        return self.root / "content"


@dataclass(frozen=True)
class ComposedPage:
    """A page ready to render: its output path, its layout, and its Markdown if it has any."""

    path: str
    layout: str
    context: dict[str, Any]
    markdown: str | None = None


@dataclass(frozen=True)
class BuildReport:
    """What a build made, for the summary line and for tests."""

    output: Path
    papers: int
    topics: int
    pages: int
    files: int
    warnings: tuple[ContentWarning, ...]
    seconds: float
    timings: dict[str, float]
    up_to_date: bool = False
    # What papers lack, most often first: (what, how many), e.g. ("name no author", 431).
    missing: tuple[tuple[str, int], ...] = ()
