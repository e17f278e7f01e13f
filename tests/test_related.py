"""Related papers: the indexed search gives exactly what comparing every pair gives.

The reference below is the plain definition (cosine of every pair, best
first, ties in catalogue order), so these tests pin the results on the corpus
seeds (tests/data/corpus) without a golden file that would go stale when seeds are added.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from helpers import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.analyse import related
from litreview.errors import ErrorCollector
from litreview.model import Paper
from litreview.read.catalogue import load_catalogue

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def papers() -> list[Paper]:
    errors = ErrorCollector()
    loaded = load_catalogue(SEEDS, errors)
    errors.raise_if_any()
    return loaded


def brute_force(papers: list[Paper], top: int = 5, min_score: float = 0.05) -> dict[str, list[tuple[str, float]]]:
    """Every pair's cosine, summed in term-number order; the definition, not the fast path."""
    vectors, _ = plain_tfidf([related.term_counts(p) for p in papers])
    keys = [frozenset(vec) for vec in vectors]
    result = {}
    for i, vec in enumerate(vectors):
        scored = []
        for j, other in enumerate(vectors):
            if j != i:
                total = 0.0
                for t in sorted(keys[i] & keys[j]):
                    total += vec[t] * other[t]
                scored.append((-total, j))
        scored.sort()
        result[papers[i].id] = [(papers[j].id, round(-s, related.SHOWN_PLACES)) for s, j in scored if -s >= min_score][
            :top
        ]
    return result


@pytest.fixture(scope="module")
def ranked(papers) -> dict[str, list[tuple[str, float]]]:
    """Every paper's whole ranking by the reference."""
    return brute_force(papers, top=len(papers))


def as_ids(found: dict[str, list[tuple[Paper, float]]]) -> dict[str, list[tuple[str, float]]]:
    return {pid: [(p.id, s) for p, s in others] for pid, others in found.items()}


def test_seed_catalogue_gets_exactly_the_all_pairs_answer(papers, ranked):
    assert len(papers) <= related.EXACT_MAX_PAPERS
    assert as_ids(related.related_papers(papers)) == {pid: others[:5] for pid, others in ranked.items()}


def test_the_exact_score_matrix_holds_cosines_floats(papers):
    """The sparse product adds each pair's products in term order, as cosine() does."""
    weights = related.tfidf_weights([related.term_counts(p) for p in papers])
    vectors, scores = vectors_of(weights), related._exact(weights.matrix())
    for i in range(0, len(papers), 7):
        expected = [0.0 if j == i else cosine(vectors[i], other) for j, other in enumerate(vectors)]
        assert scores[i].tolist() == expected


def test_big_catalogues_use_signatures_with_exact_scores(papers, ranked, monkeypatch):
    monkeypatch.setattr(related, "EXACT_MAX_PAPERS", 0)  # force the large-catalogue path on the seeds
    found = related.related_papers(papers)
    exact = ranked
    by_id = {pid: dict(others) for pid, others in exact.items()}
    hits = total = 0
    for paper in papers:
        others = found[paper.id]
        scores = [s for _, s in others]
        assert len(others) <= 5 and paper.id not in {p.id for p, _ in others}
        assert scores == sorted(scores, reverse=True) and all(s >= 0.05 for s in scores)
        # Every score shown is the true cosine, not the candidate estimate.
        assert all(by_id[paper.id][p.id] == s for p, s in others)
        best = [pid for pid, _ in exact[paper.id][:5]]
        hits += len(set(best) & {p.id for p, _ in others})
        total += len(best)
    assert hits / total > 0.65  # measured 0.73 on the 478 seeds
    assert as_ids(related.related_papers(papers)) == as_ids(found)  # deterministic


def test_a_near_duplicate_is_found_first_in_both_modes(papers, monkeypatch):
    twin = Paper(id="zz-twin", title=papers[0].title + " revisited", abstract=papers[0].abstract, sources=[])
    assert related.related_papers(papers + [twin])[twin.id][0][0].id == papers[0].id
    monkeypatch.setattr(related, "EXACT_MAX_PAPERS", 0)
    assert related.related_papers(papers + [twin])[twin.id][0][0].id == papers[0].id


def test_papers_sharing_no_words_are_not_related():
    papers = [
        Paper(
            id="a", title="Sparse attention kernels", abstract="Sparse attention kernels for long contexts.", sources=[]
        ),
        Paper(id="b", title="Sparse attention kernels revisited", abstract="Kernels for sparse attention.", sources=[]),
        Paper(id="c", title="Orbital mechanics", abstract="Planets and comets.", sources=[]),
    ]
    found = as_ids(related.related_papers(papers))
    assert [pid for pid, _ in found["a"]] == ["b"] and found["c"] == []


# ---------------------------------------------------------------- the sparse paths against plain loops
#
# tfidf_weights and _by_signature work on numpy arrays and scipy's sparse
# matrices. They must give the floats of the plain definitions below (the
# code they replaced), float for float and in the same order, so that the
# shown cosines and the ranking do not depend on how they were computed.


Vector = dict[int, float]  # term number -> weight


