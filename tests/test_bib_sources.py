"""A reading group's own .bib beside a Hub JSON listing that shares papers with it and sorts
before it: the .bib wins, and every published entry is the .bib's entry as written plus
what was learned, read right by bibtexparser and pybtex."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import bibtexparser
import pytest
from pybtex.database import parse_string as pybtex_parse
from pybtex.plugin import find_plugin

from generator.build import build_site

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
# What a published entry may add to the .bib's own fields: what other sources learned.
ADDED = {"eprint", "archiveprefix", "doi", "url"}


@pytest.fixture(scope="module")
def group_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("group")
    sources = root / "content" / "listings"
    sources.mkdir(parents=True)
    for name in ("classics.json", "zotero-export.bib"):
        (sources / name).write_bytes((FIXTURES / name).read_bytes())
    (root / "content" / "site.yml").write_text(
        "title: Reading Group\nurl: https://example.org/group/\n", "utf-8"
    )
    (root / "content" / "topics.yml").write_text(
        "fallback: other\ntopics:\n  - name: Other\n    keywords: [vision]\n", "utf-8"
    )
    return root


@pytest.fixture(scope="module")
def built(group_site):
    return build_site(group_site)


def published(site: Path) -> dict[str, str]:
    """Every paper page's BibTeX entry, by its key."""
    entries = {}
    for page in sorted((site / "papers").glob("*/index.html")):
        code = r'<code class="language-bibtex">(.*?)</code>'
        found = re.search(code, page.read_text("utf-8"), re.S)
        if found:
            text = html.unescape(found[1]).strip()
            entries[re.match(r"@\w+\{([^,]+),", text)[1]] = text
    return entries


def written() -> dict[str, bibtexparser.model.Entry]:
    """The fixture's entries as written (macros resolved, outer braces removed), the first
    of a repeated field kept."""
    text = (FIXTURES / "zotero-export.bib").read_text("utf-8")
    library = bibtexparser.parse_string(text)
    entries = {entry.key: entry for entry in library.entries}
    for block in library.failed_blocks:
        entry = block.ignore_error_block
        entries[entry.key] = entry
    return entries


def fields_of(entry) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in entry.fields:
        value = field.value
        if isinstance(value, str) and value[:1] + value[-1:] in ("{}", '""'):
            value = value[1:-1]  # an entry the parser gave up on keeps its outer braces
        fields.setdefault(field.key.lower(), value)
    return fields


def page_of(site: Path, key: str) -> str:
    for page in (site / "papers").glob("*/index.html"):
        text = page.read_text("utf-8")
        if f"{{{key}," in html.unescape(text):
            return text
    raise AssertionError(f"no page cites {key}")


def meta(page: str, name: str) -> list[str]:
    return [html.unescape(v) for v in re.findall(rf'<meta name="{name}" content="([^"]*)">', page)]


def test_every_bib_entry_is_published_as_written_plus_what_was_learned(built):
    entries = published(built.output)
    for key, entry in written().items():
        assert key in entries, f"{key} lost its key: {sorted(entries)}"
        [read] = bibtexparser.parse_string(entries[key]).entries
        assert read.entry_type == entry.entry_type
        mine, theirs = fields_of(entry), fields_of(read)
        mine.pop("file", None)  # the path to the user's own PDF is never published
        assert {name: theirs[name] for name in mine} == mine, key
        assert set(theirs) - set(mine) <= ADDED, key
    resnet = entries["he2016deep"]
    assert "year = {2016}" in resnet and "2015" not in resnet  # not the Hub's date
    assert "eprint = {1512.03385}" in resnet and "Zotero" not in resnet
    caron = entries["caron_emerging_2021"]
    assert "and others}" in caron
    assert "url = {https://example.org/~caron/dino?view=full&lang=en%2Dus}" in caron
    assert "{$\\alpha$}-Blending with {$O(n^2)$} Cost" in entries["kaiser_one_2017"]


