"""Write content/metadata.yml for `fetch resolve` without touching what a person wrote.

The file is a list of records, one per paper, sorted by title. Records already in the
file keep their text exactly (edits and comments included); a new record is added in
its sorted place; a refreshed record gets a new `hub:` block and keeps everything else.
Writes are atomic, so an interrupted run leaves the last complete file.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from generator.content.metadata import FILE_NAME
from generator.content.yamlfile import YamlMap, parse_yaml, require_mapping
from generator.diagnostics import ContentError
from generator.text.characters import split_lines
from generator.text.identifiers import title_key

HEADER = """\
# Paper metadata for the build, which reads it offline.
# `python -m generator fetch resolve` adds a record for each paper it looked up on the
# Hugging Face Hub: under hub: are the values it fetched. Write corrections beside hub:
# (arxiv, doi, authors, date, links, abstract, venue): they always win over fetched
# values, and a re-run never changes them (--refresh replaces only hub:).
papers:
"""
_HUB_LINE = re.compile(r"^  hub:")


class MetadataFile:
    """content/metadata.yml as text blocks, one per record, by title key."""

    def __init__(self, content: Path) -> None:
        self.path = content / FILE_NAME
        self.header = HEADER
        self.blocks: dict[str, str] = {}
        self.changed = False
        if self.path.exists():
            self._split(self.path.read_text(encoding="utf-8-sig"))

    def __contains__(self, title: str) -> bool:
        return title_key(title) in self.blocks

    def put(self, title: str, hub: dict[str, Any]) -> None:
        """Record what the Hub said of a paper: a new record, or a new hub: block."""
        key = title_key(title)
        hub_block = _dump({"hub": hub}, indent="  ")
        old = self.blocks.get(key)
        self.blocks[key] = (
            _dump([{"title": title, "hub": hub}]) if old is None else _with_hub(old, hub_block)
        )
        self.changed = True

    def text(self) -> str:
        return self.header + "".join(self.blocks[key] for key in sorted(self.blocks))

    def save(self) -> None:
        """Write the file atomically (nothing when nothing changed)."""
        if self.changed:
            write_atomically(self.path, self.text())
            self.changed = False

    def _split(self, text: str) -> None:
        """Cut the file into its header and one text block per record."""
        data = require_mapping(parse_yaml(text, self.path), self.path, 1, FILE_NAME)
        items = data.get("papers") or []
        if not isinstance(items, list):
            raise ContentError(self.path, 1, "papers must be a list of papers")
        lines = split_lines(text)
        starts = [item.line for item in items if isinstance(item, YamlMap)]
        laid_out = len(starts) == len(items) and starts == sorted(set(starts))
        for start in starts if laid_out else ():
            # "- title: ..." at the start of its line: every key of the record is then two
            # spaces in, where fetch looks for hub: and writes new records to match.
            laid_out = lines[start - 1].startswith("- ") and lines[start - 1][2:3].isalpha()
            if not laid_out:
                break
        if not laid_out:
            line = next((n for n in starts if not lines[n - 1].startswith("- ")), 1)
            raise ContentError(
                self.path,
                line,
                "fetch adds to this file only when each paper starts with '- title:' at the "
                "start of a line, as fetch writes it; nothing was changed",
            )
        if not starts:
            kept = text.replace("papers: []", "papers:")
            self.header = kept if "papers:" in kept else kept + "papers:\n"
            return
        self.header = "".join(lines[: starts[0] - 1])
        for item, start, end in zip(items, starts, [*starts[1:], len(lines) + 1], strict=True):
            block = "".join(lines[start - 1 : end - 1])
            self.blocks[title_key(str(item.get("title", "")))] = (
                block if block.endswith("\n") else block + "\n"
            )


def write_atomically(path: Path, text: str) -> None:
    """Write a file of content/ whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _with_hub(block: str, hub_block: str) -> str:
    """The record's text with its hub: block (the line and all lines indented under it)
    replaced, or added at the end."""
    lines = split_lines(block)
    for number, line in enumerate(lines):
        if _HUB_LINE.match(line):
            end = number + 1
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith("   ")):
                end += 1
            return "".join([*lines[:number], hub_block, *lines[end:]])
    return block + hub_block


def _dump(data: Any, indent: str = "") -> str:
    text = yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1 << 16
    )
    return "".join(indent + line for line in split_lines(text))
