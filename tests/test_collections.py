"""Collection pages (all papers, topics, listings, authors): every paper once as a card,
split into pages, in every order the collection offers, by year where sorted by date."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from conftest import REPO

from generator.build import build_site
from generator.catalog.papers import COLLECTION_FOLDERS
from generator.content.listings import read_listing
from generator.diagnostics import Diagnostics
from generator.site.collection import Pager

RANGE = re.compile('<p class="muted page-range">Papers (\\d+)\u2013')
CARD = re.compile(
    r'(?:<h[23] class="card-title">|<li class="paper-row">)<a href="(?:\.\./)+papers/([^/"]+)/">'
)


def collection_pages(site: Path, folder: str) -> list[str]:
    """The HTML of a collection's pages in order: folder/, folder/page/2/, ..."""
    pages = [(site / folder / "index.html").read_text("utf-8")]
    while (site / folder / "page" / str(len(pages) + 1) / "index.html").is_file():
        pages.append((site / folder / "page" / str(len(pages) + 1) / "index.html").read_text())
    return pages


def listed(html: str) -> tuple[int, list[str]]:
    """The number of the page's first paper and the slugs of its cards, in order."""
    main = html.split("<main", 1)[1]
    start = RANGE.search(main)
    return (int(start[1]) if start else 1), CARD.findall(main)


def test_all_papers_are_split_into_pages_of_page_size(example_build):
    site = example_build.output
    titles = {
        path.parent.name: unescape(re.search(r"<h1[^>]*>(.*?)</h1>", path.read_text("utf-8"))[1])
        for path in site.glob("papers/*/index.html")
    }
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
    assert set(seen) == on_disk - COLLECTION_FOLDERS
    assert seen == sorted(seen, key=lambda slug: titles[slug].casefold())  # by title


def test_pager_links_previous_next_and_the_current_page(example_build):
    first, second, third = collection_pages(example_build.output, "papers")
    assert 'rel="prev"' not in first
    assert 'rel="next" href="../papers/page/2/"' in first
    assert 'rel="prev" href="../../../papers/"' in second
    assert 'rel="next" href="../../../papers/page/3/"' in second
    assert 'rel="prev" href="../../../papers/page/2/"' in third and 'rel="next"' not in third
    assert '<a aria-current="page" href="../../../papers/page/2/">2</a>' in second
    assert "Papers 201\u2013400 of 433, page 2 of 3" in second
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


def test_every_order_lists_every_paper_once(example_build):
    site = example_build.output
    for folder, orders in [
        ("papers", ["", "by/date"]),
        ("topics/vision-transformers", ["", "by/title"]),
        ("listings/multi-view-vision", ["", "by/date", "by/title"]),
        ("authors/stephane-d-ascoli", ["", "by/title"]),
    ]:
        default = [s for html in collection_pages(site, folder) for s in listed(html)[1]]
        for order in orders[1:]:
            other = [
                s for html in collection_pages(site, f"{folder}/{order}") for s in listed(html)[1]
            ]
            assert sorted(other) == sorted(default) and len(set(other)) == len(other), folder
        html = (site / folder / "index.html").read_text("utf-8")
        assert html.count('aria-current="page">') >= 1
        assert 'class="sortings"' in html and html.count("<li><a href=") >= len(orders)


def test_a_listing_keeps_its_own_order_by_default(example_build):
    path = REPO / "content" / "listings" / "multi-view-vision.txt"
    order = []
    for entry in read_listing(path, "multi-view-vision", Diagnostics()):
        if entry.title not in order:
            order.append(entry.title)
    site = example_build.output
    shown = [
        unescape(title)
        for page in collection_pages(site, "listings/multi-view-vision")
        for title in re.findall(
            r'class="card-title"><a [^>]+>([^<]+)</a>', page.split("<main", 1)[1]
        )
    ]
    assert shown == order


def test_sparse_neighbouring_years_share_a_heading_and_full_years_stand_alone():
    from generator.site.collection import _blocks

    counts = {"2024": 9, "2023": 1, "2022": 2, "2021": 1, "2020": 5, "2019": 1, "Date not known": 1}
    blocks = _blocks(counts)
    assert blocks["2024"] == ["2024"] and blocks["2020"] == ["2020"]
    assert blocks["2023"] == blocks["2022"] == blocks["2021"] == ["2023", "2022", "2021"]
    assert blocks["2019"] == ["2019"] and blocks["Date not known"] == ["Date not known"]


