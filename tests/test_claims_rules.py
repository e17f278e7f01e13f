"""The claims extractor's general rules of reading (issue 17, second round).

Each test is a sentence of a real abstract of the shipped corpus (the paper's
id in a comment) and the exact claims that come out of it: value, lower end,
unit, kind and baseline.
"""

from __future__ import annotations

from litreview.analyse.claims import extract_claims


def claims_of(text: str) -> list[tuple]:
    return [(c.value, c.low, c.unit, c.kind, c.baseline) for c in extract_claims(text)]


def test_the_noun_of_a_phrase_names_its_kind_not_the_adjective():
    # efficient-memory-management-for-deep-neural-net-inference: "smaller" is a size word, the
    # footprint it is smaller in is memory.
    assert claims_of("Employing these can result in up to 11% smaller memory footprint than the state of the art.") == [
        (11.0, None, "%", "memory", "than the state of the art")
    ]


def test_a_head_noun_of_no_kind_leaves_the_kind_to_the_word_before_it():
    # efficient-deep-neural-networks: "cost" names no kind of its own; "computational" does.
    assert claims_of(
        "Our automated neural architecture search algorithms discovered, using 421x lower computational cost than"
        " previous search methods, models with state-of-the-art accuracy and efficiency."
    ) == [(421.0, None, "x", "compute", "than previous search methods")]


def test_a_pronoun_object_names_what_the_claim_before_it_did():
    # slicegpt-compress-large-language-models-by-deleting-rows-and-columns
    sentence = (
        "Our sliced models run on fewer GPUs and run faster without any additional code optimization: on 24GB"
        " consumer GPUs we reduce the total compute for inference on LLAMA2-70B to 64% of that of the dense model;"
        " on 40GB A100 GPUs we reduce it to 66%."
    )
    assert claims_of(sentence) == [
        (64.0, None, "%", "compute", "of the dense model"),
        (66.0, None, "%", "compute", "of the dense model"),
    ]


def test_a_comparison_with_no_number_of_its_own_is_the_baseline_of_the_numbers_attached_to_it():
    # squeezenet-alexnet-level-accuracy-with-50x-fewer-parameters-and-0-5mb-model-size
    assert claims_of("SqueezeNet achieves AlexNet-level accuracy on ImageNet with 50x fewer parameters.") == [
        (50.0, None, "x", "size", "vs. AlexNet")
    ]
    # scaling-llm-inference-with-optimized-sample-compute-allocation
    assert claims_of(
        "Our experiments show that with our learned mixed allocation, we can achieve accuracy better than the best"
        " single configuration with 128x less compute on code generation and 25x less compute on 4 reasoning tasks."
    ) == [
        (128.0, None, "x", "compute", "than the best single configuration"),
        (25.0, None, "x", "compute", "than the best single configuration"),
    ]
    # fire-flyer-ai-hpc-a-cost-effective-software-hardware-co-design-for-deep-learning
    assert claims_of(
        "For DL training, we deployed the Fire-Flyer 2 with 10,000 PCIe A100 GPUs, achieved performance"
        " approximating the DGX-A100 while reducing costs by half and energy consumption by 40%."
    ) == [(40.0, None, "%", "energy", "vs. the DGX-A100")]


def test_a_comparison_in_another_clause_or_a_quantity_is_no_reference():
    # reduced-precision-floating-point-optimization-for-deep-neural-network-on-device: "more than two
    # orders of magnitude" is a quantity; the number's baseline is the object after it.
    assert claims_of(
        "Overall, our approach results more than two orders of magnitude faster than existing ODL software"
        " frameworks for single-core MCUs and outperforms by 1.6 times previous FP32 parallel implementations on a"
        " Continual Learning setup."
    ) == [(1.6, None, "x", "speedup", "vs. previous FP32 parallel implementations")]
    # hardware-acceleration-of-neural-graphics: "application-level" names no baseline (not a proper name).
    assert [
        c.baseline
        for c in extract_claims(
            "Our results show that, NGPC gives up to 58X end-to-end application-level performance improvement,"
            " for multi res. hashgrid encoding on average across the four NG applications, the performance"
            " benefits are 12X,20X,33X and 39X for the scaling factor of 8,16,32 and 64, respectively."
        )
    ] == [None] * 5


def test_a_baseline_further_on_belongs_to_a_change_not_to_a_level():
    # leyolo-new-scalable-and-efficient-cnn-architecture-for-object-detection
    assert claims_of(
        "Notably, LeYOLO-Small achieves a competitive mAP score of 38.2% on the COCOval with just 4.5 FLOP(G),"
        " representing a 42% reduction in computational load compared to the latest state-of-the-art YOLOv9-Tiny"
        " model while achieving similar accuracy."
    ) == [
        (38.2, None, "%", "accuracy", None),
        (42.0, None, "%", "compute", "compared to the latest state-of-the-art YOLOv9-Tiny model"),
    ]


