"""What `python -m generator build` spends importing, before it reads any content.

Run from the repository root:

    python benchmarks/import_time.py [--runs 15] [--tree PATH]

Each run is a fresh `python -X importtime -c "import ..."` of what a build imports: the
command line and build.py (all a build with nothing to do needs), then the recipe and its
stages (what a build with work adds). The figures are the cumulative import times, median
of the runs, and the heaviest modules. `--tree` measures another checkout of papersite
(e.g. an older commit in a git worktree); modules it does not have are left out.
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
# What a build imports: the command line and build.py, then (when there is work) the recipe.
PROGRAMS = {
    "no-change build": "import generator.cli, generator.build",
    "build with work": (
        "import generator.cli, generator.build\n"
        "try:\n    import generator.recipe\nexcept ImportError:\n    pass"
    ),
}
LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def one_run(tree: Path, program: str) -> tuple[float, dict[str, float], set[str]]:
    """Seconds to import the build's modules; each module's cumulative seconds; the
    modules loaded."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", program],
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
    for label, program in PROGRAMS.items():
        runs = [one_run(args.tree.resolve(), program) for _ in range(args.runs)]
        totals = sorted(total for total, _, _ in runs)
        median = statistics.median(totals) * 1000
        print(f"{args.tree} {label}: imports median {median:.0f} ms", end=" ")
        print(f"(min {totals[0] * 1000:.0f}, max {totals[-1] * 1000:.0f}; {args.runs} runs)")
        loaded = {name.split(".")[0] for name in runs[0][2]}
        heavy = ("jinja2", "markdown_it", "yaml", "PIL", "lunr", "watchdog", "http")
        found = [name for name in heavy if name in loaded]
        print("  loads", ", ".join(found) if found else "none of " + ", ".join(heavy))
        medians = {
            name: statistics.median(run[1].get(name, 0.0) for run in runs)
            for name in runs[0][1]
            if name.startswith("generator.")
        }
        for name, seconds in sorted(medians.items(), key=lambda item: -item[1])[:5]:
            print(f"  {name:34} {seconds * 1000:6.1f} ms (with what it imports)")


if __name__ == "__main__":
    main()
