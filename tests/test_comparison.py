"""Comparison tables of sub-themes (write/comparison.py) and their Markdown (templates/review.md.j2)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import CONTENT, SEEDS, hostile_content

from litreview.engine.pipeline import load_site
from litreview.model import Assignment, Claim, Entity, Paper, Site, SiteConfig, Source, Tag
from litreview.write.comparison import TableBuilder, headline, headline_text, short_title
from litreview.write.review import build_review, render_reviews

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
HOSTILE = PROJECT / "tests" / "data" / "hostile"


def paper(pid, title, **fields):
    return Paper(id=pid, title=title, abstract="", sources=[Source("s.txt", 1)], **fields)


def site(papers):
    entities = [
        Entity("NVIDIA A100", "Hardware", ("NVIDIA A100", "A100")),
        Entity("vLLM", "Systems", ("vLLM",), paper="vllm"),
        Entity("FlexGen", "Systems", ("FlexGen",), paper="flexgen"),
        Entity("OPT", "Models", ("OPT",)),
    ]
    tags = [Tag("batching", "Batching", "method"), Tag("llm", "LLMs", "model")]
    return Site(
        SiteConfig(), papers, [], tags, [], entity_categories=["Hardware", "Models", "Systems"], entities=entities
    )


def test_a_row_has_method_entities_baselines_and_headline():
    flexgen = paper(
        "flexgen",
        "FlexGen: High-throughput inference",
        tags=[Assignment("llm", 3), Assignment("batching", 3)],
        entities={"Systems": ["FlexGen", "vLLM"], "Hardware": ["NVIDIA A100"]},
        baselines=["vLLM"],
        compares_with=["vllm"],
        claims=[
            Claim("in 90% of requests", 90, "%", "other"),
            Claim("up to 2x higher throughput than vLLM", 2, "x", "throughput", "than vLLM"),
            Claim("40% less memory", 40, "%", "memory", "compared to DeepSpeed"),
        ],
    )
    vllm = paper("vllm", "Efficient memory management")
    table = TableBuilder(site([flexgen, vllm])).table([flexgen, vllm])
    assert table.columns == ["Hardware", "Systems"]  # no paper names a model: no Models column
    row = table.rows[0]
    assert (row.label, row.method, row.entities) == ("FlexGen", "Batching", [["NVIDIA A100"], ["vLLM"]])
    assert row.baselines == [("vLLM", "../papers/vllm.html"), ("DeepSpeed", None)]
    assert (row.headline, row.headline_kind) == ("up to 2x higher throughput than vLLM", "throughput")
    assert table.rows[1].label == "vLLM" and table.rows[1].empty  # named by what it introduced


def test_a_baseline_without_a_linked_paper_is_plain_text_and_empty_tables_are_left_out():
    p = paper("p", "A paper", baselines=["vLLM"])  # vLLM's paper is not linked from p
    row = TableBuilder(site([p])).row(p)
    assert row.baselines == [("vLLM", None)]
    assert TableBuilder(site([p])).table([paper("q", "Nothing here")]) is None


def test_headline_text_keeps_the_setting_and_names_a_missing_baseline():
    claim = Claim("1.1x to 2x higher throughput", 2, "x", "throughput", "compared to vLLM")
    assert headline_text(claim) == "1.1x to 2x higher throughput (vs. vLLM)"
    assert headline([]) is None
    assert short_title("Long title without a colon") == "Long title without a colon"
    assert short_title("X: y", "Named") == "Named"


def test_every_shipped_topic_page_has_comparison_tables():
    shipped = load_site(SEEDS, CONTENT)
    reviews = render_reviews(shipped, TEMPLATES)
    with_tables = [slug for slug, text in reviews.items() if "| Compared against | Headline result |" in text]
    assert sorted(with_tables) == sorted(t.slug for t in shipped.topics if t.papers)
    serving = build_review(shipped, shipped.topic("llm-serving"))
    rows = [r for t in serving.themes if t.table for r in t.table.rows]
    assert any(url and "pagedattention" in url for r in rows for _, url in r.baselines)
    assert [lm.title for lm in serving.landmarks][:1] == [
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    ]
    assert "## Start here" in reviews["llm-serving"]


def test_hostile_entity_names_are_text_in_the_markdown_tables(tmp_path):
    from litreview.write.render import convert_markdown

    content = hostile_content(tmp_path, "entities.yml")
    hostile = load_site(HOSTILE / "seeds", content)
    text = "\n".join(render_reviews(hostile, TEMPLATES).values())
    assert "| \\*\\*Hard\\|ware\\*\\* |" not in text  # the category is one escaped header cell
    assert "&lt;script\\>window.\\_\\_pwned='category'&lt;/script\\> \\*\\*Hard\\|ware\\*\\*" in text
    html, _ = convert_markdown(text)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;/svg&gt;&lt;script&gt;window.__pwned='svg-breakout'&lt;/script&gt; {{ 7*7 }} \\* baseline" in html
    assert "**Hard|ware**" in html
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    assert tables
    for table in tables:  # no name split a row: every row has as many cells as the header
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        width = rows[0].count("<th")
        assert all(row.count("<td") == width for row in rows[1:])