def test_newest_first_is_grouped_by_year_with_counts_and_links_to_each_year(example_build):
    site = example_build.output
    page = (site / "topics" / "vision-transformers" / "index.html").read_text("utf-8")
    headings = re.findall(r'<h2 id="(year-[^"]+)">([^<]+) <span class="count">(\d+)</span>', page)
    # Two years of one dated paper each share a heading (issue 26: a row each was mostly
    # empty space); the papers with no date stand alone.
    assert [(anchor, label.strip()) for anchor, label, _ in headings] == [
        ("year-2021", "2020\N{EN DASH}2021"),
        ("year-unknown", "Date not known"),
    ]
    total = int(
        re.search(
            r"^(\d+) papers", (site / "topics/vision-transformers/index.md").read_text(), re.M
        )[1]
    )
    assert sum(int(count) for *_, count in headings) == total
    links = re.findall(r'<a href="([^"#]*)#(year-[^"]+)">([^<]+) <span class="count">(\d+)<', page)
    for href, anchor, _, _ in links:
        target = (site / "topics" / "vision-transformers" / href / "index.html").resolve()
        assert f'id="{anchor}"' in target.read_text("utf-8"), (href, anchor)
    # One link a heading, named and counted as it is (not one a year, all to one place).
    assert [(a, label.strip(), n) for _, a, label, n in links] == [
        (anchor, label.strip(), count) for anchor, label, count in headings
    ]


def test_the_pager_is_at_the_top_and_the_bottom(example_build):
    first = collection_pages(example_build.output, "papers")[0]
    assert 'class="pager pager-top"' in first and 'class="pager pager-bottom"' in first
    assert (
        first.index("pager-top") < first.index('class="card-title"') < first.index("pager-bottom")
    )


def test_an_empty_topic_says_so(make_site):
    root = make_site(
        "standard.txt",
        topics_yml="topics:\n  - name: Zebras\n    keywords: [zebra crossing]\n"
        "  - name: Transformers\n    keywords: [transformer]\n",
    )
    site = build_site(root).output
    page = (site / "topics" / "zebras" / "index.html").read_text("utf-8")
    assert '<p class="empty-state">No paper has this topic' in page
    assert 'class="card-title"' not in page


def test_orders_work_without_javascript(example_build, example_url, chromium):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url + "listings/multi-view-vision/")
    page.get_by_role("link", name="Title", exact=True).click()
    titles = page.locator("main .paper-row > a").all_inner_texts()
    assert page.url.endswith("/listings/multi-view-vision/by/title/")
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 60
    context.close()


def test_one_card_everywhere_papers_are_listed(example_build):
    """Collections, related papers, the home and author pages show the same card."""
    site = example_build.output
    card = re.compile(
        r'<li class="card paper-card">\n<h[23] class="card-title">'
        r'<a href="[./]*papers/convit-[^"]+/">ConViT.*?</li>\n',
        re.S,
    )
    pages = [
        "topics/vision-transformers/index.html",
        "index.html",
        "authors/stephane-d-ascoli/index.html",
        "listings/multi-view-vision/index.html",
    ]
    shown = [card.search((site / page).read_text("utf-8"))[0] for page in pages]
    one = shown[0]
    assert "<span>Stéphane d&#39;Ascoli, Hugo Touvron, Matthew L. Leavitt et al.</span>" in one
    assert '<time datetime="2021-03-19">March 19, 2021</time>' in one
    assert '<p class="card-snippet">Convolutional architectures have proven' in one
    assert one.count('class="chip"') == 3
    assert '<a href="https://arxiv.org/abs/2103.10697">arXiv</a>' in one
    assert '<a href="https://arxiv.org/pdf/2103.10697">PDF</a>' in one
    assert '<a href="https://github.com/facebookresearch/convit">Code</a>' in one
    # The same but for the depth of links and the heading level (no year headings above it).
    same = {re.sub(r'href="[./]*', 'href="', html).replace("h2", "h3") for html in shown}
    assert len(same) == 1
    paper = (
        site
        / "papers"
        / "convit-improving-vision-transformers-with-soft-convolutional"
        / "index.html"
    ).read_text("utf-8")
    related = paper.split('<section class="related"')[1]
    assert related.count('<li class="paper-row">') >= 1
    assert "paper-card" not in related


def test_a_collection_shows_each_paper_as_a_card_once_and_as_rows_in_its_other_orders(
    example_build,
):
    """The first order has cards; the others rows of title, byline and date (a tenth of the
    bytes), so a 50k-paper site still fits on GitHub Pages."""
    site = example_build.output
    for folder, other in [
        ("topics/vision-transformers", "by/title"),
        ("listings/multi-view-vision", "by/date"),
        ("papers", "by/date"),
    ]:
        cards = [s for html in collection_pages(site, folder) for s in listed(html)[1]]
        rows = [s for html in collection_pages(site, f"{folder}/{other}") for s in listed(html)[1]]
        first = collection_pages(site, folder)[0]
        later = collection_pages(site, f"{folder}/{other}")[0]
        assert 'class="card paper-card"' in first and "paper-row" not in first, folder
        assert 'class="paper-row"' in later and "paper-card" not in later, folder
        assert sorted(cards) == sorted(rows)
    convit = re.search(
        r'<li class="paper-row"><a href="[./]*papers/convit-[^"]+/">ConViT[^<]*</a>.*?</li>\n',
        (site / "listings/multi-view-vision/by/date/index.html").read_text("utf-8"),
    )
    assert convit is not None
    assert (
        "<span>Stéphane d&#39;Ascoli, Hugo Touvron, Matthew L. Leavitt et al.</span>" in convit[0]
    )
    assert '<time datetime="2021-03-19">March 19, 2021</time>' in convit[0]


