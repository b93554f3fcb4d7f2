"""TeX in copied abstracts shows as the text it typesets to, and nothing else changes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.text.tex import typeset


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (r"top-1 accuracy of 85.4\% on ImageNet", "top-1 accuracy of 85.4% on ImageNet"),
        (r"ILSVRC \& COCO 2015", "ILSVRC & COCO 2015"),
        ("152 layers---8x deeper", "152 layers\u20148x deeper"),
        ("pages 770--778", "pages 770\u2013778"),
        ("a ``foreign language'' here", "a \u201cforeign language\u201d here"),
        (
            "e.g.~facial landmarks, models~(MLLMs), (1)~a",
            "e.g. facial landmarks, models (MLLMs), (1) a",
        ),
        (r"snake\_case and \#1 and \$5", "snake_case and #1 and $5"),
    ],
)
def test_escapes_dashes_quotes_and_ties_are_typeset(source, shown):
    assert typeset(source) == shown


@pytest.mark.parametrize(
    "kept",
    [
        "about (~2%) and 10~30% and ~10G FLOPs",  # ~ as "about" or "to"
        r"we use \textbf{Mamba} and $\alpha$ and 0.80 \pm 0.02",  # commands and math
        "a ---- rule and x-y and well-known",
        "code at https://github.com/a/b--c~d and https://x.org/~user/a%20b",
    ],
)
def test_everything_else_is_left_as_it_was(kept):
    assert typeset(kept) == kept


TEXISH = st.lists(
    st.sampled_from([*"ab1 .)(\\%&_#$-`'~\n", "https://x.org/a--b"]), max_size=40
).map("".join)


@given(st.one_of(TEXISH, st.text(max_size=60)))
def test_only_marks_change_never_a_letter_or_digit(text):
    """Nothing else changed: the words of the text are the same before and after."""
    words = re.compile(r"[^\W_]+")
    assert words.findall(typeset(text)) == words.findall(text)
