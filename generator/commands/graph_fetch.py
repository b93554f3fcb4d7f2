"""`python -m generator fetch graph`: each paper's citation count, venue and references
from Semantic Scholar, saved in content/citations.json (content/citations.py reads it), so
every build shows them offline.

Papers are asked by arXiv id, else DOI (papers with neither are counted and left out:
`fetch resolve` finds arXiv ids by title). A paper already in the file is not asked again
unless --refresh. The file is written after every batch, so a run that is interrupted or
stopped by the API keeps what it fetched and the next run goes on from there.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from generator.commands.console import Console
from generator.commands.metadata_writer import write_atomically
from generator.commands.scholar import BATCH_SIZE, ScholarClient, scholar_id
from generator.commands.site_papers import site_papers
from generator.content.citations import FILE_NAME
from generator.diagnostics import PapersiteError
from generator.text.characters import writable
from generator.text.identifiers import graph_key

SOURCE = "Semantic Scholar"


class CitationsFileError(PapersiteError):
    """content/citations.json is there but cannot be added to."""


@dataclass
class GraphRun:
    """How `fetch graph` went: papers to ask, asked, found and not known; and the papers
    with no arXiv id or DOI to ask by."""

    todo: int = 0
    found: int = 0
    unknown: int = 0
    without_ids: int = 0

    @property
    def done(self) -> int:
        return self.found + self.unknown

    def summary(self) -> str:
        said = (
            f"{self.done} of {self.todo} papers asked: {self.found} found, "
            f"{self.unknown} not known to {SOURCE}"
        )
        if self.without_ids:
            said += (
                f"; {self.without_ids} have no arXiv id or DOI to ask by "
                "(fetch resolve finds arXiv ids)"
            )
        return said


def fetch_graph(
    root: Path,
    client: ScholarClient,
    refresh: bool,
    dry_run: bool,
    console: Console,
    progress: bool,
    result: GraphRun,
    today: dt.date,
) -> None:
    """Ask for every paper not yet in content/citations.json (all with `refresh`), a batch
    at a time, saving after each (unless `dry_run`)."""
    asked: dict[str, str] = {}
    for paper in site_papers(root):
        key = graph_key(paper.arxiv, paper.doi)
        ask = scholar_id(paper.arxiv, paper.doi)
        if key is None or ask is None:
            result.without_ids += 1
        else:
            asked.setdefault(key, ask)
    path = root / "content" / FILE_NAME
    saved = _saved(path)
    todo = [key for key in sorted(asked) if refresh or key not in saved]
    result.todo = len(todo)
    bar = tqdm(
        total=len(todo),
        unit="paper",
        desc="Citations",
        file=console.stream,
        disable=not progress,
        delay=1,
    )
    console.bar = bar if progress else None
    try:
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            answers = client.papers([asked[key] for key in batch])
            for key, answer in zip(batch, answers, strict=True):
                saved[key] = record(answer, today)
                if answer is None:
                    result.unknown += 1
                else:
                    result.found += 1
            if not dry_run:
                write_atomically(path, citations_text(saved))
            bar.update(len(batch))
    finally:
        bar.close()
        console.bar = None


def _saved(path: Path) -> dict[str, Any]:
    """The records already in the file, to keep and add to; {} when there is none."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise CitationsFileError(f"{path}: cannot read it ({error}); fix or delete it") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CitationsFileError(f"{path}: not JSON ({error}); fix or delete it") from None
    papers = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(papers, dict):
        raise CitationsFileError(f"{path}: not citations as fetch graph writes them; delete it")
    return dict(papers)


def citations_text(papers: dict[str, Any]) -> str:
    """The file's text: sorted, one way, so a run that learned nothing new changes nothing."""
    data = {"papers": dict(sorted(papers.items())), "source": SOURCE}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def record(answer: dict[str, Any] | None, today: dt.date) -> dict[str, Any]:
    """What the file keeps of one answer (None: the API does not know the paper)."""
    if answer is None:
        return {"fetched": today.isoformat(), "found": False}
    kept: dict[str, Any] = {
        "fetched": today.isoformat(),
        "citations": _count(answer.get("citationCount")),
        "venue": _text(answer.get("venue")) or "",
        "url": _text(answer.get("url")),
    }
    references = answer.get("references")
    if isinstance(references, list):
        kept["references"] = [
            reference
            for item in references
            if isinstance(item, dict) and (reference := _reference(item))["title"]
        ]
    return kept


def _reference(item: dict[str, Any]) -> dict[str, Any]:
    ids = item.get("externalIds")
    ids = ids if isinstance(ids, dict) else {}
    return {
        "title": _text(item.get("title")),
        "arxiv": _text(ids.get("ArXiv")),
        "doi": _text(ids.get("DOI")),
        "citations": _count(item.get("citationCount")),
        "year": _count(item.get("year")),
        "url": _text(item.get("url")),
    }


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _text(value: Any) -> str | None:
    """A text value on one line, writable as UTF-8; None when there is none."""
    return " ".join(writable(value).split()) or None if isinstance(value, str) else None


def run_graph(root: Path, refresh: bool, dry_run: bool, bar: bool, console: Console) -> int:
    """`fetch graph` for the CLI: 0 when done, 1 when it stopped (what it fetched is kept),
    130 when interrupted."""
    result = GraphRun()
    client = ScholarClient(notify=lambda message: console.say(f"papersite: {message}"))
    today = dt.datetime.now(dt.UTC).date()
    try:
        progress = bar and console.stream.isatty()
        fetch_graph(root, client, refresh, dry_run, console, progress, result, today)
    except PapersiteError as error:
        for line in error.lines():
            console.say(line)
        if result.done and not dry_run:
            console.say(f"{result.summary()}; those are saved: run again to go on")
        return error.exit_code
    except KeyboardInterrupt:
        kept = "; saved: run again to go on" if not dry_run else ""
        console.say(f"papersite: interrupted; {result.summary()}{kept}")
        return 130
    finally:
        client.close()
    where = "nothing written (--dry-run)" if dry_run else f"-> content/{FILE_NAME}"
    console.say(f"{result.summary()} {where}")
    return 0