def test_the_listings_index_names_every_listing_with_its_count_and_feed(example_build):
    site = example_build.output
    page = (site / "listings" / "index.html").read_text("utf-8")
    for listing in ("multi-view-vision", "image-recognition"):
        assert f'href="../listings/{listing}/"' in page
        assert f'href="../listings/{listing}/feed.xml">Atom feed</a>' in page
        assert (site / "listings" / listing / "feed.xml").is_file()
    assert '<span>60 papers</span><span>Listed <time datetime="2024-03-14">' in page


def test_many_cards_in_one_call_are_the_cards_one_by_one(make_site):
    """cards.many(papers, link, level), as collection.html lists a group of papers, gives
    each paper's card (level 0: its row) a line, as cards(...) and cards.row(...) do."""
    from generator.content.config import plugin_names
    from generator.engine.cache import BuildCache
    from generator.engine.progress import Progress
    from generator.plugins import load_plugins
    from generator.recipe import complete_catalog, plan_site, read_content
    from generator.site.render import make_environment
    from generator.text.urls import Linker

    root = make_site("standard.txt", "glued.txt")
    plugins = load_plugins(root, plugin_names(root))
    content = read_content(root, None, Progress(), BuildCache(None), plugins)
    catalog = complete_catalog(content, Progress(), BuildCache(None), plugins)
    cards = plan_site(
        catalog, make_environment(catalog.parts.config.templates), plugins
    ).paper_cards
    papers = catalog.parts.papers
    assert len(papers) > 2
    for link in (Linker("topics/x/index.html"), Linker("index.html")):
        for level in (2, 3):
            one_by_one = "\n".join(cards(paper, link, level) for paper in papers)
            assert cards.many(papers, link, level) == one_by_one
            assert one_by_one.count('class="card paper-card"') == len(papers)
        rows = "\n".join(cards.row(paper, link) for paper in papers)
        assert cards.many(papers, link, 0) == rows
        assert rows.count('class="paper-row"') == len(papers)
    assert cards.many([], Linker("index.html"), 3) == ""


def test_a_collection_in_the_sites_ranks_is_in_the_order_of_its_keys():
    """Collections and feeds sort their papers by each paper's place in the site's orders,
    worked out once: the order their keys give, with no two papers tied (the same title
    and date: by slug, whatever order they come in)."""
    import datetime as dt
    import random

    from generator.catalog.topics import newest_first
    from generator.diagnostics import Location
    from generator.model import Paper, PaperDate, SiteConfig
    from generator.site.collection import Collection, collection_pages, site_ranks
    from generator.site.feeds import FEED_ENTRIES, atom_feed, entry_id, fallback_date, news_order

    def paper(slug: str, title: str, year: int | None, listed: dt.date | None) -> Paper:
        return Paper(
            key=slug,
            slug=slug,
            title=title,
            abstract="",
            listings=(),
            origins=(Location(Path("x.txt"), 1),),
            published=PaperDate(year, 1 + len(slug) % 12) if year else None,
            listed=listed,
        )

    choose = random.Random(7)
    papers = [
        paper(
            f"p-{n:03d}",
            choose.choice(["Alpha", "beta", "Beta", "Gamma nets", f"Paper {n}"]),
            choose.choice([None, 2019, 2020, 2021]),
            choose.choice([None, dt.date(2024, 3, 1), dt.date(2024, 5, 2)]),
        )
        for n in range(300)
    ]
    ranks = site_ranks(papers)
    some = tuple(choose.sample(papers, 120))
    pages = collection_pages("topics/t/", Collection("T", "", some), 1000, ranks)
    by_date, by_title = ([p.slug for p in page.papers] for page in pages)
    assert by_date == [p.slug for p in sorted(some, key=newest_first)]
    assert by_title == [p.slug for p in sorted(some, key=lambda p: (p.title.casefold(), p.slug))]
    twins = [paper("b-twin", "Same", None, None), paper("a-twin", "Same", None, None)]
    for given in (twins, twins[::-1]):
        (page, _) = collection_pages("x/", Collection("X", "", tuple(given)), 10, site_ranks(given))
        assert [p.slug for p in page.papers] == ["a-twin", "b-twin"]

    config = SiteConfig(Path("."), title="S", url="https://e.org/")
    undated = fallback_date()
    place = {p.slug: n for n, p in enumerate(news_order(papers, undated))}
    ranked = atom_feed(config, "topics/t/feed.xml", "T", some, place)
    newest = news_order(some, undated)[:FEED_ENTRIES]
    assert [entry.id for entry in ranked.entries] == [entry_id(paper) for paper in newest]
    assert len(ranked.entries) == FEED_ENTRIES


def test_a_collection_of_one_paper_offers_to_cite_it_not_them_all(example_build):
    site = example_build.output
    said = {}
    for page in [*sorted(site.glob("authors/*/index.html")), site / "papers" / "index.html"]:
        text = page.read_text("utf-8")
        count = re.search(r"<p>(\d+) papers?\. ", text)
        if count:
            said[int(count[1]) == 1] = "Cite it:" in text, "Cite them all:" in text
    assert said == {True: (True, False), False: (False, True)}
