"""Atom feeds, the sitemap and robots.txt: the files other programs read."""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from xml.etree import ElementTree as ET

from generator.diagnostics import Diagnostics, Location
from generator.model import Paper, SiteConfig, Topic
from generator.text.urls import listing_path, page_url, paper_path, relative_url, topic_path

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


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


def atom_feed(config: SiteConfig, feed_path: str, title: str, papers: tuple[Paper, ...]) -> bytes:
    """An Atom feed of the newest papers; links absolute when the site has a url."""
    ET.register_namespace("", ATOM)

    def href(target: str) -> str:
        return config.url + target if config.url else relative_url(feed_path, target) or "./"

    undated = fallback_date()

    def updated(paper: Paper) -> dt.date:
        """When the entry appeared on the site: the day a listing named it, else the day
        it was published (a feed is news of the site, not a bibliography)."""
        if paper.listed:
            return paper.listed
        if paper.published:
            when = paper.published
            return dt.date(when.year, when.month or 1, when.day or 1)
        return undated

    # Newest first by that date, so the papers of a new listing reach the feed.
    entries = sorted(papers, key=lambda paper: (-updated(paper).toordinal(), paper.title.lower()))
    entries = entries[:FEED_ENTRIES]
    feed = ET.Element(f"{{{ATOM}}}feed")
    if config.language:
        feed.set("{http://www.w3.org/XML/1998/namespace}lang", config.language)
    _text(feed, "title", title)
    _text(feed, "id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "papersite:" + feed_path)))
    newest = max(map(updated, entries), default=undated)
    _text(feed, "updated", _timestamp(newest))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=href(feed_path))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=href(page_url(feed_path[:-8])))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", config.author or config.title)
    for paper in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", paper.title)
        _text(entry, "id", entry_id(paper))
        _text(entry, "updated", _timestamp(updated(paper)))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=href(paper_path(paper.slug)))
        if paper.abstract:
            _text(entry, "summary", paper.abstract)
    return _xml(feed)


def site_feeds(
    config: SiteConfig, papers: list[Paper], topics: tuple[Topic, ...]
) -> dict[str, bytes]:
    """The whole site's feed, and one per topic and per listing."""
    files = {"feed.xml": atom_feed(config, "feed.xml", config.title, tuple(papers))}
    for topic in topics:
        path = topic_path(topic.slug) + "feed.xml"
        files[path] = atom_feed(config, path, f"{topic.name} — {config.title}", topic.papers)
    for listing in config.listings:
        path = listing_path(listing.id) + "feed.xml"
        members = tuple(paper for paper in papers if listing.id in paper.listings)
        files[path] = atom_feed(config, path, f"{listing.name} — {config.title}", members)
    return files


def sitemap(config: SiteConfig, page_paths: list[str]) -> bytes | None:
    """Every HTML page once, as absolute URLs; None without a site url (it would be wrong)."""
    if not config.url:
        return None
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(page_paths):
        if path.endswith(".html") and path != "404.html":
            url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
            ET.SubElement(url, f"{{{SITEMAP}}}loc").text = config.url + page_url(path)
    return _xml(urlset)


def robots(config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if config.url:
        lines.append(f"Sitemap: {config.url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


# What XML 1.0 cannot hold at all, even escaped (a title from a JSON answer may).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _NOT_XML.sub(" ", text)


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
