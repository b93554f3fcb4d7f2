"""Word splitting shared by topics and related papers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.text.words import normalize_words


def one_by_one(text: str) -> list[str]:
    """The rule, word by word: a final 's' goes from words longer than 3, unless 'ss'."""
    words = []
    for word in "".join(c if c.isascii() and c.isalnum() else " " for c in text.lower()).split():
        words.append(word[:-1] if len(word) > 3 and word[-1] == "s" and word[-2] != "s" else word)
    return words


def test_examples():
    assert normalize_words("Vision Transformers, classes & gas: ViTs!") == [
        "vision",
        "transformer",
        "classe",
        "gas",
        "vit",
    ]
    assert normalize_words("Class loss NeRFs 3Ds 12s") == ["class", "loss", "nerf", "3ds", "12s"]


@given(st.text(alphabet=st.sampled_from("asSbc1 -.,ßİK\u212a\n"), max_size=40))
def test_same_as_the_rule_word_by_word(text):
    assert normalize_words(text) == one_by_one(text)
