"""Search figures for the example site: index size, and page load to first result.

Run from the repository root after installing the test extra:

    python benchmarks/search_latency.py [--runs 5]

Builds the example site, serves it on 127.0.0.1 and opens it in headless Chromium
(Debian's /usr/bin/chromium). Prints raw and gzip bytes of index + store, and for a few
queries the median time from navigation start to the first result on the search page
(cold: lunr.js and the index are loaded and parsed on each run), plus the time one
as-you-type query takes once the index is loaded.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import serve_directory  # noqa: E402

from generator.build import build_site  # noqa: E402

QUERIES = ["survey", "vision transformer", "medical image segmentation", "Stéphane", "nerf"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        report = build_site(ROOT, Path(temporary) / "site")
        assets = report.output / "assets"
        files = [assets / "search-index.js", *sorted((assets / "search").glob("*.js"))]
        data = b"".join(path.read_bytes() for path in files)
        packed = sum(len(gzip.compress(path.read_bytes(), mtime=0)) for path in files)
        print(f"papers: {report.papers}")
        print(f"all search files: {len(files)}, {len(data):,} bytes raw, {packed:,} bytes gzip")
        print(
            f"per paper: {len(data) / report.papers:,.0f} bytes raw, "
            f"{packed / report.papers:,.0f} bytes gzip"
        )
        with serve_directory(report.output) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            print(f"\n{'query':30} {'load->first result (median ms)':>32}  top result")
            for query in QUERIES:
                times, top = [], ""
                for _ in range(args.runs):
                    page = browser.new_page()
                    page.goto(f"{base}search/?q={query}")
                    page.wait_for_selector("#search-results h2")
                    times.append(
                        page.evaluate(
                            "performance.getEntriesByName('papersite-results')[0].startTime"
                        )
                    )
                    top = page.locator("#search-results h2").first.inner_text()
                    page.close()
                print(f"{query:30} {statistics.median(times):32.0f}  {top}")
            page = browser.new_page()
            page.goto(base)
            per_query = page.evaluate(
                """async queries => {
                    const engine = window.papersiteSearchEngine;
                    // Once loaded: the chunks each query needs are fetched by a first run.
                    for (const q of queries) await engine.search(q, {prefix: true});
                    const times = [];
                    for (const q of queries) {
                      const start = performance.now();
                      for (let i = 0; i < 20; i++) await engine.search(q, {prefix: true});
                      times.push((performance.now() - start) / 20);
                    }
                    return times;
                  }""",
                QUERIES,
            )
            print("\nas-you-type query time, index loaded (mean of 20 runs):")
            for query, milliseconds in zip(QUERIES, per_query, strict=True):
                print(f"  {query:30} {milliseconds:6.1f} ms")
            browser.close()


if __name__ == "__main__":
    main()
