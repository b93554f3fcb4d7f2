"""The BibTeX reader (*.bib): reading lists kept in a reference manager, via bibtexparser 2.

Each entry is read twice over. As written: its key, entry type and fields with their TeX
(@string macros resolved), which the paper's page publishes as they are (a .bib is the
user's own word). As text: TeX decoded ({\\"u}, {M}odel, \\%), names split in "Last,
First" and "First Last" order, month macros as numbers, for the page, search and tags.
It is imported only when a site has a .bib file, so other builds do not pay for it.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.content.readers.files import read_text
from generator.diagnostics import ContentError, Diagnostics, Location
from generator.model import (
    MONTH_MACROS,
    MONTHS,
    BibField,
    BibRecord,
    Entry,
    Facts,
    Link,
    PaperDate,
)
from generator.text.identifiers import arxiv_id, doi
from generator.text.paper_links import classify
from generator.text.words import CJK_LETTERS

_YEAR = re.compile(r"\d{4}")
_ARXIV_IN_TEXT = re.compile(r"arxiv:\s*(\S+)", re.I)
# Fields never published: a reference manager's path to the user's own copy of the PDF.
_PRIVATE_FIELDS = frozenset({"file"})
# Fields kept as text for the page's tags (a .bib's own names; journal and booktitle are
# the venue).
DETAIL_FIELDS = (
    "volume number pages publisher school institution editor series edition note "
    "address organization isbn"
).split()
# Fields biblatex reads verbatim (a web address, an identifier): taken as written, not as
# TeX ("~" is a tilde and "%" a percent sign in them), but with what reference managers
# write around them undone (see _address).
_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "arxivid"})
_URL_COMMAND = re.compile(r"^\\url\{(.*)\}$", re.S)
_TILDE = re.compile(r"\{?\\(?:textasciitilde|~)(?:\{\})?\}?")
_ESCAPED = re.compile(r"\{?\\([%&#_$])\}?")
_OTHERS = frozenset({"others", "et al.", "et al"})
# A name written in Chinese, Japanese or Korean letters only: shown family name first.
_EASTERN = re.compile(f"[{CJK_LETTERS}]+")


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """Every entry with a title; entries the parser could not read are reported."""
    from bibtexparser import model

    text = read_text(path, diagnostics, "BibTeX file")
    library = _parse(text, path)
    # Each entry as written (macros resolved, outer braces removed), with its first line.
    found: list[tuple[Any, int]] = [(entry, _line(entry)) for entry in library.entries]
    for block in library.failed_blocks:
        where = Location(path, _line(block))
        usable = block.ignore_error_block
        if isinstance(block, model.DuplicateBlockKeyBlock) and block.raw:
            # Read on its own, the second entry of a key is an ordinary entry.
            diagnostics.warn(where, f"key '{block.key}' is used twice; both entries are read")
            again = _parse(block.raw, path, library.strings).entries
            found += [(entry, where.line + _line(entry) - 1) for entry in again]
        elif isinstance(block, model.DuplicateFieldKeyBlock) and isinstance(usable, model.Entry):
            repeated = ", ".join(sorted(block.duplicate_keys))
            diagnostics.warn(where, f"field {repeated} is given twice; the first is used")
            found.append((_as_parsed(_first_fields(usable), library.strings), where.line))
        elif isinstance(usable, model.Entry):
            diagnostics.warn(where, f"{_reason(block.error)}; read as it is")
            found.append((_as_parsed(usable, library.strings), where.line))
        else:
            diagnostics.warn(where, f"cannot read this entry: {_reason(block.error)}; skipped")
    found.sort(key=lambda pair: pair[1])
    macros = _macros(library.strings)
    read = (
        _entry(_joined(entry, macros), Location(path, line), listing_id, diagnostics)
        for entry, line in found
    )
    return [entry for entry in read if entry is not None]


def _macros(strings: list[Any]) -> dict[str, str]:
    """The file's @string macros by name (any case), each as the text it stands for, after
    the month macros of BibTeX's styles; one defined by joining others (acm # " Press")
    joined (a macro is used after its definition, as in BibTeX)."""
    macros = dict(zip(MONTH_MACROS, MONTHS, strict=True))
    for string in strings:
        value = str(string.value)
        bare = getattr(string, "_parser_metadata", {}).get("removed_enclosing") == "no-enclosing"
        joined = _concatenation(value, macros) if bare and "#" in value else None
        macros[string.key.casefold()] = value if joined is None else joined
    return macros


def _joined(entry: Any, macros: dict[str, str]) -> Any:
    """The entry, with each value that joins parts with # (publisher = acm # " Press",
    month = jun # "~26") as the one text BibTeX makes of it: so published, it needs none of
    the file's @string macros. One naming a macro the file lacks stays as written."""
    from bibtexparser import model

    fields, joined = [], False
    for field in entry.fields:
        value = str(field.value)
        if field.enclosing == "no-enclosing" and "#" in value:
            text = _concatenation(value, macros)
            if text is not None:
                field, joined = model.Field(field.key, text, field.start_line), True
        fields.append(field)
    if not joined:  # (most entries: kept as they are, not made again)
        return entry
    return model.Entry(entry.entry_type, entry.key, fields, entry.start_line, entry.raw)