def test_a_level_another_system_reaches_is_not_a_claim():
    # bimgent-towards-autonomous-building-modeling-via-computer-use-agents
    assert claims_of(
        "Its operations achieved a 32% success rate, whereas all baseline models failed to complete the tasks"
        " (0% success rate)."
    ) == [(32.0, None, "%", "accuracy", None)]
    # large-language-monkeys-scaling-inference-compute-with-repeated-sampling: 43% is the state of the art's
    sentence = (
        "When we apply repeated sampling to SWE-bench Lite, the fraction of issues solved with"
        " DeepSeek-V2-Coder-Instruct increases from 15.9% with one sample to 56% with 250 samples, outperforming"
        " the single-attempt state-of-the-art of 43% which uses more capable frontier models."
    )
    assert 43.0 not in [c.value for c in extract_claims(sentence)]


def test_a_relative_clause_on_what_is_compared_makes_it_the_baseline():
    # dnn-is-not-all-you-need-parallelizing-non-neural-ml-algorithms-on-ultra-low: the Cortex-M4 is
    # slower than the paper's PULP-OPEN, so the claims are against the Cortex-M4.
    claims = extract_claims(
        "Lastly, we present a comparison with the ARM Cortex-M4 microcontroller (MCU), a widely adopted commercial"
        " solution for edge deployments, which is 12.87x slower and 98% less energy-efficient than PULP-OPEN."
    )
    assert [(c.value, c.unit, c.kind, c.baseline, c.text) for c in claims] == [
        (12.87, "x", "speedup", "compared with the ARM Cortex-M4 microcontroller", "12.87x slower"),
        (98.0, "%", "energy", "compared with the ARM Cortex-M4 microcontroller", "98% less energy-efficient"),
    ]


def test_those_points_to_the_relative_clause_that_says_which():
    # s-3-increasing-gpu-utilization-during-generative-inference-for-higher-throughput
    assert claims_of(
        "Our proposed method achieves 6.49times throughput over those systems that assume the worst case for the"
        " output sequence length."
    ) == [(6.49, None, "x", "throughput", "over those systems that assume the worst case")]


def test_respectively_pairs_a_list_of_numbers_with_a_list_of_things():
    # draco-co-optimizing-hardware-utilization-and-performance-of-dnns-on-systolic
    assert claims_of(
        "Compared to the state-of-the-art row stationary dataflow, DRACO achieves 41.8% and 42.6% improvement in"
        " average PE utilization and inference latency (respectively) with negligible loss in predictive"
        " performance in MobileNetV1 on a 64times64 systolic array."
    ) == [
        (41.8, None, "%", "throughput", "compared to the state-of-the-art row stationary dataflow"),
        (42.6, None, "%", "latency", "compared to the state-of-the-art row stationary dataflow"),
    ]


def test_a_footprint_in_machines_is_not_memory():
    # sambanova-sn40l-scaling-the-ai-memory-wall-with-dataflow-and-composition-of (claims.yml data)
    assert claims_of(
        "We show that for CoE inference deployments, the 8-socket RDU Node reduces machine footprint by up to 19x,"
        " speeds up model switching time by 15x to 31x, and achieves an overall speedup of 3.7x over a DGX H100 and"
        " 6.6x over a DGX A100."
    ) == [
        (19.0, None, "x", "other", None),
        (31.0, 15.0, "x", "speedup", None),
        (3.7, None, "x", "speedup", "over a DGX H100"),
        (6.6, None, "x", "speedup", "over a DGX A100"),
    ]


def test_what_the_object_belongs_to_is_the_baseline_when_it_is_existing_work():
    # mcunetv2-memory-efficient-patch-based-inference-for-tiny-deep-learning
    assert claims_of(
        "Patch-based inference effectively reduces the peak memory usage of existing networks by 4-8x."
    ) == [(8.0, 4.0, "x", "memory", "of existing networks")]


def test_a_factor_after_the_sentence_comparison_is_its_result_and_a_range_may_say_more_than():
    # the-fused-kernel-library-a-c-api-to-develop-highly-efficient-gpu-libraries
    assert claims_of(
        "We provide an open-source implementation demonstrating significant speedups compared to traditional"
        " libraries in various benchmarks, validating the effectiveness of this methodology for improving GPU"
        " performance in the range of 2x to more than 1000x, while preserving high-level programmability."
    ) == [(1000.0, 2.0, "x", "speedup", "compared with traditional libraries")]
    # dnn-is-not-all-you-need-parallelizing-non-neural-ml-algorithms-on-ultra-low: not across ", while"
    assert [
        c.value
        for c in extract_claims(
            "Experimental results show that a target-optimized emulation library can lead to an average 1.61x"
            " runtime improvement and 37% energy reduction compared to a standard emulation library, while the"
            " native FPU support reaches up to 32.09x and 99%, respectively."
        )
    ] == [1.61, 37.0]


def test_a_percentile_is_not_a_percentage():
    # blockllm-multi-tenant-finer-grained-serving-for-large-language-models
    claims = extract_claims(
        "Our evaluation demonstrates that BlockLLM reduces memory and storage footprints and improves computation"
        " efficiency, outperforming existing serving approach in 95\\%ile latency and GPU utilization by 33.5\\%"
        " and 20.1\\%, respectively."
    )
    assert [(c.value, c.kind, c.baseline) for c in claims] == [
        (33.5, "latency", "vs. existing serving approach"),  # respectively: the things before the numbers
        (20.1, "throughput", "vs. existing serving approach"),
    ]


