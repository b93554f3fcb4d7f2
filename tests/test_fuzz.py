"""Generated hostile input: whatever a listing, a YAML file, a note or a file name holds,
the build either reads it or says where it cannot (a ContentError: one line naming the
file and line), never a traceback, and no paper vanishes without a warning naming it.

The default run is short; PAPERSITE_FUZZ=N runs N examples a test (e.g. 2000)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitecheck import check_site

from generator.build import build_site
from generator.catalog.papers import merge
from generator.content.config import load_config
from generator.content.notes import read_note
from generator.content.readers.listing_text import looks_like_abstract, read_listing
from generator.diagnostics import ContentError, Diagnostics
from generator.text.characters import CONTROLS, LINE_END
from generator.text.identifiers import title_key

# What would end a message's line on a terminal (str(error) shows them escaped).
LINE_BREAKS = re.compile(f"{LINE_END.pattern}|[\u2028\u2029\x85]")
EXAMPLES = int(os.environ.get("PAPERSITE_FUZZ", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Text as people paste it: any character, the awkward ones often.
AWKWARD = st.sampled_from(
    [
        "\x00",
        "\x1b[31m",
        "\u2028",
        "\x0c",
        "\x0b",
        "\r",
        "\t",
        "\ufeff",
        "\ud7ff",
        "é",
        "🙂",
        "Зрение",
        "视觉",
        "\\",
        "{{",
        "}}",
        "{%",
        "<script>",
        "&amp;",
        ":",
        "- ",
        "#",
        "'",
        '"',
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), AWKWARD), max_size=8).map("".join)
# A YAML escape of any code point, lone halves of a pair and controls included (st.text
# makes neither surrogates nor, often, controls; escapes in YAML files make both).
CODE = st.one_of(st.integers(0, 0x10FFFF), st.integers(0xD800, 0xDFFF), st.integers(0, 0x9F))
ESCAPE = CODE.map(lambda code: f'"a\\U{code:08x}b"')
WORDS = st.lists(st.from_regex(r"[A-Za-z][a-z]{1,9}", fullmatch=True), min_size=1, max_size=8)
TITLE = st.one_of(WORDS.map(" ".join), TEXT, st.sampled_from(["New", "Mar 14", "Subscribe"]))
ABSTRACT = st.lists(st.from_regex(r"[a-z]{2,9}", fullmatch=True), min_size=12, max_size=40).map(
    lambda words: " ".join(words).capitalize() + "."
)


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A new empty folder for one example, removed after it."""
    path = Path(tempfile.mkdtemp(prefix="papersite-fuzz-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@FUZZ
@given(
    papers=st.lists(st.tuples(TITLE, ABSTRACT), max_size=8),
    noise=st.lists(TEXT, max_size=3),
    line_end=st.sampled_from(["\n", "\r\n", "\n\n"]),
)
def test_every_listed_paper_is_read_or_named_in_a_warning(papers, noise, line_end):
    with folder() as root:
        path = root / "list.txt"
        lines = [*noise]
        for title, abstract in papers:
            lines += [title, abstract]
        path.write_text(line_end.join(lines), "utf-8", newline="")
        found = Diagnostics()
        entries = read_listing(path, "list", found)
        merged = merge(entries, [], (), None, found)
        read = {title_key(paper.title) for paper in merged}
        warned = title_key(" ".join(warning.message for warning in found.warnings))
        for title, _ in papers:
            one_line = " ".join(title.split())
            if "\r" in title or "\n" in title:
                continue  # not one line: the file holds other lines than the title meant
            if not one_line or looks_like_abstract(one_line):
                continue
            key = title_key(one_line)
            assert key in read or key in warned, (title, found.warnings)
        for warning in found.warnings:
            assert "\n" not in str(warning) and "\x1b" not in str(warning)


@FUZZ
@given(
    text=st.one_of(TEXT, st.text(max_size=200)),
    extra=st.one_of(TEXT, ESCAPE.map("description: ".__add__)),
)
def test_any_site_yml_is_read_or_one_content_error(text, extra):
    with folder() as root:
        (root / "content").mkdir()
        (root / "content" / "site.yml").write_text(f"title: T\n{text}\n{extra}", "utf-8")
        try:
            load_config(root, None, Diagnostics())
        except ContentError as error:
            shown = str(error)
            assert "site.yml" in shown and "\n" not in shown and "\x1b" not in shown


@FUZZ
@given(front=st.one_of(TEXT, st.text(max_size=120), ESCAPE.map("abstract: ".__add__)), body=TEXT)
def test_any_note_is_read_or_one_content_error(front, body):
    with folder() as root:
        path = root / "note.md"
        path.write_text(f"---\ntitle: A Note\n{front}\n---\n{body}\n", "utf-8")
        try:
            read_note(path)
        except ContentError as error:
            assert "note.md" in str(error) and "\n" not in str(error)


@FUZZ
@given(stem=st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s and "\x00" not in s))
def test_any_listing_file_name_is_read_or_one_content_error(stem):
    with folder() as root:
        (root / "content" / "listings").mkdir(parents=True)
        (root / "content" / "site.yml").write_text("title: T\n", "utf-8")
        try:
            (root / "content" / "listings" / f"{stem}.txt").write_text("A Title\n", "utf-8")
        except OSError:
            return  # a name this file system refuses
        try:
            config = load_config(root, None, Diagnostics())
        except ContentError as error:
            assert "\n" not in str(error)
            return
        for listing in config.listings:
            assert (
                listing.id not in ("", ".", "..")
                and "/" not in listing.id
                and " " not in listing.id
            )


@pytest.mark.parametrize("name", ["a.txt", "my-list.txt", "2024_03.txt"])
def test_the_file_name_fuzz_accepts_ordinary_names(name):
    with folder() as root:
        (root / "content" / "listings").mkdir(parents=True)
        (root / "content" / "site.yml").write_text("title: T\n", "utf-8")
        (root / "content" / "listings" / name).write_text("A Title\n", "utf-8")
        assert [listing.id for listing in load_config(root).listings] == [name[:-4]]


@settings(FUZZ, max_examples=max(4, EXAMPLES // 4))
@given(
    papers=st.lists(st.tuples(TITLE, ABSTRACT), min_size=1, max_size=5),
    note_title=st.one_of(WORDS.map(" ".join), ESCAPE, TEXT.map(json.dumps)),
    note_body=TEXT,
)
def test_any_content_builds_a_valid_site_or_stops_with_one_line(papers, note_title, note_body):
    """A whole build of generated content: it stops with one ContentError, or every page
    is well-formed HTML whose links resolve, every feed is XML and every .json is JSON."""
    with folder() as root:
        content = root / "content"
        (content / "listings").mkdir(parents=True)
        (content / "papers").mkdir()
        (content / "site.yml").write_text("title: Fuzz\nurl: https://example.org/\n", "utf-8")
        listing = "\n".join(f"{title}\n{abstract}" for title, abstract in papers) + "\n"
        (content / "listings" / "list.txt").write_text(listing, "utf-8")
        note = f"---\ntitle: {note_title}\n---\n{note_body}\n"
        (content / "papers" / "note.md").write_text(note, "utf-8")
        try:
            site = build_site(root).output
        except ContentError as error:
            assert "note.md" in str(error) or "list.txt" in str(error), str(error)
            assert not LINE_BREAKS.search(error.message), error.message
            return
        broken, malformed = check_site(site)
        assert (broken, malformed) == ([], [])
        for feed in site.rglob("*.xml"):
            ET.fromstring(feed.read_bytes())
        for data in site.rglob("*.json"):
            json.loads(data.read_bytes())
        for written in site.rglob("*"):
            if written.suffix in (".html", ".md", ".xml", ".json", ".js", ".txt", ".bib"):
                text = written.read_text("utf-8")
                assert not CONTROLS.search(text), (written, CONTROLS.search(text))
