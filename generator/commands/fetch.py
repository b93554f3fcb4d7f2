"""`python -m generator fetch`: the network half, apart from `build`, writing into content/.

- `fetch add ID_OR_URL...` adds single papers to content/listings/added.bib
  (commands/add.py);
- `fetch graph` saves each paper's citations from Semantic Scholar in content/citations.json
  (commands/graph_fetch.py);

- `fetch search "QUERY" --name NAME` and `fetch daily --date/--week/--month` save a Hub
  response as the listing content/listings/NAME.json (the JSON reader reads it offline);
- `fetch resolve` looks up every paper that lacks an arXiv id (by exact title) or lacks
  authors or a date (by its id), and records what it learned in content/metadata.yml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from generator.commands.add import run_add
from generator.commands.console import Console
from generator.commands.graph_fetch import run_graph
from generator.commands.hub import HubClient, HubError
from generator.commands.metadata_writer import MetadataFile, write_atomically
from generator.commands.site_papers import site_papers
from generator.content.config import listings_folder
from generator.content.readers import READERS
from generator.content.readers.hub_json import paper_facts
from generator.diagnostics import PapersiteError
from generator.model import Facts, Paper
from generator.text.characters import HALVES
from generator.text.identifiers import title_key, without_version

LISTING_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# An interrupted run loses at most this many seconds of answers.
SAVE_EVERY = 2.0


class UsageError(PapersiteError):
    """The command line asks for something fetch cannot do (exit status 2)."""

    exit_code = 2


def check_listing_name(root: Path, name: str, suffix: str = ".json") -> None:
    """A listing's name is its file name: plain, and not taken by a listing of another
    format than `suffix`, the one fetch writes."""
    if not LISTING_NAME.fullmatch(name):
        raise UsageError(f"--name {name!r}: use letters, digits, '-' and '_' (a file name)")
    if not (root / "content").is_dir():
        raise UsageError(f"no content/ folder in {root}: is -C pointing at a site root?")
    for other_suffix in READERS:
        other = listings_folder(root / "content") / f"{name}{other_suffix}"
        if other_suffix != suffix and other.exists():
            raise UsageError(f"{other} already holds the listing '{name}': choose another --name")


def save_listing(
    root: Path, name: str, items: list[dict[str, Any]], dry_run: bool, console: Console
) -> str:
    """Write a Hub response as content/listings/NAME.json; the summary line."""
    path = listings_folder(root / "content") / f"{name}.json"
    titles = [str(item.get("title") or (item.get("paper") or {}).get("title")) for item in items]
    for title in titles[:10]:
        console.say(f"  {title}")
    if len(titles) > 10:
        console.say(f"  ... and {len(titles) - 10} more")
    if dry_run:
        return f"{len(items)} papers; nothing written (--dry-run) to {path}"
    if not items:  # a listing is never emptied by an answer that may be a Hub hiccup
        kept = "kept as it was" if path.exists() else "not written"
        return f"the Hub found no papers; {path} {kept}"
    was = _count(path)
    text = json.dumps(items, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    # A lone half of a character pair (the Hub cut a long text inside an emoji) cannot be
    # written as UTF-8: it is kept as the escape the Hub sent, and the build warns of it.
    text = HALVES.sub(lambda half: f"\\u{ord(half[0]):04x}", text)
    write_atomically(path, text)
    return f"Saved {len(items)} papers{f' (was {was})' if was is not None else ''} -> {path}"


def _count(path: Path) -> int | None:
    """How many items the listing already there holds (None: none, or not a list)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None
    return len(data) if isinstance(data, list) else None


def daily_period(date: str | None, week: str | None, month: str | None) -> dict[str, str]:
    """The one period asked for, checked: 2024-03-14, 2024-W11 or 2024-03."""
    given = {key: value for key, value in (("date", date), ("week", week), ("month", month))}
    chosen = {key: value for key, value in given.items() if value}
    if len(chosen) != 1:
        raise UsageError("give one of --date YYYY-MM-DD, --week YYYY-Www, --month YYYY-MM")
    [(key, value)] = chosen.items()
    try:
        if key == "date":
            dt.date.fromisoformat(value)
        elif key == "week":
            dt.date.fromisocalendar(int(value[:4]), int(value.split("-W")[1]), 1)
        else:
            dt.date.fromisoformat(value + "-01")
    except (ValueError, IndexError):
        form = {"date": "YYYY-MM-DD", "week": "YYYY-Www (2024-W11)", "month": "YYYY-MM"}[key]
        raise UsageError(f"--{key} {value!r} is not {form}") from None
    return {key: value}


@dataclass
class Resolution:
    """How resolve went: papers found, unmatched and ambiguous, and those left to do."""

    found: int = 0
    unmatched: int = 0
    ambiguous: int = 0
    todo: int = 0

    @property
    def done(self) -> int:
        return self.found + self.unmatched + self.ambiguous

    def summary(self) -> str:
        return (
            f"{self.done} of {self.todo} papers looked up: {self.found} found, "
            f"{self.unmatched} unmatched, {self.ambiguous} ambiguous"
        )


