"""`serve`: build, serve from memory like GitHub Pages, rebuild on edits, reload browsers."""

from __future__ import annotations

import contextlib
import errno
import html
import http.server
import json
import re
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.commands.watch import SiteWatcher
from generator.content.config import site_file
from generator.diagnostics import ContentError, PapersiteError, file_error
from generator.recipe import Change, Preview, SiteBuilder, Superseded
from generator.site.hosting import content_type
from generator.site.output import MemoryWriter

# The 404 page's own <base> (the root path of the site's url:).
_BASE = re.compile(rb'<base href="[^"]*">\n?')

CLIENT_SCRIPT = Path(__file__).with_name("livereload.js")
INTERNAL = "__papersite/"
READY_TIMEOUT = 60.0
# The pages rendered first after a layout edit: the ones browsers asked for last. Once
# they are published, the rest waits until no request came for QUIET_SECONDS (the
# browsers have reloaded them; on two cores, rendering beside them slows them down).
OPEN_PAGES = 8
QUIET_SECONDS = 0.04
QUIET_LONGEST_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
SWITCH_SECONDS = 0.001


class LiveSite:
    """The site being served: the last good files, the current error, and a build counter.

    Requests wait while a rebuild runs, so nobody is served half a site; event-stream
    clients wait for the next event. A rebuild may publish part of the new site first
    (`publish_first`: after any edit that renders pages, the pages browsers have open;
    then after a content edit, all but the search index): that part is served at once,
    and browsers reload without waiting for the rest.
    """

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.error: str | None = None
        # Builds are counted from 1 in each serve: a tab left open from an earlier one is
        # told by this (its page's build number means nothing here).
        self.session = secrets.token_hex(8)
        self.build = 0
        self.pages_build = 0  # the last build that changed pages (a later one, only styles)
        self.building = False
        self.stopping = False
        self.events: list[dict[str, Any]] = []
        self._first: dict[str, bytes] = {}  # served while building, once published
        self._told = False  # whether browsers were told of the rebuild under way
        self._opened: list[str] = []  # HTML pages asked for, the latest last
        self._answering: set[int] = set()  # threads answering a request (not a stream)
        self._waiting: set[int] = set()  # threads waiting for a rebuild to finish
        self._last_request = 0.0  # when one was last begun or answered (time.monotonic)
        self._next_event_id = 1
        self._condition = threading.Condition()

    def begin(self) -> None:
        """A rebuild begins (what one stopped by a newer edit published stays served until
        this one publishes its own)."""
        with self._condition:
            self.building = True
            self._told = False

    def opened(self, key: str) -> None:
        """Note that a browser asked for the page `key` (it is probably open)."""
        with self._condition:
            if key in self._opened:
                self._opened.remove(key)
            self._opened = [*self._opened[-(OPEN_PAGES - 1) :], key]

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """Count a request being answered while the block runs."""
        with self._condition:
            self._answering.add(threading.get_ident())
            self._last_request = time.monotonic()
        try:
            yield
        finally:
            with self._condition:
                self._answering.discard(threading.get_ident())
                self._last_request = time.monotonic()
                self._condition.notify_all()

    def open_pages(self) -> frozenset[str]:
        with self._condition:
            return frozenset(self._opened)

    def publish_first(self, files: dict[str, bytes], keep_previous: bool) -> None:
        """Serve these files of the rebuild under way from now on (and, `keep_previous`,
        the last build's files that are not HTML pages: a layout edit changes only those),
        and tell browsers to reload; requests for any other file wait for the rest. Told
        once a rebuild: a second part published (after the open pages, all but the search
        index) is served from then on, and browsers have reloaded already."""
        with self._condition:
            kept = {k: v for k, v in self.files.items() if not k.endswith(".html")}
            self._first = kept | files if keep_previous else files
            self._condition.notify_all()  # requests waiting for these files
            if self._told:
                return
            self._told = True
            self.error = None  # what is published is from a rebuild that went well so far
            self.build = self.pages_build = self.build + 1
            self._add_event({"type": "reload", "build": self.build})
            self._last_request = published = time.monotonic()

            def quiet() -> bool:
                now = time.monotonic()
                answering = self._answering - self._waiting  # (the waiting wait for this)
                idle = not answering and now - self._last_request >= QUIET_SECONDS
                return idle or self.stopping or now - published >= QUIET_LONGEST_SECONDS

            while not quiet():
                self._condition.wait(QUIET_SECONDS / 4)

    def finish(self, files: dict[str, bytes] | None, change: Change, error: str | None) -> None:
        """Publish a finished rebuild (files) or its failure (error; old files stay)."""
        with self._condition:
            if error is None and files is not None:
                self.files, self.error = files, None
                if not self._told:  # else browsers were told when the first pages were
                    self.build += 1
                    kind = "css" if change is Change.STYLES else "reload"
                    if kind == "reload":
                        self.pages_build = self.build
                    self._add_event({"type": kind, "build": self.build})
            elif self._told or self._first:  # browsers reloaded into this rebuild (or one
                # stopped by it for a newer edit): back to the last site
                self.error = error  # (each page they load again shows the error over it)
                self._add_event({"type": "reload", "build": self.build})
            else:
                self.error = error
                self._add_event({"type": "error", "build": self.build, "message": error})
            self._first, self._told = {}, False
            self.building = False
            self._condition.notify_all()

    def _add_event(self, event: dict[str, Any]) -> None:
        self.events = [*self.events[-50:], {**event, "id": self._next_event_id}]
        self._next_event_id += 1
        self._condition.notify_all()

    def snapshot(self, key: str | None = None) -> tuple[dict[str, bytes], int, str | None]:
        """The files to serve, waiting while a rebuild is running (unless `key` is one of
        the files published first)."""
        with self._condition:
            self._waiting.add(threading.get_ident())
            self._condition.notify_all()
            self._condition.wait_for(
                lambda: not self.building or self.stopping or key in self._first,
                READY_TIMEOUT,
            )
            self._waiting.discard(threading.get_ident())
            if self.building and key in self._first:
                return self._first, self.build, self.error
            return self.files, self.build, self.error

    def next_event(self, after: int, timeout: float) -> dict[str, Any] | None:
        with self._condition:
            self._condition.wait_for(
                lambda: self.stopping or (self.events and self.events[-1]["id"] > after), timeout
            )
            newer = [event for event in self.events if event["id"] > after]
            return newer[-1] if newer and not self.stopping else None

    def last_event(self) -> tuple[int, dict[str, Any]]:
        """The last event's id, and what a stream opened now is told first (`hello`): the
        build and error browsers were last told of, and the last build that changed pages
        (a page of a build since which only styles changed swaps them rather than
        reloading). At once, even while a rebuild runs: a stream opened then must not
        miss its events."""
        with self._condition:
            last = self.events[-1]["id"] if self.events else 0
            return last, {
                "type": "hello",
                "session": self.session,
                "build": self.build,
                "pages": self.pages_build,
                "error": self.error,
            }

    def stop(self) -> None:
        with self._condition:
            self.stopping = True
            self._condition.notify_all()


