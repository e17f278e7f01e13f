"""Related papers by text similarity: TF-IDF cosine over title + abstract.

The title counts twice because it names the method; ties keep catalogue
order, so the output is deterministic. Two ways to find each
paper's `top` most similar others, chosen by the size of the catalogue:

- exact (up to EXACT_MAX_PAPERS papers and EXACT_MAX_PAIRS term-sharing
  pairs, e.g. the 478 seed papers: ~0.9 M pairs): every pair of papers
  is scored by one sparse matrix product (scipy), into a dense score matrix;
- signatures (bigger catalogues): comparing all pairs grows with the square
  of the catalogue (10,000 synthetic papers share terms in 420 M pairs, and
  the matrix alone would take gigabytes). Instead each paper is indexed by
  its SIGNATURE_TERMS heaviest terms (its most specific words); papers whose
  signatures share terms are candidates, ranked by the dot product over the
  shared signature terms, and the best CANDIDATES of them get their exact
  cosine (with scipy's sparse matrices, a block of papers at a time). Each term
  lists only its CHAMPIONS heaviest papers (a champion list): without that,
  a common term's list grows with the catalogue and so does every paper's
  candidate set (quadratic: 660 postings a paper at 10,000 papers, about
  6,600 at 100,000). Time and memory grow about linearly
  (bench/results/scale.md has the figures). The price: a paper similar
  only through common words can be missed. On the 10,000-paper synthetic
  benchmark corpus (bench/corpus.py, the hardest case: abstracts are random
  mixes of the seeds' sentences, so the best cosines are all alike) 71% of
  the exact top 5 are found, and the cosines shown add up to 96% of the
  exact top 5's (sample of 150 papers); on the 478 seeds, forced down this
  path, 73% and 85% of first places (tests/test_related.py).

Either way a shown cosine is exact and summed in one fixed order (terms by
first occurrence in the catalogue), so equal inputs give equal floats; the
array code adds every sum in the order of the plain loops that define it
(tests/test_related.py compares them float for float).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litreview.model import Paper
from litreview.utils.termcounts import CHUNK, FlatCounts, TermNumbers

TOKEN_RE = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
TITLE_WEIGHT = 2
STOPWORDS = frozenset(
    """a about above across after again against all almost also although among an and another any are as at
    be because been before being between both but by can could do does done due during each either enable enables
    et etc even ever every few for from further given has have having here however if in into is it its itself
    just large less lot many may more most much must new not novel of on one only or other our out over paper
    per propose proposed propose s same several should show shows significant significantly since so some such
    than that the their them then there these they this those three through thus to two under up upon us use used
    uses using various very via was we well were what when where whether which while who whose will with within
    without work would yet approach method methods results result based demonstrate existing achieve achieves
    """.split()
)
EXACT_MAX_PAPERS = 1500  # the dense score matrix holds n x n floats
EXACT_MAX_PAIRS = 2_000_000  # (paper, paper, shared term) updates of the exact scoring
SIGNATURE_TERMS = 20
CANDIDATES = 20
CHAMPIONS = 200  # papers kept per signature term (its heaviest): bounds each paper's candidates
# Decimal places a related paper's cosine keeps: the paper page shows "similarity 0.42". An
# edited abstract moves most cosines in their fourth place; kept at the two shown, the pages
# whose related papers did not visibly change are not rendered again.
SHOWN_PLACES = 2


def tokens(text: str) -> list[str]:
    return [t for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS]


def term_counts(paper: Paper) -> Counter[str]:
    """A paper's terms and how often each occurs (title words TITLE_WEIGHT times), in first-use order."""
    return Counter(tokens(paper.title) * TITLE_WEIGHT + tokens(paper.abstract))


@dataclass
class Weights:
    """Every paper's unit-length TF-IDF weights as flat arrays, each paper's terms in first-use order."""

    terms: list[str]  # by number: numbered by first occurrence (paper order, then order within the paper)
    starts: Any  # numpy int64: paper i's entries are starts[i]:starts[i + 1]
    numbers: Any  # numpy int32: each entry's term number
    weights: Any  # numpy float64
    df: Any  # numpy int64: per term number, the papers that have the term

    def matrix(self):
        """The vectors as a CSR matrix (papers x terms), each row's terms ascending."""
        from scipy.sparse import csr_matrix

        shape = (len(self.starts) - 1, len(self.terms))
        # Each (paper, term) once: sorting each row's terms in place (scipy, in C) gives the
        # arrays a sort of every entry by (row, term) gave, without its four arrays of int64.
        matrix = csr_matrix((self.weights, self.numbers, self.starts), shape=shape, copy=True)
        matrix.sort_indices()
        return matrix


