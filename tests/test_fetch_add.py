"""Issue 27: `fetch add ID_OR_URL...` against local stand-ins for the Hub (fakehub.py), the
arXiv API and Crossref, answering in their shapes (arXiv's Atom as the `arxiv` package's
recorded fixtures show it; Crossref's work envelope and its plain-text 404): papers land
in content/listings/added.bib, which the build reads like any .bib."""

from __future__ import annotations

import contextlib
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pybtex.database
import pytest
from fakehub import FakeHub, paper
from fakehub import serving as serving_hub

ATTENTION = paper(
    "1706.03762",
    "Attention Is All You Need",
    ["Ashish Vaswani", "Noam Shazeer"],
    "2017-06-12",
    summary="The dominant sequence transduction models are based on recurrent networks.",
)
ARXIV_ONLY = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"
  xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/UY2mqR74Vu/gU683o8Kx4P2K0xU</id>
  <title>arXiv Query: search_query=&amp;id_list=1605.08386&amp;start=0&amp;max_results=1</title>
  <updated>2026-04-12T22:10:19Z</updated>
  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
  <entry>
    <id>http://arxiv.org/abs/1605.08386v1</id>
    <title>Heat-bath random walks
      with Markov bases</title>
    <updated>2016-05-26T17:59:46Z</updated>
    <link href="https://arxiv.org/abs/1605.08386v1" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/1605.08386v1" rel="related" type="application/pdf"
      title="pdf"/>
    <summary>  Graphs on lattice points are studied whose edges come from a finite set of
allowed moves of arbitrary length. &amp; more.</summary>
    <category term="math.CO" scheme="http://arxiv.org/schemas/atom"/>
    <published>2016-05-26T17:59:46Z</published>
    <arxiv:primary_category term="math.CO"/>
    <author>
      <name>Caprice Stanley</name>
    </author>
    <author>
      <name>Tobias Windisch</name>
    </author>
  </entry>
</feed>
"""
ARXIV_NONE = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/x</id>
  <title>arXiv Query: id_list=2412.99999</title>
  <updated>2026-04-12T22:10:19Z</updated>
  <opensearch:totalResults>0</opensearch:totalResults>
</feed>
"""
NATURE = """{"status":"ok","message-type":"work","message-version":"1.0.0","message":{
 "DOI":"10.1038/nature14539","type":"journal-article","title":["Deep learning"],
 "author":[{"given":"Yann","family":"LeCun","sequence":"first","affiliation":[]},
  {"given":"Yoshua","family":"Bengio","sequence":"additional","affiliation":[]},
  {"given":"Geoffrey","family":"Hinton","sequence":"additional","affiliation":[]}],
 "container-title":["Nature"],"issued":{"date-parts":[[2015,5,27]]},
 "volume":"521","issue":"7553","page":"436-444","is-referenced-by-count":50000,
 "abstract":"<jats:p>Deep learning allows computational models that are composed of \
multiple processing layers to learn representations of data with 50% {less} effort.</jats:p>",
 "URL":"https://doi.org/10.1038/nature14539"}}"""


