"""The command line as users run it: one readable line per error, exit codes, safety."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli, run_on_terminal

run = run_cli


def built(make_site) -> Path:
    root = make_site("standard.txt", "glued.txt")
    result = run("build", "-C", str(root))
    assert result.returncode == 0, result.stderr
    return root


def site_snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("build", "serve", "deploy", "new"):
        assert command in result.stdout


def test_usage_error_exits_2():
    assert run("build", "--no-such-flag").returncode == 2


def test_build_prints_a_summary(make_site):
    root = make_site("standard.txt", "glued.txt")
    result = run("build", "-C", str(root))
    assert result.returncode == 0
    assert result.stdout.startswith("Built 4 papers, 2 topics, ")
    assert (root / "site" / "index.html").is_file()


@pytest.mark.parametrize(
    ("file", "text", "expected"),
    [
        ("site.yml", "title: T\nlistings: [oops\n", "site.yml:3: error: invalid YAML"),
        (
            "site.yml",
            "description: no title\n",
            "site.yml:1: error: missing required field 'title'",
        ),
        (
            "site.yml",
            "title: T\nurll: https://x.org/\n",
            "site.yml:2: error: unknown key 'urll' in site.yml; did you mean 'url'?",
        ),
        (
            "site.yml",
            "title: T\npage_size: 0\n",
            "site.yml:2: error: page_size must be a whole number of papers per page, 1 or more",
        ),
        (
            "site.yml",
            'title: T\npage_size: "10"\n',
            "site.yml:2: error: page_size must be a whole number of papers per page, 1 or "
            "more: '10' (text: write it without quotes)",
        ),
        (
            "topics.yml",
            "topics:\n  - name: A\n    keyword: [a]\n",
            "topics.yml:3: error: unknown key 'keyword' in a topic; did you mean 'keywords'?",
        ),
        ("topics.yml", "topics:\n  - name: A\n", "topics.yml:2: error: topic 'A' needs a list"),
    ],
)
def test_config_errors_are_one_line_and_keep_the_old_site(make_site, file, text, expected):
    root = built(make_site)
    before = site_snapshot(root / "site")
    (root / "content" / file).write_text(text, encoding="utf-8")
    result = run("build", "-C", str(root))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"content/{expected}" in line
    assert "Traceback" not in result.stderr
    assert site_snapshot(root / "site") == before


def test_template_syntax_error_names_the_template_line(make_site):
    root = built(make_site)
    before = site_snapshot(root / "site")
    (root / "templates").mkdir()
    (root / "templates" / "paper.md").write_text("# {{ paper.title }}\n{% if %}\n", "utf-8")
    result = run("build", "-C", str(root))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "templates/paper.md:2: error: Expected an expression" in line
    assert site_snapshot(root / "site") == before


def test_template_runtime_error_names_the_template(make_site):
    root = built(make_site)
    (root / "templates").mkdir()
    (root / "templates" / "collection.md").write_text("# {{ collection.nmae }}\n", "utf-8")
    result = run("build", "-C", str(root))
    assert result.returncode == 1
    assert "collection.md:1: error: template error:" in result.stderr
    assert "nmae" in result.stderr


def test_strict_turns_warnings_into_errors(make_site):
    root = make_site("standard.txt", "truncated.txt")
    lenient = run("build", "-C", str(root))
    assert lenient.returncode == 0
    assert "truncated.txt:5: warning: title without an abstract" in lenient.stderr
    before = site_snapshot(root / "site")
    strict = run("build", "-C", str(root), "--strict")
    assert strict.returncode == 1
    assert "truncated.txt:5: warning:" in strict.stderr
    assert "--strict" in strict.stderr
    assert site_snapshot(root / "site") == before


def test_refuses_to_clear_a_folder_it_did_not_create(make_site, tmp_path):
    root = make_site("standard.txt")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work", "utf-8")
    result = run("build", "-C", str(root), "--output", str(precious))
    assert result.returncode == 1
    assert "not made by papersite" in result.stderr
    assert (precious / "thesis.tex").read_text("utf-8") == "years of work"
    assert list(precious.iterdir()) == [precious / "thesis.tex"]


def test_rebuild_replaces_its_own_output_and_leaves_no_temporary_folders(make_site):
    root = built(make_site)
    (root / "site" / "stale.html").write_text("old", "utf-8")
    assert run("build", "-C", str(root)).returncode == 0
    assert not (root / "site" / "stale.html").exists()
    assert sorted(path.name for path in root.iterdir()) == [".papersite-cache", "content", "site"]


def test_base_url_flag_sets_absolute_urls(make_site):
    root = make_site("standard.txt")
    assert run("build", "-C", str(root), "--base-url", "https://me.github.io/repo").returncode == 0
    assert "<loc>https://me.github.io/repo/papers/" in (root / "site" / "sitemap.xml").read_text()


def test_missing_site_yml_is_a_clear_error(tmp_path):
    result = run("build", "-C", str(tmp_path))
    assert result.returncode == 1
    assert "no site.yml here" in result.stderr


def test_progress_shows_on_a_terminal_only(make_site):
    dated = "listings:\n  standard: {date: 2024-03-14}\n  glued: {date: 2024-03-14}\n"
    site_yml = "title: Test Site\nurl: https://example.org/test/\n" + dated
    root = make_site("standard.txt", "glued.txt", site_yml=site_yml)
    status, shown = run_on_terminal(["build", "-C", str(root)])
    assert status == 0
    for stage in (b"parse", b"topics", b"related", b"render"):
        assert stage in shown
    assert b"\r" in shown
    shutil.rmtree(root / ".papersite-cache")  # so the next builds really build
    piped = run("build", "-C", str(root))  # stderr is a pipe here: no progress
    assert piped.stdout.startswith("Built ")
    assert "parse" not in piped.stderr and "\r" not in piped.stderr
    shutil.rmtree(root / ".papersite-cache")
    quiet = run("build", "-C", str(root), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def modules_a_build_loads(root: Path) -> set[str]:
    code = (
        "import sys; from generator.cli import main; main(['build', '--quiet', '-C', sys.argv[1]]);"
        "print(' '.join(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_build_loads_only_what_it_runs(make_site):
    """`build` never imports serve, deploy, new or fetch, nor their dependencies, nor
    importlib.metadata (20-50 ms: the cache reads the libraries' versions itself; only a
    site.yml with a plugins: setting has the installed plugins looked up); a build with
    nothing to do imports none of the stages either."""
    root = make_site("standard.txt")
    loaded = modules_a_build_loads(root)
    assert {"generator.build", "generator.recipe", "jinja2", "markdown_it"} <= loaded
    for unwanted in (
        "generator.commands.serve",
        "generator.commands.watch",
        "generator.commands.deploy",
        "generator.commands.newsite",
        "generator.commands.fetch",
        "watchdog",
        "ghp_import",
        "huggingface_hub",
        "http.server",
        "importlib.metadata",
    ):
        assert unwanted not in loaded, unwanted
    unchanged = modules_a_build_loads(root)
    stages = ("generator.recipe", "generator.incremental", "generator.content.config")
    stages += ("generator.catalog", "generator.search", "generator.site.pages")
    assert [name for name in unchanged if name.startswith(stages)] == []
    for library in ("jinja2", "markdown_it", "lunr", "PIL", "yaml", "bibtexparser"):
        assert library not in unchanged, library
    assert "importlib.metadata" not in unchanged


def test_the_old_sources_folder_still_works_with_a_warning(make_site):
    """The listings' folder is now content/listings/; a site whose files are still in
    content/sources/ builds the same, is told to rename it, and both at once is one line."""
    root = make_site("standard.txt")
    new = run_cli("build", "-C", str(root))
    assert new.returncode == 0 and "is now called" not in new.stderr, new.stderr
    expected = (root / "site" / "listings" / "standard" / "index.html").read_bytes()
    (root / "content" / "listings").rename(root / "content" / "sources")
    old = run_cli("build", "-C", str(root))
    assert old.returncode == 0, old.stderr
    assert "sources: warning: content/sources/ is now called content/listings/" in old.stderr
    assert (root / "site" / "listings" / "standard" / "index.html").read_bytes() == expected
    (root / "content" / "listings").mkdir()  # a move begun: one listing in the new folder
    (root / "content" / "sources" / "standard.txt").rename(
        root / "content" / "listings" / "standard.txt"
    )
    (root / "content" / "sources" / "other.txt").write_text("", "utf-8")
    clash = run_cli("build", "-C", str(root))
    assert clash.returncode == 1
    assert "error: both content/listings/ and content/sources/ (its old name) exist" in (
        clash.stderr
    )


def test_the_old_sources_key_still_works_with_a_warning(make_site):
    """site.yml's listing settings are now listings:; a site that still says sources:
    builds the same, and is told where to rename it."""
    settings = "  standard:\n    name: The standard list\n"
    root = make_site("standard.txt", site_yml=f"title: T\nlistings:\n{settings}")
    new = run_cli("build", "-C", str(root))
    assert new.returncode == 0 and "sources:" not in new.stderr, new.stderr
    expected = (root / "site" / "listings" / "standard" / "index.html").read_bytes()
    (root / "content" / "site.yml").write_text(f"title: T\nsources:\n{settings}", "utf-8")
    old = run_cli("build", "-C", str(root))
    assert old.returncode == 0, old.stderr
    assert "site.yml:2: warning: sources: is now called listings:" in old.stderr
    assert (root / "site" / "listings" / "standard" / "index.html").read_bytes() == expected
    assert b"The standard list" in expected
    both = f"title: T\nlistings:\n{settings}sources:\n{settings}"
    (root / "content" / "site.yml").write_text(both, "utf-8")
    clash = run_cli("build", "-C", str(root))
    assert clash.returncode == 1
    assert "site.yml:5: error: both listings: and sources:" in clash.stderr
