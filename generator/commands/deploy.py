"""`deploy`: build and publish, where site.yml's deploy: says: the gh-pages branch (commit
the site with ghp-import, push it), or S3-compatible object storage (object_storage.py)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import ghp_import

from generator.build import build_site
from generator.content.config import load_config
from generator.diagnostics import PapersiteError
from generator.model import BuildReport, DeployTarget
from generator.site.output import MARKER


class DeployError(PapersiteError):
    """Publishing failed; the message says why and what to do."""


def publish(
    root: Path,
    remote: str | None = None,
    branch: str | None = None,
    message: str | None = None,
    force: bool = False,
) -> str:
    """Build the site under `root` and publish it where site.yml's deploy: says (`remote`
    and `branch`, when given, choose the gh-pages target's); a one-line summary."""
    target = load_config(root).deploy
    if target.to == "s3":
        if remote or branch:
            raise DeployError("--remote and --branch are for deploy to gh-pages; site.yml says s3")
        return deploy_to_storage(root, target)
    return deploy(root, remote or target.remote, branch or target.branch, message, force)


def deploy_to_storage(root: Path, target: DeployTarget) -> str:
    """Build, and make the bucket hold the site (only what changed is sent)."""
    try:
        from generator.commands.object_storage import StorageError
        from generator.commands.object_storage import publish as publish_objects
    except ModuleNotFoundError as error:
        if error.name not in ("boto3", "botocore"):
            raise
        raise DeployError(
            'deploy to s3 needs boto3, which is not installed: pip install "papersite[s3]"'
        ) from None

    with tempfile.TemporaryDirectory(prefix="papersite-deploy-") as temporary:
        staging, _ = _built(root, Path(temporary))
        try:
            done = publish_objects(staging, target)
        except StorageError as error:
            raise DeployError(str(error)) from None
    where = f"s3://{target.bucket}/{target.prefix}"
    if not done.uploaded and not done.deleted:
        return f"Nothing to deploy: {where} already holds this site ({done.unchanged} files)"
    return (
        f"Deployed to {where}: {len(done.uploaded)} files uploaded, {len(done.deleted)} "
        f"deleted, {done.unchanged} unchanged"
    )


def _built(root: Path, folder: Path) -> tuple[Path, BuildReport]:
    """The site built into `folder`/site, as published (without papersite's marker file),
    its warnings said; where it is, and the report."""
    staging = folder / "site"
    report = build_site(root, staging)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    (staging / MARKER).unlink()  # ours, not the site's
    return staging, report


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


# The trailer every deploy commit carries: a branch whose recent commits have none of it
# was not made by deploy, and may hold someone's work.
MARK = "Deployed-by: papersite"
# How far back in a branch's first-parent history a deploy commit is looked for (GitHub's
# settings add commits of their own, "Create CNAME").
MARKED_WITHIN = 20
# Branches that hold code by convention: never published to.
CODE_BRANCHES = frozenset({"main", "master", "trunk", "develop"})


