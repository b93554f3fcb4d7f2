"""One line, never a traceback: each command run under each kind of failure the OS or
the network can raise, injected where the command does its I/O. Each must end with one
line on stderr and the status for it (1, or 130 for Ctrl-C), whatever it had done."""

from __future__ import annotations

import errno
import io
import os
import signal
from collections.abc import Callable
from pathlib import Path

import httpx2
import pytest

from generator import cli
from generator.commands import hub as hub_module
from generator.engine import parallel

# What the OS raises, as a command meets it.
OS_FAILURES: dict[str, Callable[[str], BaseException]] = {
    "disk full": lambda path: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path),
    "read-only": lambda path: OSError(errno.EROFS, os.strerror(errno.EROFS), path),
    "denied": lambda path: PermissionError(errno.EACCES, os.strerror(errno.EACCES), path),
    "I/O error": lambda path: OSError(errno.EIO, os.strerror(errno.EIO), path),
    "too many files": lambda path: OSError(errno.EMFILE, os.strerror(errno.EMFILE), path),
    "Ctrl-C": lambda path: KeyboardInterrupt(),
}
# What the network raises, as `fetch` meets it.
NETWORK_FAILURES: dict[str, BaseException] = {
    "connection reset": httpx2.ReadError("Connection reset by peer"),
    "protocol": httpx2.RemoteProtocolError("peer closed connection without response"),
    "redirects": httpx2.TooManyRedirects("Exceeded maximum allowed redirects."),
    "scheme": httpx2.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'"),
    "decoding": httpx2.DecodingError("Error -3 while decompressing data"),
    "proxy": httpx2.ProxyError("407 Proxy Authentication Required"),
    "local protocol": httpx2.LocalProtocolError("Illegal header value"),
    "timeout": httpx2.ReadTimeout("The read operation timed out"),
    "Ctrl-C": KeyboardInterrupt(),
}


def one_line(capsys: pytest.CaptureFixture[str], status: int, expected: set[int]) -> str:
    """The one line said (after any notices of retries or warnings), checked."""
    lines = capsys.readouterr().err.splitlines()
    assert status in expected, lines
    assert lines and "Traceback" not in "\n".join(lines), lines
    notices = ("; retrying in ", ": warning: ")  # retries, and the content's warnings
    assert all(any(notice in line for notice in notices) for line in lines[:-1]), lines
    return lines[-1]


def failing_open(
    failure: Callable[[str], BaseException], after: int, under: Path
) -> Callable[..., io.IOBase]:
    """builtins.open, failing from its `after`-th call on a file under `under`."""
    real = open
    calls = [0]

    def opened(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, os.PathLike)) and str(file).startswith(str(under)):
            calls[0] += 1
            if calls[0] > after:
                raise failure(str(file))
        return real(file, mode, *args, **kwargs)

    return opened


def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the build fork its workers here: a process with other threads (pytest-xdist's)
    would otherwise render in one process, and no failure would reach a worker."""
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


@pytest.mark.parametrize("kind", sorted(OS_FAILURES))
@pytest.mark.parametrize("after", [0, 5, 100])
def test_build_under_each_os_failure(make_site, tmp_path, monkeypatch, capsys, kind, after):
    """Reading content (the first opens), then reading and writing as it goes (the later
    ones, some in forked workers: a worker that stops is reported by the build)."""
    root = make_site("standard.txt", "glued.txt", "urls.txt")
    root.joinpath("content", "pages").mkdir()
    for number in range(220):  # enough pages for the build to fork its workers
        root.joinpath("content", "pages", f"page-{number}.md").write_text(f"# Page {number}\n")
    forking(monkeypatch)
    monkeypatch.setattr("builtins.open", failing_open(OS_FAILURES[kind], after, tmp_path))
    status = cli.main(["build", "-C", str(root), "--quiet"])
    expected = {130} if kind == "Ctrl-C" else {1}
    said = one_line(capsys, status, expected)
    if status == 1:
        assert said.startswith(str(root)) or "papersite: error" in said, said


@pytest.mark.parametrize("kind", sorted(OS_FAILURES))
def test_new_under_each_os_failure(tmp_path, monkeypatch, capsys, kind):
    monkeypatch.setattr("builtins.open", failing_open(OS_FAILURES[kind], 2, tmp_path))
    status = cli.main(["new", str(tmp_path / "site")])
    one_line(capsys, status, {130} if kind == "Ctrl-C" else {1})


@pytest.mark.parametrize("kind", sorted(NETWORK_FAILURES))
def test_fetch_under_each_network_failure(make_site, monkeypatch, capsys, kind):
    """Every exception the HTTP client can raise, on every attempt: one line (retried ones
    after their retries), content untouched."""
    root = make_site("standard.txt")
    before = sorted((p.name, p.read_bytes()) for p in (root / "content").rglob("*") if p.is_file())

    def failing(self, path, params, what):  # type: ignore[no-untyped-def]
        raise NETWORK_FAILURES[kind]

    real_init = hub_module.HubClient.__init__

    def without_waits(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        self._patience.sleep = lambda seconds: None  # the retries, at once

    monkeypatch.setattr(hub_module.HubClient, "_fetch", failing)
    monkeypatch.setattr(hub_module.HubClient, "__init__", without_waits)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    status = cli.main(["fetch", "search", "vision", "--name", "found", "-C", str(root)])
    one_line(capsys, status, {130} if kind == "Ctrl-C" else {1})
    after = sorted((p.name, p.read_bytes()) for p in (root / "content").rglob("*") if p.is_file())
    assert after == before


def test_a_worker_the_system_kills_is_one_line(make_site, tmp_path, monkeypatch, capsys):
    """A render worker killed outright (as the out-of-memory killer does): the build
    reported "worker process died" as a traceback. Now one line, the old site kept."""
    root = make_site("standard.txt")
    root.joinpath("content", "pages").mkdir()
    for number in range(220):
        root.joinpath("content", "pages", f"page-{number}.md").write_text(f"# Page {number}\n")
    assert cli.main(["build", "-C", str(root), "--quiet"]) == 0
    capsys.readouterr()
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    root.joinpath("content", "pages", "page-1.md").write_text("# Page one, edited\n")
    parent = os.getpid()
    forking(monkeypatch)

    def killed(path: str) -> BaseException:
        if os.getpid() != parent:  # in a worker: as the system kills it
            os.kill(os.getpid(), signal.SIGKILL)
        return OSError(errno.EIO, os.strerror(errno.EIO), path)

    monkeypatch.setattr("builtins.open", failing_open(killed, 0, tmp_path / "mysite" / "site"))
    status = cli.main(["build", "-C", str(root), "--quiet"])
    said = one_line(capsys, status, {1})
    assert "killed by signal 9" in said and "previous site was left as it was" in said
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
