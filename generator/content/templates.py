"""Where a site's templates are: its own templates/ folder first, then the theme."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError


def default_theme() -> Path:
    """The default theme: generator/theme, shipped in the package."""
    theme = Path(__file__).resolve().parent.parent / "theme"
    if not (theme / "base.html").is_file():
        raise ContentError(theme, 0, "the default theme is missing: reinstall papersite")
    return theme


def template_dirs(root: Path) -> tuple[Path, ...]:
    """Where templates are looked up: the site's own templates/ first, then the theme."""
    own = root / "templates"
    return (own, default_theme()) if own.is_dir() else (default_theme(),)
