"""Every paper page leads to the paper, names its authors, shows a real date and gives a
citation that works: checked on a site built from Hub-shaped JSON and on the example."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from conftest import FIXTURES

from generator.build import build_site
from generator.content.listings import read_listing
from generator.diagnostics import Diagnostics
from generator.text.words import fold

HUB = FIXTURES / "hub"
FINDERS = ("arxiv.org", "huggingface.co/papers", "scholar.google.com", "semanticscholar.org")


@pytest.fixture(scope="module")
def hub_site(tmp_path_factory) -> Path:
    """A site whose listings are a saved papers search (60 papers) and a BibTeX file."""
    root = tmp_path_factory.mktemp("hubsite")
    sources = root / "content" / "listings"
    sources.mkdir(parents=True)
    shutil.copy(HUB / "search-vision.json", sources / "vision.json")
    shutil.copy(FIXTURES / "reading-list.bib", sources / "reading.bib")
    (root / "content" / "site.yml").write_text(
        "title: Hub Site\nurl: https://example.org/hub/\n", encoding="utf-8"
    )
    build_site(root)
    return root / "site"


def bibtex_of(page: Path) -> dict:
    """The page's BibTeX entry, read back by bibtexparser as a reference manager would."""
    markdown = page.with_name("index.md").read_text("utf-8")
    source = re.search(r"```bibtex\n(.*?)\n```", markdown, re.S)[1]
    library = bibtexparser.parse_string(
        source,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    assert not library.failed_blocks, source
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    fields["authors"] = [" ".join([*n.first, *n.von, *n.last]) for n in fields.get("author", [])]
    return {"key": entry.key, "type": entry.entry_type, **fields}


def test_every_paper_of_a_hub_listing_has_authors_date_links_and_a_citation(hub_site):
    items = json.loads((HUB / "search-vision.json").read_text("utf-8"))
    assert len(items) >= 50
    # ResNet is in both listings: reading.bib sorts first, so its arXiv id is the one used.
    in_bib = {
        entry.title for entry in read_listing(FIXTURES / "reading-list.bib", "r", Diagnostics())
    }
    items = [item for item in items if item["title"] not in in_bib]
    assert len(items) == 59
    by_id = {item["paper"]["id"]: item["paper"] for item in items}
    checked = 0
    for page in (hub_site / "papers").glob("*/index.html"):
        text = page.read_text("utf-8")
        found = re.search(r'<meta name="citation_arxiv_id" content="([^"]+)">', text)
        if not found or found[1] not in by_id:
            continue
        paper = by_id[found[1]]
        arxiv = paper["id"]
        for author in paper["authors"]:
            assert f">{html.escape(author['name'], quote=False)}</a>" in text, (page, author)
        day = paper["publishedAt"][:10]
        assert f'<meta name="citation_publication_date" content="{day.replace("-", "/")}">' in text
        assert re.search(r"Published \w+ \d{1,2}, " + day[:4], text), page
        for url in (
            f"https://arxiv.org/abs/{arxiv}",
            f"https://arxiv.org/pdf/{arxiv}",
            f"https://huggingface.co/papers/{arxiv}",
        ):
            assert f'href="{url}"' in text, (page, url)
        cite = bibtex_of(page)
        assert cite["authors"] == [author["name"] for author in paper["authors"]]
        assert cite["year"] == day[:4]
        assert (cite["eprint"], cite["archivePrefix"]) == (arxiv, "arXiv")
        assert cite["url"] == f"https://arxiv.org/abs/{arxiv}"
        checked += 1
    assert checked == len(items)


def test_bibtex_keys_are_scholar_style_and_unique_across_the_site(hub_site, example_build):
    for site in (hub_site, example_build.output):
        keys = [bibtex_of(page)["key"] for page in (site / "papers").glob("*/index.html")]
        assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1][:5]
    resnet = bibtex_of(hub_site / "papers/deep-residual-learning-for-image-recognition/index.html")
    assert resnet["key"] == "he2016deep"
    assert resnet["type"] == "inproceedings"
    assert resnet["booktitle"].startswith("Proceedings of the IEEE Conference")
    assert (resnet["year"], resnet["month"]) == ("2016", "jun")
    assert resnet["authors"] == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]


def test_a_paper_known_only_by_its_title_gets_no_invented_year(example_build):
    page = example_build.output / "papers/deep-residual-learning-for-image-recognition/index.html"
    cite = bibtex_of(page)
    assert cite["key"] == "deepresiduallearning"
    assert set(cite) == {"key", "type", "title", "authors"}
    for site_page in (example_build.output / "papers").glob("*/index.html"):
        key = bibtex_of(site_page)["key"]
        assert "2024" not in key or "2024" in site_page.read_text("utf-8").split("## Cite")[0]


