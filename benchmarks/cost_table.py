"""The cost table: what each stage of a cold build takes and what each kind of output weighs,
per paper, for the example (433 papers) and a synthetic corpus (10,000 by default).

Run from the repository root after `pip install -e ".[test]"`:

    python benchmarks/cost_table.py                 # 433 and 10,000 papers
    python benchmarks/cost_table.py --sizes 433 10000 50000 --runs 3

Each cold build runs in a fresh process with no cache and no output (benchmarks/bench.py's
`cold`). Stage seconds are the build's own timings (the median of the runs); the search
index and the social cards are made in processes of their own beside the pages, so stages
overlap and add up to more than the wall time. Sizes are bytes on disk (what GitHub
Pages' 1 GB counts) and files, by kind of output, divided by the number of papers. Every
feature adds its row here (README, "Cost table").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench import STAGES, cold
from corpus import site_of_size

ROOT = Path(__file__).resolve().parent.parent
# Kinds of output, the first whose test a site path passes.
KINDS = (
    ("paper pages (HTML)", lambda p: _paper(p) and p.endswith("/index.html")),
    ("paper Markdown twins", lambda p: _paper(p) and p.endswith("/index.md")),
    ("paper social cards", lambda p: _paper(p) and p.endswith("/card.png")),
    ("search: term chunks", lambda p: p.startswith("assets/search/t")),
    ("search: records", lambda p: p.startswith("assets/search/r")),
    ("search: abstracts", lambda p: p.startswith("assets/search/a")),
    ("search: vocabulary, core", lambda p: p.startswith("assets/search")),
    ("feeds", lambda p: p.endswith(".xml") and p != "sitemap.xml"),
    ("collection pages", lambda p: p.split("/")[0] in COLLECTIONS and p.endswith(".html")),
    ("collection .bib, CSL-JSON", lambda p: p.endswith(("/papers.bib", "/papers.json"))),
    ("collection Markdown, cards", lambda p: p.split("/")[0] in COLLECTIONS),
    ("everything else", lambda p: True),
)
COLLECTIONS = {"papers", "topics", "listings", "authors"}
# Issue 21's targets: bytes and files a paper at 10,000 and 50,000 papers, every feature on
# (a 50,000-paper site in 600 MB), and peak memory at 50,000 papers.
BYTES_A_PAPER = 12_000
FILES_A_PAPER = 3
PEAK_MB = 1_500


def _paper(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "papers" and parts[1] not in {"by", "page"}


def output_costs(site: Path) -> tuple[Counter[str], Counter[str]]:
    """Bytes and files of each kind of output under `site`."""
    sizes: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        kind = next(kind for kind, test in KINDS if test(name))
        sizes[kind] += path.stat().st_size
        files[kind] += 1
    return sizes, files


def measure(site: Path, runs: int, trash: Path) -> dict:
    reports = [cold(site, trash) for _ in range(runs)]
    sizes, files = output_costs(site / "site")
    return {
        "papers": reports[0]["papers"],
        "wall": statistics.median(r["seconds"] for r in reports),
        "rss": max(r["rss_kb"] for r in reports) / 1024,
        "stages": {s: statistics.median(r["timings"].get(s, 0.0) for r in reports) for s in STAGES},
        "sizes": sizes,
        "files": files,
    }


def print_table(rows: list[dict]) -> None:
    sizes = [row["papers"] for row in rows]
    head = "".join(f"{f'{n:,} papers':>24}" for n in sizes)
    print(f"\ncold build, seconds (build's own timings; median)\n{'stage':<28}{head}")
    for stage in (*STAGES, "wall"):
        cells = ""
        for row in rows:
            seconds = row["wall"] if stage == "wall" else row["stages"][stage]
            cells += f"{seconds:>12.2f} s{1000 * seconds / row['papers']:>7.2f} ms"
        print(f"{stage:<28}{cells}")
    print(f"{'peak RSS':<28}" + "".join(f"{row['rss']:>21.0f} MB" for row in rows))
    print(f"\noutput per paper: bytes and files\n{'kind':<28}{head}")
    for kind in [kind for kind, _ in KINDS] + ["total"]:
        cells = ""
        for row in rows:
            size = sum(row["sizes"].values()) if kind == "total" else row["sizes"][kind]
            count = sum(row["files"].values()) if kind == "total" else row["files"][kind]
            cells += f"{size / row['papers']:>12,.0f} B{count / row['papers']:>8.2f} f"
        print(f"{kind:<28}{cells}")
    print(
        f"{'site (MB, files)':<28}"
        + "".join(
            f"{sum(row['sizes'].values()) / 1e6:>12.1f} MB{sum(row['files'].values()):>8,}"
            for row in rows
        )
    )
    print_targets(rows)
    sys.stdout.flush()


def print_targets(rows: list[dict]) -> None:
    """Issue 21's targets for output and memory, from 10,000 papers on, met or not."""
    for row in rows:
        if row["papers"] < 10000:
            continue
        per_paper = sum(row["sizes"].values()) / row["papers"]
        files = sum(row["files"].values()) / row["papers"]
        checks = [
            (
                f"output <= {BYTES_A_PAPER:,} B a paper",
                per_paper <= BYTES_A_PAPER,
                f"{per_paper:,.0f} B",
            ),
            (f"<= {FILES_A_PAPER} files a paper", files <= FILES_A_PAPER, f"{files:.2f}"),
        ]
        if row["papers"] >= 50000:
            checks.append(
                (f"peak RSS <= {PEAK_MB:,} MB", row["rss"] <= PEAK_MB, f"{row['rss']:,.0f} MB")
            )
        for label, met, value in checks:
            verdict = "met" if met else "NOT met"
            print(f"{row['papers']:>7,} papers: {label:<26} {value:>10}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[433, 10000])
    parser.add_argument("--runs", type=int, default=3, help="cold builds a size (1 at 50k)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="papersite-cost-") as temporary:
        place = Path(temporary)
        for size in args.sizes:
            site = site_of_size(place / f"site-{size}", size)
            rows.append(measure(site, 1 if size >= 50000 else args.runs, place / "trash"))
            print_table(rows)


if __name__ == "__main__":
    main()
