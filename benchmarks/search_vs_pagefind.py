"""Side-by-side search benchmark: papersite's own in-browser search vs Pagefind, on the same
built sites (the example site and synthetic corpora from benchmarks/corpus.py).

    python benchmarks/search_vs_pagefind.py [--sizes 10000 50000] [--runs 5]

Needs Node (npx fetches the pinned Pagefind from npm) and Debian's /usr/bin/chromium.

For each site: papersite builds it, then Pagefind indexes the same built paper pages
(`papers/*/index.html`, the paper's <article> only, so both engines search the same
documents) into SITE/pagefind/, and a minimal results page SITE/pagefind-bench/ is written
that imports the Pagefind JS API, searches `?q=`, loads the first result's data, shows its
title and sets `performance.mark("pagefind-results")`. papersite is timed on its own
`search/?q=WORD`, to its `performance.mark("papersite-results")`.

Both are served by one gzipping server (as GitHub Pages serves them, see
search_first_query.py) and loaded in a fresh browser context per run (nothing cached),
for each of the 5 words, `--runs` times, the engines interleaved, unthrottled ("fast") and
throttled (slow 4G + 4x CPU). Measured, as medians:

- bytes to the first result: the encodedDataLength (headers + gzipped body, from the
  DevTools protocol) of every request whose Resource Timing responseEnd is at or before
  the mark, from the fast runs; "+200 ms" also counts what finished up to 200 ms after;
- time from navigation start to the mark;
- search files on disk: papersite's assets/search-index.js, lunr.js, search-*.js and
  assets/search/; everything Pagefind wrote under pagefind/ (UI bundles included).

Pagefind runs with `noWorker: true`: by default it searches in a Web Worker, whose requests
the page's DevTools session does not see and which the CPU throttling does not reach
(Chromium throttles the page's main thread only), so it would be measured at full CPU
speed with its wasm, index and fragment bytes missing. On the main thread it is measured
exactly like papersite. Its default would also fetch pagefind-worker.js (noted below).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright
from search_first_query import WORDS, launch, serve, site_roots, throttle, watch_bytes

from generator.build import build_site

PAGEFIND = "pagefind@1.6.0"  # the newest 1.x on npm when this was written
PAGES = "papers/*/index.html"
ROOT_SELECTOR = "article.paper"
ENGINES = {
    "papersite": ("search/?q={}", "papersite-results"),
    "Pagefind": ("pagefind-bench/?q={}", "pagefind-results"),
}
PAPERSITE_FILES = (
    "assets/search-index.js",
    "assets/lunr.js",
    "assets/search-engine.js",
    "assets/search-box.js",
    "assets/search-page.js",
)
PAGEFIND_EXTRAS = re.compile(r"pagefind-(.*ui|highlight|worker)\.(js|css)$")

# A results page that does only what is needed to show the first result. The icon link
# keeps Chromium from asking for /favicon.ico.
BENCH_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pagefind search</title>
<link rel="icon" href="data:,">
</head>
<body>
<main><h1>Search</h1><p id="first" aria-live="polite">Searching…</p></main>
<script type="module">
const q = new URLSearchParams(location.search).get("q") || "";
const pagefind = await import("../pagefind/pagefind.js");
await pagefind.options({ noWorker: true });
await pagefind.init?.();
const search = await pagefind.search(q);
const first = await search.results[0]?.data();
document.getElementById("first").textContent = first ? first.meta.title : "No results";
performance.mark("pagefind-results");
</script>
</body>
</html>
"""

# Requests finished by the mark, as the page's own Resource Timing sees them.
AT_MARK = """(name) => {
  const mark = performance.getEntriesByName(name)[0].startTime;
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ];
  return { mark, urls: entries.filter((e) => e.responseEnd <= mark).map((e) => e.name) };
}"""


@dataclass
class Run:
    bytes_at_mark: int
    bytes_after: int
    requests_at_mark: int
    milliseconds: float


@dataclass
class Engine:
    disk_bytes: int = 0
    files: int = 0
    index_seconds: float = 0.0
    fast: list[Run] = field(default_factory=list)
    slow: list[Run] = field(default_factory=list)


@dataclass
class Site:
    papers: int
    engines: dict[str, Engine]
    notes: list[str]


def disk(paths: list[Path]) -> tuple[int, int]:
    files = [file for path in paths for file in ([path] if path.is_file() else path.rglob("*"))]
    files = [file for file in files if file.is_file()]
    return sum(file.stat().st_size for file in files), len(files)


def index_with_pagefind(site: Path, work: Path) -> tuple[int, float]:
    """Run Pagefind on the built paper pages; (pages indexed, seconds it reports)."""
    command = [
        "npx",
        "--yes",
        PAGEFIND,
        "--site",
        str(site),
        "--glob",
        PAGES,
        "--root-selector",
        ROOT_SELECTOR,
    ]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    pages = re.search(r"Indexed (\d+) pages?", done.stdout)
    seconds = re.search(r"Finished in ([\d.]+) seconds", done.stdout)
    return int(pages.group(1)) if pages else 0, float(seconds.group(1)) if seconds else 0.0


def one_run(browser, url: str, mark: str, throttled: bool) -> Run:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    urls: dict[str, str] = {}
    session.on(
        "Network.requestWillBeSent",
        lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]),
    )
    sizes = watch_bytes(session)
    if throttled:
        throttle(session)
    page.goto(url)
    try:
        page.wait_for_function(
            f"performance.getEntriesByName({mark!r}).length > 0", timeout=120_000
        )
    except Exception as error:
        raise RuntimeError(f"no {mark} mark on {url}: {errors}") from error
    at_mark = page.evaluate(AT_MARK, mark)
    page.wait_for_timeout(200)
    context.close()
    finished = set(at_mark["urls"])
    before = [size for request, size in sizes.items() if urls.get(request) in finished]
    return Run(int(sum(before)), int(sum(sizes.values())), len(before), at_mark["mark"])


