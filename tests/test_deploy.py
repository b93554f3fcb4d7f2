"""`deploy` into real local git repositories: a bare remote, the source untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **IDENTITY}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def deploy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "deploy", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **IDENTITY},
        timeout=120,
    )


@pytest.fixture
def repos(make_site, tmp_path):
    """(source checkout with a site and an 'origin', bare remote)."""
    source = make_site("standard.txt", "glued.txt")
    site_yml = source / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text() + "cname: papers.example.org\n")
    (source / ".gitignore").write_text("site/\n.papersite-cache/\n")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(source, "init", "--quiet", "--initial-branch=main")
    git(source, "add", "-A")
    git(source, "commit", "--quiet", "-m", "Add the reading list")
    git(source, "remote", "add", "origin", str(remote))
    return source, remote


def tree(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", branch).splitlines())


def test_deploy_publishes_the_site_and_leaves_the_source_alone(repos):
    source, remote = repos
    head, status = git(source, "rev-parse", "HEAD"), git(source, "status", "--porcelain")
    result = deploy(source)
    assert result.returncode == 0, result.stderr
    files = tree(remote)
    assert {"index.html", ".nojekyll", "CNAME", "404.html", "feed.xml"} <= files
    assert ".papersite" not in files and not any(name.startswith("content/") for name in files)
    assert git(remote, "show", "gh-pages:CNAME") == "papers.example.org"
    message = git(remote, "log", "-1", "--format=%s", "gh-pages")
    assert message == f"Deploy {head[:7]} Add the reading list"
    assert git(source, "rev-parse", "HEAD") == head
    assert git(source, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(source, "status", "--porcelain") == status
    assert "Deployed" in result.stdout


def test_second_deploy_keeps_cname_and_updates(repos):
    source, remote = repos
    assert deploy(source).returncode == 0
    first = git(remote, "rev-parse", "gh-pages")
    (source / "content" / "listings" / "more.txt").write_bytes((FIXTURES / "urls.txt").read_bytes())
    git(source, "add", "-A")
    git(source, "commit", "--quiet", "-m", "Add a listing")
    result = deploy(source)
    assert result.returncode == 0, result.stderr
    assert git(remote, "rev-parse", "gh-pages^") == first
    assert "papers/kappa-code-release/index.html" in tree(remote)
    assert git(remote, "show", "gh-pages:CNAME") == "papers.example.org"


def test_cname_set_on_the_branch_is_never_wiped(repos):
    source, remote = repos
    site_yml = source / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("cname: papers.example.org\n", ""))
    git(source, "commit", "--quiet", "-am", "No cname in site.yml")
    assert deploy(source).returncode == 0
    assert "CNAME" not in tree(remote)
    # As if the custom domain had been set in the repository settings on GitHub:
    work = source.parent / "pages-work"
    git(source.parent, "clone", "--quiet", "--branch", "gh-pages", str(remote), str(work))
    (work / "CNAME").write_text("set.on.github.example\n")
    git(work, "add", "CNAME")
    git(work, "commit", "--quiet", "-m", "Create CNAME")
    git(work, "push", "--quiet", "origin", "gh-pages")
    result = deploy(source)
    assert result.returncode == 0, result.stderr
    assert git(remote, "show", "gh-pages:CNAME") == "set.on.github.example"
    assert "kept CNAME" in result.stderr


def test_uncommitted_changes_give_a_warning(repos):
    source, _ = repos
    (source / "content" / "pages").mkdir()
    (source / "content" / "pages" / "draft.md").write_text("# Draft\n")
    result = deploy(source)
    assert result.returncode == 0
    assert "warning: uncommitted changes" in result.stderr


def test_rejected_push_fails_loudly(repos):
    source, remote = repos
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is a protected branch' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = deploy(source)
    assert result.returncode == 1
    assert "push to 'origin' failed" in result.stderr
    assert "protected branch" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no-git", "is not in a git repository"),
        ("no-remote", "no remote named 'origin'"),
        ("on-branch", "you are on the 'gh-pages' branch"),
    ],
)
def test_clear_errors_before_anything_is_written(make_site, setup, expected):
    source = make_site("standard.txt")
    if setup != "no-git":
        git(source, "init", "--quiet", "--initial-branch=main")
        git(source, "commit", "--quiet", "--allow-empty", "-m", "start")
    if setup == "on-branch":
        git(source, "remote", "add", "origin", str(source))
        git(source, "checkout", "--quiet", "-b", "gh-pages")
    result = deploy(source)
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_deploy_refuses_the_branch_that_holds_the_source(repos):
    """`deploy --branch main` from a feature branch replaced the source branch with the
    built site. A branch that holds this site's content/site.yml is refused."""
    source, remote = repos
    git(source, "push", "--quiet", "origin", "main")
    git(source, "checkout", "--quiet", "-b", "feature")
    result = deploy(source, "--branch", "main")
    assert result.returncode == 1
    assert "'main' holds the site's source (content/site.yml)" in result.stderr
    assert "content/site.yml" in tree(remote, "main")
    git(source, "branch", "-D", "main")  # only the remote's copy left: refused as well
    result = deploy(source, "--branch", "main")
    assert result.returncode == 1 and "holds the site's source" in result.stderr


