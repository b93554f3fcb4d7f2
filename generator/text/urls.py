"""The site's URL scheme, its one home: where each kind of page is, and relative links
between pages, so the site works at any base path and from disk. The search page's
scripts read the part they need from the index's core (`browser_paths`), never a copy."""

from __future__ import annotations

from posixpath import dirname
from typing import Any

PAPERS, TOPICS, LISTINGS, AUTHORS, SEARCH = "papers/", "topics/", "listings/", "authors/", "search/"
# The papers the collection cites but does not hold (content/citations.json).
MISSING = "missing/"
# A collection's other orders and its later pages, in its folder: by/date/, page/2/.
ORDERS, PAGES = "by/", "page/"
# Every collection's papers to take home, in the collection's folder (site/downloads.py).
COLLECTION_BIBTEX = "papers.bib"
COLLECTION_CSL = "papers.json"


def order_folder(name: str) -> str:
    """Where a collection's pages in another order start, in its folder: 'by/date/'."""
    return f"{ORDERS}{name}/"


def page_folder(number: int) -> str:
    """Where a collection's page `number` (2 and on) is, in its order's folder: 'page/2/'."""
    return f"{PAGES}{number}/"


def browser_paths() -> dict[str, str]:
    """The folders search-engine.js links results, topics and the search page to."""
    return {"paper": PAPERS, "topic": TOPICS, "search": SEARCH}


def page_url(path: str) -> str:
    """The pretty URL of an output file: 'papers/x/index.html' -> 'papers/x/'."""
    if path == "index.html":
        return ""
    if path.endswith("/index.html"):
        return path[: -len("index.html")]
    return path


def relative_url(from_path: str, target: str) -> str:
    """A link from the output file `from_path` to the site path `target` ('' is the home)."""
    depth = dirname(from_path).count("/") + 1 if dirname(from_path) else 0
    link = "../" * depth + target
    return link or "./"


def paper_path(slug: str) -> str:
    return f"{PAPERS}{slug}/"


def topic_path(slug: str) -> str:
    return f"{TOPICS}{slug}/"


def listing_path(listing_id: str) -> str:
    return f"{LISTINGS}{listing_id}/"


def author_path(slug: str) -> str:
    return f"{AUTHORS}{slug}/"


class Linker:
    """Builds every link of one page, relative to that page (templates never concatenate)."""

    def __init__(self, from_path: str) -> None:
        self.from_path = from_path
        self.up = "../" * (from_path.count("/"))  # from this page to the site's root

    def to(self, target: str) -> str:
        return self.up + target or "./"

    def paper(self, paper: Any) -> str:
        return self.to(paper_path(paper.slug))

    def topic(self, topic: Any) -> str:
        return self.to(topic_path(topic.slug))

    def listing(self, listing: Any) -> str:
        return self.to(listing_path(listing.id))

    def listing_feed(self, listing: Any) -> str:
        return self.to(listing_path(listing.id) + "feed.xml")

    def author(self, author: Any) -> str:
        return self.to(author_path(author.slug))