def test_what_is_outperformed_ends_before_its_setting_and_by_may_be_left_out():
    # zero-bubble-pipeline-parallelism
    assert claims_of(
        "Experimental evaluations show that our method outperforms the 1F1B schedule up to 23% in throughput under"
        " a similar memory limit."
    ) == [(23.0, None, "%", "throughput", "vs. the 1F1B schedule")]
    # deepgemm-accelerated-ultra-low-precision-inference-on-cpu-architectures-using
    assert [
        c.baseline
        for c in extract_claims(
            "Our 2-bit implementation outperforms corresponding 8-bit integer kernels in the QNNPACK framework by up"
            " to 1.74x on x86 platforms."
        )
    ] == ["vs. corresponding 8-bit integer kernels"]
    # fedzip-a-compression-framework-for-communication-efficient-federated-learning: the rate is no comparison
    claims = extract_claims(
        "FedZip outperforms state-of-the-art compression frameworks and reaches compression rates up to 1085x, and"
        " preserves up to 99% of bandwidth and 99% of energy for clients during communication."
    )
    assert [(c.value, c.baseline) for c in claims if c.unit == "x"] == [(1085.0, None)]


def test_what_is_compared_with_may_open_with_a_parenthesis():
    # collage-light-weight-low-precision-strategy-for-llm-training
    assert claims_of(
        "Experimental results show that pre-training using Collage removes the requirement of using 32-bit"
        " floating-point copies of the model and attains similar/better training performance compared to (16,"
        " 32)-bit mixed-precision strategy, with up to 3.7times speedup and sim 15% to 23% less memory usage in"
        " practice."
    ) == [
        (3.7, None, "x", "speedup", "compared with (16, 32)-bit mixed-precision strategy"),
        (23.0, 15.0, "%", "memory", "compared with (16, 32)-bit mixed-precision strategy"),
    ]


def test_a_pair_of_systems_before_a_pair_of_numbers_respectively():
    # fbnetv3-joint-architecture-recipe-search-using-predictor-pretraining
    assert claims_of(
        "For example, FBNetV3 matches both EfficientNet and ResNeSt accuracy on ImageNet with up to 2.0x and 7.1x"
        " fewer FLOPs, respectively."
    ) == [(2.0, None, "x", "compute", "vs. EfficientNet"), (7.1, None, "x", "compute", "vs. ResNeSt")]


def test_while_another_system_reaches_a_number_of_the_same_unit_it_is_the_baseline():
    # adding-nvme-ssds-to-enable-and-accelerate-100b-model-fine-tuning-on-a-single-gpu
    assert claims_of(
        "The experimental results show that 1) Fuyou is able to fine-tune 175B GPT-3 on a consumer GPU RTX 4090 with"
        " high GPU utilization, while ZeRO-Infinity fails to fine-tune; and 2) when training a small GPT-3 13B"
        " model, Fuyou achieves 156 TFLOPS on an RTX 4090 GPU while ZeRO-Infinity only achieves 45 TFLOPS."
    ) == [(156.0, None, "TFLOPS", "throughput", "vs. ZeRO-Infinity")]


def test_what_a_share_of_the_resources_matches_is_the_baseline():
    # how-to-train-your-llm-web-agent-a-statistical-diagnosis
    assert claims_of(
        "Further, this strategy requires only 55% of the compute to match the peak performance of pure SFT on"
        " MiniWob++, effectively pushing the compute-performance Pareto frontier, and is the only strategy that can"
        " close the gap with closed-source models."
    ) == [(55.0, None, "%", "compute", "vs. pure SFT")]
    # unsupervised-exposure-correction: "their" is what it outperforms
    assert claims_of(
        "In addition, we develop a transformation function that preserves image details and outperforms"
        " state-of-the-art supervised methods [12], while utilizing only 0.01% of their parameters."
    ) == [(0.01, None, "%", "size", "vs. state-of-the-art supervised methods")]
    # lets-keep-it-simple-using-simple-architectures-to-outperform-deeper-and-more
    assert claims_of(
        "Our simple 13-layer architecture outperforms most of the deeper and complex architectures to date such as"
        " VGGNet, ResNet, and GoogleNet on several well-known benchmarks while having 2 to 25 times fewer number of"
        " parameters and operations."
    ) == [(25.0, 2.0, "x", "size", "vs. most of the deeper and complex architectures")]


def test_a_percentage_after_for_is_the_condition_not_the_result():
    # assessing-small-language-models-for-code-generation-an-empirical-study-with
    assert claims_of(
        "We observe that for 10% performance improvements, models can require nearly a 4x increase in VRAM"
        " consumption, highlighting a trade-off between effectiveness and scalability."
    ) == [(4.0, None, "x", "memory", None)]


def test_a_version_ends_a_baseline_and_success_and_precision_are_accuracy():
    # measuring-harmfulness-of-computer-using-agents (claims.yml: succeeds)
    assert claims_of(
        "Newer models show higher misuse rates: Claude 3.7 Sonnet succeeds on 15% more tasks than Claude 3.5."
    ) == [(15.0, None, "%", "accuracy", "than Claude 3.5")]
    # precise-legal-sentence-boundary-detection-for-retrieval-at-scale-nupunkt-and (claims.yml: precision)
    assert claims_of(
        "Notably, NUPunkt provides a 29-32% precision improvement over general-purpose tools while maintaining"
        " exceptional throughput, processing multi-million document collections in minutes rather than hours."
    ) == [(32.0, 29.0, "%", "accuracy", "over general-purpose tools")]


