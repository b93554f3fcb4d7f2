"""The manners a real network needs, for every service `fetch` asks (the Hugging Face Hub,
Semantic Scholar): timeouts, a deadline for answers that trickle in, retries with growing
waits on 429, 5xx, timeouts and cut-off answers, Retry-After obeyed up to a limit, and one
line for the user when it cannot go on. Only `fetch` imports this module."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx2

from generator.diagnostics import PapersiteError

T = TypeVar("T")
# Besides every 5xx: request timeout and too many requests.
RETRY_STATUSES = frozenset({408, 429})
# Waits longer than this are not sat out: the run stops, keeping what it fetched.
LONGEST_WAIT = 600.0
# The longest answer read (a page of the Hub's papers is some kilobytes; a batch of
# Semantic Scholar's references, a few megabytes): one without end is not held in memory.
LARGEST_ANSWER = 64 * 1024 * 1024


class ServiceError(PapersiteError):
    """A service could not be asked or did not answer usefully: one line for the user,
    and the HTTP status when it answered with an error."""

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


@dataclass(frozen=True)
class Service:
    """How to speak of a service: `short` in the middle of a sentence ("the Hub"), `long`
    with its address ("the Hugging Face Hub"), the setting that moves it (HF_ENDPOINT), and
    a hint for an HTTP status ({401: "; check HF_TOKEN"})."""

    short: str
    long: str
    setting: str
    hints: Mapping[int, str] = field(default_factory=dict)


class Answered(Exception):
    """The service answered with an HTTP error status."""

    def __init__(self, response: httpx2.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class NotJson(Exception):
    """An answer that could not be read as JSON."""


class TooSlow(Exception):
    """An answer that did not arrive in full within the deadline."""


def read_whole(
    send: Callable[[], Any], deadline: float, what: str, service: Service
) -> httpx2.Response:
    """The whole answer of the streamed request `send()` opens, read within `deadline`
    seconds (else TooSlow)."""
    end = time.monotonic() + deadline
    with send() as streamed:
        body = bytearray()
        for chunk in streamed.iter_bytes():
            body += chunk
            if len(body) > LARGEST_ANSWER:
                raise ServiceError(
                    f"{service.short}'s answer ({what}) is larger than "
                    f"{LARGEST_ANSWER // 1024 // 1024} MB: not what it sends; check "
                    f"{service.setting}"
                )
            if time.monotonic() > end:
                raise TooSlow(
                    f"{service.short}'s answer ({what}) did not arrive in full within "
                    f"{deadline:g} s"
                )
        return httpx2.Response(
            streamed.status_code,
            headers=streamed.headers,
            content=bytes(body),
            request=streamed.request,
        )


@dataclass
class Patience:
    """Runs requests to one service at `endpoint`, retrying what a busy or flaky network
    does. `unreachable` are more exceptions that mean the service cannot be reached."""

    service: Service
    endpoint: str
    retries: Retries = field(default_factory=Retries)
    sleep: Callable[[float], None] = time.sleep
    notify: Callable[[str], None] = lambda message: None
    unreachable: tuple[type[BaseException], ...] = ()
    reached: bool = False

    def call(self, request: Callable[[], T], what: str) -> T:
        """Run `request`, retrying 429, 5xx, timeouts and cut-off answers with growing
        waits, or as long as Retry-After asks."""
        service = self.service
        wait = self.retries.first_wait
        for attempt in range(self.retries.attempts + 1):
            last = attempt == self.retries.attempts
            try:
                result = request()
            except Answered as error:
                status = error.response.status_code
                if not worth_retrying(status) or last:
                    raise self.http_error(error.response, what) from None
                asked = retry_after(error.response.headers.get("Retry-After"))
                delay = asked if asked is not None else wait
                reason = f"{service.short} answered {status}"
            except httpx2.TimeoutException:
                if last:
                    raise ServiceError(
                        f"{service.short} did not answer within {self.retries.timeout:g} s ({what})"
                    ) from None
                delay, reason = wait, "no answer in time"
            except (httpx2.ConnectError, *self.unreachable) as error:  # type: ignore[misc]
                if not self.reached or last:
                    raise ServiceError(
                        f"cannot reach {service.long} at {self.endpoint}: "
                        f"{first_line(error)} (offline? check {service.setting})"
                    ) from None
                delay, reason = wait, "connection lost"
            except (httpx2.NetworkError, httpx2.RemoteProtocolError) as error:
                if last:
                    raise ServiceError(
                        f"the connection to {service.short} broke: {first_line(error)}"
                    ) from None
                delay, reason = wait, "connection broke"
            except NotJson as error:
                if last:
                    raise ServiceError(
                        f"{service.short}'s answer ({what}) is not JSON: {error}"
                    ) from None
                delay, reason = wait, "an answer that is not JSON"
            except TooSlow as error:
                if last:
                    raise ServiceError(str(error)) from None
                delay, reason = wait, "an answer too slow to finish"
            except httpx2.TooManyRedirects:
                raise ServiceError(
                    f"{service.short} redirected too many times ({what}): a redirect loop at "
                    f"{self.endpoint}? check {service.setting}"
                ) from None
            except httpx2.UnsupportedProtocol as error:
                raise ServiceError(
                    f"{service.short} sent papersite to an address it cannot fetch ({what}): "
                    f"{first_line(error)}"
                ) from None
            except httpx2.DecodingError as error:
                if last:
                    raise ServiceError(
                        f"{service.short}'s answer ({what}) is not what its Content-Encoding "
                        f"says: {first_line(error)}"
                    ) from None
                delay, reason = wait, "an answer that could not be decoded"
            except httpx2.HTTPError as error:  # any other way a request can fail
                raise ServiceError(
                    f"the request to {service.short} failed ({what}): {first_line(error)}"
                ) from None
            else:
                self.reached = True
                return result
            if delay > LONGEST_WAIT:
                raise ServiceError(
                    f"{service.short} asks to wait {delay:.0f} s ({what}); try again later"
                )
            self.notify(f"{reason} ({what}); retrying in {delay:g} s")
            self.sleep(delay)
            wait = min(wait * 2, self.retries.longest)
        raise AssertionError("unreachable")

    def http_error(self, response: httpx2.Response, what: str) -> ServiceError:
        status = response.status_code
        hint = self.service.hints.get(status, "")
        reason = f" {response.reason_phrase}" if response.reason_phrase else ""
        said = f"{self.service.short} answered {status}{reason} ({what}){hint}"
        return ServiceError(said, status)


def json_of(response: httpx2.Response, what: str, service: Service) -> Any:
    """The answer's JSON: NotJson (worth asking again: cut off, or a proxy's page) if it
    is not JSON, an error if it is nested past what Python reads."""
    try:
        return response.json()
    except ValueError as error:
        raise NotJson(first_line(error)) from None
    except RecursionError:
        raise ServiceError(f"{service.short}'s answer ({what}) is nested too deeply") from None


def worth_retrying(status: int) -> bool:
    return status in RETRY_STATUSES or 500 <= status <= 599


def retry_after(value: str | None) -> float | None:
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


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
