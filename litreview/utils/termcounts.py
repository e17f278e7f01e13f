"""Term counts of many documents as flat arrays, for the related papers and the search index.

Both count every document's terms and then work on numpy arrays. Holding a
Counter per document until the end was their peak memory (about 1 GB at
100,000 papers); appended here one document at a time, only the arrays stay.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import filterfalse
from typing import Any

# Entries of these arrays worked on at a time where a step needs float temporaries of them
# (BM25 scores, TF-IDF weights): each temporary stays a few MB at any catalogue size.
CHUNK = 1 << 18


@dataclass
class FlatCounts:
    """Documents' term counts, one document after another: term numbers, counts, and how
    many terms each document has (int32 arrays, half the memory of int64 and far more than
    any catalogue's terms or counts; read as numpy arrays by arrays())."""

    numbers: array = field(default_factory=lambda: array("i"))
    counts: array = field(default_factory=lambda: array("i"))
    sizes: array = field(default_factory=lambda: array("i"))

    def arrays(self) -> tuple[Any, Any, Any]:
        """(numbers, counts, sizes) as numpy int32 arrays over the same memory."""
        import numpy as np

        return tuple(np.frombuffer(a, dtype=np.int32) for a in (self.numbers, self.counts, self.sizes))  # type: ignore[return-value]


class TermNumbers:
    """Terms numbered in the order they are first seen, shared by every FlatCounts they fill."""

    def __init__(self) -> None:
        self.number: dict[str, int] = {}

    def add(self, found: Mapping[str, int], into: FlatCounts) -> None:
        """Append one document's counts (its terms distinct, as in any mapping) to `into`."""
        number = self.number
        new = list(filterfalse(number.__contains__, found))
        if new:
            number.update(zip(new, range(len(number), len(number) + len(new))))
        into.numbers.extend(map(number.__getitem__, found))
        into.counts.extend(found.values())
        into.sizes.append(len(found))

    def terms(self) -> list[str]:
        """Every term, by its number."""
        return list(self.number)
