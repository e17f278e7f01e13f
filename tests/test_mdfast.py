"""The faster inline pass gives exactly the HTML stock Python-Markdown gives."""

from __future__ import annotations

import pytest
from helpers import CONTENT, PROJECT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.engine.pipeline import PROJECT_ROOT, load_site
from litreview.write import mdfast, review
from litreview.write.render import _converter, stock_converter

# Pieces that exercise every inline pattern and the places they interact:
# escapes before triggers, nested emphasis in links, raw HTML, entities,
# images, references, code spans holding triggers, hard line breaks.
FRAGMENTS = [
    "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")", "!", "<", ">", "&", "&amp;", "&#42;",
    "  \n", "\n", "\n\n", " ", "word", "x_y_z", "[a](http://e.org)", "![i](p.png)", "[r][1]", "[1]: http://e.org",
    "<b>", "</b>", "<http://e.org>", "<me@e.org>", "<!-- c -->", "`*not*`", "\\*", "\\[", "| a | b |\n| - | - |\n| 1 | 2 |",
    "- item\n", '[t](http://e.org "title")', "[t](<u v> 'x')", "[a (b)](u(v))", "[a](u\\)x)", "[[n]](u)", '("', "')", "1. one\n", "    indented\n", "# H\n", "## H2\n", "***", "___", "*a _b_ c*", "_a *b* c_",
]  # fmt: skip


def convert(md, text: str) -> str:
    md.reset()
    return md.convert(text)


def test_installed_on_the_pinned_python_markdown():
    md = _converter()
    assert isinstance(md.treeprocessors["inline"], mdfast.SkippingInlineProcessor)


def test_every_builtin_inline_pattern_has_a_trigger():
    names = [item.name for item in stock_converter().inlinePatterns._priority]
    assert names and all(name in mdfast.TRIGGERS for name in names), "a new inline pattern: add its trigger"


MARKDOWN = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_a_pattern_matches_only_text_holding_its_trigger(text):
    md = stock_converter()
    for item in md.inlinePatterns._priority:
        if md.inlinePatterns[item.name].compiled_re.search(text):
            assert any(t in text for t in mdfast.TRIGGERS[item.name]), (item.name, text)


@pytest.fixture(scope="module")
def real_markdown() -> list[str]:
    site = load_site(SEEDS, CONTENT)
    reviews = list(review.render_reviews(site, PROJECT_ROOT / "templates").values())
    human = [p.read_text(encoding="utf-8") for p in CONTENT.rglob("*.md")]
    hostile = [p.read_text(encoding="utf-8") for p in (PROJECT / "tests/data/hostile").rglob("*.md")]
    return reviews + human + hostile


def test_real_reviews_and_content_convert_identically(real_markdown):
    fast, stock = _converter(), stock_converter()
    assert len(real_markdown) > 40
    for text in real_markdown:
        assert convert(fast, text) == convert(stock, text)


@settings(max_examples=400, deadline=None)
@given(MARKDOWN)
def test_generated_markdown_converts_identically(text):
    assert convert(_converter(), text) == convert(stock_converter(), text)
