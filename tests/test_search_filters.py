"""Issue 24: the search page sorts by date and filters by year range and by author, with
counts, all in the URL (?q=&sort=date&year=2021-2022&author=...), from a deep link and
from file://, and from its controls (the back button undoes a choice). In headless
Chromium, on a collection whose papers have dates and authors."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import serve_directory

from generator.build import build_site
from generator.text.slugs import slugify

PEOPLE = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Kaiming He", "Fei-Fei Li", "Yann LeCun"]
TOPICS = "fallback: other\ntopics:\n  - name: Other\n    keywords: [vision]\n"


def papers() -> list[tuple[str, int | None, list[str]]]:
    """(title, year or None, authors) of 36 papers about vision: years 2016-2024 and some
    undated; authors from PEOPLE, each on a different number of papers."""
    made = []
    for n in range(36):
        year = None if n % 9 == 8 else 2016 + n % 9
        authors = [PEOPLE[n % 6]] + ([PEOPLE[(n * 5) % 6]] if n % 4 == 0 else [])
        made.append((f"Vision Study {n:02d} of Scenes", year, list(dict.fromkeys(authors))))
    return made


def bib() -> str:
    entries = []
    for n, (title, year, authors) in enumerate(papers()):
        fields = [f"  title = {{{title}}}", f"  author = {{{' and '.join(authors)}}}"]
        if year:
            fields.append(f"  year = {{{year}}}")
        entries.append(f"@article{{study{n},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(entries)


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("dated")
    (root / "content" / "listings").mkdir(parents=True)
    (root / "content" / "listings" / "studies.bib").write_text(bib(), "utf-8")
    (root / "content" / "site.yml").write_text("title: Dated\n", "utf-8")
    (root / "content" / "topics.yml").write_text(TOPICS, "utf-8")
    return build_site(root, root / "site").output


def shown_titles(page) -> list[str]:
    page.wait_for_function("!document.getElementById('search-results').hasAttribute('aria-busy')")
    while page.locator("#search-more").is_visible():
        shown = page.locator("#search-results h2").count()
        page.click("#search-more")  # (then waits for more, however loaded the machine)
        page.wait_for_function(f"document.querySelectorAll('#search-results h2').length > {shown}")
    return page.locator("#search-results h2").all_inner_texts()


def year_of(title: str) -> int | None:
    return {t: y for t, y, _ in papers()}[title]


def authors_of(title: str) -> list[str]:
    return {t: a for t, _, a in papers()}[title]


@pytest.mark.parametrize("how", ["http", "file"])
def test_deep_links_sort_and_filter(page, dated_site, how):
    with serve_directory(dated_site) as url:
        base, index = (url, "") if how == "http" else (dated_site.as_uri() + "/", "index.html")
        search = f"{base}search/{index}?q=vision"

        page.goto(search + "&sort=date")
        titles = shown_titles(page)
        assert len(titles) == 36
        years = [year_of(title) or 0 for title in titles]
        assert years == sorted(years, reverse=True)  # newest first, undated last
        assert years[-1] == 0 and years[0] == 2023
        assert page.input_value("#search-sort") == "date"
        assert page.inner_text("#search-status").endswith("newest first")

        page.goto(search + "&year=2021-2022")
        titles = shown_titles(page)
        assert titles and all(year_of(title) in (2021, 2022) for title in titles)
        assert len(titles) == sum(1 for _, y, _ in papers() if y in (2021, 2022))
        assert "from 2021 to 2022" in page.inner_text("#search-status")
        assert page.input_value("#year-from") == "2021" and page.input_value("#year-to") == "2022"
        labels = page.locator("#year-from option").all_inner_texts()
        assert labels[0] == "Any year"
        # "From 2020" would show 2020 to 2022, "From 2023" 2023 alone (the To moves along).
        assert "2020 (12)" in labels and "2023 (4)" in labels, labels

        who = "Grace Hopper"
        page.goto(search + "&author=" + slugify(who) + "&year=2019-")
        titles = shown_titles(page)
        expected = [t for t, y, a in papers() if who in a and y is not None and y >= 2019]
        assert sorted(titles) == sorted(expected) and titles
        assert f"from 2019 on by {who}" in page.inner_text("#search-status")
        options = page.locator("#author-filter option").all_inner_texts()
        counts = {
            name: sum(1 for _, y, a in papers() if name in a and y is not None and y >= 2019)
            for name in PEOPLE
        }
        assert f"{who} ({counts[who]})" in options
        assert options[0] == "All authors"


def test_the_controls_write_the_address_and_back_undoes(page, dated_site):
    with serve_directory(dated_site) as url:
        page.goto(url + "search/?q=" + quote("vision study"))
        before = shown_titles(page)
        page.select_option("#search-sort", "date")
        page.wait_for_url(re.compile(r"sort=date"))
        after = shown_titles(page)
        assert sorted(after) == sorted(before) and after != before
        page.locator("#year-from option", has_text="2018").wait_for(state="attached")
        page.select_option("#year-from", "2018")  # from 2018 on
        page.wait_for_url(re.compile(r"year=2018-(&|$)"))
        assert all((year_of(title) or 0) >= 2018 for title in shown_titles(page))
        page.select_option("#year-to", "2020")
        page.wait_for_url(re.compile(r"year=2018-2020"))
        assert {year_of(title) for title in shown_titles(page)} == {2018, 2019, 2020}
        page.go_back()
        page.wait_for_url(re.compile(r"year=2018-(&|$)"))
        titles = shown_titles(page)
        assert 2023 in {year_of(title) for title in titles}
        assert page.input_value("#year-to") == ""
        author = page.locator("#author-filter option").nth(1)
        slug = author.get_attribute("value")
        page.select_option("#author-filter", slug)
        page.wait_for_url(re.compile("author=" + slug))
        name = re.sub(r" \(\d+\)$", "", author.inner_text())
        assert all(name in authors_of(title) for title in shown_titles(page))


def test_every_choice_shows_as_many_papers_as_its_count_says(page, dated_site):
    """A year or author choice's count is the number of papers choosing it shows."""
    with serve_directory(dated_site) as url:
        for start in ["&year=2019-2021", "&author=" + slugify("Alan Turing")]:
            for select in ["#year-from", "#year-to", "#author-filter"]:
                page.goto(url + "search/?q=vision" + start)
                shown_titles(page)
                page.locator(select + " option").nth(1).wait_for(state="attached")
                options = [
                    (option.get_attribute("value"), option.inner_text())
                    for option in page.locator(select + " option").all()
                ]
                for number, (value, label) in enumerate(options[1:3]):
                    if number:  # each choice from the page as the start link opens it
                        page.goto(url + "search/?q=vision" + start)
                        shown_titles(page)
                        page.locator(select + " option").nth(1).wait_for(state="attached")
                    page.select_option(select, value)
                    page.wait_for_function(
                        "!document.getElementById('search-results').hasAttribute('aria-busy')"
                    )
                    counted = int(re.search(r"\((\d+)\)$", label).group(1))
                    assert len(shown_titles(page)) == counted, (start, select, label)


NOTHING_SHOWN = "document.getElementById('search-status').innerText.includes('No papers')"


def test_when_the_filters_leave_nothing_the_status_says_so(page, dated_site):
    with serve_directory(dated_site) as url:
        page.goto(url + "search/?q=" + quote("vision study") + "&year=2030-")
        page.wait_for_function(NOTHING_SHOWN)
        said = page.inner_text("#search-status")
        assert re.search(r"\. \d+ papers? without the filters\.$", said), said
        page.goto(url + "search/?q=zzzzqqqq")
        page.wait_for_function(NOTHING_SHOWN)
        assert page.inner_text("#search-status").endswith("Try fewer or shorter words.")
