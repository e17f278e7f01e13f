"""The direct converter of the review template's Markdown gives exactly what Python-Markdown gives.

Where mdsubset.convert converts a text (it returns None for anything it does not recognise),
its HTML and <h2>/<h3> headings must equal stock Python-Markdown's, on the real reviews and on
generated text of every kind; and it must accept every review the template writes, or the fast
path would silently be the slow one.
"""

from __future__ import annotations

import pytest
from helpers import CONTENT, PROJECT, SEEDS, hostile_content
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_mdfast import FRAGMENTS

from litreview.engine.pipeline import PROJECT_ROOT, load_site
from litreview.write import mdsubset, review
from litreview.write.mdescape import escape_markdown, escape_table_cell, md_link, md_relative_link
from litreview.write.render import convert_markdown, stock_converter, strip_leading_h1


def stock(text: str) -> tuple[str, list[dict]]:
    """Python-Markdown's HTML and its <h2>/<h3> headings, in document order."""
    md = stock_converter()
    html = md.convert(text)
    flat: list[dict] = []

    def walk(tokens: list[dict]) -> None:
        for t in tokens:
            flat.append({"level": t["level"], "id": t["id"], "name": t["name"]})
            walk(t["children"])

    walk(md.toc_tokens)  # type: ignore[attr-defined]
    return html, flat


def assert_same_where_converted(text: str) -> bool:
    direct = mdsubset.convert(text)
    if direct is not None:
        assert direct == stock(text), text
    return direct is not None


@pytest.fixture(scope="module")
def reviews(tmp_path_factory) -> list[str]:
    """Every review page of the fixture corpus and of the hostile corpus, as the site renders them
    (the leading "# title" line is the page's <h1>, not part of the converted body)."""
    sites = [load_site(SEEDS, CONTENT)]
    root = tmp_path_factory.mktemp("hostile")
    sites.append(load_site(PROJECT / "tests/data/hostile/seeds", hostile_content(root, "entities.yml")))
    texts = [text for site in sites for text in review.render_reviews(site, PROJECT_ROOT / "templates").values()]
    return texts + [strip_leading_h1(text)[1] for text in texts]


def test_every_review_is_converted_directly_and_identically(reviews):
    assert len(reviews) > 40
    for text in reviews:
        assert mdsubset.convert(text) is not None, text[:200]
        assert_same_where_converted(text)


def test_human_written_markdown_is_identical_where_converted():
    texts = [p.read_text(encoding="utf-8") for p in CONTENT.rglob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in (PROJECT / "tests/data/hostile").rglob("*.md")]
    assert texts
    for text in texts:
        assert_same_where_converted(text)


def test_the_site_s_converter_uses_it_and_gives_the_same_page(reviews, monkeypatch):
    text = reviews[0]
    converted = []
    original = mdsubset.convert
    monkeypatch.setattr(mdsubset, "convert", lambda t: converted.append(original(t)) or converted[-1])
    html, toc = convert_markdown(text)
    assert converted and converted[0] is not None  # the review went the direct way
    assert html.startswith("<h1") or html.startswith("<h2")
    assert [t["id"] for t in toc] == [t["id"] for t in stock(text)[1] if t["level"] == 2]


@pytest.mark.parametrize("text", ["# &#61;", "## x &#61;", "### q &#35;&#35; r", "# a #b", "# a \\#"])
def test_a_hash_inside_a_heading_is_not_a_closing_hash(text):
    """Only trailing hashes close a heading: an escaped "=" (&#61;) in a generated heading converts."""
    assert assert_same_where_converted(text), text


def test_closing_hashes_are_left_to_python_markdown():
    assert mdsubset.convert("# a #") is None and mdsubset.convert("# a \\\\#") is None


def test_declines_on_another_python_markdown(monkeypatch):
    monkeypatch.setattr(mdsubset.markdown, "__version__", "4.0.0")
    assert mdsubset.convert("## A\n\nsome *text*\n") is None


