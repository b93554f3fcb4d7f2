"""content/metadata.yml as the build reads it: hub values, hand edits, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.metadata import read_metadata
from generator.diagnostics import ContentError
from generator.model import Facts, Link, PaperDate

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
    assert records["unfindablepaper"].fetched == records["twoofthem"].fetched == Facts()


def test_no_file_is_no_metadata(tmp_path):
    assert read_metadata(tmp_path) == {}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("papers:\n- title: A\n- title: 'a!'\n", 3, "'a!' is here twice (also line 2)"),
        ("papers:\n- title: A\n  arxiv: 1234\n", 3, "arxiv must be an arXiv id"),
        ("papers:\n- title: A\n  athors: [B]\n", 3, "unknown key 'athors'"),
        ("papers:\n- title: A\n  hub: {status: maybe}\n", 3, "status must be unmatched"),
        ("papers:\n- title: A\n  hub: {candidates: {a: 1}}\n", 3, "must be a list of text"),
        ("papers:\n- title: A\n  date: 2016-13\n", 3, "date '2016-13' is not a date"),
        ("papers:\n- title: A\n  date: 2016-02-30\n", 3, "date '2016-02-30' is not a date"),
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


def test_a_link_to_the_paper_itself_gives_its_id(tmp_path):
    write(
        tmp_path,
        "papers:\n- title: MAE\n  links: [https://arxiv.org/abs/2111.06377v2, "
        "https://github.com/facebookresearch/mae]\n"
        "- title: Other\n  links: {DOI: 'https://doi.org/10.1088/1742-5468/ac9830', "
        "Slides: 'https://arxiv.org/abs/2111.06377'}\n",
    )
    records = read_metadata(tmp_path)
    mae, other = records["mae"].edited, records["other"].edited
    assert mae.arxiv == "2111.06377v2"
    assert mae.links == (Link("Code", "https://github.com/facebookresearch/mae"),)
    assert other.doi == "10.1088/1742-5468/ac9830" and other.arxiv is None
    assert other.links == (Link("Slides", "https://arxiv.org/abs/2111.06377"),)


def test_yaml_is_parsed_by_libyaml_where_pyyaml_has_it():
    """The pure-Python parser took 10.1 s to read the metadata.yml of 10,000 papers
    fetch resolve writes, libyaml's 2.2 s (benchmarks/metadata_read.py): the loader's
    parsing must be libyaml's, its rules ours."""
    import yaml

    from generator.content import yamlfile

    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert yamlfile._LineLoader.get_single_node is yaml.CSafeLoader.get_single_node
    assert yamlfile._LineLoader.construct_object is yamlfile._PyLineLoader.construct_object
    assert yamlfile.parse_yaml("a: 1.50\nb: 2016-02-30\n", Path("x.yml")) == {
        "a": "1.50",
        "b": "2016-02-30",
    }
