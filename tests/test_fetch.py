"""`fetch` against a local fake Hub (tests/fakehub.py): listings saved as the Hub answers,
resolve by exact title, hand edits that win, and a network that misbehaves."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, interruptible, run_on_terminal
from fakehub import FakeHub, paper, serving

from generator.commands.hub import HubClient, HubError, Retries

RESNET = "Deep Residual Learning for Image Recognition"
CLIP = "Learning Transferable Visual Models From Natural Language Supervision"
ABSTRACT = "An abstract long enough to count as one, about vision and learning it well. " * 3
PAPERS = [
    paper(
        "1512.03385",
        RESNET,
        ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"],
        "2015-12-10",
        githubRepo="https://github.com/KaimingHe/deep-residual-networks",
    ),
    paper("2401.90001", RESNET + " Again", ["Near Miss"], "2024-01-02"),
    paper("2103.00020", CLIP, ["Alec Radford"], "2021-02-26"),
    paper("2103.90021", CLIP, ["Someone Else"], "2021-02-27"),
    paper("1706.03762", "Attention is All you Need!", ["Ashish Vaswani"], "2017-06-12"),
    paper(
        "2111.06377",
        "Masked Autoencoders Are Scalable Vision Learners",
        ["Kaiming He"],
        "2021-11-11",
        projectPage="https://example.org/mae/",
    ),
    paper("2402.90001", "Seen Before: A Paper", ["Someone"], "2024-02-01"),
]
LISTED = [
    RESNET,
    CLIP,
    "Attention Is All You Need",
    "A Paper The Hub Has Never Seen",
    "Zebra Quantum Origami",
]


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(PAPERS)


@pytest.fixture
def endpoint(hub):
    with serving(hub) as url:
        yield url


@pytest.fixture
def site(make_site) -> Path:
    root = make_site()
    listing = "\n".join(f"{title}\n{ABSTRACT}" for title in LISTED) + "\n"
    (root / "content" / "listings" / "reading.txt").write_text(listing, encoding="utf-8")
    notes = root / "content" / "papers"
    notes.mkdir()
    (notes / "mae.md").write_text(
        "---\ntitle: Masked Autoencoders Are Scalable Vision Learners\n"
        "links: {arXiv: 'https://arxiv.org/abs/2111.06377v2'}\n---\nNotes.\n"
    )
    (notes / "unknown.md").write_text(
        "---\ntitle: A Paper Only arXiv Knows\narxiv: '2201.90009'\n---\n"
    )
    return root


def fetch(root: Path, endpoint: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(root / ".hf")}
    environment.pop("HF_TOKEN", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "generator", "fetch", *args, "-C", str(root)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def content_state(root: Path) -> str:
    """A hash of every file under content/, to show a command left it untouched."""
    digest = hashlib.sha256()
    for path in sorted((root / "content").rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def records(root: Path) -> dict[str, dict]:
    data = yaml.safe_load((root / "content" / "metadata.yml").read_text("utf-8"))
    return {record["title"]: record for record in data["papers"]}


def test_resolve_finds_exact_titles_and_reports_the_rest_by_file_and_line(site, endpoint, hub):
    result = fetch(site, endpoint, "resolve")
    assert result.returncode == 0, result.stderr
    listing = site / "content" / "listings" / "reading.txt"
    lines = result.stderr.splitlines()
    assert (
        f"{listing}:3: warning: 2 Hugging Face papers are titled '{CLIP}' (2103.00020, "
        "2103.90021): write the right one as arxiv: beside hub: in metadata.yml" in lines
    )
    assert (
        f"{listing}:7: warning: no Hugging Face paper is titled "
        "'A Paper The Hub Has Never Seen'" in lines
    )
    assert f"{listing}:9: warning: no Hugging Face paper is titled 'Zebra Quantum Origami'" in lines
    unknown = site / "content" / "papers" / "unknown.md"
    assert f"{unknown}:1: warning: arXiv 2201.90009 is not on Hugging Face" in lines
    assert lines[-1] == (
        "7 of 7 papers looked up: 3 found, 3 unmatched, 1 ambiguous -> content/metadata.yml"
    )
    found = records(site)
    assert list(found) == sorted(found, key=lambda title: re.sub(r"\W", "", title.lower()))
    resnet = found[RESNET]["hub"]
    assert resnet["arxiv"] == "1512.03385"
    assert resnet["authors"] == ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"]
    assert str(resnet["date"]) == "2015-12-10"
    assert resnet["links"] == {"Code": "https://github.com/KaimingHe/deep-residual-networks"}
    assert "abstract" not in resnet  # the listing has one
    assert found["Attention Is All You Need"]["hub"]["arxiv"] == "1706.03762"  # punctuation
    assert found[CLIP]["hub"] == {"status": "ambiguous", "candidates": ["2103.00020", "2103.90021"]}
    assert found["Zebra Quantum Origami"]["hub"] == {"status": "unmatched"}
    mae = found["Masked Autoencoders Are Scalable Vision Learners"]["hub"]
    assert mae["authors"] == ["Kaiming He"] and mae["abstract"].startswith("An abstract of")
    # By id where one is known, by title otherwise; the near title is never taken.
    assert sorted(s.path for s in hub.seen("/api/papers/2")) == [
        "/api/papers/2111.06377",
        "/api/papers/2201.90009",
    ]
    assert len(hub.seen("/api/papers/search")) == 5


def test_the_build_reads_what_resolve_learned_and_never_imports_the_network(site, endpoint):
    assert fetch(site, endpoint, "resolve").returncode == 0
    build = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "generator", "build", "-C", str(site)],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9"},
    )
    assert build.returncode == 0, build.stderr
    imported = {line.split("|")[-1].strip() for line in build.stderr.splitlines() if "|" in line}
    assert not {"huggingface_hub", "httpx2", "tqdm", "bibtexparser"} & imported
    page = site / "site/papers/deep-residual-learning-for-image-recognition/index.html"
    text = page.read_text("utf-8")
    assert 'href="https://arxiv.org/abs/1512.03385"' in text
    assert ">Kaiming He</a>" in text and "Published December 10, 2015" in text


def test_a_rerun_adds_and_never_rewrites_and_hand_edits_always_win(site, endpoint, hub):
    assert fetch(site, endpoint, "resolve").returncode == 0
    path = site / "content" / "metadata.yml"
    text = path.read_text("utf-8")
    edited = text.replace(
        f"- title: {RESNET}\n",
        f"- title: {RESNET}\n  # checked against the CVPR version\n  authors: [Hand Written]\n",
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    listing = site / "content" / "listings" / "reading.txt"
    listing.write_text(listing.read_text() + f"Seen Before: A Paper\n{ABSTRACT}\n")
    hub.papers[0]["upvotes"] = 99
    asked = len(hub.seen("/api/papers"))

    again = fetch(site, endpoint, "resolve")
    assert again.returncode == 0, again.stderr
    assert len(hub.seen("/api/papers")) == asked + 1  # only the new paper
    after = path.read_text("utf-8")
    start = after.index("- title: 'Seen Before")
    end = after.index("- title: ", start + 1)
    assert after[:start] + after[end:] == edited  # the rest is exactly as it was
    assert after[start:end].startswith("- title: 'Seen Before: A Paper'\n  hub:\n")
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(site)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    resnet_md = site / "site/papers/deep-residual-learning-for-image-recognition/index.md"
    assert (
        resnet_md.read_text("utf-8").splitlines()[2]
        == "[Hand Written](<../../authors/hand-written/>)"
    )

    refreshed = fetch(site, endpoint, "resolve", "--refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    resnet = refreshed_block = path.read_text("utf-8").split(f"- title: {RESNET}\n")[1]
    refreshed_block = resnet.split("\n- title")[0]
    assert refreshed_block.startswith(
        "  # checked against the CVPR version\n  authors: [Hand Written]\n  hub:\n"
    )
    assert "    upvotes: 99" in refreshed_block
    mae = records(site)["Masked Autoencoders Are Scalable Vision Learners"]["hub"]
    assert mae["abstract"].startswith("An abstract of")  # the paper has no other


def test_an_interrupted_run_keeps_what_it_fetched_and_resumes(site, endpoint, hub):
    hub.fail(
        "/api/papers/search", times=50, after=2, status=200, delay=1.0, body=json.dumps([]).encode()
    )
    environment = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(site / ".hf")}
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "fetch", "resolve", "-C", str(site)],
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        preexec_fn=interruptible,  # interrupted with SIGINT, as Ctrl-C does
    )
    deadline = time.monotonic() + 60
    while len(hub.seen("/api/papers/search")) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted;" in stderr and "run again to go on" in stderr
    saved = records(site)
    assert 2 <= len(saved) < 7
    hub.faults.clear()
    asked = len(hub.seen("/api/papers"))
    assert fetch(site, endpoint, "resolve").returncode == 0
    assert len(records(site)) == 7
    assert len(hub.seen("/api/papers")) - asked == 7 - len(saved)


def test_when_the_hub_keeps_failing_the_run_stops_with_one_line_and_keeps_its_work(
    site, endpoint, hub
):
    hub.fail("/api/papers/search", times=50, after=1, status=404, body=b'{"error": "gone"}')
    result = fetch(site, endpoint, "resolve")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == ["papersite: error: the Hub answered 404 Not Found (papers search)"]
    assert "saved: run again to go on" in result.stderr.splitlines()[-1]
    assert len(records(site)) >= 1


@pytest.mark.parametrize("where", ["closed port", "unknown host"])
def test_offline_is_one_clear_line_and_content_is_untouched(site, where):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}" if where == "closed port" else "http://hub.invalid"
    before = content_state(site)
    for args in (
        ["resolve"],
        ["search", "vision", "--name", "v"],
        ["daily", "--date", "2024-03-14"],
    ):
        result = fetch(site, endpoint, *args)
        assert result.returncode == 1, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"papersite: error: cannot reach the Hugging Face Hub at {endpoint}")
    assert content_state(site) == before


def test_rate_limit_waits_as_long_as_retry_after_says(site, endpoint, hub):
    hub.fail(
        "/api/papers/search",
        status=429,
        headers={"Retry-After": "1"},
        body=b'{"error": "You have been rate-limited"}',
    )
    started = time.monotonic()
    result = fetch(site, endpoint, "search", "deep residual", "--name", "resnet")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.0
    assert "the Hub answered 429 (papers search); retrying in 1 s" in result.stderr
    assert len(hub.seen("/api/papers/search")) == 2


def test_search_saves_the_hub_answer_as_a_listing_the_build_reads(site, endpoint, hub):
    result = fetch(site, endpoint, "search", "deep residual", "--name", "resnet", "--limit", "5")
    assert result.returncode == 0, result.stderr
    saved = site / "content" / "listings" / "resnet.json"
    assert result.stderr.splitlines()[-1] == f"Saved 2 papers -> {saved}"
    assert hub.seen("/api/papers/search")[0].params == {"q": "deep residual", "limit": "5"}
    items = json.loads(saved.read_text("utf-8"))
    assert [item["paper"]["id"] for item in items] == ["1512.03385", "2401.90001"]
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(site)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    again = (site / "site/papers").glob(
        "deep-residual-learning-for-image-recognition-again/index.html"
    )
    assert 'href="https://arxiv.org/pdf/2401.90001"' in next(again).read_text("utf-8")


def test_daily_saves_every_page_of_a_day_week_or_month(site, endpoint, hub):
    hub.papers = [
        paper(f"2403.{90000 + n}", f"Daily Paper {n}", ["A B"], f"2024-03-{1 + n % 28:02d}")
        for n in range(130)
    ]
    result = fetch(site, endpoint, "daily", "--month", "2024-03")
    assert result.returncode == 0, result.stderr
    saved = json.loads((site / "content/listings/daily-2024-03.json").read_text("utf-8"))
    assert len(saved) == 130
    assert [seen.params["p"] for seen in hub.seen("/api/daily_papers")] == ["0", "1"]
    assert fetch(site, endpoint, "daily", "--week", "2024-W10", "--name", "week").returncode == 0
    week = json.loads((site / "content/listings/week.json").read_text("utf-8"))
    assert {item["publishedAt"][:10] for item in week} == {  # the days they were listed
        f"2024-03-{day:02d}" for day in range(4, 11)
    }
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(site)], capture_output=True
    )
    assert build.returncode == 0
    page = (site / "site/papers/daily-paper-0/index.html").read_text("utf-8")
    assert "Published March 1, 2024" in page  # the paper's date, not the day it was listed
    assert fetch(site, endpoint, "daily", "--date", "2024-03-05").returncode == 0
    assert (site / "content/listings/daily-2024-03-05.json").exists()


def test_dry_run_asks_and_writes_nothing(site, endpoint, hub):
    before = content_state(site)
    search = fetch(site, endpoint, "search", "deep residual", "--name", "resnet", "--dry-run")
    assert search.returncode == 0 and "nothing written (--dry-run)" in search.stderr
    resolve = fetch(site, endpoint, "resolve", "--dry-run")
    assert resolve.returncode == 0 and "nothing written (--dry-run)" in resolve.stderr
    assert "3 found" in resolve.stderr.splitlines()[-1]
    assert content_state(site) == before and hub.seen("/api/papers")


def test_hf_token_is_sent_when_set_and_not_needed(site, endpoint, hub):
    assert fetch(site, endpoint, "search", "attention", "--name", "a").returncode == 0
    assert (
        fetch(site, endpoint, "search", "attention", "--name", "a", HF_TOKEN="hf_secret").returncode
        == 0
    )
    first, second = hub.seen("/api/papers/search")
    assert "authorization" not in {key.lower() for key in first.headers}
    assert {k.lower(): v for k, v in second.headers.items()}["authorization"] == "Bearer hf_secret"
    assert "papersite/" in {k.lower(): v for k, v in second.headers.items()}["user-agent"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["daily", "--date", "2024-13-01"], "--date '2024-13-01' is not YYYY-MM-DD"),
        (["daily", "--week", "2024-11"], "--week '2024-11' is not YYYY-Www"),
        (["daily", "--date", "2024-03-01", "--month", "2024-03"], "give one of --date"),
        (["search", "x", "--name", "my list"], "--name 'my list': use letters"),
        (["search", "x", "--name", "reading"], "{sources}/reading.txt already holds the listing"),
    ],
)
def test_usage_mistakes_exit_2_before_any_request(site, endpoint, hub, args, message):
    result = fetch(site, endpoint, *args)
    assert result.returncode == 2
    message = message.format(sources=site / "content" / "listings")
    assert result.stderr.strip().startswith(f"papersite: error: {message}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert hub.seen("/api/") == []


def test_progress_bar_with_counts_and_eta_on_a_terminal(site, endpoint, hub):
    hub.slowness = 0.3  # the bar shows once a run takes more than a second
    environment = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(site / ".hf")}
    status, output = run_on_terminal(["fetch", "resolve", "-C", str(site)], environment)
    assert status == 0
    text = output.decode("utf-8", "replace")
    assert "Looking up" in text and "7/7" in text
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", text), text  # elapsed<remaining


# The client on its own, with its waits recorded instead of slept.


def client(endpoint: str, **retries: float) -> tuple[HubClient, list[float], list[str]]:
    slept: list[float] = []
    said: list[str] = []
    made = HubClient(endpoint, Retries(**retries), sleep=slept.append, notify=said.append)
    return made, slept, said


def test_server_errors_and_timeouts_back_off_and_then_succeed(endpoint, hub):
    hub.fail("/api/papers/search", status=500)
    hub.fail("/api/papers/search", status=503, headers={"Retry-After": "7"})
    hub.fail("/api/papers/search", status=200, delay=1.0)
    made, slept, said = client(endpoint, first_wait=1, timeout=0.3)
    titles = [item["title"] for item in made.search(RESNET)]
    assert titles[:2] == [RESNET, RESNET + " Again"]
    assert slept == [1, 7, 4]  # doubling each attempt; Retry-After wins when given
    assert said == [
        "the Hub answered 500 (papers search); retrying in 1 s",
        "the Hub answered 503 (papers search); retrying in 7 s",
        "no answer in time (papers search); retrying in 4 s",
    ]


def test_answers_that_are_not_papers(endpoint, hub):
    made, slept, _ = client(endpoint, attempts=2, first_wait=0.5)
    hub.fail("/api/papers/search", times=3, status=200, body=b"<html>Captive portal</html>")
    with pytest.raises(HubError, match=r"the Hub's answer \(papers search\) is not JSON"):
        made.search(RESNET)
    assert slept == [0.5, 1.0]
    hub.fail("/api/papers/search", status=200, body=b'[{"paper": {"authors": "Ann"}}]')
    with pytest.raises(HubError, match="is not papers as huggingface_hub reads them"):
        made.search("anything")
    assert slept == [0.5, 1.0]  # a wrong shape is not asked again
    assert made.search("zebra quantum") == []  # an empty result is an answer


def test_a_very_long_retry_after_stops_the_run_instead_of_hanging(endpoint, hub):
    made, slept, _ = client(endpoint)
    hub.fail("/api/papers/search", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(HubError, match="the Hub asks to wait 3600 s"):
        made.search(RESNET)
    assert slept == []


def test_saved_fixture_shapes_are_what_the_client_accepts(endpoint, hub):
    """The JSON fixtures of the readers are valid Hub answers for huggingface_hub."""
    items = json.loads((FIXTURES / "hub" / "search-vision.json").read_text("utf-8"))
    hub.fail("/api/papers/search", status=200, body=json.dumps(items).encode())
    made, _, _ = client(endpoint)
    assert made.search("vision") == items


def test_an_empty_answer_never_empties_a_listing(site, endpoint):
    assert fetch(site, endpoint, "search", "deep residual", "--name", "resnet").returncode == 0
    saved = site / "content" / "listings" / "resnet.json"
    before = saved.read_bytes()
    result = fetch(site, endpoint, "search", "zebra quantum origami", "--name", "resnet")
    assert result.returncode == 0
    assert result.stderr.strip() == f"the Hub found no papers; {saved} kept as it was"
    assert saved.read_bytes() == before


def test_a_metadata_file_in_another_layout_is_refused_untouched(site, endpoint, hub):
    path = site / "content" / "metadata.yml"
    path.write_text(f"papers:\n  - title: {RESNET}\n    authors: [Hand]\n", encoding="utf-8")
    before = content_state(site)
    result = fetch(site, endpoint, "resolve")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{path}:2: error: fetch adds to this file only when each paper starts with "
        "'- title:' at the start of a line, as fetch writes it; nothing was changed"
    )
    assert content_state(site) == before and not hub.seen("/api/papers")


def test_every_server_error_is_retried_until_the_attempts_run_out(endpoint, hub):
    hub.fail("/api/papers/search", status=520, body=b"")
    made, slept, said = client(endpoint, attempts=2, first_wait=0.25)
    assert made.search(RESNET)
    assert said == ["the Hub answered 520 (papers search); retrying in 0.25 s"]
    hub.fail("/api/papers/search", times=3, status=503)
    with pytest.raises(HubError) as caught:
        made.search(RESNET)
    assert str(caught.value) == "the Hub answered 503 Service Unavailable (papers search)"
    assert slept == [0.25, 0.25, 0.5]


def test_an_item_huggingface_hub_cannot_read_stops_at_once(endpoint, hub):
    made, slept, _ = client(endpoint)
    bad = [{"paper": {"id": "2401.90001", "publishedAt": "not a date"}, "title": "T"}]
    hub.fail("/api/papers/search", status=200, body=json.dumps(bad).encode())
    with pytest.raises(HubError, match="is not papers as huggingface_hub reads them"):
        made.search("T")
    assert slept == []


def test_texts_with_a_lone_half_or_a_control_are_saved_and_built(site, endpoint, hub):
    """The Hub cuts long texts by UTF-16 units, so a summary can end in half an emoji
    ("\\ud83d"), and a pasted name can hold an ESC. Saving such an answer raised
    UnicodeEncodeError (a traceback, nothing saved); the build now warns of the item and
    shows U+FFFD, and what resolve writes to metadata.yml is a file the build reads. The
    titles fetch lists are shown with their controls escaped (the terminal ran them)."""
    cut = "long enough to be an abstract of its own \ud83d"
    hub.papers = [
        paper("1512.03385", RESNET, ["Kaiming\x1b[31m He"], "2015-12-10", summary=cut),
        paper("2401.66666", "Deep \x1b]0;pwned\x07 Trouble \x1b[2J", ["Eve"], "2024-01-06"),
        paper(
            "2111.06377",
            "Masked Autoencoders Are Scalable Vision Learners",
            ["Kaiming\x1b[31m He"],
            "2021-11-11",
            summary=f"MAE, {cut}",
        ),
    ]
    result = fetch(site, endpoint, "search", "deep residual", "--name", "resnet")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Deep \\x1b]0;pwned\\x07 Trouble" in result.stderr  # shown, not run by the terminal
    assert "\x1b" not in result.stderr
    saved = site / "content" / "listings" / "resnet.json"
    assert "\\ud83d" in saved.read_text("utf-8")  # kept as the Hub sent it
    result = fetch(site, endpoint, "resolve")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    build = subprocess.run(
        [sys.executable, "-m", "generator", "build", "-C", str(site)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    assert f"{saved}:2: warning: item 1 holds U+001B (a control character)" in build.stderr
    resnet = site / "site/papers/deep-residual-learning-for-image-recognition/index.html"
    assert ">Kaiming [31m He</a>" in resnet.read_text("utf-8")
    mae = site / "site/papers/masked-autoencoders-are-scalable-vision-learners/index.html"
    text = mae.read_text("utf-8")
    assert "\x1b" not in text and "MAE, long enough to be an abstract of its own \ufffd" in text


@pytest.mark.parametrize("switch", ["false", "true"])
def test_the_workflow_switch_resolves_papers_before_the_build(site, endpoint, switch):
    """The scaffold's workflow, its steps run in order as Actions runs them (each `run` of
    papersite's, with the `if` on RESOLVE_METADATA): switched on, `fetch resolve` runs
    first, and the first build's pages name their authors and dates; off (the default),
    the build says what is missing and how to fetch it. The build never goes online."""
    workflow_file = REPO / "generator" / "commands" / "scaffold" / "github" / "workflows"
    workflow = yaml.safe_load((workflow_file / "pages.yml").read_text("utf-8"))
    assert workflow["env"]["RESOLVE_METADATA"] == "false"
    environment = {**os.environ, "HF_ENDPOINT": endpoint, "HF_HOME": str(site / ".hf")}
    environment["RESOLVE_METADATA"] = switch
    said = ""
    for step in workflow["jobs"]["build"]["steps"]:
        command = step.get("run", "")
        if not command.startswith("python -m generator"):
            continue
        condition = step.get("if")
        if condition is not None:
            assert condition == "env.RESOLVE_METADATA == 'true'"
            if environment["RESOLVE_METADATA"] != "true":
                continue
        command = command.replace('"${{ steps.pages.outputs.base_url }}/"', "https://x.org/r/")
        if "generator build" in command:
            environment["HF_ENDPOINT"] = "http://127.0.0.1:9"  # offline: builds never fetch
        ran = subprocess.run(
            [sys.executable, *command.split()[1:]],
            cwd=site,
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
        )
        assert ran.returncode == 0, ran.stderr
        said = ran.stdout
    page = site / "site/papers/deep-residual-learning-for-image-recognition/index.html"
    text = page.read_text("utf-8")
    papers = int(re.search(r"Built (\d+) papers", said)[1])
    without = re.search(r"(\d+) name no author", said)
    if switch == "true":  # the fake Hub, like the real one, knows some of them
        assert ">Kaiming He</a>" in text and "Published December 10, 2015" in text
        assert without is None or int(without[1]) < papers
    else:
        assert "Kaiming He" not in text
        assert without is not None and int(without[1]) == papers and "fetch resolve" in said


def test_a_hub_that_misbehaves_in_every_way_is_one_line_each(endpoint, hub):
    """A redirect loop, a redirect to a scheme that is not HTTP, a body that is not what
    its Content-Encoding says, and an answer that trickles in a byte at a time (each
    read within the timeout, the whole never): each ended in a traceback or a hang."""
    made, _, _ = client(endpoint, first_wait=0.01, timeout=5)
    made.retries.attempts = 1
    made.retries.deadline = 1.5
    loop = {"Location": endpoint + "/api/papers/search?q=loop"}
    hub.fail("/api/papers/search", times=40, status=302, headers=loop, body=b"")
    with pytest.raises(HubError, match="redirected too many times"):
        made.search(RESNET)
    hub.faults.clear()
    hub.fail("/api/papers/search", status=302, headers={"Location": "ftp://example.org/x"})
    with pytest.raises(HubError, match="to an address it cannot fetch"):
        made.search(RESNET)
    hub.faults.clear()
    hub.fail(
        "/api/papers/search",
        times=2,
        status=200,
        headers={"Content-Encoding": "gzip"},
        body=b"[]" * 50,
    )
    with pytest.raises(HubError, match="not what its Content-Encoding says"):
        made.search(RESNET)
    hub.faults.clear()
    hub.fail("/api/papers/search", times=2, status=200, body=b"[" + b" " * 200 + b"]", trickle=0.05)
    started = time.monotonic()
    with pytest.raises(HubError, match=r"did not arrive in full within 1\.5 s"):
        made.search(RESNET)
    assert time.monotonic() - started < 10


def test_an_answer_without_end_is_not_held_in_memory(endpoint, hub, monkeypatch):
    """An answer that streams fast without end was read into memory until none was left
    (a MemoryError's traceback under a 3 GB limit, after 13 s)."""
    from generator.commands import patience

    monkeypatch.setattr(patience, "LARGEST_ANSWER", 1024 * 1024, raising=False)
    made, _, _ = client(endpoint, first_wait=0.01, timeout=5)
    body = b"[" + b" " * 2 * 1024 * 1024 + b"]"
    hub.fail("/api/papers/search", times=10, status=200, body=body)
    with pytest.raises(HubError, match=r"answer .* is larger than 1 MB"):
        made.search(RESNET)
    assert len(hub.seen("/api/papers/search")) == 1  # not asked again


def test_fetch_against_a_misbehaving_hub_prints_one_line(site, endpoint, hub):
    """The same, as a user runs it: one line on stderr, exit 1, content untouched."""
    before = content_state(site)
    loop = {"Location": endpoint + "/api/papers/search?q=loop"}
    hub.fail("/api/papers/search", times=40, status=302, headers=loop, body=b"")
    result = fetch(site, endpoint, "search", "vision", "--name", "loop")
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert "redirected too many times" in result.stderr
    assert content_state(site) == before