# Block-level pieces on top of test_mdfast's inline ones: lists tight and loose, indented
# paragraphs, tables with and without borders, headings with closing hashes, rules, quotes.
BLOCKS = [
    "- a\n", "- b\n- c\n", "\n\n    para\n", "\n    para\n", "        deep\n", "- **[t](u.html)** — x (2021)\n\n    tl\n\n",
    "| a | b |\n| --- | ---: |\n| 1 | 2 |\n", "| a |\n| - |\n", "a | b\n-- | --\n", "## H ##\n", "### H\n", "#### x",
    "#\n", "---\n", "===\n", "* * *\n", "> q\n", "1. x\n", "1) x\n", "+ y\n", "* z\n", "  - w\n", "[a]: u\n", "\n\n\n",
    "  \n", "\u00a0\n", "\\", "&", "&amp;", "&#93;", "*a*", "**b**", "[t](x_y.html)", "[t](a'b)", "\\|", "\\#",
]  # fmt: skip
MARKDOWN = st.lists(st.sampled_from(FRAGMENTS + BLOCKS) | st.text(max_size=6), max_size=40).map("".join)


@settings(max_examples=600, deadline=None)
@given(MARKDOWN)
@example("- a\n\n    \u00a0\n\n- b")
@example("## Same\n\n## Same\n\n### Same\n")
@example("| a | b |\n| :-: | :- |\n| x \\| y | |\n")
def test_any_text_is_identical_where_converted(text):
    assert_same_where_converted(text)


# Generated reviews: the template's shapes, filled with hostile text escaped as the template does.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
NONBLANK = TEXT.filter(lambda t: escape_markdown(t) != "")
# A "'" in a link target can start a title for Python-Markdown: those targets are left to it.
URL = st.builds(
    lambda host, path: f"https://{host}.org/{path}",
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    TEXT.filter(lambda t: "'" not in t),
)
PAGE = st.from_regex(r"\.\./(papers|tags)/[a-z0-9-]{1,12}\.html", fullmatch=True)


def _link(draw) -> str:
    text = draw(TEXT)
    return md_link(text, draw(URL)) if draw(st.booleans()) else md_relative_link(text, draw(PAGE))


@st.composite
def inline_text(draw) -> str:
    """A line as the template writes them: escaped text, links, **links**, *text*, with separators."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "link", "strong", "em"]))
        if kind == "text":
            parts.append(escape_markdown(draw(NONBLANK)))
        elif kind == "link":
            parts.append(_link(draw))
        elif kind == "strong":
            parts.append(f"**{_link(draw)}**")
        else:
            parts.append(f"*{escape_markdown(draw(NONBLANK))}*")
    separators = [draw(st.sampled_from([" ", " — ", ", ", ": ", " · ", " (2021) "])) for _ in parts[1:]]
    return parts[0] + "".join(sep + part for sep, part in zip(separators, parts[1:]))


@st.composite
def review_block(draw) -> str:
    kind = draw(st.sampled_from(["heading", "paragraph", "tight", "loose", "table"]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 4)) + " " + escape_markdown(draw(NONBLANK))
    if kind == "paragraph":
        return "\n".join(draw(st.lists(inline_text(), min_size=1, max_size=3)))
    if kind == "tight":
        return "\n".join("- " + line for line in draw(st.lists(inline_text(), min_size=1, max_size=4)))
    if kind == "loose":
        entries = []
        for title in draw(st.lists(inline_text(), min_size=1, max_size=3)):
            more = draw(st.lists(inline_text(), max_size=2))
            entries.append("\n\n".join(["- " + title, *("    " + line for line in more)]))
        return "\n\n".join(entries)
    columns = draw(st.integers(2, 4))
    rows = draw(st.lists(st.lists(TEXT, min_size=columns, max_size=columns), max_size=3))
    align = draw(st.lists(st.sampled_from(["---", "---:", ":---", ":---:"]), min_size=columns, max_size=columns))
    header = "| " + " | ".join(escape_table_cell(t) for t in draw(st.lists(TEXT, min_size=columns, max_size=columns)))
    lines = [header + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(escape_table_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(review_block(), min_size=1, max_size=6), st.lists(st.sampled_from(["\n\n", "\n\n\n"]), min_size=6))
def test_generated_reviews_are_converted_directly_and_identically(blocks, gaps):
    text = "".join(block + gap for block, gap in zip(blocks, gaps))
    assume(text.strip())
    assert mdsubset.convert(text) is not None, text
    assert_same_where_converted(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(review_block() | st.sampled_from(FRAGMENTS + BLOCKS) | st.text(max_size=4), min_size=1, max_size=8))
def test_reviews_mixed_with_anything_are_identical_where_converted(pieces):
    """Near misses of the template's shapes: its blocks run into stray markup and each other."""
    assert_same_where_converted("".join(pieces))