class Rebuilder:
    """Runs the build's recipe after each edit, asking it to redo only what the edit's
    change reaches (recipe.Change); the site is kept in memory."""

    def __init__(
        self,
        root: Path,
        site: LiveSite,
        log: Callable[[str], None],
        superseded: Callable[[], bool] = lambda: False,
    ) -> None:
        self.site = site
        self.log = log
        self.builder = SiteBuilder(root, preview=True)
        # Whether a newer edit waits: a content rebuild then stops waiting for its search
        # index, and the next one begins (serve's watcher tells).
        self.superseded = superseded
        self._lock = threading.Lock()

    def rebuild(self, change: Change) -> None:
        """Rebuild after an edit that made `change` (watch.classify's: STYLES the browser
        takes without reloading). After a layout edit, the pages browsers have open are
        rendered and served first."""
        with self._lock:
            started = time.perf_counter()
            self.site.begin()
            writer = MemoryWriter(self.site.files)
            preview = Preview(
                self.site.open_pages(),
                lambda files, keep: self.site.publish_first(files, keep_previous=keep),
                lambda: self.site.publish_first(dict(writer.files), keep_previous=False),
                self.superseded,
            )
            try:
                self.builder.run(writer, change, preview)
            except Superseded:  # still building: what was published stays served
                if change is Change.CONTENT and self.builder.catalog is not None:
                    for warning in self.builder.catalog.warnings:
                        self.log(str(warning))
                self.log(f"Stopped ({change.value}) after {time.perf_counter() - started:.2f} s")
                return
            except PapersiteError as error:
                said = "\n".join(error.lines())
                self.log(f"{said}\n  {self._serving()}")
                self.site.finish(None, change, said)
                return
            except OSError as error:  # the disk, not the content
                self.log(f"{file_error(error, building=False)}\n  {self._serving()}")
                self.site.finish(None, change, file_error(error, building=False))
                return
            except Exception as error:  # a bug must not kill the preview; show it instead
                message = f"papersite: internal error during rebuild: {error!r}"
                self.log(message)
                self.site.finish(None, change, message)
                return
            if change is Change.CONTENT and self.builder.catalog is not None:
                for warning in self.builder.catalog.warnings:
                    self.log(str(warning))
            self.site.finish(writer.files, change, None)
            self.log(f"Rebuilt ({change.value}) in {time.perf_counter() - started:.2f} s")

    def _serving(self) -> str:
        """What a failed rebuild leaves served."""
        if self.site.build:
            return "(still serving the last good site)"
        return "(nothing to serve until a build succeeds: fix it and save)"


def normalize_base_path(base_path: str) -> str:
    """'/repo', 'repo/' or '/repo/' -> '/repo/'; '' or '/' -> '/'."""
    parts = [part for part in base_path.split("/") if part]
    return "/" + "".join(part + "/" for part in parts)