def tfidf_weights(counts: Iterable[Counter[str]]) -> Weights:
    """The TF-IDF weights of papers given their term_counts: (1 + ln tf) x idf, where
    idf = ln((1 + n) / (1 + df)) + 1, divided by the vector's length. Each
    length's squares are added up in the paper's term order, one after the
    other, so every weight is the float of that plain loop (the logarithms
    are Python's, from one table per distinct count).

    `counts` is read once, one paper at a time, into flat arrays: given a
    generator, no more than one paper's Counter exists at once (all of them
    at once were about 1 GB at 100,000 papers)."""
    import numpy as np

    numbering, flat = TermNumbers(), FlatCounts()  # terms numbered by first occurrence
    for found in counts:
        numbering.add(found, flat)
    terms = numbering.terms()
    ids, ks, sizes = flat.arrays()
    n = len(sizes)
    bounds = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    df = np.bincount(ids, minlength=len(terms))
    idf = _table(df, lambda d: math.log((1 + n) / (1 + d)) + 1.0)
    raw = _table(ks, lambda k: 1.0 + math.log(k))
    del ks, flat  # the counts (ids keeps the term numbers' array alive)
    # In place and a chunk at a time: the same products and quotients, without an array of
    # every entry for each intermediate (at 100,000 papers each is about 80 MB).
    for lo in range(0, len(raw), CHUNK):
        raw[lo : lo + CHUNK] *= idf[ids[lo : lo + CHUNK]]
    squares = raw * raw
    norms = np.sqrt(_sums_in_order(squares, bounds))
    del squares
    norms[norms == 0] = 1.0
    raw /= np.repeat(norms, np.diff(bounds))
    return Weights(terms, bounds, ids, raw, df)


def _table(values, function):
    """function(v) for each of an integer array's values, computed once per distinct value in Python."""
    import numpy as np

    distinct = np.unique(values)  # non-negative: counts
    table = np.zeros(int(distinct[-1]) + 1 if len(distinct) else 0, dtype=np.float64)
    table[distinct] = [function(v) for v in distinct.tolist()]
    return table[values]


def _sums_in_order(values, starts):
    """The sum of each segment values[starts[i]:starts[i + 1]], added one by one from 0.0 in order
    (as a Python loop would: numpy's own sums add in a different order)."""
    import numpy as np

    lengths = np.diff(starts)
    total = np.zeros(len(lengths))
    longest_first = np.argsort(-lengths, kind="stable")
    ranked = lengths[longest_first]
    for k in range(int(ranked[0]) if len(ranked) else 0):
        at = longest_first[: np.searchsorted(-ranked, -k, side="left")]
        total[at] += values[starts[at] + k]
    return total


Related = dict[str, list[tuple[Paper, float]]]


