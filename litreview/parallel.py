"""Split per-paper work across two processes with fork.

Classification and extraction treat each paper on its own, so on a
multi-core machine half the papers go to a forked child (which shares the
loaded model copy-on-write) and the results come back through a pipe. The
results are the same as in one process; the child's memo-table entries come
back too, so the next build's cache keeps them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items a fork costs more than it saves.
MIN_ITEMS = 200
_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: a worker is killed when its parent dies (a killed build leaves no orphans)."""
    import ctypes
    import ctypes.util
    import signal

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def fork_map(work: Callable[[Sequence[T]], list[Any]], items: Sequence[T], jobs: int) -> list[Any]:
    """work(items) computed as work(first half) here and work(second half) in a child."""
    if jobs < 2 or len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        return work(items)
    import multiprocessing

    from . import memo

    middle = len(items) // 2
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        # The child inherited the parent's reading end: close it, so that if
        # the parent dies (killed build), sending fails at once instead of
        # blocking forever on a pipe nobody will read.
        receive.close()
        die_with_parent()
        try:
            send.send(("ok", (work(items[middle:]), memo.usage())))
        except BaseException as exc:  # re-raised in the parent
            send.send(("error", exc))
        finally:
            send.close()

    process = ctx.Process(target=child, daemon=True)
    process.start()
    send.close()
    try:
        first = work(items[:middle])
        status, value = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError("a worker process died") from None
    except BaseException:  # interrupted or failed here: the child's result is unwanted
        process.kill()
        process.join()
        raise
    process.join()
    if status == "error":
        raise value
    second, usage = value
    memo.merge_usage(usage)
    return first + second
