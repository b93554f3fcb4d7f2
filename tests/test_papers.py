"""Merging: one paper per title across listings and notes, whatever the input order."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.catalog.papers import merge, title_key
from generator.diagnostics import Diagnostics, Location
from generator.model import Entry, Facts, Link, Listing, MetadataRecord, Note, PaperDate

LISTINGS = (
    Listing("first", "First", Path("first.txt"), dt.date(2024, 3, 14)),
    Listing("second", "Second", Path("second.txt"), dt.date(2024, 3, 11)),
)
LONG = "An abstract long enough to be one, about vision models and their training. " * 3


def entry(title: str, listing: str, line: int, abstract: str = LONG) -> Entry:
    return Entry(title, Location(Path(f"{listing}.txt"), line), listing, facts=Facts(abstract))


def test_title_match_ignores_case_whitespace_and_punctuation():
    assert title_key("Deep  Residual Learning: for Image-Recognition") == title_key(
        "deep residual learning for image recognition"
    )


def test_same_paper_in_two_listings_is_one_paper_naming_both():
    papers = merge(
        [
            entry("Deep Residual Learning", "first", 3),
            entry("deep residual learning.", "second", 9),
        ],
        [],
        LISTINGS,
    )
    [paper] = papers
    assert paper.listings == ("first", "second")
    assert paper.listed == dt.date(2024, 3, 11)
    assert paper.published is None  # a listing's date is not the paper's
    assert [origin.line for origin in paper.origins] == [3, 9]


def test_notes_page_merges_into_the_listed_paper():
    page = Note(
        title="DEEP RESIDUAL LEARNING",
        location=Location(Path("notes.md"), 1),
        facts=Facts(
            authors=("Kaiming He",), links=(Link("Code", "https://github.com/KaimingHe/x"),)
        ),
        notes="Read this first.",
    )
    [paper] = merge([entry("Deep Residual Learning", "first", 3)], [page], LISTINGS)
    assert paper.title == "DEEP RESIDUAL LEARNING"
    assert paper.abstract == LONG
    assert paper.authors == ("Kaiming He",)
    assert paper.notes == "Read this first."
    assert paper.listings == ("first",)
    assert Link("Code", "https://github.com/KaimingHe/x") in paper.links


def test_notes_page_without_a_listed_paper_stands_alone():
    page = Note(title="My Own Paper", location=Location(Path("own.md"), 1), facts=Facts("Hi."))
    papers = merge([entry("Listed Paper", "first", 1)], [page], LISTINGS)
    assert [paper.title for paper in papers] == ["Listed Paper", "My Own Paper"]
    assert papers[1].listings == ()


def test_longest_abstract_wins_over_a_truncated_copy():
    papers = merge(
        [entry("Same", "first", 1, LONG[:50]), entry("Same", "second", 1, LONG)], [], LISTINGS
    )
    assert papers[0].abstract == LONG


def test_abstract_urls_become_links():
    [paper] = merge(
        [
            entry(
                "P", "first", 1, LONG + "Code: https://github.com/a/b. Demo: https://a.github.io/."
            )
        ],
        [],
        LISTINGS,
    )
    assert paper.links == (
        Link("Code", "https://github.com/a/b"),
        Link("Project page", "https://a.github.io/"),
    )


TITLES = st.lists(
    st.sampled_from(["Alpha", "alpha", "ALPHA!", "Beta", "Gamma Rays", "gamma  rays", "Δelta"]),
    min_size=1,
    max_size=12,
)


@given(TITLES, st.randoms(use_true_random=False))
def test_merge_does_not_depend_on_input_order(titles, rng: random.Random):
    entries = [entry(title, ("first", "second")[i % 2], i + 1) for i, title in enumerate(titles)]
    shuffled = entries[:]
    rng.shuffle(shuffled)
    assert merge(entries, [], LISTINGS) == merge(shuffled, [], LISTINGS)
    assert len(merge(entries, [], LISTINGS)) == len({title_key(title) for title in titles})


def test_each_fact_comes_from_the_best_source_that_has_it():
    """notes > metadata.yml edits > listings > fetched metadata, field by field: what the
    Hub said only fills in what the sources lack."""
    listed = Entry(
        "Deep Residual Learning",
        Location(Path("first.bib"), 2),
        "first",
        facts=Facts(
            abstract=LONG,
            authors=("From Listing",),
            published=PaperDate(2016),
            links=(Link("Code", "https://github.com/listing/code"),),
            venue="CVPR",
        ),
    )
    record = MetadataRecord(
        "deep residual learning",
        Location(Path("metadata.yml"), 4),
        edited=Facts(venue="CVPR 2016"),
        fetched=Facts(
            authors=("From Hub",),
            published=PaperDate(2015, 12, 10),
            arxiv="1512.03385",
            links=(Link("Project page", "https://example.org/resnet/"),),
            upvotes=12,
            abstract="The Hub's abstract.",
        ),
    )
    notes = Note(
        "Deep Residual Learning", Location(Path("notes.md"), 1), Facts(authors=("From Notes",))
    )
    records = {title_key(record.title): record}
    [paper] = merge([listed], [notes], LISTINGS, records)
    assert paper.authors == ("From Notes",)
    assert paper.venue == "CVPR 2016"
    assert paper.published == PaperDate(2016)  # the listing's, not the Hub's
    assert (paper.arxiv, paper.upvotes) == ("1512.03385", 12)  # only the Hub has them
    assert paper.abstract == LONG
    assert paper.links == (
        Link("Code", "https://github.com/listing/code"),
        Link("Project page", "https://example.org/resnet/"),
    )
    [without_notes] = merge([listed], [], LISTINGS, records)
    assert without_notes.authors == ("From Listing",)
    title_only = Entry("Deep Residual Learning", Location(Path("first.txt"), 2), "first")
    [from_hub] = merge([title_only], [], LISTINGS, records)
    assert from_hub.authors == ("From Hub",) and from_hub.published == PaperDate(2015, 12, 10)
    assert from_hub.abstract == "The Hub's abstract."


def test_a_metadata_record_that_names_no_paper_is_reported():
    record = MetadataRecord("A Typo in the Title", Location(Path("metadata.yml"), 7))
    diagnostics = Diagnostics()
    papers = merge([entry("Listed Paper", "first", 1)], [], LISTINGS, {"x": record}, diagnostics)
    assert len(papers) == 1
    [warning] = diagnostics.warnings
    assert str(warning) == (
        "metadata.yml:7: warning: no listed paper or notes file is titled 'A Typo in the Title'"
    )


def test_tex_in_a_listed_abstract_is_typeset():
    [paper] = merge([entry("P", "first", 1, LONG + r"We get 85.4\% \& more---fast.")], [], LISTINGS)
    assert paper.abstract.endswith("We get 85.4% & more\u2014fast.")


def test_titles_that_differ_in_a_meaningful_sign_are_two_papers_and_punctuation_is_said():
    """ "C++ ..." and "C ..." became one page without a word. Signs that carry meaning keep
    papers apart; titles that differ only in case, accents, spacing or typographic
    punctuation are one paper, silently; only in other punctuation, one paper and a
    warning naming both places."""

    def entry(title: str, line: int) -> Entry:
        return Entry(title, Location(Path("list.txt"), line), "list")

    found = Diagnostics()
    papers = merge(
        [
            entry("C++ Templates for Vision", 1),
            entry("C Templates for Vision", 2),
            entry("C# Templates for Vision", 3),
            entry("Réseaux de Neurones", 4),
            entry("reseaux  de neurones", 5),
            entry("Don\u2019t Stop Pretraining", 6),
            entry("Don't Stop Pretraining", 7),
            entry("Pre-training at Scale", 8),
            entry("Pretraining at Scale", 9),
        ],
        [],
        (),
        diagnostics=found,
    )
    titles = sorted(paper.title for paper in papers)
    assert len(papers) == 6, titles
    assert {"C++ Templates for Vision", "C Templates for Vision", "C# Templates for Vision"} <= set(
        titles
    )
    [said] = [str(warning) for warning in found.warnings]
    assert "list.txt:9" in said and "'Pretraining at Scale'" in said and "list.txt:8" in said
