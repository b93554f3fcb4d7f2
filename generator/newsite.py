"""`new DIR`: a new site that builds out of the box with the installed theme."""

from __future__ import annotations

import shutil
from pathlib import Path

SCAFFOLD = Path(__file__).with_name("scaffold")
# Package data cannot hold dotfiles reliably; they are stored without the dot.
DOTTED = {"gitignore": ".gitignore", "github": ".github"}


class NewSiteError(Exception):
    """The folder cannot take a new site."""


def create_site(target: Path) -> list[Path]:
    """Copy the scaffold into `target` (new or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewSiteError(f"{target} already exists and is not empty; choose a new folder")
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
    return written
