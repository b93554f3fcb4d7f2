"""Relative links between output pages, so the site works at any base path and from disk."""

from __future__ import annotations

from posixpath import dirname
from typing import Any

# Every collection's papers to take home, in the collection's folder (site/downloads.py).
COLLECTION_BIBTEX = "papers.bib"
COLLECTION_CSL = "papers.json"


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
    return f"papers/{slug}/"


def topic_path(slug: str) -> str:
    return f"topics/{slug}/"


def listing_path(listing_id: str) -> str:
    return f"listings/{listing_id}/"


def author_path(slug: str) -> str:
    return f"authors/{slug}/"


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