def test_scores_of_a_list_are_accuracy_results():
    # multiverse-your-language-models-secretly-decide-how-to-parallelize-and-merge (claims.yml: scores)
    assert claims_of(
        "After a 3-hour fine-tuning with 1K examples, our Multiverse-32B stands as the only open-sourced non-AR model"
        " achieving performance on par with leading AR-LLMs of the same scale, evidenced by AIME24 & 25 scores of"
        " 54% and 46%, respectively."
    ) == [(54.0, None, "%", "accuracy", None), (46.0, None, "%", "accuracy", None)]


def test_a_number_in_parentheses_is_read_with_the_noun_after_them_and_a_setting_word_can_modify_it():
    # marlin-mixed-precision-auto-regressive-parallel-inference-on-large-language: "quantization" is a
    # setting word ("4-bit quantization") but here it modifies "speedup".
    assert claims_of(
        "Concretely, given a model whose weights are compressed via quantization to, e.g., 4 bits per element,"
        " MARLIN shows that batchsizes up to 16-32 can be supported with close to maximum (4times) quantization"
        " speedup, and larger batchsizes up to 64-128 with gradually decreasing, but still significant,"
        " acceleration."
    ) == [(4.0, None, "x", "speedup", None)]
    # distserve-disaggregating-prefill-and-decode-for-goodput-optimized-large: still a setting
    assert [
        c.value
        for c in extract_claims(
            "Our evaluations show that on various popular LLMs, applications, and latency requirements, DistServe can"
            " serve 4.48x more requests or 10.2x tighter SLO, compared to state-of-the-art systems, while staying"
            " within latency constraints for > 90% of requests."
        )
    ] == [4.48, 10.2]


def test_a_noun_that_names_no_kind_of_its_own_leaves_it_to_its_head():
    # bottlefit-learning-compressed-representations-in-deep-neural-networks-for ("data" is "other")
    claims = extract_claims(
        "We apply BottleFit on cutting-edge DNN models in image classification, and show that BottleFit achieves"
        " 77.1% data compression with up to 0.6% accuracy loss on ImageNet dataset, while state of the art such as"
        " SPINN loses up to 6% in accuracy."
    )
    assert [(c.value, c.kind) for c in claims][:1] == [(77.1, "size")]


def test_a_sign_a_qualified_list_member_and_a_pair_named_after_like():
    # divide-and-conquer-meets-consensus-unleashing-the-power-of-functions-in-code
    assert claims_of(
        "FunCoder outperforms state-of-the-art methods by +9.8% on average in HumanEval, MBPP, xCodeEval and MATH"
        " with GPT-3.5 and GPT-4."
    ) == [(9.8, None, "%", "other", "vs. state-of-the-art methods")]
    # flash-kmeans-fast-and-memory-efficient-exact-k-means
    assert claims_of(
        "Extensive evaluations on NVIDIA H200 GPUs demonstrate that flash-kmeans achieves up to 17.9times end-to-end"
        " speedup over best baselines, while outperforming industry-standard libraries like cuML and FAISS by"
        " 33times and over 200times, respectively."
    ) == [
        (17.9, None, "x", "speedup", "over best baselines"),
        (33.0, None, "x", "speedup", "vs. cuML"),
        (200.0, None, "x", "speedup", "vs. FAISS"),
    ]


def test_two_ranges_with_the_same_upper_end_are_two_claims():
    # large-language-model-adaptation-for-networking
    assert [
        (c.low, c.value)
        for c in extract_claims(
            "Results show that the adapted LLM surpasses state-of-the-art algorithms by 10.1-36.6% for VP, 14.5-36.6%"
            " for ABR, 6.8-41.3% for CJS, and also achieves superior generalization performance."
        )
    ] == [(10.1, 36.6), (14.5, 36.6), (6.8, 41.3)]


def test_a_metric_value_in_parentheses_and_less_than_is_no_comparison():
    # precise-legal-sentence-boundary-detection-for-retrieval-at-scale-nupunkt-and
    assert claims_of(
        "CharBoundary models offer balanced and adjustable precision-recall tradeoffs, with the large model"
        " achieving the highest F1 score (0.782) among all tested methods."
    ) == [(0.782, None, "", "f1", None)]
    assert extract_claims("with the large model achieving the highest F1 score (0.782) among all")[0].text == (
        "F1 score (0.782)"
    )
    # single-path-nas-designing-hardware-efficient-convnets-in-less-than-4-hours
    assert [
        (c.value, c.unit)
        for c in extract_claims(
            "To alleviate this complexity, we propose Single-Path NAS, a novel differentiable NAS method for"
            " designing hardware-efficient ConvNets in less than 4 hours."
        )
    ] == [(4.0, "h")]