def resolve(
    root: Path,
    client: HubClient,
    refresh: bool,
    dry_run: bool,
    console: Console,
    progress: bool,
    result: Resolution,
) -> None:
    """Look up papers on the Hub and record what was learned in content/metadata.yml.

    A paper already in metadata.yml is skipped (with `refresh`, its hub: block is fetched
    again; what a person wrote beside it stays). Progress is saved every few seconds and
    when the run stops, so an interrupted run resumes where it stopped.
    """
    papers = [paper for paper in site_papers(root) if title_key(paper.title)]
    metadata = MetadataFile(root / "content")
    todo = [
        paper
        for paper in papers
        if (refresh and paper.title in metadata)
        or not (paper.title in metadata or (paper.arxiv and paper.authors and paper.published))
    ]
    result.todo = len(todo)
    # Shown after a second, so a run that cannot start says its one line alone.
    bar = tqdm(
        total=len(todo),
        unit="paper",
        desc="Looking up",
        file=console.stream,
        disable=not progress,
        delay=1,
    )
    console.bar = bar if progress else None
    saved = time.monotonic()
    try:
        for paper in todo:
            hub = _look_up(client, paper, result, console)
            metadata.put(paper.title, hub)
            bar.update()
            if not dry_run and time.monotonic() - saved > SAVE_EVERY:
                metadata.save()
                saved = time.monotonic()
    finally:
        bar.close()
        console.bar = None
        if not dry_run:
            metadata.save()


def _look_up(
    client: HubClient, paper: Paper, result: Resolution, console: Console
) -> dict[str, Any]:
    """The hub: block for one paper: by its arXiv id if known, else by its exact title (the
    Hub's search is a relevance search: near titles come too, and are never taken)."""
    where = paper.origins[0]
    if paper.arxiv:
        item = client.paper(without_version(paper.arxiv))  # the Hub knows no versions
        read = paper_facts(item, lambda message: None) if item is not None else None
        if read is None:
            result.unmatched += 1
            console.say(f"{where}: warning: arXiv {paper.arxiv} is not on Hugging Face")
            return {"status": "unmatched"}
        result.found += 1
        return _hub_values(*read, with_abstract=not paper.abstract)
    key = title_key(paper.title)
    same: dict[str, tuple[str, Facts]] = {}
    for item in client.search(paper.title):
        read = paper_facts(item, lambda message: None)
        if read and title_key(read[0]) == key and read[1].arxiv:
            same.setdefault(read[1].arxiv, read)
    if not same:
        result.unmatched += 1
        console.say(f"{where}: warning: no Hugging Face paper is titled '{paper.title}'")
        return {"status": "unmatched"}
    if len(same) > 1:
        result.ambiguous += 1
        ids = sorted(same)
        console.say(
            f"{where}: warning: {len(ids)} Hugging Face papers are titled '{paper.title}' "
            f"({', '.join(ids)}): write the right one as arxiv: beside hub: in metadata.yml"
        )
        return {"status": "ambiguous", "candidates": ids}
    result.found += 1
    [(title, facts)] = same.values()
    return _hub_values(title, facts, with_abstract=not paper.abstract)


def _hub_values(title: str, facts: Facts, with_abstract: bool) -> dict[str, Any]:
    """What metadata.yml keeps of a Hub paper (its abstract only if the paper has none)."""
    values: dict[str, Any] = {"title": title}
    if facts.arxiv:
        values["arxiv"] = facts.arxiv
    if facts.authors:
        values["authors"] = list(facts.authors)
    if facts.published:
        when = facts.published
        day = when.month and when.day and dt.date(when.year, when.month, when.day)
        values["date"] = day or when.iso()
    if facts.links:
        values["links"] = {link.label: link.url for link in facts.links}
    if facts.upvotes is not None:
        values["upvotes"] = facts.upvotes
    if with_abstract and facts.abstract:
        values["abstract"] = facts.abstract
    return values


def run(args: argparse.Namespace) -> int:
    """The fetch command for the CLI: 0 when done, 1 when it could not finish (what was
    fetched before is kept), 2 for a usage mistake, 130 when interrupted."""
    console = Console()
    root: Path = args.root
    try:
        if args.what == "resolve":
            return _run_resolve(root, args.refresh, args.dry_run, not args.quiet, console)
        if args.what == "graph":
            return run_graph(root, args.refresh, args.dry_run, not args.quiet, console)
        if args.what == "add":
            check_listing_name(root, args.name, ".bib")
            return run_add(root, args.papers, args.name, args.dry_run, console)
        if args.what == "daily":
            period = daily_period(args.date, args.week, args.month)
            name = args.name or "daily-" + next(iter(period.values()))
            check_listing_name(root, name)
            items = _client(console).daily(**period)
        else:
            name = args.name
            check_listing_name(root, name)
            items = _client(console).search(args.query, args.limit)
        console.say(save_listing(root, name, items, args.dry_run, console))
    except PapersiteError as error:  # said through the console (a progress bar may be on)
        for line in error.lines():
            console.say(line)
        return error.exit_code
    except KeyboardInterrupt:
        console.say("papersite: interrupted; nothing was written")
        return 130
    return 0


def _run_resolve(root: Path, refresh: bool, dry_run: bool, bar: bool, console: Console) -> int:
    result = Resolution()
    try:
        progress = bar and console.stream.isatty()
        resolve(root, _client(console), refresh, dry_run, console, progress, result)
    except PapersiteError as error:
        for line in error.lines():
            console.say(line)
        if isinstance(error, HubError) and result.done:
            console.say(f"{result.summary()}; those are saved: run again to go on")
        return error.exit_code
    except KeyboardInterrupt:
        console.say(f"papersite: interrupted; {result.summary()}; saved: run again to go on")
        return 130
    where = "nothing written (--dry-run)" if dry_run else "-> content/metadata.yml"
    console.say(f"{result.summary()} {where}")
    return 0


def _client(console: Console) -> HubClient:
    return HubClient(notify=lambda message: console.say(f"papersite: {message}"))
