"""A long fuzz campaign over the parsers (deselected by default: `pytest -m slow`).

FUZZ_EXAMPLES sets the number of examples per target (default 20,000).
Each target checks an invariant, not just "no exception":
- every input either parses or raises the project's own InputError naming
  the file and a line of it (only an empty seed file has no line), and every
  parsed seed entry quotes the lines it was read from;
- any entries written out in any seed layout parse back to themselves;
- any text escaped for Markdown renders back to the same visible text.
"""

from __future__ import annotations

import os

import pytest
from helpers import EMPTY_SEED, assert_entries_quote_their_lines, assert_located
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seed_layouts import LAYOUTS, render_seed, seed_entries
from test_mdescape import in_paragraph, in_table_cell, text_strategy

from litreview.errors import InputError
from litreview.read.frontmatter import decode_text, load_yaml, parse_document
from litreview.read.listings import clean_line, parse_seed_bytes, parse_seed_text
from litreview.write.mdescape import normalise_text

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
        result = parse_seed_text(text, "fuzz.txt")
    except InputError as exc:
        assert_located(exc, "fuzz.txt", text, whole_file=EMPTY_SEED)
        return
    assert_entries_quote_their_lines(result.entries, text)


@pytest.mark.slow
@CAMPAIGN
@given(st.binary(max_size=4000))
def test_seed_reader_campaign_bytes(data):
    try:
        result = parse_seed_bytes(data, "fuzz.txt")
    except InputError as exc:
        assert_located(exc, "fuzz.txt", data, whole_file=EMPTY_SEED)
        return
    assert_entries_quote_their_lines(result.entries, data.decode("utf-8"))


@pytest.mark.slow
@CAMPAIGN
@given(seed_entries(), st.sampled_from(LAYOUTS))
def test_seed_layout_round_trip_campaign(entries, layout):
    parsed = parse_seed_text(render_seed(entries, layout), "p.txt").entries
    assert [(e.title, e.abstract) for e in parsed] == [(clean_line(e.title), clean_line(e.abstract)) for e in entries]


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
    except InputError as exc:
        assert_located(exc, "fuzz.md", text)
    try:
        load_yaml(text, "fuzz.yml")
    except InputError as exc:
        assert_located(exc, "fuzz.yml", text)


@pytest.mark.slow
@CAMPAIGN
@given(st.binary(max_size=2000))
def test_content_bytes_campaign(data):
    try:
        text = decode_text(data, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", data)
        return
    try:
        parse_document(text, "fuzz.md")
    except InputError as exc:
        assert_located(exc, "fuzz.md", text)


@pytest.mark.slow
@CAMPAIGN
@given(text_strategy)
def test_markdown_escape_campaign(text):
    visible, tags = in_paragraph(text)
    assert visible == normalise_text(text) and set(tags) <= {"p"}
    visible, tags = in_table_cell(text)
    assert visible == normalise_text(text) and tags == []
