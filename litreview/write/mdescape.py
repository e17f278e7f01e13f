"""Escape seed text so Markdown shows it exactly as written, never as markup.

Seed titles and abstracts are data: a title holding ``*bold*``, ``<script>``,
``[x](javascript:...)``, ``^{2}`` or ``|`` must come out of the Markdown
renderer as those very characters. The review pages are rendered with
Python-Markdown and the extensions ``tables``, ``toc`` and ``sane_lists``
(``attr_list`` is harmless too, since ``{`` and ``}`` are escaped); the
escaping below is checked against exactly that set by property tests.

Rules, and why:

- ``&``, ``<`` become ``&amp;``, ``&lt;``: Python-Markdown has no backslash
  escape for them, and entities stop raw HTML, autolinks (``<http://..>``)
  and entity look-alikes (a literal ``&amp;`` stays visible as ``&amp;``).
- Every other character Python-Markdown can backslash-escape and that can
  start markup anywhere in a line (``\\ ` * _ { } [ ] > # |``) gets a
  backslash; ``|`` needs the ``tables`` extension for that (it adds ``|``
  to the escapable characters), which the site always uses.
- ``( ) ! . + - =`` only form markup after ``[``/``]`` (escaped) or at the
  start of a line (list markers, ``1.``, setext underlines), so they are
  escaped only there (``=`` as ``&#61;``, it has no backslash escape), which
  keeps the generated Markdown readable.
- ``]`` before ``:`` becomes ``&#93;``: Python-Markdown takes ``[x\\]: y`` at
  the start of a line for a reference definition even with the backslash.
- Whitespace runs (newlines included) collapse to one space: inline text
  has no line structure, and a newline could otherwise start a list,
  heading or quote. Control characters are dropped; they are not valid in
  HTML and Python-Markdown uses two of them as internal placeholders.

Bare URLs are never autolinked by Python-Markdown, so a URL in a title stays
text; only :func:`md_link` makes links, and only to http(s) addresses.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from litreview.utils.urls import is_web_url

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE_ALWAYS = {
    "&": "&amp;",
    "<": "&lt;",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
    "[": "\\[",
    "]": "\\]",
    ">": "\\>",
    "#": "\\#",
    "|": "\\|",
}
_ESCAPE_TABLE = str.maketrans(_ESCAPE_ALWAYS)
# A line that starts like a list item ("- ", "+ ", "1. ", "1) "), a rule or a
# setext underline ("--", "=="); "3.7x" or "-based" need no escape.
_LEADING_MARKER_RE = re.compile(r"^(?:[-+=](?=\s|$|[-+=])|\d+(?=[.)](?:\s|$)))")
# Characters an URL may keep as they are inside Markdown's (...) link target.
_URL_SAFE = "-._~:/?#@!$&'*+,;=%"


def normalise_text(text: str) -> str:
    """The text as a reader sees it: control characters dropped, whitespace collapsed."""
    return " ".join(_CONTROL_RE.sub("", text).split())


def escape_markdown(text: str | None) -> str:
    """Inline Markdown that renders back to exactly ``normalise_text(text)``."""
    if not text:
        return ""
    text = normalise_text(text)
    escaped = text.translate(_ESCAPE_TABLE)
    # "]:" right after a "[" that opens a line reads as a reference definition
    # ("[label]: url"), backslash or not; an entity has no "]" to match.
    escaped = escaped.replace("\\]:", "&#93;:")
    marker = _LEADING_MARKER_RE.match(escaped)
    if marker:
        if marker.group(0)[0].isdigit():  # "1." or "1)" ordered-list marker
            end = marker.end()
            escaped = escaped[:end] + "\\" + escaped[end:]
        elif escaped[0] == "=":  # setext underline; "=" has no backslash escape
            escaped = "&#61;" + escaped[1:]
        else:  # "-" or "+": bullet, rule or setext underline
            escaped = "\\" + escaped
    return escaped


def escape_table_cell(text: str | None) -> str:
    """Escaped text for a Markdown table cell: never splits the row, never empty-looking."""
    # escape_markdown already escapes "|" and collapses newlines (a newline
    # would end the row), which is all a cell needs beyond inline text.
    return escape_markdown(text)


def link_target(url: str) -> str:
    """An http(s) URL made safe inside Markdown's ``(...)``: brackets, quotes, backslashes,
    backticks and pipes percent-encoded, so the target cannot end early, start a code span
    or split a table row."""
    return quote(url, safe=_URL_SAFE)


def md_link(text: str | None, url: str | None) -> str:
    """``[text](url)`` for an http(s) URL; for anything else just the escaped text."""
    label = escape_markdown(text) or escape_markdown(url)
    if not is_web_url(url):
        return label
    return f"[{label}]({link_target(url)})"


def md_relative_link(text: str | None, path: str) -> str:
    """``[text](path)`` to a page of this site (a relative path we generated ourselves)."""
    if "://" in path or path.startswith(("/", "\\")) or ":" in path.split("/", 1)[0]:
        raise ValueError(f"not a relative site path: {path!r}")
    return f"[{escape_markdown(text)}]({link_target(path)})"
