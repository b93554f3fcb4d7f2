"""papersite at scale: build synthetic corpora of 1k, 10k and 50k papers and print figures.

Run from the repository root after installing the test extra:

    python benchmarks/bench.py                 # 1k, 10k, 50k; 3 runs each (1 for 50k)
    python benchmarks/bench.py --sizes 1000 10000 --runs 5 --browser

For each size it generates a deterministic corpus (benchmarks/corpus.py), then times, in
a fresh process each (as a user runs it): a cold build (no cache, no output), a rebuild
with no change, and a rebuild after a template edit. It prints medians, the peak RSS of
the build (the process and its forked workers), the search index (raw and gzip bytes of
the files the browser loads first and in all), and the time of every stage in the cold
build. With --browser it also opens each site's search page in headless Chromium and
reports the time from navigation to the first result.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import make_corpus

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("parse", "merge", "topics", "related", "search", "cards", "markdown", "html", "write")
BUILD = """
import json, resource, sys
from pathlib import Path
from generator.build import build_site
report = build_site(Path(sys.argv[1]))
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": report.seconds, "pages": report.pages, "papers": report.papers,
                  "up_to_date": report.up_to_date, "timings": report.timings, "rss_kb": peak}))
"""


def build(site: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(site)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold(site: Path, trash: Path) -> dict:
    """A build with no cache and no output, as on a fresh checkout.

    The last build's output and cache are moved aside, not deleted: on a file system like
    this machine's (ext4 without a journal), creating files in the minutes after tens of
    thousands were deleted is several times slower (the inode allocator steps over every
    recently deleted inode), which would time the deletion, not the build. The trash is
    deleted once all sizes are done.
    """
    trash.mkdir(parents=True, exist_ok=True)
    # The theme's compiled templates, which papersite keeps beside the theme: a cold build
    # compiles them (a second site's first build would not).
    shutil.rmtree(ROOT / "templates" / "__pycache__", ignore_errors=True)
    for name in (".papersite-cache", "site"):
        if (site / name).exists():
            (site / name).rename(trash / f"{name}-{len(list(trash.iterdir()))}")
    return build(site)


def template_edit(site: Path, run: int) -> dict:
    base = site / "templates" / "base.html"
    if not base.exists():
        shutil.copytree(
            ROOT / "templates", site / "templates", ignore=shutil.ignore_patterns("__pycache__")
        )
    text = base.read_text("utf-8")
    base.write_text(text.replace("</footer>", f"<!-- edit {run} --></footer>", 1), "utf-8")
    return build(site)


def index_bytes(site: Path) -> tuple[int, int, int, int]:
    """(raw, gzip) of the index's core (search-index.js), then of every search file."""
    assets = site / "site" / "assets"
    first = (assets / "search-index.js").read_bytes()
    every = [first] + [p.read_bytes() for p in sorted((assets / "search").glob("*.js"))]
    packed = [len(gzip.compress(data, mtime=0)) for data in every]
    return len(first), len(gzip.compress(first, mtime=0)), sum(map(len, every)), sum(packed)


def first_result_ms(site: Path, runs: int) -> float:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import serve_directory
    from playwright.sync_api import sync_playwright

    times = []
    with serve_directory(site / "site") as base, sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            page = browser.new_page()
            page.goto(f"{base}search/?q=vision%20transformer")
            page.wait_for_selector("#search-results h2", timeout=120_000)
            times.append(
                page.evaluate("performance.getEntriesByName('papersite-results')[0].startTime")
            )
            page.close()
        browser.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (1 at 50k)")
    parser.add_argument("--browser", action="store_true", help="time the first search result")
    parser.add_argument("--keep", type=Path, help="build the corpora here instead of /tmp")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="papersite-bench-") as temporary:
        place = args.keep or Path(temporary)
        trash = place / "trash"
        for size in args.sizes:
            site = make_corpus(place / f"corpus-{size}", size)
            runs = 1 if size >= 50000 else args.runs
            colds = [cold(site, trash) for _ in range(runs)]
            unchanged = [build(site) for _ in range(runs)]
            assert all(report["up_to_date"] for report in unchanged)
            edits = [template_edit(site, run) for run in range(runs)]
            shutil.rmtree(site / "templates")
            last = cold(site, trash)  # leaves the cold build's output for the index figures
            row = {
                "papers": last["papers"],
                "pages": last["pages"],
                "cold s": statistics.median(r["seconds"] for r in colds),
                "no-change s": statistics.median(r["seconds"] for r in unchanged),
                "template-edit s": statistics.median(r["seconds"] for r in edits),
                "peak RSS MB": max(r["rss_kb"] for r in [*colds, *edits]) / 1024,
                "index": index_bytes(site),
                "stages": {s: statistics.median(r["timings"][s] for r in colds) for s in STAGES},
            }
            if args.browser:
                row["first result ms"] = first_result_ms(site, 3)
            rows.append(row)
            print_table(rows)
        shutil.rmtree(trash, ignore_errors=True)


def print_table(rows: list[dict]) -> None:
    print()
    header = (
        f"{'papers':>7} {'pages':>7} {'cold s':>7} {'no-change s':>11} "
        f"{'tpl-edit s':>10} {'peak RSS':>9} {'index raw / gzip (core; all files)':>44}"
    )
    print(header)
    for row in rows:
        raw, packed, all_raw, all_packed = row["index"]
        index = (
            f"{raw / 1e6:.2f} / {packed / 1e6:.2f} MB; "
            f"{all_raw / 1e6:.2f} / {all_packed / 1e6:.2f} MB"
        )
        print(
            f"{row['papers']:>7} {row['pages']:>7} {row['cold s']:>7.2f} "
            f"{row['no-change s']:>11.2f} {row['template-edit s']:>10.2f} "
            f"{row['peak RSS MB']:>6.0f} MB {index:>44}"
        )
    print(
        "\ntime per stage in the cold build, seconds (render stages run on every core at once,"
        "\nand search beside them: these overlap, so they add up to more than the build)"
    )
    print(f"{'papers':>7} " + " ".join(f"{stage:>8}" for stage in STAGES))
    for row in rows:
        print(f"{row['papers']:>7} " + " ".join(f"{row['stages'][s]:>8.2f}" for s in STAGES))
    if any("first result ms" in row for row in rows):
        print("\nsearch page, navigation to first result (median of 3, headless Chromium):")
        for row in rows:
            if "first result ms" in row:
                print(f"{row['papers']:>7} papers: {row['first result ms']:.0f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