def measure(site: Path, engines: dict[str, Engine], runs: int, label: str) -> None:
    base, server = serve(site)
    try:
        with sync_playwright() as driver:
            browser = launch(driver)
            for throttled in (False, True):
                kind = "slow 4G + 4x CPU" if throttled else "fast"
                print(f"  {label}: {kind} runs", file=sys.stderr, flush=True)
                for _ in range(runs):
                    for word in WORDS:
                        for name, (path, mark) in ENGINES.items():
                            run = one_run(browser, base + path.format(word), mark, throttled)
                            engine = engines[name]
                            (engine.slow if throttled else engine.fast).append(run)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def benchmark(root: Path, output: Path | None, work: Path, runs: int) -> Site:
    started = time.perf_counter()
    report = build_site(root, output)
    site = report.output
    label = f"{report.papers} papers"
    print(
        f"{label}: papersite built in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
        flush=True,
    )
    papersite = Engine(index_seconds=report.timings.get("search", 0.0))
    papersite.disk_bytes, papersite.files = disk(
        [site / name for name in PAPERSITE_FILES] + [site / "assets" / "search"]
    )
    indexed, seconds = index_with_pagefind(site, work)
    pagefind = Engine(index_seconds=seconds)
    pagefind.disk_bytes, pagefind.files = disk([site / "pagefind"])
    print(f"{label}: Pagefind indexed {indexed} pages", file=sys.stderr, flush=True)
    notes = []
    if indexed != report.papers:
        notes.append(f"Pagefind indexed {indexed} pages, papersite has {report.papers} papers")
    extras = [file for file in (site / "pagefind").iterdir() if PAGEFIND_EXTRAS.search(file.name)]
    extra_bytes = sum(file.stat().st_size for file in extras)
    worker = site / "pagefind" / "pagefind-worker.js"
    worker_gzip = len(gzip.compress(worker.read_bytes(), 6)) if worker.is_file() else 0
    notes.append(
        f"{label}: {extra_bytes / 1024 / 1024:.2f} MB in {len(extras)} of Pagefind's files are"
        f" UI, highlight and worker bundles this page never loads; in its default worker"
        f" mode Pagefind would also fetch pagefind-worker.js ({worker_gzip / 1024:.1f} KB"
        f" gzipped)"
    )
    bench = site / "pagefind-bench"
    bench.mkdir()
    (bench / "index.html").write_text(BENCH_PAGE, encoding="utf-8")
    engines = {"papersite": papersite, "Pagefind": pagefind}
    measure(site, engines, runs, label)
    return Site(report.papers, engines, notes)


def median(values) -> float:
    return statistics.median(list(values))


def table(sites: list[Site], runs: int) -> str:
    names = list(ENGINES)
    header = ["Papers"]
    for metric in ("KB to 1st result", "1st result fast (ms)", "1st result throttled (s)"):
        header += [f"{metric} {name}" for name in names]
    header += [f"Search files {name} (MB, files)" for name in names]
    lines = [
        f"Medians over {len(WORDS)} words x {runs} run(s) per engine"
        f" ({', '.join(WORDS)}); throttled = slow 4G + 4x CPU; KB = 1024 bytes;"
        f" bytes are headers + gzipped bodies of the requests finished by the mark (fast runs).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---:|" * len(header),
    ]
    for site in sites:
        engines = [site.engines[name] for name in names]
        cells = [f"{site.papers:,}"]
        cells += [f"{median(r.bytes_at_mark for r in e.fast) / 1024:.1f}" for e in engines]
        cells += [f"{median(r.milliseconds for r in e.fast):.0f}" for e in engines]
        cells += [f"{median(r.milliseconds for r in e.slow) / 1000:.2f}" for e in engines]
        cells += [f"{e.disk_bytes / 1024 / 1024:.2f} ({e.files:,})" for e in engines]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Details (medians; max in brackets; index build: wall time of papersite's search"
        " step, which runs in a forked process beside page rendering, and Pagefind's own"
        " reported time; the minimal Pagefind page loads no site CSS or JS, papersite's"
        " search page loads style.css and site.js too):",
        "",
        "| Papers | Engine | Requests to 1st result | KB to 1st result | KB +200 ms"
        " | Fast (ms) | Throttled (s) | Throttled KB | Index build (s) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for site in sites:
        for name in names:
            e = site.engines[name]
            fast = [r.milliseconds for r in e.fast]
            slow = [r.milliseconds / 1000 for r in e.slow]
            lines.append(
                f"| {site.papers:,} | {name}"
                f" | {median(r.requests_at_mark for r in e.fast):.0f}"
                f" | {median(r.bytes_at_mark for r in e.fast) / 1024:.1f}"
                f" | {median(r.bytes_after for r in e.fast) / 1024:.1f}"
                f" | {median(fast):.0f} ({max(fast):.0f})"
                f" | {median(slow):.2f} ({max(slow):.2f})"
                f" | {median(r.bytes_at_mark for r in e.slow) / 1024:.1f}"
                f" | {e.index_seconds:.2f} |"
            )
    lines += ["", *(f"- {note}" for site in sites for note in site.notes)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sites = []
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        for root in site_roots(work, args.sizes):
            sites.append(benchmark(root, None, work, args.runs))
    print(f"## Search: papersite vs Pagefind ({PAGEFIND.split('@')[1]})\n")
    print(table(sites, args.runs))


if __name__ == "__main__":
    main()
