"""Overlap for `kb ingest`: work done a few items ahead in one thread, writes done behind in another."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator


def ahead(items: Iterable, work: Callable, depth: int = 4) -> Iterator:
    """Yield work(item) for each item, in order, computed in a background thread up to `depth`
    results ahead of the consumer; an exception in `work` is raised in the consumer."""
    out: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                out.put(("ok", work(item)))
            out.put(("ok", done))
        except BaseException as e:
            out.put(("error", e))

    worker = threading.Thread(target=produce, name="kb-ahead", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = out.get()
            if kind == "error":
                raise value
            if value is done:
                return
            yield value
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                out.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


class Writer:
    """Runs write(*job) for each job in a background thread, at most `depth` jobs behind; on leaving
    the `with` block every job is written (or the first error is raised)."""

    def __init__(self, write: Callable, depth: int = 2):
        self.write = write
        self.jobs: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="kb-write", daemon=True)

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            if self.error is None:
                try:
                    self.write(*job)
                except BaseException as e:
                    self.error = e

    def put(self, *job) -> None:
        if self.error is not None:
            raise self.error
        self.jobs.put(job)

    def __enter__(self) -> "Writer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.jobs.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            raise self.error
