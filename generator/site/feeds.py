"""Atom feeds and the sitemap, the files other programs read: what they say, which the
theme's feed.xml, sitemap.xml and robots.txt write (a site's templates may replace them)."""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from generator.catalog.graph import CitationGraph
from generator.diagnostics import Diagnostics, Location
from generator.model import Paper, SiteConfig, Topic
from generator.text.urls import listing_path, page_url, paper_path, relative_url, topic_path

FEED = "feed.xml"  # a feed's name in its collection's folder
FEED_ENTRIES = 50
CITERS_NAMED = 5  # a missing paper's entry names this many of the papers citing it


def fallback_date() -> dt.date:
    """The date for undated content: SOURCE_DATE_EPOCH if set, else 1970-01-01 (never 'now')."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date()


def undated_listings(config: SiteConfig, papers: list[Paper], diagnostics: Diagnostics) -> None:
    """Warn of each listing without a date whose feed dates papers by the fallback date
    (those with no publication date, named by no dated listing): say what date they get
    and how to give the listing one."""
    for listing in config.listings:
        if listing.date is not None:
            continue
        named = [paper for paper in papers if listing.id in paper.listings]
        undated = sum(not paper.listed and not paper.published for paper in named)
        if undated:
            diagnostics.warn(
                Location(listing.path),
                f"this listing has no date, and {undated} of its {len(named)} papers have "
                f"none of their own: its feed dates them {fallback_date().isoformat()} "
                "(SOURCE_DATE_EPOCH, else 1970-01-01). Give it the day it was made in "
                f"site.yml, under listings: {listing.path.stem}: date: 2024-03-14",
            )


def entry_id(paper: Paper) -> str:
    """A feed entry id that never changes: derived from the paper's identity, not its URL."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "papersite:paper:" + paper.key))


@dataclass(frozen=True)
class FeedEntry:
    """One paper in a feed, as theme/feed.xml writes it."""

    title: str
    id: str
    updated: str
    href: str
    summary: str


@dataclass(frozen=True)
class Feed:
    """An Atom feed of the newest papers (theme/feed.xml); links absolute when the site
    has a url."""

    title: str
    id: str
    updated: str
    self_href: str
    home_href: str
    author: str
    entries: tuple[FeedEntry, ...]


def atom_feed(
    config: SiteConfig,
    feed_path: str,
    title: str,
    papers: tuple[Paper, ...],
    news_place: Mapping[str, int],
) -> Feed:
    """The feed at `feed_path` of the newest of `papers`: the first by `news_place`, each
    paper's place (by slug) in the site's `news_order`."""

    def href(target: str) -> str:
        return config.url + target if config.url else relative_url(feed_path, target) or "./"

    undated = fallback_date()
    entries = heapq.nsmallest(FEED_ENTRIES, papers, key=lambda paper: news_place[paper.slug])
    newest = max((_updated(paper, undated) for paper in entries), default=undated)
    return Feed(
        title=title,
        id="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "papersite:" + feed_path)),
        updated=_timestamp(newest),
        self_href=href(feed_path),
        home_href=href(page_url(feed_path[: -len(FEED)])),
        author=config.author or config.title,
        entries=tuple(
            FeedEntry(
                title=paper.title,
                id=entry_id(paper),
                updated=_timestamp(_updated(paper, undated)),
                href=href(paper_path(paper.slug)),
                summary=paper.abstract,
            )
            for paper in entries
        ),
    )


def news_order(papers: Iterable[Paper], undated: dt.date) -> list[Paper]:
    """Papers in the order of a feed: newest first by the day each appeared on the site
    (`_updated`: so the papers of a new listing reach the feed), then by title and slug."""
    return sorted(
        papers,
        key=lambda paper: (
            -_updated(paper, undated).toordinal(),
            paper.title.lower(),
            paper.slug,
        ),
    )


def _updated(paper: Paper, undated: dt.date) -> dt.date:
    """When a paper appeared on the site: the day a listing named it, else the day it was
    published (a feed is news of the site, not a bibliography), else `undated`."""
    if paper.listed:
        return paper.listed
    if paper.published:
        when = paper.published
        return dt.date(when.year, when.month or 1, when.day or 1)
    return undated


def site_feeds(
    config: SiteConfig,
    papers: list[Paper],
    topics: tuple[Topic, ...],
    listing_members: dict[str, tuple[Paper, ...]],
) -> dict[str, Feed]:
    """The whole site's feed, and one per topic and per listing (`listing_members`: the
    papers of each, by id), by path."""
    ordered = news_order(papers, fallback_date())
    place = {paper.slug: number for number, paper in enumerate(ordered)}
    feeds = {FEED: atom_feed(config, FEED, config.title, tuple(papers), place)}
    for topic in topics:
        path = topic_path(topic.slug) + FEED
        title = f"{topic.name} — {config.title}"
        feeds[path] = atom_feed(config, path, title, topic.papers, place)
    for listing in config.listings:
        path = listing_path(listing.id) + FEED
        members = listing_members[listing.id]
        title = f"{listing.name} — {config.title}"
        feeds[path] = atom_feed(config, path, title, members, place)
    return feeds


def missing_feed(config: SiteConfig, feed_path: str, graph: CitationGraph) -> Feed:
    """The feed of the papers missing from the collection (catalog.graph), most cited by
    it first, each dated the day the citations were fetched: a group's reading queue."""

    def href(target: str) -> str:
        return config.url + target if config.url else relative_url(feed_path, target) or "./"

    updated = _timestamp(graph.fetched or fallback_date())
    page = href(page_url(feed_path[: -len(FEED)]))
    entries = []
    for missing in graph.missing[:FEED_ENTRIES]:
        citing = "; ".join(paper.title for paper in missing.cited_by[:CITERS_NAMED])
        if len(missing.cited_by) > CITERS_NAMED:
            citing += f" and {len(missing.cited_by) - CITERS_NAMED} more"
        counted = (
            f" Cited {missing.citations:,} times in all ({graph.source})."
            if missing.citations is not None
            else ""
        )
        entries.append(
            FeedEntry(
                title=missing.title,
                id="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "papersite:" + missing.key)),
                updated=updated,
                href=missing.url or page,
                summary=f"Cited by {len(missing.cited_by)} papers on {config.title}: "
                f"{citing}.{counted}",
            )
        )
    return Feed(
        title=f"Missing from {config.title}",
        id="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "papersite:" + feed_path)),
        updated=updated,
        self_href=href(feed_path),
        home_href=page,
        author=config.author or config.title,
        entries=tuple(entries),
    )


def sitemap_urls(config: SiteConfig, page_paths: list[str]) -> list[str]:
    """Every HTML page once, as absolute URLs, for theme/sitemap.xml; none without a site
    url (they would be wrong, and there is no sitemap then)."""
    if not config.url:
        return []
    return [
        config.url + page_url(path)
        for path in sorted(page_paths)
        if path.endswith(".html") and path != "404.html"
    ]


# What XML 1.0 cannot hold at all, even escaped (a title from a JSON answer may).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> Markup:
    """Text for an XML element (the templates' `xml` filter): what XML cannot hold made a
    space, & < > escaped."""
    text = _NOT_XML.sub(" ", str(text))
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def xml_attribute(text: str) -> Markup:
    """Text for an XML attribute's quotes (the `xml_attr` filter)."""
    escaped = str(xml_text(text)).replace('"', "&quot;")
    return Markup(escaped.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
