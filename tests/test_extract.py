"""TL;DRs and quantitative claims pulled out of real abstracts (the fixture corpus, tests/data/corpus/seeds)."""

from __future__ import annotations

import pytest
from helpers import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.analyse.claims import default_kinds, extract_claims
from litreview.analyse.extract import enrich
from litreview.analyse.sentences import split_sentences
from litreview.analyse.tldr import make_tldr, shorten
from litreview.model import Paper
from litreview.utils.urls import find_urls

# Sentences copied verbatim from seeds/ (paper id in the comment).
SPMM = (  # an-efficient-sparse-inference-software-accelerator-for-transformer-based
    "Moreover, our SpMM kernel shows up to 5x speedup over dense GEMM kernel of oneDNN, "
    "a well-optimized dense library widely used in industry."
)
COMPUTE = (  # scaling-llm-inference-with-optimized-sample-compute-allocation
    "Our experiments show that with our learned mixed allocation, we can achieve accuracy better than the best "
    "single configuration with 128x less compute on code generation and 25x less compute on 4 reasoning tasks."
)
D2MOE = (  # d-2-moe-dual-routing-and-dynamic-scheduling-for-efficient-on-device-moe-based
    "Evaluations on real edge devices show that D^2MoE improves the overall inference throughput by up to "
    "1.39times and reduces the peak memory footprint by up to 53% over the latest on-device inference frameworks, "
    "while still preserving comparable serving accuracy as its INT8 counterparts."
)
NEXUS = (  # nexus-proactive-intra-gpu-disaggregation-of-prefill-and-decode-in-llm-serving
    "Evaluated on diverse LLMs and workloads, our system Nexus achieves up to 2.2x higher throughput, 20x lower "
    "TTFT, and 2.5x lower TBT than vLLM; outperforms SGLang by up to 2x; and matches or exceeds disaggregated vLLM."
)
SINGLE_PATH = (  # single-path-nas-designing-hardware-efficient-convnets-in-less-than-4-hours
    "2. Hardware-efficient ImageNet classification: Single-Path NAS achieves 74.96% top-1 accuracy on ImageNet "
    "with 79ms latency on a Pixel 1 phone, which is state-of-the-art accuracy compared to NAS methods with similar "
    "constraints (<80ms)."
)
QZO = (  # fine-tuning-quantized-neural-networks-with-zeroth-order-optimization
    "Compared to full-parameter fine-tuning in bfloat16, QZO can reduce the total memory cost by more than 18times "
    "for 4-bit LLMs, and enables fine-tuning Llama-2-13B and Stable Diffusion 3.5 Large within a single 24GB GPU."
)
ZERO_INFINITY = (  # zero-infinity-breaking-the-gpu-memory-wall-for-extreme-scale-deep-learning (shortened)
    "In the last three years, the largest dense deep learning models have grown over 1000x to reach hundreds of "
    "billions of parameters, while the GPU memory has only grown by 5x (16 GB to 80 GB). "
    "Therefore, the growth in model scale has been supported primarily though system innovations. "
    "In this paper we present ZeRO-Infinity, a novel heterogeneous system technology that leverages GPU, CPU, "
    "and NVMe memory to allow for unprecedented model scale on limited resources without requiring model code "
    "refactoring. At the same time it achieves excellent training throughput and scalability, unencumbered by the "
    "limited CPU or NVMe bandwidth."
)


def only(claims):
    assert len(claims) == 1, claims
    return claims[0]


def test_speedup_over_a_named_baseline():
    claim = only(extract_claims(SPMM))
    assert (claim.value, claim.unit, claim.kind) == (5.0, "x", "speedup")
    assert claim.baseline == "over dense GEMM kernel of oneDNN"
    assert claim.text == "up to 5x speedup over dense GEMM kernel of oneDNN"
    assert claim.sentence == SPMM


def test_statistical_power_is_not_an_energy_claim():
    text = "The score improves prediction of disease risk and increases statistical power by 25%."
    claim = only(extract_claims(text))
    assert (claim.value, claim.unit, claim.kind) == (25.0, "%", "other")


def test_unitless_metrics_of_any_field_are_claims_of_their_own_kind():
    text = (
        "Our model reaches AUROC 0.93, Spearman 0.51 with measured stability, a median TM-score of 0.82 "
        "and an ARI of 0.64 (p < 0.01, n = 1,200), and an F1 of 91.2; the odds ratio was 2.3."
    )
    found = [(c.kind, c.value, c.text) for c in extract_claims(text)]
    assert found == [
        ("auc", 0.93, "AUROC 0.93"),
        ("correlation", 0.51, "Spearman 0.51"),
        ("score", 0.82, "TM-score of 0.82"),
        ("score", 0.64, "ARI of 0.64"),
        ("p-value", 0.01, "p < 0.01"),
        ("sample size", 1200.0, "n = 1,200"),
        ("f1", 91.2, "F1 of 91.2"),
        ("effect size", 2.3, "odds ratio was 2.3"),
    ]