def test_bibtexparser_and_strict_pybtex_read_every_entry_with_names_split_right(built):
    entries = published(built.output)
    text = "\n\n".join(entries.values())
    assert len(bibtexparser.parse_string(text).entries) == len(entries)
    assert not bibtexparser.parse_string(text).failed_blocks
    database = pybtex_parse(text, "bibtex")  # pybtex's strict mode raises on any error
    people = {
        key: [(p.last_names, p.first_names, p.lineage_names) for p in entry.persons["author"]]
        for key, entry in database.entries.items()
        if "author" in entry.persons
    }
    assert people["kaiser_one_2017"] == [
        (["Kaiser"], ["{\\L}ukasz"], []),
        (['M{\\"u}ller'], ["{\\'E}lodie"], []),
        (["Smith"], ["John"], ["Jr."]),
    ]
    assert people["noble_report_2019"] == [(["{Barnes and Noble}"], [], [])]
    assert people["caron_emerging_2021"][-1] == (["others"], [], [])
    style = find_plugin("pybtex.style.formatting", "plain")()
    # (BibTeX's plain style wants an article's journal: a biblatex entry names its
    # journaltitle, as written.)
    bibtex_style = [e for e in database.entries.values() if "journaltitle" not in e.fields]
    formatted = {
        entry.key: entry.text.render_as("text") for entry in style.format_entries(bibtex_style)
    }
    assert formatted["noble_report_2019"].startswith("Barnes and Noble. ")
    assert "John Smith, Jr." in formatted["kaiser_one_2017"]
    assert "Hervé Jégou, and others." in formatted["caron_emerging_2021"]


