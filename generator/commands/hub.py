"""The Hugging Face Hub's papers API, through huggingface_hub, with the manners a real
network needs (commands/patience.py): timeouts, retries with backoff on 429, 5xx and
timeouts, Retry-After.

Requests go through huggingface_hub's HTTP session, headers (HF_TOKEN, user agent),
endpoint (HF_ENDPOINT) and errors, and every answer is checked with its PaperInfo. The
JSON itself is kept and read by the Hub JSON reader: PaperInfo drops the githubRepo and
projectPage of search and daily items (the Hub nests them under "paper"). Only `fetch`
imports this module: builds never touch the network.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

import httpx2
from huggingface_hub import constants
from huggingface_hub.hf_api import PaperInfo

# (huggingface_hub.utils re-exports these without marking them public for type checkers.)
from huggingface_hub.utils import (  # type: ignore[attr-defined]
    HfHubHTTPError,
    OfflineModeIsEnabled,
    build_hf_headers,
    get_session,
    hf_raise_for_status,
)

import generator
from generator.commands.patience import (
    Answered,
    NotJson,
    Patience,
    Retries,
    Service,
    ServiceError,
    first_line,
    read_whole,
)

DAILY_PAGE = 100
DAILY_PAGES = 100
HUB = Service(
    "the Hub",
    "the Hugging Face Hub",
    "HF_ENDPOINT",
    {401: "; check HF_TOKEN", 403: "; check HF_TOKEN's permissions"},
)
# What the Hub could not do (the name fetch's callers and tests know it by).
HubError = ServiceError


class HubClient:
    """Papers search, daily papers and paper lookup on the Hub at `endpoint`
    (HF_ENDPOINT, else huggingface.co). HF_TOKEN is sent when set; it is not needed."""

    def __init__(
        self,
        endpoint: str | None = None,
        retries: Retries | None = None,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda message: None,
    ) -> None:
        # huggingface_hub's own default: HF_ENDPOINT, read when it is imported.
        self.endpoint = (endpoint or constants.ENDPOINT).rstrip("/")
        self.retries = retries or Retries()
        self._notify = notify
        self._patience = Patience(
            HUB, self.endpoint, self.retries, sleep, notify, unreachable=(OfflineModeIsEnabled,)
        )

    def search(self, query: str, limit: int | None = None) -> list[dict[str, Any]]:
        """The response body of /api/papers/search (what a papers search page lists)."""
        params: dict[str, Any] = {"q": query}
        if limit:
            params["limit"] = limit
        return self._get("/api/papers/search", params, "papers search")

    def daily(self, **period: str) -> list[dict[str, Any]]:
        """/api/daily_papers for a date, week or month, every page of it."""
        items: list[dict[str, Any]] = []
        for page in range(DAILY_PAGES):
            params = {**period, "p": page, "limit": DAILY_PAGE}
            batch = self._get("/api/daily_papers", params, "daily papers")
            items += batch
            if len(batch) < DAILY_PAGE:
                return items
        self._notify(f"stopped after {DAILY_PAGES} pages ({len(items)} papers)")
        return items

    def paper(self, arxiv: str) -> dict[str, Any] | None:
        """/api/papers/{id}: one paper by arXiv id; None if the Hub does not know it."""
        try:
            [found] = self._get(f"/api/papers/{arxiv}", {}, f"paper {arxiv}", one=True)
        except HubError as error:
            if error.status == 404:
                return None
            raise
        return found

    def _get(
        self, path: str, params: dict[str, Any], what: str, one: bool = False
    ) -> list[dict[str, Any]]:
        """GET papers (a JSON list, or `one` paper), each checked by huggingface_hub's
        PaperInfo, which is how its own list_papers and paper_info read them."""

        def request() -> list[dict[str, Any]]:
            get_session().timeout = httpx2.Timeout(self.retries.timeout)
            response = self._fetch(path, params, what)
            try:
                hf_raise_for_status(response)
            except HfHubHTTPError as error:
                raise Answered(error.response) from None
            try:
                data = response.json()
            except ValueError as error:  # cut off, or a proxy's page: worth asking again
                raise NotJson(first_line(error)) from None
            except RecursionError:
                raise HubError(f"the Hub's answer ({what}) is nested too deeply") from None
            if one and isinstance(data, dict):
                data = [data]
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                raise HubError(f"the Hub's answer ({what}) is not papers")
            for item in data:
                try:
                    PaperInfo(**copy.deepcopy(item))
                except (ValueError, TypeError, AttributeError, KeyError) as error:
                    raise HubError(
                        f"the Hub's answer ({what}) is not papers as huggingface_hub reads "
                        f"them: {first_line(error)}"
                    ) from None
            return data

        return self._patience.call(request, what)

    def _fetch(self, path: str, params: dict[str, Any], what: str) -> httpx2.Response:
        """The whole answer to a GET, read within the deadline."""
        headers = build_hf_headers(library_name="papersite", library_version=generator.__version__)
        url = self.endpoint + path
        return read_whole(
            lambda: get_session().stream("GET", url, params=params, headers=headers),
            self.retries.deadline,
            what,
            HUB,
        )
