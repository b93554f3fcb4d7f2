"""content/metadata.yml: what `fetch resolve` learned about papers, and a person's edits.

The file is written by `python -m generator fetch resolve` and read offline by every
build. Each paper is one item of `papers:`, found by its title; under `hub:` are the
values fetched from the Hugging Face Hub, and keys beside `hub:` are corrections made by
hand, which always win (a re-run never touches them; `--refresh` replaces only `hub:`).
Fetched values fill in what the listings and notes lack; they never override them.
"""

from __future__ import annotations

from pathlib import Path

from generator.content.facts import FACT_KEYS, facts_from_yaml, text_list
from generator.content.readers.files import is_content_file
from generator.content.yamlfile import (
    YamlMap,
    check_keys,
    line_of,
    parse_yaml,
    require_mapping,
    text_field,
)
from generator.diagnostics import ContentError, Location, what_failed
from generator.model import Facts, MetadataRecord
from generator.text.identifiers import title_key

FILE_NAME = "metadata.yml"
RECORD_KEYS = ("title", *FACT_KEYS, "hub")
HUB_KEYS = ("title", *FACT_KEYS, "status", "candidates")
STATUSES = ("", "unmatched", "ambiguous")


def read_metadata(content: Path) -> dict[str, MetadataRecord]:
    """The records of content/metadata.yml by title key; {} when there is no such file."""
    path = content / FILE_NAME
    if not is_content_file(path):
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as error:
        raise ContentError(path, 0, f"not UTF-8 text: {error.reason}") from None
    except OSError as error:
        raise ContentError(path, 0, f"cannot read metadata: {what_failed(error)}") from None
    data = require_mapping(parse_yaml(text, path), path, 1, FILE_NAME)
    check_keys(data, ("papers",), path, FILE_NAME)
    items = data.get("papers") or []
    if not isinstance(items, list):
        raise ContentError(path, line_of(data, "papers"), "papers must be a list of papers")
    records: dict[str, MetadataRecord] = {}
    for item in items:
        line = item.line if isinstance(item, YamlMap) else line_of(data, "papers")
        record = _record(require_mapping(item, path, line, "a paper"), path)
        key = title_key(record.title)
        if not key:
            raise ContentError(path, record.location.line, "title needs letters or digits")
        if key in records:
            first = records[key].location.line
            raise ContentError(
                path, record.location.line, f"'{record.title}' is here twice (also line {first})"
            )
        records[key] = record
    return records


def _record(item: YamlMap, path: Path) -> MetadataRecord:
    check_keys(item, RECORD_KEYS, path, "a paper of metadata.yml")
    title = text_field(item, "title", path, required=True)
    hub = require_mapping(item.get("hub"), path, line_of(item, "hub"), "hub")
    check_keys(hub, HUB_KEYS, path, "hub")
    status = text_field(hub, "status", path)
    if status not in STATUSES:
        raise ContentError(
            path, line_of(hub, "status"), f"status must be unmatched or ambiguous, not '{status}'"
        )
    text_list(hub, "candidates", path)  # checked: fetch writes it, people read it
    return MetadataRecord(
        title=title,
        location=Location(path, item.line),
        edited=facts_from_yaml(item, path),
        fetched=facts_from_yaml(hub, path) if hub else Facts(),
    )