def deploy(root: Path, remote: str, branch: str, message: str | None, force: bool = False) -> str:
    """Publish the site under `root`; returns a one-line summary, raises DeployError.
    A branch that exists and was not made by deploy is refused unless `force`."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise DeployError(
            f"{root.resolve()} is not in a git repository: run git init and add "
            "a remote, or publish with the GitHub Actions workflow"
        )
    repo = Path(top.stdout.strip())
    if git(repo, "remote", "get-url", remote).returncode != 0:
        raise DeployError(f"no remote named '{remote}': add it with git remote add {remote} URL")
    current = git(repo, "symbolic-ref", "--short", "-q", "HEAD").stdout.strip()
    if current == branch:
        raise DeployError(f"you are on the '{branch}' branch: switch to your source branch first")
    _refuse_source_branch(repo, root, remote, branch)
    if branch in CODE_BRANCHES:
        raise DeployError(
            f"'{branch}' is a code branch by name: deploy publishes to a branch of its own "
            "(gh-pages by default)"
        )
    _require_identity(repo)
    fetched = git(
        repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    )
    if fetched.returncode != 0 and "couldn't find remote ref" not in fetched.stderr:
        raise DeployError(f"cannot reach remote '{remote}': {_reason(fetched.stderr)}")
    if not force:
        _refuse_foreign_branch(repo, remote, branch)
    if git(repo, "status", "--porcelain").stdout.strip():
        print(
            "papersite: warning: uncommitted changes are deployed too; the deploy commit names "
            "the last commit, which does not have them",
            file=sys.stderr,
        )

    source = git(repo, "log", "-1", "--format=%h %s")
    described = source.stdout.strip() if source.returncode == 0 else "a repository without commits"
    before = git(repo, "rev-parse", "-q", "--verify", f"refs/heads/{branch}").stdout.strip()
    with tempfile.TemporaryDirectory(prefix="papersite-deploy-") as temporary:
        staging, report = _built(root, Path(temporary))
        if not (staging / "CNAME").exists():
            kept = git(repo, "show", f"refs/remotes/{remote}/{branch}:CNAME")
            if kept.returncode == 0 and kept.stdout.strip():
                (staging / "CNAME").write_text(kept.stdout, encoding="utf-8")
                print(
                    f"papersite: warning: kept CNAME {kept.stdout.strip()} from {branch}; "
                    "add cname: to site.yml to manage it there",
                    file=sys.stderr,
                )
        try:
            with contextlib.chdir(repo):
                ghp_import.ghp_import(
                    str(staging),
                    mesg=f"{message or f'Deploy {described}'}\n\n{MARK}",
                    remote=remote,
                    branch=branch,
                    nojekyll=True,
                    push=False,
                )
        except ghp_import.GhpError as error:
            raise DeployError(f"could not commit to '{branch}': {error.message}") from None
    after = git(repo, "rev-parse", "-q", "--verify", f"refs/heads/{branch}").stdout.strip()
    if not after or after == before:
        raise DeployError(f"could not commit to '{branch}': is git user.name/user.email set?")
    published = f"refs/remotes/{remote}/{branch}"
    if _tree(repo, after) == _tree(repo, published):
        # The remote already holds this very site: take the new commit back, push nothing.
        if before:
            git(repo, "update-ref", f"refs/heads/{branch}", before, after)
        else:
            git(repo, "update-ref", "-d", f"refs/heads/{branch}", after)
        return f"Nothing to deploy: {remote}/{branch} already holds this site ({described})"
    pushed = git(repo, "push", "--porcelain", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    if pushed.returncode != 0:
        raise DeployError(
            f"push to '{remote}' failed: {_push_reason(pushed.stdout + pushed.stderr, branch)}"
        )
    return f"Deployed {described} to {remote}/{branch} ({report.files} files, commit {after[:7]})"


def _tree(repo: Path, ref: str) -> str | None:
    """The tree a commit holds, or None if there is no such commit."""
    found = git(repo, "rev-parse", "-q", "--verify", f"{ref}^{{tree}}")
    return found.stdout.strip() if found.returncode == 0 else None


def _refuse_foreign_branch(repo: Path, remote: str, branch: str) -> None:
    """A branch (here or on the remote) none of whose recent commits deploy made may hold
    code or someone's pages: publishing would replace them."""
    for ref in (f"refs/heads/{branch}", f"refs/remotes/{remote}/{branch}"):
        if git(repo, "rev-parse", "-q", "--verify", ref).returncode != 0:
            continue
        log = git(repo, "log", f"-{MARKED_WITHIN}", "--first-parent", "--format=%B%x00", ref)
        if MARK not in log.stdout:
            subject = git(repo, "log", "-1", "--format=%s", ref).stdout.strip()
            raise DeployError(
                f"'{branch}' was not made by deploy (its last commit: \"{subject}\"); "
                "publishing would replace what it holds: choose a new --branch, or pass "
                "--force to replace it"
            )


def _refuse_source_branch(repo: Path, root: Path, remote: str, branch: str) -> None:
    """A branch whose files include this site's content/site.yml holds the source: the
    built site would replace it."""
    site_yml = (root / "content" / "site.yml").resolve().relative_to(repo.resolve()).as_posix()
    for ref in (f"refs/heads/{branch}", f"refs/remotes/{remote}/{branch}"):
        if git(repo, "cat-file", "-e", f"{ref}:{site_yml}").returncode == 0:
            raise DeployError(
                f"'{branch}' holds the site's source ({site_yml}): deploying would replace it "
                "with the built site; choose another --branch (gh-pages by default)"
            )


def _require_identity(repo: Path) -> None:
    """The deploy commit needs a committer: ghp-import would write one named '<>'."""
    for variable, key in (
        ("GIT_COMMITTER_NAME", "user.name"),
        ("GIT_COMMITTER_EMAIL", "user.email"),
    ):
        if not (os.environ.get(variable) or git(repo, "config", key).stdout.strip()):
            raise DeployError(
                f"git does not know who you are: set git config {key} (the deploy commit "
                "needs a committer)"
            )


def _push_reason(output: str, branch: str) -> str:
    text = output.lower()
    if "protected branch" in text or "hook declined" in text or "pre-receive" in text:
        refused = f"the remote refused '{branch}' (a protected branch or a server hook)"
        return f"{refused}: {_reason(output)}"
    if "non-fast-forward" in text or "fetch first" in text or "[rejected]" in text:
        return f"rejected: the remote '{branch}' has commits this deploy does not build on"
    return _reason(output)


def _reason(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    useful = [line for line in lines if line.lower().startswith(("fatal", "error", "remote", "!"))]
    return " / ".join(useful[-3:] or lines[-2:]) or "git gave no reason"
