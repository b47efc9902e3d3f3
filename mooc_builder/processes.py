"""Work spread over processes, with whichever start method the platform has: fork, forkserver or spawn.

A pool's processes are given one :class:`Work` object as their argument: under ``fork`` they inherit it as
it is (the compiled theme, the model, all made already), under ``spawn`` (Windows, macOS) and ``forkserver``
it is pickled to them. Nothing reaches them through module globals, so the same code runs under every method
and gives the same bytes. Tasks are handed out as processes ask for them, and what a task sends comes back
as soon as it is sent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

Send = Callable[[Any], None]


class Work(Protocol):
    """What a pool's processes do. Made in the parent, given to each process as its argument."""

    def start(self) -> None:
        """Once in each process, before its first task (what the work needs that cannot be pickled)."""

    def do(self, task: Any, send: Send) -> None:
        """One task; ``send`` hands a result back to the parent at once."""


def start_method() -> str:
    """The fastest safe way to start processes here. fork starts them at once with everything this process
    has made; it is only safe where it is the platform's own default (Linux: macOS's system libraries do not
    survive it) and while this process runs no other thread (`mooc serve`'s server does). Else the
    platform's default: spawn on Windows and macOS, forkserver where it exists."""
    import multiprocessing  # not before a build needs it: a one-page rebuild does not

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    if "forkserver" in methods and sys.platform.startswith("linux"):
        return "forkserver"
    return "spawn" if "spawn" in methods else methods[0]


def workers(jobs: int | None, limit: int = 8) -> int:
    """How many processes to use: ``jobs`` when given, else one per core, at most ``limit``."""
    return max(1, jobs if jobs is not None else min(os.cpu_count() or 1, limit))


class WorkerError(Exception):
    """A task failed in another process with an exception that could not come back as it was."""


class Pool:
    """``size`` processes doing one :class:`Work`; use as a context manager (the processes end with it)."""

    def __init__(self, size: int, method: str | None = None) -> None:
        import multiprocessing

        self.size = size
        self.method = method or start_method()
        self.context: BaseContext = multiprocessing.get_context(self.method)
        self._processes: list[Any] = []
        self._tasks: Any = None
        self._results: Any = None
        self._pending = 0

    def start(self, work: Work) -> None:
        self._tasks = self.context.Queue()
        self._results = self.context.Queue()
        for number in range(self.size):
            process = self.context.Process(  # type: ignore[attr-defined]
                target=serve, args=(work, self._tasks, self._results), name=f"mooc-worker-{number}", daemon=True)
            process.start()
            self._processes.append(process)

    def submit(self, tasks: Iterable[Any]) -> None:
        for task in tasks:
            self._tasks.put(task)
            self._pending += 1

    def ready(self) -> list[Any]:
        """What the tasks have sent so far, without waiting."""
        found: list[Any] = []
        while True:
            try:
                message = self._results.get_nowait()
            except queue.Empty:
                return found
            found += self._take(message)

    def results(self) -> Iterator[Any]:
        """Everything the tasks send, as it comes, until every task submitted is done."""
        while self._pending:
            yield from self._take(self._next())

    def _next(self) -> Any:
        while True:
            try:
                return self._results.get(timeout=1)
            except queue.Empty:
                dead = [p for p in self._processes if not p.is_alive() and p.exitcode]
                if dead:
                    raise WorkerError(f"a worker process ended with exit code {dead[0].exitcode}") from None

    def _take(self, message: tuple[str, Any]) -> list[Any]:
        kind, value = message
        if kind == "item":
            return [value]
        if kind == "done":
            self._pending -= 1
            return []
        raise _failure(value)

    def close(self) -> None:
        for _process in self._processes:
            self._tasks.put(None)
        for process in self._processes:
            process.join(timeout=30)

    def terminate(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(timeout=10)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._tasks is None:
            return
        if kind is None:
            self.close()
        else:
            self.terminate()
        for channel in (self._tasks, self._results):
            with contextlib.suppress(Exception):
                channel.close()
                channel.join_thread()


def serve(work: Work, tasks: Any, results: Any) -> None:
    """A worker process: start the work, then do tasks until told to stop (None)."""
    def send(value: Any) -> None:
        results.put(("item", value))

    # `mooc` turns SIGTERM into an interruption its cleanup follows (cli.main); a worker, which a pool stops
    # with SIGTERM, inherits that under fork: it must simply end.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _end_with_parent()
    try:
        work.start()
        for task in iter(tasks.get, None):
            work.do(task, send)
            results.put(("done", None))
    except BaseException as exc:  # it goes back to the parent, which raises it there
        results.put(("failed", _portable(exc)))


def _end_with_parent() -> None:
    """End this worker as soon as the process that started it ends. A parent killed outright (kill -9, a
    power button) cannot stop its pool, and a worker waiting for tasks on a queue that its siblings also hold
    open would wait forever, keeping what it inherited (the output's claims: see write/leftovers.py)."""
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)  # nothing of this worker's is worth finishing: its results have nobody to go to

    threading.Thread(target=watch, name="mooc-parent-watch", daemon=True).start()


def _portable(exc: BaseException) -> bytes:
    """The exception, pickled when it can be (a theme error must reach the author as one)."""
    try:
        return pickle.dumps(exc)
    except Exception:
        return pickle.dumps(WorkerError("".join(traceback.format_exception(exc)).strip()))


def _failure(data: bytes) -> BaseException:
    try:
        error = pickle.loads(data)
    except Exception as exc:
        return WorkerError(f"a worker failed, and its error could not be read: {exc}")
    return error if isinstance(error, BaseException) else WorkerError(repr(error))
