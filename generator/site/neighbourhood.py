"""A paper's neighbourhood in the collection's citation graph, drawn as SVG on the server
(no JavaScript needed to see it): the papers that cite it on the left, the paper in the
middle, the papers it cites on the right, an arrow from each citing paper to the cited one.

The picture is one image (role="img", labelled with what it counts); the same papers are
links in the text just above it, so its nodes carry only what fits. Colours and text
placement come from the stylesheet (.graph*), so it follows the light and dark themes;
every byte is paid once a paper, so it says little.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.catalog.graph import PaperCitations
from generator.model import Paper

WIDTH = 720
NODE_WIDTH = 210
NODE_HEIGHT = 34
ROW = 44
TOP = 34  # room for the column headings
MAX_NODES = 6  # a column shows this many papers, then "and N more"
TITLE_CHARS = 26  # what fits a node at 13 px


def neighbourhood_svg(paper: Paper, place: PaperCitations, figure_id: str) -> Markup:
    """The SVG of `paper`'s neighbourhood; empty when no paper of the collection cites it
    or is cited by it."""
    if not place.cites and not place.cited_by:
        return Markup("")
    left = _column(place.cited_by)
    right = _column(place.cites)
    rows = max(len(left), len(right), 1)
    height = TOP + rows * ROW
    middle_x = (WIDTH - NODE_WIDTH) // 2
    middle_y = TOP + (rows * ROW - NODE_HEIGHT) // 2
    parts = [
        f'<svg class="graph" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-label="{escape(_description(place))}">',
        f'<defs><marker id="{figure_id}-arrow" viewBox="0 0 8 8" refX="8" refY="4" '
        'markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z"/>'
        "</marker></defs>",
    ]
    if left:
        parts.append('<text x="0" y="16" class="graph-heading">Cited by</text>')
    if right:
        parts.append(f'<text x="{WIDTH}" y="16" class="graph-heading end">Cites</text>')
    centre = middle_y + NODE_HEIGHT // 2
    for row, label in enumerate(left):
        y = _row_y(row, len(left), rows)
        parts.append(_edge(NODE_WIDTH, y + NODE_HEIGHT // 2, middle_x, centre, figure_id))
        parts.append(_node(0, y, label, "node"))
    for row, label in enumerate(right):
        y = _row_y(row, len(right), rows)
        start = middle_x + NODE_WIDTH
        parts.append(_edge(start, centre, WIDTH - NODE_WIDTH, y + NODE_HEIGHT // 2, figure_id))
        parts.append(_node(WIDTH - NODE_WIDTH, y, label, "node"))
    parts.append(_node(middle_x, middle_y, paper.title, "node self"))
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _column(papers: tuple[Paper, ...]) -> list[str]:
    titles = [paper.title for paper in papers[:MAX_NODES]]
    if len(papers) > MAX_NODES:
        titles[-1] = f"and {len(papers) - MAX_NODES + 1} more"
    return titles


def _row_y(row: int, count: int, rows: int) -> int:
    """A column of `count` nodes centred in the height of `rows`."""
    return TOP + (rows - count) * ROW // 2 + row * ROW + (ROW - NODE_HEIGHT) // 2


def _edge(x1: int, y1: int, x2: int, y2: int, figure_id: str) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#{figure_id}-arrow)"/>'


def _node(x: int, y: int, title: str, kind: str) -> str:
    """A box with the title, cut to what fits (the text above has it whole, as a link)."""
    shown = title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"
    return (
        f'<g class="{kind}"><rect x="{x}" y="{y}" width="{NODE_WIDTH}" '
        f'height="{NODE_HEIGHT}" rx="6"/><text x="{x + NODE_WIDTH // 2}" '
        f'y="{y + NODE_HEIGHT // 2 + 5}">{escape(shown)}</text></g>'
    )


def _description(place: PaperCitations) -> str:
    """What the picture shows, in words: 'Within this collection: cited by 2 papers,
    cites 3 (listed above)'."""

    def papers(count: int) -> str:
        return f"{count} paper{'s' if count != 1 else ''}"

    said = []
    if place.cited_by:
        said.append(f"cited by {papers(len(place.cited_by))}")
    if place.cites:
        said.append(f"cites {papers(len(place.cites))}")
    return f"Within this collection: {', '.join(said)} (listed above)"
