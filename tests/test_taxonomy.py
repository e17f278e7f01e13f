"""The taxonomy of the fixture corpus (tests/data/corpus: content/topics, content/tags.yml, seeds).

tests/data/labels.yml holds primary topics and the tags that apply, assigned
by reading each paper's title and abstract before the rules were tuned; the
rules must agree with at least 90% of the topics of the papers they were first
tuned against, 82% of those of every sample tuned against and 80% of all,
with 85% of the tags they assign, leave at most 3% of papers without a topic,
and keep every topic between 5 papers and 20% of the corpus.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from helpers import CONTENT, SEEDS

from litreview.analyse import classify as classify_module
from litreview.analyse.classify import Classifier, classify, group
from litreview.analyse.stemming import FullAnalyser
from litreview.errors import ErrorCollector
from litreview.read.catalogue import load_catalogue
from litreview.read.content import load_tags, load_topics

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "labels.yml"
sys.path.insert(0, str(ROOT / "bench"))

import precision as precision_bench  # noqa: E402  (bench/precision.py: the samples' names)


@pytest.fixture(scope="module")
def corpus():
    errors = ErrorCollector()
    papers = load_catalogue(SEEDS, errors)
    topics = load_topics(CONTENT / "topics", errors)
    tags = load_tags(CONTENT / "tags.yml", errors)
    errors.raise_if_any()
    started = time.process_time()  # CPU time: the machine may be shared
    classify(papers, topics, tags)
    elapsed = time.process_time() - started
    group(papers, topics, tags)
    return papers, topics, tags, elapsed


@pytest.fixture(scope="module")
def labels():
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


def test_taxonomy_has_between_16_and_22_topics(corpus):
    _, topics, _, _ = corpus
    assert 16 <= len(topics) <= 22


def test_labelled_sample_is_large_and_refers_to_real_papers_topics_and_tags(corpus, labels):
    papers, topics, tags, _ = corpus
    ids = {p.id for p in papers}
    slugs = {t.slug for t in topics}
    tag_slugs = {t.slug for t in tags}
    assert len(labels) >= 150
    assert len({item["id"] for item in labels}) == len(labels)
    assert not [item["id"] for item in labels if item["id"] not in ids]
    assert not [item["topic"] for item in labels if item["topic"] not in slugs]
    assert len({item["topic"] for item in labels}) == len(topics)  # every topic is represented
    assert all(set(item) <= {"id", "title", "topic", "tags", "sample", "note"} for item in labels)
    assert {item["sample"] for item in labels} == set(precision_bench.SAMPLES)
    assert all(isinstance(item["tags"], list) for item in labels)  # every paper says which tags apply
    assert not [(item["id"], t) for item in labels for t in item["tags"] if t not in tag_slugs]
    assert not [item["id"] for item in labels if len(set(item["tags"])) != len(item["tags"])]


def test_rules_agree_with_hand_labels(corpus, labels):
    """At least 90% on the papers the rules were first tuned against, 81% on every sample but the
    held-out one (heldout4-p17 counts there since heldout5-p17 was drawn, before any tuning on
    it), 80% on all 450+ (bench/precision.py reports each sample: heldout5-p17, never tuned
    against, is the honest estimate)."""
    papers, _, _, _ = corpus
    by_id = {p.id: p for p in papers}
    misses = [(item, by_id[item["id"]]) for item in labels if by_id[item["id"]].primary_topic != item["topic"]]
    precision = 1 - len(misses) / len(labels)
    first = [item for item in labels if item["sample"] == "first"]
    first_precision = 1 - sum(1 for item, _ in misses if item["sample"] == "first") / len(first)
    print(f"\nprimary-topic precision on {len(labels)} hand-labelled papers: {precision:.1%}")
    for item, paper in misses:
        got = ", ".join(f"{a.slug} {a.score:g}" for a in paper.topics[:3]) or "no topic"
        print(f"  miss: {paper.title[:70]!r}: labelled {item['topic']}, rules gave {got}")
    tuned = [item for item in labels if item["sample"] != precision_bench.HELD_OUT]
    tuned_precision = 1 - sum(1 for item, _ in misses if item["sample"] != precision_bench.HELD_OUT) / len(tuned)
    assert first_precision >= 0.90
    assert tuned_precision >= 0.81
    assert precision >= 0.80


def test_rules_tags_agree_with_hand_labels(corpus, labels):
    """The share of assigned tags the labels agree with (tag precision) is at least 85%."""
    papers, _, _, _ = corpus
    by_id = {p.id: p for p in papers}
    assigned = [(slug, item) for item in labels for slug in (a.slug for a in by_id[item["id"]].tags)]
    right = sum(1 for slug, item in assigned if slug in item["tags"])
    print(f"\ntag precision on {len(labels)} hand-labelled papers: {right / len(assigned):.1%}")
    assert right / len(assigned) >= 0.85


def test_at_most_3_percent_of_papers_are_uncategorised(corpus):
    papers, _, _, _ = corpus
    loose = [p for p in papers if not p.topics]
    print(f"\nuncategorised: {len(loose)} of {len(papers)}")
    assert len(loose) <= 0.03 * len(papers)


def test_no_topic_holds_more_than_20_percent_and_each_at_least_5(corpus):
    papers, topics, _, _ = corpus
    counts = Counter(p.primary_topic for p in papers if p.primary_topic)
    for t in topics:
        assert 5 <= counts[t.slug] <= 0.20 * len(papers), (t.slug, counts[t.slug])
        assert len(t.papers) == counts[t.slug]


def test_every_tag_holds_at_least_3_papers(corpus):
    _, _, tags, _ = corpus
    assert len(tags) >= 30
    assert {t.group for t in tags} == {"method", "hardware", "model", "task"}
    assert not [(t.slug, len(t.papers)) for t in tags if len(t.papers) < 3]


def test_every_assignment_says_why(corpus):
    papers, _, _, _ = corpus
    for p in papers:
        for a in (*p.topics, *p.tags):
            assert a.reasons and a.origin == "rules" and a.score > 0
            assert all(r.endswith(")") and " in title" in r or " in abstract" in r for r in a.reasons)


def test_diagnose_on_the_fixture_corpus_reports_no_topic_size_problems(corpus):
    papers, topics, tags, _ = corpus
    from litreview.model import Site, SiteConfig

    warnings = classify_module.diagnose(Site(SiteConfig(), papers, topics, tags, []))
    assert not [w for w in warnings if "is the primary topic of" in w]


def test_stemming_shortcut_changes_no_assignment(corpus):
    papers, topics, tags, _ = corpus
    reference = Classifier(topics, tags)
    assert reference.matcher.analyser.prefixes  # the build's matcher takes the shortcut...
    reference.matcher.analyser = FullAnalyser()  # ...this one stems every word
    for p in papers:
        before = (p.topics, p.tags)
        reference.classify(p)
        assert (p.topics, p.tags) == before, p.id


def test_topic_intros_are_written_prose(corpus):
    _, topics, _, _ = corpus
    for t in topics:
        paragraphs = [block for block in t.intro.split("\n\n") if block.strip()]
        assert 2 <= len(paragraphs) <= 4, t.slug
        assert "TODO" not in t.intro and len(t.intro.split()) >= 100, t.slug
        assert t.description and t.title


# ---- the misplacements issue 17 named, each fixed by a matching rule (exact terms, phrases, excludes)


def _paper(papers, paper_id):
    return next(p for p in papers if p.id == paper_id)


def test_gspmd_general_is_not_generalization(corpus):
    """ "General" stemmed like "generalization"; learning theory's term is now exact."""
    papers, _, _, _ = corpus
    gspmd = _paper(papers, "gspmd-general-and-scalable-parallelization-for-ml-computation-graphs")
    assert gspmd.primary_topic == "distributed-training"
    assert "learning-theory" not in gspmd.topic_slugs


