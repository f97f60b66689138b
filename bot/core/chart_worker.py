"""Where `/stats` charts are drawn: one child process, started in the background at start-up and warmed with
a first chart, or, when no process can be started, one worker thread.

A worker thread alone does not keep the event loop free: matplotlib's import, its font loading and the Agg
renderer are C code that holds the GIL for tens of milliseconds at a time, and each chart leaves some 60,000
objects in reference cycles, so charts set off full garbage collections (stop-the-world passes over the whole
heap, jieba's dictionary included) of 50-150 ms. In a child process all of that happens in another
interpreter; the loop only sends the chart's figures and receives the PNG. The child runs at a lower CPU
priority, so on a small machine the chats' replies come first.

If the child cannot be started (a sandbox without semaphores or subprocesses) or dies, charts are drawn in
the thread, one at a time (matplotlib is not thread-safe), and a warning says so once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
# shared by every worker in the process, so two services never draw at once in threads
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats-chart")  # its thread starts on use


class ChartWorker:
    """Runs chart functions (module-level, with picklable arguments) off the event loop."""

    def __init__(self) -> None:
        self._process: ProcessPoolExecutor | None = None
        self.warming: Future[Any] | None = None  # the warm-up in the child, once started

    @property
    def in_process(self) -> bool:
        return self._process is not None

    async def start_process(
        self, warm_up: Callable[[], object] | None = None, context: Any = None
    ) -> bool:  # fmt: skip
        """Start the child and hand it `warm_up` (import matplotlib, draw a first chart), without waiting for
        the warm-up; spawning itself happens in a worker thread. False when no process could be started:
        charts are then drawn in the thread."""
        context = context or multiprocessing.get_context("spawn")  # fork is unsafe beside aiosqlite's threads

        def spawn() -> tuple[ProcessPoolExecutor, Future[Any]]:
            executor = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_in_child)
            try:
                return executor, executor.submit(warm_up or os.getpid)  # the child is spawned here
            except BaseException:
                executor.shutdown(wait=False, cancel_futures=True)
                raise

        try:
            self._process, self.warming = await asyncio.to_thread(spawn)
        except (OSError, ImportError, NotImplementedError, RuntimeError) as exc:  # BrokenProcessPool included
            log.warning("stats charts: no child process (%s); they are drawn in a worker thread", exc)
            return False
        self.warming.add_done_callback(_report_warm_up)
        return True

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`function(*args, **kwargs)` in the child, or in the thread when there is no child (or it died)."""
        process = self._process
        if process is not None:
            try:
                return await asyncio.wrap_future(process.submit(function, *args, **kwargs))
            except BrokenProcessPool as exc:
                log.warning("stats charts: the child process stopped (%s); drawing in a worker thread", exc)
                self._stop_process()
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(_THREAD, call)

    def close(self) -> None:
        """Stop the child at once (a warm-up or chart in progress is abandoned), so the bot exits promptly."""
        self._stop_process()

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        workers = list((getattr(process, "_processes", None) or {}).values())  # no public list before 3.14
        process.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                worker.terminate()  # shutdown() alone lets the running job finish (a warm-up: about a second)


def _in_child() -> None:
    """In the child, first: yield the CPU to the bot's own process (replies before charts), and end with the
    bot however it ends (a worker of a killed parent would otherwise wait for work forever)."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(5)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="exit-with-bot", daemon=True).start()


def _exit_with(parent: Any) -> None:
    parent.join()  # returns once the bot's process is gone (its sentinel pipe closes)
    os._exit(0)


def _report_warm_up(future: Future[Any]) -> None:
    if future.cancelled():
        return
    error = future.exception()
    if error is not None and not isinstance(error, BrokenProcessPool):
        log.warning("stats charts: the warm-up chart failed: %s", error)
