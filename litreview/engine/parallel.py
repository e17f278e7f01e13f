"""Share work between two processes with fork.

Per-paper stages (classify, extract) and the model-only outputs (paper
pages, search index) need nothing but the loaded model, so a forked child
(which shares that model copy-on-write) computes part of the work and hands
it back through a pipe. The results are the same as in one process; the
child's additions to the build's Cache come back too, so the next build
keeps them. A worker never outlives its build: it is killed when the parent is
interrupted or dies.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from litreview.engine.cache import Cache

T = TypeVar("T")

# Below this many items a fork costs more than it saves.
MIN_ITEMS = 200
_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    return hasattr(os, "fork")


def die_with_parent() -> None:
    """Linux: a worker is killed when its parent dies (a killed build leaves no orphans)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library already loaded (find_library would run ldconfig)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


_frozen = 0  # workers running while the objects made before them are frozen


def _freeze() -> None:
    """Leave every object made so far out of garbage collection until the workers end. A
    collection writes to each object it visits, which copies the memory page the fork
    shares (the gc module's documentation advises gc.freeze() before fork for this)."""
    global _frozen
    if _frozen == 0:
        gc.freeze()
    _frozen += 1


def _thaw() -> None:
    global _frozen
    _frozen -= 1
    if _frozen == 0:
        gc.unfreeze()


class Worker:
    """work() computed in a forked child; result() waits for it here."""

    def __init__(self, work: Callable[[], Any], cache: Cache):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.cache = cache
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=self._run, args=(work, cache, send, self._receive), daemon=True)
        _freeze()
        self._thawed = False
        try:
            self._process.start()
        except BaseException:  # no worker to wait for: thaw now (serve lives on)
            self._thawed = True
            _thaw()
            raise
        finally:
            send.close()

    @staticmethod
    def _run(work: Callable[[], Any], cache: Cache, send, receive) -> None:
        # The child inherited the reading end: close it, so that if the parent
        # dies, sending fails at once instead of blocking on a pipe nobody reads.
        receive.close()
        die_with_parent()
        cache.start_worker()
        try:
            send.send(("ok", (work(), cache.usage())))
        except BaseException as exc:  # re-raised in the parent
            send.send(("error", exc))
        finally:
            send.close()

    def cancel(self) -> None:
        self._process.kill()
        self._join()

    def _join(self) -> None:
        self._process.join()
        if not self._thawed:
            self._thawed = True
            _thaw()

    def result(self) -> Any:
        try:
            status, value = self._receive.recv()
        except EOFError:
            self._join()
            raise RuntimeError("a worker process died") from None
        except BaseException:  # interrupted while waiting: stop the worker too
            self.cancel()
            raise
        self._join()
        if status == "error":
            raise value
        result, usage = value
        self.cache.merge_usage(usage)
        return result


def fork_map(work: Callable[[Sequence[T]], list[Any]], items: Sequence[T], jobs: int, cache: Cache) -> list[Any]:
    """work(items) computed as work(first half) here and work(second half) in a child."""
    if jobs < 2 or len(items) < MIN_ITEMS or not can_fork():
        return work(items)
    middle = len(items) // 2
    worker = Worker(lambda: work(items[middle:]), cache)
    try:
        first = work(items[:middle])
    except BaseException:
        worker.cancel()
        raise
    return first + worker.result()
