"""utils.termcounts: term counts appended one document at a time equal the whole-catalogue version."""

from __future__ import annotations

from itertools import chain

from hypothesis import given
from hypothesis import strategies as st

from litreview.utils.termcounts import FlatCounts, TermNumbers

documents = st.lists(st.dictionaries(st.text("abcé", max_size=3), st.integers(1, 9), max_size=6), max_size=8)


@given(documents, st.integers(1, 3))
def test_flat_counts_are_the_counts_numbered_by_first_use(docs, columns):
    numbering, flats = TermNumbers(), [FlatCounts() for _ in range(columns)]
    for n, doc in enumerate(docs):
        numbering.add(doc, flats[n % columns])  # one numbering shared by every column
    terms = list(dict.fromkeys(chain.from_iterable(docs)))  # the numbering of the whole list at once
    assert numbering.terms() == terms
    for c, flat in enumerate(flats):
        mine = docs[c::columns]
        numbers, counts, sizes = flat.arrays()
        assert numbers.tolist() == [terms.index(t) for doc in mine for t in doc]
        assert counts.tolist() == [k for doc in mine for k in doc.values()]
        assert sizes.tolist() == [len(doc) for doc in mine]
