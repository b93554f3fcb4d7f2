"""`new DIR`: a scaffolded site builds out of the box and passes the link checker."""

from __future__ import annotations

import subprocess
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
        "content/sources/example-listing.txt",
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
        "branches: [main]",
        "python -m generator build --base-url",
    ]:
        assert needed in ours, needed


def fresh_python(folder: Path) -> Path:
    """A new virtual environment (it sees this one's packages, so nothing is downloaded;
    papersite itself is installed into it, and shadows this one's)."""
    venv.create(folder, with_pip=True, system_site_packages=True)
    return folder / "bin" / "python"


def test_a_new_site_installs_the_papersite_that_made_it(tmp_path, papersite_wheel):
    """The scaffold used to ask for papersite==0.1.0, which no index has: the workflow
    failed on a new site's first push. Now it installs the papersite that ran `new`."""
    wheel = papersite_wheel
    maker = fresh_python(tmp_path / "maker")
    install = [str(maker), "-m", "pip", "install", "-q", "--no-deps", str(wheel)]
    assert subprocess.run(install, capture_output=True).returncode == 0
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
        [str(builder), "-m", "pip", "install", "-q", "--no-deps", "-r", "requirements.txt"],
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