def test_numbers_of_other_systems_are_not_claims_and_a_level_takes_no_shared_baseline():
    # eeea-net-an-early-exit-evolutionary-neural-architecture-search: GPU-days, others' numbers
    abstract = (
        "A new algorithm entitled an Early Exit Population Initialisation (EE-PI) for Evolutionary Algorithm (EA) was"
        " developed to achieve both goals. The search time was reduced to 0.52 GPU day. This is a huge and"
        " significant achievement compared to the NAS of 4 GPU days achieved using NSGA-Net, 3,150 GPU days by the"
        " AmoebaNet model, and the 2,000 GPU days by the NASNet model."
    )
    assert [(c.value, c.unit, c.kind) for c in extract_claims(abstract)] == [(0.52, "GPU-days", "compute")]
    # squeezenet-alexnet-level-accuracy-with-50x-fewer-parameters-and-0-5mb-model-size
    assert claims_of(
        "Additionally, with model compression techniques we are able to compress SqueezeNet to less than 0.5MB"
        " (510x smaller than AlexNet)."
    ) == [(0.5, None, "MB", "memory", None), (510.0, None, "x", "size", "than AlexNet")]


def test_a_rate_a_cue_names_is_a_result_and_so_is_success():
    # pc-darts-partial-channel-connections-for-memory-efficient-architecture-search
    claims = extract_claims(
        "Specifically, we achieve an error rate of 2.57% on CIFAR10 with merely 0.1 GPU-days for architecture"
        " search, and a state-of-the-art top-1 error rate of 24.2% on ImageNet (under the mobile setting) using 3.8"
        " GPU-days for search."
    )
    assert [(c.value, c.unit, c.kind) for c in claims if c.unit == "%"] == [
        (2.57, "%", "accuracy"),
        (24.2, "%", "accuracy"),
    ]
    # osworld-benchmarking-multimodal-agents-for-open-ended-tasks-in-real-computer (claims.yml: success)
    assert claims_of(
        "While humans can accomplish over 72.36% of the tasks, the best model achieves only 12.24% success,"
        " primarily struggling with GUI grounding and operational knowledge."
    ) == [(12.24, None, "%", "accuracy", None)]
    # marvel-40m-multi-level-visual-elaboration-for-high-fidelity-text-to-3d-content: a list member "by" whom
    assert [
        c.value
        for c in extract_claims(
            "Extensive evaluations show that MARVEL-40M+ significantly outperforms existing datasets in annotation"
            " quality and linguistic diversity, achieving win rates of 72.41% by GPT-4 and 73.40% by human"
            " evaluators."
        )
    ] == [72.41, 73.4]


def test_a_level_another_system_reaches_after_while_is_theirs_and_names_the_baseline_of_the_number_before():
    # bottlefit-learning-compressed-representations-in-deep-neural-networks-for
    assert claims_of(
        "We apply BottleFit on cutting-edge DNN models in image classification, and show that BottleFit achieves"
        " 77.1% data compression with up to 0.6% accuracy loss on ImageNet dataset, while state of the art such as"
        " SPINN loses up to 6% in accuracy."
    ) == [(77.1, None, "%", "size", None), (0.6, None, "%", "accuracy", "vs. state of the art")]


def test_an_improvement_in_a_metric_of_a_list_and_enhancements_of():
    # en-t-optimizing-tensor-computing-engines-performance-via-encoder-based
    assert [
        (c.value, c.kind)
        for c in extract_claims(
            "We evaluated our method on prevalent microarchitectures, the results demonstrate an average improvement"
            " in area efficiency of 8.7\\%, 12.2\\%, and 11.0\\% for tensor computing units at computational scales"
            " of 256 GOPS, 1 TOPS, and 4 TOPS, respectively. Similarly, there were energy efficiency enhancements of"
            " 13.0\\%, 17.5\\%, and 15.5\\%."
        )
    ] == [(8.7, "other"), (12.2, "other"), (11.0, "other"), (13.0, "energy"), (17.5, "energy"), (15.5, "energy")]


def test_an_aside_in_the_object_of_the_verb_and_a_verb_right_before_the_number():
    # multimodal-attention-merging-for-improved-speech-recognition-and-audio-event
    assert claims_of(
        "MAM reduces the relative Word Error Rate (WER) of an Automatic Speech Recognition (ASR) model by up to"
        " 6.70%, and relative classification error of an Audio Event Classification (AEC) model by 10.63%."
    )[:1] == [(6.7, None, "%", "accuracy", None)]
    # xr-npe-high-throughput-mixed-precision-simd-neural-processing-engine-for
    claims = extract_claims(
        "XR-NPE achieves a maximum operating frequency of 1.72 GHz, area 0.016 mm2 , and arithmetic intensity 14 pJ"
        " at CMOS 28nm, reducing 42% area, 38% power compared to the best of state-of-the-art MAC approaches."
    )
    assert [(c.value, c.kind) for c in claims if c.unit == "%"] == [(42.0, "other"), (38.0, "energy")]


def test_from_the_old_value_to_the_new_one_is_a_change_not_a_range():
    # orion-characterizing-and-programming-apple-s-neural-engine-for-llm-training-and
    claims = extract_claims(
        "We show that compiled programs can instead be updated by unloading, patching weight files, and reloading,"
        " bypassing ANECCompile() and reducing recompilation from 4,200 ms to 494 ms per step (8.5x), yielding a"
        " 3.8x training speedup."
    )
    assert [(c.value, c.low, c.unit) for c in claims][:1] == [(494.0, None, "ms")]
    # sambanova-sn40l-scaling-the-ai-memory-wall-with-dataflow-and-composition-of: a range
    assert [
        (c.low, c.value)
        for c in extract_claims(
            "We demonstrate speedups ranging from 2x to 13x on various benchmarks running on eight RDU sockets"
            " compared with an unfused baseline."
        )
    ] == [(2.0, 13.0)]


