"""The collection's citation graph, from content/citations.json: for each paper how often
it is cited, which papers of the collection it cites and which cite it; and the papers
that several of the collection cite but it does not hold."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from generator.model import CitationData, Paper, Reference
from generator.text.identifiers import arxiv_abs_url, doi_url, graph_key, title_key, without_version

# A paper outside the collection is "missing" when at least this many of its papers cite it.
MISSING_CITED_BY = 2


@dataclass(frozen=True)
class PaperCitations:
    """One paper's place in the graph. `count` is how often the scholarly API says it is
    cited (None: not known); `cites` and `cited_by` are papers of the collection."""

    count: int | None
    fetched: dt.date
    venue: str
    url: str | None
    cites: tuple[Paper, ...]
    cited_by: tuple[Paper, ...]


@dataclass(frozen=True)
class MissingPaper:
    """A paper several papers of the collection cite that it does not hold."""

    title: str
    arxiv: str | None
    doi: str | None
    citations: int | None
    year: int | None
    url: str | None
    cited_by: tuple[Paper, ...]

    @property
    def key(self) -> str:
        return graph_key(self.arxiv, self.doi) or "title:" + title_key(self.title)


@dataclass(frozen=True)
class CitationGraph:
    """The graph, empty when the site has no content/citations.json."""

    source: str = ""
    fetched: dt.date | None = None  # the newest day a record was asked
    of_paper: dict[str, PaperCitations] = field(default_factory=dict)
    missing: tuple[MissingPaper, ...] = ()

    def count(self, paper: Paper) -> int | None:
        known = self.of_paper.get(paper.slug)
        return known.count if known else None


def citation_graph(papers: list[Paper], data: CitationData | None) -> CitationGraph:
    """Match each record to its paper and each reference to a paper of the collection (by
    arXiv id, DOI, then title); what no paper matches and several cite is missing."""
    if data is None:
        return CitationGraph()
    titles: dict[str, str] = {}  # title keys, each worked out once (a classic is cited often)
    held: dict[str, Paper] = {}
    for paper in papers:
        for key in _identities(paper.arxiv, paper.doi, paper.title, titles):
            held.setdefault(key, paper)
    records = {}
    for paper in papers:
        name = graph_key(paper.arxiv, paper.doi)
        record = data.records.get(name) if name else None
        if record is not None and record.found:
            records[paper.slug] = (paper, record)
    cites: dict[str, list[Paper]] = {}
    cited_by: dict[str, list[Paper]] = defaultdict(list)
    outside = _Outside()
    for slug, (paper, record) in records.items():
        found: dict[str, Paper] = {}
        for reference in record.references:
            keys = _identities(reference.arxiv, reference.doi, reference.title, titles)
            target = next((held[key] for key in keys if key in held), None)
            if target is None:
                outside.add(keys, reference, paper)
            elif target.slug != slug:
                found.setdefault(target.slug, target)
        cites[slug] = sorted(found.values(), key=_by_title)
        for target in found.values():
            cited_by[target.slug].append(paper)
    of_paper = {}
    for paper in papers:
        entry = records.get(paper.slug)
        if entry is None and not cited_by.get(paper.slug):
            continue
        record = entry[1] if entry else None
        of_paper[paper.slug] = PaperCitations(
            count=record.citations if record else None,
            fetched=record.fetched if record else dt.date.min,
            venue=record.venue if record else "",
            url=record.url if record else None,
            cites=tuple(cites.get(paper.slug, ())),
            cited_by=tuple(sorted(cited_by.get(paper.slug, ()), key=_by_title)),
        )
    fetched = max((record.fetched for record in data.records.values()), default=None)
    return CitationGraph(data.source, fetched, of_paper, _missing(outside.groups))


class _Outside:
    """The references to papers outside the collection, grouped by the paper they name:
    one record may know it by its arXiv id and another by its DOI, or only by its title."""

    def __init__(self) -> None:
        self.groups: list[list[tuple[Reference, Paper]]] = []
        self._group_of: dict[str, int] = {}

    def add(self, keys: list[str], reference: Reference, paper: Paper) -> None:
        if not keys:
            return
        number = next((self._group_of[key] for key in keys if key in self._group_of), None)
        if number is None:
            number = len(self.groups)
            self.groups.append([])
        self.groups[number].append((reference, paper))
        for key in keys:
            self._group_of.setdefault(key, number)


def _missing(groups: list[list[tuple[Reference, Paper]]]) -> tuple[MissingPaper, ...]:
    missing = []
    for citing in groups:
        papers = {paper.slug: paper for _, paper in citing}
        if len(papers) < MISSING_CITED_BY:
            continue
        # The fullest of the ways the citing papers' records name it: with a count and
        # ids, then the shortest title (a "(preprint)" or a subtitle left off).
        reference = max(
            (reference for reference, _ in citing),
            key=lambda r: (r.citations or 0, bool(r.arxiv), bool(r.doi), -len(r.title), r.title),
        )
        missing.append(
            MissingPaper(
                title=reference.title,
                arxiv=reference.arxiv,
                doi=reference.doi,
                citations=reference.citations,
                year=reference.year,
                url=_url(reference),
                cited_by=tuple(sorted(papers.values(), key=_by_title)),
            )
        )
    missing.sort(key=lambda m: (-len(m.cited_by), -(m.citations or 0), m.title.casefold(), m.key))
    return tuple(missing)


def _identities(
    arxiv: str | None, doi: str | None, title: str, titles: dict[str, str]
) -> list[str]:
    """The keys a paper may be found by, the surest first (`titles`: title keys known)."""
    keys = []
    if arxiv:
        keys.append("arxiv:" + without_version(arxiv))
    if doi:
        keys.append("doi:" + doi.lower())
    key = titles.get(title)
    if key is None:
        key = titles[title] = title_key(title)
    if key:
        keys.append("title:" + key)
    return keys


def _url(reference: Reference) -> str | None:
    if reference.arxiv:
        return arxiv_abs_url(without_version(reference.arxiv))
    if reference.doi:
        return doi_url(reference.doi)
    return reference.url


def _by_title(paper: Paper) -> tuple[str, str]:
    return (paper.title.casefold(), paper.slug)
