"""Whether the built site fits its host: GitHub Pages publishes sites of up to 1 GB.

The build adds up the bytes of what it wrote by kind (the 50k-paper benchmark site is
over the limit with every page kind and social card on) and warns with the largest kinds
and what would make the site smaller.
"""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentWarning, Location

LIMIT = 1_000_000_000  # GitHub Pages: "Published GitHub Pages sites may be no larger than 1 GB"
KINDS = ("paper pages", "social cards", "search index", "collections and the rest")


def kind_of(path: str) -> str:
    """The kind of a site file, by its path: 'papers/x/card.png' -> 'social cards'."""
    if path.endswith("/card.png") or path == "card.png":
        return "social cards"
    if path.startswith(("assets/search/", "assets/search-index.js")):
        return "search index"
    parts = path.split("/")
    if parts[0] == "papers" and len(parts) == 3 and parts[1] not in ("by", "page"):
        return "paper pages"
    return "collections and the rest"


def sizes_by_kind(sizes: dict[str, int]) -> dict[str, int]:
    """Bytes of the files (`sizes`: bytes by site path), by kind (every kind present,
    largest first)."""
    kinds = dict.fromkeys(KINDS, 0)
    for path, size in sizes.items():
        kinds[kind_of(path)] += size
    return dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


def size_warning(output: Path, sizes: dict[str, int], papers: int) -> ContentWarning | None:
    """A warning when the site in `output`, of these files (bytes by site path), is larger
    than GitHub Pages publishes, else None."""
    by_kind = sizes_by_kind(sizes)
    total = sum(by_kind.values())
    if total <= LIMIT:
        return None
    parts = ", ".join(f"{kind} {_megabytes(size)}" for kind, size in by_kind.items() if size)
    per_paper = total // max(papers, 1)
    fits = LIMIT // max(per_paper, 1)
    advice = ""
    if by_kind["social cards"]:
        advice = " (`social_cards: false` in site.yml leaves the cards out)"
    return ContentWarning(
        Location(output),
        f"the site is {_megabytes(total)}, more than the 1,000 MB GitHub Pages publishes: "
        f"{parts}{advice}; at {per_paper:,} bytes a paper, about {fits:,} papers fit",
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


# The type each kind of site file is served as (serve, and deploy to object storage), as
# GitHub Pages serves it (feeds too: application/xml).
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".bib": "application/x-bibtex; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
# Files whose names stay the same while their bytes change with each build are checked
# with the host on every visit (a 304 when unchanged); only pictures and fonts, which
# change with papersite's own releases, are kept a day.
REVALIDATE = "public, max-age=0, must-revalidate"
KEEP_A_DAY = "public, max-age=86400"


def content_type(path: str) -> str:
    """The Content-Type of a site file, by its name, as GitHub Pages sends it."""
    suffix = "." + path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if not suffix:  # CNAME, .nojekyll
        return "text/plain; charset=utf-8"
    return _TYPES.get(suffix.lower(), "application/octet-stream")


def cache_control(path: str) -> str:
    """How long a browser may keep a site file without asking the host again."""
    kind = content_type(path)
    return KEEP_A_DAY if kind.startswith(("image/", "font/")) else REVALIDATE
