"""Citation data for paper pages from what is known of each paper: BibTeX (its key from
catalog/cite_keys.py), Google Scholar's citation_* tags, schema.org JSON-LD safe in <script>."""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup

from generator.model import Paper, SiteConfig
from generator.site.urls import paper_path
from generator.text.identifiers import arxiv_abs_url, arxiv_pdf_url, doi_url, hub_paper_url

_KNOWN_KINDS = frozenset(
    "article book booklet inbook incollection inproceedings manual mastersthesis misc "
    "phdthesis proceedings techreport unpublished".split()
)
_MONTH_MACROS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_BIBTEX_SPECIAL = re.compile(r"([{}%&$#_\\])")
_ESCAPES = {"\\": "\\textbackslash{}"}
_BRACE_WORDS = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def bibtex(paper: Paper) -> str:
    """A BibTeX entry with what is known: authors, year and month only when known (never a
    listing's date), the arXiv eprint and its URL, the DOI, the venue."""
    kind = paper.kind if paper.kind in _KNOWN_KINDS else "misc"
    if kind == "article" and not paper.venue:
        kind = "misc"
    fields = [("title", "{{" + _bibtex_text(paper.title) + "}}")]
    if paper.authors:
        names = " and ".join(_bibtex_name(name) for name in paper.authors)
        fields.append(("author", "{" + names + "}"))
    if paper.venue:
        venue = {"article": "journal", "inproceedings": "booktitle"}.get(kind, "howpublished")
        fields.append((venue, "{" + _bibtex_text(paper.venue) + "}"))
    if paper.published:
        fields.append(("year", "{" + str(paper.published.year) + "}"))
        if paper.published.month:
            fields.append(("month", _MONTH_MACROS[paper.published.month - 1]))
    if paper.arxiv:
        fields += [("eprint", "{" + paper.arxiv + "}"), ("archivePrefix", "{arXiv}")]
    if paper.doi:
        fields.append(("doi", "{" + _verbatim(paper.doi) + "}"))
    url = _paper_url(paper)
    if url:
        fields.append(("url", "{" + _verbatim(url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{paper.cite_key},\n{body}\n}}"


def _paper_url(paper: Paper) -> str | None:
    """The paper itself on the web: its arXiv page, else a link its source calls the paper."""
    if paper.arxiv:
        return arxiv_abs_url(paper.arxiv)
    return next((link.url for link in paper.links if link.label == "Paper"), None)


def _bibtex_name(name: str) -> str:
    """A name as BibTeX reads it: 'First Last' and 'Last, First' as they are, 'First Last,
    Jr' as 'Last, Jr, First'; a name with ' and ' in it is braced (or it would be two)."""
    main, _, suffix = (part.strip() for part in name.partition(","))
    if suffix.rstrip(".").casefold() in _NAME_SUFFIXES and " " in main:
        first, last = main.rsplit(" ", 1)
        name = f"{last}, {suffix}, {first}"
    text = _bibtex_text(name)
    return "{" + text + "}" if re.search(r"\sand\s", name, re.I) else text


def _bibtex_text(text: str) -> str:
    """Text with BibTeX's and TeX's special characters escaped; braces escaped when they
    pair up, else written as \textbraceleft/right (BibTeX counts even escaped braces)."""
    balanced = _balanced(text)
    escaped = _BIBTEX_SPECIAL.sub(
        lambda m: (
            _ESCAPES.get(m[1], "\\" + m[1]) if balanced or m[1] not in "{}" else _BRACE_WORDS[m[1]]
        ),
        text,
    )
    return " ".join(escaped.split())


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _verbatim(value: str) -> str:
    """A DOI or URL as BibTeX and biblatex read it: as it is, but for braces."""
    return value.replace("{", "%7B").replace("}", "%7D")


def scholar_tags(paper: Paper, canonical: str | None) -> list[tuple[str, str]]:
    """Google Scholar's citation_* meta tags (name, content), in its documented order."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", name) for name in paper.authors]
    if paper.published:
        tags.append(("citation_publication_date", paper.published.iso().replace("-", "/")))
    if paper.venue:
        venue = (
            "citation_conference_title"
            if paper.kind == "inproceedings"
            else "citation_journal_title"
        )
        tags.append((venue, paper.venue))
    if paper.arxiv:
        tags += [
            ("citation_arxiv_id", paper.arxiv),
            ("citation_pdf_url", arxiv_pdf_url(paper.arxiv)),
        ]
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if canonical:
        tags.append(("citation_abstract_html_url", canonical))
    return tags


def scholarly_article(config: SiteConfig, paper: Paper) -> dict[str, Any]:
    """schema.org ScholarlyArticle data for the paper page. The abstract is left out: the
    page shows it and its description meta tag starts it (it was a tenth of the page)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
    }
    if paper.published:
        data["datePublished"] = paper.published.iso()
    if paper.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if config.url:
        data["url"] = config.url + paper_path(paper.slug)
    identifiers = []
    same_as = []
    if paper.arxiv:
        identifiers.append({"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv})
        same_as += [arxiv_abs_url(paper.arxiv), hub_paper_url(paper.arxiv)]
    if paper.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi})
        same_as.append(doi_url(paper.doi))
    if identifiers:
        data["identifier"] = identifiers
        data["sameAs"] = same_as
    return data


def json_for_script(data: Any) -> Markup:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def code_fence(text: str) -> str:
    """A Markdown code fence longer than any run of backticks inside `text`."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(3, longest + 1)
