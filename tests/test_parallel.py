"""Forked tasks: results come back in order, errors are raised in the caller."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from generator.engine.cache import BuildCache
from generator.engine.parallel import Background, run_tasks


def test_run_tasks_keeps_order_and_uses_other_processes():
    results = run_tasks([lambda n=n: (n, os.getpid()) for n in range(5)], workers=2)
    assert [n for n, _ in results] == [0, 1, 2, 3, 4]
    assert all(pid != os.getpid() for _, pid in results)


def test_background_runs_beside_the_caller():
    job = Background(lambda: os.getpid(), fork=True)
    assert job.result() != os.getpid()


def test_background_error_is_raised_by_result():
    def fail() -> None:
        raise ValueError("bad listing")

    job = Background(fail, fork=True)
    with pytest.raises(ValueError, match="bad listing"):
        job.result()


def test_background_without_fork_runs_when_asked_in_this_process():
    calls = []
    job = Background(lambda: calls.append(os.getpid()) or "done", fork=False)
    assert calls == []
    assert job.result() == "done" and calls == [os.getpid()]


def test_cancel_stops_a_background_task():
    job = Background(lambda: time.sleep(60), fork=True)
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 10
    assert not job._process.is_alive()


class _SlowToPickle:
    """A value whose pickling waits (a large cache entry being written)."""

    def __reduce__(self):
        time.sleep(60)
        return (int, ())


def test_a_cancelled_task_leaves_no_half_written_cache_entry(tmp_path):
    """cancel() while a worker writes a cache entry: its temporary file is deleted as the
    worker unwinds, and the worker still ends by the signal."""
    cache = BuildCache(tmp_path / "cache")
    job = Background(lambda: cache.store("kind", "key", _SlowToPickle()), fork=True)
    folder = tmp_path / "cache" / "kind"
    waited = time.perf_counter()
    while not (folder.is_dir() and list(folder.glob(".tmp-*"))):
        assert time.perf_counter() - waited < 30, "the worker never began writing"
        time.sleep(0.01)
    process = job._process
    job.cancel()
    assert process.exitcode == -signal.SIGTERM
    assert list(folder.iterdir()) == []


def test_a_task_that_goes_on_after_cancel_is_killed(monkeypatch):
    """A task that catches the unwinding cancel() starts in it and goes on is killed once
    the grace is over: cancel() never waits for ever."""
    import generator.engine.parallel as parallel

    monkeypatch.setattr(parallel, "CANCEL_GRACE", 0.5)

    def stubborn() -> None:
        while True:
            try:
                time.sleep(60)
            except BaseException:
                continue

    job = Background(stubborn, fork=True)
    time.sleep(0.2)  # (its SIGTERM handler in place)
    cancelling = threading.Thread(target=job.cancel, daemon=True)
    cancelling.start()
    cancelling.join(10)
    if cancelling.is_alive():  # (so that a failure does not leave it running)
        job._process.kill()
    assert not cancelling.is_alive(), "cancel() waited for a task that went on"
    assert not job._process.is_alive()


def test_run_tasks_raises_the_first_error_and_stops_the_rest():
    def fail() -> None:
        raise ValueError("bad page")

    started = time.perf_counter()
    with pytest.raises(ValueError, match="bad page"):
        run_tasks([lambda: time.sleep(60), fail], workers=2)
    assert time.perf_counter() - started < 10