def test_accelerations_of_and_an_additional_and_a_plus_after_the_number():
    # torchtitan-one-stop-pytorch-native-solution-for-production-ready-llm-pre
    assert [
        (c.value, c.baseline)
        for c in extract_claims(
            "By stacking training optimizations, we demonstrate accelerations of 65.08% with 1D parallelism at the"
            " 128-GPU scale (Llama 3.1 8B), an additional 12.59% with 2D parallelism at the 256-GPU scale (Llama 3.1"
            " 70B), and an additional 30% with 3D parallelism at the 512-GPU scale (Llama 3.1 405B) on NVIDIA H100"
            " GPUs over optimized baselines."
        )
    ] == [(65.08, "over optimized baselines"), (12.59, "over optimized baselines"), (30.0, "over optimized baselines")]
    # orion-...: "170+ tokens/s"
    assert claims_of(
        "On an M4 Max, Orion achieves 170+ tokens/s for GPT-2 124M inference and demonstrates stable training of a"
        " 110M-parameter transformer on TinyStories for 1,000 steps in 22 minutes with zero NaN occurrences."
    )[:1] == [(170.0, None, "tokens/s", "throughput", None)]


def test_a_change_in_a_metric_takes_the_metric_s_kind():
    # multimodal-attention-merging-for-improved-speech-recognition-and-audio-event
    assert claims_of(
        "In cases where some data/compute is available, we present Learnable-MAM, a data-driven approach to merging"
        " attention matrices, resulting in a further 2.90% relative reduction in WER for ASR and 18.42% relative"
        " reduction in AEC compared to fine-tuning."
    ) == [
        (2.9, None, "%", "accuracy", "compared to fine-tuning"),
        (18.42, None, "%", "accuracy", "compared to fine-tuning"),
    ]
    # synapse-trajectory-as-exemplar-prompting-with-memory-for-computer-control
    assert claims_of(
        "Synapse also exhibits a 56% relative improvement in average step success rate over the previous"
        " state-of-the-art prompting scheme in Mind2Web."
    ) == [(56.0, None, "%", "accuracy", "over the previous state-of-the-art prompting scheme")]


def test_a_number_restating_or_continuing_the_claim_before_it_is_a_claim_like_it():
    # gnnpipe-scaling-deep-gnn-training-with-pipelined-model-parallelism
    assert [
        (c.value, c.kind)
        for c in extract_claims(
            "Extensive experiments show that our method reduces the per-epoch training time by up to 2.45x (on"
            " average 1.58x) and reduces the communication volume and overhead by up to 22.89x and 27.21x (on average"
            " 8.69x and 11.60x), respectively, while achieving a comparable level of model accuracy and convergence"
            " speed compared to graph parallelism."
        )
    ] == [(2.45, "speedup"), (1.58, "speedup"), (22.89, "other"), (27.21, "other"), (8.69, "other"), (11.6, "other")]
    # thunderkittens-simple-fast-and-adorable-ai-kernels: "%" then "x", one enumeration
    assert [
        (c.value, c.unit, c.baseline)
        for c in extract_claims(
            "We match CuBLAS and FlashAttention-3 on GEMM and attention inference performance and outperform the"
            " strongest baselines by 10-40% on attention backwards, 8times on state space models, and 14times on"
            " linear attention."
        )
    ] == [
        (40.0, "%", "vs. the strongest baselines"),
        (8.0, "x", "vs. the strongest baselines"),
        (14.0, "x", "vs. the strongest baselines"),
    ]


def test_a_capitalised_name_is_no_cue_and_of_peak_is_throughput():
    # tpi-llm-serving-70b-scale-llms-efficiently-on-low-resource-edge-devices: "Accelerate" is a library
    claims = extract_claims(
        "Through extensive experiments on both emulated and real testbeds, TPI-LLM demonstrated over 80% less"
        " time-to-first-token and token latency compared to Accelerate, and over 90% compared to Transformers and"
        " Galaxy, while cutting the peak memory footprint of Llama 2-70B by 90%, requiring only 3.1 GB of memory for"
        " 70B-scale models."
    )
    assert [(c.value, c.unit, c.kind) for c in claims] == [
        (80.0, "%", "latency"),
        (90.0, "%", "latency"),
        (90.0, "%", "memory"),
        (3.1, "GB", "memory"),
    ]
    # zero-infinity-breaking-the-gpu-memory-wall-for-extreme-scale-deep-learning (claims.yml: of peak)
    assert [
        (c.value, c.unit, c.kind)
        for c in extract_claims(
            "In terms of training throughput and scalability, it sustains over 25 petaflops on 512 NVIDIA V100"
            " GPUs(40% of peak), while also demonstrating super linear scalability."
        )
    ] == [(25.0, "TFLOPS", "throughput"), (40.0, "%", "throughput")]


def test_the_size_of_a_model_run_is_a_setting():
    # fiddler-cpu-gpu-orchestration-for-fast-inference-of-mixture-of-experts-models (claims.yml: in parameters)
    assert [
        (c.value, c.unit)
        for c in extract_claims(
            "Our evaluation shows that Fiddler can run the uncompressed Mixtral-8x7B model, which exceeds 90GB in"
            " parameters, to generate over 3 tokens per second on a single GPU with 24GB memory, showing an order of"
            " magnitude improvement over existing methods."
        )
    ] == [(3.0, "tokens/s")]


