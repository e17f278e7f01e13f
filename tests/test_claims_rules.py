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
