"""Lighthouse (mobile) scores of the example site's pages, served as GitHub Pages serves
them (gzip, from one local server), against issue 21's floor of 0.98 in every category.

Lighthouse comes from npm, installed beforehand (nothing downloads here):

    npm install --prefix .cache/npm --no-save --no-audit --no-fund lighthouse@12.8.2
    python benchmarks/lighthouse.py [--runs 3] [--lighthouse PATH]

It runs Debian's Chromium (CHROME_PATH, /usr/bin/chromium unless set) headless with its default
mobile settings: simulated slow 4G and a 4x slower CPU. Each page is measured `--runs`
times, one run at a time; printed are the lowest and the median score of each category,
the median largest contentful paint, and whether every run held the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_first_query import serve  # noqa: E402

from generator.build import build_site  # noqa: E402

FLOOR = 0.98
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The pages issue 21 names (home, paper, collection, search), and deep-linked searches.
PAGES = (
    ("home", ""),
    ("paper", "papers/an-image-is-worth-16x16-words-transformers-for-image/"),
    ("topic", "topics/image-recognition/"),
    ("topic by title", "topics/image-recognition/by/title/"),
    ("search", "search/"),
    ("search ?q=vision", "search/?q=vision"),
    ("search ?q=image", "search/?q=image"),
    ("search ?q=vision transformer", "search/?q=vision+transformer"),
)
CHROMIUM = Path("/usr/bin/chromium")


def find_lighthouse(given: str | None) -> Path:
    """The lighthouse command: given, on PATH, or in the checkout's npm folder."""
    for candidate in (
        given,
        shutil.which("lighthouse"),
        str(ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "lighthouse"),
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    sys.exit(
        "lighthouse is not installed: npm install --prefix .cache/npm --no-save --no-audit"
        " --no-fund lighthouse@12.8.2 (or pass --lighthouse PATH)"
    )


def one_run(lighthouse: Path, url: str, report: Path) -> tuple[dict[str, float], float]:
    """The four category scores (0 for one Lighthouse could not score) and the largest
    contentful paint (ms) of one run."""
    done = subprocess.run(
        [
            str(lighthouse),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
        ],
        env={"CHROME_PATH": str(CHROMIUM), **os.environ},  # (the reader's own, if set)
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{done.stderr}")
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: result["categories"][name]["score"] or 0.0 for name in CATEGORIES}
    return scores, result["audits"]["largest-contentful-paint"]["numericValue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lighthouse", help="the lighthouse command (default: found)")
    args = parser.parse_args()
    lighthouse = find_lighthouse(args.lighthouse)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "example"
        shutil.copytree(ROOT / "content", root / "content")
        site = Path(work) / "site"
        build_site(root, site)
        base, server = serve(site)
        print(f"Lighthouse (mobile), {args.runs} run(s) a page, gzip as GitHub Pages serves it")
        print(f"{'page':>30}  " + "  ".join(f"{name:>14}" for name in CATEGORIES) + "      LCP")
        held = True
        try:
            for label, path in PAGES:
                runs = [
                    one_run(lighthouse, base + path, Path(work) / "report.json")
                    for _ in range(args.runs)
                ]
                cells = []
                for name in CATEGORIES:
                    scores = [scores[name] for scores, _ in runs]
                    held = held and min(scores) >= FLOOR
                    cells.append(f"{min(scores):.2f} / {statistics.median(scores):.2f}")
                paint = statistics.median(paint for _, paint in runs) / 1000
                print(f"{label:>30}  " + "  ".join(f"{c:>14}" for c in cells) + f"  {paint:5.2f} s")
        finally:
            server.shutdown()
            server.server_close()
    print("(lowest / median score; LCP: median, simulated)")
    print(f"every run >= {FLOOR} in every category: {'met' if held else 'NOT met'}")


if __name__ == "__main__":
    main()
