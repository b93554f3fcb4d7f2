"""Citation data for paper pages from what is known of each paper: BibTeX (its key from
catalog/cite_keys.py), Google Scholar's citation_* tags, schema.org JSON-LD safe in <script>."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.model import MONTH_MACROS, BibRecord, Paper, SiteConfig
from generator.text.identifiers import arxiv_abs_url, arxiv_pdf_url, doi_url, hub_paper_url
from generator.text.urls import paper_path

_KNOWN_KINDS = frozenset(
    "article book booklet inbook incollection inproceedings manual mastersthesis misc "
    "phdthesis proceedings techreport unpublished".split()
)
_BIBTEX_SPECIAL = re.compile(r"([{}%&$#_\\])")
_BRACE = re.compile(r"[{}]")
_ESCAPES = {"\\": "\\textbackslash{}"}
_BRACE_WORDS = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# The tag that names where a paper appeared, by entry type (Zotero files a page with
# citation_book_title as a book section, with citation_journal_title as an article).
_VENUE_TAGS = {
    "inproceedings": "citation_conference_title",
    "conference": "citation_conference_title",
    "incollection": "citation_book_title",
    "inbook": "citation_book_title",
}


def bibtex(paper: Paper, with_abstract: bool = False) -> str:
    """The paper's BibTeX entry: the user's own .bib entry as written (key, type, every
    field) with what other sources add; else one made of what is known: authors, year
    and month only when known (never a listing's date), the arXiv eprint and its URL, the
    DOI, the venue, and (`with_abstract`: for a listing `fetch add` writes) the abstract."""
    if paper.bib is not None:
        return _as_written(paper, paper.bib)
    kind = paper.kind if paper.kind in _KNOWN_KINDS else "misc"
    if kind == "article" and not paper.venue:
        kind = "misc"
    fields = [("title", "{{" + _bibtex_text(paper.title) + "}}")]
    if paper.authors:
        names = [_bibtex_name(name) for name in inverted_names(paper)]
        names += ["others"] if paper.more_authors else []
        fields.append(("author", "{" + " and ".join(names) + "}"))
    if paper.venue:
        venue = {"article": "journal", "inproceedings": "booktitle"}.get(kind, "howpublished")
        fields.append((venue, "{" + _bibtex_text(paper.venue) + "}"))
    if paper.published:
        fields.append(("year", "{" + str(paper.published.year) + "}"))
        if paper.published.month:
            fields.append(("month", MONTH_MACROS[paper.published.month - 1]))
    if paper.arxiv:
        fields += [("eprint", "{" + paper.arxiv + "}"), ("archivePrefix", "{arXiv}")]
    if paper.doi:
        fields.append(("doi", "{" + _verbatim(paper.doi) + "}"))
    url = paper_url(paper)
    if url:
        fields.append(("url", "{" + _verbatim(url) + "}"))
    if with_abstract and paper.abstract:
        fields.append(("abstract", "{" + _bibtex_text(paper.abstract) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{paper.cite_key},\n{body}\n}}"


def _as_written(paper: Paper, entry: BibRecord) -> str:
    """The .bib entry as the user wrote it, then the eprint, DOI and URL other sources
    add when it has none of its own."""
    fields = [
        (field.name, field.value if field.bare else "{" + field.value + "}")
        for field in entry.fields
    ]
    has = {field.name.casefold() for field in entry.fields}
    if paper.arxiv and not has & {"eprint", "arxivid"}:
        fields += [("eprint", "{" + paper.arxiv + "}"), ("archivePrefix", "{arXiv}")]
    if paper.doi and "doi" not in has:
        fields.append(("doi", "{" + _verbatim(paper.doi) + "}"))
    url = paper_url(paper)
    if url and "url" not in has:
        fields.append(("url", "{" + _verbatim(url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry.kind}{{{paper.cite_key},\n{body}\n}}"


def inverted_name(name: str) -> str:
    """A display name as "Last, First": the last word, with the lower-case particles
    before it (van der, de, von), is the family name; a ", Jr" part stays with it
    ("Smith, Jr, John", BibTeX's order). A name of one word, one already written "Last,
    First", and a company's ("... and ...") are left as they are."""
    main, _, suffix = (part.strip() for part in name.partition(","))
    words = main.split()
    if len(words) < 2 or (suffix and suffix.rstrip(".").casefold() not in _NAME_SUFFIXES):
        return name  # one word, or already "Last, First"
    if re.search(r"\sand\s", main, re.I):
        return name  # a company ("Research and Development Team"): one name as it is
    start = len(words) - 1
    while start > 1 and words[start - 1][:1].islower():
        start -= 1
    family, given = " ".join(words[start:]), " ".join(words[:start])
    return ", ".join(part for part in (family, suffix, given) if part)


def inverted_names(paper: Paper) -> tuple[str, ...]:
    """The authors as "Last, First": as their source split them, else by inverted_name."""
    if len(paper.authors_inverted) == len(paper.authors):
        return paper.authors_inverted
    return tuple(inverted_name(name) for name in paper.authors)


def paper_url(paper: Paper) -> str | None:
    """The paper itself on the web: its arXiv page, else a link its source calls the paper."""
    if paper.arxiv:
        return arxiv_abs_url(paper.arxiv)
    return next((link.url for link in paper.links if link.label == "Paper"), None)


def _bibtex_name(name: str) -> str:
    """A "Last, First" name as BibTeX reads it; a name with ' and ' in it (a company) is
    braced whole, or it would be two people."""
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
    """Whether the braces of `text` pair up (most text has none: it is not walked)."""
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for brace in _BRACE.findall(text):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _verbatim(value: str) -> str:
    """A DOI or URL as BibTeX and biblatex read it: as it is, but for braces."""
    return value.replace("{", "%7B").replace("}", "%7D")


def scholar_tags(paper: Paper, canonical: str | None) -> list[tuple[str, str]]:
    """Google Scholar's citation_* meta tags (name, content), in its documented order:
    authors as "Last, First", the date as YYYY/MM/DD or the year alone (the two forms it
    reads), the bibliographic details a .bib gave, the whole abstract (Zotero takes it;
    without it, it stores the page's shortened description)."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", _scholar_name(name)) for name in inverted_names(paper)]
    if paper.published:
        date = paper.published
        shown = f"{date.year:04d}/{date.month:02d}/{date.day:02d}" if date.day else str(date.year)
        tags.append(("citation_publication_date", shown))
    details = dict(paper.details)
    if paper.venue:
        tags.append((_VENUE_TAGS.get(paper.kind, "citation_journal_title"), paper.venue))
    for field, tag in (("volume", "citation_volume"), ("number", "citation_issue")):
        if details.get(field) and paper.kind != "techreport":
            tags.append((tag, details[field]))
    first, last = page_range(details.get("pages", ""))
    if first:
        tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if details.get("publisher"):
        tags.append(("citation_publisher", details["publisher"]))
    if details.get("isbn"):
        tags.append(("citation_isbn", details["isbn"]))
    school = details.get("school") or details.get("institution")
    if school and paper.kind in ("phdthesis", "mastersthesis", "thesis"):
        tags.append(("citation_dissertation_institution", school))
    if school and paper.kind in ("techreport", "report"):
        tags.append(("citation_technical_report_institution", school))
        if details.get("number"):
            tags.append(("citation_technical_report_number", details["number"]))
    if paper.arxiv:
        tags += [
            ("citation_arxiv_id", paper.arxiv),
            ("citation_pdf_url", arxiv_pdf_url(paper.arxiv)),
        ]
    elif (url := paper_url(paper)) and urlsplit(url).path.lower().endswith(".pdf"):
        tags.append(("citation_pdf_url", url))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if canonical:
        tags.append(("citation_abstract_html_url", canonical))
    if paper.abstract:
        tags.append(("citation_abstract", paper.abstract))
    return tags


def page_range(pages: str) -> tuple[str, str]:
    """A .bib's pages ("770--778", "770-778", an en dash, "12") as (first, last)."""
    first, _, last = re.sub(r"\s*(--?|\u2013)\s*", "-", pages).partition("-")
    return first.strip(), last.strip()


def _scholar_name(inverted: str) -> str:
    """ "Last, First" for a meta tag: a ", Jr" part joins the family name ("Smith Jr.,
    John"), since Zotero and Scholar read only the first comma."""
    parts = [part.strip() for part in inverted.split(",")]
    if len(parts) == 3:
        return f"{parts[0]} {parts[1]}, {parts[2]}"
    return inverted


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
        # A name its source gave whole, not as "Last, First" ({OpenAI} in a .bib), is an
        # organization's (CSL-JSON calls it a literal name).
        split = paper.authors_inverted if len(paper.authors_inverted) == len(paper.authors) else ()
        data["author"] = [
            {"@type": "Organization" if split and "," not in split[n] else "Person", "name": name}
            for n, name in enumerate(paper.authors)
        ]
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