def test_google_scholar_and_zotero_read_the_bibliographic_details(built):
    site = built.output
    resnet = page_of(site, "he2016deep")
    assert meta(resnet, "citation_author")[:2] == ["He, Kaiming", "Zhang, Xiangyu"]
    assert meta(resnet, "citation_publication_date") == ["2016"]  # June 2016: the year alone
    assert meta(resnet, "citation_conference_title") == [
        "Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    ]
    assert (meta(resnet, "citation_firstpage"), meta(resnet, "citation_lastpage")) == (
        ["770"],
        ["778"],
    )
    assert meta(resnet, "citation_publisher") == ["IEEE"]
    [abstract] = meta(resnet, "citation_abstract")
    assert abstract.startswith("Deeper neural networks") and not abstract.endswith("…")
    kaiser = page_of(site, "kaiser_one_2017")
    assert meta(kaiser, "citation_author") == [
        "Kaiser, Łukasz",
        "Müller, Élodie",
        "Smith Jr., John",
    ]
    assert meta(kaiser, "citation_journal_title") == ["Journal of Machine Learning Research"]
    assert (meta(kaiser, "citation_volume"), meta(kaiser, "citation_issue")) == (["18"], ["42"])
    thesis = page_of(site, "mueller_thesis_2020")
    assert meta(thesis, "citation_dissertation_institution") == ["Universität Tübingen"]
    assert meta(thesis, "citation_publication_date") == ["2020"]
    report = page_of(site, "noble_report_2019")
    assert meta(report, "citation_technical_report_institution") == ["Barnes and Noble Research"]
    assert meta(report, "citation_technical_report_number") == ["TR-2019-07"]
    assert meta(report, "citation_author") == ["Barnes and Noble"]
    for page in (site / "papers").glob("*/index.html"):
        for date in meta(page.read_text("utf-8"), "citation_publication_date"):
            assert re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", date), (page, date)


def test_a_company_is_one_author_and_a_repeated_field_is_read_once(built):
    report = page_of(built.output, "noble_report_2019")
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', report, re.S)[1])
    assert data["author"] == [{"@type": "Organization", "name": "Barnes and Noble"}]
    kaiser = page_of(built.output, "kaiser_one_2017")
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', kaiser, re.S)[1])
    assert {author["@type"] for author in data["author"]} == {"Person"}
    authors = built.output / "authors"
    assert (authors / "barnes-and-noble").is_dir()
    assert not (authors / "barnes").exists() and not (authors / "noble").exists()
    registers = page_of(built.output, "repeated_field_2022")
    assert meta(registers, "citation_title") == ["Vision Transformers Need Registers"]
    assert meta(registers, "citation_author")[0] == "Darcet, Timothée"
    assert "Someone" not in registers
    said = [str(warning) for warning in built.warnings]
    assert any("zotero-export.bib" in w and "author is given twice" in w for w in said), said


def test_two_of_the_users_own_sources_that_disagree_are_named_in_a_warning(group_site, tmp_path):
    import shutil

    root = tmp_path / "group"
    shutil.copytree(group_site / "content", root / "content")
    notes = root / "content" / "papers"
    notes.mkdir()
    (notes / "resnet.md").write_text(
        "---\ntitle: Deep Residual Learning for Image Recognition\ndate: 2015\n---\nOur notes.\n",
        "utf-8",
    )
    report = build_site(root)
    said = [str(warning) for warning in report.warnings]
    clash = [w for w in said if "differs from" in w]
    assert len(clash) == 1 and "zotero-export.bib" in clash[0] and "resnet.md" in clash[0]
    assert "2016" in clash[0] and "2015" in clash[0]


def collections(site: Path) -> list[Path]:
    """Every collection's folder: all papers, each topic, listing and author."""
    folders = [site / "papers"]
    for kind in ("topics", "listings", "authors"):
        folders += sorted(path.parent for path in (site / kind).glob("*/index.html"))
    return folders


def test_every_collection_offers_its_papers_as_bibtex_and_csl_json(built):
    """Each collection's page links its papers.bib and papers.json; both hold exactly its
    papers under the keys their own pages use, bibtexparser and strict pybtex read the
    one, and citeproc-py formats the other with every name split right."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    site = built.output
    pages = published(site)
    folders = collections(site)
    assert len(folders) >= 1 + 1 + 2 + 10
    for folder in folders:
        page = (folder / "index.html").read_text("utf-8")
        assert re.search(r'href="[^"]*papers\.bib">BibTeX</a>', page), folder
        assert re.search(r'href="[^"]*papers\.json">CSL-JSON</a>', page), folder
        listed = set(re.findall(r'<a href="(?:\.\./)+papers/([^/]+)/"', page))
        bib = (folder / "papers.bib").read_text("utf-8")
        library = bibtexparser.parse_string(bib)
        assert not library.failed_blocks, folder
        keys = [entry.key for entry in library.entries]
        assert {key: pages[key] for key in keys} == {
            key: text.strip() for key, text in zip(keys, bib.split("\n\n"), strict=True)
        }
        pybtex_parse(bib, "bibtex")
        items = json.loads((folder / "papers.json").read_text("utf-8"))
        assert [item["id"] for item in items] == keys
        assert len(keys) >= len(listed) > 0, folder
    items = json.loads((site / "papers" / "papers.json").read_text("utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    formatted = [str(entry) for entry in bibliography.bibliography()]
    assert len(formatted) == len(items) == len(pages)
    assert any(
        line.startswith("Kaiser, Ł., Müller, É. and Smith, J., Jr. (2017)") for line in formatted
    )
    assert any(
        line.startswith("Barnes and Noble (2019) Retail Vision at Scale") for line in formatted
    )
    assert any("Universität Tübingen" in line for line in formatted)


def csl_items(site: Path) -> dict[str, dict]:
    items = json.loads((site / "papers" / "papers.json").read_text("utf-8"))
    return {item["id"]: item for item in items}


def bib_site(root: Path, bib: str):
    """A site of one .bib listing, built: its report."""
    listings = root / "content" / "listings"
    listings.mkdir(parents=True)
    (root / "content" / "site.yml").write_text(f"title: {root.name}\nurl: https://example.org/\n")
    (listings / f"{root.name}.bib").write_text(bib, "utf-8")
    return build_site(root)


def test_web_addresses_and_identifiers_are_read_as_written_not_as_tex(built):
    """biblatex reads url and doi verbatim: "~" is a tilde and "%" a percent sign there
    (as TeX they were a space and a comment, and the link lost its end)."""
    site, items = built.output, csl_items(built.output)
    dino = "https://example.org/~caron/dino?view=full&lang=en%2Dus"
    assert f'href="{html.escape(dino)}"' in page_of(site, "caron_emerging_2021")
    study = "https://example.org/papers/study_2019%20final.pdf"  # written study\_2019
    assert items["lee_biblatex_2019"]["URL"] == study
    assert meta(page_of(site, "lee_biblatex_2019"), "citation_pdf_url") == [study]
    assert meta(page_of(site, "smith_chapter_2010"), "citation_pdf_url") == []  # a web page
    # JabRef's and Mendeley's escapes and braces undone; of two addresses, the first.
    exported = items["mendeley_export_2018"]
    assert exported["URL"] == "http://example.org/_a/~ng/paper.pdf"
    assert exported["DOI"] == "10.1000/ABC.12"


def test_biblatex_journals_chapters_and_books_reach_scholar_zotero_and_csl(built):
    site, items = built.output, csl_items(built.output)
    study = page_of(site, "lee_biblatex_2019")
    assert meta(study, "citation_journal_title") == ["Journal of Modern Bibliography"]
    assert meta(study, "citation_publication_date") == ["2019/06/16"]
    assert items["lee_biblatex_2019"]["container-title"] == "Journal of Modern Bibliography"
    # Zotero files a page with citation_book_title as a book section (with
    # citation_journal_title, as a journal article); citation_isbn makes a page a book.
    chapter = page_of(site, "smith_chapter_2010")
    assert meta(chapter, "citation_book_title") == ["Handbook of Statistics"]
    assert meta(chapter, "citation_journal_title") == []
    assert meta(chapter, "citation_isbn") == ["978-0-444-53859-8"]
    assert meta(chapter, "citation_publication_date") == ["2010/05/14"]  # date wins over year
    assert items["smith_chapter_2010"]["type"] == "chapter"
    assert items["smith_chapter_2010"]["container-title"] == "Handbook of Statistics"
    book = page_of(site, "knuth_art_1997")
    assert meta(book, "citation_isbn") == ["0-201-89683-4"]
    assert meta(book, "citation_journal_title") == []
    knuth = items["knuth_art_1997"]
    assert (knuth["type"], knuth["publisher"], knuth["publisher-place"]) == (
        "book",
        "Addison-Wesley",
        "Reading, MA",
    )
    assert (knuth["ISBN"], knuth["edition"], knuth["collection-title"]) == (
        "0-201-89683-4",
        "3",
        "Computer Science and Information Processing",
    )


def test_an_author_list_ending_in_and_others_says_et_al(built):
    """caron_emerging_2021 names four authors "and others": its page, twin and cards say
    the list goes on, rather than show four authors as all of them."""
    site = built.output
    page = page_of(site, "caron_emerging_2021")
    assert re.search(r"Hervé Jégou</a> et al\.</p>", page), "no et al. after the byline"
    twin = next(
        path.with_name("index.md")
        for path in (site / "papers").glob("*/index.html")
        if path.read_text("utf-8") == page
    )
    assert re.search(r"/authors/herve-jegou/>\) et al\.\n", twin.read_text("utf-8"))
    topic = next(site.glob("topics/*/index.html")).read_text("utf-8")
    assert "Mathilde Caron, Hugo Touvron, Ishan Misra et al." in topic
    three = page_of(site, "kaiser_one_2017").split('class="related"')[0]
    assert "John Smith, Jr.</a></p>" in three and "et al." not in three  # a whole list of three


def test_two_bib_entries_of_one_paper_name_the_key_left_off_the_site(group_site, tmp_path):
    import shutil

    root = tmp_path / "group"
    shutil.copytree(group_site / "content", root / "content")
    (root / "content" / "listings" / "more.bib").write_text(
        "@inproceedings{caron2021dino,\n"
        "  title = {Emerging properties in self-supervised vision transformers},\n"
        "  booktitle = {ICCV},\n  year = {2021},\n}\n",
        "utf-8",
    )
    report = build_site(root)
    said = [str(warning) for warning in report.warnings if "is not on the site" in str(warning)]
    assert len(said) == 1 and "caron2021dino" in said[0] and "caron_emerging_2021" in said[0]
    left_off = re.search(r"'(\w+)' is not on the site", said[0])[1]
    [cited] = {"caron2021dino", "caron_emerging_2021"} - {left_off}
    keys = published(report.output)
    assert cited in keys and left_off not in keys
    assert f"'{cited}' (" in said[0]  # where the entry the page publishes is


def test_values_joined_with_hash_are_published_as_the_text_bibtex_makes(tmp_path):
    """`publisher = acm # " Press"` was published as written: in a page's or a
    collection's .bib, without the file's @string acm, BibTeX could not read it."""
    report = bib_site(
        tmp_path / "joins",
        '@string{acm = "ACM"}\n'
        '@string{acmpress = acm # " Press"}\n'
        '@string{quoted = "2 # 3"}\n'
        "@book{doe2020joins, title = {A Book of Joins}, author = {Doe, Jane},\n"
        '  publisher = acm # " Press", series = acmpress, year = 2020,\n'
        '  month = jun # "~26", note = "C# " # {and {F#}} # 2, edition = quoted # "x"}\n'
        '@misc{roe2021unknown, title = {An Unknown Macro}, publisher = nope # " Press"}\n',
    )
    entries = published(report.output)
    book = entries["doe2020joins"]
    for line in (
        "publisher = {ACM Press}",
        "series = {ACM Press}",
        "month = {June~26}",
        "note = {C# and {F#}2}",
        "edition = {2 # 3x}",  # a quoted macro's # is a character, not a join
    ):
        assert line in book, book
    assert pybtex_parse(book, "bibtex").entries["doe2020joins"].fields["publisher"] == "ACM Press"
    assert meta(page_of(report.output, "doe2020joins"), "citation_publisher") == ["ACM Press"]
    assert 'publisher = nope # " Press"' in entries["roe2021unknown"]  # as written: unknown


def test_a_name_in_chinese_letters_is_shown_family_name_first(tmp_path):
    """王, 伟 was shown as "伟 王", a Western order; its tags and CSL were right."""
    report = bib_site(
        tmp_path / "names",
        "@misc{wang2020, title = {Seeing in the Dark}, author = {王, 伟 and Kim, Min},"
        " year = 2020}\n",
    )
    page = page_of(report.output, "wang2020")
    assert ">王伟</a>, <a" in page and "伟 王" not in page
    assert meta(page, "citation_author") == ["王, 伟", "Kim, Min"]
    [item] = csl_items(report.output).values()
    assert item["author"][0] == {"family": "王", "given": "伟"}


def test_a_biblatex_date_range_is_its_start_and_a_bad_date_falls_back_to_the_year(tmp_path):
    report = bib_site(
        tmp_path / "dates",
        "@inproceedings{ng2019range, title = {A Workshop Over Three Days},"
        " date = {2019-06-16/2019-06-18}}\n"
        "@misc{ng2020words, title = {A Date in Words}, date = {June 2020}, year = 2020}\n",
    )
    assert meta(page_of(report.output, "ng2019range"), "citation_publication_date") == [
        "2019/06/16"
    ]
    assert meta(page_of(report.output, "ng2020words"), "citation_publication_date") == ["2020"]
    said = [str(warning) for warning in report.warnings if "June 2020" in str(warning)]
    assert len(said) == 1 and "year and month are used" in said[0], said