def test_deploy_without_a_git_identity_says_so_and_commits_nothing(repos, tmp_path):
    """With no user.name/user.email, ghp-import committed as '<>' and deploy pushed it."""
    source, remote = repos
    home = tmp_path / "home"
    home.mkdir()
    bare = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "deploy"],
        cwd=source,
        capture_output=True,
        text=True,
        env={**bare, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"},
        timeout=120,
    )
    assert result.returncode == 1
    assert "git does not know who you are: set git config user.name" in result.stderr
    assert git(remote, "branch", "--list", "gh-pages") == ""


def test_the_cache_folder_is_ignored_by_git_and_deploy_warns_of_nothing(repos):
    """The build's cache is made inside the user's checkout: it ignores itself, so git
    shows no untracked folder and deploy no 'uncommitted changes'."""
    source, _ = repos
    (source / ".gitignore").write_text("site/\n")  # the user ignores only the output
    git(source, "commit", "--quiet", "-am", "Ignore the output only")
    first = deploy(source)
    assert first.returncode == 0, first.stderr
    assert (source / ".papersite-cache" / ".gitignore").is_file()
    assert git(source, "status", "--porcelain") == ""
    again = deploy(source)
    assert again.returncode == 0, again.stderr
    assert "uncommitted changes" not in again.stderr


def test_deploy_never_pushes_over_a_branch_it_did_not_make(make_site, tmp_path):
    """A site kept in a subfolder of a code repository: `main` holds code and no site.yml
    at the site's place. Deploying to main, master, or any existing branch deploy did not
    make is refused with one line and pushes nothing; --force replaces such a branch
    (never main)."""
    code = tmp_path / "project"
    code.mkdir()
    (code / "setup.py").write_text("print('code')\n")
    git(code, "init", "--quiet", "--initial-branch=main")
    git(code, "add", "-A")
    git(code, "commit", "--quiet", "-m", "The code")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(code, "remote", "add", "origin", str(remote))
    git(code, "push", "--quiet", "origin", "main")
    git(code, "checkout", "--quiet", "-b", "docs")
    (code / "docs").mkdir()
    os.rename(make_site("standard.txt") / "content", code / "docs" / "content")
    (code / ".gitignore").write_text("site/\n.papersite-cache/\n")
    git(code, "add", "-A")
    git(code, "commit", "--quiet", "-m", "The site")
    git(code, "branch", "pages-by-hand", "main")  # a branch someone made with other files
    git(code, "push", "--quiet", "origin", "pages-by-hand")
    main_before = git(remote, "rev-parse", "main")
    for branch, said in [
        ("main", "'main' is a code branch"),
        ("master", "'master' is a code branch"),
        ("pages-by-hand", "'pages-by-hand' was not made by deploy (its last commit: \"The code\")"),
    ]:
        result = deploy(code / "docs", "--branch", branch)
        assert result.returncode == 1, result.stdout
        assert said in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert git(remote, "rev-parse", "main") == main_before
    assert tree(remote, "pages-by-hand") == {"setup.py"}
    assert deploy(code / "docs", "--branch", "main", "--force").returncode == 1
    forced = deploy(code / "docs", "--branch", "pages-by-hand", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "index.html" in tree(remote, "pages-by-hand")
    again = deploy(code / "docs", "--branch", "pages-by-hand")  # now deploy's own
    assert again.returncode == 0, again.stderr


def test_deploy_with_nothing_new_says_so_and_pushes_nothing(repos):
    """Each deploy of an unchanged site added an empty commit to gh-pages."""
    source, remote = repos
    assert deploy(source).returncode == 0
    first = git(remote, "rev-parse", "gh-pages")
    local = git(source, "rev-parse", "gh-pages")
    again = deploy(source)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Nothing to deploy: origin/gh-pages already holds this site")
    assert git(remote, "rev-parse", "gh-pages") == first
    assert git(source, "rev-parse", "gh-pages") == local
    marked = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert "Deployed-by: papersite" in marked
