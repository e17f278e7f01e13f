"""Work shared with forked workers comes back complete, and only once."""

from __future__ import annotations

from litreview.engine.cache import Cache, key_hash
from litreview.engine.parallel import Worker, fork_map


def test_a_worker_sends_back_only_the_memo_entries_it_used(tmp_path):
    cache = Cache(tmp_path)
    table = cache.table("numbers")
    for i in range(300):
        table.get_or_compute(f"parent {i}", lambda i=i: i)

    def child_work():
        value = cache.table("numbers").get_or_compute("child", lambda: "computed in the child")
        cache.keep_state("note", "kept in the child")
        return value, {name: len(entries) for name, (entries, _used) in cache.usage()["tables"].items()}

    value, sent = Worker(child_work, cache).result()
    assert value == "computed in the child"
    assert sent == {"numbers": 1}  # not the parent's 300 entries again
    assert table.data[key_hash("child")] == "computed in the child"  # merged here, saved with the rest
    assert cache.state("note") == "kept in the child"
    cache.save()
    again = Cache(tmp_path)
    assert len(again.table("numbers").data) == 301
    assert again.state("note") == "kept in the child"


def test_fork_map_gives_the_same_list_as_one_process():
    items = list(range(1000))
    assert fork_map(lambda some: [x * x for x in some], items, jobs=2, cache=Cache(None)) == [x * x for x in items]


def test_objects_made_before_a_fork_are_left_out_of_collections_until_its_workers_end():
    """A collection in either process would write to every shared object and copy its page."""
    import gc

    import pytest

    def frozen_in_child(some: list[int]) -> list[int]:
        return [gc.get_freeze_count()] * len(some)

    assert gc.get_freeze_count() == 0
    made = [object() for _ in range(100)]
    counts = fork_map(frozen_in_child, list(range(400)), jobs=2, cache=Cache(None))
    assert min(counts[200:]) >= len(made), "the child saw the parent's objects frozen"
    assert min(counts[:200]) >= len(made), "and so did the parent while it waited"
    assert gc.get_freeze_count() == 0, "thawed once the worker ended"

    def fails() -> None:
        raise ValueError("in the worker")

    workers = [Worker(fails, Cache(None)), Worker(lambda: 1, Cache(None))]
    with pytest.raises(ValueError, match="in the worker"):
        workers[0].result()
    assert gc.get_freeze_count() > 0, "still frozen while the second worker runs"
    assert workers[1].result() == 1
    assert gc.get_freeze_count() == 0


def test_a_worker_that_cannot_start_leaves_collection_on(monkeypatch):
    """serve lives on after a failed fork: its objects must not stay out of collection."""
    import gc
    import multiprocessing.process

    import pytest

    def no_fork(self) -> None:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", no_fork)
    with pytest.raises(OSError, match="temporarily"):
        Worker(lambda: 1, Cache(None))
    assert gc.get_freeze_count() == 0
