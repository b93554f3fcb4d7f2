"""`new DIR`: a new site that builds out of the box with the installed theme, and whose
GitHub Actions workflow installs the very papersite that made it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from urllib.parse import unquote, urlsplit

import generator
from generator.diagnostics import PapersiteError

SCAFFOLD = Path(__file__).with_name("scaffold")
# Package data cannot hold dotfiles reliably; they are stored without the dot.
DOTTED = {"gitignore": ".gitignore", "github": ".github"}
VENDOR = "vendor"


class NewSiteError(PapersiteError):
    """The folder cannot take a new site."""


def create_site(target: Path) -> tuple[list[Path], list[str]]:
    """Copy the scaffold into `target` (new or empty) and pin the papersite that runs this;
    returns the files written and any warnings."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewSiteError(f"{target} already exists and is not empty; choose a new folder")
    above = next(folder for folder in target.absolute().parents if folder.exists())
    if not above.is_dir():  # `new notes.txt/site`, or deeper under a file
        raise NewSiteError(f"{above} is a file, not a folder")
    written = []
    for source in sorted(SCAFFOLD.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = list(source.relative_to(SCAFFOLD).parts)
        parts[0] = DOTTED.get(parts[0], parts[0])
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    requirement, warnings = papersite_requirement(target)
    requirements = target / "requirements.txt"
    text = requirements.read_text("utf-8").replace("papersite\n", requirement + "\n")
    requirements.write_text(text, "utf-8")
    written += sorted((target / VENDOR).glob("*.whl"))
    return written, warnings


def papersite_requirement(target: Path) -> tuple[str, list[str]]:
    """How the new site installs this papersite: the same release from PyPI, the same git
    commit, or, when it runs from a local checkout or wheel no other machine can reach, a
    wheel of it put in the site's vendor/ folder (committed with the site)."""
    try:
        installed = distribution("papersite")
        origin = json.loads(installed.read_text("direct_url.json") or "null")
    except PackageNotFoundError:
        origin = None
    if origin and "vcs_info" in origin:
        vcs = origin["vcs_info"]
        return f"papersite @ {vcs['vcs']}+{origin['url']}@{vcs['commit_id']}", []
    url = origin.get("url", "") if origin else ""
    if url.startswith(("http://", "https://")) and "archive_info" in origin:
        return f"papersite @ {url}", []
    checkout = Path(generator.__file__).resolve().parent.parent
    local = url.startswith("file:") or (checkout / "pyproject.toml").is_file()
    if not local:
        return f"papersite=={generator.__version__}", []
    wheel = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
    try:
        made = _vendored_wheel(wheel, checkout, target / VENDOR)
    except OSError as error:
        warning = (
            f"could not put this papersite in {target / VENDOR} ({error}); requirements.txt "
            f"asks PyPI for papersite=={generator.__version__} instead"
        )
        return f"papersite=={generator.__version__}", [warning]
    return f"./{VENDOR}/{made.name}", []


def _vendored_wheel(wheel: Path | None, checkout: Path, folder: Path) -> Path:
    """A wheel of this papersite in `folder`: the one it was installed from, or one built
    from its checkout by pip."""
    folder.mkdir(parents=True, exist_ok=True)
    if wheel is not None and wheel.suffix == ".whl" and wheel.is_file():
        return Path(shutil.copy(wheel, folder))
    source = wheel if wheel is not None and wheel.is_dir() else checkout
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder)]
    # As its pyproject.toml asks (pip fetches the build tools), else with what is installed.
    for isolation in ([], ["--no-build-isolation"]):
        done = subprocess.run([*command, *isolation, str(source)], capture_output=True, text=True)
        made = sorted(folder.glob("papersite-*.whl"))
        if done.returncode == 0 and made:
            return made[-1]
    raise OSError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "pip failed")
