"""Slugs: ASCII, readable, unique, and independent of the order papers were read in."""

from __future__ import annotations

import random
import re

from hypothesis import given
from hypothesis import strategies as st

from generator.text.slugs import MAX_SLUG_LENGTH, slugify, unique_slugs

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_readable_ascii_slug():
    assert slugify("Café: Déjà Vu for ViTs!") == "cafe-deja-vu-for-vits"


def test_long_titles_are_cut_at_a_word():
    slug = slugify(
        "Multiview Aerial Visual Recognition (MAVREC): Can Multi-view Improve Perception?"
    )
    assert slug == "multiview-aerial-visual-recognition-mavrec-can-multi-view"
    assert len(slug) <= MAX_SLUG_LENGTH


def test_title_without_usable_characters_still_gets_a_slug():
    slugs = unique_slugs([("日本語の論文", "日本語の論文"), ("???", "???")])
    assert all(SLUG.match(slug) for slug in slugs.values())
    assert len(set(slugs.values())) == 2


def test_collisions_are_resolved_deterministically():
    keys = [("ab", "A-B"), ("a b", "A B"), ("a.b", "A.B")]
    slugs = unique_slugs(keys)
    assert sorted(slugs.values())[0] == "a-b"
    assert len(set(slugs.values())) == 3
    assert unique_slugs(list(reversed(keys))) == slugs


@given(st.lists(st.text(max_size=80), max_size=30, unique=True))
def test_slugs_are_valid_unique_and_order_independent(titles):
    keys = [(title, title) for title in titles]
    slugs = unique_slugs(keys)
    assert len(set(slugs.values())) == len(titles)
    assert all(SLUG.match(slug) for slug in slugs.values())
    shuffled = keys[:]
    random.Random(0).shuffle(shuffled)
    assert unique_slugs(shuffled) == slugs


def test_reserved_slugs_get_a_hash():
    slugs = unique_slugs(
        [("page", "Page"), ("bydate", "By Date"), ("x", "X")],
        reserved=frozenset({"page", "by-date"}),
    )
    assert slugs["x"] == "x"
    assert slugs["page"].startswith("page-") and slugs["bydate"].startswith("by-date-")


def test_names_in_other_scripts_are_transliterated_and_kana_keep_their_marks():
    """Issue 24: a name with no ASCII letter gets a readable address; a kana's voicing mark
    is not split off first (データ is de-ta, not te-ta; バス and パス stay apart)."""
    assert slugify("画像認識") == "hua-xiang-ren-shi"
    assert slugify("データ") == "de-ta"
    assert slugify("バス") != slugify("パス")
    assert slugify("Зрение") == "zrenie"
    assert slugify("한국어") == "han-gug-eo"
    assert slugify("\u30c7") == slugify("\u30c6\u3099") == "de"  # composed or not
    assert slugify("★ ☆") == ""


def test_a_slug_made_before_transliteration_stays_the_same():
    """Published addresses do not move: text with ASCII letters keeps its old slug."""
    assert slugify("An Image is Worth 16\u00d716 Words") == "an-image-is-worth-1616-words"
    assert slugify("Ω-Net") == "net"
    assert slugify("µ-Law") == "law"
    assert slugify("Müller\u2013Lyer") == "mullerlyer"


def test_authors_in_other_scripts_are_never_merged_by_their_transliteration():
    from generator.catalog.authors import author_key

    assert len({author_key("王伟"), author_key("汪巍"), author_key("Wang Wei")}) == 3
    assert author_key("Łukasz Kaiser") == author_key("Lukasz Kaiser")
