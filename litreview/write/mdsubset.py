"""The Markdown the review template writes, converted directly, byte-identical to Python-Markdown.

A review page of thousands of papers is megabytes of generated Markdown in
a few shapes: "#" headings, paragraphs, tight and loose "- " lists whose
items go on in paragraphs indented by four spaces, pipe tables, and inline
text that escape_markdown (write/mdescape.py) made: backslash escapes,
entities, [links](target), **strong** and *emphasis*. Python-Markdown's
general machinery (block processors, inline patterns with placeholders, an
ElementTree, its serializer) was the largest single item of a large cold
build; this module writes the same HTML straight from those shapes, several
times faster (bench/results/scale.md).

It converts only what it recognises with certainty and returns None for
anything else (raw HTML, code, quotes, ordered lists, nesting, underscores,
references...), and the caller then uses Python-Markdown. Where it does
convert, it follows Python-Markdown's own rules step by step: blocks split
at blank lines and dispatched in the block parser's priority order (any
line that one of its processors might read as more than a paragraph
declines the text), list items
wrapped in <p> exactly when Python-Markdown's loose-list rules wrap them,
heading ids made by the toc extension's own slugify and unique, text and
attributes escaped by the serializer's rules. tests/test_mdsubset.py
compares it with stock Python-Markdown on the real reviews and on
generated documents, accepted or not; like mdfast, it is used only with
the Python-Markdown version it was checked against.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import markdown
from markdown.extensions.toc import slugify, strip_tags, unique
from markdown.inlinepatterns import ENTITY_RE as _ENTITY_PATTERN

# The serializer's own escaping of text and of attribute values (output_format="html"): private
# to Python-Markdown, which is why this module is pinned to the version it was checked against.
from markdown.serializers import _escape_attrib_html as escape_attribute_html
from markdown.serializers import _escape_cdata as escape_cdata

CHECKED_VERSIONS = ("3.11",)
TAB = "    "

# Characters Python-Markdown's backslash escape applies to (Markdown.ESCAPED_CHARS, plus "|"
# which the tables extension adds); a backslash before any other character stays as written.
ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")
ENTITY_RE = re.compile(_ENTITY_PATTERN)  # what the entity pattern keeps as written
# A link target this module writes as it is: no spaces (a title), brackets, quotes or escapes.
TARGET_RE = re.compile(r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")
# Unescaped, these start inline markup this module does not convert (raw HTML, code, "_"
# emphasis, images, a stray "]" or table pipe); "!" only before "[".
DECLINED_INLINE = frozenset("<>`_]|")
STOP_RE = re.compile(r"[\\&\[*!<>`_\]|]")
EMPHASIS_STOP_RE = re.compile(r"[\\\[*]")  # an escape, a link or the closing delimiter
CELL_SPLIT_RE = re.compile(r"\\.|\|", re.DOTALL)  # an escape pair, or a pipe that splits cells
HEADING_RE = re.compile(r"(#{1,6}) (\S.*)")
ITEM_RE = re.compile(r"- (\S.*)")
# A line that could start a block other than a paragraph, wherever it is in a block (Python-
# Markdown looks for most with search(), not only at a block's start). A superset of what the
# block processors tested before the paragraph match: any indent declines, and every ordered
# or bullet marker, "=" or "-" underline, rule, quote, table row and reference definition.
BLOCK_START_RE = re.compile(
    r"""^\ {0,3}(?:
        \#
      | >
      | \|
      | \d+[.)](?:\ |$)
      | [*+\-](?:\ |$)
      | [-=]+\ *$
      | (?:(?:-\ {0,2}){3,}|(?:_\ {0,2}){3,}|(?:\*\ {0,2}){3,})\ *$
      | \[[^\[\]]*\]:
    )""",
    re.MULTILINE | re.VERBOSE,
)


class Declined(Exception):
    """Something this module does not convert: Python-Markdown must."""


def enabled() -> bool:
    return markdown.__version__.startswith(CHECKED_VERSIONS)


# ------------------------------------------------------------------ inline


def inline(text: str, markup: bool = True, raw_escapes: bool = False) -> str:
    """HTML of inline text: escapes, entities, and (with markup) links, **strong** and *emphasis*.

    Raises Declined on anything else, or on a use of these that Python-Markdown's
    patterns could read differently (an unclosed or space-padded "*", a link inside a
    link, "*" in a link's text). With raw_escapes, an escaped character is left unescaped
    for HTML, as the toc extension sees a heading's text."""
    stop = STOP_RE.search(text)
    if stop is None:
        return text
    out: list[str] = [text[: stop.start()]]
    i, n = stop.start(), len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 >= n or text[i + 1] not in ESCAPABLE:
                raise Declined
            out.append(text[i + 1] if raw_escapes else escape_cdata(text[i + 1]))
            i += 2
        elif c == "&":
            m = ENTITY_RE.match(text, i)
            if m is None:
                raise Declined
            out.append(m.group(0))
            i = m.end()
        elif c == "[":
            if not markup:
                raise Declined
            html_, i = _link(text, i, raw_escapes)
            out.append(html_)
        elif c == "*":
            if not markup:
                raise Declined
            html_, i = _emphasis(text, i, raw_escapes)
            out.append(html_)
        elif c in DECLINED_INLINE or (c == "!" and text.startswith("[", i + 1)):
            raise Declined
        else:  # text up to the next character that may start something
            stop = STOP_RE.search(text, i + 1)
            j = n if stop is None else stop.start()
            out.append(text[i:j])
            i = j
    return "".join(out)


def _closing(text: str, start: int, char: str) -> int:
    """The position of the first unescaped `char` from start, or -1."""
    i = start
    while True:
        at = text.find(char, i)
        if at == -1:
            return -1
        if not _escaped(text, at, start):
            return at
        i = at + 1


def _escaped(text: str, at: int, start: int = 0) -> bool:
    """Whether text[at] follows an odd number of backslashes (counted back to start)."""
    backslashes = 0
    while at - 1 - backslashes >= start and text[at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _link_span(text: str, i: int) -> tuple[int, int]:
    """The positions of the "]" and the ")" of the [label](target) at i."""
    close = _closing(text, i + 1, "]")
    if close == -1 or _closing(text[:close], i + 1, "[") != -1 or text[close + 1 : close + 2] != "(":
        raise Declined
    end = text.find(")", close + 2)
    if end == -1 or not TARGET_RE.fullmatch(text, close + 2, end):
        raise Declined
    return close, end


def _link(text: str, i: int, raw_escapes: bool) -> tuple[str, int]:
    """[label](target) at i: its HTML and the position after it."""
    close, end = _link_span(text, i)
    label = inline(text[i + 1 : close], markup=False, raw_escapes=raw_escapes)
    return f'<a href="{escape_attribute_html(text[close + 2 : end])}">{label}</a>', end + 1


def _emphasis(text: str, i: int, raw_escapes: bool) -> tuple[str, int]:
    """**strong** or *emphasis* at i, their content holding no "*" but in a link's target:
    its HTML and the position after it. (Python-Markdown makes links before emphasis, so
    a "*" in a target is not a delimiter.)"""
    width = 2 if text.startswith("**", i) else 1
    if text.startswith("***", i):
        raise Declined
    start = close = i + width
    while True:
        mark = EMPHASIS_STOP_RE.search(text, close)
        if mark is None:
            raise Declined
        close = mark.start()
        if mark.group() == "*":
            break
        close = close + 2 if mark.group() == "\\" else _link_span(text, close)[1] + 1
    if close == start or text[start].isspace() or text[close - 1].isspace():
        raise Declined
    if width == 2 and not text.startswith("**", close):
        raise Declined  # "**a*": Python-Markdown's patterns try other readings
    if text.startswith("*", close + width):
        raise Declined
    tag = "strong" if width == 2 else "em"
    return f"<{tag}>{inline(text[start:close], raw_escapes=raw_escapes)}</{tag}>", close + width


# ------------------------------------------------------------------ blocks


@dataclass
class Item:
    """A list item: its text (a tight item) or its paragraphs, as Python-Markdown's tree has it."""

    text: str | None = None
    paragraphs: list[str] = field(default_factory=list)

    def wrap(self) -> None:
        """Move the item's text into a first paragraph (what Python-Markdown does when it
        finds the list is loose)."""
        if self.text:
            self.paragraphs.insert(0, self.text)
        self.text = None


@dataclass
class Document:
    """The top-level elements in order: ("h", level, text), ("p", text), ("ul", items), ("table", ...)."""

    elements: list[tuple] = field(default_factory=list)

    def last_list(self) -> list[Item] | None:
        if self.elements and self.elements[-1][0] == "ul":
            return self.elements[-1][1]
        return None


def _plain(block: str) -> None:
    """Decline a block any of whose lines Python-Markdown would read as more than a paragraph."""
    if block.startswith(" ") or BLOCK_START_RE.search(block):
        raise Declined


def parse_blocks(text: str) -> Document:
    """Python-Markdown's block parse of text, for the shapes this module converts."""
    doc = Document()
    blocks = text.split("\n\n")
    while blocks:
        block = blocks.pop(0)
        if not block or block.startswith("\n"):  # EmptyBlockProcessor (no code blocks here)
            if block[1:]:
                blocks.insert(0, block[1:])
            continue
        items = doc.last_list()
        if block.startswith(TAB):  # ListIndentProcessor: a paragraph of the last item
            lines = block.split("\n")
            if items is None or not all(line.startswith(TAB) for line in lines):
                raise Declined  # a code block
            paragraph = "\n".join(line[len(TAB) :] for line in lines)
            _plain(paragraph)
            items[-1].wrap()
            if paragraph.strip():  # a blank paragraph is dropped, the wrapping stays
                items[-1].paragraphs.append(paragraph)
            continue
        if block.startswith("|"):
            doc.elements.append(("table", *_table(block)))
            continue
        heading = HEADING_RE.fullmatch(block)
        if heading:
            title = heading.group(2)
            if (title.endswith("#") and not _escaped(title, len(title) - 1)) or title != title.rstrip():
                raise Declined  # closing hashes (only trailing ones: "&#61;" is an entity), trailing space
            doc.elements.append(("h", len(heading.group(1)), title))
            continue
        if block.startswith("- "):
            lines = block.split("\n")
            matches = [ITEM_RE.fullmatch(line) for line in lines]
            if not all(matches):
                raise Declined  # lazy continuation lines, nesting
            texts = [m.group(1) for m in matches]  # type: ignore[union-attr]
            for item in texts:
                _plain(item)
            if items is not None:  # the list goes on after a blank line: it is loose
                items[-1].wrap()
                items.append(Item(paragraphs=[texts[0]]))
                items.extend(Item(text=t) for t in texts[1:])
            else:
                doc.elements.append(("ul", [Item(text=t) for t in texts]))
            continue
        _plain(block)
        if block.strip():  # ParagraphProcessor drops a block of whitespace
            doc.elements.append(("p", block.lstrip()))
    return doc


def _cells(row: str) -> list[str]:
    """A bordered row's cells, split at unescaped "|" (TableProcessor._split without code spans)."""
    if len(row) < 2 or not row.startswith("|") or not row.endswith("|") or _escaped(row, len(row) - 1):
        raise Declined
    inner = row[1:-1]
    if "\\" not in inner:
        return inner.split("|")
    cells, start = [], 0
    for m in CELL_SPLIT_RE.finditer(inner):
        if m.group(0) == "|":
            cells.append(inner[start : m.start()])
            start = m.end()
    cells.append(inner[start:])
    return cells


def _table(block: str) -> tuple[list[str | None], list[str], list[list[str]]]:
    """A pipe table with borders: the columns' alignment, the header cells and the body rows."""
    rows = block.split("\n")
    if len(rows) < 2 or any(row != row.strip() for row in rows):
        raise Declined
    header, separator = _cells(rows[0]), _cells(rows[1])
    if len(separator) != len(header) or len(header) < 2 or not set("".join(separator)) <= set(":- "):
        raise Declined
    align: list[str | None] = []
    for cell in separator:
        cell = cell.strip(" ")
        if not cell:
            raise Declined
        left, right = cell.startswith(":"), cell.endswith(":")
        align.append("center" if left and right else "left" if left else "right" if right else None)
    body = [_cells(row) for row in rows[2:]]
    if any(len(cells) != len(header) for cells in body):
        raise Declined
    return align, [c.strip(" ") for c in header], [[c.strip(" ") for c in cells] for cells in body]


# ------------------------------------------------------------------ HTML


def _table_html(align: list[str | None], header: list[str], body: list[list[str]]) -> str:
    def row(cells: list[str], tag: str) -> str:
        parts = []
        for cell, side in zip(cells, align):
            attribute = f' align="{side}"' if side else ""
            parts.append(f"<{tag}{attribute}>{inline(cell)}</{tag}>")
        return "<tr>\n" + "\n".join(parts) + "\n</tr>"

    if body:
        rows = "\n".join(row(cells, "td") for cells in body)
    else:  # TableProcessor._build_empty_row: one row of empty cells, without their alignment
        rows = "<tr>\n" + "\n".join("<td></td>" for _ in align) + "\n</tr>"
    return f"<table>\n<thead>\n{row(header, 'th')}\n</thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _item_html(item: Item) -> str:
    if item.paragraphs:
        return "<li>\n" + "\n".join(f"<p>{inline(p)}</p>" for p in item.paragraphs) + "\n</li>"
    return f"<li>{inline(item.text or '')}</li>"


def convert(text: str) -> tuple[str, list[dict]] | None:
    """(HTML, toc tokens of <h2> and <h3>) as Python-Markdown with tables, toc (depth 2-3)
    and sane_lists makes them from text, or None when text is not in the subset."""
    if not enabled() or not text.strip() or any(c in text for c in ("\t", "\r", "\x02", "\x03", "  \n")):
        return None  # tabs, old line ends, Python-Markdown's placeholders, hard line breaks
    # Python-Markdown's whitespace normalisation: lines of spaces alone become blank.
    text = re.sub(r"(?<=\n) +\n", "\n", text.strip("\n") + "\n\n")
    try:
        doc = parse_blocks(text.rstrip("\n"))
        parts: list[str] = []
        used_ids: set[str] = set()
        counters: dict[str, int] = {}
        toc: list[dict] = []
        for element in doc.elements:
            kind = element[0]
            if kind == "h":
                level, inner = element[1], inline(element[2])
                name = strip_tags(inline(element[2], raw_escapes=True))
                anchor = unique(slugify(html.unescape(name), "-"), used_ids, counters)
                if level in (2, 3):
                    toc.append({"level": level, "id": anchor, "name": name})
                parts.append(f'<h{level} id="{escape_attribute_html(anchor)}">{inner}</h{level}>')
            elif kind == "p":
                parts.append(f"<p>{inline(element[1])}</p>")
            elif kind == "ul":
                parts.append("<ul>\n" + "\n".join(_item_html(item) for item in element[1]) + "\n</ul>")
            else:
                parts.append(_table_html(*element[1:]))
    except Declined:
        return None
    return "\n".join(parts).strip(), toc
