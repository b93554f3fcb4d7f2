"""`python -m generator fetch add ID_OR_URL...`: single papers, for people who keep a list
of links, as BibTeX entries of a listing of their own, content/listings/NAME.bib (added.bib
unless --name), which the BibTeX reader reads like any .bib:

- an arXiv id or URL (abs/pdf), or a Hugging Face paper URL: the Hub's paper
  (/api/papers/{id}); a paper the Hub does not have, from the arXiv API
  (export.arxiv.org/api/query?id_list=, Atom);
- a DOI or doi.org URL: the work's metadata from Crossref (/works/{doi}).

Each entry has the title, authors, date, ids, venue and abstract, written by the same
code as the site's own BibTeX (site/citation.py). A paper already in the listing (by
arXiv id or DOI) is not added again. The file is written once, at the end (never with
--dry-run); a paper no service knows is a warning, and the others are added.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx2
from defusedxml import ElementTree

from generator.catalog.cite_keys import cite_keys
from generator.commands.console import Console
from generator.commands.hub import HubClient
from generator.commands.metadata_writer import write_atomically
from generator.commands.patience import Retries, Service, ServiceError, json_of
from generator.commands.web import WebClient
from generator.content.config import listings_folder
from generator.content.readers.bibtex import read_listing as read_bibtex
from generator.content.readers.hub_json import paper_facts
from generator.diagnostics import Diagnostics, Location, PapersiteError
from generator.model import Paper, PaperDate
from generator.site.citation import bibtex
from generator.text.characters import writable
from generator.text.identifiers import arxiv_id, doi, graph_key, without_version

ARXIV = Service("the arXiv API", "the arXiv API", "ARXIV_API_URL")
ARXIV_ENDPOINT = "https://export.arxiv.org/api"
ARXIV_PACE = 3.0  # the arXiv API's terms: one request every three seconds
CROSSREF = Service("Crossref", "Crossref's REST API", "CROSSREF_API_URL")
CROSSREF_ENDPOINT = "https://api.crossref.org"
ATOM = "{http://www.w3.org/2005/Atom}"

_TAG = re.compile(r"<[^>]+>")
# Crossref's work types, as BibTeX entry types (the rest are misc).
BIBTEX_KINDS = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "posted-content": "misc",
}


class AddError(PapersiteError):
    """What `fetch add` was given cannot be added (exit status 2)."""

    exit_code = 2


class ArxivClient:
    """One paper at a time from the arXiv API at `endpoint` (ARXIV_API_URL, else arXiv's),
    at most one request every `pace` seconds."""

    def __init__(
        self,
        endpoint: str | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda message: None,
        pace: float = ARXIV_PACE,
    ) -> None:
        where = endpoint or os.environ.get("ARXIV_API_URL") or ARXIV_ENDPOINT
        self._web = WebClient(ARXIV, where, retries or Retries(), sleep, notify)
        self._sleep = sleep
        self._pace = pace
        self._last = -pace

    def close(self) -> None:
        self._web.close()

    def paper(self, arxiv: str) -> dict[str, Any] | None:
        """The paper as the Hub would give it (id, title, summary, publishedAt, authors);
        None when arXiv has no such paper (an answer with no entry)."""
        what = f"arXiv {arxiv}"

        def read(response: httpx2.Response) -> dict[str, Any] | None:
            try:
                feed = ElementTree.fromstring(response.content)
            except ElementTree.ParseError as error:
                raise ServiceError(
                    f"the arXiv API's answer ({what}) is not Atom: {error}"
                ) from None
            if response.status_code == 400:  # an id arXiv cannot read: an "Error" entry
                said = feed.findtext(f"{ATOM}entry/{ATOM}summary") or "no reason given"
                raise ServiceError(f"the arXiv API refused {arxiv}: {said.strip()}", 400)
            entry = feed.find(f"{ATOM}entry")
            if entry is None:
                return None
            return _hub_item(entry, arxiv)

        found: dict[str, Any] | None = self._web.send(
            "GET",
            "/query",
            what,
            read,
            params={"id_list": arxiv, "max_results": "1"},
            answers=frozenset({400}),
            before=self._wait_turn,
        )
        return found

    def _wait_turn(self) -> None:
        ready = self._last + self._pace
        now = time.monotonic()
        if now < ready:
            self._sleep(ready - now)
        self._last = time.monotonic()


class CrossrefClient:
    """Works by DOI from Crossref at `endpoint` (CROSSREF_API_URL, else Crossref's)."""

    def __init__(
        self,
        endpoint: str | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda message: None,
    ) -> None:
        where = endpoint or os.environ.get("CROSSREF_API_URL") or CROSSREF_ENDPOINT
        self._web = WebClient(CROSSREF, where, retries or Retries(), sleep, notify)

    def close(self) -> None:
        self._web.close()

    def work(self, value: str) -> dict[str, Any] | None:
        """The work's `message`; None when Crossref does not know the DOI (404)."""
        what = f"DOI {value}"

        def read(response: httpx2.Response) -> dict[str, Any] | None:
            if response.status_code == 404:
                return None
            data = json_of(response, what, CROSSREF)
            message = data.get("message") if isinstance(data, dict) else None
            if not isinstance(message, dict) or not isinstance(message.get("title"), list):
                raise ServiceError(f"Crossref's answer ({what}) is not a work")
            return message

        found: dict[str, Any] | None = self._web.send(
            "GET", "/works/" + value, what, read, answers=frozenset({404})
        )
        return found


@dataclass
class Added:
    """How `fetch add` went: papers added, already there, and not found."""

    added: list[str] = field(default_factory=list)
    already: int = 0
    unknown: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {self.already} already in the listing, "
            f"{self.unknown} not found"
        )


def add_papers(
    root: Path,
    texts: list[str],
    name: str,
    hub: HubClient,
    arxiv: ArxivClient,
    crossref: CrossrefClient,
    dry_run: bool,
    console: Console,
) -> Added:
    """Look each of `texts` up and add what is found to the listing `name`."""
    wanted = [_identify(text) for text in texts]
    path = listings_folder(root / "content") / f"{name}.bib"
    try:
        raw = path.read_bytes() if path.exists() else b""
        before = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise AddError(f"{path}: cannot add to it ({error}); choose another --name") from None
    have = _identified(path)
    done = Added()
    papers: list[Paper] = []
    for kind, value in wanted:
        known = graph_key(value, None) if kind == "arxiv" else graph_key(None, value)
        if known in have:
            done.already += 1
            continue
        if kind == "arxiv":
            paper = _arxiv_paper(value, hub, arxiv, path)
        else:
            work = crossref.work(value)
            paper = _crossref_paper(work, value, path) if work is not None else None
        if paper is None:
            done.unknown += 1
            where = "on Hugging Face or arXiv" if kind == "arxiv" else "known to Crossref"
            named = "arXiv" if kind == "arxiv" else "DOI"
            console.say(f"papersite: warning: {named} {value} is not {where}")
            continue
        have.add(known)
        papers.append(paper)
        done.added.append(paper.title)
        console.say(f"  {paper.title}")
    if papers and not dry_run:
        mark = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
        write_atomically(path, mark + _with_entries(before, papers))
    return done


def _identified(path: Path) -> set[str | None]:
    """The papers the listing's entries name, as the build reads them (an eprint however
    written, a DOI as a doi.org URL, Google Scholar's journal = {arXiv preprint ...}), by
    the citation graph's name for a paper (any version, any case)."""
    if not path.exists():
        return set()
    try:
        entries = read_bibtex(path, path.stem, Diagnostics())
    except PapersiteError as error:
        raise AddError(f"{path}: cannot add to it ({error}); choose another --name") from None
    return {graph_key(entry.facts.arxiv, entry.facts.doi) for entry in entries} - {None}


def _with_entries(before: str, papers: list[Paper]) -> str:
    """The listing's text as it was (its line ends, its blank lines) with an entry for
    each paper after it, each with a key of Google Scholar's style that no entry there
    has, written with the file's line ends."""
    keys = cite_keys(papers)
    taken = {key.lower() for key in re.findall(r"@\w+\s*\{\s*([^,\s]+)", before)}
    entries = []
    for paper in papers:
        key = keys[paper.slug]
        while key.lower() in taken:
            key += "x"
        taken.add(key.lower())
        entries.append(bibtex(replace(paper, cite_key=key), with_abstract=True))
    newline = "\r\n" if "\r\n" in before else "\n"
    kept = before
    if kept.strip():
        kept += newline if not kept.endswith("\n") else ""
        kept += "" if kept.endswith(newline * 2) else newline
    added = "\n\n".join(entries) + "\n"
    return kept + added.replace("\n", newline)


def _identify(text: str) -> tuple[str, str]:
    """("arxiv", id) or ("doi", doi) for what the user gave; AddError otherwise."""
    found = arxiv_id(text)
    if found:
        return "arxiv", found
    value = doi(text)
    if value:
        return "doi", value
    raise AddError(f"{text!r} is neither an arXiv id or URL, a Hugging Face paper URL, nor a DOI")


def _arxiv_paper(value: str, hub: HubClient, arxiv: ArxivClient, listing: Path) -> Paper | None:
    """The Hub's paper, else arXiv's, as a paper to write (its abstract, authors, date)."""
    item = hub.paper(without_version(value)) or arxiv.paper(value)
    read = paper_facts(item, lambda message: None) if item is not None else None
    if read is None:
        return None
    title, facts = read
    return Paper(
        key=without_version(value),
        slug=re.sub(r"[^a-z0-9]+", "-", value.lower()),
        title=title,
        abstract=facts.abstract,
        listings=(),
        origins=(Location(listing),),
        published=facts.published,
        authors=facts.authors,
        arxiv=without_version(value),
    )


def _hub_item(entry: Any, asked: str) -> dict[str, Any]:
    """An arXiv Atom entry as the Hub's paper JSON (what paper_facts reads)."""

    def text(tag: str) -> str:
        return " ".join(writable(entry.findtext(tag) or "").split())

    item: dict[str, Any] = {
        "id": without_version(asked),
        "title": text(f"{ATOM}title"),
        "summary": text(f"{ATOM}summary"),
        "authors": [
            {"name": " ".join((author.findtext(f"{ATOM}name") or "").split())}
            for author in entry.findall(f"{ATOM}author")
        ],
    }
    published = text(f"{ATOM}published")
    if published:
        item["publishedAt"] = published
    return item


def _crossref_paper(work: dict[str, Any], value: str, listing: Path) -> Paper:
    """A Crossref work as a paper to write as a BibTeX entry."""

    def first(key: str) -> str:
        values = work.get(key)
        texts = [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
        return " ".join(writable(texts[0]).split()) if texts else ""

    authors, inverted = [], []
    for person in work.get("author") or []:
        if not isinstance(person, dict):
            continue
        given, family = str(person.get("given") or ""), str(person.get("family") or "")
        name = " ".join(f"{given} {family}".split()) or str(person.get("name") or "")
        if name:
            authors.append(name)
            inverted.append(f"{family}, {given}" if family and given else name)
    abstract = " ".join(_TAG.sub(" ", str(work.get("abstract") or "")).split())
    return Paper(
        key=value.lower(),
        slug=re.sub(r"[^a-z0-9]+", "-", value.lower()),
        title=first("title"),
        abstract=writable(abstract),
        listings=(),
        origins=(Location(listing),),
        published=_issued(work),
        authors=tuple(authors),
        authors_inverted=tuple(inverted),
        doi=str(work.get("DOI") or value),
        venue=first("container-title"),
        kind=BIBTEX_KINDS.get(str(work.get("type")), "misc"),
    )


def _issued(work: dict[str, Any]) -> PaperDate | None:
    """The date Crossref says the work was issued: 1 to 3 date-parts."""
    for key in ("issued", "published-print", "published-online"):
        value = work.get(key)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list)):
            continue
        numbers = [part for part in parts[0][:3] if isinstance(part, int)]
        try:
            if numbers:
                dt.date(numbers[0], *[*numbers[1:], 1, 1][:2])
                return PaperDate(*numbers)
        except (ValueError, TypeError):
            continue
    return None


def run_add(root: Path, texts: list[str], name: str, dry_run: bool, console: Console) -> int:
    """`fetch add` for the CLI: 0 when done (some papers may not have been found), 1 when a
    service stopped it (nothing written), 2 for something that is not an id or DOI."""

    def notify(message: str) -> None:
        console.say(f"papersite: {message}")

    hub = HubClient(notify=notify)
    arxiv, crossref = ArxivClient(notify=notify), CrossrefClient(notify=notify)
    try:
        done = add_papers(root, texts, name, hub, arxiv, crossref, dry_run, console)
    except PapersiteError as error:
        for line in error.lines():
            console.say(line)
        return error.exit_code
    except KeyboardInterrupt:
        console.say("papersite: interrupted; nothing was written")
        return 130
    finally:
        arxiv.close()
        crossref.close()
    where = "nothing written (--dry-run)" if dry_run else f"-> content/listings/{name}.bib"
    console.say(f"{done.summary()} {where}")
    return 0
