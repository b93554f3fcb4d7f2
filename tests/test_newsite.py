"""`new DIR`: a scaffolded site builds out of the box and passes the link checker."""

from __future__ import annotations

from conftest import REPO, run_cli
from sitecheck import check_site

from generator.newsite import SCAFFOLD

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