def related_papers(
    papers: list[Paper], top: int = 5, min_score: float = 0.05, counts: Iterable[Counter[str]] | None = None
) -> Related:
    """For each paper id, up to `top` most similar other papers with their cosine (SHOWN_PLACES
    places; the ranking uses the whole float).
    `counts`: term_counts of each paper, if known."""
    weights = tfidf_weights(counts if counts is not None else map(term_counts, papers))
    pairs = int((weights.df * (weights.df - 1) // 2).sum())
    exact = len(papers) <= EXACT_MAX_PAPERS and pairs <= EXACT_MAX_PAIRS
    matrix = weights.matrix()
    del weights  # its arrays, as large as the matrix's, are not needed while scoring
    best = _ranked(_exact(matrix), top, min_score) if exact else _by_signature(matrix, top, min_score)
    return {p.id: [(papers[j], round(score, SHOWN_PLACES)) for score, j in best[i]] for i, p in enumerate(papers)}


def _exact(matrix):
    """Every pair's cosine, as a dense array with 0.0 on the diagonal. scipy's sparse
    product adds each pair's products in the order of the first paper's terms, which is
    term-number order: every float is the plain definition's (a loop over the shared
    terms in term-number order, from 0.0)."""
    import numpy as np

    scores = (matrix @ matrix.T).toarray()
    np.fill_diagonal(scores, 0.0)
    return scores


def _ranked(scores, top: int, min_score: float) -> list[list[tuple[float, int]]]:
    """Each row's `top` best other papers with their scores, best first; ties keep catalogue
    order (a stable sort of the negated scores: the order of Python's stable sort with
    reverse=True, so the result is deterministic), one numpy sort for all rows."""
    import numpy as np

    if not len(scores):
        return []
    order = np.argsort(-scores, axis=1, kind="stable")[:, : top + 1]
    values = np.take_along_axis(scores, order, axis=1).tolist()
    return [
        [(s, j) for s, j in zip(row, ranked) if s >= min_score and j != i][:top]
        for i, (row, ranked) in enumerate(zip(values, order.tolist()))
    ]


def _by_signature(matrix, top: int, min_score: float) -> list[list[tuple[float, int]]]:
    """Exact cosines of the best candidates found through the papers' heaviest terms.

    With scipy's sparse matrices, a block of papers at a time: the candidate
    scores are one sparse product (signature weights x champion lists), whose
    sums run in the order the plain definition adds them (terms ascending,
    then papers), and the exact cosines of the candidates are added up term
    by term in term order, as the plain definition does; so every float, and the ranking,
    is the one a loop over the papers in Python gives (tests/test_related.py
    compares them). Ties keep catalogue order throughout.
    """
    import numpy as np

    n = matrix.shape[0]
    if not n:
        return []
    signature = np.sort(_top_per_row(matrix.indptr, matrix.indices, matrix.data, SIGNATURE_TERMS))
    # Each signature entry's row (paper): where its position falls among the rows' starts.
    sig_rows = np.searchsorted(matrix.indptr, signature, side="right") - 1
    sig_terms, sig_weights = matrix.indices[signature], matrix.data[signature]
    # A term is shared when two or more signatures hold it; it lists its CHAMPIONS heaviest papers.
    shared = np.bincount(sig_terms, minlength=matrix.shape[1]) > 1
    mine = shared[sig_terms]
    # By sorting, not _top_per_row: a common term's list holds a large share of the catalogue,
    # too wide to pad (tens of thousands of papers at 100,000).
    by_term = _heaviest(sig_terms[mine], sig_weights[mine], CHAMPIONS)
    champion_terms = sig_terms[mine][by_term]
    champion_papers = sig_rows[mine][by_term]
    order = np.lexsort((champion_papers, champion_terms))  # each term's champions in catalogue order
    champions = _csr(champion_terms[order], champion_papers[order], sig_weights[mine][by_term][order],
                     (matrix.shape[1], n))  # fmt: skip
    reach = _csr(sig_rows[mine], sig_terms[mine], sig_weights[mine], (n, matrix.shape[1]))
    result: list[list[tuple[float, int]]] = []
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        # Candidate scores: the same products, added in the same order, as a Python loop
        # over the paper's shared signature terms (ascending) and their champions (ascending).
        estimate = reach[start:stop] @ champions  # no zeros: every weight is positive
        local = np.repeat(np.arange(stop - start), np.diff(estimate.indptr))
        scores = np.where(estimate.indices == local + start, -np.inf, estimate.data)  # not the paper itself
        chosen = _top_per_row(estimate.indptr, estimate.indices, scores, CANDIDATES)
        pair_rows, pair_papers = local[chosen], estimate.indices[chosen].astype(np.int64)
        scores = _cosines(matrix, pair_rows + start, pair_papers)
        keep = scores >= min_score
        found_rows, found_papers, found_scores = pair_rows[keep], pair_papers[keep], scores[keep]
        best = np.lexsort((found_papers, -found_scores, found_rows))
        ranks = _ranks(found_rows[best], stop - start)
        best = best[ranks < top]
        per_row: list[list[tuple[float, int]]] = [[] for _ in range(stop - start)]
        for r, s, j in zip(found_rows[best].tolist(), found_scores[best].tolist(), found_papers[best].tolist()):
            per_row[r].append((s, j))
        result.extend(per_row)
    return result


BLOCK = 512  # papers scored at a time: bounds the candidate and pair matrices


def _csr(rows, columns, values, shape):
    """A CSR matrix of entries given in (row, column) order."""
    import numpy as np
    from scipy.sparse import csr_matrix

    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return csr_matrix((values, columns, indptr), shape=shape)


def _ranks(groups, count: int):
    """Each item's position within its group, for items sorted by group (groups 0..count-1)."""
    import numpy as np

    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(groups, minlength=count), out=starts[1:])
    return np.arange(len(groups)) - starts[groups]


def _heaviest(groups, weights, count: int):
    """Positions of each group's `count` heaviest items (ties: lower key first), in input order.
    Within a group, items come in ascending key order (the order of a CSR matrix's entries)."""
    import numpy as np

    # Two stable sorts (weights, then groups) instead of a lexsort: the input order breaks ties.
    order = np.argsort(-weights, kind="stable")
    order = order[np.argsort(groups[order], kind="stable")]
    ranks = _ranks(groups[order], int(groups.max()) + 1 if len(groups) else 0)
    return np.sort(order[ranks < count])


def _top_per_row(indptr, keys, values, count: int):
    """Positions of each CSR row's `count` highest values (ties: lower key first), by row,
    best first; -inf is never chosen. A block of rows at a time: each row's count-th
    highest value by a partition of the rows padded with -inf, then only the entries at or
    above it are sorted."""
    import numpy as np

    found = []
    lengths = np.diff(indptr)
    for start in range(0, len(lengths), BLOCK):
        stop = min(len(lengths), start + BLOCK)
        first, last = int(indptr[start]), int(indptr[stop])
        part, sizes = values[first:last], lengths[start:stop]
        rows = np.repeat(np.arange(stop - start), sizes)
        width = int(sizes.max()) if len(sizes) else 0
        at = np.arange(last - first)
        if width > count:
            padded = np.full((stop - start, width), -np.inf)
            shift = indptr[start:stop] - first - np.arange(stop - start) * width
            padded.ravel()[at - np.repeat(shift, sizes)] = part
            threshold = np.partition(padded, width - count, axis=1)[:, width - count]
            at = np.flatnonzero(part >= threshold[rows])
        at = at[part[at] > -np.inf]
        order = at[np.lexsort((keys[first:last][at], -part[at], rows[at]))]
        order = order[_ranks(rows[order], stop - start) < count]
        found.append(order + first)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _cosines(matrix, first, second):
    """The cosine of each pair of rows, added up term by term in term order."""
    products = matrix[first].multiply(matrix[second]).tocsr()
    products.sort_indices()
    return _sums_in_order(products.data, products.indptr)
