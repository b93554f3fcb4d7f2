"""Bytes and time to the first result of a deep-linked search, on a fast and a throttled
connection, for the example site and synthetic corpora (benchmarks/corpus.py).

Each run is a fresh browser context (nothing cached) loading `search/?q=WORD` from a
local server that gzips like GitHub Pages. Throttled: Lighthouse's slow 4G (150 ms
round trip, 1.6 Mbit/s down, 750 kbit/s up) and 4x CPU slowdown through the DevTools
protocol. Prints medians over the words and runs.

    python benchmarks/search_first_query.py [--sizes 10000 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import make_corpus  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from generator.build import build_site  # noqa: E402

WORDS = ["vision", "segmentation", "diffusion", "survey", "distillation"]
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
TEXT = (".html", ".js", ".css", ".svg", ".xml", ".json", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when text (as GitHub Pages serves them)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        body = path.read_bytes()
        self.send_response(200)
        if path.suffix in TEXT:
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", server


def launch(driver):
    """Debian's Chromium, as the tests run it (browsers cannot be downloaded here)."""
    return driver.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def watch_bytes(session) -> dict[str, float]:
    """Bytes on the wire (headers and encoded body) of each finished request, by id."""
    sizes: dict[str, float] = {}
    session.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    return sizes


def throttle(session) -> None:
    """Lighthouse's slow 4G and a 4x slower CPU."""
    session.send("Network.emulateNetworkConditions", SLOW_4G)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})


def one_run(browser, url: str, throttled: bool) -> tuple[int, float, int]:
    """(bytes on the wire, ms from navigation to the first result, requests)."""
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    sizes = watch_bytes(session)
    if throttled:
        throttle(session)
    page.goto(url)
    page.wait_for_function(
        "performance.getEntriesByName('papersite-results').length > 0", timeout=120_000
    )
    milliseconds = page.evaluate("performance.getEntriesByName('papersite-results')[0].startTime")
    page.wait_for_timeout(200)
    context.close()
    return int(sum(sizes.values())), milliseconds, len(sizes)


def targets(papers: int) -> tuple[float, float]:
    """Issue 21's targets for a deep-linked query: KB on the wire (gzip) and ms to the first
    result on slow 4G with 4x CPU, for a site of `papers` (the nearest larger size's)."""
    for size, kilobytes, milliseconds in (
        (433, 100, 1500),
        (10_000, 150, 2000),
        (50_000, 250, 2000),
    ):
        if papers <= size:
            return kilobytes, milliseconds
    return 250, 2000


def measure(site: Path, runs: int, label: str, papers: int = 0) -> None:
    base, server = serve(site)
    with sync_playwright() as driver:
        browser = launch(driver)
        for throttled in (False, True):
            results = [
                one_run(browser, f"{base}search/?q={word}", throttled)
                for _ in range(runs)
                for word in WORDS
            ]
            kind = "slow 4G + 4x CPU" if throttled else "fast"
            kilobytes = statistics.median(r[0] for r in results) / 1024
            first = statistics.median(r[1] for r in results)
            verdict = ""
            if papers and throttled:
                most_kb, most_ms = targets(papers)
                met = kilobytes <= most_kb and first <= most_ms
                verdict = f"; target {most_kb} KB, {most_ms} ms: {'met' if met else 'NOT met'}"
            print(
                f"{label:>14} {kind:>17}: {kilobytes:7.1f} KB"
                f" in {statistics.median(r[2] for r in results):3.0f} requests,"
                f" first result {first:6.0f} ms"
                f" (max {max(r[1] for r in results):.0f}){verdict}"
            )
        browser.close()
    server.shutdown()


def site_roots(work: Path, sizes: list[int]) -> Iterator[Path]:
    """The roots of the sites the search benchmarks measure, one at a time under `work`:
    the example's content (copied, so its build cache stays out of the checkout), then a
    synthetic corpus of each size; each is deleted once the next is asked for."""
    example = work / "example"
    shutil.copytree(ROOT / "content", example / "content")
    yield example
    shutil.rmtree(example)
    for size in sizes:
        root = make_corpus(work / f"corpus-{size}", size)
        yield root
        shutil.rmtree(root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        for root in site_roots(Path(temporary), args.sizes):
            report = build_site(root)
            measure(report.output, args.runs, f"{report.papers} papers", report.papers)


if __name__ == "__main__":
    main()