def test_a_speedup_in_latency_is_a_speedup_and_who_is_beaten_names_no_kind():
    # efficient-tabular-data-preprocessing-of-ml-pipelines: the noun phrase ends at "in"; "128-core" is part
    # of the baseline's name; "data-center GPU" is who is beaten, not a kind of claim
    claims = extract_claims(
        "Piper achieves 4.7 sim 71.3times speedup in latency over a 128-core CPU server and outperforms a"
        " data-center GPU by 4.8sim 20.3times when using binary input."
    )
    assert [(c.value, c.low, c.kind, c.baseline) for c in claims][0] == (
        71.3,
        4.7,
        "speedup",
        "over a 128-core CPU server",
    )
    assert claims[1].kind != "other" and claims[1].baseline == "vs. a data-center GPU"
    # bossnas-exploring-hybrid-cnn-transformers-with-block-wisely-self-supervised: the cue before the verb counts
    assert claims_of(
        "On this challenging search space, our searched model, BossNet-T, achieves up to 82.5% accuracy on ImageNet,"
        " surpassing EfficientNet by 2.4% with comparable compute time."
    ) == [(82.5, None, "%", "accuracy", None), (2.4, None, "%", "accuracy", "vs. EfficientNet")]


def test_parity_after_the_numbers_is_no_baseline_of_theirs():
    # mutual-supervised-learning-for-sequential-to-parallel-code-translation
    claims = extract_claims(
        "Experimental results demonstrate that MuSL significantly enhances the performance of the base model: when"
        " applied to Qwen2.5-Coder, it not only improves Pass@1 by up to 28.91% and boosts Tester performance by"
        " 68.90%, but also outperforms the previous state-of-the-art method CodeRosetta by 1.56 and 6.92 in BLEU and"
        " CodeBLEU scores, while achieving performance comparable to DeepSeek-R1 and GPT-4.1."
    )
    assert [(c.value, c.baseline) for c in claims] == [(28.91, None), (68.9, None)]


def test_an_additional_share_is_more_of_the_claim_before():
    # torchtitan-one-stop-pytorch-native-solution-for-production-ready-llm-pre
    assert [
        c.kind
        for c in extract_claims(
            "By stacking training optimizations, we demonstrate accelerations of 65.08% with 1D parallelism at the"
            " 128-GPU scale (Llama 3.1 8B), an additional 12.59% with 2D parallelism at the 256-GPU scale (Llama 3.1"
            " 70B), and an additional 30% with 3D parallelism at the 512-GPU scale (Llama 3.1 405B) on NVIDIA H100"
            " GPUs over optimized baselines."
        )
    ] == ["speedup", "speedup", "speedup"]


def test_a_which_is_clause_after_a_claim_compares_it_and_has_its_kind():
    # hello-edge-keyword-spotting-on-microcontrollers
    assert claims_of(
        "DS-CNN achieves an accuracy of 95.4%, which is ~10% higher than the DNN model with similar number of"
        " parameters."
    ) == [(95.4, None, "%", "accuracy", None), (10.0, None, "%", "accuracy", "than the DNN model")]


def test_an_error_metric_named_by_its_acronym_or_in_full_is_accuracy():
    # analyzing-modern-nvidia-gpu-cores; allweathernet-unified-image-enhancement-for-autonomous-driving-under-adverse
    assert [
        c[3]
        for c in claims_of(
            "By modeling all these new discovered microarchitectural details, we achieve 18.24% lower mean absolute"
            " percentage error (MAPE) in execution cycles than previous state-of-the-art simulators, resulting in an"
            " average of 13.98% MAPE with respect to real hardware (NVIDIA RTX A6000)."
        )
    ] == ["accuracy", "accuracy"]
    assert claims_of("Experiments show up to a 5.3% improvement in mIoU.") == [(5.3, None, "%", "accuracy", None)]


def test_respectively_before_by_pairs_the_things_with_the_numbers_and_and_by_repeats_them():
    # bottlefit-learning-compressed-representations-in-deep-neural-networks-for: the things come before
    # "respectively by", a second list after "and by" measures them again against another baseline, and
    # an abbreviation in parentheses after "with respect to" is not the baseline's end.
    assert claims_of(
        "We show that BottleFit decreases power consumption and latency respectively by up to 49% and 89% with"
        " respect to (w.r.t.) local computing and by 37% and 55% w.r.t. edge offloading."
    ) == [
        (49.0, None, "%", "energy", "with respect to local computing"),
        (89.0, None, "%", "latency", "with respect to local computing"),
        (37.0, None, "%", "energy", "w.r.t. edge offloading"),
        (55.0, None, "%", "latency", "w.r.t. edge offloading"),
    ]


