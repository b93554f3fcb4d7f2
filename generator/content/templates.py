"""Where a site's templates are: its own templates/ folder first, then the theme."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import ContentError


def default_theme() -> Path:
    """The default theme: templates/ at the top of papersite's repository, which an
    installed papersite has inside its package, as generator/theme."""
    package = Path(__file__).resolve().parent.parent
    for theme in (package / "theme", package.parent / "templates"):
        if (theme / "base.html").is_file():
            return theme
    raise ContentError(package / "theme", 0, "the default theme is missing: reinstall papersite")


def template_dirs(root: Path) -> tuple[Path, ...]:
    """Where templates are looked up: the site's own templates/ first, then the theme."""
    own = root / "templates"
    return (own, default_theme()) if own.is_dir() else (default_theme(),)


# The Markdown template of a collection's heading, and its first name (a site's own
# templates/topic.md is still used, with a warning).
COLLECTION_MARKDOWN, OLD_COLLECTION_MARKDOWN = "collection.md", "topic.md"


def collection_markdown(templates: tuple[Path, ...]) -> str:
    """The name of the Markdown template that heads every collection page: collection.md,
    or topic.md when a site's own templates have that and not the new name."""
    own = templates[:-1]  # the theme is the last
    for folder in own:
        if (folder / COLLECTION_MARKDOWN).is_file():
            return COLLECTION_MARKDOWN
        if (folder / OLD_COLLECTION_MARKDOWN).is_file():
            return OLD_COLLECTION_MARKDOWN
    return COLLECTION_MARKDOWN