def test_every_example_paper_page_leads_somewhere_to_find_the_paper(example_build):
    pages = list((example_build.output / "papers").glob("*/index.html"))
    assert len(pages) == example_build.papers
    for page in pages:
        text = page.read_text("utf-8")
        outbound = re.findall(r'href="(https://[^"]+)"', text)
        assert any(host in url for url in outbound for host in FINDERS), page


def test_a_listing_date_is_never_shown_as_a_publication_date(example_build):
    site = example_build.output
    listing_days = ["March 14, 2024", "March 11, 2024", "March 12, 2024"]
    for page in [*(site / "papers").glob("*/index.html"), site / "index.html"]:
        text = re.sub(r"<[^>]+>", "", page.read_text("utf-8"))
        for day in listing_days:
            for match in re.finditer(re.escape(day), text):
                before = text[max(0, match.start() - 12) : match.start()].lower()
                assert "listed" in before, (page, text[match.start() - 60 : match.end()])
    clip = (site / "papers").glob("learning-transferable-visual-models*/index.html")
    for page in clip:
        text = page.read_text("utf-8")
        assert "citation_publication_date" not in text and "datePublished" not in text
        assert "Listed March 14, 2024 (publication date not known)" in text


def test_latest_papers_are_those_with_real_dates_newest_first(example_build):
    home = (example_build.output / "index.html").read_text("utf-8")
    latest = home.split('id="latest"')[1].split("</section>")[0]
    assert re.findall(r'<time datetime="([\d-]+)">', latest) == ["2021-03-19", "2020-10-22"]
    recent = home.split('id="recent"')[1].split("</section>")[0]
    assert recent.count("Listed <time") == recent.count('class="card paper-card"') > 0


def test_author_pages_list_their_papers_and_paper_pages_link_them(hub_site):
    index = (hub_site / "authors/index.html").read_text("utf-8")
    names = re.findall(r'<li><a href="([^"]+)/">([^<]+)</a> <span class="count">(\d+)', index)
    assert len(names) > 10
    for href, name, count in names:
        page = (hub_site / "authors" / href / "index.html").read_text("utf-8")
        assert "<h1 id=" in page and html.unescape(name) in html.unescape(page)
        assert page.count('<li class="card paper-card">') == int(count)
    convit = (hub_site / "papers").glob("convit-*/index.html")
    text = next(convit).read_text("utf-8")
    assert '<a href="../../authors/stephane-d-ascoli/">Stéphane d\'Ascoli</a>' in text
    family_first = [
        fold(html.unescape(name).split(",")[0].split()[-1]).casefold() for _, name, _ in names
    ]
    assert family_first == sorted(family_first)  # accents folded: Sørensen before Sun


def test_a_site_without_any_dates_still_shows_papers_on_its_home(make_site):
    root = make_site("standard.txt", "glued.txt")  # site.yml gives no listing dates
    home = (build_site(root).output / "index.html").read_text("utf-8")
    assert 'id="latest"' not in home and 'id="recent"' not in home
    shown = home.split('id="some"')[1].split("</section>")[0]
    titles = re.findall(r'<h3 class="card-title"><a [^>]+>([^<]+)</a>', shown)
    assert titles == sorted(titles, key=str.casefold) and len(titles) == 4
    assert "Listed" not in shown and "<time" not in shown  # no date is known


def test_no_page_claims_a_publication_date_it_does_not_know(example_build):
    """Only the two papers with notes files have a date: no other page's metadata has one."""
    dated = 0
    for page in (example_build.output / "papers").glob("*/index.html"):
        text = page.read_text("utf-8")
        claims = ("citation_publication_date" in text, '"datePublished"' in text)
        assert claims[0] == claims[1] == ("Published " in text), page
        dated += claims[0]
    assert dated == 2
    feed = (example_build.output / "feed.xml").read_text("utf-8")
    assert "<published>" not in feed


def test_a_paper_without_an_abstract_has_no_empty_abstract_section(make_site):
    """Issue 26: a heading over "No abstract available." was a section with nothing to
    show; the page (and its Markdown twin) now has no Abstract section at all."""
    root = make_site("standard.txt")
    (root / "content" / "papers").mkdir()
    (root / "content" / "papers" / "bare.md").write_text(
        "---\ntitle: A Paper Known by Its Title\n---\n", "utf-8"
    )
    build_site(root, root / "site")
    folder = root / "site" / "papers" / "a-paper-known-by-its-title"
    page, twin = (folder / "index.html").read_text("utf-8"), (folder / "index.md").read_text()
    assert "Abstract" not in page and "No abstract" not in page
    assert "## Abstract" not in twin and "## Find this paper" in twin
    with_one = (root / "site" / "papers" / "alpha-networks-for-vision" / "index.md").read_text()
    assert "## Abstract\n\nWe study alpha networks" in with_one
