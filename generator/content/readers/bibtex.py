"""The BibTeX reader (*.bib): reading lists kept in a reference manager, via bibtexparser 2.

bibtexparser resolves @string macros, skips comments, decodes TeX to text ({\\"u}, {M}odel,
\\%), splits "Last, First" and "First Last" names and turns month macros into numbers. It
is imported only when a site has a .bib file, so other builds do not pay for it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.content.readers.files import read_text
from generator.diagnostics import ContentError, Diagnostics, Location
from generator.model import Entry, Facts, Link, PaperDate
from generator.text.identifiers import arxiv_id, doi
from generator.text.paper_links import classify

_YEAR = re.compile(r"\d{4}")
_ARXIV_IN_TEXT = re.compile(r"arxiv:\s*(\S+)", re.I)


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """Every entry with a title; entries the parser could not read are reported."""
    from bibtexparser import middlewares, model

    text = read_text(path, diagnostics, "BibTeX file")
    stack = [
        middlewares.LatexDecodingMiddleware(),
        middlewares.MonthIntMiddleware(True),
        middlewares.SeparateCoAuthors(),
        middlewares.SplitNameParts(),
    ]
    library = _parse(text, stack, path)
    # Each entry with the (1-based) line it starts on.
    found: list[tuple[Any, int]] = [(entry, _line(entry)) for entry in library.entries]
    for block in library.failed_blocks:
        where = Location(path, _line(block))
        usable = block.ignore_error_block
        if isinstance(block, model.DuplicateBlockKeyBlock) and block.raw:
            # Read on its own, the second entry of a key is an ordinary entry.
            diagnostics.warn(where, f"key '{block.key}' is used twice; both entries are read")
            again = _parse(block.raw, stack, path, library.strings).entries
            found += [(entry, where.line + _line(entry) - 1) for entry in again]
        elif isinstance(usable, model.Entry):
            diagnostics.warn(where, f"{_reason(block.error)}; read as it is")
            found.append((usable, where.line))
        else:
            diagnostics.warn(where, f"cannot read this entry: {_reason(block.error)}; skipped")
    found.sort(key=lambda pair: pair[1])
    read = (_entry(entry, Location(path, line), listing_id, diagnostics) for entry, line in found)
    return [entry for entry in read if entry is not None]


def _line(block: Any) -> int:
    return (block.start_line or 0) + 1


def _entry(bib: Any, location: Location, listing_id: str, diagnostics: Diagnostics) -> Entry | None:
    fields = {field.key.lower(): field.value for field in bib.fields}
    title = _text(fields.get("title"))
    if not title:
        diagnostics.warn(location, f"entry '{bib.key}' has no title; skipped")
        return None

    def warn(message: str) -> None:
        diagnostics.warn(location, f"entry '{bib.key}': {message}")

    url = _text(fields.get("url"))
    if url and not url.startswith(("http://", "https://")):
        warn(f"url '{url}' is not a web address; left out")
        url = ""
    found_doi = doi(_text(fields.get("doi"))) if fields.get("doi") else None
    if fields.get("doi") and not found_doi:
        warn(f"doi '{_text(fields['doi'])}' is not a DOI; left out")
    candidates = [*_arxiv_candidates(fields), url]
    arxiv = next((found for found in map(arxiv_id, candidates) if found), None)
    found_doi = found_doi or (doi(url) if url else None)
    links = []
    if url and not arxiv_id(url) and not doi(url):
        link = classify(url)
        links.append(link if link.label == "Code" else Link("Paper", url))
    facts = Facts(
        abstract=_text(fields.get("abstract")),
        authors=_authors(fields.get("author")),
        published=_published(fields, warn),
        arxiv=arxiv,
        doi=found_doi,
        links=tuple(links),
        venue=_text(fields.get("journal")) or _text(fields.get("booktitle")),
        kind=bib.entry_type.lower(),
    )
    return Entry(title, location, listing_id, None, facts)


def _arxiv_candidates(fields: dict[str, Any]) -> Iterator[str]:
    """Where reference managers put the arXiv id: eprint (with archivePrefix arXiv),
    arxivid (Mendeley), or the journal line "arXiv preprint arXiv:1512.03385"."""
    prefix = _text(fields.get("archiveprefix") or fields.get("eprinttype")).lower()
    if fields.get("eprint") and prefix in ("", "arxiv"):
        yield _text(fields["eprint"])
    if fields.get("arxivid"):
        yield _text(fields["arxivid"])
    match = _ARXIV_IN_TEXT.search(_text(fields.get("journal")))
    if match:
        yield match[1]


def _authors(value: Any) -> tuple[str, ...]:
    """Display names ("First von Last, Jr"); "and others" is not a person."""
    if isinstance(value, str):
        value = [value]
    names = []
    for name in value or ():
        if hasattr(name, "first"):
            parts = [*name.first, *name.von, *name.last]
            name = " ".join(parts) + (", " + " ".join(name.jr) if name.jr else "")
        name = _text(name)
        if name and name.casefold() not in ("others", "et al.", "et al"):
            names.append(name)
    return tuple(names)


def _published(fields: dict[str, Any], warn: Callable[[str], None]) -> PaperDate | None:
    """From year and month (or biblatex's date = 2016-06-27): only as precise as given."""
    date = _text(fields.get("date"))
    if date and not fields.get("year"):
        try:
            return PaperDate.parse(date)
        except ValueError:
            warn(f"date '{date}' is not a date like 2016-06-27, 2016-06 or 2016; left out")
            return None
    year = _text(fields.get("year"))
    if not year:
        return None
    if not _YEAR.fullmatch(year):
        warn(f"year '{year}' is not a year; left out")
        return None
    month = fields.get("month")
    if month is not None and not (isinstance(month, int) and 1 <= month <= 12):
        warn(f"month '{_text(month)}' is not a month; only the year is used")
        month = None
    return PaperDate(int(year), month)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _parse(text: str, stack: list[Any], path: Path, strings: list[Any] | None = None) -> Any:
    """The library of `text`; with `strings`, the @string macros of the file it came from."""
    import bibtexparser

    try:
        with _quiet("bibtexparser"):
            library = bibtexparser.Library(blocks=list(strings)) if strings else None  # type: ignore[attr-defined]
            return bibtexparser.parse_string(text, append_middleware=stack, library=library)  # type: ignore[attr-defined]
    except Exception as error:  # a parser bug on odd input must not become a traceback
        raise ContentError(path, 0, f"the BibTeX parser failed on this file: {error}") from None


def _reason(error: Exception) -> str:
    """The first line of why the parser gave up on a block."""
    text = str(getattr(error, "abort_reason", "") or error).strip()
    return (text.splitlines() or [type(error).__name__])[0]


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Keep a library's log lines off the terminal: the reader reports each problem itself."""
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)
