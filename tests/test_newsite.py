"""`new DIR`: a scaffolded site builds out of the box and passes the link checker."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from sitecheck import check_site

from generator.commands.newsite import SCAFFOLD

run = run_cli


def test_new_site_builds_and_links_resolve(tmp_path):
    target = tmp_path / "my-papers"
    result = run("new", str(target))
    assert result.returncode == 0, result.stderr
    for name in [
        "content/site.yml",
        "content/topics.yml",
        "content/listings/example-listing.txt",
        ".github/workflows/pages.yml",
        ".gitignore",
        "requirements.txt",
    ]:
        assert (target / name).is_file(), name
    assert not (target / "templates").exists()  # the installed theme is used
    built = run("build", cwd=target)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 3 papers, 3 topics")
    assert "warning: no url" in built.stderr  # until the site's address is known
    assert check_site(target / "site") == ([], [])


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run("new", str(tmp_path))
    assert result.returncode == 1
    assert "not empty" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("below", ["site", "a/b/site"])
def test_new_under_a_file_is_one_line_naming_the_file(tmp_path, below):
    """Deeper than one folder under a file, `new` said 'Not a directory (the previous site
    was left as it was)': no file named, and no site was there."""
    (tmp_path / "notes.txt").write_text("mine")
    result = run("new", str(tmp_path / "notes.txt" / below))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"papersite: error: {tmp_path / 'notes.txt'} is a file, not a folder\n"
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_the_repository_publishes_with_the_same_workflow():
    ours = (REPO / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    assert ours == (SCAFFOLD / "github" / "workflows" / "pages.yml").read_text("utf-8")
    for needed in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
        "if: github.ref_name == github.event.repository.default_branch",
        "python -m generator build --base-url",
    ]:
        assert needed in ours, needed


def test_the_workflow_publishes_from_the_default_branch_whatever_its_name():
    """`git init` makes master on many machines: a workflow that ran only on pushes to
    main never published. It runs on every push, and publishes from the default branch."""
    import yaml

    workflow = yaml.safe_load((SCAFFOLD / "github" / "workflows" / "pages.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] is None or "branches" not in (triggers["push"] or {})
    condition = workflow["jobs"]["build"]["if"]
    assert condition == "github.ref_name == github.event.repository.default_branch"
    assert "needs" in workflow["jobs"]["deploy"]  # and deploys only what that job built


def test_the_new_site_ignores_virtual_environments(tmp_path):
    import subprocess as run

    site = tmp_path / "site"
    assert run.run([sys.executable, "-m", "generator", "new", str(site)]).returncode == 0
    ignored = (site / ".gitignore").read_text("utf-8").splitlines()
    assert {".venv/", "venv/", "site/", ".papersite-cache/"} <= set(ignored)
    for name in (".venv", "venv"):
        (site / name / "lib").mkdir(parents=True)
        (site / name / "lib" / "x.py").write_text("")
    run.run(["git", "init", "-q", str(site)], check=True)
    listed = run.run(
        ["git", "-C", str(site), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "venv" not in listed and "content/site.yml" in listed


def fresh_python(folder: Path) -> Path:
    """A new virtual environment that sees the packages of the one running the tests (so
    nothing is downloaded), listed in a .pth file after its own: papersite installed into
    it shadows this one's. (`system_site_packages` would show the base Python's packages,
    not those of a virtual environment the tests run in, as the README recommends.) It has
    no pip of its own (ensurepip takes seconds): `pip_into` installs with this one's."""
    venv.create(folder, with_pip=False)
    python = folder / "bin" / "python"
    ask = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    own = Path(subprocess.run(ask, capture_output=True, text=True, check=True).stdout.strip())
    ours = [path for path in sys.path if path.endswith("-packages") and Path(path).is_dir()]
    (own / "papersite-tests.pth").write_text("".join(f"{path}\n" for path in ours), "utf-8")
    return python


def pip_into(python: Path) -> list[str]:
    """The command that runs pip for the environment of `python` (pip's --python)."""
    return [sys.executable, "-m", "pip", "--python", str(python)]


def test_a_new_site_installs_the_papersite_that_made_it(tmp_path, papersite_wheel):
    """The scaffold used to ask for papersite==0.1.0, which no index has: the workflow
    failed on a new site's first push. Now it installs the papersite that ran `new`."""
    wheel = papersite_wheel
    maker = fresh_python(tmp_path / "maker")
    install = [*pip_into(maker), "install", "-q", "--no-deps", str(wheel)]
    made = subprocess.run(install, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    created = subprocess.run(
        [str(maker), "-m", "generator", "new", str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    requirement = (site / "requirements.txt").read_text("utf-8").splitlines()[-1]
    assert requirement == f"./vendor/{wheel.name}"
    assert (site / "vendor" / wheel.name).read_bytes() == wheel.read_bytes()
    # What the workflow does, in a fresh environment.
    builder = fresh_python(tmp_path / "builder")
    installed = subprocess.run(
        [*pip_into(builder), "install", "-q", "--no-deps", "-r", "requirements.txt"],
        capture_output=True,
        text=True,
        cwd=site,
    )
    assert installed.returncode == 0, installed.stderr
    where = subprocess.run(
        [str(builder), "-c", "import generator; print(generator.__file__)"],
        capture_output=True,
        text=True,
        cwd=site,
    )
    assert where.stdout.startswith(str(tmp_path / "builder"))
    built = subprocess.run(
        [str(builder), "-m", "generator", "build"], capture_output=True, text=True, cwd=site
    )
    assert built.returncode == 0, built.stderr
    assert (
        built.stdout.startswith("Built 3 papers")
        and (site / "site" / "listings" / "index.html").is_file()
    )


def test_a_released_papersite_is_asked_for_by_its_version(tmp_path, monkeypatch):
    import generator
    from generator.commands import newsite

    monkeypatch.setattr(
        generator, "__file__", str(tmp_path / "site-packages" / "generator" / "__init__.py")
    )
    monkeypatch.setattr(newsite, "distribution", lambda name: _Installed(None))
    assert newsite.papersite_requirement(tmp_path) == (f"papersite=={generator.__version__}", [])
    git = {
        "url": "https://github.com/papersite/papersite",
        "vcs_info": {"vcs": "git", "commit_id": "abc123"},
    }
    monkeypatch.setattr(newsite, "distribution", lambda name: _Installed(git))
    assert newsite.papersite_requirement(tmp_path)[0] == (
        "papersite @ git+https://github.com/papersite/papersite@abc123"
    )


class _Installed:
    def __init__(self, origin):
        self.origin = origin

    def read_text(self, name):
        import json

        return json.dumps(self.origin) if self.origin else None