def test_llm_adaptation_for_networking_is_not_serving(corpus):
    """ "LLM can serve as the foundation model" stemmed like "serving"; serving is now exact."""
    papers, _, _, _ = corpus
    netllm = _paper(papers, "large-language-model-adaptation-for-networking")
    assert "llm-serving" not in netllm.topic_slugs
    assert netllm.primary_topic == "language-agents"


def test_dataset_quantization_is_dataset_compression_not_quantization(corpus):
    papers, _, _, _ = corpus
    dq = _paper(papers, "dataset-quantization")
    assert dq.primary_topic == "pruning-sparsity"
    assert "quantization" not in dq.topic_slugs


def test_fault_tolerant_circuit_design_is_not_distributed_training(corpus):
    papers, _, _, _ = corpus
    circuit = _paper(papers, "resource-savings-from-fault-tolerant-circuit-design")
    assert "distributed-training" not in circuit.topic_slugs
    assert not [a for a in circuit.tags if a.slug == "checkpointing"]


def test_gradient_compression_tag_needs_communication_not_any_compress(corpus):
    """Pruning's largest group was this tag, because it fired on any "compress"."""
    papers, _, tags, _ = corpus
    tagged = next(t for t in tags if t.slug == "gradient-compression").papers
    assert not [p.id for p in tagged if p.primary_topic == "pruning-sparsity"]
    for paper_id in (
        "slicegpt-compress-large-language-models-by-deleting-rows-and-columns",
        "lossless-compression-with-probabilistic-circuits",
        "bottlefit-learning-compressed-representations-in-deep-neural-networks-for",
    ):
        assert "gradient-compression" not in {a.slug for a in _paper(papers, paper_id).tags}, paper_id
    assert any(p.id.startswith("fedzip-a-compression-framework") for p in tagged)  # communication compression


# ---- misplacements found by the precision pass (bench/precision.py), each fixed by a general rule change


def _tag_slugs(paper):
    return {a.slug for a in paper.tags}