def test_a_metric_with_a_unit_or_out_of_range_is_not_a_unitless_claim():
    kinds = [(c.kind, c.unit) for c in extract_claims("We raise the F1 score by 4% and reach an AUC of 3.")]
    assert kinds == [("accuracy", "%")]


def test_less_compute_is_a_compute_claim():
    claims = extract_claims(COMPUTE)
    assert [(c.value, c.unit, c.kind, c.text) for c in claims] == [
        (128.0, "x", "compute", "128x less compute"),
        (25.0, "x", "compute", "25x less compute"),
    ]


def test_reduces_memory_by_percent():
    claims = extract_claims(D2MOE)
    throughput, memory = claims
    assert (throughput.value, throughput.unit, throughput.kind) == (1.39, "x", "throughput")
    assert throughput.text == "improves the overall inference throughput by up to 1.39times"
    assert (memory.value, memory.unit, memory.kind) == (53.0, "%", "memory")
    assert memory.baseline == "over the latest on-device inference frameworks"


def test_reduces_memory_by_forty_percent_and_within_one_percent_accuracy():
    memory, accuracy = extract_claims("Our method reduces memory by 40% while staying within 1% accuracy.")
    assert (memory.text, memory.value, memory.unit, memory.kind) == ("reduces memory by 40%", 40.0, "%", "memory")
    assert (accuracy.text, accuracy.value, accuracy.kind) == ("within 1% accuracy", 1.0, "accuracy")


def test_a_list_of_claims_shares_its_baseline():
    claims = extract_claims(NEXUS)
    assert [(c.value, c.kind, c.baseline) for c in claims] == [
        (2.2, "throughput", "than vLLM"),
        (20.0, "latency", "than vLLM"),
        (2.5, "latency", "than vLLM"),
        (2.0, "speedup", "vs. SGLang"),
    ]


def test_absolute_accuracy_and_latency_but_not_the_constraint():
    claims = extract_claims(SINGLE_PATH)
    assert [(c.value, c.unit, c.kind) for c in claims] == [(74.96, "%", "accuracy"), (79.0, "ms", "latency")]


def test_leading_compared_to_is_the_baseline_and_hardware_is_not_a_claim():
    claim = only(extract_claims(QZO))
    assert (claim.value, claim.unit, claim.kind) == (18.0, "x", "memory")
    assert claim.baseline == "compared to full-parameter fine-tuning in bfloat16"


def test_motivation_before_the_contribution_is_not_a_claim():
    assert extract_claims(ZERO_INFINITY) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "We formalize this condition using anti-concentration [Erdos, 1945].",
        "The BraTS challenge consists of a 3D segmentation of a 240x240x155x4 input image into a set of tumor classes.",
        "We evaluate end-to-end serving throughput on several popular models such as LLaMA-2-70B, Mixtral 8x7B, LLaMA-3-8B.",
        "We quantize Llama-2 7B and 13B to 4-bit and 8-bit weights, as described in Section 4.2 and Table 3 [12].",
        "We use 3x3 convolutions at 50% sparsity on 8x A100 GPUs with 80GB of HBM.",
        "Using evaluations spanning 2012-2023, we find that compute halves every 8 months, with a 95% confidence interval.",
        "Our MI250X and H100 runs used 2 nodes in 2024.",
    ],
)
def test_years_model_sizes_bit_widths_dimensions_and_citations_are_not_claims(sentence):
    assert extract_claims(sentence) == []


def test_ranges_keep_their_upper_end():
    claims = extract_claims("We demonstrate speedups ranging from 2x to 13x and reduce latency by 1.18times-1.22times.")
    assert [(c.value, c.unit) for c in claims] == [(13.0, "x"), (1.22, "x")]


def test_every_kind_is_known():
    text = " ".join([SPMM, COMPUTE, D2MOE, NEXUS, SINGLE_PATH, QZO])
    assert {c.kind for c in extract_claims(text)} <= set(default_kinds().names)


def test_tldr_prefers_the_contribution_over_the_motivation():
    assert make_tldr(ZERO_INFINITY) == (
        "We present ZeRO-Infinity, a novel heterogeneous system technology that leverages GPU, CPU, and NVMe memory "
        "to allow for unprecedented model scale on limited resources without requiring model code refactoring."
    )


def test_tldr_accepts_a_named_system_from_the_title():
    abstract = (
        "Attention is slow on long sequences. FlashKAT is a kernel that restructures gradient accumulation. It is fast."
    )
    assert make_tldr(abstract, title="FlashKAT: Understanding Bottlenecks") == (
        "FlashKAT is a kernel that restructures gradient accumulation."
    )


