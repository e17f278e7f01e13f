"""Work shared with forked workers comes back complete, and only once."""

from __future__ import annotations

import hashlib

from litreview.engine import memo
from litreview.engine.parallel import Worker, fork_map


def key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def test_a_worker_sends_back_only_the_memo_entries_it_used(tmp_path):
    memo.use_folder(tmp_path)
    try:
        table = memo.table("numbers")
        for i in range(300):
            table.get_or_compute(f"parent {i}", lambda i=i: i)

        def child_work():
            value = memo.table("numbers").get_or_compute("child", lambda: "computed in the child")
            return value, {name: len(entries) for name, (entries, _used) in memo.usage().items()}

        value, sent = Worker(child_work).result()
        assert value == "computed in the child"
        assert sent == {"numbers": 1}  # not the parent's 300 entries again
        assert table.data[key("child")] == "computed in the child"  # merged here, saved with the rest
        memo.save()
        memo.use_folder(None)
        memo.use_folder(tmp_path)
        assert len(memo.table("numbers").data) == 301
    finally:
        memo.use_folder(None)


def test_fork_map_gives_the_same_list_as_one_process():
    items = list(range(1000))
    assert fork_map(lambda some: [x * x for x in some], items, jobs=2) == [x * x for x in items]
