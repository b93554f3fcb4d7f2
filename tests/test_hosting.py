"""A site larger than GitHub Pages publishes is reported, with its largest parts."""

from __future__ import annotations

import pytest

from generator.build import StrictModeError, build_site
from generator.site import hosting
from generator.site.hosting import kind_of, sizes_by_kind
from generator.site.output import MARKER


def test_files_are_counted_by_kind():
    assert kind_of("papers/attention/card.png") == "social cards"
    assert kind_of("topics/vision/card.png") == "social cards"
    assert kind_of("papers/attention/index.html") == "paper pages"
    assert kind_of("papers/attention/index.md") == "paper pages"
    assert kind_of("papers/by/date/index.html") == "collections and the rest"
    assert kind_of("papers/index.html") == "collections and the rest"
    assert kind_of("assets/search/t3.js") == "search index"
    assert kind_of("assets/search-index.js") == "search index"
    assert kind_of("assets/style.css") == "collections and the rest"


def test_a_site_that_fits_gets_no_warning(make_site):
    report = build_site(make_site("standard.txt"))
    assert not [w for w in report.warnings if "GitHub Pages" in w.message]


def test_a_site_too_large_for_github_pages_says_what_is_large(make_site, monkeypatch):
    root = make_site("standard.txt")
    monkeypatch.setattr(hosting, "LIMIT", 10_000)
    report = build_site(root)
    [warning] = [w for w in report.warnings if "GitHub Pages" in w.message]
    sizes = sizes_by_kind(
        {
            path.relative_to(report.output).as_posix(): path.stat().st_size
            for path in report.output.rglob("*")
            if path.is_file() and path.name != MARKER
        }
    )
    total = sum(sizes.values())
    assert f"the site is {total / 1e6:,.0f} MB" in warning.message
    assert f"social cards {sizes['social cards'] / 1e6:,.0f} MB" in warning.message
    assert "`social_cards: false`" in warning.message
    assert f"about {10_000 // (total // report.papers):,} papers fit" in warning.message
    # Shown again by a build with nothing to do, and an error in strict mode.
    assert build_site(root).warnings == report.warnings
    with pytest.raises(StrictModeError):
        build_site(root, strict=True)