def test_tldr_falls_back_to_the_first_sentence():
    assert make_tldr("Sparse models are popular. They are hard to serve.") == "Sparse models are popular."


def test_a_long_tldr_ends_at_a_clause_or_is_shown_whole():
    head = "We introduce DistAttention, a distributed attention algorithm that segments the KV cache into units"
    long = head + ", enabling distributed processing and storage of the cache across " + "many " * 30 + "GPUs."
    assert make_tldr(long) == head + "."
    # No clause to end at: never cut mid-way, shown whole.
    whole = "We propose " + " ".join(f"word{i}" for i in range(80)) + "."
    assert make_tldr(whole) == whole
    # A list is not a clause: "such as memory usage, batching behavior" is not cut after its first item.
    listed = (
        "We propose APEX, a simulator that identifies parallel execution plans by considering key factors of serving"
        " systems, such as memory usage, batching behavior, and scheduling policies across many different settings"
        " and hardware."
    )
    assert make_tldr(listed) == listed.split(", such as")[0] + "."


@pytest.mark.parametrize(
    ("abstract", "tldr"),
    [
        (
            "Serving is slow. We propose BatchLLM to address the above problems.",
            "We propose BatchLLM.",
        ),
        (
            "Training fails often. In response to this gap, we introduce an in-memory fault-tolerance framework for"
            " pretraining.",
            "We introduce an in-memory fault-tolerance framework for pretraining.",
        ),
        (
            "Trees are costly. We address this challenge by proposing Efficient Tree Search (ETS), which promotes KV"
            " sharing.",
            "We propose Efficient Tree Search (ETS), which promotes KV sharing.",
        ),
        (
            "Devices are small. This paper tackles this challenge by introducing a reduced precision technique for"
            " MCUs.",
            "This paper introduces a reduced precision technique for MCUs.",
        ),
        (  # a leading clause that points back ("these advantages") or answers ("As a remedy") goes
            "Small models deploy well. To provide all of these advantages, we propose a small DNN architecture"
            " called SqueezeNet.",
            "We propose a small DNN architecture called SqueezeNet.",
        ),
        (
            "Speculation wastes work. As a remedy, we propose PipeInfer, a pipelined speculative technique.",
            "We propose PipeInfer, a pipelined speculative technique.",
        ),
        (
            "Hopper is new. In this research, we propose an extensive benchmarking study focused on the Hopper GPU.",
            "We propose an extensive benchmarking study focused on the Hopper GPU.",
        ),
        (  # a lead that leans but names what the rest calls "it" stays
            "The model is general. To demonstrate this model's capability, we apply it to the CMS experiment.",
            "To demonstrate this model's capability, we apply it to the CMS experiment.",
        ),
        (  # an informative lead without a back-reference stays
            "GPUs vary. To enable flexibility on different GPU variants, we propose a portable kernel.",
            "To enable flexibility on different GPU variants, we propose a portable kernel.",
        ),
        (  # still leaning on an earlier sentence: the next sentence that states a contribution
            "I/O bounds are known. We show even with fast multiplication, the above I/O complexity bounds cannot be"
            " improved. We present a kernel that meets the bound on real GPUs.",
            "We present a kernel that meets the bound on real GPUs.",
        ),
    ],
)
def test_a_tldr_does_not_lean_on_earlier_sentences(abstract: str, tldr: str):
    assert make_tldr(abstract) == tldr


def test_leftover_latex_macros_become_text():
    abstract = "Models are big. We propose \\tool, a general approach for R\\&D compilers. \\tool is fast."
    assert make_tldr(abstract, title="DyCL: Compiling Dynamic Networks") == (
        "We propose DyCL, a general approach for R&D compilers."
    )
    assert (
        make_tldr(abstract, title="Compiling dynamic networks")
        == "We propose Tool, a general approach for R&D compilers."
    )


def test_sentences_do_not_split_on_abbreviations_or_decimals():
    text = "We use e.g. FlashAttention (Dao et al. 2022) at 1.5x speed. It works at 25-40\\% of FLOPs/s. We observe X."
    assert split_sentences(text) == [
        "We use e.g. FlashAttention (Dao et al. 2022) at 1.5x speed.",
        "It works at 25-40\\% of FLOPs/s.",
        "We observe X.",
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(list("0123456789.,x%- ()[]abcWe\n") + ["times", " over ", " by ", "up to "])).map("".join)
)
def test_extraction_never_fails_and_claims_quote_the_sentence(text):
    for claim in extract_claims(text):
        assert claim.kind in default_kinds().names
        assert claim.text and claim.sentence
        assert claim.text.rstrip("…") in claim.sentence


