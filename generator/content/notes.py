"""Read hand-written Markdown: per-paper notes (content/papers) and free pages (content/pages)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from generator.content.facts import FACT_KEYS, facts_from_yaml, text_list
from generator.content.readers.files import is_content_file, is_unread
from generator.content.yamlfile import YamlMap, check_keys, line_of, read_front_matter, text_field
from generator.diagnostics import ContentError, Location, what_failed
from generator.model import FreePage, Note
from generator.text.slugs import slugify

PAPER_KEYS = ("title", *FACT_KEYS, "topics")
PAGE_KEYS = ("title", "slug")


def markdown_files(folder: Path) -> list[Path]:
    """The folder's *.md files, sorted; none if there is no folder. A folder that cannot
    be read is an error (Path.glob would say it is empty, and the pages would vanish)."""
    if not folder.is_dir():
        return []
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as error:
        raise ContentError(folder, 0, f"cannot read this folder: {what_failed(error)}") from None
    files = [folder / name for name in names if name.endswith(".md")]
    files = [path for path in files if not is_unread(path)]
    for path in files:
        if path.is_symlink() and not path.exists():
            raise ContentError(path, 0, f"broken link to {os.readlink(path)}: fix or remove it")
    return [path for path in files if is_content_file(path)]


def read_notes(folder: Path, field_keys: tuple[str, ...] = ()) -> list[Note]:
    """Every content/papers/*.md file, sorted by file name. `field_keys` are the front
    matter keys the site's plugins read (schedule's discussed:), kept as Facts.fields."""
    return [read_note(path, field_keys) for path in markdown_files(folder)]


def read_note(path: Path, field_keys: tuple[str, ...] = ()) -> Note:
    """One notes file: front matter with a required title, Markdown body as notes."""
    meta, body, _ = read_front_matter(path)
    check_keys(meta, (*PAPER_KEYS, *field_keys), path, "paper front matter")
    facts = facts_from_yaml(meta, path)
    fields = tuple((key, _field_text(meta, key, path)) for key in field_keys if key in meta)
    return Note(
        title=text_field(meta, "title", path, required=True),
        location=Location(path, 1),
        facts=dataclasses.replace(facts, fields=fields) if fields else facts,
        requested_topics=text_list(meta, "topics", path),  # names or slugs, as written
        notes=body.strip(),
    )


def _field_text(meta: YamlMap, key: str, path: Path) -> str:
    """A plugin's front matter field as text: a date as 2024-03-14, a number as written."""
    value = meta[key]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ContentError(path, line_of(meta, key), f"{key} must be a single value, not {value!r}")
    return str(value).strip()


def read_free_pages(folder: Path) -> list[FreePage]:
    """Every content/pages/*.md file as a page at /<slug>/."""
    pages: list[FreePage] = []
    made: dict[str, Path] = {}
    for path in markdown_files(folder):
        meta, body, _ = read_front_matter(path)
        check_keys(meta, PAGE_KEYS, path, "page front matter")
        title = text_field(meta, "title", path) or path.stem.replace("-", " ").capitalize()
        slug = slugify(text_field(meta, "slug", path) or path.stem)
        if not slug:
            raise ContentError(path, 1, "page needs a slug made of letters or digits")
        if slug in made:
            raise ContentError(
                path, 1, f"page slug '{slug}' is also {made[slug].name}'s: give one another slug"
            )
        made[slug] = path
        pages.append(FreePage(slug=slug, title=title, body=body, location=Location(path, 1)))
    return pages
