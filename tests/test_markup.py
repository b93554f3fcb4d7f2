"""Valid HTML: the W3C Nu checker (vnu.jar, from npm's vnu-jar) on one page of each kind."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

VNU_VERSION = "26.9.27"
VNU_JAR = REPO / ".cache" / "npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = f"npm install --prefix .cache/npm --no-save vnu-jar@{VNU_VERSION}"


def vnu_command() -> list[str]:
    jar = Path(os.environ.get("PAPERSITE_VNU_JAR", VNU_JAR))
    java = shutil.which("java")
    if java is None or not jar.is_file():
        pytest.fail(f"the Nu checker needs Java and {jar}: run {INSTALL} (README, Tests)")
    # The JIT's quick tier only (a check is over in seconds; the optimizing tier took half
    # of its CPU), with the deeper stack the quick tier's frames need (the checker's schema
    # overflowed 1 MB).
    quick = ["-XX:TieredStopAtLevel=1", "-Xss32m"]
    return [java, *quick, "-jar", str(jar), "--errors-only", "--format", "gnu"]


def one_of_each_kind(site: Path) -> list[Path]:
    def first(folder: str) -> Path:
        found = sorted(
            path
            for path in (site / folder).iterdir()
            if path.is_dir() and path.name not in {"by", "page"}
        )
        return found[0] / "index.html"

    return [
        site / "index.html",
        site / "papers" / "index.html",
        site / "papers" / "by" / "date" / "index.html",
        first("papers"),
        site / "topics" / "index.html",
        first("topics"),
        site / "listings" / "index.html",
        first("listings"),
        site / "authors" / "index.html",
        first("authors"),
        site / "search" / "index.html",
        site / "about" / "index.html",
        site / "404.html",
    ]


def test_every_kind_of_page_is_valid_html(example_build):
    pages = one_of_each_kind(example_build.output)
    assert all(page.is_file() for page in pages)
    result = subprocess.run(
        [*vnu_command(), *map(str, pages)], capture_output=True, text=True, timeout=300
    )
    assert result.stderr.strip() == "" and result.returncode == 0, result.stderr


def test_the_checker_catches_what_it_should(tmp_path):
    """The check above can fail: the combobox on a search input it once found on every page."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title><label for="q">Q</label>'
        '<input id="q" type="search" role="combobox" aria-expanded="false" aria-controls="l">'
        '<ul id="l" role="listbox"></ul></html>',
        encoding="utf-8",
    )
    result = subprocess.run([*vnu_command(), str(page)], capture_output=True, text=True)
    assert result.returncode == 1 and "combobox" in result.stderr
