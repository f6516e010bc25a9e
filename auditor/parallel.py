"""The second core for one long document: half of a stage's items go to a forked process.

A command-line audit of a 500-page agreement is one document on an otherwise idle machine, and
its heavy stages (reading the PDF's pages, classifying its provisions) are the same work repeated
over independent items. Forked, a child shares everything already loaded (PDFium, the classifier)
without re-importing or re-loading it, does the second half, and pickles its results back through
a pipe; the parent does the first half meanwhile. Where a process is already one of many (the
service's daemonic audit workers, a batch pool) or the machine has one core, the work stays in
the caller, as it does when the child fails for any reason.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_enabled = True


def disable() -> None:
    """For a process that is one of several workers: each already has its core."""
    global _enabled
    _enabled = False


def spare_core(*, threads_ok: bool = False) -> bool:
    """Whether this process may fork a helper onto another core.

    A fork copies only the calling thread: a lock another thread holds at that moment stays held in
    the child for ever. So a process running other threads forks only where the caller knows its
    child needs nothing they could hold (``threads_ok``: PDFium calls on a library already loaded).
    """
    if not _enabled or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if multiprocessing.current_process().daemon:  # a daemonic process may not have children
        return False
    return threads_ok or threading.active_count() == 1


def _halfway(weights: Sequence[int]) -> int:
    """The index that splits the items into two halves of about equal weight."""
    total, running = sum(weights), 0
    for k, weight in enumerate(weights):
        running += weight
        if running * 2 >= total:
            return k + 1
    return len(weights)


class Forked(Generic[Result]):
    """``work()`` started in a forked child; ``result()`` waits for it, or does the work here if the child failed."""

    def __init__(self, work: Callable[[], Result]) -> None:
        self.work = work
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(send,), daemon=True)
        self._process.start()
        send.close()

    def _run(self, send) -> None:
        try:
            send.send(("ok", self.work()))
        except BaseException as exc:  # noqa: BLE001 - the parent does the work itself
            send.send(("error", repr(exc)))
        finally:
            send.close()

    def result(self) -> Result:
        try:
            status, payload = self._receive.recv()
        except (EOFError, OSError):
            status, payload = "error", "the helper process ended"
        finally:
            self._receive.close()
        self._process.join(timeout=5)
        return payload if status == "ok" else self.work()

    def stop(self) -> None:
        """For work no longer wanted: the child is killed, its result never read."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=5)
        self._receive.close()

    @property
    def running(self) -> bool:
        return self._process.is_alive()


def start(work: Callable[[], Result], *, threads_ok: bool = False) -> Forked[Result] | None:
    """A child doing ``work()``, or None where no core is spare (see ``spare_core``) or no process can be made."""
    if not spare_core(threads_ok=threads_ok):
        return None
    try:
        return Forked(work)
    except (OSError, AssertionError, ValueError):
        return None


def split_map(work: Callable[[list[Item]], list[Result]], items: list[Item], weights: Sequence[int],
              min_weight: int) -> list[Result]:
    """``work(items)``, its second half in a forked child when the items weigh ``min_weight`` or more."""
    if sum(weights) < min_weight or len(items) < 2:
        return work(items)
    k = _halfway(weights)
    second = items[k:]
    helper = start(lambda: work(second)) if 0 < k < len(items) else None
    if helper is None:
        return work(items)
    first = work(items[:k])
    return first + helper.result()
