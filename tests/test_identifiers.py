"""arXiv ids and DOIs as people write them, and the links a paper page offers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import Location
from generator.model import Link, Paper
from generator.text.identifiers import arxiv_id, doi, paper_actions


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("1512.03385", "1512.03385"),
        ("arXiv:1512.03385v2", "1512.03385v2"),
        ("https://arxiv.org/abs/2103.10697", "2103.10697"),
        ("https://arxiv.org/pdf/2103.10697v1.pdf", "2103.10697v1"),
        ("https://huggingface.co/papers/2103.10697", "2103.10697"),
        ("0704.0001", "0704.0001"),
        ("cs/0102001", "cs/0102001"),
        ("math.GT/0309136v2", "math.GT/0309136v2"),
        ("1513.03385", None),  # month 15
        ("0612.1234", None),  # before new-style ids
        ("https://arxiv.org/list/cs.CV/recent", None),
        ("12345", None),
    ],
)
def test_arxiv_ids(text, found):
    assert arxiv_id(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("10.1109/CVPR.2016.90", "10.1109/CVPR.2016.90"),
        ("doi:10.1088/1742-5468/ac9830", "10.1088/1742-5468/ac9830"),
        ("https://doi.org/10.1088/1742-5468/ac9830", "10.1088/1742-5468/ac9830"),
        ("11.1109/x", None),
    ],
)
def test_dois(text, found):
    assert doi(text) == found


def paper(**fields) -> Paper:
    base = {"key": "k", "slug": "s", "title": "A Title: With Colons & Co", "abstract": ""}
    return Paper(**base, listings=(), origins=(Location(Path("x.txt"), 1),), **fields)


def test_a_paper_with_an_id_leads_to_arxiv_pdf_and_hugging_face_then_its_code():
    actions = paper_actions(
        paper(
            arxiv="1512.03385v2",
            links=(Link("Project page", "https://p/"), Link("Code", "https://c/")),
        )
    )
    assert [(a.label, a.url) for a in actions] == [
        ("arXiv", "https://arxiv.org/abs/1512.03385v2"),
        ("PDF", "https://arxiv.org/pdf/1512.03385v2"),
        ("Hugging Face", "https://huggingface.co/papers/1512.03385"),
        ("Code", "https://c/"),
        ("Project page", "https://p/"),
    ]


def test_a_paper_without_an_id_is_never_a_dead_end():
    actions = paper_actions(paper())
    assert [a.label for a in actions] == [
        "Search arXiv",
        "Search Hugging Face",
        "Search Google Scholar",
        "Search Semantic Scholar",
    ]
    quoted = "%22A%20Title%3A%20With%20Colons%20%26%20Co%22"  # as urllib.parse.quote
    assert actions[0].url == f"https://arxiv.org/search/?query={quoted}&searchtype=title"
    assert all("A%20Title" in action.url for action in actions)


@given(st.text(max_size=40))
def test_search_terms_are_quoted_as_urllib_quotes_them(text):
    from urllib.parse import quote

    from generator.text.identifiers import _query_value

    assert _query_value(text) == quote(text, safe="")


def test_the_hugging_face_action_says_how_many_upvoted_the_paper():
    def label(upvotes):
        return paper_actions(paper(arxiv="1512.03385", upvotes=upvotes))[2].label

    assert (label(None), label(0), label(1), label(12)) == (
        "Hugging Face",
        "Hugging Face",
        "Hugging Face · 1 upvote",
        "Hugging Face · 12 upvotes",
    )