def test_a_score_named_after_its_number_is_a_claim_against_what_it_outperforms():
    # mobiledets-searching-for-object-detection-architectures-for-mobile-accelerators: "by 1.7 mAP", and a
    # list that goes on against the same baseline
    assert claims_of(
        "MobileDets also outperform MobileNetV2+SSDLite by 1.9 mAP on mobile CPUs, 3.7 mAP on Google EdgeTPU, 3.4 mAP"
        " on Qualcomm Hexagon DSP and 2.7 mAP on Nvidia Jetson GPU without increasing latency."
    ) == [(v, None, "", "accuracy", "vs. MobileNetV2+SSDLite") for v in (1.9, 3.7, 3.4, 2.7)]
    # leyolo-new-scalable-and-efficient-cnn-architecture-for-object-detection: a curve over model sizes
    assert claims_of("It spans setups with 25.2, 31.3, 35.2, 38.2, 39.3 and 41 mAP for 0.66 to 8.4 FLOP(G).") == []


def test_a_score_in_parentheses_after_a_comparison_is_compared_with_it():
    # real-time-neural-light-field-on-mobile-devices
    assert claims_of(
        "Additionally, we achieve similar image quality as NeRF and better quality than MobileNeRF (PSNR 26.15 vs."
        " 25.91 on the real-world forward-facing dataset)."
    ) == [(26.15, None, "", "accuracy", "than MobileNeRF")]


def test_a_clause_or_aside_that_restates_a_claim_has_its_kind():
    # training-compute-optimal-large-language-models: ", greater than a 7% improvement over Gopher"
    assert claims_of(
        "As a highlight, Chinchilla reaches a state-of-the-art average accuracy of 67.5% on the MMLU benchmark,"
        " greater than a 7% improvement over Gopher."
    ) == [(67.5, None, "%", "accuracy", None), (7.0, None, "%", "accuracy", "over Gopher")]
    # unlocking-the-potential-of-two-point-cells-for-energy-efficient-and-resilient: "(i.e., 62% less ...)"
    assert [
        c[3] for c in claims_of("It estimates energy savings up to 50000 muJ (i.e., 62% less than the baseline model).")
    ] == ["energy", "energy"]


def test_a_list_of_numbers_in_several_units_pairs_with_the_things_it_reduces():
    # co-exploration-of-neural-architectures-and-heterogeneous-asic-accelerator
    assert [
        (c[0], c[2], c[3])
        for c in claims_of(
            "NASAIC can guarantee the results to meet the design specs with 17.77%, 2.49x, and 2.32x reductions on"
            " latency, energy, and area and with 0.76% accuracy loss."
        )
    ] == [(17.77, "%", "latency"), (2.49, "x", "energy"), (2.32, "x", "other"), (0.76, "%", "accuracy")]


def test_what_a_purpose_clause_names_is_not_the_kind_of_the_verbs_object():
    # sleep-time-compute-beyond-inference-scaling-at-test-time: the compute is reduced, the accuracy kept
    assert claims_of(
        "We find that sleep-time compute can reduce the amount of test-time compute needed to achieve the same"
        " accuracy by ~ 5x on Stateful GSM-Symbolic and Stateful AIME."
    ) == [(5.0, None, "x", "compute", None)]


def test_a_weak_cue_before_a_colon_names_the_factors_after_it():
    # autokernel-autonomous-gpu-kernel-optimization-via-iterative-agent-driven-search
    assert [
        (c[0], c[3])
        for c in claims_of(
            "On an NVIDIA H100, our Triton kernels outperform both PyTorch eager and torch.compile (max-autotune) on"
            " the majority of tested configurations: 5.29x over eager on RMSNorm, 2.82x on softmax, and 2.21x on"
            " cross-entropy, while beating torch.compile by 2.83x, 3.44x, and 2.94x respectively."
        )
    ] == [(5.29, "speedup"), (2.83, "speedup"), (3.44, "speedup"), (2.94, "speedup")]


def test_query_rates_are_throughput():
    # efficiently-serving-llm-reasoning-programs-with-certaindex
    assert [
        (c[0], c[3])
        for c in claims_of(
            "On diverse datasets and algorithms, Dynasor reduces compute by up to 50% in batch processing and"
            " sustaining 3.3x higher query rates or 4.7x tighter latency SLOs in online serving."
        )
    ] == [(50.0, "compute"), (3.3, "throughput"), (4.7, "latency")]


def test_an_object_naming_as_many_kinds_as_there_are_numbers_pairs_them_without_respectively():
    # floating-point-multiply-add-with-approximate-normalization-for-low-cost-matrix
    assert claims_of(
        "Hardware synthesis results show that this technique reduces area and power consumption roughly by 16%"
        " and 13% on average for Bfloat16 format."
    ) == [(16.0, None, "%", "other", None), (13.0, None, "%", "energy", None)]
    # ... but not when both things name one kind
    assert [c[3] for c in claims_of("It reduces latency and tail latency by 16% and 13%.")] == ["latency", "latency"]


def test_respectively_pairs_each_list_measured_in_its_own_setting():
    # bottlefit-learning-compressed-representations-in-deep-neural-networks-for
    assert [
        (c[0], c[3])
        for c in claims_of(
            "We also compare BottleFit with state-of-the-art autoencoders-based approaches, and show that (i)"
            " BottleFit reduces power consumption and execution time respectively by up to 54% and 44% on the Jetson"
            " and 40% and 62% on Raspberry PI; (ii) the size of the head model executed on the mobile device is 83"
            " times smaller."
        )
    ] == [(54.0, "energy"), (44.0, "speedup"), (40.0, "energy"), (62.0, "speedup"), (83.0, "size")]
