"""A long fuzz campaign over the parsers (deselected by default: `pytest -m slow`).

FUZZ_EXAMPLES sets the number of examples per target (default 20,000).
Every input either parses or raises the project's own InputError.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.errors import InputError
from litreview.read.frontmatter import load_yaml, parse_document
from litreview.read.listings import parse_seed_bytes, parse_seed_text

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20000"))
CAMPAIGN = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)

# Pieces of real seed files, glued in random orders: reaches the layout logic
# far more often than random text does.
SEED_PIECES = st.sampled_from(
    [
        "new", "Subscribe", "Daily Papers", "byAK and the research community", "Jul 4", "·", "  • 3 authors",
        "Berkeley UC Berkeley", "Jun 28, 2023", "Aug 22, 2024 2", "Mar 5", "SubscribeScaling Laws",
        "Get trending papers in your email inbox!", "A Short Title", "Efficient Attention: A Study",
        "We propose a method. It is fast. We show 3x speedup over the baseline. " * 4, "\ufeff", "\u00a0", "\t",
        "\r\n", "\n", "\n\n", " ", "<script>", "*", "[x](y)", "\x00", "é", "\u202e",
    ]
)  # fmt: skip


@pytest.mark.slow
@CAMPAIGN
@given(st.lists(SEED_PIECES, max_size=60).map("".join))
def test_seed_reader_campaign_structured(text):
    try:
        parse_seed_text(text, "fuzz.txt")
    except InputError:
        pass


@pytest.mark.slow
@CAMPAIGN
@given(st.binary(max_size=4000))
def test_seed_reader_campaign_bytes(data):
    try:
        parse_seed_bytes(data, "fuzz.txt")
    except InputError:
        pass


FM_PIECES = st.sampled_from(
    [
        "---\n", "title: x\n", "order: 1\n", "rules:\n", "  include:\n", "    - quant\n", "  - {term: a, weight: 2}\n",
        "key: [1, 2\n", "&a x\n", "*a\n", "!!python/object:os.system\n", "\t", "title: title\n", ": :\n", "- - -\n",
        "{", "}", "'", '"', "\n", "\ufeff", "\r\n", "é", "\x00", "a: b: c\n", "? x\n", "%YAML 1.1\n",
    ]
)  # fmt: skip


@pytest.mark.slow
@CAMPAIGN
@given(st.lists(FM_PIECES, max_size=40).map("".join))
def test_front_matter_campaign(text):
    try:
        parse_document(text, "fuzz.md")
    except InputError:
        pass
    try:
        load_yaml(text, "fuzz.yml")
    except InputError:
        pass
