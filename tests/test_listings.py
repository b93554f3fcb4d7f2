"""The listing parser against small files with every oddity seen in the wild."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from generator.content.listings import read_listing
from generator.diagnostics import Diagnostics


def parse(name: str) -> tuple[list, Diagnostics]:
    diagnostics = Diagnostics()
    return read_listing(FIXTURES / name, Path(name).stem, diagnostics), diagnostics


def test_header_noise_and_date_line_are_skipped():
    entries, diagnostics = parse("standard.txt")
    assert [entry.title for entry in entries] == [
        "Alpha Networks for Vision",
        "Beta: Better Transformers",
    ]
    assert entries[0].abstract.startswith("We study alpha networks")
    assert entries[0].date_label == "Mar 14"
    assert diagnostics.warnings == []


def test_entries_remember_file_and_line():
    entries, _ = parse("standard.txt")
    assert entries[0].location.path == FIXTURES / "standard.txt"
    assert [entry.location.line for entry in entries] == [11, 15]
    assert entries[0].listing == "standard"


def test_title_glued_to_subscribe_and_no_blank_lines():
    entries, diagnostics = parse("glued.txt")
    assert [entry.title for entry in entries] == [
        "UNIT: Unifying Things",
        "Gamma Rays of Attention",
    ]
    assert entries[0].location.line == 3
    assert diagnostics.warnings == []


def test_byte_order_mark_and_crlf():
    entries, diagnostics = parse("crlf_bom.txt")
    assert [entry.title for entry in entries] == ["Delta Learning", "Epsilon Café Models"]
    assert not any("\r" in entry.abstract or "\ufeff" in entry.title for entry in entries)
    assert entries[0].date_label == "Mar 11"
    assert diagnostics.warnings == []


def test_truncated_file_keeps_last_title_with_a_warning():
    entries, diagnostics = parse("truncated.txt")
    assert [entry.title for entry in entries] == ["Zeta Features", "Eta: The Cut-Off Title"]
    assert entries[1].abstract == ""
    [warning] = diagnostics.warnings
    assert str(warning).startswith(f"{FIXTURES / 'truncated.txt'}:5: warning: title without")


def test_stray_lines_are_reported_never_dropped_silently():
    entries, diagnostics = parse("stray.txt")
    assert [entry.title for entry in entries] == [
        "Theta Title Without Abstract",
        "Iota Segmentation",
    ]
    assert entries[0].abstract == ""
    messages = [(warning.location.line, warning.message) for warning in diagnostics.warnings]
    assert messages[0] == (1, "text without a title before it; skipped")
    assert messages[1][0] == 3 and "without an abstract" in messages[1][1]


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(
        b"Caf\xe9 Title\n\n" + b"An abstract that is long enough to count. " * 10 + b"\n"
    )
    diagnostics = Diagnostics()
    [entry] = read_listing(path, "latin1", diagnostics)
    assert entry.title == "Caf? Title"
    assert "not valid UTF-8" in diagnostics.warnings[0].message
