"""The plain-text listing reader (*.txt): copies of Hugging Face "papers" pages."""

from __future__ import annotations

import re
from pathlib import Path

from generator.content.readers.files import read_text
from generator.diagnostics import Diagnostics, Location
from generator.model import Entry, Facts
from generator.text.characters import LINE_END

# Page furniture copied along with the listing; skipped wherever it appears.
NOISE_LINES = frozenset(
    {
        "new",
        "subscribe",
        "byak and the research community",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
    }
)
# "Mar 14", "March 14", "Sept. 3, 2024": a month's name or its abbreviation, never
# another word that starts like one ("Marco 1", "Mayday 12" are titles).
_DATE_LINE = re.compile(
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2}(, \d{4})?",
    re.I,
)
# "SubscribeUNIT: ..." -- the first title glued to the Subscribe button.
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")
_SPACES = re.compile(r"\s+")
ABSTRACT_MIN_CHARS = 300
ABSTRACT_MIN_WORDS = 8


def read_listing(path: Path, listing_id: str, diagnostics: Diagnostics) -> list[Entry]:
    """Read one listing file into entries, reporting anything that is not a title+abstract."""
    entries: list[Entry] = []
    date_label: str | None = None
    pending: tuple[str, Location] | None = None

    def entry(title: str, abstract: str, location: Location) -> Entry:
        return Entry(title, location, listing_id, date_label, Facts(abstract=abstract))

    text = read_text(path, diagnostics, "listing")
    numbered = [(n, _SPACES.sub(" ", raw).strip()) for n, raw in enumerate(LINE_END.split(text), 1)]
    lines = [(number, line) for number, line in numbered if line]
    prose = [looks_like_abstract(line) for _, line in lines] + [False]
    for index, (number, line) in enumerate(lines):
        location = Location(path, number)
        # Whatever a line says, one followed by an abstract where a title is due is a
        # title: "New" or "March 3" can be one, and so can a title of 300+ characters.
        if prose[index + 1] and (pending is None or not prose[index]):
            if pending is not None:  # the title before this one has no abstract
                diagnostics.warn(pending[1], f"title without an abstract: '{pending[0]}'")
                entries.append(entry(pending[0], "", pending[1]))
            pending = (_GLUED_SUBSCRIBE.sub("", line) or line, location)
            continue
        if line.casefold() in NOISE_LINES:
            continue
        if _DATE_LINE.fullmatch(line):
            date_label = date_label or line
            continue
        line = _GLUED_SUBSCRIBE.sub("", line)
        if pending is None:
            if prose[index]:
                diagnostics.warn(location, "text without a title before it; skipped")
            else:
                pending = (line, location)
            continue
        title, title_location = pending
        if prose[index]:
            entries.append(entry(title, line, title_location))
            pending = None
        else:
            diagnostics.warn(title_location, f"title without an abstract: '{title}'")
            entries.append(entry(title, "", title_location))
            pending = (line, location)
    if pending is not None:
        title, title_location = pending
        diagnostics.warn(title_location, f"title without an abstract (file cut short?): '{title}'")
        entries.append(entry(title, "", title_location))
    return entries


def looks_like_abstract(line: str) -> bool:
    """Abstracts are long prose; titles are short and rarely end with a full stop."""
    if len(line) >= ABSTRACT_MIN_CHARS:
        return True
    return line.endswith(".") and len(line.split()) >= ABSTRACT_MIN_WORDS
