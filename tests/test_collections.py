"""Collection pages (all papers, topics, listings): every paper once, split into pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build_site
from generator.pages import Pager

LIST = re.compile(r'<ol class="paper-list" start="(\d+)">(.*?)</ol>', re.S)
PAPER_LINK = re.compile(r'<li><a href="(?:\.\./)+papers/([^/"]+)/">')


def collection_pages(site: Path, folder: str) -> list[str]:
    """The HTML of a collection's pages in order: folder/, folder/page/2/, ..."""
    pages = [(site / folder / "index.html").read_text("utf-8")]
    while (site / folder / "page" / str(len(pages) + 1) / "index.html").is_file():
        pages.append((site / folder / "page" / str(len(pages) + 1) / "index.html").read_text())
    return pages


def listed(html: str) -> tuple[int, list[str]]:
    """The number the page's list starts at and the paper slugs it links to, in order."""
    match = LIST.search(html)
    assert match, "no paper list"
    return int(match[1]), PAPER_LINK.findall(match[2])


def test_all_papers_are_split_into_pages_of_page_size(example_build):
    site = example_build.output
    pages = collection_pages(site, "papers")
    assert len(pages) == 3  # 433 papers, 200 a page
    seen = []
    for number, html in enumerate(pages, start=1):
        start, slugs = listed(html)
        assert start == len(seen) + 1
        assert len(slugs) == (200 if number < 3 else 33)
        title = "All papers" if number == 1 else f"All papers, page {number} of 3"
        assert f"<title>{title} · " in html
        seen += slugs
    assert len(seen) == len(set(seen)) == 433
    on_disk = {path.parent.name for path in (site / "papers").glob("*/index.md")}
    assert set(seen) == on_disk


def test_pager_links_previous_next_and_the_current_page(example_build):
    first, second, third = collection_pages(example_build.output, "papers")
    assert 'rel="prev"' not in first
    assert 'rel="next" href="../papers/page/2/"' in first
    assert 'rel="prev" href="../../../papers/"' in second
    assert 'rel="next" href="../../../papers/page/3/"' in second
    assert 'rel="prev" href="../../../papers/page/2/"' in third and 'rel="next"' not in third
    assert '<a aria-current="page" href="../../../papers/page/2/">2</a>' in second
    assert "Papers 201\u2013400 of 433 · page 2 of 3" in second
    sitemap = (example_build.output / "sitemap.xml").read_text("utf-8")
    assert "/papers/page/2/</loc>" in sitemap and "/papers/page/3/</loc>" in sitemap


def test_every_topic_and_listing_page_lists_its_papers_once(example_build):
    site = example_build.output
    for folder in sorted({p.parent for p in site.glob("topics/*/index.html")}) + sorted(
        {p.parent for p in site.glob("listings/*/index.html")}
    ):
        relative = folder.relative_to(site).as_posix()
        slugs = [slug for html in collection_pages(site, relative) for slug in listed(html)[1]]
        count = int(re.search(r"^(\d+) papers?", (folder / "index.md").read_text("utf-8"), re.M)[1])
        assert len(slugs) == len(set(slugs)) == count, relative


def test_page_size_is_set_in_site_yml(make_site):
    root = make_site(
        "standard.txt", "urls.txt", site_yml="title: T\nurl: https://e.org/t/\npage_size: 2\n"
    )
    report = build_site(root)
    lists = [listed(html) for html in collection_pages(root / "site", "papers")]
    assert report.papers == 3
    assert [(start, len(slugs)) for start, slugs in lists] == [(1, 2), (3, 1)]
    assert len({slug for _, slugs in lists for slug in slugs}) == 3


@pytest.mark.parametrize(
    ("number", "count", "expected"),
    [
        (1, 1, [1]),
        (2, 5, [1, 2, 3, 4, 5]),
        (2, 50, [1, 2, 3, 4, None, 50]),
        (10, 50, [1, None, 8, 9, 10, 11, 12, None, 50]),
        (50, 50, [1, None, 48, 49, 50]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_pager_shows_first_last_and_nearby_pages(number, count, expected):
    pager = Pager(number, tuple(f"p{n}/" for n in range(1, count + 1)))
    assert pager.numbers() == expected
    assert pager.previous == (f"p{number - 1}/" if number > 1 else None)
    assert pager.next == (f"p{number + 1}/" if number < count else None)
