"""Readable ASCII slugs that stay the same from one build to the next.

A slug is the text's letters and digits in ASCII, accents folded ("Müller" is "muller");
what has no ASCII letter or digit at all, a name in another script, is transliterated
with anyascii (ISC licence, no dependencies; Zola and Hugo transliterate alike):
"Зрение" is "zrenie", "画像認識" "hua-xiang-ren-shi", "データ" "de-ta" (each CJK letter
spelled apart, before any normalization could split off its marks), so every host and
file:// serve the address as it is written. Text that had a slug before transliteration
keeps it: no published address changes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

from generator.text.words import CJK_LETTERS, fold

MAX_SLUG_LENGTH = 60
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CJK_LETTER = re.compile(f"[{CJK_LETTERS}]")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH, *, transliterate: bool = True) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary; '' if nothing is left.
    Without `transliterate`, text in other scripts gives ''."""
    slug = _slug_of(unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode())
    if not slug and transliterate:
        slug = _slug_of(transliterated(text))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug


def _slug_of(ascii_text: str) -> str:
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


def transliterated(text: str) -> str:
    """`text` in ASCII letters: each CJK letter spelled as a word of its own (composed
    first, so a kana keeps its voicing mark: "デ" is "de"), then accents folded as search
    folds them and other scripts spelled out."""
    composed = unicodedata.normalize("NFC", text)
    spaced = _CJK_LETTER.sub(lambda letter: f" {anyascii(letter.group(0))} ", composed)
    return str(anyascii(unicodedata.normalize("NFKC", fold(spaced))))


def short_hash(text: str) -> str:
    """Six hex digits that identify `text`, for slugs that need telling apart."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def unique_slugs(
    keys: list[tuple[str, str]], empty: str = "paper", reserved: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Map each (key, title) to a slug; collisions (and `reserved` slugs, names the site
    uses beside these pages) get a hash of the key appended, and a title with no ASCII
    letters or digits becomes `empty` and a hash.

    The key is the paper's identity (its normalized title). Within a group of keys that
    slugify alike, the smallest key keeps the plain slug, so the result depends only on
    the set of papers, never on the order in which files were read.
    """
    groups: dict[str, list[str]] = {}
    for key, title in sorted(keys):
        base = slugify(title) or f"{empty}-{short_hash(key)}"
        groups.setdefault(base, []).append(key)
    slugs: dict[str, str] = {}
    for base, members in groups.items():
        plain = members[1:] if base not in reserved else members
        if base not in reserved:
            slugs[members[0]] = base
        for key in plain:
            slugs[key] = f"{base}-{short_hash(key)}"
    return slugs