def _concatenation(value: str, macros: dict[str, str]) -> str | None:
    """BibTeX's text of `a # "b" # {c} # 12`: quoted and braced parts as written, numbers,
    and macros by name; None if a macro is not known or the value is not such a join."""
    parts: list[str] = []
    at, end = 0, len(value)
    while True:
        while at < end and value[at].isspace():
            at += 1
        if at == end:
            return None
        if value[at] in '"{':
            close = _closing(value, at)
            if close is None:
                return None
            parts.append(value[at + 1 : close])
            at = close + 1
        else:
            start = at
            while at < end and not value[at].isspace() and value[at] != "#":
                at += 1
            name = value[start:at]
            if name.isdigit():
                parts.append(name)
            elif name.casefold() in macros:
                parts.append(macros[name.casefold()])
            else:
                return None
        while at < end and value[at].isspace():
            at += 1
        if at == end:
            return "".join(parts)
        if value[at] != "#":
            return None
        at += 1


def _closing(value: str, start: int) -> int | None:
    """Where the quoted or braced part opening at `start` closes: a quote ends it only
    outside braces, as in BibTeX."""
    depth = 0
    for at in range(start + 1, len(value)):
        character = value[at]
        if character == "{":
            depth += 1
        elif character == "}":
            if depth == 0:
                return at if value[start] == "{" else None
            depth -= 1
        elif character == '"' and depth == 0 and value[start] == '"':
            return at
    return None


def _line(block: Any) -> int:
    return (block.start_line or 0) + 1


def _first_fields(entry: Any) -> Any:
    """The entry with only the first of each repeated field (as BibTeX reads it)."""
    from bibtexparser import model

    seen: set[str] = set()
    fields = []
    for field in entry.fields:
        if field.key.lower() not in seen:
            seen.add(field.key.lower())
            fields.append(field)
    return model.Entry(entry.entry_type, entry.key, fields, entry.start_line, entry.raw)


def _as_parsed(entry: Any, strings: list[Any]) -> Any:
    """An entry the parser gave up on, made like the ones it read: macros resolved and
    outer braces removed (else its title would keep its braces)."""
    from bibtexparser import Library, middlewares  # type: ignore[attr-defined]

    library = Library(blocks=[*strings, copy.deepcopy(entry)])
    for middleware in (
        middlewares.ResolveStringReferencesMiddleware(True),
        middlewares.RemoveEnclosingMiddleware(True),
    ):
        library = middleware.transform(library)
    return library.entries[0] if library.entries else entry


def _decoded(entry: Any) -> dict[str, Any]:
    """The entry's fields as text, by lower-case name: TeX decoded, names split, months as
    numbers. A field a step cannot read keeps what the steps before made of it."""
    from bibtexparser import Library, middlewares  # type: ignore[attr-defined]

    fields = {field.key.lower(): field.value for field in entry.fields}
    with _quiet("bibtexparser"):
        library = _steps(
            Library(blocks=[copy.deepcopy(entry)]),
            middlewares.LatexDecodingMiddleware(True),
            middlewares.MonthIntMiddleware(True),
        )
        for decoded in library.entries[:1]:
            fields = {field.key.lower(): field.value for field in decoded.fields}
        if "author" in fields:
            fields["author"] = _names(entry)
    for field in entry.fields:
        if field.key.lower() in _VERBATIM_FIELDS:
            fields[field.key.lower()] = _address(str(field.value))
    return fields


def _address(value: str) -> str:
    """A verbatim field as the address or id it names: without a \\url{} around it, TeX's
    escapes of its characters undone (\\_ and {\\_}, \\%, \\&, \\#, \\~{} and
    {\\textasciitilde}: JabRef and Mendeley write them), braces dropped; a line break in
    a long address joins up, but of several addresses (Mendeley's "http://a http://b")
    the first is taken."""
    text = value.strip()
    if found := _URL_COMMAND.match(text):
        text = found[1]
    text = _ESCAPED.sub(r"\1", _TILDE.sub("~", text)).replace("{", "").replace("}", "")
    parts = text.split()
    if sum(part.startswith(("http://", "https://")) for part in parts) > 1:
        return parts[0]
    return "".join(parts)


def _names(entry: Any) -> list[Any]:
    """The authors, split into their parts before TeX is decoded (so that a braced
    company, {Barnes and Noble}, stays one name), then each part decoded."""
    from bibtexparser import Library, middlewares, model  # type: ignore[attr-defined]

    people = _steps(
        Library(blocks=[copy.deepcopy(entry)]),
        middlewares.SeparateCoAuthors(True, name_fields=("author",)),
        middlewares.SplitNameParts(True, name_fields=("author",)),
    )
    value: Any = next((f.value for e in people.entries for f in e.fields if f.key == "author"), [])
    if not isinstance(value, list):
        return []
    one_each = model.Entry("misc", "names", [model.Field("author", name) for name in value])
    decoded = _steps(Library(blocks=[one_each]), middlewares.LatexDecodingMiddleware(True))
    if not decoded.entries:  # TeX it cannot read: the parts as written, without braces
        return [
            " ".join(word.replace("{", "").replace("}", "") for word in _parts(name))
            for name in value
        ]
    return [field.value for field in decoded.entries[0].fields]


