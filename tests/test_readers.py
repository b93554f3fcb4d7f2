"""The readers, one per listing format: Hub JSON and BibTeX (the text reader has
test_listings.py), the registry by extension, and one-line reports for malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from conftest import FIXTURES

from generator.content.config import load_config
from generator.content.listings import read_listing
from generator.content.readers import READERS
from generator.diagnostics import ContentError, Diagnostics
from generator.model import Link, PaperDate

HUB = FIXTURES / "hub"


def read(path: Path) -> tuple[list, list[str]]:
    diagnostics = Diagnostics()
    entries = read_listing(path, path.stem, diagnostics)
    return entries, [str(warning) for warning in diagnostics.warnings]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_format_is_one_registered_reader():
    assert set(READERS) == {".txt", ".json", ".bib"}


def test_search_response_gives_ids_authors_dates_links_and_upvotes():
    entries, warnings = read(HUB / "search-vision.json")
    raw = json.loads((HUB / "search-vision.json").read_text("utf-8"))
    assert warnings == []
    assert len(entries) == len(raw) == 60
    first, item = entries[0], raw[0]
    assert first.title == item["title"]
    assert first.facts.arxiv == item["paper"]["id"]
    assert first.facts.authors == tuple(author["name"] for author in item["paper"]["authors"])
    published = item["paper"]["publishedAt"][:10]
    assert first.facts.published == PaperDate(*map(int, published.split("-")))
    assert first.facts.abstract == item["paper"]["summary"]
    assert first.facts.upvotes == item["paper"]["upvotes"]
    assert Link("Code", item["paper"]["githubRepo"]) in first.facts.links
    assert Link("Project page", item["paper"]["projectPage"]) in first.facts.links
    # Each item's line in the saved file, so warnings can point at it.
    assert [entry.location.line for entry in entries[:2]] == [2, 2 + raw_lines(raw[0])]


def raw_lines(item: dict) -> int:
    return json.dumps(item, indent=2, ensure_ascii=False, sort_keys=True).count("\n") + 1


def test_daily_papers_response_uses_the_papers_date_not_the_day_it_was_listed():
    entries, warnings = read(HUB / "daily-2024-03-14.json")
    raw = json.loads((HUB / "daily-2024-03-14.json").read_text("utf-8"))
    assert warnings == [] and len(entries) == 5
    assert entries[0].facts.published.iso() == raw[0]["paper"]["publishedAt"][:10]
    assert raw[0]["publishedAt"][:10] != raw[0]["paper"]["publishedAt"][:10]


def test_one_paper_response():
    [entry], warnings = read(HUB / "paper.json")
    raw = json.loads((HUB / "paper.json").read_text("utf-8"))
    assert warnings == []
    assert (entry.title, entry.facts.arxiv) == (raw["title"], raw["id"])
    assert entry.location.line == 1


def test_curl_output_on_one_line_reports_items_by_number(tmp_path):
    items = [
        {"paper": {"id": "2401.90001", "title": "Good Paper", "publishedAt": "not a date"}},
        "a stray string",
        {"paper": {"id": "zzz", "authors": "Ann"}, "title": "Odd Paper"},
        {"paper": {"id": "2401.90003"}},
    ]
    entries, warnings = read(write(tmp_path, "curl.json", json.dumps(items)))
    assert [entry.title for entry in entries] == ["Good Paper", "Odd Paper"]
    assert entries[0].facts.published is None and entries[0].facts.arxiv == "2401.90001"
    assert warnings == [
        f"{tmp_path / 'curl.json'}:1: warning: item 1 ('Good Paper'): publishedAt 'not a date' "
        "is not a date; left out",
        f"{tmp_path / 'curl.json'}:1: warning: item 2 is not a paper (a JSON object); skipped",
        f"{tmp_path / 'curl.json'}:1: warning: item 3 ('Odd Paper'): 'zzz' is not an arXiv id; "
        "left out",
        f"{tmp_path / 'curl.json'}:1: warning: item 3 ('Odd Paper'): authors is not a list; "
        "left out",
        f"{tmp_path / 'curl.json'}:1: warning: item 4 has no title; skipped",
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[\n  {"title": "A"},\n  {"title": "B",}\n]', 3, "not valid JSON"),
        ('{"error": "Invalid rate limit"}', 1, "this is an error the Hub sent, not papers"),
        ('"just text"', 1, "expected a list of papers or one paper"),
        ("", 1, "not valid JSON"),
    ],
)
def test_malformed_json_is_one_error_with_its_line(tmp_path, text, line, message):
    path = write(tmp_path, "bad.json", text)
    with pytest.raises(ContentError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}:{line}: error: {message}")


def test_bibtex_accents_capitals_macros_and_name_orders():
    entries, _ = read(FIXTURES / "reading-list.bib")
    by_title = {entry.title: entry for entry in entries}
    resnet = by_title["Deep Residual Learning for Image Recognition"]
    assert resnet.facts.authors == ("Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun")
    assert resnet.facts.published == PaperDate(2016, 6)
    assert resnet.facts.arxiv == "1512.03385"
    assert resnet.facts.venue.startswith("Proceedings of the IEEE Conference")  # @string
    assert resnet.facts.kind == "inproceedings"
    convit = by_title[
        "ConViT: Improving Vision Transformers with Soft Convolutional Inductive Biases"
    ]
    assert convit.facts.authors == ("Stéphane d'Ascoli", "Hugo Touvron", "Matthew L. Leavitt")
    assert convit.facts.doi == "10.1088/1742-5468/ac9830"
    assert convit.facts.published == PaperDate(2022, 11)
    assert convit.abstract == "We get 85.4% top-1 accuracy & more—without über-large data."
    alpha = by_title["Alpha Networks for Vision"]
    assert alpha.facts.authors == ("Jörg Müller", "Anna van der Berg", "John Smith, Jr.")
    assert alpha.facts.published == PaperDate(2023)
    assert alpha.facts.links == (Link("Code", "https://github.com/example-lab/alpha"),)
    assert by_title["Gamma Rays of Attention"].facts.published == PaperDate(2021, 7)


def test_bibtex_mistakes_are_one_line_each_and_no_entry_is_lost_silently():
    entries, warnings = read(FIXTURES / "reading-list.bib")
    path = FIXTURES / "reading-list.bib"
    assert sorted(warnings) == sorted(
        [
            f"{path}:45: warning: cannot read this entry: Unexpected block start: `@misc`. "
            "Was still looking for field-value closing `}`; skipped",
            f"{path}:49: warning: key 'he2016deep' is used twice; both entries are read",
            f"{path}:34: warning: entry 'notitle' has no title; skipped",
            f"{path}:39: warning: entry 'badyear': year '20x1' is not a year; left out",
        ]
    )
    text = path.read_text("utf-8")
    opened = text.count("\n@") - text.count("\n@string")
    skipped = sum("skipped" in warning for warning in warnings)
    assert len(entries) + skipped == opened  # every entry read, or reported as skipped


def test_a_bib_the_parser_cannot_split_is_one_error(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(bibtexparser, "parse_string", broken)
    path = write(tmp_path, "x.bib", "@misc{a, title={A}}")
    with pytest.raises(ContentError, match=r"x\.bib: error: the BibTeX parser failed"):
        read(path)


def test_listings_of_every_format_are_found_and_one_name_is_one_listing(make_site):
    root = make_site("standard.txt")
    sources = root / "content" / "listings"
    (sources / "vision.json").write_text((HUB / "paper.json").read_text("utf-8"), "utf-8")
    (sources / "reading.bib").write_text((FIXTURES / "reading-list.bib").read_text("utf-8"))
    (sources / "notes.md").write_text("not a listing")
    assert [listing.id for listing in load_config(root).listings] == [
        "reading",
        "standard",
        "vision",
    ]
    (sources / "vision.txt").write_text("x")
    with pytest.raises(ContentError, match="two listings named 'vision'"):
        load_config(root)


def test_bibtex_finds_the_arxiv_id_where_reference_managers_put_it(tmp_path):
    path = write(
        tmp_path,
        "ids.bib",
        "@article{a, title={Scholar Export}, journal={arXiv preprint arXiv:1512.03385}}\n"
        "@misc{b, title={Mendeley Export}, arxivId={2103.10697}}\n"
        "@misc{c, title={Biblatex}, eprint={2010.11929v2}, eprinttype={arxiv}}\n"
        "@misc{d, title={Not arXiv}, eprint={hep-th/9901001x}, archivePrefix={SSRN}}\n"
        "@misc{e, title={By URL}, url={https://arxiv.org/abs/1706.03762}}\n",
    )
    entries, warnings = read(path)
    assert [entry.facts.arxiv for entry in entries] == [
        "1512.03385",
        "2103.10697",
        "2010.11929v2",
        None,
        "1706.03762",
    ]
    assert entries[4].facts.links == () and warnings == []
