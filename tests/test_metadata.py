"""Being a good citizen of the web: metadata, citations, feeds, sitemap, dates."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from conftest import copy_of_example

from generator.build import build_site

ATOM = "{http://www.w3.org/2005/Atom}"
RESNET = "papers/deep-residual-learning-for-image-recognition/index.html"


def test_open_graph_and_twitter_tags_on_every_page(example_build):
    for page in example_build.output.rglob("*.html"):
        html = page.read_text("utf-8")
        for tag in [
            'property="og:title"',
            'property="og:type"',
            'property="og:site_name"',
            'name="twitter:card"',
        ]:
            assert tag in html, (page, tag)
        # X falls back to the og: tags; its own copies would repeat them on every page.
        assert html.count('name="twitter:') == 1, page
        if page.name != "404.html":
            assert 'property="og:url" content="https://papersite.github.io/papersite/' in html


def test_paper_pages_carry_scholar_tags_and_json_ld(example_build):
    html = (
        example_build.output
        / "papers"
        / "an-image-is-worth-16x16-words-transformers-for-image"
        / "index.html"
    ).read_text("utf-8")
    assert '<meta property="og:type" content="article">' in html
    assert html.count('<meta name="citation_author"') == 12
    assert '<meta name="citation_publication_date" content="2020/10/22">' in html
    assert '<meta name="citation_title" content="An Image is Worth 16x16 Words: ' in html
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "ScholarlyArticle" and data["datePublished"] == "2020-10-22"
    assert data["author"][0] == {"@type": "Person", "name": "Alexey Dosovitskiy"}


def test_copy_citation_button_copies_bibtex(example_build, example_url, chromium):
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(example_url + RESNET.removesuffix("index.html"))
    page.get_by_role("button", name="Copy BibTeX").click()
    page.get_by_text("Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{") and "title = {{Deep Residual Learning" in copied
    context.close()


def test_feeds_are_valid_atom_with_stable_ids(example_build, tmp_path):
    site = example_build.output
    feeds = [site / "feed.xml", *site.glob("topics/*/feed.xml"), *site.glob("listings/*/feed.xml")]
    assert len(feeds) == 1 + 24 + 5
    for feed_path in feeds:
        feed = ET.parse(feed_path).getroot()
        assert feed.tag == f"{ATOM}feed"
        for required in ["id", "title", "updated"]:
            assert feed.findtext(f"{ATOM}{required}"), (feed_path, required)
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        assert feed.find(f"{ATOM}link[@rel='self']") is not None
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ["id", "title", "updated"]:
                assert entry.findtext(f"{ATOM}{required}"), (feed_path, required)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.findtext(f"{ATOM}updated"))
            assert entry.find(f"{ATOM}link[@rel='alternate']") is not None

    def ids(path):
        return [e.findtext(f"{ATOM}id") for e in ET.parse(path).getroot().iter(f"{ATOM}entry")]

    root = copy_of_example(tmp_path)
    moved = build_site(root, root / "moved", base_url="https://elsewhere.example/")
    assert ids(moved.output / "feed.xml") == ids(example_build.output / "feed.xml")


def test_sitemap_lists_every_page_once(example_build):
    locs = [
        loc.text
        for loc in ET.parse(example_build.output / "sitemap.xml").getroot().iter()
        if loc.tag.endswith("loc")
    ]
    pages = [p for p in example_build.output.rglob("*.html") if p.name != "404.html"]
    assert len(locs) == len(set(locs)) == len(pages)


def test_dates_come_from_content_or_source_date_epoch(make_site, monkeypatch):
    root = make_site("standard.txt")  # a listing without a date in site.yml
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = build_site(root).output
    assert "<updated>2023-11-14T00:00:00Z</updated>" in (site / "feed.xml").read_text("utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    again = build_site(root).output
    assert "<updated>1970-01-01T00:00:00Z</updated>" in (again / "feed.xml").read_text("utf-8")


def test_without_url_absolute_links_are_left_out_with_a_warning(make_site):
    root = make_site("standard.txt", site_yml="title: No URL\n")
    report = build_site(root)
    assert any("no url" in warning.message for warning in report.warnings)
    site = report.output
    assert not (site / "sitemap.xml").exists()
    home = (site / "index.html").read_text("utf-8")
    assert "canonical" not in home and "og:url" not in home
    assert 'var root = "/";' in (site / "404.html").read_text("utf-8")
    assert "Sitemap:" not in (site / "robots.txt").read_text("utf-8")
    feed = (site / "feed.xml").read_text("utf-8")
    assert 'href="papers/' in feed  # relative to the feed, never a wrong absolute URL


def test_pages_have_a_description_even_when_the_site_gives_none(make_site):
    root = make_site("standard.txt", "glued.txt")  # site.yml and topics.yml: no descriptions
    report = build_site(root)
    home = (report.output / "index.html").read_text("utf-8")
    expected = f"{report.papers} research papers in {report.topics} topics."
    assert f'<meta name="description" content="{expected}">' in home
    for page in (report.output / "topics").glob("*/index.html"):
        assert re.search(
            r'<meta name="description" content="\d+ papers: [^"]+\.">', page.read_text()
        )
