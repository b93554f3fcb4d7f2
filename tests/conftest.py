"""Shared fixtures: the real example site built once, and tiny sites made per test."""

from __future__ import annotations

import compileall
import fcntl
import http.server
import os
import pickle
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from pagesserver import serving

from generator.build import BuildReport, build_site
from generator.engine.cache import FOLDER
from generator.incremental import SHARED

REPO = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` as a user runs it, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_on_terminal(args: list[str], env: dict[str, str] | None = None) -> tuple[int, bytes]:
    """`python -m generator ARGS` with stderr on a terminal (a pty of 100 columns): the
    exit status and all it wrote there."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    return process.wait(timeout=60), shown


def copy_of_theme(folder: Path) -> Path:
    """The theme's templates and assets copied to `folder` (a site's own templates/), without
    the compiled templates kept beside them (other builds may be writing those)."""
    shutil.copytree(REPO / "templates", folder, ignore=shutil.ignore_patterns(SHARED))
    return folder


@pytest.fixture
def own_theme(tmp_path, monkeypatch) -> Path:
    """A copy of the theme that this test's builds take for papersite's: the compiled
    templates they keep beside the theme go there (a test that changes papersite's salt
    would otherwise clear the repository's theme of every other test's)."""
    import generator.content.templates as templates

    theme = copy_of_theme(tmp_path / "theme")
    monkeypatch.setattr(templates, "default_theme", lambda: theme)
    return theme


def copy_of_example(folder: Path) -> Path:
    """The example site's content copied to `folder`: a build there starts cold, with a cache
    of its own, and never reads or writes the repository's .papersite-cache."""
    shutil.copytree(REPO / "content", folder / "content")
    return folder


def warm_copy_of_example(folder: Path, example_build: BuildReport) -> Path:
    """The example's content copied to `folder`, with a copy of the cache its session build
    made (`example_build`): for a test whose subject is not a cold build, the first build
    reuses the search index, the social cards, the Markdown and the compiled templates
    (1.0 s of CPU instead of 2.5 s) and still renders and writes every page."""
    copy_of_example(folder)
    shutil.copytree(example_build.output.parent / FOLDER, folder / FOLDER)
    return folder


def once_a_run(request: pytest.FixtureRequest, name: str, make: Callable[[Path], T]) -> T:
    """What `make` returns for an empty folder, made by the first test process of the run
    that asks and read back (pickled) by the others: each of the `-n auto` workers made
    its own example build and wheel (2 x 3.5 s of CPU more in a run). A make that fails
    leaves nothing: the next process to ask makes it again. Only an xdist worker (known
    by its config, not by the environment a pytest it starts would inherit) shares the
    folder above its own, which is the run's."""
    factory = request.getfixturevalue("tmp_path_factory")
    worker = hasattr(request.config, "workerinput")
    shared = factory.getbasetemp().parent if worker else factory.getbasetemp()
    folder, made = shared / name, shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if made.is_file():
            result: T = pickle.loads(made.read_bytes())
            return result
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        result = make(folder)
        made.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def papersite_wheel(request: pytest.FixtureRequest) -> Path:
    """papersite as `pip wheel` packages this checkout (no dependencies), from a copy of
    it: setuptools reuses a build/ folder, which may hold files the checkout no longer has.
    The virtual environment the README makes (.venv, ~800 MB) is not part of it."""
    return once_a_run(request, "wheel", make_wheel)


def make_wheel(folder: Path) -> Path:
    """The wheel, made in `folder` from a copy of the checkout."""
    source = folder / "source" / "papersite"
    anywhere = shutil.ignore_patterns("*.egg-info", ".*cache", "__pycache__")

    def leftovers(directory: str, names: list[str]) -> set[str]:
        top = {"build", "dist", "site", ".git", ".venv", "venv", ".hypothesis", "node_modules"}
        top = top if Path(directory) == REPO else set()
        return anywhere(directory, names) | (top & set(names))

    shutil.copytree(REPO, source, ignore=leftovers)
    dist = folder / "dist"
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    [wheel] = dist.glob("papersite-*.whl")
    return wheel


def interruptible() -> None:
    """For a subprocess a test stops with SIGINT (Ctrl-C): SIGINT as a terminal leaves it.
    A shell's background job, and the processes it starts (a CI script run with `&`),
    ignore SIGINT, and Python then never raises KeyboardInterrupt: the test would wait."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def example_build(request: pytest.FixtureRequest) -> BuildReport:
    """The example site of the repository, built cold from the real corpus (once a run:
    tests read it and copy it, and none writes to it)."""
    return once_a_run(request, "example", build_example)


def build_example(folder: Path) -> BuildReport:
    """The example's content copied to `folder` and built there, into its site/."""
    root = copy_of_example(folder)
    return build_site(root, root / "site")


@pytest.fixture
def make_site(tmp_path: Path):
    """A small site root: site.yml, topics.yml and the given listing fixtures."""

    def make(*listings: str, site_yml: str | None = None, topics_yml: str | None = None) -> Path:
        root = tmp_path / "mysite"
        (root / "content" / "listings").mkdir(parents=True)
        for name in listings:
            shutil.copy(FIXTURES / name, root / "content" / "listings" / name)
        (root / "content" / "site.yml").write_text(
            site_yml or "title: Test Site\nurl: https://example.org/test/\n", encoding="utf-8"
        )
        (root / "content" / "topics.yml").write_text(
            topics_yml
            or "fallback: other\n"
            "topics:\n"
            "  - name: Transformers\n    keywords: [transformer, attention]\n"
            "  - name: Other\n    keywords: [computer vision]\n",
            encoding="utf-8",
        )
        return root

    return make


def pytest_configure(config: pytest.Config) -> None:
    """papersite's modules compiled once, before the tests start the hundreds of
    `python -m generator` processes they run: where PYTHONDONTWRITEBYTECODE is set (as
    on the CI machines), each would compile them again (0.07 s of CPU a process)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # the run's first process only
        compileall.compile_dir(REPO / "generator", quiet=2)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the browser (directly or through a fixture) is marked
    `browser`, so `python -m pytest -m "not browser"` runs the rest in a minute."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(chromium):
    """A desktop-sized page that fails its test on any script error or dialog (a test file
    with pages of its own defines `page` itself)."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    yield page
    assert errors == []
    page.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (browsers cannot be downloaded here)."""
    try:
        from playwright import sync_api
    except ImportError:  # never skipped: the browser tests are what users touch
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Debian chromium is not installed: apt-get install -y chromium")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(directory: Path):
    """Serve a folder on a free port of 127.0.0.1; yields the base URL."""
    return serving(_QuietHandler, directory)


@pytest.fixture(scope="session")
def example_url(example_build):
    with serve_directory(example_build.output) as url:
        yield url


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: a worker more than there are cores. The browser and serve tests wait on
    Chromium and on clocks more than they compute, and the spare worker keeps the cores
    busy meanwhile (2 cores: 3 workers). Each worker drives a Chromium of its own."""
    return (os.cpu_count() or 1) + 1
