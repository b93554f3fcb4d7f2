"""The code is formatted, lint-clean (ruff) and type-checks (mypy --strict), as CI requires."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=REPO, capture_output=True, text=True
    )


def test_ruff_check():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_no_errors():
    """The package type-checks under mypy --strict ([tool.mypy] in pyproject.toml)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# A test file without the browser, and two with it (directly, and through a fixture):
# collecting every file took 10 s of the suite.
SOME_FILES = ["tests/test_slugs.py", "tests/test_search_browser.py", "tests/test_layout_browser.py"]


def test_not_browser_runs_only_the_tests_without_chromium():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not browser", *SOME_FILES],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = result.stdout
    assert "tests/test_slugs.py::" in collected
    assert "tests/test_search_browser.py::" not in collected
    assert "tests/test_layout_browser.py::" not in collected
