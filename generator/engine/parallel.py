"""Run independent build tasks on every core, in forked processes that share the parent's
memory (nothing large is pickled on the way in; results are pickled on the way back)."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from generator.diagnostics import PapersiteError

MIN_PAGES_PER_WORKER = 100
INTERRUPTED = 130  # a worker's exit status after Ctrl-C
CANCEL_GRACE = 5.0  # seconds a cancelled worker has to unwind before it is killed


class WorkerDied(PapersiteError):
    """A worker process ended without its result: killed (by the system when memory runs
    out, or by a signal) or exited."""

    def __init__(self, code: int | None) -> None:
        why = f"exit status {code}"
        if code is not None and code < 0:
            why = f"killed by signal {-code}"
        hint = "; the system may have run out of memory" if code == -9 else ""
        super().__init__(f"a build process ended before finishing its work ({why}{hint})")

    def lines(self, building: bool = False) -> list[str]:
        kept = "; the previous site was left as it was" if building else ""
        return [f"papersite: error: {self}{kept}"]


def worker_count(pages: int, per_worker: int = MIN_PAGES_PER_WORKER) -> int:
    """How many processes pay off: one per core, none when forking is unsafe or not worth it
    (fewer than `per_worker` items of work for each).

    A process with other threads (serve's watcher and server) must not fork: a lock held
    by another thread would stay locked in the child forever.
    """
    if not _can_fork() or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, pages // per_worker))


def run_tasks(tasks: list[Callable[[], Any]], workers: int) -> list[Any]:
    """Results of `tasks` in order; at most `workers` run at once, each in a Background
    process (in this process if 1). The first error stops the others and is raised."""
    if workers <= 1 or len(tasks) <= 1 or not _can_fork():
        return [task() for task in tasks]
    results: list[Any] = [None] * len(tasks)
    running: dict[Connection, tuple[int, Background]] = {}
    queue = list(enumerate(tasks))
    try:
        while queue or running:
            while queue and len(running) < workers:
                number, task = queue.pop(0)
                job = Background(task, fork=True)
                assert job.receiver is not None  # forked: _can_fork() was checked
                running[job.receiver] = (number, job)
            for receiver in wait(list(running)):
                number, job = running.pop(receiver)  # type: ignore[call-overload]
                results[number] = job.result()
    finally:
        for _, job in running.values():
            job.cancel()
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
        if fork and _can_fork():
            context = multiprocessing.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            arguments = (task, sender, os.getpid())
            self._process = context.Process(target=_child, args=arguments, daemon=True)
            # The child's collector leaves the objects made so far alone: scanning them would
            # write to (and so copy) every page of the parent's memory it shares.
            gc.freeze()
            try:
                self._process.start()
            finally:
                gc.unfreeze()
            sender.close()
            self._task = None

    @property
    def receiver(self) -> Connection | None:
        """What becomes readable when a forked task has finished (for waiting on several)."""
        return self._receiver

    def result(self) -> Any:
        if self._receiver is None:
            assert self._task is not None, "result() already taken"
            task, self._task = self._task, None
            return task()
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            ok, value = False, None
        finally:
            self._receiver.close()
            self._receiver = None
            self._process.join()
        if not ok and value is None:  # it ended without a word
            code = self._process.exitcode
            if code == INTERRUPTED:
                raise KeyboardInterrupt
            raise WorkerDied(code)
        if not ok:
            raise value if isinstance(value, BaseException) else RuntimeError(value)
        return value

    def cancel(self) -> None:
        if self._receiver is not None:
            self._process.terminate()  # it unwinds (tidying what it has open), then dies
            self._process.join(CANCEL_GRACE)
            if self._process.is_alive():  # a task that caught the unwinding and went on
                self._process.kill()
                self._process.join()
            self._receiver.close()
            self._receiver = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class _Cancelled(BaseException):
    """SIGTERM in a worker (`cancel`): raised, so that what the task has open is tidied
    as it unwinds (a half-written cache entry's temporary file deleted); the worker then
    dies of the signal, as it did at once before."""


def _cancelled(signal_number: int, frame: object) -> None:
    raise _Cancelled


def _child(task: Callable[[], Any], sender: Connection, parent: int) -> None:
    _die_with(parent)
    signal.signal(signal.SIGTERM, _cancelled)
    try:
        sender.send((True, task()))
    except KeyboardInterrupt:  # Ctrl-C reaches the whole group: the parent reports it
        os._exit(INTERRUPTED)
    except _Cancelled:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
    except Exception as error:  # report to the parent, which raises it
        try:
            sender.send((False, error))
        except Exception:
            sender.send((False, traceback.format_exc()))
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # (from here it dies as it is)
        sender.close()
        os._exit(0)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux: PR_SET_PDEATHSIG):
    a parent killed outright never collects its workers, which would wait forever on a
    pipe that a sibling still holds open."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers end with their tasks
        return
    if os.getppid() != parent:  # it died before the request took hold
        os._exit(1)


_PR_SET_PDEATHSIG = 1
