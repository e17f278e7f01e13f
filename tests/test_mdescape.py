"""Seed text escaped for Markdown renders back to exactly the same visible text."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from litreview.utils.urls import is_web_url
from litreview.write.mdescape import escape_markdown, escape_table_cell, md_link, md_relative_link, normalise_text

# The extensions the site renders review pages with (see litreview/write/render.py).
EXTENSIONS = ["tables", "toc", "sane_lists"]
NASTY = "A *bold* _claim_ <script>alert(1)</script> [x](javascript:alert(1)) ^{2} | pipe `code`"


class _Visible(HTMLParser):
    """Collects the text a reader sees and every tag, with attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def render(source: str, extensions=EXTENSIONS) -> tuple[str, list[str]]:
    parser = _Visible()
    parser.feed(markdown.markdown(source, extensions=extensions))
    parser.close()
    return " ".join("".join(parser.text).split()), [t for t, _ in parser.tags]


def in_paragraph(text: str) -> tuple[str, list[str]]:
    return render(escape_markdown(text))


class _Cells(HTMLParser):
    """The visible text of every <td>, and the tags found inside cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self.inner_tags: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "td":
            self._in_cell = True
            self.cells.append("")
        elif self._in_cell:
            self.inner_tags.append(tag)

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def in_table_cell(text: str) -> tuple[str, list[str]]:
    source = f"| a | b |\n| --- | --- |\n| {escape_table_cell(text)} | z |\n"
    parser = _Cells()
    parser.feed(markdown.markdown(source, extensions=EXTENSIONS))
    parser.close()
    assert len(parser.cells) == 2 and parser.cells[1] == "z", "the row must keep exactly two cells"
    return " ".join(parser.cells[0].split()), parser.inner_tags


NASTY_CHARS = list("*_<>&[]()!#^{}|`\\~:=+-.1 \n\t") + ["&amp;", "&lt;", "&#35;", "http://", "javascript:"]
text_strategy = st.one_of(
    st.text(),
    st.lists(st.sampled_from(NASTY_CHARS + ["a", "b", "x y"]), max_size=30).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(text_strategy)
def test_any_text_renders_back_exactly_in_a_paragraph(text):
    visible, tags = in_paragraph(text)
    assert visible == normalise_text(text)
    assert set(tags) <= {"p"}


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_any_text_renders_back_exactly_in_a_table_cell(text):
    visible, tags = in_table_cell(text)
    assert visible == normalise_text(text)
    assert tags == []


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_any_text_stays_text_inside_bold_link_text_and_headings(text):
    assume(normalise_text(text))  # templates never wrap empty text in ** or []
    escaped = escape_markdown(text)
    expected = normalise_text(text)
    for source, allowed in [
        (f"- **{escaped}** · 2024", {"ul", "li", "strong"}),
        (f"- [{escaped}](../papers/x.html)", {"ul", "li", "a"}),
        (f"## {escaped}", {"h2"}),
    ]:
        visible, tags = render(source)
        prefix = "· 2024"
        if source.endswith(prefix):
            assert visible == f"{expected} {prefix}".strip()
        else:
            assert visible == expected
        assert set(tags) <= allowed


@pytest.mark.parametrize(
    "text",
    [
        NASTY,
        "&amp; stays &amp; and &lt; stays &lt;",
        "# Not a heading",
        "1. not a list",
        "- not a bullet",
        "+ not a bullet",
        "> not a quote",
        "=== not an underline",
        "--- not a rule",
        "C# and F#",
        "back\\slash \\* \\",
        "line one\nline two\n\n- three",
        "See https://example.com/a_b*c*_d and <https://example.com>",
        "x^{2} and a_{i}",
        "[TOC]",
        "[ref]: https://example.com",
        "]: not a reference",
        "![img](https://example.com/x.png)",
    ],
)
def test_nasty_text_renders_back_exactly(text):
    visible, tags = in_paragraph(text)
    assert visible == normalise_text(text)
    assert tags == ["p"]


def test_a_reference_definition_look_alike_stays_link_text():
    visible, tags = render(f"- [{escape_markdown(']: x')}](../papers/p.html)")
    assert (visible, tags) == ("]: x", ["ul", "li", "a"])


def test_nasty_title_is_escaped_literally():
    assert escape_markdown(NASTY) == (
        "A \\*bold\\* \\_claim\\_ &lt;script\\>alert(1)&lt;/script\\> "
        "\\[x\\](javascript:alert(1)) ^\\{2\\} \\| pipe \\`code\\`"
    )


def test_pipes_do_not_split_a_table_row():
    visible, tags = in_table_cell("a | b || c |")
    assert visible == "a | b || c |"


def test_entities_in_the_source_show_literally():
    visible, _ = in_paragraph("&amp; &#60; &copy;")
    assert visible == "&amp; &#60; &copy;"


def test_urls_in_text_are_never_linked():
    for text in ["https://example.com", "<https://example.com>", "javascript:alert(1)", "www.example.com"]:
        _, tags = in_paragraph(text)
        assert "a" not in tags


@pytest.mark.parametrize(
    "url",
    ["https://github.com/a/b", "http://example.com/x?y=1&z=2", "HTTPS://EXAMPLE.COM/A"],
)
def test_md_link_links_web_urls(url):
    out = markdown.markdown(md_link("code", url), extensions=EXTENSIONS)
    parser = _Visible()
    parser.feed(out)
    assert parser.tags == [("p", []), ("a", [("href", url)])]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "//evil.example/x",
        "/relative",
        "https://",
        "https://exa mple.com",
        "",
        None,
    ],
)
def test_md_link_never_links_other_schemes(url):
    assert not is_web_url(url)
    out = markdown.markdown(md_link("code", url), extensions=EXTENSIONS)
    assert "<a" not in out
    assert "href" not in out


def test_md_link_target_cannot_break_out_of_the_link():
    url = 'https://example.com/a)(b [c] `d` |e| "f"'
    assert not is_web_url(url)  # spaces: not a URL at all
    url = 'https://example.com/a)(b[c]`d`|e|"f"<g>\\h'
    out = markdown.markdown(f"| x |\n| - |\n| {md_link('t', url)} |", extensions=EXTENSIONS)
    assert out.count("<td>") == 1
    assert '<a href="https://example.com/a%29%28b%5Bc%5D%60d%60%7Ce%7C%22f%22%3Cg%3E%5Ch">t</a>' in out


def test_md_link_label_is_escaped():
    out = markdown.markdown(md_link("*x* [y](z)", "https://e.com"), extensions=EXTENSIONS)
    assert out == '<p><a href="https://e.com">*x* [y](z)</a></p>'


def test_relative_links_refuse_absolute_targets():
    assert md_relative_link("T", "../papers/a.html") == "[T](../papers/a.html)"
    for bad in ["javascript:alert(1)", "https://e.com", "/abs"]:
        with pytest.raises(ValueError):
            md_relative_link("T", bad)


def test_empty_and_whitespace_text_escape_to_nothing():
    assert escape_markdown("") == ""
    assert escape_markdown(None) == ""
    assert escape_markdown(" \n\t ") == ""
