"""Plugins: a site's hooks.py adds a reader, a page kind, a filter and a paper field with
no change to papersite; installed plugins by entry point; every mistake is one line."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from generator.build import build_site
from generator.diagnostics import ContentError
from generator.recipe import Change

HOOKS_SITE = FIXTURES / "hooks_site"
FOG = "papers/seeing-through-fog-with-event-cameras/"


@pytest.fixture
def hooks_site(tmp_path: Path) -> Path:
    root = tmp_path / "workshop"
    shutil.copytree(HOOKS_SITE, root)
    return root


def test_hooks_add_a_reader_a_page_kind_a_filter_and_a_paper_field(hooks_site):
    built = run_cli("build", "-C", str(hooks_site))
    assert built.returncode == 0, built.stderr
    assert "accepted.csv:4: warning: a row with no title: skipped" in built.stderr
    site = hooks_site / "site"
    # The reader: two papers from the CSV, with their authors and abstracts.
    paper = (site / FOG / "index.html").read_text("utf-8")
    assert "Ada Lovelace" in paper and "event cameras" in paper
    assert (site / "papers/small-vision-models-that-count/index.html").is_file()
    # The field on the paper page, in its Markdown twin too.
    assert "<strong>Track:</strong> Oral" in paper
    assert "**Track:** Oral" in (site / FOG / "index.md").read_text("utf-8")
    # The page kind, with the site's layout and the filter; linked from every header.
    tracks = (site / "tracks/index.html").read_text("utf-8")
    assert "ORAL!" in tracks and "POSTER!" in tracks
    assert 'href="../papers/seeing-through-fog-with-event-cameras/"' in tracks
    assert 'href="tracks/"' in (site / "index.html").read_text("utf-8")
    assert "https://example.org/workshop/tracks/" in (site / "sitemap.xml").read_text("utf-8")
    # Search finds what the reader read (the index is made from the papers as any are).
    index = b"".join(p.read_bytes() for p in (site / "assets" / "search").rglob("*"))
    assert b"lovelac" in index


def test_an_edit_of_hooks_py_builds_again(hooks_site):
    build_site(hooks_site, hooks_site / "site")
    hooks = hooks_site / "hooks.py"
    hooks.write_text(hooks.read_text("utf-8").replace('+ "!"', '+ "?!"'), "utf-8")
    report = build_site(hooks_site, hooks_site / "site")
    assert not report.up_to_date
    assert "ORAL?!" in (hooks_site / "site/tracks/index.html").read_text("utf-8")
    # and a reader's edit reaches the papers it reads (the parse cache knows the hooks)
    hooks.write_text(hooks.read_text("utf-8").replace('("Track", ', '("Session", '), "utf-8")
    build_site(hooks_site, hooks_site / "site")
    assert "<strong>Session:</strong> Oral" in (hooks_site / "site" / FOG / "index.html").read_text(
        "utf-8"
    )


@pytest.mark.parametrize(
    ("hooks", "said"),
    [
        ("def nav(parts)\n    yield 1\n", "hooks.py:1: error: hooks.py: expected ':'"),
        ("import os\nx = 1 / 0\n", "hooks.py:2: error: hooks.py failed as it loaded: "),
        ("def on_paper(paper):\n    return paper\n", "hooks.py:1: error: on_paper is not an event"),
        ("readers = ['.csv']\n", "hooks.py: error: readers must be a mapping"),
        ("readers = {'csv': print}\n", "'csv' is not a file extension"),
        ("filters = {}\nnav = 3\n", "hooks.py: error: nav must be a function"),
        (
            "def kind(parts):\n    return iter(())\n\npage_kinds = [kind]\n",
            None,  # a kind that makes no page is fine
        ),
        (
            "def kind(parts):\n    return [1 / 0]\n\npage_kinds = [kind]\n",
            "hooks.py:2: error: plugin hooks.py, page kind kind: ZeroDivisionError",
        ),
        (
            "def paper_fields(paper):\n    return [(paper.nothing, '')]\n",
            "hooks.py:2: error: plugin hooks.py, paper_fields: AttributeError",
        ),
        (
            "from generator.plugins import PlannedPage\n"
            "def kind(parts):\n    yield PlannedPage('/etc/x.html', 'page.html', dict)\n"
            "page_kinds = [kind]\n",
            "a page's path must be like 'venues/index.html'",
        ),
        (
            "from generator.plugins import PlannedPage\n"
            "def kind(parts):\n    yield PlannedPage('topics/index.html', 'page.html', dict)\n"
            "page_kinds = [kind]\n",
            "two pages at topics/index.html: one made by papersite, one by hooks.py",
        ),
        ("def data_files(parts):\n    return {'x.txt': 'text'}\n", "files must be relative"),
        ("def on_config(config):\n    return None\n", "returned NoneType, not a SiteConfig"),
    ],
)
def test_a_mistake_in_hooks_py_is_one_line_at_its_place(hooks_site, hooks, said, capsys):
    """Each through cli.main, as `python -m generator build` runs it (in this process: an
    exception it let through would fail the test)."""
    from generator.cli import main

    (hooks_site / "hooks.py").write_text(hooks, "utf-8")
    (hooks_site / "templates" / "tracks.html").unlink()
    shutil.copy(FIXTURES / "standard.txt", hooks_site / "content" / "listings")
    status = main(["build", "-C", str(hooks_site), "--quiet"])
    stderr = capsys.readouterr().err
    if said is None:
        assert status == 0, stderr
        return
    assert status == 1, stderr
    [line] = [line for line in stderr.splitlines() if "error:" in line]
    assert said in line
    assert line.startswith(str(hooks_site / "hooks.py")) or "two pages" in line


def test_an_unknown_plugin_in_site_yml_names_those_there_are(make_site):
    root = make_site("standard.txt", site_yml="title: T\nplugins:\n  - math\n  - maths\n")
    with pytest.raises(ContentError, match=r"no plugin named 'maths' \(built in or installed: "):
        build_site(root, root / "site")
    (root / "content" / "site.yml").write_text("title: T\nplugins: math\n", "utf-8")
    with pytest.raises(ContentError, match="plugins must be a list"):
        build_site(root, root / "site")


def test_an_installed_plugin_is_found_by_its_entry_point(make_site, tmp_path):
    """A package that registers a Plugin in the papersite.plugins group (installed here as
    a folder on the path with its .dist-info, as pip leaves it) is on when site.yml names
    it, and only then."""
    packages = tmp_path / "packages"
    (packages / "papersite_venues-1.0.dist-info").mkdir(parents=True)
    (packages / "papersite_venues-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: papersite-venues\nVersion: 1.0\n", "utf-8"
    )
    (packages / "papersite_venues-1.0.dist-info" / "entry_points.txt").write_text(
        "[papersite.plugins]\nvenues = papersite_venues:PLUGIN\n", "utf-8"
    )
    (packages / "papersite_venues.py").write_text(
        textwrap.dedent(
            """
            from generator.plugins import Plugin

            def loud(text):
                return text.upper()

            def files(parts):
                return {"venues.txt": str(len(parts.papers)).encode()}

            PLUGIN = Plugin("anything", filters={"loud": loud}, data_files=files)
            """
        ),
        "utf-8",
    )
    root = make_site("standard.txt", site_yml="title: T\nplugins: [venues]\n")
    env = {"PYTHONPATH": str(packages)}
    command = [sys.executable, "-m", "generator", "build", "-C", str(root)]
    built = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert built.returncode == 0, built.stderr
    count = (root / "site" / "venues.txt").read_text("utf-8")
    assert int(count) > 0
    (root / "content" / "site.yml").write_text("title: T\n", "utf-8")
    built = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert built.returncode == 0, built.stderr
    assert not (root / "site" / "venues.txt").exists()


def test_serve_rebuilds_after_an_edit_of_hooks_py_as_build_would(hooks_site, tmp_path):
    from generator.commands import serve
    from generator.commands.serve import LiveSite
    from generator.commands.watch import classify

    hooks = hooks_site / "hooks.py"
    assert classify({hooks}, hooks_site) is Change.CONTENT
    rebuilder = serve.Rebuilder(hooks_site, LiveSite(), lambda line: None)
    rebuilder.rebuild(Change.CONTENT)
    assert b"ORAL!" in rebuilder.site.files["tracks/index.html"]
    hooks.write_text(hooks.read_text("utf-8").replace('+ "!"', '+ "?!"'), "utf-8")
    rebuilder.rebuild(Change.CONTENT)
    assert rebuilder.site.error is None
    assert b"ORAL?!" in rebuilder.site.files["tracks/index.html"]
    rebuilder.rebuild(Change.LAYOUTS)  # the layouts again, with the filter of the new hooks.py
    assert b"ORAL?!" in rebuilder.site.files["tracks/index.html"]
    output = tmp_path / "built"
    build_site(hooks_site, output)
    built = {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.is_file() and p.name != ".papersite"
    }
    assert rebuilder.site.files.keys() == built.keys()
    assert [path for path in built if rebuilder.site.files[path] != built[path]] == []
