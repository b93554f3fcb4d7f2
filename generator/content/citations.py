"""content/citations.json: what `fetch graph` learned of the papers' citations.

The file is written by `python -m generator fetch graph` and read offline by every build:
for each paper (by arXiv id or DOI: text.identifiers.graph_key) the day it was asked, how
often it is cited, its venue, and the papers it cites with their ids, titles and counts.

    {"source": "Semantic Scholar",
     "papers": {"arxiv:2103.10697": {"fetched": "2026-12-02", "citations": 812,
                                      "venue": "ICML", "url": "https://...",
                                      "references": [{"title": "...", "arxiv": "2010.11929",
                                                      "doi": null, "citations": 30000,
                                                      "year": 2021, "url": "https://..."}]},
                "doi:10.1000/x": {"fetched": "2026-12-02", "found": false}}}
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from generator.content.readers.files import is_content_file
from generator.diagnostics import ContentError, what_failed
from generator.model import CitationData, CitationRecord, Reference

FILE_NAME = "citations.json"
RECORD_KEYS = frozenset({"fetched", "found", "citations", "references", "venue", "url"})
REFERENCE_KEYS = frozenset({"title", "arxiv", "doi", "citations", "year", "url"})


def read_citations(content: Path) -> CitationData | None:
    """content/citations.json read and checked; None when there is no such file."""
    path = content / FILE_NAME
    if not is_content_file(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise ContentError(path, 0, f"not UTF-8 text: {error.reason}") from None
    except json.JSONDecodeError as error:
        raise ContentError(path, error.lineno, f"not JSON: {error.msg}") from None
    except RecursionError:
        raise ContentError(path, 0, "nested too deeply to be citations") from None
    except OSError as error:
        raise ContentError(path, 0, f"cannot read citations: {what_failed(error)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("papers"), dict):
        raise ContentError(
            path, 1, 'expected {"source": ..., "papers": {...}} as fetch graph writes'
        )
    source = data.get("source")
    records = {
        str(key): _record(value, path, str(key)) for key, value in sorted(data["papers"].items())
    }
    return CitationData(source if isinstance(source, str) else "", path, records)


def _record(value: Any, path: Path, key: str) -> CitationRecord:
    where = f"papers.{key}"
    if not isinstance(value, dict):
        raise ContentError(path, 0, f"{where}: expected an object")
    _known_keys(value, RECORD_KEYS, path, where)
    try:
        fetched = dt.date.fromisoformat(str(value.get("fetched")))
    except ValueError:
        raise ContentError(path, 0, f"{where}.fetched: expected a date YYYY-MM-DD") from None
    references = value.get("references") or []
    if not isinstance(references, list):
        raise ContentError(path, 0, f"{where}.references: expected a list")
    return CitationRecord(
        fetched=fetched,
        found=value.get("found", True) is not False,
        citations=_count(value.get("citations"), path, where, "citations"),
        references=_references(references, path, where),
        venue=_text(value.get("venue"), path, where, "venue") or "",
        url=_text(value.get("url"), path, where, "url"),
    )


def _references(items: list[Any], path: Path, where: str) -> tuple[Reference, ...]:
    """The references, read fast; an error names the reference by its number."""
    try:
        return tuple(_reference(item, path, where) for item in items)
    except ContentError:
        for number, item in enumerate(items):
            _reference(item, path, f"{where}.references[{number}]")
        raise


def _reference(value: Any, path: Path, where: str) -> Reference:
    if not isinstance(value, dict):
        raise ContentError(path, 0, f"{where}: expected an object")
    _known_keys(value, REFERENCE_KEYS, path, where)
    return Reference(
        title=_text(value.get("title"), path, where, "title") or "",
        arxiv=_text(value.get("arxiv"), path, where, "arxiv"),
        doi=_text(value.get("doi"), path, where, "doi"),
        citations=_count(value.get("citations"), path, where, "citations"),
        year=_count(value.get("year"), path, where, "year"),
        url=_text(value.get("url"), path, where, "url"),
    )


def _known_keys(value: dict[str, Any], known: frozenset[str], path: Path, where: str) -> None:
    if not known.issuperset(value):
        unknown = sorted(set(value) - known)
        raise ContentError(path, 0, f"{where}: unknown key {unknown[0]!r}")


def _count(value: Any, path: Path, where: str, name: str) -> int | None:
    if value is None or (type(value) is int and value >= 0):
        return value
    raise ContentError(path, 0, f"{where}.{name}: expected a whole number, got {value!r}")


def _text(value: Any, path: Path, where: str, name: str) -> str | None:
    """Text on one line (None: none); the file's text as written when it is already so."""
    if value is None:
        return None
    if type(value) is not str:
        raise ContentError(path, 0, f"{where}.{name}: expected text, got {value!r}")
    if value.isprintable() and "  " not in value and value.strip() == value:
        return value or None
    return " ".join(value.split()) or None
