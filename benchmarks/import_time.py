"""What `python -m generator build` spends importing, before it reads any content.

Run from the repository root:

    python benchmarks/import_time.py [--runs 15] [--tree PATH]

Each run is a fresh `python -X importtime -c "import generator.cli; ..."` that imports
what a build imports (the CLI and the recipe); the figure is the cumulative import time
of those modules, median of the runs, and the heaviest modules under them. `--tree`
measures another checkout of papersite (e.g. an older commit in a git worktree).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `build` imports before it runs: the command line, then the recipe (cli.main
# imports build at the top of the module; commands are imported only when run).
PROGRAM = "import generator.cli, generator.build"
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def one_run(tree: Path) -> tuple[float, dict[str, float], set[str]]:
    """Seconds to import the build's modules; each module's cumulative seconds; the
    modules loaded."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", PROGRAM],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tree,
        check=True,
    )
    total, cumulative, loaded = 0.0, {}, set()
    for line in done.stderr.splitlines():
        match = LINE.match(line)
        if not match:
            continue
        _, whole, indent, name = match.groups()
        loaded.add(name)
        cumulative[name] = int(whole) / 1e6
        if not indent:  # a top-level import of the program: it counts whole
            total += int(whole) / 1e6
    return total, cumulative, loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tree", type=Path, default=ROOT)
    args = parser.parse_args()
    runs = [one_run(args.tree.resolve()) for _ in range(args.runs)]
    totals = sorted(total for total, _, _ in runs)
    print(f"{args.tree}: imports for a build: median {statistics.median(totals) * 1000:.0f} ms")
    print(f"  (min {totals[0] * 1000:.0f} ms, max {totals[-1] * 1000:.0f} ms, {args.runs} runs)")
    loaded = runs[0][2]
    third_party = sorted({name.split(".")[0] for name in loaded} - {"generator"})
    heavy = ("jinja2", "markdown_it", "yaml", "PIL", "lunr", "watchdog", "huggingface_hub")
    print("  loaded:", ", ".join(name for name in heavy if name in third_party) or "none")
    medians = {
        name: statistics.median(run[1].get(name, 0.0) for run in runs)
        for name in runs[0][1]
        if name.startswith("generator.") and name.count(".") == 1
    }
    for name, seconds in sorted(medians.items(), key=lambda item: -item[1])[:8]:
        print(f"  {name:34} {seconds * 1000:6.1f} ms (with what it imports)")


if __name__ == "__main__":
    main()