def test_distributed_llm_inference_is_serving_not_training(corpus):
    """ "Distributed LLM Inference" in a title missed the 'distributed inference' phrase."""
    papers, _, _, _ = corpus
    tokenweave = _paper(papers, "tokenweave-efficient-compute-communication-overlap-for-distributed-llm-inference")
    assert tokenweave.primary_topic == "llm-serving"


def test_an_rl_policy_is_not_energy_policy(corpus):
    """Energy's bare 'policy' (meant for AI policy) caught policy-gradient RL; it now needs policymakers, regulation..."""
    papers, _, _, _ = corpus
    rl = _paper(papers, "deep-policy-gradient-methods-without-batch-updates-target-networks-or-replay")
    assert "energy-sustainability" not in rl.topic_slugs
    assert rl.primary_topic == "language-agents"


def test_speculative_alone_is_not_speculative_decoding(corpus):
    """Speculative encryption and speculative token shuffling are not speculative decoding; the method still tags."""
    papers, _, _, _ = corpus
    for paper_id in (
        "pipellm-fast-and-confidential-large-language-model-services-with-speculative",
        "speculative-moe-communication-efficient-parallel-moe-inference-with-speculative",
    ):
        assert "speculative-decoding" not in _tag_slugs(_paper(papers, paper_id)), paper_id
    for paper_id in (
        "pipeinfer-accelerating-llm-inference-using-asynchronous-pipelined-speculation",
        "hardware-aware-parallel-prompt-decoding-for-memory-efficient-acceleration-of",
    ):
        assert "speculative-decoding" in _tag_slugs(_paper(papers, paper_id)), paper_id


def test_exact_terms_where_stems_over_match(corpus):
    """'best-performing model' is not a performance model, 'aligned' is not alignment, and
    'sentence boundary detectors' are not object detectors."""
    papers, _, _, _ = corpus
    mmr = _paper(papers, "mmr-v-what-s-left-unsaid-a-benchmark-for-multimodal-deep-reasoning-in-videos")
    reasons = [r for a in mmr.topics for r in a.reasons]
    assert not [r for r in reasons if "performance model" in r or "alignment" in r]
    legal = _paper(papers, "precise-legal-sentence-boundary-detection-for-retrieval-at-scale-nupunkt-and")
    assert "object-detection" not in _tag_slugs(legal)
    agents = _paper(papers, "agentcgroup-understanding-and-controlling-os-resources-of-ai-agents")
    assert not [r for a in agents.topics for r in a.reasons if "alignment" in r]


# ---- the fifth round (heldout3-p17's misses, after heldout4-p17 was labelled)


def test_feedback_alignment_is_a_learning_rule_not_llm_alignment(corpus):
    papers, _, _, _ = corpus
    dfa = _paper(papers, "direct-feedback-alignment-scales-to-modern-deep-learning-tasks-and-architectures")
    assert dfa.primary_topic == "learning-theory"
    assert "language-agents" not in dfa.topic_slugs


def test_simulated_is_not_a_simulator(corpus):
    """ "Simulated Humanoid Control" stemmed like "simulator"; a simulator paper still is one."""
    papers, _, _, _ = corpus
    mocap = _paper(papers, "mocapact-a-multi-task-dataset-for-simulated-humanoid-control")
    assert "performance-characterisation" not in mocap.topic_slugs
    vtrain = _paper(papers, "vtrain-a-simulation-framework-for-evaluating-cost-effective-and-compute-optimal")
    assert "performance-characterisation" in vtrain.topic_slugs


def test_a_vision_transformer_is_tagged_vit_not_transformer(corpus):
    papers, _, _, _ = corpus
    for paper_id in (
        "vit-comer-vision-transformer-with-convolutional-multi-scale-feature-interaction",
        "lookupvit-compressing-visual-information-to-a-limited-number-of-tokens",
    ):
        tags = _tag_slugs(_paper(papers, paper_id))
        assert "vit" in tags and "transformer" not in tags, paper_id


def test_a_word_in_a_title_alone_does_not_tag_a_method(corpus):
    """ "Micro-Batch Training" (a normalisation method) is not pipeline parallelism, "AutoNumerics-Zero"
    is not ZeRO, a "mathematical proof" of convergence is not mathematical reasoning; ZeRO's own paper keeps it."""
    papers, _, _, _ = corpus
    micro = _paper(papers, "micro-batch-training-with-batch-channel-normalization-and-weight-standardization")
    assert "pipeline-parallelism" not in _tag_slugs(micro)
    numerics = _paper(papers, "autonumerics-zero-automated-discovery-of-state-of-the-art-mathematical-functions")
    assert "zero-sharding" not in _tag_slugs(numerics)
    co2 = _paper(papers, "co2-efficient-distributed-training-with-full-communication-computation-overlap")
    assert "math-reasoning" not in _tag_slugs(co2)
    zero = _paper(papers, "zero-memory-optimizations-toward-training-trillion-parameter-models")
    assert "zero-sharding" in _tag_slugs(zero)
