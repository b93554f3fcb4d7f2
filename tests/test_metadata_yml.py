"""content/metadata.yml as the build reads it: hub values, hand edits, clear errors."""

from __future__ import annotations

import pytest

from generator.diagnostics import ContentError
from generator.metadata import read_metadata
from generator.model import Link, PaperDate

GOOD = """\
papers:
- title: "Deep Residual Learning for Image Recognition"
  date: 2016-06
  hub:
    arxiv: 2103.10690
    authors: [Kaiming He, Xiangyu Zhang]
    date: 2015-12-10
    links: {Code: https://github.com/KaimingHe/deep-residual-networks}
    upvotes: 12
- title: Unfindable Paper
  hub: {status: unmatched}
- title: Two Of Them
  hub: {status: ambiguous, candidates: ['2401.90001', '2401.90002']}
"""


def write(tmp_path, text):
    (tmp_path / "metadata.yml").write_text(text, encoding="utf-8")
    return tmp_path / "metadata.yml"


def test_records_keep_hub_values_and_edits_apart(tmp_path):
    write(tmp_path, GOOD)
    records = read_metadata(tmp_path)
    resnet = records["deepresiduallearningforimagerecognition"]
    assert resnet.location.line == 2
    assert resnet.edited.published == PaperDate(2016, 6)
    assert resnet.edited.authors == ()
    assert resnet.fetched.arxiv == "2103.10690"  # not the number 2103.1069
    assert resnet.fetched.authors == ("Kaiming He", "Xiangyu Zhang")
    assert resnet.fetched.published == PaperDate(2015, 12, 10)
    assert resnet.fetched.links == (
        Link("Code", "https://github.com/KaimingHe/deep-residual-networks"),
    )
    assert resnet.fetched.upvotes == 12
    assert records["unfindablepaper"].status == "unmatched"
    assert records["twoofthem"].candidates == ("2401.90001", "2401.90002")


def test_no_file_is_no_metadata(tmp_path):
    assert read_metadata(tmp_path) == {}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("papers:\n- title: A\n- title: 'a!'\n", 3, "'a!' is here twice (also line 2)"),
        ("papers:\n- title: A\n  arxiv: 1234\n", 3, "arxiv must be an arXiv id"),
        ("papers:\n- title: A\n  athors: [B]\n", 3, "unknown key 'athors'"),
        ("papers:\n- title: A\n  hub: {status: maybe}\n", 3, "status must be unmatched"),
        ("papers:\n- title: A\n  date: 2016-13\n", 3, "date must look like 2024-03-14"),
        ("papers:\n- arxiv: '1512.03385'\n", 2, "missing required field 'title'"),
        ("papers: {a: 1}\n", 1, "papers must be a list"),
        ("papers:\n- title: [x\n", 3, "invalid YAML"),
    ],
)
def test_mistakes_are_one_error_with_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        read_metadata(tmp_path)
    assert str(caught.value).startswith(f"{path}:{line}: error: ")
    assert message in str(caught.value)
