"""papersite: turn research-paper listings into a fast, searchable static site."""

__version__ = "0.1.0"
# The entry-point group an installed plugin registers in (pyproject.toml:
# [project.entry-points."papersite.plugins"]); here, where the manifest reads it without
# importing the plugins (and every stage with them).
ENTRY_POINTS = "papersite.plugins"