def test_shorten_leaves_short_text_alone():
    assert shorten("short", 10) == "short"


def test_find_urls_still_cleans_trailing_punctuation():
    assert find_urls("Code: https://github.com/a/b). See (https://x.org/y).") == [
        "https://github.com/a/b",
        "https://x.org/y",
    ]


def test_enrich_is_deterministic_on_the_corpus_seeds():
    from litreview.errors import ErrorCollector
    from litreview.read.catalogue import load_catalogue

    papers = load_catalogue(SEEDS, ErrorCollector())
    copies = [Paper(id=p.id, title=p.title, abstract=p.abstract, sources=[]) for p in papers]
    enrich(papers)  # speed: bench/, never a timed assert
    enrich(copies)
    assert [(p.tldr, p.claims) for p in papers] == [(p.tldr, p.claims) for p in copies]
    assert all(p.tldr for p in papers if p.abstract.strip())
    assert sum(len(p.claims) for p in papers) > 200


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (  # a-multi-task-supervised-compression-model-for-split-computing
            "Furthermore, our models reduced end-to-end latency (by up to 95.4%) and energy consumption of mobile "
            "devices (by up to 88.2%) in multi-task split computing scenarios.",
            [(95.4, "%", "latency"), (88.2, "%", "energy")],
        ),
        (  # ssr-speculative-parallel-scaling-reasoning-in-test-time
            "On MATH-500, SSR reduces compute to only 30% with no loss in accuracy.",
            [(30.0, "%", "compute")],
        ),
        (  # clover-regressive-lightweight-speculative-decoding-with-sequential-knowledge (shortened)
            "The experiment results demonstrate that Clover outperforms the baseline by up to 91% on Baichuan-Small "
            "and 146% on Baichuan-Large, respectively.",
            [(91.0, "%", "other"), (146.0, "%", "other")],
        ),
        (  # parallel-cpu-gpu-execution-for-llm-inference-on-constrained-gpus
            "Against the best existing hybrid schedulers, it delivers up to 49% (T4) and 37% (A10) higher "
            "throughput in long-output settings.",
            [(49.0, "%", "throughput"), (37.0, "%", "throughput")],
        ),
    ],
)
def test_claims_in_asides_lists_and_reduce_to(sentence, expected):
    assert [(c.value, c.unit, c.kind) for c in extract_claims(sentence)] == expected


def test_tldr_skips_where_to_get_the_code():
    abstract = (
        "Our system, named CodeMonkeys, allows models to iteratively edit a codebase by generating tests. "
        "We fully release our code and data at https://example.org/codemonkeys."
    )
    assert make_tldr(abstract).startswith("Our system, named CodeMonkeys")


def test_a_range_keeps_both_ends():
    claims = extract_claims("Our system improves the throughput by 2-4x. It runs 15x to 31x faster than the baseline.")
    assert [(c.low, c.value) for c in claims] == [(2.0, 4.0), (15.0, 31.0)]


@pytest.mark.parametrize(
    "abstract",
    [
        # An observation of the problem, before the contribution, even with "we".
        "In our case study of offloaded inference, we found that the latency of transferring weights becomes the"
        " critical bottleneck with actual compute taking nearly 0% of runtime. We propose Endor, a sparse format.",
        # A constraint the result is kept within is a setting, not a result.
        "We propose DistServe. It serves more requests while staying within latency constraints for > 90% of requests.",
    ],
)
def test_motivation_and_constraints_are_not_results(abstract: str):
    assert extract_claims(abstract) == []


@pytest.mark.parametrize(
    ("sentence", "baselines"),
    [
        (  # one comparison for the sentence
            "Our method improves the throughput by up to 1.39x and reduces the peak memory by up to 53% over the"
            " latest frameworks.",
            ["over the latest frameworks", "over the latest frameworks"],
        ),
        (
            "We also compare BottleFit with autoencoder approaches, and show that BottleFit reduces power by up to"
            " 54% and latency by 44%.",
            ["compared with autoencoder approaches", "compared with autoencoder approaches"],
        ),
        (
            "It is more efficient than existing implementations (with up to a 1.42x speedup).",
            ["than existing implementations"],
        ),
        ("We reduce the total compute to 64% of that of the dense model.", ["of the dense model"]),
        (
            "PIM-GPT achieves 41-137x, 631-1074x speedup over GPU and CPU baseline, respectively.",
            ["over GPU", "over CPU"],
        ),
        ("SqueezeNet is 510x smaller than AlexNet.", ["than AlexNet"]),
    ],
)
def test_baselines_the_abstract_names(sentence: str, baselines: list[str]):
    assert [c.baseline for c in extract_claims(sentence)] == baselines
