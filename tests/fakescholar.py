"""A stand-in for Semantic Scholar's Academic Graph API on 127.0.0.1, in its own shapes
(its OpenAPI spec, and answers recorded by the `semanticscholar` client's tests): the
tests never reach the internet.

- POST /graph/v1/paper/batch?fields=...  body {"ids": [...]}: a JSON list in the order of
  the ids, each paper with `paperId` and only the fields asked (references.title...),
  null for an id it does not know; 400 {"error": "No valid paper ids given"} when it knows
  none, 400 {"error": "Unrecognized or unsupported fields: [x]"} for a field it lacks,
  400 for more than 500 ids; 403 when a key is required and another is sent.

Faults are scripted as in fakehub.py (a status with headers and a body, a wait, a body
that trickles in), each used up once. Its 429 is the API's: JSON, no Retry-After.
"""

from __future__ import annotations

import contextlib
import copy
import http.server
import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fakehub import Fault, Seen

BATCH = "/graph/v1/paper/batch"
FIELDS = {
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "year",
    "referenceCount", "citationCount", "influentialCitationCount", "publicationDate",
    "authors", "references", "citations",
}  # fmt: skip
TOO_MANY = (
    b'{"message": "Too Many Requests. Please wait and try again or apply for a key for '
    b'higher rate limits. https://www.semanticscholar.org/product/api#api-key-form", '
    b'"code": "429"}'
)


class FakeScholar:
    """Papers as the API holds them (every field, references whole); faults; requests."""

    def __init__(self, papers: list[dict[str, Any]], key: str | None = None) -> None:
        self.papers = [copy.deepcopy(paper) for paper in papers]
        self.key = key
        self.faults: list[Fault] = []
        self.requests: list[Seen] = []
        self.bodies: list[Any] = []
        self.trickling = 0.0
        self.lock = threading.Lock()

    def fail(self, times: int = 1, **fault: Any) -> None:
        self.faults += [Fault(BATCH, **fault) for _ in range(times)]

    def rate_limit(self, times: int = 1) -> None:
        headers = {
            "Content-Type": "application/json",
            "x-amzn-ErrorType": "TooManyRequestsException",
        }
        self.fail(times, status=429, headers=headers, body=TOO_MANY)

    def answer(
        self, path: str, params: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes, float]:
        with self.lock:
            served = len([r for r in self.requests if r.path == path]) - 1
            fault = next((f for f in self.faults if served >= f.after), None)
            if fault is not None:
                self.faults.remove(fault)
                self.trickling = fault.trickle
                return fault.status, fault.headers, fault.body, fault.delay
            self.trickling = 0.0
        if path != BATCH:
            return _error(404, "Not Found")
        if self.key is not None and headers.get("x-api-key") != self.key:
            return 403, {"Content-Type": "application/json"}, b'{"message": "Forbidden"}', 0.0
        fields = [name for name in params.get("fields", "").split(",") if name]
        unknown = [name for name in fields if name.split(".")[0] not in FIELDS]
        if unknown:
            return _error(400, f"Unrecognized or unsupported fields: [{', '.join(unknown)}]")
        try:
            ids = json.loads(body)["ids"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "Body must be JSON with a list of ids")
        self.bodies.append(ids)
        if len(ids) > 500:
            return _error(400, "Cannot process more than 500 paper ids at a time")
        found = [self._find(paper_id) for paper_id in ids]
        if not any(found):
            return _error(400, "No valid paper ids given")
        shaped = [_only(paper, fields) if paper else None for paper in found]
        return 200, {"Content-Type": "application/json"}, json.dumps(shaped).encode(), 0.0

    def _find(self, paper_id: str) -> dict[str, Any] | None:
        kind, _, value = paper_id.partition(":")
        key = {"ARXIV": "ArXiv", "DOI": "DOI"}.get(kind.upper())
        for paper in self.papers:
            ids = paper.get("externalIds") or {}
            if key and str(ids.get(key, "")).lower() == value.lower():
                return paper
            if paper["paperId"] == paper_id:
                return paper
        return None


def _only(paper: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The paper with `paperId` and the fields asked; references with `paperId`, `title`
    and their own fields asked (references.x)."""
    shaped: dict[str, Any] = {"paperId": paper["paperId"]}
    if not fields:
        shaped["title"] = paper["title"]
    nested = [name.split(".", 1)[1] for name in fields if name.startswith("references.")]
    for name in fields:
        if "." in name:
            continue
        shaped[name] = copy.deepcopy(paper.get(name))
    if nested or "references" in fields:
        references = paper.get("references")
        shaped["references"] = (
            None
            if references is None
            else [
                {"paperId": item.get("paperId"), "title": item.get("title")}
                | {name: item.get(name) for name in nested}
                for item in references
            ]
        )
    return shaped


def _error(status: int, message: str) -> tuple[int, dict[str, str], bytes, float]:
    body = json.dumps({"error": message}).encode() + b"\n"
    return status, {"Content-Type": "application/json"}, body, 0.0


@contextlib.contextmanager
def serving(scholar: FakeScholar) -> Iterator[str]:
    """Serve `scholar` on a free port of 127.0.0.1; yields its endpoint (.../graph/v1)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            params = {key: values[-1] for key, values in parse_qs(parts.query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            with scholar.lock:
                scholar.requests.append(Seen(parts.path, params, headers))
            status, answer_headers, answer, delay = scholar.answer(
                parts.path, params, headers, body
            )
            trickle = scholar.trickling
            time.sleep(delay)
            try:
                self.send_response(status)
                for name, value in answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                if not trickle:
                    self.wfile.write(answer)
                for byte in answer if trickle else b"":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(trickle)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/graph/v1"
    finally:
        server.shutdown()
        server.server_close()
