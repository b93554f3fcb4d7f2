"""Issue 27: the collection's citation graph. `fetch graph` against a local Semantic
Scholar (tests/fakescholar.py) answering in the API's shapes, its faults in sequences,
and what the build shows of it: counts, links within the collection, the Most cited
order, the neighbourhood SVG, the missing papers and their feed, offline."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import feedparser
import pytest
from conftest import FIXTURES
from fakescholar import FakeScholar, serving

from generator.build import build_site
from generator.catalog.graph import citation_graph
from generator.commands.console import Console
from generator.commands.graph_fetch import GraphRun, fetch_graph, record
from generator.commands.patience import Retries, ServiceError
from generator.commands.scholar import ScholarClient
from generator.content.citations import read_citations
from generator.diagnostics import ContentError, Location
from generator.model import CitationData, CitationRecord, Paper, Reference

GRAPH = FIXTURES / "graph"
TODAY = dt.datetime.now(dt.UTC).date()
ATTENTION = "attention-is-all-you-need"
VIT = "an-image-is-worth-16x16-words-transformers-for-image"
RESNET = "deep-residual-learning-for-image-recognition"


def s2_papers() -> list[dict]:
    return json.loads((GRAPH / "semantic_scholar.json").read_text("utf-8"))


@pytest.fixture
def scholar_api() -> FakeScholar:
    return FakeScholar(s2_papers())


@pytest.fixture
def endpoint(scholar_api):
    with serving(scholar_api) as url:
        yield url


def graph_site(make_site, *names: str) -> Path:
    root = make_site(site_yml="title: Reading Group\n")
    for name in names:
        shutil.copy(GRAPH / name, root / "content" / "listings" / name)
    return root


@pytest.fixture
def site(make_site) -> Path:
    return graph_site(make_site, "reading.json", "nature.bib")


def fetch_cli(root: Path, endpoint: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "fetch", "graph", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "S2_API_URL": endpoint, **env},
    )


def client(endpoint: str, **more) -> ScholarClient:
    said: list[str] = []
    made = ScholarClient(
        endpoint,
        api_key="",
        retries=Retries(attempts=3, first_wait=0.25, timeout=2.0, deadline=1.0),
        sleep=lambda seconds: None,
        notify=said.append,
        pace=0.0,
        **more,
    )
    made.said = said  # type: ignore[attr-defined]
    return made


def page(root: Path, slug: str) -> str:
    return (root / "site" / "papers" / slug / "index.html").read_text("utf-8")


def built(root: Path) -> Path:
    """The site built in this process (the CLI's own build is tested elsewhere, and
    offline here in a process of its own)."""
    build_site(root, root / "site")
    return root / "site"


def titles_in_order(html: str, css_class: str) -> list[str]:
    """The titles of a page's cards (card-title) or rows (paper-row), in order."""
    tag = "li" if css_class == "paper-row" else "h[23]"
    pattern = rf'<{tag} class="{css_class}">(?:<a href="[^"]*">)?([^<]*)'
    return [unescape(title) for title in re.findall(pattern, html)]


def test_fetch_graph_saves_what_the_api_says_in_content(site, endpoint, scholar_api):
    done = fetch_cli(site, endpoint, "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == (
        "8 of 8 papers asked: 7 found, 1 not known to Semantic Scholar -> content/citations.json"
    )
    saved = json.loads((site / "content" / "citations.json").read_text("utf-8"))
    assert saved["source"] == "Semantic Scholar"
    papers = saved["papers"]
    assert sorted(papers) == [
        "arxiv:1512.03385",
        "arxiv:1706.03762",
        "arxiv:1810.04805",
        "arxiv:2010.11929",
        "arxiv:2103.00020",
        "arxiv:2111.06377",  # asked without the listing's version (v3)
        "arxiv:2401.00001",
        "doi:10.1038/nature14539",  # the .bib's DOI
    ]
    assert papers["arxiv:2401.00001"] == {"fetched": TODAY.isoformat(), "found": False}
    vit = papers["arxiv:2010.11929"]
    assert vit["citations"] == 45000 and vit["fetched"] == TODAY.isoformat()
    assert vit["venue"] == "International Conference on Learning Representations"
    assert [r["title"] for r in vit["references"]][:2] == [
        "Attention is All you Need",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
    ]
    # One request, the ids in the API's forms, fields in the query, as the API wants.
    assert scholar_api.bodies == [
        [
            "ARXIV:1512.03385",
            "ARXIV:1706.03762",
            "ARXIV:1810.04805",
            "ARXIV:2010.11929",
            "ARXIV:2103.00020",
            "ARXIV:2111.06377",
            "ARXIV:2401.00001",
            "DOI:10.1038/nature14539",
        ]
    ]
    fields = scholar_api.requests[0].params["fields"].split(",")
    assert "citationCount" in fields and "references.externalIds" in fields
    # A second run asks nothing and changes nothing; --refresh asks again.
    before = (site / "content" / "citations.json").read_bytes()
    again = fetch_cli(site, endpoint, "--quiet")
    assert again.returncode == 0 and again.stderr.startswith("0 of 0 papers asked")
    assert (site / "content" / "citations.json").read_bytes() == before
    assert fetch_cli(site, endpoint, "--quiet", "--refresh").returncode == 0
    assert len(scholar_api.bodies) == 2


