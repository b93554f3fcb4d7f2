"""A stand-in for the Hugging Face Hub's papers API on 127.0.0.1, in the Hub's own shapes
(huggingface_hub's PaperInfo, the Hub's OpenAPI schema): the tests never reach the internet.

- GET /api/papers/search?q=&limit=  a relevance search: items sharing a word with q,
  most shared words first ({"paper": {...}, "title", "publishedAt", ...} per item);
- GET /api/papers/{id}              one paper, flat; 404 {"error": ...} if unknown;
- GET /api/daily_papers?date|week|month&p&limit  the items listed that day/week/month.

Faults are scripted per path prefix: a status with headers and a body, a body that is not
JSON, or a wait longer than the client's timeout; each is used up once.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import http.server
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Fault:
    """An answer for the next request to `path` once `after` of them were answered."""

    path: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"error": "Internal Error"}'
    delay: float = 0.0
    after: int = 0
    trickle: float = 0.0  # seconds between the body's bytes, sent one at a time


@dataclass
class Seen:
    path: str
    params: dict[str, str]
    headers: dict[str, str]


class FakeHub:
    """Papers as /api/papers/{id} returns them; faults; every request it was sent."""

    def __init__(self, papers: list[dict[str, Any]]) -> None:
        self.papers = [copy.deepcopy(paper) for paper in papers]
        self.faults: list[Fault] = []
        self.requests: list[Seen] = []
        self.slowness = 0.0  # seconds before every answer, as over a slow network
        self.trickling = 0.0  # the last answer's trickle (Fault.trickle)
        self.lock = threading.Lock()

    def fail(self, path: str, times: int = 1, **fault: Any) -> None:
        self.faults += [Fault(path, **fault) for _ in range(times)]

    def seen(self, path: str) -> list[Seen]:
        return [request for request in self.requests if request.path.startswith(path)]

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], bytes, float]:
        with self.lock:
            served = len(self.seen(path)) - 1
            fault = next(
                (f for f in self.faults if path.startswith(f.path) and served >= f.after), None
            )
            if fault is not None:
                self.faults.remove(fault)
                self.trickling = fault.trickle
                return fault.status, fault.headers, fault.body, fault.delay
            self.trickling = 0.0
        if path == "/api/papers/search":
            return self._json(self._search(params.get("q", ""), int(params.get("limit", 50))))
        if path == "/api/daily_papers":
            return self._json(self._daily(params))
        if path.startswith("/api/papers/"):
            found = [p for p in self.papers if p["id"] == path.removeprefix("/api/papers/")]
            if not found:
                return 404, {}, b'{"error": "Paper not found"}', 0.0
            return self._json({**found[0], "linkedModels": [], "numTotalModels": 0})
        return 404, {}, b'{"error": "Sorry, we can\'t find the page you are looking for."}', 0.0

    def _search(self, query: str, limit: int) -> list[dict[str, Any]]:
        words = set(_WORD.findall(query.lower()))
        scored = []
        for paper in self.papers:
            shared = len(words & set(_WORD.findall(paper["title"].lower())))
            if shared:
                scored.append((-shared, paper["title"], paper))
        return [_item(paper) for *_, paper in sorted(scored, key=lambda s: s[:2])][:limit]

    def _daily(self, params: dict[str, str]) -> list[dict[str, Any]]:
        def listed(paper: dict[str, Any]) -> dt.date:
            return dt.date.fromisoformat(paper["submittedOnDailyAt"][:10])

        def wanted(day: dt.date) -> bool:
            if "date" in params:
                return day.isoformat() == params["date"]
            if "week" in params:
                year, week, _ = day.isocalendar()
                return f"{year}-W{week:02d}" == params["week"]
            return day.isoformat()[:7] == params.get("month")

        chosen = [paper for paper in self.papers if wanted(listed(paper))]
        page, limit = int(params.get("p", 0)), int(params.get("limit", 50))
        return [_item(paper) for paper in chosen[page * limit : (page + 1) * limit]]

    @staticmethod
    def _json(data: Any) -> tuple[int, dict[str, str], bytes, float]:
        return 200, {"Content-Type": "application/json"}, json.dumps(data).encode(), 0.0


def _item(paper: dict[str, Any]) -> dict[str, Any]:
    """A search or daily item: the paper, and when and by whom it was listed."""
    return {
        "paper": copy.deepcopy(paper),
        "publishedAt": paper.get("submittedOnDailyAt", paper["publishedAt"]),
        "title": paper["title"],
        "summary": paper.get("summary", ""),
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper['id']}.png",
        "numComments": 0,
        "submittedBy": {
            "_id": "0" * 24,
            "avatarUrl": "https://cdn-avatars.huggingface.co/a.png",
            "fullname": "A Reader",
            "isPro": False,
            "name": "reader",
            "type": "user",
        },
        "isAuthorParticipating": False,
    }


def paper(arxiv: str, title: str, authors: list[str], published: str, **more: Any) -> dict:
    """A paper as /api/papers/{id} returns it."""
    return {
        "id": arxiv,
        "authors": [
            {"_id": f"{n:024d}", "name": name, "hidden": False} for n, name in enumerate(authors)
        ],
        "publishedAt": f"{published}T17:59:58.000Z",
        # Listed on the daily papers three days after arXiv published it.
        "submittedOnDailyAt": f"{dt.date.fromisoformat(published) + dt.timedelta(days=3)}"
        "T20:00:00.000Z",
        "title": title,
        "summary": more.pop("summary", f"An abstract of {title}, long enough to be one."),
        "upvotes": more.pop("upvotes", 7),
        "discussionId": "1" * 24,
        **more,
    }


@contextlib.contextmanager
def serving(hub: FakeHub) -> Iterator[str]:
    """Serve `hub` on a free port of 127.0.0.1; yields its endpoint URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            with hub.lock:
                hub.requests.append(Seen(parts.path, params, dict(self.headers)))
            status, headers, body, delay = hub.answer(parts.path, params)
            trickle = hub.trickling
            time.sleep(delay + hub.slowness)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not trickle:
                    self.wfile.write(body)
                for byte in body if trickle else b"":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(trickle)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
