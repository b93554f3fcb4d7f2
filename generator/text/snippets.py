"""Short forms of a paper's text, the same in cards, search results and descriptions."""

from __future__ import annotations

EXCERPT_CHARS = 220
# Topics a paper's card shows (its first ones): on the site's pages and in search results.
CARD_TOPICS = 3


def byline(authors: tuple[str, ...] | list[str], more: bool = False) -> str:
    """The first three authors, then "et al." (also after fewer, when `more` says the list
    is not complete: a .bib's "and others")."""
    return ", ".join(authors[:3]) + (" et al." if len(authors) > 3 or more else "")


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first `limit` characters of a text on one line, cut at a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
