"""A stand-in for GitHub Pages in tests: a project site under /REPO/, 404.html at any depth."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            return self._missing()
        self.path = "/" + path[len(self.prefix) :]
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not self.path.endswith("/"):
            return super().send_head()  # redirects to the folder URL, as Pages does
        if local.is_dir():
            local = local / "index.html"
        if not local.is_file():
            return self._missing()
        return super().send_head()

    def _missing(self):
        page = Path(self.directory) / "404.html"
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that goes away mid-answer (a page closed while it loads) is not an
        error: its traceback, printed after its test, stood in the run's output."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(handler: type, directory: Path, prefix: str = "/"):
    """Serve `directory` with `handler` on a free port of 127.0.0.1; yields the base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def github_pages(site: Path, prefix: str = "/REPO/"):
    """Serve `site` at http://127.0.0.1:PORT/REPO/ as GitHub Pages would; yields that URL."""
    return serving(type("Handler", (_PagesHandler,), {"prefix": prefix}), site, prefix)
