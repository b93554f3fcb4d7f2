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


def unwritable(text: str) -> str | None:
    """The first control character or lone half of a pair in `text`, if any."""
    found = CONTROLS.search(text) or HALVES.search(text)
    return found[0] if found else None


def writable(text: str) -> str:
    """`text` with control characters made spaces and lone halves of a pair U+FFFD."""
    return HALVES.sub("\ufffd", CONTROLS.sub(" ", text))


def describe(character: str) -> str:
    """How a message names a character it cannot show: 'U+001B (a control character)'."""
    kind = "half of a character pair" if HALVES.match(character) else "a control character"
    return f"U+{ord(character):04X} ({kind})"


# Line ends as a text editor shows them. str.splitlines() also ends lines at U+2028,
# U+0085, form feeds and vertical tabs, and PyYAML at U+2028, U+2029 and U+0085.
LINE_END = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_OTHER_BREAKS = str.maketrans({"\u2028": " ", "\u2029": " ", "\x85": " "})


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its line end, as an editor numbers them."""
    return _LINE.findall(text)


def without_other_breaks(text: str) -> str:
    """`text` with the line separators only some readers count (U+2028, U+2029, U+0085)
    made spaces, so a parser's line numbers are an editor's."""
    return text.translate(_OTHER_BREAKS)