def cosine(a: Vector, b: Vector) -> float:
    """The definition: the products of the shared terms added up in term-number order from 0.0."""
    total = 0.0
    for t in sorted(a.keys() & b.keys()):
        total += a[t] * b[t]
    return total


def vectors_of(weights: related.Weights) -> list[Vector]:
    """tfidf_weights' arrays as one dict per paper (term number -> weight), in its term order."""
    numbers, values, starts = weights.numbers.tolist(), weights.weights.tolist(), weights.starts.tolist()
    return [dict(zip(numbers[a:b], values[a:b])) for a, b in zip(starts, starts[1:])]


def plain_tfidf(counts: list[Counter[str]]) -> tuple[list[Vector], list[str]]:
    """TF-IDF as a loop over the papers: each length's squares added one by one in term order."""
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    number: dict[str, int] = {}
    vectors = []
    for c in counts:
        vec = {t: (1.0 + math.log(k)) * idf[t] for t, k in c.items()}
        total = 0.0
        for w in vec.values():
            total += w * w
        norm = math.sqrt(total) or 1.0
        vectors.append({number.setdefault(t, len(number)): w / norm for t, w in vec.items()})
    return vectors, list(number)


def plain_signature_search(vectors: list[Vector], top: int, min_score: float) -> list[list[tuple[float, int]]]:
    """The signature search as a loop over the papers: signatures, champion lists, candidates."""
    signatures = []
    for vec in vectors:
        by_weight = sorted(sorted(vec), key=vec.__getitem__, reverse=True)  # stable: ties stay ascending
        signatures.append(sorted(by_weight[: related.SIGNATURE_TERMS]))
    lists: dict[int, list[int]] = {}
    for i, signature in enumerate(signatures):
        for t in signature:
            lists.setdefault(t, []).append(i)
    champions = {}
    for t, docs in lists.items():
        if len(docs) > 1:
            heaviest = sorted(docs, key=lambda i: -vectors[i][t])[: related.CHAMPIONS]  # stable
            champions[t] = sorted(heaviest)
    result = []
    for i, vec in enumerate(vectors):
        estimate: dict[int, float] = {}
        for t in signatures[i]:
            for j in champions.get(t, ()):
                estimate[j] = estimate.get(j, 0.0) + vec[t] * vectors[j][t]
        estimate.pop(i, None)
        candidates = sorted(estimate, key=lambda j: (-estimate[j], j))[: related.CANDIDATES]
        scored = [(cosine(vec, vectors[j]), j) for j in candidates]
        best = sorted((-s, j) for s, j in scored if s >= min_score)[:top]
        result.append([(-s, j) for s, j in best])
    return result


def test_tfidf_weights_are_the_plain_loops_floats_in_the_same_order(papers):
    counts = [related.term_counts(p) for p in papers]
    weights = related.tfidf_weights(counts)
    vectors, terms = vectors_of(weights), weights.terms
    expected_vectors, expected_terms = plain_tfidf(counts)
    assert terms == expected_terms
    assert vectors == expected_vectors
    assert [list(v) for v in vectors] == [list(v) for v in expected_vectors]  # each paper's term order too


@pytest.mark.parametrize(
    "champions, signature, candidates", [(200, 20, 20), (5, 20, 20), (3, 4, 7), (1, 2, 1)], ids=str
)
def test_the_sparse_signature_search_is_the_plain_loop_on_the_seeds(
    papers, monkeypatch, champions, signature, candidates
):
    monkeypatch.setattr(related, "CHAMPIONS", champions)  # small lists: papers are dropped from them
    monkeypatch.setattr(related, "SIGNATURE_TERMS", signature)
    monkeypatch.setattr(related, "CANDIDATES", candidates)
    weights = related.tfidf_weights([related.term_counts(p) for p in papers])
    found = related._by_signature(weights.matrix(), 5, 0.05)
    assert found == plain_signature_search(vectors_of(weights), 5, 0.05)
    assert sum(map(len, found)) > 50  # the comparison covers real results


# Tiny vocabularies and counts: many equal weights, so every tie-break is exercised.
catalogues = st.lists(
    st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 3), max_size=6).map(Counter), max_size=30
)


@settings(max_examples=150, deadline=None)
@given(counts=catalogues, champions=st.integers(1, 4), signature=st.integers(1, 4), candidates=st.integers(1, 5))
def test_the_sparse_paths_give_the_plain_loops_floats_and_ties(counts, champions, signature, candidates):
    vectors, terms = plain_tfidf(counts)
    weights = related.tfidf_weights(counts)
    assert weights.terms == terms and vectors_of(weights) == vectors
    original = related.CHAMPIONS, related.SIGNATURE_TERMS, related.CANDIDATES
    related.CHAMPIONS, related.SIGNATURE_TERMS, related.CANDIDATES = champions, signature, candidates
    try:
        found = related._by_signature(weights.matrix(), 3, 0.0)
        assert found == plain_signature_search(vectors, 3, 0.0)
    finally:
        related.CHAMPIONS, related.SIGNATURE_TERMS, related.CANDIDATES = original