def test_pages_show_counts_links_the_picture_and_the_most_cited_order(site, endpoint):
    assert fetch_cli(site, endpoint, "--quiet").returncode == 0
    out = built(site)
    vit = page(site, VIT)
    date = f"{TODAY:%B} {TODAY.day}, {TODAY.year}"
    assert f"Cited by 45,000 papers (Semantic Scholar, {date})" in vit
    assert "In this collection: cites 3, cited by 2." in vit
    cited_here = vit.split("Cited here by:")[1].split("</p>")[0]
    assert re.findall(r'href="\.\./\.\./papers/([^/]+)/"', cited_here) == [
        "learning-transferable-visual-models-from-natural-language",
        "masked-autoencoders-are-scalable-vision-learners",
    ]
    cites_here = vit.split("Cites here:")[1].split("</p>")[0]
    assert re.findall(r'href="\.\./\.\./papers/([^/]+)/"', cites_here) == [
        ATTENTION,
        "bert-pre-training-of-deep-bidirectional-transformers-for",
        RESNET,
    ]
    # The neighbourhood: 2 citing, the paper, 3 cited; an arrow each; counted in words;
    # titles cut to fit (the text above has them whole).
    svg = vit.split('<svg class="graph"')[1].split("</svg>")[0]
    assert svg.count('<g class="node">') == 5 and svg.count('<g class="node self">') == 1
    assert svg.count("<line ") == 5
    assert 'aria-label="Within this collection: cited by 2 papers, cites 3 papers' in svg
    assert ">Learning Transferable Vis…</text>" in svg
    attention = page(site, ATTENTION)
    assert "In this collection: cites 1, cited by 4." in attention
    # Not known to the API: no count, no section; Markdown twin says the same as the page.
    unknown = page(site, "a-paper-the-scholarly-api-does-not-know")
    assert "Citations" not in unknown and '<svg class="graph"' not in unknown
    twin = (out / "papers" / VIT / "index.md").read_text("utf-8")
    assert "Cited by 45,000 papers (Semantic Scholar" in twin and "Cites here: [Attention" in twin
    # All papers, most cited first (the paper with no count last), as its own order.
    cited = (out / "papers" / "by" / "cited" / "index.html").read_text("utf-8")
    assert titles_in_order(cited, "paper-row")[:7] == [
        "Deep Residual Learning for Image Recognition",
        "Attention Is All You Need",
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "Deep Learning",
        "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
        "Learning Transferable Visual Models From Natural Language Supervision",
        "Masked Autoencoders Are Scalable Vision Learners",
    ]
    assert titles_in_order(cited, "paper-row")[-1] == "A Paper the Scholarly API Does Not Know"
    assert '<span class="row-note">210,000 citations</span>' in cited
    assert (
        'href="../../../papers/by/cited/"'
        in (out / "papers" / "by" / "date" / "index.html").read_text()
    )