class Canned:
    """GET path -> (status, content type, body); every path asked, in order."""

    def __init__(self, answers: dict[str, tuple[int, str, str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []


@contextlib.contextmanager
def serving(canned: Canned) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            canned.asked.append(self.path)
            status, kind, body = canned.answers.get(
                self.path, (404, "text/plain", "Resource not found.")
            )
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def services() -> Iterator[tuple[dict[str, str], Canned, Canned]]:
    arxiv = Canned(
        {
            "/api/query?id_list=1605.08386v1&max_results=1": (
                200,
                "application/atom+xml",
                ARXIV_ONLY,
            ),
            "/api/query?id_list=2412.99999&max_results=1": (
                200,
                "application/atom+xml",
                ARXIV_NONE,
            ),
        }
    )
    crossref = Canned({"/works/10.1038/nature14539": (200, "application/json", NATURE)})
    with serving_hub(FakeHub([ATTENTION])) as hub, serving(arxiv) as a, serving(crossref) as c:
        env = {"HF_ENDPOINT": hub, "ARXIV_API_URL": a + "/api", "CROSSREF_API_URL": c}
        yield env, arxiv, crossref


def add(root: Path, env: dict[str, str], *papers: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "fetch", "add", "-C", str(root), *papers],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_papers_by_url_id_and_doi_become_a_listing_the_build_reads(make_site, services):
    env, arxiv, crossref = services
    root = make_site(site_yml="title: Links\n")
    done = add(
        root,
        env,
        "https://huggingface.co/papers/1706.03762",  # on the Hub
        "https://arxiv.org/abs/1605.08386v1",  # not on the Hub: from arXiv
        "https://doi.org/10.1038/nature14539",  # a DOI: from Crossref
        "2412.99999",  # nowhere: a warning, the others are added
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "papersite: warning: arXiv 2412.99999 is not on Hugging Face or arXiv" in lines
    assert (
        lines[-1] == "3 added, 0 already in the listing, 1 not found -> content/listings/added.bib"
    )
    bib = root / "content" / "listings" / "added.bib"
    entries = pybtex.database.parse_file(str(bib)).entries
    assert sorted(entries) == ["lecun2015deep", "stanley2016heat", "vaswani2017attention"]
    attention = entries["vaswani2017attention"]
    assert attention.fields["eprint"] == "1706.03762"
    assert str(attention.persons["author"][0]) == "Vaswani, Ashish"
    assert attention.fields["abstract"].startswith("The dominant sequence transduction")
    heat = entries["stanley2016heat"]
    assert heat.fields["title"] == "{Heat-bath random walks with Markov bases}"
    assert (
        heat.fields["abstract"].startswith("Graphs on lattice points")
        and "\\&" in heat.fields["abstract"]
    )
    nature = entries["lecun2015deep"]
    assert nature.type == "article" and nature.fields["journal"] == "Nature"
    assert nature.fields["doi"] == "10.1038/nature14539" and nature.fields["year"] == "2015"
    assert (
        "<jats" not in nature.fields["abstract"] and "50\\% \\{less\\}" in nature.fields["abstract"]
    )
    assert arxiv.asked == [
        "/api/query?id_list=1605.08386v1&max_results=1",
        "/api/query?id_list=2412.99999&max_results=1",
    ]
    assert crossref.asked == ["/works/10.1038/nature14539"]
    # The build reads the listing: pages with authors, dates, the DOI's link.
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    page = (root / "site" / "papers" / "deep-learning" / "index.html").read_text("utf-8")
    assert "Yann LeCun" in page and 'href="https://doi.org/10.1038/nature14539"' in page
    # Added again: nothing changes.
    before = bib.read_bytes()
    again = add(root, env, "1706.03762v2", "10.1038/NATURE14539")
    assert again.returncode == 0
    assert again.stderr.splitlines()[-1].startswith("0 added, 2 already in the listing")
    assert bib.read_bytes() == before


def test_what_is_not_an_id_is_one_line_and_nothing_is_asked(make_site, services):
    env, arxiv, crossref = services
    root = make_site()
    done = add(root, env, "1706.03762", "not a paper")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "papersite: error: 'not a paper' is neither an arXiv id or URL, a Hugging Face "
        "paper URL, nor a DOI"
    )
    assert arxiv.asked == crossref.asked == []
    assert not (root / "content" / "listings" / "added.bib").exists()


def test_a_dry_run_and_a_service_that_is_down_write_nothing(make_site, services):
    env = services[0]
    root = make_site()
    dry = add(root, {**env}, "10.1038/nature14539")
    assert dry.returncode == 0
    (root / "content" / "listings" / "added.bib").unlink()
    dry = subprocess.run(
        [sys.executable, "-m", "generator", "fetch", "add", "-C", str(root), "--dry-run",
         "10.1038/nature14539"],
        capture_output=True, text=True, timeout=60, env={**os.environ, **env},
    )  # fmt: skip
    assert dry.returncode == 0 and dry.stderr.strip().endswith("nothing written (--dry-run)")
    assert not (root / "content" / "listings" / "added.bib").exists()
    down = add(root, {**env, "CROSSREF_API_URL": "http://127.0.0.1:9"}, "10.1038/nature14539")
    assert down.returncode == 1
    assert down.stderr.startswith(
        "papersite: error: cannot reach Crossref's REST API at http://127.0.0.1:9"
    )
    assert not (root / "content" / "listings" / "added.bib").exists()


def test_papers_the_users_own_entries_name_are_not_added_again_and_its_bytes_stay(
    make_site, services
):
    """Only `eprint = {id}` and `doi = {doi}` in braces were seen: a quoted eprint, a
    versioned one, a DOI written as a doi.org URL or Google Scholar's "arXiv preprint"
    journal line was added a second time (the file is read as the build reads it); and the
    file came back with LF line ends, no byte-order mark and its blank lines cut."""
    env, _, _ = services
    root = make_site(site_yml="title: Links\n")
    bib = root / "content" / "listings" / "added.bib"
    bib.parent.mkdir(parents=True, exist_ok=True)
    mine = (
        '\ufeff@article{mine,\r\n  title = {P},\r\n  eprint = "1706.03762",\r\n}\r\n'
        "@misc{other, title = {V}, eprint = {1605.08386v1}}\r\n"
        "@misc{doi, title = {D}, doi = {https://doi.org/10.1038/NATURE14539}}\r\n"
        "@article{gs, title = {G}, journal = {arXiv preprint arXiv:2412.99999}}\r\n\r\n\r\n"
    )
    bib.write_bytes(mine.encode("utf-8"))
    again = add(root, env, "1706.03762", "1605.08386", "10.1038/nature14539", "2412.99999")
    assert again.returncode == 0, again.stderr
    assert again.stderr.splitlines()[-1].startswith("0 added, 4 already in the listing")
    assert bib.read_bytes() == mine.encode("utf-8")
    bib.write_bytes(mine.replace('"1706.03762"', '"1111.11111"').encode("utf-8"))
    added = add(root, env, "1706.03762")
    assert added.stderr.splitlines()[-1].startswith("1 added, 0 already in the listing")
    text = bib.read_bytes().decode("utf-8")
    assert text.startswith(mine.replace('"1706.03762"', '"1111.11111"'))  # as it was
    assert "\n" not in text.replace("\r\n", "") and "vaswani2017attention" in text
