"""Every collection's papers to take home (all papers, a topic, a listing, an author): one
BibTeX file and one CSL-JSON file (what Pandoc, Zotero and citation.js import) in the
collection's folder, each paper under the key its own page cites it by."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from generator.model import Paper
from generator.site.citation import bibtex, inverted_names, page_range, paper_url
from generator.site.pages import SiteParts
from generator.text.urls import (
    COLLECTION_BIBTEX,
    COLLECTION_CSL,
    PAPERS,
    author_path,
    listing_path,
    topic_path,
)

# BibTeX entry types as CSL names them; any other is an "article" (a preprint, say).
_CSL_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "incollection": "chapter",
    "inbook": "chapter",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
}

# A .bib's details CSL has a variable of its own for.
_CSL_DETAILS = (
    ("isbn", "ISBN"),
    ("edition", "edition"),
    ("series", "collection-title"),
    ("address", "publisher-place"),
)


def site_downloads(parts: SiteParts) -> dict[str, bytes]:
    """The .bib and CSL-JSON files of every collection, by site path."""
    files: dict[str, bytes] = {}
    for folder, papers in _collections(parts):
        files |= collection_downloads(folder, papers)
    return files


def _collections(parts: SiteParts) -> Iterator[tuple[str, Iterable[Paper]]]:
    yield PAPERS, parts.papers
    for topic in parts.topics.topics:
        yield topic_path(topic.slug), topic.papers
    for listing in parts.config.listings:
        yield listing_path(listing.id), (p for p in parts.papers if listing.id in p.listings)
    for author in parts.authors.authors:
        yield author_path(author.slug), author.papers


def collection_downloads(folder: str, papers: Iterable[Paper]) -> dict[str, bytes]:
    """`folder`papers.bib and `folder`papers.json for these papers, by key."""
    ordered = sorted(papers, key=lambda paper: (paper.cite_key.casefold(), paper.cite_key))
    entries = "\n\n".join(bibtex(paper) for paper in ordered)
    items = ",\n".join(
        json.dumps(csl_item(paper), ensure_ascii=False, sort_keys=True) for paper in ordered
    )
    return {
        folder + COLLECTION_BIBTEX: (entries + "\n" if entries else "").encode("utf-8"),
        folder + COLLECTION_CSL: (f"[\n{items}\n]\n" if items else "[]\n").encode("utf-8"),
    }


def csl_item(paper: Paper) -> dict[str, Any]:
    """The paper as a CSL-JSON item: the page's key as its id, names split as "Last,
    First", the date at its precision, and what a .bib gave (volume, issue, pages,
    publisher or institution). Abstracts are left to the paper pages (bytes)."""
    details = dict(paper.details)
    item: dict[str, Any] = {
        "id": paper.cite_key,
        "type": _CSL_TYPES.get(paper.kind, "article"),
        "title": paper.title,
    }
    if paper.authors:
        item["author"] = [_csl_name(name) for name in inverted_names(paper)]
    if paper.published:
        date = paper.published
        item["issued"] = {"date-parts": [[n for n in (date.year, date.month, date.day) if n]]}
    if paper.venue:
        item["container-title"] = paper.venue
    report = item["type"] == "report"
    for field, name in (("volume", "volume"), ("number", "number" if report else "issue")):
        if details.get(field):
            item[name] = details[field]
    first, last = page_range(details.get("pages", ""))
    if first:
        item["page"] = f"{first}-{last}" if last else first
    publisher = details.get("publisher") or details.get("school") or details.get("institution")
    if publisher:
        item["publisher"] = publisher
    for field, name in _CSL_DETAILS:
        if details.get(field):
            item[name] = details[field]
    if paper.doi:
        item["DOI"] = paper.doi
    url = paper_url(paper)
    if url:
        item["URL"] = url
    if paper.arxiv:
        item["note"] = f"arXiv:{paper.arxiv}"
    return item


def _csl_name(inverted: str) -> dict[str, str]:
    """A "Last, First" (or "Last, Jr, First") name as CSL's parts; one part is a literal
    name (a company, a mononym)."""
    parts = [part.strip() for part in inverted.split(",")]
    if len(parts) == 2 and all(parts):
        return {"family": parts[0], "given": parts[1]}
    if len(parts) == 3 and all(parts):
        return {"family": parts[0], "suffix": parts[1], "given": parts[2]}
    return {"literal": inverted}
