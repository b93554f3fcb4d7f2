"""Faults in sequences: random runs of edits, builds killed at every named step or at a
random moment, failing builds and good ones, checked after every step.

After each step the site a visitor sees is exactly one of the content versions built so
far, or, while a killed build's journal stands, becomes exactly the version it was
putting in place once recovered; after the next good build it is exactly a clean build
of the content. CI runs a short sequence; a long one on demand:

    PAPERSITE_SEQUENCE_STEPS=300 python -m pytest tests/test_fault_sequences.py
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.build import build_site
from generator.diagnostics import ContentError
from generator.engine.faults import PAUSE_VARIABLE
from generator.site import output

STEPS = int(os.environ.get("PAPERSITE_SEQUENCE_STEPS", "10"))
PAUSES = ("write", "journal", "commit", "prune", "manifest")


def snapshot(site: Path) -> dict[str, bytes]:
    """The site as a visitor or a deploy sees it (no pack, no journal)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not p.name.startswith(output.PENDING) and p.name != output.JOURNAL
    }


def recovered(site: Path, scratch: Path) -> dict[str, bytes]:
    """What the next build's recovery makes of the site, tried on a copy."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch)
    output.recover(scratch)
    return snapshot(scratch)


class Sequence:
    """One site, its content versions, and a clean build of each."""

    def __init__(self, root: Path, work: Path, rng: random.Random) -> None:
        self.root, self.work, self.rng = root, work, rng
        self.version = 0
        self.clean: list[dict[str, bytes]] = []
        self.edit()

    def edit(self) -> None:
        """A new version of the content: an edited page, a page added, an old one gone."""
        pages = self.root / "content" / "pages"
        pages.mkdir(exist_ok=True)
        for old in pages.glob("extra-*.md"):
            if self.rng.random() < 0.5:
                old.unlink()
        (pages / f"extra-{self.version}.md").write_text(f"# Extra {self.version}\n", "utf-8")
        words = " ".join(self.rng.choice(["alpha", "beta", "gamma"]) for _ in range(5))
        (pages / "about.md").write_text(f"# About\n\nVersion {self.version}: {words}.\n")
        clean = self.work / f"clean-{self.version}"
        self.clean.append(snapshot(build_site(self.root, clean).output))
        shutil.rmtree(clean)

    def killed(self, step: str | None) -> None:
        """A build killed (SIGKILL to its whole group) at a named step, or at a random
        moment when `step` is None."""
        environment = {**os.environ, PAUSE_VARIABLE: step or ""}
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "build", "-C", str(self.root), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            start_new_session=True,
        )
        assert process.stderr is not None
        if step is None:
            time.sleep(self.rng.uniform(0.0, 0.8))
        else:
            for line in process.stderr:
                if line.startswith(f"paused at {step}"):
                    break
        with contextlib.suppress(ProcessLookupError):  # it may have finished
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()

    def failing(self) -> None:
        """A build that fails on bad content; the content is then put back."""
        topics = self.root / "content" / "topics.yml"
        good = topics.read_text("utf-8")
        topics.write_text("topics: [oops\n", "utf-8")
        try:
            with pytest.raises(ContentError):
                build_site(self.root)
        finally:
            topics.write_text(good, "utf-8")

    def check(self, what: str) -> None:
        site = self.root / "site"
        seen = snapshot(site)
        if (site / output.JOURNAL).exists():
            assert recovered(site, self.work / "scratch") in self.clean, what
        else:
            assert seen in self.clean, f"{what}: the site is no version of the content"


def test_random_sequences_of_edits_kills_failures_and_builds(make_site, tmp_path):
    rng = random.Random(int(os.environ.get("PAPERSITE_SEQUENCE_SEED", "21")))
    root = make_site("standard.txt", "glued.txt")
    sequence = Sequence(root, tmp_path, rng)
    build_site(root)
    done = []
    for number in range(STEPS):
        if rng.random() < 0.6:
            sequence.version += 1
            sequence.edit()
        roll = rng.random()
        if roll < 0.45:
            step = rng.choice(PAUSES)
            sequence.killed(step)
            what = f"killed at {step}"
        elif roll < 0.6:
            sequence.killed(None)
            what = "killed at a random moment"
        elif roll < 0.75:
            sequence.failing()
            what = "a failing build"
        else:
            report = build_site(root)
            assert snapshot(report.output) == sequence.clean[-1], "a good build"
            what = "a good build"
        done.append(what)
        sequence.check(f"step {number} ({', '.join(done[-3:])})")
    assert snapshot(build_site(root).output) == sequence.clean[-1]
    assert not list((root / "site").glob(f"{output.PENDING}*"))
    assert not (root / "site" / output.JOURNAL).exists()


@pytest.mark.parametrize("second", ["journal", "commit", "prune"])
def test_two_kills_in_a_row_then_a_failing_build(make_site, tmp_path, second):
    """The sequence that once published text from no version of the content: a build
    killed while writing, an edit, a build killed while putting its files in place, then
    a build that fails. The failing build's recovery finishes the second build only (the
    first one's files are discarded), and the next good build is the clean one."""
    rng = random.Random(5)
    root = make_site("standard.txt", "glued.txt")
    sequence = Sequence(root, tmp_path, rng)
    build_site(root)
    sequence.version += 1
    sequence.edit()
    sequence.killed("write")
    sequence.check("killed at write")
    sequence.version += 1
    sequence.edit()
    sequence.killed(second)
    sequence.check(f"killed at {second}")
    sequence.failing()
    site = root / "site"
    assert snapshot(site) in sequence.clean[1:] and not (site / output.JOURNAL).exists()
    if second != "journal":  # its files were being put in place: finished
        assert snapshot(site) == sequence.clean[2]
    assert snapshot(build_site(root).output) == sequence.clean[2]
