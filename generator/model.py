"""The data that flows through the pipeline: plain dataclasses, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import ContentWarning, Location


@dataclass(frozen=True)
class Listing:
    """One listing file in content/sources, with its settings from site.yml."""

    id: str
    name: str
    path: Path
    date: dt.date | None = None


@dataclass(frozen=True)
class Entry:
    """One title and abstract as read from a listing or a notes file."""

    title: str
    abstract: str
    location: Location
    listing: str | None = None
    date_label: str | None = None


@dataclass(frozen=True)
class PaperPage:
    """A hand-written content/papers/*.md file: front matter and Markdown notes."""

    title: str
    location: Location
    abstract: str = ""
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    links: tuple[Link, ...] = ()
    topics: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Link:
    """A labelled external link of a paper ("Code", "Project page", ...)."""

    label: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper after merging every listing entry and notes page that names it."""

    key: str
    slug: str
    title: str
    abstract: str
    listings: tuple[str, ...]
    origins: tuple[Location, ...]
    date: dt.date | None = None
    authors: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    topics: tuple[str, ...] = ()
    notes: str = ""


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
class Page:
    """A free page from content/pages (about.md -> /about/)."""

    slug: str
    title: str
    body: str
    location: Location


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
    templates: tuple[Path, ...] = field(default_factory=tuple)

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
