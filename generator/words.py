"""Split text into comparable words, shared by topic matching and related papers."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")
# The plural 's' that normalize_words drops: the last letter of a word of 4+ letters and
# digits, not after another 's' (one pass over the text instead of a test per word).
_PLURAL_S = re.compile(r"s(?<=[a-z0-9]{2}[a-rt-z0-9]s)(?![a-z0-9])")


def normalize_words(text: str) -> list[str]:
    """Lower-case words with a plural 's' dropped, so 'Transformers' matches 'transformer'
    (but 'class' and 'gas' stay as they are)."""
    return _WORD.findall(_PLURAL_S.sub("", text.lower()))
