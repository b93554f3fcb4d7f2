"""BibTeX keys: Google Scholar's style, unique across a site, independent of file order."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import bibtexparser
from bibtexparser import middlewares
from hypothesis import given
from hypothesis import strategies as st

from generator.catalog.cite_keys import cite_keys
from generator.diagnostics import Location
from generator.model import Link, Paper, PaperDate
from generator.site.citation import bibtex
from generator.text.identifiers import title_key


def paper(title: str, authors: tuple[str, ...] = (), year: int | None = None, **more) -> Paper:
    return Paper(
        key=title_key(title),
        slug=title_key(title),
        title=title,
        abstract="",
        listings=(),
        origins=(Location(Path("x.txt"), 1),),
        authors=authors,
        published=PaperDate(year) if year else None,
        **more,
    )


def test_scholar_style_keys():
    keys = cite_keys(
        [
            paper("Deep Residual Learning for Image Recognition", ("Kaiming He",), 2016),
            paper("An Image is Worth 16x16 Words", ("Alexey Dosovitskiy", "Lucas Beyer"), 2020),
            paper("ConViT: Soft Biases", ("Stéphane d'Ascoli",), 2021),
            paper("On the Shoulders of Giants", ("John Smith, Jr.",)),
            paper("Multi-scale Vision Longformer"),
        ]
    )
    assert sorted(keys.values()) == [
        "dascoli2021convit",
        "dosovitskiy2020image",
        "he2016deep",
        "multiscalevision",
        "smithshoulders",
    ]


def test_shared_keys_get_letters_and_the_choice_ignores_order():
    papers = [
        paper("Multi-View Stereo A", year=2024),
        paper("Multi-View Stereo B", year=2024),
        paper("Multi-View Stereo C", year=2024),
        paper("Multi-View Stereo", year=2024),
    ]
    keys = cite_keys(papers)
    assert sorted(keys.values()) == ["2024multi", "2024multia", "2024multib", "2024multic"]
    shuffled = papers[:]
    random.Random(4).shuffle(shuffled)
    assert cite_keys(shuffled) == keys


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Vision A", "Vision B", "Vision", "Visiona", "Deep Nets", "Z"]),
            st.sampled_from([(), ("Ann Lee",), ("Bo Lee",)]),
            st.sampled_from([None, 2023, 2024]),
        ),
        max_size=12,
        unique_by=lambda item: item[0] + repr(item[1:]),
    ),
    st.randoms(use_true_random=False),
)
def test_keys_are_always_unique_and_stable(specs, rng):
    papers = [
        paper(f"{title} {n}", authors, year) for n, (title, authors, year) in enumerate(specs)
    ]
    keys = cite_keys(papers)
    assert len(set(keys.values())) == len(papers)
    rng.shuffle(papers)
    assert cite_keys(papers) == keys


def test_bibtex_round_trips_through_a_bibtex_parser():
    cited = paper(
        "Attention & {Braces} 100% of_the Time",
        ("Stéphane d'Ascoli", "John Smith, Jr.", "Anna van der Berg"),
        cite_key="dascoli2021attention",
        arxiv="2103.10697",
        doi="10.1088/1742-5468/ac9830",
        venue="Journal of Things",
        kind="article",
    )
    cited = dataclasses.replace(cited, published=PaperDate(2021, 3, 19))
    library = bibtexparser.parse_string(
        bibtex(cited),
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    [entry] = library.entries
    fields = {field.key: field.value for field in entry.fields}
    assert (entry.entry_type, entry.key) == ("article", "dascoli2021attention")
    assert fields["title"] == "Attention & {Braces} 100% of_the Time"
    names = [(n.first, n.von, n.last, n.jr) for n in fields["author"]]
    assert names == [
        (["Stéphane"], [], ["d'Ascoli"], []),
        (["John"], [], ["Smith"], ["Jr."]),
        (["Anna"], ["van", "der"], ["Berg"], []),
    ]
    assert (fields["year"], fields["month"]) == ("2021", 3)
    assert (fields["eprint"], fields["archivePrefix"]) == ("2103.10697", "arXiv")
    assert fields["doi"] == "10.1088/1742-5468/ac9830"
    assert fields["journal"] == "Journal of Things"
    assert fields["url"] == "https://arxiv.org/abs/2103.10697"


def test_identifiers_and_names_are_written_as_bibtex_and_biblatex_read_them():
    """Compared as written, not decoded: a DOI or URL field is read verbatim by biblatex."""
    cited = paper(
        "Unbalanced { brace",
        ("Van Gool, Luc", "John Smith, Jr.", "Research and Development Team"),
        2020,
        cite_key="vangool2020unbalanced",
        doi="10.1007/978-3-030-58452-8_13",
        links=(Link("Paper", "https://example.org/a_b%20c"),),
    )
    text = bibtex(cited)
    assert "  doi = {10.1007/978-3-030-58452-8_13},\n" in text
    assert "  url = {https://example.org/a_b%20c}\n" in text
    assert "  title = {{Unbalanced \\textbraceleft{} brace}},\n" in text
    assert (
        "  author = {Van Gool, Luc and Smith, Jr., John and {Research and Development Team}},"
        in text
    )
    [entry] = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors()]
    ).entries
    assert entry.fields_dict["author"].value == [
        "Van Gool, Luc",
        "Smith, Jr., John",
        "{Research and Development Team}",
    ]


def test_a_bib_key_is_kept_and_made_keys_step_around_it():
    """A .bib key is what the user's \\cite uses: never moved. A made key that BibTeX would
    take for it (keys ignore case) gets a letter; a second paper given the same key by
    another .bib gets a made key, with a warning naming the paper that keeps it."""
    from generator.diagnostics import Diagnostics
    from generator.model import BibRecord

    def bib(key: str) -> BibRecord:
        return BibRecord(key, "article", ())

    papers = [
        paper("Deep Residual Learning", ("Kaiming He",), 2016, bib=bib("He2016Deep")),
        paper("Deep Nets Again", ("Kaiming He",), 2016),
        paper("Another Paper Entirely", ("Xu Yang",), 2020, bib=bib("He2016Deep")),
    ]
    found = Diagnostics()
    keys = cite_keys(papers, found)
    # Of two papers given one key, the first by title keeps it (whatever the file order).
    assert keys[papers[2].slug] == "He2016Deep"
    assert keys[papers[1].slug] == "he2016deepa"
    assert keys[papers[0].slug] == "he2016deepb"
    [warning] = found.warnings
    assert "He2016Deep" in str(warning) and "Another Paper Entirely" in str(warning)
    assert keys == cite_keys(list(reversed(papers)))
