"""Citation metadata for paper pages: BibTeX, and schema.org JSON-LD safe inside <script>."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from markupsafe import Markup

from generator.model import Paper, SiteConfig
from generator.urls import paper_path


def scholarly_article(config: SiteConfig, paper: Paper) -> dict[str, Any]:
    """schema.org ScholarlyArticle data for the paper page."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
    }
    if paper.abstract:
        data["abstract"] = paper.abstract
    if paper.date:
        data["datePublished"] = paper.date.isoformat()
    if paper.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if config.url:
        data["url"] = config.url + paper_path(paper.slug)
    return data


def json_for_script(data: Any) -> Markup:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


_BIBTEX_SPECIAL = re.compile(r"([{}%&$#_\\])")


def bibtex(config: SiteConfig, paper: Paper) -> str:
    """A BibTeX @misc entry for the paper, with its key made of author, year and title."""
    first_word = next(
        (w for w in re.findall(r"[A-Za-z0-9]+", _ascii(paper.title)) if len(w) > 3), ""
    )
    author = re.findall(r"[A-Za-z]+", _ascii(paper.authors[0]))[-1:] if paper.authors else []
    year = str(paper.date.year) if paper.date else ""
    key = ("".join(author) + year + first_word).lower() or paper.slug.replace("-", "")
    fields = [("title", "{" + _bibtex_text(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_bibtex_text(name) for name in paper.authors)))
    if year:
        fields.append(("year", year))
    if config.url:
        fields.append(("url", config.url + paper_path(paper.slug)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def _bibtex_text(text: str) -> str:
    escaped = _BIBTEX_SPECIAL.sub(
        lambda m: "\\" + m[1] if m[1] != "\\" else "\\textbackslash{}", text
    )
    return " ".join(escaped.split())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def code_fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(3, longest + 1)
