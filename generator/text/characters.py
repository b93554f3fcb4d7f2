"""Characters no page, feed or terminal may hold, found and made harmless; and where a
line ends, so every line number we give is the one an editor shows."""

from __future__ import annotations

import re

# C0 and C1 controls but tab and line ends, DEL, U+FFFE/U+FFFF: XML refuses them, and a
# terminal runs ESC sequences. A listing saved as UTF-16, or a paste from a terminal,
# brings them in.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Half of a UTF-16 pair, alone: JSON and YAML escapes ("\ud800") make one, and no UTF-8
# file can hold it (writing it raises). A whole pair is already one character here.
HALVES = re.compile("[\ud800-\udfff]")


def joined_pairs(text: str) -> str:
    """`text` with each two halves of a pair that belong together made the one character
    they mean: YAML reads "\\ud83d\\ude00" (as JSON writes 🙂's kin) as two halves."""
    if not HALVES.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def find_unwritable(text: str) -> re.Match[str] | None:
    """Where `text` holds a control character, or else a lone half of a pair, if it does."""
    return CONTROLS.search(text) or HALVES.search(text)


def unwritable(text: str) -> str | None:
    """The first control character or lone half of a pair in `text`, if any."""
    found = find_unwritable(text)
    return found[0] if found else None


def writable(text: str) -> str:
    """`text` with control characters made spaces and lone halves of a pair U+FFFD."""
    return HALVES.sub("\ufffd", CONTROLS.sub(" ", text))


def describe(character: str) -> str:
    """How a message names a character it cannot show: 'U+001B (a control character)'."""
    if HALVES.match(character):
        kind = "half of a character pair"
    elif character in "\ufffe\uffff":
        kind = "not a character"
    else:
        kind = "a control character"
    return f"U+{ord(character):04X} ({kind})"


# Line ends as a text editor shows them. str.splitlines() also ends lines at U+2028,
# U+0085, form feeds and vertical tabs, and PyYAML at U+2028, U+2029 and U+0085.
LINE_END = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_SEPARATORS = str.maketrans({"\u2028": " ", "\u2029": " "})


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line end, as an editor numbers them."""
    return _LINE.findall(text)


def line_at(text: str, position: int) -> int:
    """The line (from 1) that `position` of `text` is on, as an editor numbers them."""
    return len(LINE_END.findall(text, 0, position)) + 1


def without_separators(text: str) -> str:
    """`text` with the line and paragraph separators (U+2028, U+2029) made spaces: an
    editor shows them inside a line, and PyYAML ends a line there."""
    return text.translate(_SEPARATORS)
