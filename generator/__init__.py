"""papersite: turn research-paper listings into a fast, searchable static site."""

__version__ = "0.1.0"
