"""Paper identities: the title key that merges listings and notes, arXiv ids, DOIs, links."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from generator.model import Link, Paper
from generator.text.words import fold

# New-style ids (April 2007 on): YYMM.NNNN (to 2014) or YYMM.NNNNN, optional version.
_ARXIV_NEW = r"(?:0[7-9]|[1-9]\d)(?:0[1-9]|1[0-2])\.\d{4,5}(?:v\d+)?"
# Old-style ids: archive[.SUBJECT]/YYMMNNN, e.g. cs/0102001, math.GT/0309136.
_ARXIV_OLD = r"[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?"
_ARXIV_ID = re.compile(rf"(?:{_ARXIV_NEW}|{_ARXIV_OLD})")
_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.I
)
_ARXIV_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/({_ARXIV_NEW}|{_ARXIV_OLD})(?:\.pdf)?/?$"
)
_HF_PAPER_URL = re.compile(rf"^https?://(?:www\.)?huggingface\.co/papers/({_ARXIV_NEW})/?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)


# Signs that change what a title names ("C++" is not "C", "C#" is not "C", "A=B" is not
# "AB"): kept in a title's identity, as are letters, digits and math symbols.
_MEANINGFUL = frozenset("+#*=<>^%$@~|")
# Typographic variants of the same punctuation, as their plain form.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


_VERSION = re.compile(r"v\d+$")


def title_key(title: str) -> str:
    """A paper's identity: its title ignoring case, accents, spacing and punctuation, but
    not the signs that carry meaning (C++, C#, =, math symbols)."""
    return "".join(
        char
        for char in _folded(title)
        if char.isalnum() or char in _MEANINGFUL or unicodedata.category(char) == "Sm"
    )


def title_spelling(title: str) -> str:
    """A title as written, but for case, accents, spacing and typographic variants of
    punctuation: two titles of one key that differ here differ in punctuation."""
    return " ".join(_folded(title).translate(_TYPOGRAPHIC).split())


def _folded(title: str) -> str:
    """Compatibility forms (ligatures, full-width letters) as plain ones, accents dropped
    as search and author names drop them (text.words.fold), case folded."""
    return fold(unicodedata.normalize("NFKC", title)).casefold()


def arxiv_id(text: str) -> str | None:
    """The arXiv id in '1512.03385', 'arXiv:1512.03385v2', an arxiv.org abs/pdf URL or a
    Hugging Face paper URL; None if there is none. A version is kept when given."""
    text = text.strip()
    for pattern in (_ARXIV_URL, _HF_PAPER_URL):
        match = pattern.match(text)
        if match:
            return match[1]
    bare = _ARXIV_PREFIX.sub("", text).removesuffix(".pdf")
    return bare if _ARXIV_ID.fullmatch(bare) else None


def without_version(arxiv: str) -> str:
    return _VERSION.sub("", arxiv) if "v" in arxiv else arxiv


def doi(text: str) -> str | None:
    """The DOI in '10.1109/CVPR.2016.90', 'doi:10...' or a doi.org URL; None otherwise."""
    bare = _DOI_PREFIX.sub("", text.strip())
    return bare if _DOI.match(bare) else None


def graph_key(arxiv: str | None, doi: str | None) -> str | None:
    """How content/citations.json names a paper: "arxiv:ID" (no version), else "doi:DOI"
    (lower case, as DOIs compare); None for a paper with neither."""
    if arxiv:
        return "arxiv:" + without_version(arxiv)
    if doi:
        return "doi:" + doi.lower()
    return None


def arxiv_abs_url(arxiv: str) -> str:
    return f"https://arxiv.org/abs/{arxiv}"


def arxiv_pdf_url(arxiv: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv}"


def hub_paper_url(arxiv: str) -> str:
    """The paper's page on Hugging Face (which knows papers by their unversioned id)."""
    return f"https://huggingface.co/papers/{without_version(arxiv)}"


_UNRESERVED = re.compile(r"[^A-Za-z0-9_.~-]+")


def _query_value(text: str) -> str:
    """urllib.parse.quote(text, safe=""), a run of characters at a time (it goes byte by
    byte, and every paper page without an identifier makes two of these)."""
    return _UNRESERVED.sub(lambda run: "".join(f"%{byte:02X}" for byte in run[0].encode()), text)


def doi_url(value: str) -> str:
    return "https://doi.org/" + quote(value, safe="/:;()._-")


def finder_urls(title: str) -> list[tuple[str, str]]:
    """Searches for a paper by its exact title, for papers without a known identifier."""
    exact = _query_value(f'"{title}"')
    plain = _query_value(title)
    return [
        ("arXiv", f"https://arxiv.org/search/?query={exact}&searchtype=title"),
        ("Hugging Face", f"https://huggingface.co/papers?q={plain}"),
        ("Google Scholar", f"https://scholar.google.com/scholar?q={exact}"),
        ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={exact}"),
    ]


def paper_actions(paper: Paper) -> list[Link]:
    """Where a paper page leads: the paper on arXiv (abstract, PDF), on Hugging Face, by
    DOI (or, with no identifier known, searches for its exact title), then its own links
    (code, project page, ...). Never empty: a paper page is never a dead end."""
    actions = []
    if not paper.arxiv and not paper.doi:
        actions += [Link(f"Search {site}", url) for site, url in finder_urls(paper.title)]
    if paper.arxiv:
        actions += [
            Link("arXiv", arxiv_abs_url(paper.arxiv)),
            Link("PDF", arxiv_pdf_url(paper.arxiv)),
            Link("Hugging Face" + _upvotes(paper.upvotes), hub_paper_url(paper.arxiv)),
        ]
    if paper.doi:
        actions.append(Link("DOI", doi_url(paper.doi)))
    order = {"Paper": 0, "Code": 1, "Project page": 2}
    return actions + sorted(paper.links, key=lambda link: order.get(link.label, len(order)))


def card_links(paper: Paper) -> list[Link]:
    """The few links a paper card offers: arXiv and PDF when the id is known, its code."""
    links = (
        [Link("arXiv", arxiv_abs_url(paper.arxiv)), Link("PDF", arxiv_pdf_url(paper.arxiv))]
        if paper.arxiv
        else []
    )
    return links + [link for link in paper.links if link.label == "Code"][:1]


def _upvotes(count: int | None) -> str:
    """How many readers upvoted the paper on Hugging Face, when known."""
    if not count:
        return ""
    return f" · {count} upvote{'' if count == 1 else 's'}"
