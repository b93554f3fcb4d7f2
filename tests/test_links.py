"""URLs in abstracts: trailing punctuation is never part of a URL; repos are Code links."""

from __future__ import annotations

from generator.text.paper_links import classify, links_in


def test_trailing_punctuation_is_stripped():
    text = "Code: https://github.com/a/b. See (https://x.org/p) and https://y.org/q, then."
    assert [link.url for link in links_in(text)] == [
        "https://github.com/a/b",
        "https://x.org/p",
        "https://y.org/q",
    ]


def test_balanced_parentheses_stay_in_the_url():
    [link] = links_in("see https://en.wikipedia.org/wiki/Foo_(bar).")
    assert link.url == "https://en.wikipedia.org/wiki/Foo_(bar)"


def test_characters_that_cannot_be_in_a_url_end_it():
    [link] = links_in("https://github.com/x/retrieval{this is a typo}")
    assert link.url == "https://github.com/x/retrieval"


def test_repository_urls_are_code_others_project_pages():
    assert classify("https://github.com/org/repo").label == "Code"
    assert classify("https://gitlab.com/org/repo/-/tree/main").label == "Code"
    assert classify("https://github.com/org").label == "Project page"
    assert classify("https://org.github.io/project/").label == "Project page"


def test_each_url_once_in_order():
    text = "https://a.org/x and https://github.com/o/r and again https://a.org/x."
    assert [link.label for link in links_in(text)] == ["Project page", "Code"]