def _parts(name: Any) -> list[str]:
    return [*name.first, *name.von, *name.last, *name.jr] if hasattr(name, "first") else [name]


def _steps(library: Any, *steps: Any) -> Any:
    """The library after each of bibtexparser's steps. An entry a step could do only part
    of goes on as that step left it; a step's own bug ends the steps."""
    from bibtexparser import Library, model  # type: ignore[attr-defined]

    for step in steps:
        try:
            done = step.transform(library)
        except Exception:  # a parser bug on odd input must not become a traceback
            break
        partly = [
            block.ignore_error_block
            for block in done.failed_blocks
            if isinstance(block, model.MiddlewareErrorBlock)
            and isinstance(block.ignore_error_block, model.Entry)
        ]
        library = Library(blocks=[*done.entries, *partly]) if partly else done
    return library


def _entry(bib: Any, location: Location, listing_id: str, diagnostics: Diagnostics) -> Entry | None:
    fields = _decoded(bib)
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
    authors, inverted, more = _people(fields.get("author"))
    facts = Facts(
        abstract=_text(fields.get("abstract")),
        authors=authors,
        published=_published(fields, warn),
        arxiv=arxiv,
        doi=found_doi,
        links=tuple(links),
        venue=_text(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")),
        kind=bib.entry_type.lower(),
        authors_inverted=inverted,
        more_authors=more,
        details=tuple(
            (name, text)
            for name in DETAIL_FIELDS
            if name != "editor" and (text := _text(fields.get(name)))
        ),
    )
    return Entry(title, location, listing_id, None, facts, _record(bib))


def _record(bib: Any) -> BibRecord:
    """The entry as written, to publish: every field but a local file path."""
    fields = tuple(
        BibField(field.key, str(field.value), field.enclosing == "no-enclosing")
        for field in bib.fields
        if field.key.lower() not in _PRIVATE_FIELDS
    )
    return BibRecord(bib.key, bib.entry_type, fields)


def _arxiv_candidates(fields: dict[str, Any]) -> Iterator[str]:
    """Where reference managers put the arXiv id: eprint (with archivePrefix arXiv),
    arxivid (Mendeley), or the journal line "arXiv preprint arXiv:1512.03385"."""
    prefix = _text(fields.get("archiveprefix") or fields.get("eprinttype")).lower()
    if fields.get("eprint") and prefix in ("", "arxiv"):
        yield _text(fields["eprint"])
    if fields.get("arxivid"):
        yield _text(fields["arxivid"])
    match = _ARXIV_IN_TEXT.search(_text(fields.get("journal") or fields.get("journaltitle")))
    if match:
        yield match[1]


def _people(value: Any) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Display names ("First von Last, Jr"), the same as "von Last, Jr, First", and
    whether the list ends in "and others" (which is not a person). A braced corporate
    name ({Barnes and Noble}) is one name."""
    if isinstance(value, str):
        value = [value]
    names: list[str] = []
    inverted: list[str] = []
    more = False
    for name in value or ():
        if hasattr(name, "first"):
            first, last = " ".join(name.first), " ".join([*name.von, *name.last])
            jr = " ".join(name.jr)
            shown = " ".join(part for part in (first, last) if part) + (", " + jr if jr else "")
            if first and _EASTERN.fullmatch(first + last):
                shown = last + first  # 王, 伟 is 王伟: the family name first, no space
            turned = ", ".join(part for part in (last, jr, first) if part)
        else:
            shown = turned = str(name)
        shown, turned = _text(shown), _text(turned)
        if shown.casefold() in _OTHERS:
            more = True
        elif shown:
            names.append(shown)
            inverted.append(turned)
    return tuple(names), tuple(inverted), more


def _published(fields: dict[str, Any], warn: Callable[[str], None]) -> PaperDate | None:
    """From biblatex's date (2016-06-27), which wins over year and month as in biblatex,
    else from year and month: only as precise as given."""
    date = _text(fields.get("date")).split("/")[0]  # a range (2019-06-16/2019-06-18): its start
    if date:
        try:
            return PaperDate.parse(date)
        except ValueError:
            fallback = "year and month are used" if fields.get("year") else "left out"
            warn(f"date '{date}' is not a date like 2016-06-27, 2016-06 or 2016; {fallback}")
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


def _parse(text: str, path: Path, strings: list[Any] | None = None) -> Any:
    """The library of `text` as written (bibtexparser's default steps: @string macros
    resolved, outer braces removed); with `strings`, the macros of the file it came from."""
    import bibtexparser

    try:
        with _quiet("bibtexparser"):
            library = bibtexparser.Library(blocks=list(strings)) if strings else None  # type: ignore[attr-defined]
            return bibtexparser.parse_string(text, library=library)  # type: ignore[attr-defined]
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
