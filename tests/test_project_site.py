"""The site as a GitHub Pages project site (/REPO/): every link, feed, search, deep 404."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from conftest import copy_of_example
from pagesserver import github_pages

from generator.build import build_site

ATOM = "{http://www.w3.org/2005/Atom}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.base: str | None = None
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "base":
            self.base = values.get("href")
            return
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """The example site built for https://example.github.io/REPO/, served under /REPO/."""
    place = tmp_path_factory.mktemp("project")
    output = place / "site"
    # A copy of its own: the repository's folder (its cache, its build lock) is shared by
    # every process running the tests.
    build_site(copy_of_example(place), output, base_url="https://example.github.io/REPO/")
    with github_pages(output) as url:
        yield url, output


def test_every_link_resolves_under_the_project_path(project_site):
    base, output = project_site
    seen, queue, broken = {base}, deque([base]), []
    while queue:
        url = queue.popleft()
        status, body, kind = fetch(url)
        if status != 200:
            broken.append(url)
            continue
        if "html" in kind:
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            links = [urljoin(urljoin(url, parser.base or ""), link) for link in parser.links]
        elif url.endswith("feed.xml"):
            links = [link.get("href") for link in ET.fromstring(body).iter(f"{ATOM}link")]
        else:
            links = []
        for link in links:
            link = link.split("#")[0]
            if link.startswith("https://example.github.io/REPO/"):
                link = base + link[len("https://example.github.io/REPO/") :]
            if urlsplit(link).netloc == urlsplit(base).netloc and link not in seen:
                assert urlsplit(link).path.startswith("/REPO/"), f"{url} links outside: {link}"
                seen.add(link)
                queue.append(link)
    assert broken == []
    pages = sum(1 for _ in output.rglob("index.html"))
    assert len(seen) > pages  # every page, plus assets and feeds


def test_404_page_works_at_any_depth(project_site, chromium):
    base, _ = project_site
    page = chromium.new_page()
    for missing in ["nope", "a/b/c/", "papers/no-such-paper/extra/deep/"]:
        response = page.goto(base + missing)
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        color = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
        )
        assert color == "solid"  # the stylesheet loaded
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(base)
    page.goto(base + "x/y/z/")
    page.click("#site-search-input")
    page.keyboard.type("deep residual")
    option = page.locator("#site-search-suggestions a[role=option]").first
    paper = base + "papers/deep-residual-learning-for-image-recognition/"
    # The suggestions of a word still being typed can show first, under load: the full
    # query's first one must lead to the paper.
    page.wait_for_function(
        """paper => {
             const option = document.querySelector('#site-search-suggestions a[role=option]');
             return option !== null && option.href === paper;
           }""",
        arg=paper,
    )
    option.click()
    page.wait_for_url(paper)
    page.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_deep_404_asks_for_nothing_missing_and_skips_to_its_own_content(
    project_site, chromium, javascript
):
    """The browser reads the page's links from the site's root as it loads them (a <base>
    in the page, not one a script adds after the loader has asked for ../assets/ at the
    missing address), so nothing 404s but the page, with JavaScript off too; and the skip
    link moves focus on this page instead of opening the home page."""
    base, _ = project_site
    context = chromium.new_context(java_script_enabled=javascript)
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    address = base + "papers/no-such-paper/extra/deep/"
    page.goto(address)
    page.wait_for_load_state("networkidle")
    assert missing == [address]
    style = "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
    assert page.evaluate(style) == "solid"  # (evaluate runs with the page's scripts off)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")
    assert page.locator("h1").inner_text() == "Page not found"
    if javascript:
        assert page.url == address + "#main"
    page.get_by_role("link", name="Go to the home page").click()
    page.wait_for_url(base)
    context.close()


def test_search_page_works_under_the_project_path(project_site, chromium):
    base, _ = project_site
    page = chromium.new_page()
    page.goto(base + "search/?q=survey")
    first = page.locator("#search-results h2 a").first
    first.wait_for()
    first.click()
    assert page.url.startswith(base + "papers/")
    assert fetch(page.url)[0] == 200
    page.close()


def test_absolute_urls_only_where_they_must_be(project_site):
    _, output = project_site
    home = (output / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.github.io/REPO/">' in home
    assert '<meta property="og:url" content="https://example.github.io/REPO/">' in home
    for page in [output / "index.html", output / "papers" / "index.html"]:
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        absolute = [link for link in parser.links if link.startswith("https://example.github.io")]
        assert absolute == [parser.canonical], page  # only the canonical link is absolute
    assert (output / "404.html").read_text("utf-8").count('var root = "/REPO/";') == 1
