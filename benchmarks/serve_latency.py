"""Save-to-browser-updated latency of `serve` on the example site.

Run from the repository root after installing the test extra:

    python benchmarks/serve_latency.py [--runs 5]

Copies the example site to a temporary folder, starts `python -m generator serve` on it,
opens a paper page in headless Chromium (Debian's /usr/bin/chromium), then saves edits
to a template, the stylesheet, a notes file and a listing, and times each from the moment
the file is written to the moment the open page shows the change (its own polling: every
frame). Each edit is timed twice: saved once `serve` is idle (its last rebuild ended, as
when someone saves, looks at the page and saves again), and saved the moment the page
showed the edit before it (while that rebuild may still be finishing the other pages and
the search index). Then prints issue 21's targets, for an idle `serve`, as met or not.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAPER = "papers/deep-residual-learning-for-image-recognition/"
# Each edit timed, and issue 21's target for it (median, from save to the page updated).
TARGETS_MS: dict[str, float | None] = {
    "template (base.html)": 200,
    "stylesheet (CSS swap)": None,
    "content (new notes file)": None,
    "listing (an abstract edited)": 600,
}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    path.write_text(text.replace(old, new, 1), "utf-8")


def timed(page, write, condition: str, reloads: bool) -> float:
    """Seconds from the write to the updated page: for a reload, until the new document's
    DOMContentLoaded (what the user then sees); for a CSS swap, until the new style applies
    (seen by polling every frame)."""
    started = time.time()
    write()
    page.wait_for_function(condition, polling="raf", timeout=20_000)
    if reloads:  # (the text may be there before the document's DOMContentLoaded ends)
        loaded = "performance.timing.domContentLoadedEventEnd"
        page.wait_for_function(f"{loaded} > 0", polling="raf", timeout=20_000)
        return page.evaluate(loaded) / 1000 - started
    return time.time() - started


def kept_alive_answers(url: str, count: int = 40) -> list[float]:
    """Seconds for each of `count` requests for the stylesheet, one after another on one
    kept-alive connection (as a browser fetches a page's files after a reload)."""
    address = re.match(r"http://([^:/]+):(\d+)", url)
    connection = http.client.HTTPConnection(address[1], int(address[2]), timeout=10)
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", "/assets/style.css")
        connection.getresponse().read()
        seconds.append(time.perf_counter() - started)
    connection.close()
    return seconds


class ServeLog:
    """serve's log (its standard error), read beside the benchmark: how many rebuilds
    have ended (or stopped for a newer edit)."""

    def __init__(self, stream) -> None:
        self.rebuilds = 0
        self._condition = threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if line.startswith(("Rebuilt (", "Stopped (")):  # (stopped: a newer edit came)
                with self._condition:
                    self.rebuilds += 1
                    self._condition.notify_all()

    def wait_for(self, rebuilds: int) -> None:
        with self._condition:
            if not self._condition.wait_for(lambda: self.rebuilds >= rebuilds, timeout=60):
                raise SystemExit(f"serve ended {self.rebuilds} rebuilds, not {rebuilds}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    modes = ("idle", "back-to-back")
    with tempfile.TemporaryDirectory() as temporary:
        site = Path(temporary)
        shutil.copytree(ROOT / "content", site / "content")
        shutil.copytree(
            ROOT / "templates", site / "templates", ignore=shutil.ignore_patterns("__pycache__")
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-C", str(site), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = re.search(r"(http://\S+)", server.stdout.readline())[1]
        log = ServeLog(server.stderr)
        saves = 1  # the rebuilds serve will have ended: its first build, then one a save
        base = site / "templates" / "base.html"
        css = site / "templates" / "assets" / "style.css"
        notes = site / "content" / "papers" / "resnet-notes.md"
        listing = site / "content" / "listings" / "image-recognition.txt"
        results = {mode: {name: [] for name in TARGETS_MS} for mode in modes}

        def save(write):
            """`write`, an edit serve rebuilds after once, made ready to be saved: once
            serve is idle (it ended a rebuild for each save before), or at once."""
            if mode == "idle":
                log.wait_for(saves)

            def saving() -> None:
                nonlocal saves
                saves += 1
                write()

            return saving

        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(url + PAPER)
            kept_alive = kept_alive_answers(url)
            for mode in modes:
                timings = results[mode]
                for run in range(args.runs):
                    marker = f"zq{mode[0]}{run}"
                    timings["template (base.html)"].append(
                        timed(
                            page,
                            save(lambda m=marker: replace(base, "Built with papersite", m)),
                            f"document.body.innerText.includes('{marker}')",
                            reloads=True,
                        )
                    )
                    save(lambda m=marker: replace(base, m, "Built with papersite"))()
                    page.wait_for_function(
                        "document.body.innerText.includes('Built with papersite')"
                    )
                    color = f"rgb({run + 1}, {modes.index(mode) + 2}, 3)"
                    timings["stylesheet (CSS swap)"].append(
                        timed(
                            page,
                            save(
                                lambda c=color: css.write_text(
                                    css.read_text("utf-8")
                                    + f"\nfooter.site-footer {{ color: {c}; }}\n",
                                    "utf-8",
                                )
                            ),
                            f"getComputedStyle(document.querySelector('footer')).color"
                            f" === '{color}'",
                            reloads=False,
                        )
                    )
                    timings["content (new notes file)"].append(
                        timed(
                            page,
                            save(
                                lambda m=marker: notes.write_text(
                                    "---\ntitle: Deep Residual Learning for Image Recognition\n"
                                    f"---\nNotes {m}.\n",
                                    "utf-8",
                                )
                            ),
                            f"document.body.innerText.includes('Notes {marker}')",
                            reloads=True,
                        )
                    )
                    timings["listing (an abstract edited)"].append(
                        timed(
                            page,
                            save(
                                lambda m=marker: replace(
                                    listing,
                                    "Deeper neural networks are",
                                    f"Deeper {m} networks are",
                                )
                            ),
                            f"document.body.innerText.includes('Deeper {marker} networks')",
                            reloads=True,
                        )
                    )
                    save(
                        lambda m=marker: replace(
                            listing, f"Deeper {m} networks are", "Deeper neural networks are"
                        )
                    )()
                    page.wait_for_function("document.body.innerText.includes('Deeper neural')")
            browser.close()
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)
    for mode in modes:
        print(f"saved with serve {mode}:")
        print(f"  {'edit':30} {'median ms':>10} {'min ms':>8} {'max ms':>8}   ({args.runs} runs)")
        for name, seconds in results[mode].items():
            print(
                f"  {name:30} {statistics.median(seconds) * 1000:10.0f} "
                f"{min(seconds) * 1000:8.0f} {max(seconds) * 1000:8.0f}"
            )
    print(
        f"a file on a kept-alive connection: median {statistics.median(kept_alive) * 1000:.1f}"
        f" ms, max {max(kept_alive) * 1000:.1f} ms ({len(kept_alive)} requests)"
    )
    for name, target in TARGETS_MS.items():
        if target is not None:
            median = statistics.median(results["idle"][name]) * 1000
            verdict = "met" if median <= target else "NOT met"
            print(f"issue 21: {name} <= {target} ms (median, idle): {median:.0f} ms {verdict}")


if __name__ == "__main__":
    main()
