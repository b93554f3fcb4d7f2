"""Split text into comparable words, shared by topic matching and related papers."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")


def normalize_words(text: str) -> list[str]:
    """Lower-case words with a plural 's' dropped, so 'Transformers' matches 'transformer'."""
    return [
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in _WORD.findall(text.lower())
    ]
