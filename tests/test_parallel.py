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
