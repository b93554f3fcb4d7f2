"""Builds killed at named steps (PAPERSITE_PAUSE_AT, generator/engine/faults.py): the next
build always takes up the folder and leaves the new site whole, and no worker outlives
a killed build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_of_example, interruptible, warm_copy_of_example

from generator.build import build_site
from generator.engine.faults import PAUSE_VARIABLE
from generator.site.output import JOURNAL, PENDING


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def paused_build(root: Path, step: str) -> tuple[subprocess.Popen, int]:
    """`build` started and paused at `step`: the process and the pid of the paused one."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-C", str(root), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, PAUSE_VARIABLE: step},
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(f"paused at {step}, pid "):
            return process, int(line.rsplit(" ", 1)[1])
    raise AssertionError(f"the build ended without reaching {step}: {process.wait()}")


def alive(pid: int) -> bool:
    """Whether `pid` is a running process (a zombie waiting to be reaped is not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_a_first_build_killed_while_writing_is_taken_up_and_leaves_no_worker(tmp_path):
    """Killed half-way, a first build left an unmarked folder that every later build
    refused as someone else's, and its forked workers alive, waiting on a pipe."""
    root = copy_of_example(tmp_path / "example")
    process, paused = paused_build(root, "write")
    assert paused != process.pid  # a render worker: the example is rendered on every core
    kill(process)
    deadline = time.monotonic() + 10
    while alive(paused) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(paused), "a worker outlived its killed build"
    assert (root / "site").is_dir()
    again = build_site(root)
    expected = build_site(root, tmp_path / "clean").output
    assert snapshot(again.output) == snapshot(expected)


def test_a_build_killed_while_putting_files_in_place_is_finished_by_the_next(
    tmp_path, example_build
):
    """Killed between renames, an update leaves old and new pages mixed. The journal it
    wrote first lets the next build finish it before doing anything else, so the site is
    the new one, whole, even if that next build fails."""
    import pytest

    from generator.diagnostics import ContentError

    root = warm_copy_of_example(tmp_path / "example", example_build)
    build_site(root)
    theme = Path(__file__).resolve().parent.parent / "templates" / "base.html"
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(
        theme.read_text("utf-8").replace("</footer>", "<p>Edited.</p></footer>"), "utf-8"
    )
    expected = snapshot(build_site(root, tmp_path / "clean").output)
    process, paused = paused_build(root, "commit")
    assert paused == process.pid  # files are put in place by the build itself
    kill(process)
    site = root / "site"
    assert (site / JOURNAL).is_file()
    assert any(path.name.startswith(PENDING) for path in site.rglob("*"))  # a mixed site
    topics = root / "content" / "topics.yml"
    good = topics.read_text("utf-8")
    topics.write_text("topics: [oops\n", "utf-8")
    with pytest.raises(ContentError):
        build_site(root)
    assert not (site / JOURNAL).exists()
    assert snapshot(site) == expected
    topics.write_text(good, "utf-8")
    assert snapshot(build_site(root).output) == expected


def descendants(pid: int) -> set[int]:
    """Every process under `pid` (its workers), read from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found |= {child, *descendants(child)}
    return found


def visible(site: Path) -> dict[str, bytes]:
    """The site as a visitor or a deploy sees it: without a build's pending files."""
    return {
        path: data
        for path, data in snapshot(site).items()
        if not path.startswith(PENDING) and path != JOURNAL
    }


@pytest.mark.parametrize("step", ["write", "journal", "commit", "prune", "manifest"])
def test_an_update_killed_at_any_step_leaves_the_old_or_the_new_site(tmp_path, example_build, step):
    """An edit is being built when the build is SIGKILLed at `step`. Before its files are
    put in place the visitor sees the old site; from then on the next build finishes the
    new one. The next build leaves exactly the new site (no pending file, no journal),
    a build after it has nothing to do, and no worker outlives the killed build."""
    root = warm_copy_of_example(tmp_path / "example", example_build)
    old = snapshot(build_site(root).output)
    (root / "templates").mkdir()
    theme = Path(__file__).resolve().parent.parent / "templates" / "base.html"
    (root / "templates" / "base.html").write_text(
        theme.read_text("utf-8").replace("</footer>", "<p>Edited.</p></footer>"), "utf-8"
    )
    (root / "content" / "pages" / "about.md").unlink()  # a page the update deletes
    new = snapshot(build_site(root, tmp_path / "clean").output)
    assert "about/index.html" in old and "about/index.html" not in new
    process, paused = paused_build(root, step)
    workers = descendants(process.pid) - {paused}
    kill(process)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers | {paused}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers | {paused}), "a worker outlived its build"
    site = root / "site"
    if step in ("write", "journal"):
        assert visible(site) == old
    elif step in ("commit", "prune"):  # half put in place: the journal says how to finish
        assert (site / JOURNAL).is_file() and "about/index.html" in visible(site)
        assert visible(site) != old
    else:
        assert snapshot(site) == new
    again = build_site(root)
    assert snapshot(again.output) == new
    assert build_site(root).up_to_date


@pytest.mark.parametrize("step", ["write", "journal"])
def test_ctrl_c_is_one_line_exit_130_and_the_old_site(tmp_path, example_build, step):
    """Ctrl-C during a build printed 40 lines of traceback (from the build and each of its
    workers) and exited -2. The terminal sends SIGINT to the whole process group: one line,
    status 130, the old site as it was, and the next build makes the new one."""
    root = warm_copy_of_example(tmp_path / "example", example_build)
    old = snapshot(build_site(root).output)
    (root / "content" / "pages" / "about.md").write_text("# About\n\nEdited.\n", "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "-C", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, PAUSE_VARIABLE: step},
        start_new_session=True,  # its own group, as a terminal's foreground job
        preexec_fn=interruptible,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(f"paused at {step}"):
            break
    os.killpg(process.pid, signal.SIGINT)
    said = process.stderr.read()
    assert process.wait(timeout=20) == 130
    assert said.count("\n") == 1 and "Traceback" not in said, said
    assert said.startswith("papersite: interrupted; the previous site was left as it was")
    assert visible(root / "site") == old
    assert b"Edited." in build_site(root).output.joinpath("about", "index.html").read_bytes()
