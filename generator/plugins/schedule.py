"""A reading group's schedule, a built-in plugin a site turns on (`plugins: [schedule]`).

A note's front matter says when the group discusses the paper and who presents it
(`discussed: 2024-03-14`, `presenter: Ada`); the site gets a Schedule page with every
session, and the home page a "Next session" line. Which sessions are still to come is
decided in the visitor's browser (assets/schedule.js), on the day they look: the pages
stay the same from build to build, and a site built last month still shows this week's
session next. Without JavaScript the Schedule page lists every session by date.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import ContentError, Diagnostics
from generator.model import Paper
from generator.plugins.api import Plugin
from generator.site.pages import PlannedPage, SiteParts

SCHEDULE_PATH = "schedule/index.html"
SCRIPT = Path(__file__).with_name("schedule.js")


@dataclass(frozen=True)
class Session:
    """One meeting: the day, the paper discussed, who presents it ('' if not said)."""

    day: dt.date
    paper: Paper
    presenter: str


def sessions(papers: list[Paper]) -> list[Session]:
    """Every session, by day (then title)."""
    found = [
        Session(dt.date.fromisoformat(day), paper, paper.field("presenter"))
        for paper in papers
        if (day := paper.field("discussed"))
    ]
    return sorted(found, key=lambda session: (session.day, session.paper.title.casefold()))


def _check_days(papers: list[Paper], diagnostics: Diagnostics) -> list[Paper]:
    """A day that is not a date is an error at its note."""
    for paper in papers:
        day = paper.field("discussed")
        if not day:
            continue
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise ContentError(
                paper.origins[-1].path,
                1,
                f"discussed: must be a day like 2024-03-14, not {day!r}",
            ) from None
    return papers


def schedule_page(parts: SiteParts) -> Iterator[PlannedPage]:
    held = sessions(parts.papers)
    if not held:
        return
    count = f"{len(held)} session{'' if len(held) == 1 else 's'}"
    context = {
        "title": "Schedule",
        "description": f"The reading group's {count}: the papers, the days, who presents.",
        "sessions": held,
    }
    card = ("Schedule", count)
    page: Callable[[], dict[str, Any]] = functools.partial(dict, context)
    yield PlannedPage(SCHEDULE_PATH, "schedule.html", page, card=card)


def _nav(parts: SiteParts) -> Iterator[tuple[str, str]]:
    if any(paper.field("discussed") for paper in parts.papers):
        yield ("Schedule", "schedule/")


def _home(path: str, parts: SiteParts) -> Mapping[str, Any]:
    """The home page's sessions, for its "Next session" line."""
    return {"sessions": sessions(parts.papers)} if path == "index.html" else {}


def _paper_line(paper: Paper) -> Iterator[tuple[str, str]]:
    day = paper.field("discussed")
    if day:
        when = dt.date.fromisoformat(day)
        said = f"{when:%B} {when.day}, {when.year}"
        presenter = paper.field("presenter")
        yield ("Discussed", f"{said}, presented by {presenter}" if presenter else said)


def _script(parts: SiteParts) -> dict[str, bytes]:
    return {"assets/schedule.js": SCRIPT.read_bytes()}


PLUGIN = Plugin(
    "schedule",
    data_files=_script,
    note_fields=("discussed", "presenter"),
    on_papers=_check_days,
    page_kinds=(schedule_page,),
    nav=_nav,
    page_context=_home,
    paper_fields=_paper_line,
)
