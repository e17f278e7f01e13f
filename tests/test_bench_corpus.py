"""The benchmark's synthetic corpora: deterministic, the requested size, readable by litreview."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import SEEDS

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402

from litreview.read.listings import normalise_title  # noqa: E402


@pytest.fixture(autouse=True)
def _bench_reads_the_fixture_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/ benchmarks the live seeds/; its tests use the fixture corpus like every other test."""
    monkeypatch.setattr(corpus, "SEED_DIR", SEEDS)


@pytest.fixture(scope="module")
def pools() -> corpus.Pools:
    return corpus.make_pools(corpus.load_papers(SEEDS))


def test_synthesize_is_deterministic_and_titles_are_unique(pools):
    first = corpus.synthesize(600, pools)
    assert first == corpus.synthesize(600, pools)
    assert len(first) == 600
    assert len({normalise_title(title) for title, _ in first}) == 600
    assert corpus.synthesize(601, pools)[:5] != first[:5]  # each size has its own seed


def test_synthetic_text_is_recombined_from_real_sentences(pools):
    sentences = set(pools.sentences)
    for _, abstract in corpus.synthesize(50, pools):
        assert any(s in abstract for s in sentences)
        assert 4 <= sum(1 for s in sentences if s in abstract)


def test_written_corpus_parses_back_to_the_same_papers(tmp_path, pools):
    pairs = corpus.synthesize(corpus.PAPERS_PER_FILE + 30, pools)
    seeds = tmp_path / "seeds"
    corpus.write_seed_files(pairs, seeds)
    assert len(list(seeds.glob("*.txt"))) == 2
    papers = corpus.load_papers(seeds)
    assert [(p.title, p.abstract) for p in papers] == pairs


def test_one_paper_edit_toggles_only_that_abstract(tmp_path, pools):
    seeds = tmp_path / "seeds"
    corpus.write_seed_files(corpus.synthesize(40, pools), seeds)
    before = {f.name: f.read_bytes() for f in seeds.iterdir()}
    papers = corpus.load_papers(seeds)
    target = corpus.edit_target(papers)
    bench_corpus = corpus.Corpus("40", seeds)

    assert corpus.toggle_seed_edit(bench_corpus, target) is True
    edited = {p.id: p.abstract for p in corpus.load_papers(seeds)}
    assert edited[target.id] == target.abstract + corpus.EDIT_MARK
    assert all(edited[p.id] == p.abstract for p in papers if p.id != target.id)

    assert corpus.toggle_seed_edit(bench_corpus, target) is False
    assert {f.name: f.read_bytes() for f in seeds.iterdir()} == before


def test_seed_corpus_edit_works_on_the_corpus_layouts(tmp_path):
    bench_corpus = corpus.prepare("seed", tmp_path)
    papers = corpus.load_papers(bench_corpus.seeds)
    assert len(papers) == len(corpus.load_papers(corpus.SEED_DIR))
    target = corpus.edit_target(papers)
    corpus.toggle_seed_edit(bench_corpus, target)
    edited = {p.id: p.abstract for p in corpus.load_papers(bench_corpus.seeds)}
    assert edited[target.id].endswith(corpus.EDIT_MARK.strip())
