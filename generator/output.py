"""Write the site atomically: build into a temporary folder, then swap it into place."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MARKER = ".papersite"
MARKER_TEXT = b"This folder is written by papersite build; it is replaced on every build.\n"


class OutputError(Exception):
    """The output folder cannot be written without risking the user's files."""


def check_output(output: Path) -> None:
    """Refuse an output folder that holds files papersite did not put there."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise OutputError(f"{output} exists and is not a folder; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(
            f"{output} is not empty and was not made by papersite; "
            "empty it or choose another --output (nothing was deleted)"
        )


@contextlib.contextmanager
def staged_output(output: Path) -> Iterator[Path]:
    """A new folder beside `output` to write the site into; it replaces `output` when the
    block succeeds, and is removed, leaving the old site as it was, when it fails."""
    check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield staging
        (staging / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(staging, 0o755)
        if output.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            output.rename(retired / "site")
            try:
                staging.rename(output)
            except OSError:
                (retired / "site").rename(output)
                raise
            shutil.rmtree(retired)
        else:
            staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write files under `folder`, creating each directory once."""
    made: set[str] = set()
    for relative, data in sorted(files.items()):
        directory = os.path.dirname(relative)
        if directory and directory not in made:
            (folder / directory).mkdir(parents=True, exist_ok=True)
            made.add(directory)
        (folder / relative).write_bytes(data)