def test_the_missing_page_and_its_feed_list_what_two_or_more_cite(site, endpoint):
    assert fetch_cli(site, endpoint, "--quiet").returncode == 0
    out = built(site)
    missing = (out / "missing" / "index.html").read_text("utf-8")
    shown = titles_in_order(missing, "card-title")
    # Most cited here first, then most cited in all: ImageNet is cited by ViT and ResNet
    # by its DOI and by CLIP by its title alone (one paper, three citers).
    assert shown == [
        "Adam: A Method for Stochastic Optimization",
        "ImageNet: A large-scale hierarchical image database",
        "Layer Normalization",
        "Very Deep Convolutional Networks for Large-Scale Image Recognition",
        "Batch Normalization: Accelerating Deep Network Training by Reducing Internal "
        "Covariate Shift",
    ]
    assert 'href="https://arxiv.org/abs/1412.6980"' in missing
    assert 'href="https://doi.org/10.1109/CVPR.2009.5206848"' in missing
    assert "Cited by 4 here" in missing and "190,000 citations in all" in missing
    assert ">Missing</a>" in (out / "index.html").read_text("utf-8")  # in the header
    feed = feedparser.parse((out / "missing" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == shown
    assert feed.entries[0].link == "https://arxiv.org/abs/1412.6980"
    assert feed.entries[0].summary.startswith("Cited by 4 papers on Reading Group: ")
    assert feed.entries[0].updated.startswith(TODAY.isoformat())


def test_a_site_without_citations_has_none_of_it(make_site):
    out = built(graph_site(make_site, "reading.json"))
    assert not (out / "missing").exists()
    assert not (out / "papers" / "by" / "cited").exists()
    assert "Citations" not in page(out.parent, ATTENTION)


def test_the_build_stays_offline(site, endpoint):
    """No network module is imported and no socket is asked for an address or connected."""
    assert fetch_cli(site, endpoint, "--quiet").returncode == 0
    watch = (
        "import sys\n"
        "def hook(event, args):\n"
        "    if event in ('socket.connect', 'socket.getaddrinfo', 'socket.sendto'):\n"
        "        raise RuntimeError('network: ' + event)\n"
        "sys.addaudithook(hook)\n"
        "from generator.cli import main\n"
        f"sys.exit(main(['build', '-C', {str(site)!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", watch],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "S2_API_URL": "http://127.0.0.1:9/graph/v1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not {"httpx2", "huggingface_hub", "tqdm", "ssl", "http.client"} & imported
    assert (site / "site" / "missing" / "index.html").exists()


def test_rate_limits_and_failures_in_a_row_are_waited_out(site, endpoint, scholar_api):
    """429 twice (the API's: no Retry-After), a 500, an answer that is not JSON, one that
    trickles past the deadline: each retried with growing waits, and the run finishes."""
    scholar_api.rate_limit(times=2)
    scholar_api.fail(status=500, body=b'{"message": "Internal server error"}')
    scholar_api.fail(status=200, body=b'[{"paperId": "x", "tit')
    scholar_api.fail(status=200, body=b"[" + b" " * 40 + b"]", trickle=0.05)
    asking = client(endpoint)
    asking.retries.attempts = 6
    result = GraphRun()
    fetch_graph(site, asking, False, False, Console(), False, result, TODAY)
    assert result.found == 7 and result.unknown == 1
    assert asking.said == [  # type: ignore[attr-defined]
        "Semantic Scholar answered 429 (8 papers); retrying in 0.25 s",
        "Semantic Scholar answered 429 (8 papers); retrying in 0.5 s",
        "Semantic Scholar answered 500 (8 papers); retrying in 1 s",
        "an answer that is not JSON (8 papers); retrying in 2 s",
        "an answer too slow to finish (8 papers); retrying in 4 s",
    ]


def test_a_run_stopped_by_the_api_keeps_each_batch_and_the_next_goes_on(
    site, endpoint, scholar_api, monkeypatch
):
    monkeypatch.setattr("generator.commands.graph_fetch.BATCH_SIZE", 3)
    scholar_api.fail(times=4, status=503, body=b'{"message": "Service Unavailable"}', after=1)
    result = GraphRun()
    with pytest.raises(ServiceError, match=r"Semantic Scholar answered 503"):
        fetch_graph(site, client(endpoint), False, False, Console(), False, result, TODAY)
    assert result.done == 3
    saved = json.loads((site / "content" / "citations.json").read_text("utf-8"))["papers"]
    assert sorted(saved) == ["arxiv:1512.03385", "arxiv:1706.03762", "arxiv:1810.04805"]
    # The next run asks only for the five not saved, and finishes.
    result = GraphRun()
    fetch_graph(site, client(endpoint), False, False, Console(), False, result, TODAY)
    assert result.todo == 5 and result.done == 5
    assert scholar_api.bodies[-2:] == [
        ["ARXIV:2010.11929", "ARXIV:2103.00020", "ARXIV:2111.06377"],
        ["ARXIV:2401.00001", "DOI:10.1038/nature14539"],
    ]


def test_killed_twice_mid_run_the_file_stays_whole_and_a_third_run_finishes(make_site):
    """250 papers, three batches: SIGKILL while a batch is on its way, twice in a row; the
    file holds the batches saved before, whole; the third run asks only for the rest."""
    count = 250
    ids = [f"2301.{n:05d}" for n in range(1, count + 1)]
    root = make_site(site_yml="title: Big\n")
    items = [{"id": arxiv, "title": f"Paper number {arxiv}"} for arxiv in ids]
    (root / "content" / "listings" / "big.json").write_text(json.dumps(items), "utf-8")
    api = FakeScholar(
        [
            {"paperId": f"{n:040x}", "externalIds": {"ArXiv": arxiv}, "title": f"Paper {arxiv}",
             "citationCount": n, "references": []}
            for n, arxiv in enumerate(ids)
        ]
    )  # fmt: skip
    saved = root / "content" / "citations.json"
    with serving(api) as url:
        for batches_before in (1, 2):
            api.fail(status=200, delay=60, after=1)  # the run's second request
            process = subprocess.Popen(
                [sys.executable, "-m", "generator", "fetch", "graph", "-C", str(root), "--quiet"],
                env={**os.environ, "S2_API_URL": url},
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 60
            while api.faults != [] and time.monotonic() < deadline:
                time.sleep(0.05)  # the slow answer has begun: the batch is on its way
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            kept = json.loads(saved.read_text("utf-8"))["papers"]
            assert len(kept) == 100 * batches_before
            api.requests.clear()
        done = fetch_cli(root, url, "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("50 of 50 papers asked: 50 found")
    assert len(json.loads(saved.read_text("utf-8"))["papers"]) == count
    assert sorted(path.name for path in (root / "content").iterdir()) == [
        "citations.json",
        "listings",
        "site.yml",
        "topics.yml",
    ]


def test_errors_are_one_line_and_keep_what_was_there(site, endpoint, scholar_api):
    # A wrong key.
    scholar_api.key = "right"
    done = fetch_cli(site, endpoint, "--quiet", SEMANTIC_SCHOLAR_API_KEY="wrong")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "papersite: error: Semantic Scholar answered 403 Forbidden (8 papers); "
        "check SEMANTIC_SCHOLAR_API_KEY"
    )
    assert not (site / "content" / "citations.json").exists()
    # The right key is sent as x-api-key.
    assert fetch_cli(site, endpoint, "--quiet", SEMANTIC_SCHOLAR_API_KEY="right").returncode == 0
    assert scholar_api.requests[-1].headers["x-api-key"] == "right"
    # Nothing listening.
    gone = fetch_cli(site, "http://127.0.0.1:9/graph/v1", "--quiet", "--refresh")
    assert gone.returncode == 1
    assert gone.stderr.startswith(
        "papersite: error: cannot reach Semantic Scholar's Graph API at http://127.0.0.1:9/graph/v1"
    )
    assert gone.stderr.count("\n") == 1
    # A broken citations.json is not overwritten.
    (site / "content" / "citations.json").write_text("{not json", "utf-8")
    broken = fetch_cli(site, endpoint, "--quiet")
    assert broken.returncode == 1 and "citations.json: not JSON" in broken.stderr
    assert (site / "content" / "citations.json").read_text("utf-8") == "{not json"
    assert "Traceback" not in broken.stderr + gone.stderr + done.stderr


def test_dry_run_asks_and_writes_nothing(site, endpoint, scholar_api):
    done = fetch_cli(site, endpoint, "--quiet", "--dry-run")
    assert done.returncode == 0
    assert done.stderr.strip().endswith("nothing written (--dry-run)")
    assert len(scholar_api.bodies) == 1
    assert not (site / "content" / "citations.json").exists()


def test_the_api_knowing_none_of_a_batch_is_papers_not_known(endpoint):
    assert client(endpoint).papers(["ARXIV:0000.00000", "DOI:10.0/none"]) == [None, None]


def test_a_bad_field_is_one_line_naming_it(endpoint):
    with pytest.raises(ServiceError, match=r"refused the request .*: Unrecognized .*\[nope\]"):
        client(endpoint).papers(["ARXIV:1706.03762"], fields=("title", "nope"))


def test_what_is_kept_of_an_answer_in_the_api_s_odd_shapes():
    """references null (not known), a reference the API could not match (no ids, a title),
    counts that are not counts, control characters and lone surrogates in titles."""
    answer = {
        "paperId": "p",
        "citationCount": True,
        "venue": None,
        "url": "https://www.semanticscholar.org/paper/p",
        "references": [
            {"paperId": None, "externalIds": None, "title": "London Math.\x07 Soc", "year": 1937},
            {"paperId": "q", "externalIds": {"ArXiv": "1706.03762", "CorpusId": 1}, "title": ""},
            {"paperId": "r", "externalIds": {"DOI": "10.1/X"}, "title": "Half \ud83d", "year": -3},
        ],
    }
    kept = record(answer, dt.date(2026, 12, 2))
    assert kept["citations"] is None and kept["venue"] == ""
    assert kept["references"] == [
        {"title": "London Math. Soc", "arxiv": None, "doi": None, "citations": None,
         "year": 1937, "url": None},
        {"title": "Half \ufffd", "arxiv": None, "doi": "10.1/X", "citations": None,
         "year": None, "url": None},
    ]  # fmt: skip
    assert "references" not in record({**answer, "references": None}, dt.date(2026, 12, 2))
    json.dumps(kept, ensure_ascii=False).encode("utf-8")  # writable


def test_a_citations_file_the_build_cannot_read_is_one_error_at_its_key(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    cases = {
        "{": "not JSON",
        "[]": 'expected {"source": ..., "papers": {...}}',
        '{"papers": {"arxiv:1": {"fetched": "soon"}}}': "papers.arxiv:1.fetched: expected a date",
        '{"papers": {"arxiv:1": {"fetched": "2026-01-01", "citations": -1}}}': "expected a whole",
        '{"papers": {"arxiv:1": {"fetched": "2026-01-01", "cites": 1}}}': "unknown key 'cites'",
        '{"papers": {"arxiv:1": {"fetched": "2026-01-01", "references": [{"title": 3}]}}}': (
            "references[0].title: expected text"
        ),
    }
    for text, said in cases.items():
        (content / "citations.json").write_text(text, "utf-8")
        with pytest.raises(ContentError, match=re.escape(said)):
            read_citations(content)


def test_references_match_papers_by_arxiv_doi_or_title_and_never_the_paper_itself():
    def paper(slug: str, title: str, arxiv: str | None = None, doi: str | None = None) -> Paper:
        return Paper(slug, slug, title, "", (), (Location(Path("x"), 1),), arxiv=arxiv, doi=doi)

    a = paper("a", "Alpha", arxiv="2101.00001v2")
    b = paper("b", "Beta: Two", doi="10.1/B")
    c = paper("c", "Gamma")
    day = dt.date(2026, 12, 1)
    data = CitationData(
        "S",
        Path("citations.json"),
        {
            "arxiv:2101.00001": CitationRecord(
                day,
                citations=5,
                references=(
                    Reference("Beta", doi="10.1/b"),  # DOIs compare without case
                    Reference("GAMMA"),  # by title
                    Reference("Alpha", arxiv="2101.00001"),  # itself: never
                    Reference("Delta", arxiv="2202.00002"),
                ),
            ),
            "doi:10.1/b": CitationRecord(
                day, references=(Reference("Delta (preprint)", arxiv="2202.00002v1"),)
            ),
        },
    )
    graph = citation_graph([a, b, c], data)
    assert [p.slug for p in graph.of_paper["a"].cites] == ["b", "c"]
    assert [p.slug for p in graph.of_paper["c"].cited_by] == ["a"]
    assert graph.of_paper["c"].count is None  # no record of its own
    assert [(m.title, [p.slug for p in m.cited_by]) for m in graph.missing] == [
        ("Delta", ["a", "b"])
    ]
    assert citation_graph([a, b, c], None).of_paper == {}


def test_a_long_missing_list_shows_its_head_and_counts_the_rest(make_site):
    """110 papers cited by all 7 papers of a collection: the page shows the first 100,
    each with 5 of the 7 citers and "and 2 more", and says how many there are."""
    root = make_site(site_yml="title: Seven\n")
    items = [{"id": f"2402.{n:05d}", "title": f"Paper Seven {n}"} for n in range(1, 8)]
    (root / "content" / "listings" / "seven.json").write_text(json.dumps(items), "utf-8")
    outside = [
        {"title": f"Classic {n:03d}", "arxiv": f"1901.{n:05d}", "citations": 1000 - n}
        for n in range(110)
    ]
    records = {
        f"arxiv:{item['id']}": {"fetched": "2026-11-30", "citations": 1, "references": outside}
        for item in items
    }
    data = {"papers": records, "source": "Semantic Scholar"}
    (root / "content" / "citations.json").write_text(json.dumps(data), "utf-8")
    page = (built(root) / "missing" / "index.html").read_text("utf-8")
    assert "110 papers that two or more papers here cite" in page
    assert "(the first 100 below)" in page
    assert page.count('<li class="missing-paper">') == 100
    assert page.count(" and 2 more</p>") == 100
    assert titles_in_order(page, "card-title")[:2] == ["Classic 000", "Classic 001"]


def test_graph_pages_in_a_browser_pass_axe_fit_their_text_and_scroll_on_a_phone(
    site, endpoint, chromium
):
    """In Chromium, light and dark, desktop and phone: axe finds nothing on a paper page
    with its picture and on the missing page; every title in the picture fits its box;
    on a phone the picture scrolls inside its frame and the page does not."""
    from conftest import serve_directory
    from test_finished_pages import axe_violations

    assert fetch_cli(site, endpoint, "--quiet").returncode == 0
    out = built(site)
    fits = """() => [...document.querySelectorAll('svg.graph .node')].every(node => {
        const box = node.querySelector('rect').getBBox();
        const text = node.querySelector('text').getBBox();
        return text.x >= box.x && text.x + text.width <= box.x + box.width;
    })"""
    with serve_directory(out) as base:
        for scheme in ("light", "dark"):
            for width, height in ((1280, 800), (390, 844)):
                context = chromium.new_context(
                    viewport={"width": width, "height": height}, color_scheme=scheme
                )
                page = context.new_page()
                page.goto(f"{base}/papers/{VIT}/")
                assert page.evaluate(fits)
                assert axe_violations(page) == [], (scheme, width)
                frame = page.evaluate(
                    "(() => { const f = document.querySelector('.graph-frame');"
                    " return [f.scrollWidth, f.clientWidth,"
                    " document.documentElement.scrollWidth, innerWidth]; })()"
                )
                assert frame[2] <= frame[3]  # the page itself never scrolls sideways
                assert (frame[0] > frame[1]) == (width < 720)
                page.goto(f"{base}/missing/")
                assert axe_violations(page) == [], (scheme, width, "missing")
                # The header's sections scroll on a phone: the current one is in view.
                assert page.evaluate(
                    "(() => { const nav = document.querySelector('.site-nav');"
                    " const here = nav.querySelector('[aria-current]');"
                    " return here.getBoundingClientRect().right"
                    " <= nav.getBoundingClientRect().right + 1; })()"
                )
                context.close()


def test_a_rebuild_after_a_new_fetch_shows_the_new_counts(site, endpoint, scholar_api):
    """Built, fetched again with a new count, built again (the cache warm): the new count
    is on the page, the order and the missing page follow."""
    assert fetch_cli(site, endpoint, "--quiet").returncode == 0
    built(site)
    for paper in scholar_api.papers:
        if paper["title"].startswith("Masked Autoencoders"):
            paper["citationCount"] = 999_999
    assert fetch_cli(site, endpoint, "--quiet", "--refresh").returncode == 0
    out = built(site)
    assert "Cited by 999,999 papers" in page(
        site, "masked-autoencoders-are-scalable-vision-learners"
    )
    cited = (out / "papers" / "by" / "cited" / "index.html").read_text("utf-8")
    assert (
        titles_in_order(cited, "paper-row")[0] == "Masked Autoencoders Are Scalable Vision Learners"
    )
