"""Read hand-written Markdown: per-paper notes (content/papers) and free pages (content/pages)."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError, Location
from generator.links import classify
from generator.model import Link, Page, PaperPage
from generator.slugs import slugify
from generator.yamlfile import (
    YamlMap,
    check_keys,
    date_field,
    line_of,
    read_front_matter,
    text_field,
)

PAPER_KEYS = ("title", "abstract", "authors", "date", "links", "topics")
PAGE_KEYS = ("title", "slug")


def read_paper_pages(folder: Path) -> list[PaperPage]:
    """Every content/papers/*.md file, sorted by file name."""
    return [read_paper_page(path) for path in sorted(folder.glob("*.md"))]


def read_paper_page(path: Path) -> PaperPage:
    """One notes file: front matter with a required title, Markdown body as notes."""
    meta, body, _ = read_front_matter(path)
    check_keys(meta, PAPER_KEYS, path, "paper front matter")
    return PaperPage(
        title=text_field(meta, "title", path, required=True),
        location=Location(path, 1),
        abstract=text_field(meta, "abstract", path),
        authors=_text_list(meta, "authors", path),
        date=date_field(meta, "date", path),
        links=_links(meta, path),
        topics=tuple(slugify(topic) for topic in _text_list(meta, "topics", path)),
        notes=body.strip(),
    )


def read_free_pages(folder: Path) -> list[Page]:
    """Every content/pages/*.md file as a page at /<slug>/."""
    pages = []
    for path in sorted(folder.glob("*.md")):
        meta, body, _ = read_front_matter(path)
        check_keys(meta, PAGE_KEYS, path, "page front matter")
        title = text_field(meta, "title", path) or path.stem.replace("-", " ").capitalize()
        slug = slugify(text_field(meta, "slug", path) or path.stem)
        if not slug:
            raise ContentError(path, 1, "page needs a slug made of letters or digits")
        pages.append(Page(slug=slug, title=title, body=body, location=Location(path, 1)))
    return pages


def _text_list(meta: YamlMap, key: str, path: Path) -> tuple[str, ...]:
    value = meta.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(isinstance(item, (dict, list)) for item in value):
        raise ContentError(path, line_of(meta, key), f"'{key}' must be a list of text")
    return tuple(str(item).strip() for item in value if str(item).strip())


def _links(meta: YamlMap, path: Path) -> tuple[Link, ...]:
    """`links` is a list of URLs, or a mapping of label to URL."""
    value = meta.get("links")
    line = line_of(meta, "links")
    if value is None:
        return ()
    if isinstance(value, dict):
        pairs = [(str(label), str(url)) for label, url in value.items()]
    elif isinstance(value, list):
        pairs = [("", str(url)) for url in value]
    else:
        raise ContentError(path, line, "'links' must be a list of URLs or a label: URL mapping")
    links = []
    for label, url in pairs:
        if not url.startswith(("http://", "https://")):
            raise ContentError(path, line, f"link must start with http:// or https://: {url}")
        links.append(Link(label, url) if label else classify(url))
    return tuple(links)
