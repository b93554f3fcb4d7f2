"""One HTTP client for the services `fetch` asks besides the Hub (Semantic Scholar, the
arXiv API, Crossref): httpx2 with a timeout, a redirect limit, papersite's user agent,
the whole answer read within a deadline, and the retries of commands/patience.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx2

import generator
from generator.commands.patience import Answered, Patience, Retries, Service, read_whole

MAX_REDIRECTS = 10


class WebClient:
    """Requests to `service` at `endpoint`; `headers` go with each (an API key)."""

    def __init__(
        self,
        service: Service,
        endpoint: str,
        retries: Retries,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] = lambda message: None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.service = service
        self.endpoint = endpoint.rstrip("/")
        self.retries = retries
        self.patience = Patience(service, self.endpoint, retries, sleep, notify)
        self._headers = {"User-Agent": f"papersite/{generator.__version__}", **(headers or {})}
        self._http = httpx2.Client(
            timeout=retries.timeout, follow_redirects=True, max_redirects=MAX_REDIRECTS
        )

    def close(self) -> None:
        self._http.close()

    def send(
        self,
        method: str,
        path: str,
        what: str,
        read: Callable[[httpx2.Response], Any],
        *,
        params: dict[str, str] | None = None,
        json: Any = None,
        answers: frozenset[int] = frozenset(),
        before: Callable[[], None] = lambda: None,
    ) -> Any:
        """`read` of the answer to one request (retried as patience says). An error status
        in `answers` is read too (a 404 that means "not known"); others are errors."""

        def request() -> Any:
            before()
            response = read_whole(
                lambda: self._http.stream(
                    method,
                    self.endpoint + path,
                    params=params,
                    json=json,
                    headers=self._headers,
                ),
                self.retries.deadline,
                what,
                self.service,
            )
            if response.status_code >= 400 and response.status_code not in answers:
                raise Answered(response)
            return read(response)

        return self.patience.call(request, what)
