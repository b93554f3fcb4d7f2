"""Facts about a paper: read from YAML (notes front matter, metadata.yml) and combined by rank."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from generator.content.yamlfile import YamlMap, line_of, text_field
from generator.diagnostics import ContentError
from generator.model import Facts, Link, PaperDate
from generator.text.identifiers import arxiv_id, doi
from generator.text.paper_links import classify

# The keys facts_from_yaml reads; each file allows those that make sense in it.
FACT_KEYS = ("abstract", "authors", "date", "arxiv", "doi", "links", "venue", "upvotes")
# Labels under which a link is the paper itself, not one of its resources ("": no label).
_PAPER_LABELS = frozenset({"", "arxiv", "pdf", "paper", "doi", "hugging face"})
_SPACES = re.compile(r"\s+")


def facts_from_yaml(meta: YamlMap, path: Path) -> Facts:
    """The facts a mapping gives; a link to the paper on arXiv or doi.org gives its id."""
    given_arxiv = _identifier(meta, "arxiv", path, arxiv_id, "an arXiv id like 1512.03385")
    given_doi = _identifier(meta, "doi", path, doi, "a DOI like 10.1109/CVPR.2016.90")
    kept = []
    for label, url in _links(meta, path):
        is_paper = label.casefold() in _PAPER_LABELS
        if is_paper and arxiv_id(url):
            given_arxiv = given_arxiv or arxiv_id(url)
        elif is_paper and doi(url):
            given_doi = given_doi or doi(url)
        else:
            kept.append(Link(label, url) if label else classify(url))
    upvotes = meta.get("upvotes")
    if upvotes is not None and (not isinstance(upvotes, int) or isinstance(upvotes, bool)):
        raise ContentError(path, line_of(meta, "upvotes"), "upvotes must be a whole number")
    return Facts(
        abstract=text_field(meta, "abstract", path),
        authors=text_list(meta, "authors", path),
        published=_date(meta, path),
        arxiv=given_arxiv,
        doi=given_doi,
        links=tuple(kept),
        upvotes=upvotes,
        venue=text_field(meta, "venue", path),
    )


def combine(ranked: list[Facts]) -> Facts:
    """One Facts from several, best source first: each field from the first that has it;
    links from all of them (the first label for a URL wins)."""

    def first(name: str) -> Any:
        return next((value for facts in ranked if (value := getattr(facts, name))), None)

    links: dict[str, Link] = {}
    for facts in ranked:
        for link in facts.links:
            links.setdefault(link.url, link)
    # The people, their "Last, First" names and "and others" come from one source.
    people = next((facts for facts in ranked if facts.authors), Facts())
    fields: dict[str, str] = {}
    for facts in ranked:
        for name, value in facts.fields:
            if value:
                fields.setdefault(name, value)
    return Facts(
        abstract=first("abstract") or "",
        authors=people.authors,
        authors_inverted=people.authors_inverted,
        more_authors=people.more_authors,
        details=first("details") or (),
        published=first("published"),
        arxiv=first("arxiv"),
        doi=first("doi"),
        links=tuple(links.values()),
        upvotes=next((facts.upvotes for facts in ranked if facts.upvotes is not None), None),
        venue=first("venue") or "",
        kind=first("kind") or "",
        fields=tuple(fields.items()),
    )


def text_list(meta: YamlMap, key: str, path: Path) -> tuple[str, ...]:
    """A list of text (or one text) under `key`, each item on one line."""
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(isinstance(item, (dict, list)) for item in value):
        raise ContentError(path, line_of(meta, key), f"'{key}' must be a list of text")
    return tuple(text for item in value if (text := _SPACES.sub(" ", str(item)).strip()))


def _links(meta: YamlMap, path: Path) -> list[tuple[str, str]]:
    """`links` as (label, URL) pairs: a list of URLs (label ""), or a label: URL mapping."""
    value = meta.get("links")
    line = line_of(meta, "links")
    if value is None:
        return []
    if isinstance(value, dict):
        pairs = [(str(label), str(url)) for label, url in value.items()]
    elif isinstance(value, list):
        pairs = [("", str(url)) for url in value]
    else:
        raise ContentError(path, line, "'links' must be a list of URLs or a label: URL mapping")
    for _, url in pairs:
        if not url.startswith(("http://", "https://")):
            raise ContentError(path, line, f"link must start with http:// or https://: {url}")
    return pairs


def _identifier(meta: YamlMap, key: str, path: Path, parse: Any, what: str) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        return None
    found: str | None = parse(str(value))
    if found is None:
        raise ContentError(path, line_of(meta, key), f"{key} must be {what}, not '{value}'")
    return found


def _date(meta: YamlMap, path: Path) -> PaperDate | None:
    """`date`: 2016-06-27, 2016-06 or 2016 (YAML may already have made it a date)."""
    value = meta.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PaperDate.of(value)
    try:
        return PaperDate.parse(str(value))
    except ValueError:
        raise ContentError(
            path,
            line_of(meta, "date"),
            f"date '{value}' is not a date: write it as 2024-03-14, 2024-03 or 2024",
        ) from None
