"""Semantic Scholar's Academic Graph API: papers by arXiv id or DOI (POST /paper/batch),
with their citation counts, venues and references, with the network manners of
commands/patience.py. Only `fetch` imports this module.

The API answers a batch with a JSON list in the order of the ids asked (matched by
position: the paperId it gives may be another, merged one), null for an id it does not
know, and 400 "No valid paper ids given" when it knows none. A paper's `references` may be
null (not known); a reference it could not match has no ids, only a title. Without a key,
requests share a pool that answers 429 (with no Retry-After) when it is busy; a key
(SEMANTIC_SCHOLAR_API_KEY, sent as x-api-key) allows one request a second, so requests
are paced at least `pace` seconds apart and 429s are waited out with growing waits.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import httpx2

from generator.commands.patience import Retries, Service, ServiceError, first_line, json_of
from generator.commands.web import WebClient
from generator.text.identifiers import without_version

ENDPOINT = "https://api.semanticscholar.org/graph/v1"
# The API takes 500 ids a request, but an answer holds at most 10 MB and with references
# large batches time out (504): 100 papers with their references stay well inside.
BATCH_SIZE = 100
NONE_KNOWN = "No valid paper ids given"
PACE = 1.0  # seconds between requests: the rate a key allows
KEY_SETTING = "SEMANTIC_SCHOLAR_API_KEY"
SEMANTIC_SCHOLAR = Service(
    "Semantic Scholar",
    "Semantic Scholar's Graph API",
    "S2_API_URL",
    {401: f"; check {KEY_SETTING}", 403: f"; check {KEY_SETTING}"},
)
# What a paper and each of its references are asked for.
PAPER_FIELDS = ("title", "venue", "year", "citationCount", "externalIds", "url")
REFERENCE_FIELDS = ("title", "year", "citationCount", "externalIds", "url")
# What `fetch add` asks of one paper.
DETAIL_FIELDS = (
    "title",
    "abstract",
    "authors",
    "venue",
    "year",
    "publicationDate",
    "externalIds",
    "url",
)


def scholar_id(arxiv: str | None, doi: str | None) -> str | None:
    """How the API is asked for a paper: ARXIV:2106.15928 (no version), else DOI:10.x/y."""
    if arxiv:
        return "ARXIV:" + without_version(arxiv)
    if doi:
        return "DOI:" + doi
    return None


class ScholarClient:
    """Papers from the Graph API at `endpoint` (S2_API_URL, else the public one); the key
    from SEMANTIC_SCHOLAR_API_KEY when set (it is not needed)."""

    def __init__(
        self,
        endpoint: str | None = None,
        api_key: str | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda message: None,
        pace: float = PACE,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get(KEY_SETTING, "")
        self._sleep = sleep
        self._pace = pace
        self._last = -pace
        self._web = WebClient(
            SEMANTIC_SCHOLAR,
            endpoint or os.environ.get("S2_API_URL") or ENDPOINT,
            # No Retry-After comes with a 429: waits start at 5 s and grow to a minute.
            retries or Retries(attempts=6, first_wait=5.0, longest=60.0),
            sleep,
            notify,
            {"x-api-key": key} if key else None,
        )
        self.retries = self._web.retries

    def close(self) -> None:
        self._web.close()

    def papers(
        self, ids: list[str], fields: tuple[str, ...] | None = None
    ) -> list[dict[str, Any] | None]:
        """The papers of `ids` (at most BATCH_SIZE), in their order; None for an id the API
        does not know."""
        if fields is None:
            fields = PAPER_FIELDS + tuple(f"references.{name}" for name in REFERENCE_FIELDS)
        what = f"{len(ids)} paper{'' if len(ids) == 1 else 's'}"

        def read(response: httpx2.Response) -> list[dict[str, Any] | None]:
            if response.status_code == 400:
                said = _said(response)
                if said.startswith(NONE_KNOWN):
                    return [None] * len(ids)
                raise ServiceError(f"Semantic Scholar refused the request ({what}): {said}", 400)
            return _checked(json_of(response, what, SEMANTIC_SCHOLAR), len(ids), what)

        answer: list[dict[str, Any] | None] = self._web.send(
            "POST",
            "/paper/batch",
            what,
            read,
            params={"fields": ",".join(fields)},
            json={"ids": ids},
            answers=frozenset({400}),
            before=self._wait_turn,
        )
        return answer

    def _wait_turn(self) -> None:
        """At least `pace` seconds between two requests (and their retries)."""
        ready = self._last + self._pace
        now = time.monotonic()
        if now < ready:
            self._sleep(ready - now)
        self._last = time.monotonic()


def _checked(data: Any, count: int, what: str) -> list[dict[str, Any] | None]:
    """The answer, if it is what the API answers: a list of papers or nulls, one an id."""
    if not isinstance(data, list) or len(data) != count:
        raise ServiceError(f"Semantic Scholar's answer ({what}) is not a list of {count} papers")
    for item in data:
        if item is not None and not (
            isinstance(item, dict) and isinstance(item.get("paperId"), str)
        ):
            raise ServiceError(f"Semantic Scholar's answer ({what}) holds something not a paper")
    return data


def _said(response: httpx2.Response) -> str:
    """What an error answer says: its "error" or "message", else its first line."""
    try:
        body = response.json()
    except ValueError:
        return first_line(Exception(response.text)) if response.text.strip() else "no reason given"
    if isinstance(body, dict):
        for key in ("error", "message"):
            if isinstance(body.get(key), str):
                return first_line(Exception(body[key]))
    return "no reason given"
