"""Find URLs in abstracts and tell code repositories from project pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.model import Link

# Stop at whitespace and at characters that never appear unescaped in a URL.
_URL = re.compile(r"https?://[^\s<>\"'`{}|\\^]+", re.I)
_TRAILING = ".,;:!?'\""
_CODE_HOSTS = frozenset({"github.com", "www.github.com", "gitlab.com", "www.gitlab.com"})
_CLOSERS = {")": "(", "]": "["}


def find_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the URLs in `text`, trailing punctuation excluded."""
    spans = []
    for match in _URL.finditer(text):
        url = _trim(match.group())
        if len(url) > len("https://") and urlsplit(url).hostname:
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _CLOSERS and url.count(last) > url.count(_CLOSERS[last])):
            url = url[:-1]
        else:
            break
    return url


def classify(url: str) -> Link:
    """A GitHub/GitLab repository is the paper's code; anything else its project page."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if (parts.hostname or "").lower() in _CODE_HOSTS and len(segments) >= 2:
        return Link("Code", url)
    return Link("Project page", url)


def links_in(text: str) -> tuple[Link, ...]:
    """The distinct links of a text, in order of appearance."""
    seen: dict[str, Link] = {}
    for start, end in find_urls(text):
        url = text[start:end]
        seen.setdefault(url, classify(url))
    return tuple(seen.values())
