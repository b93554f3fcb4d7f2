"""Write the site atomically: build into a temporary folder, then swap it into place."""

from __future__ import annotations

import os
import shutil
import tempfile
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


def write_site(files: dict[str, bytes], output: Path) -> None:
    """Replace `output` with exactly `files`; on any failure the old site stays as it was."""
    check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        for relative, data in sorted({**files, MARKER: MARKER_TEXT}.items()):
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
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
