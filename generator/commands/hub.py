"""The Hugging Face Hub's papers API, through huggingface_hub, with the manners a real
network needs: timeouts, retries with backoff on 429, 5xx and timeouts, Retry-After.

Requests go through huggingface_hub's HTTP session, headers (HF_TOKEN, user agent),
endpoint (HF_ENDPOINT) and errors, and every answer is checked with its PaperInfo. The
JSON itself is kept and read by the Hub JSON reader: PaperInfo drops the githubRepo and
projectPage of search and daily items (the Hub nests them under "paper"). Only `fetch`
imports this module: builds never touch the network.
"""

from __future__ import annotations

import copy
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

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
from generator.diagnostics import PapersiteError

T = TypeVar("T")
# Besides every 5xx: request timeout and too many requests.
RETRY_STATUSES = frozenset({408, 429})
# Waits longer than this are not sat out: the run stops, keeping what it fetched.
LONGEST_WAIT = 600.0
DAILY_PAGE = 100
DAILY_PAGES = 100


class HubError(PapersiteError):
    """The Hub could not be asked or did not answer usefully: one line for the user, and
    the HTTP status when the Hub answered with an error."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Retries:
    """How hard to try: attempts after the first, the first wait (doubled each time, up to
    `longest`), the request timeout in seconds."""

    attempts: int = 5
    first_wait: float = 1.0
    longest: float = 30.0
    timeout: float = 30.0
    # The whole answer, however it trickles in (`timeout` is per read: an answer that
    # sends a byte every few seconds never trips it).
    deadline: float = 120.0


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
        self._sleep = sleep
        self._notify = notify
        self._reached = False

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
            response = self._fetch(path, params, what)
            hf_raise_for_status(response)
            try:
                data = response.json()
            except ValueError as error:  # cut off, or a proxy's page: worth asking again
                raise _NotJson(_first_line(error)) from None
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
                        f"them: {_first_line(error)}"
                    ) from None
            return data

        return self._call(request, what)

    def _fetch(self, path: str, params: dict[str, Any], what: str) -> httpx2.Response:
        """The whole answer to a GET, read within the deadline (else _TooSlow)."""
        deadline = time.monotonic() + self.retries.deadline
        headers = build_hf_headers(library_name="papersite", library_version=generator.__version__)
        url = self.endpoint + path
        with get_session().stream("GET", url, params=params, headers=headers) as streamed:
            body = bytearray()
            for chunk in streamed.iter_bytes():
                body += chunk
                if time.monotonic() > deadline:
                    raise _TooSlow(
                        f"the Hub's answer ({what}) did not arrive in full within "
                        f"{self.retries.deadline:g} s"
                    )
            return httpx2.Response(
                streamed.status_code,
                headers=streamed.headers,
                content=bytes(body),
                request=streamed.request,
            )

    def _call(self, request: Callable[[], T], what: str) -> T:
        """Run `request`, retrying what a busy or flaky network does (429, 5xx, timeouts,
        a cut-off answer) with growing waits, or as long as Retry-After asks."""
        wait = self.retries.first_wait
        for attempt in range(self.retries.attempts + 1):
            last = attempt == self.retries.attempts
            get_session().timeout = httpx2.Timeout(self.retries.timeout)
            try:
                result = request()
            except HfHubHTTPError as error:
                status = error.response.status_code
                if not _worth_retrying(status) or last:
                    raise _http_error(error, what) from None
                asked = _retry_after(error.response.headers.get("Retry-After"))
                delay = asked if asked is not None else wait
                reason = f"the Hub answered {status}"
            except httpx2.TimeoutException:
                if last:
                    raise HubError(
                        f"the Hub did not answer within {self.retries.timeout:g} s ({what})"
                    ) from None
                delay, reason = wait, "no answer in time"
            except (httpx2.ConnectError, OfflineModeIsEnabled) as error:
                if not self._reached or last:
                    raise HubError(
                        f"cannot reach the Hugging Face Hub at {self.endpoint}: "
                        f"{_first_line(error)} (offline? check HF_ENDPOINT)"
                    ) from None
                delay, reason = wait, "connection lost"
            except (httpx2.NetworkError, httpx2.RemoteProtocolError) as error:
                if last:
                    raise HubError(
                        f"the connection to the Hub broke: {_first_line(error)}"
                    ) from None
                delay, reason = wait, "connection broke"
            except _NotJson as error:
                if last:
                    raise HubError(f"the Hub's answer ({what}) is not JSON: {error}") from None
                delay, reason = wait, "an answer that is not JSON"
            except _TooSlow as error:
                if last:
                    raise HubError(str(error)) from None
                delay, reason = wait, "an answer too slow to finish"
            except httpx2.TooManyRedirects:
                raise HubError(
                    f"the Hub redirected too many times ({what}): a redirect loop at "
                    f"{self.endpoint}? check HF_ENDPOINT"
                ) from None
            except httpx2.UnsupportedProtocol as error:
                raise HubError(
                    f"the Hub sent papersite to an address it cannot fetch ({what}): "
                    f"{_first_line(error)}"
                ) from None
            except httpx2.DecodingError as error:
                if last:
                    raise HubError(
                        f"the Hub's answer ({what}) is not what its Content-Encoding says: "
                        f"{_first_line(error)}"
                    ) from None
                delay, reason = wait, "an answer that could not be decoded"
            except httpx2.HTTPError as error:  # any other way a request can fail
                raise HubError(
                    f"the request to the Hub failed ({what}): {_first_line(error)}"
                ) from None
            else:
                self._reached = True
                return result
            if delay > LONGEST_WAIT:
                raise HubError(f"the Hub asks to wait {delay:.0f} s ({what}); try again later")
            self._notify(f"{reason} ({what}); retrying in {delay:g} s")
            self._sleep(delay)
            wait = min(wait * 2, self.retries.longest)
        raise AssertionError("unreachable")


class _NotJson(Exception):
    """The Hub's answer could not be read as JSON."""


class _TooSlow(Exception):
    """The Hub's answer did not arrive in full within the deadline."""


def _worth_retrying(status: int) -> bool:
    return status in RETRY_STATUSES or 500 <= status <= 599


def _http_error(error: HfHubHTTPError, what: str) -> HubError:
    status = error.response.status_code
    hint = {401: "; check HF_TOKEN", 403: "; check HF_TOKEN's permissions"}.get(status, "")
    reason = f" {error.response.reason_phrase}" if error.response.reason_phrase else ""
    return HubError(f"the Hub answered {status}{reason} ({what}){hint}", status)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
