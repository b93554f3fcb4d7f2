"""Run independent build tasks on every core, in forked processes that share the parent's
memory (nothing large is pickled on the way in; results are pickled on the way back)."""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

MIN_PAGES_PER_WORKER = 100


def worker_count(pages: int) -> int:
    """How many processes pay off: one per core, none when forking is unsafe or not worth it.

    A process with other threads (serve's watcher and server) must not fork: a lock held
    by another thread would stay locked in the child forever.
    """
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, pages // MIN_PAGES_PER_WORKER))


def run_tasks(tasks: list[Callable[[], Any]], workers: int) -> list[Any]:
    """Results of `tasks` in order; at most `workers` run at once (in-process if 1)."""
    if workers <= 1 or len(tasks) <= 1:
        return [task() for task in tasks]
    context = multiprocessing.get_context("fork")
    results: list[Any] = [None] * len(tasks)
    running: list[tuple[int, Any, Connection]] = []
    queue = list(enumerate(tasks))
    while queue or running:
        while queue and len(running) < workers:
            number, task = queue.pop(0)
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(task, sender), daemon=True)
            process.start()
            sender.close()
            running.append((number, process, receiver))
        ready = wait([receiver for _, _, receiver in running])
        position = next(i for i, (_, _, receiver) in enumerate(running) if receiver in ready)
        number, process, receiver = running.pop(position)
        try:
            ok, value = receiver.recv()
        except EOFError:
            ok, value = False, f"worker process died (exit code {process.exitcode})"
        process.join()
        if not ok:
            for _, other, _ in running:
                other.terminate()
            raise value if isinstance(value, BaseException) else RuntimeError(value)
        results[number] = value
    return results


class Background:
    """A task started now in a forked process while the caller goes on; result() waits.

    With `fork` false (or no fork on this system) the task runs when result() is first
    asked for, in this process. A task never collected is stopped by cancel().
    """

    def __init__(self, task: Callable[[], Any], fork: bool) -> None:
        self._task: Callable[[], Any] | None = task
        self._process: Any = None
        self._receiver: Connection | None = None
        if fork and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(task, sender), daemon=True)
            self._process.start()
            sender.close()
            self._task = None

    def result(self) -> Any:
        if self._receiver is None:
            assert self._task is not None, "result() already taken"
            task, self._task = self._task, None
            return task()
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            ok, value = False, f"worker process died (exit code {self._process.exitcode})"
        finally:
            self._receiver.close()
            self._receiver = None
            self._process.join()
        if not ok:
            raise value if isinstance(value, BaseException) else RuntimeError(value)
        return value

    def cancel(self) -> None:
        if self._receiver is not None:
            self._process.terminate()
            self._process.join()
            self._receiver.close()
            self._receiver = None


def _child(task: Callable[[], Any], sender: Connection) -> None:
    try:
        sender.send((True, task()))
    except Exception as error:  # report to the parent, which raises it
        try:
            sender.send((False, error))
        except Exception:
            sender.send((False, traceback.format_exc()))
    finally:
        sender.close()
        os._exit(0)