def make_handler(site: LiveSite, base_path: str) -> type[http.server.BaseHTTPRequestHandler]:
    client = CLIENT_SCRIPT.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "papersite"
        protocol_version = "HTTP/1.1"  # keep-alive: a reload fetches several files
        # Headers and body are two writes: with Nagle's algorithm the body would wait for
        # the browser's delayed acknowledgement of the headers (40 ms a file).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.do_GET(body=False)

        def do_GET(self, body: bool = True) -> None:
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(base_path):
                if path in ("/", "") or path + "/" == base_path:
                    return self._redirect(base_path)
                return self._not_found(site.snapshot()[0], body)
            relative = path[len(base_path) :]
            if relative == INTERNAL + "livereload.js":
                return self._send(200, "text/javascript; charset=utf-8", client, body)
            if relative == INTERNAL + "events":
                return self._events()
            with site.request():
                self._answer(path, relative, body)

        def _answer(self, path: str, relative: str, body: bool) -> None:
            key = relative + "index.html" if relative.endswith("/") or not relative else relative
            if key.endswith(".html"):
                site.opened(key)
            files, build, error = site.snapshot(key)
            if not files:
                page = _error_page(error or "The site is being built…")
                page = self._inject(page, build, error)
                return self._send(500, "text/html; charset=utf-8", page, body)
            if key in files:
                return self._file(key, files[key], build, error, body)
            if relative + "/index.html" in files:
                return self._redirect(path + "/")
            return self._not_found(files, body)

        def _file(self, key: str, data: bytes, build: int, error: str | None, body: bool) -> None:
            kind = content_type(key)
            if key.endswith(".html"):
                data = self._inject(data, build, error)
            self._send(200, kind, data, body)

        def _not_found(self, files: dict[str, bytes], body: bool) -> None:
            page = files.get("404.html", b"<!doctype html><title>Not found</title>Not found")
            # Served at any depth: its links resolve from the path this preview serves (not
            # from the root path of the site's url:, which its own <base> names).
            page = _BASE.sub(b"", page, count=1)
            page = page.replace(b"<head>", f'<head>\n<base href="{base_path}">'.encode(), 1)
            self._send(404, "text/html; charset=utf-8", self._inject(page, site.build), body)

        def _inject(self, page: bytes, build: int, error: str | None = None) -> bytes:
            error_attribute = f' data-error="{html.escape(error)}"' if error else ""
            tag = (
                f'<script src="{base_path}{INTERNAL}livereload.js" data-session="{site.session}" '
                f'data-build="{build}" data-events="{base_path}{INTERNAL}events"{error_attribute}>'
                "</script>\n"
            ).encode()
            head, found, tail = page.rpartition(b"</body>")
            return head + tag + found + tail if found else page + tag

        def _redirect(self, location: str) -> None:
            self.send_response(302 if location == base_path else 301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, kind: str, data: bytes, body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            last, hello = site.last_event()
            try:
                self._event(hello)
                while not site.stopping:
                    event = site.next_event(last, HEARTBEAT_SECONDS)
                    if event is None:
                        self.wfile.write(b": ping\n\n")
                        self.wfile.flush()
                        continue
                    last = event["id"]
                    self._event(event)
            except (BrokenPipeError, ConnectionResetError):
                return

        def _event(self, event: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(event).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def _error_page(message: str) -> bytes:
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Build failed</title>"
        f"<body><h1>Build failed</h1><pre>{html.escape(message)}</pre></body></html>"
    ).encode()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that goes away mid-answer (a reload, a closed tab) is not an error;
        anything else is one line, never a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"papersite: could not answer a request: {error!r}", file=sys.stderr, flush=True)


def run_serve(root: Path, host: str, port: int, poll: bool, base_path: str) -> int:
    """Serve until Ctrl-C; returns the exit status."""
    try:
        site_file(root)  # no site to watch: said as build says it
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    base_path = normalize_base_path(base_path)
    site = LiveSite()
    try:
        server = _Server((host, port), make_handler(site, base_path))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"papersite: error: port {port} on {host} is already in use; "
                f"choose another with --port {port + 1}",
                file=sys.stderr,
            )
        else:
            print(f"papersite: error: cannot listen on {host}:{port}: {error}", file=sys.stderr)
        return 1

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # A rebuild renders in this process while requests are served from it: switching
    # threads every millisecond (not every 5) lets a page published first reach the
    # browser while the rest renders, at a cost of a few percent to the rebuild.
    sys.setswitchinterval(SWITCH_SECONDS)
    rebuilder = Rebuilder(root, site, log)
    watcher = SiteWatcher(root, lambda change, paths: rebuilder.rebuild(change), poll)
    rebuilder.superseded = watcher.pending
    shown_host = f"[{host}]" if ":" in host else host
    try:
        rebuilder.rebuild(Change.CONTENT)
        watcher.start()
        print(
            f"Serving {root.resolve()} at http://{shown_host}:{server.server_address[1]}"
            f"{base_path} ({'polling' if poll else 'watching'} for changes; Ctrl-C to stop)",
            flush=True,
        )
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
        watcher.stop()
        server.server_close()
    print("Stopped.", flush=True)
    return 0
