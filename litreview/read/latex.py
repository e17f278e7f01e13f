"""LaTeX in BibTeX fields as Unicode text: `{\\"u}` -> ü, `CO$_2$` -> CO₂, `{BERT}` -> BERT.

In BibTeX, LaTeX is markup, not data. pylatexenc does the conversion, but
it takes about 2 ms for a paragraph, so only the pieces of a field that are
markup go through it (each distinct piece once): a field without a
backslash, brace, dollar, tilde or dash pair is returned as it is (with its
whitespace collapsed), which is most abstracts. Simple math gets Unicode
sub- and superscripts where every character has one (`$_2$` -> ₂,
`$10^{-3}$` -> 10⁻³); other math is shown as its text (`$O(n^2)$` -> O(n²),
`$\\alpha$` -> α).
"""

from __future__ import annotations

import re
from functools import lru_cache

_MARKUP_CHARS = re.compile(r"[\\{}$~]|--|``|''")
_BRACED = r"\{[^{}]*(?:\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}[^{}]*)*\}"  # up to three levels deep
_SPAN = re.compile(
    r"\\(?:url|href)\s*\{[^{}]*\}(?:\s*\{[^{}]*\})?"  # links: the URL (or the link text) as written
    r"|\$\$?[^$]*\$\$?"  # math
    rf"|\\[A-Za-z]+\*?(?:\s*{_BRACED})*"  # \command{arg}...
    r"|\\[^A-Za-z\s](?:\s*(?:" + _BRACED + r"|[A-Za-z]))?"  # \"u, \'{e}, \&
    rf"|{_BRACED}"  # {BERT}, {\"u}
    r"|---?|``|''|~"
)
_ACCENT = re.compile(r"\\(?:[\"'`^~=.]|[uvHcdbtrk](?![A-Za-z]))\s*(?:\{\\?[A-Za-z]?\}|\\?[A-Za-z])")
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SUP = dict(zip("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", strict=True))
_SCRIPT = re.compile(r"([_^])(?:\{([^{}]*)\}|(\\?[A-Za-z0-9+\-=()]))")


def latex_to_text(value: str, collapse: bool = True) -> str:
    """A BibTeX field value as plain Unicode text on one line (collapse=False: keep its spacing)."""
    if _MARKUP_CHARS.search(value) is None:
        return " ".join(value.split()) if collapse else value
    parts, end = [], 0
    for m in _SPAN.finditer(value):
        parts += [value[end : m.start()], _convert(m.group(0))]
        end = m.end()
    parts.append(value[end:])
    if any(c in gap for gap in parts[::2] for c in "\\{}$"):  # markup no span covered (deeper nesting)
        text = _convert_all(value)
    else:
        text = "".join(parts)
    text = text.replace("\u00a0", " ")
    return " ".join(text.split()) if collapse else text


@lru_cache(maxsize=20_000)
def _convert(span: str) -> str:
    if span.startswith(("\\url", "\\href")):
        args = re.findall(r"\{([^{}]*)\}", span)
        return args[-1] if args else ""
    if span.startswith("$"):
        return _math(span.strip("$"))
    if span == "~":
        return " "
    if span.startswith("{"):  # a group ({BERT}, {\"u}, {\copyright}): its content, converted the same way
        inner = span[1:-1]
        if re.fullmatch(r"\\[A-Za-z]+\s*(?:\{\})?", inner.strip()):
            return _convert(inner.strip())
        switch = re.match(r"\\(?:bf|it|em|rm|sc|sf|tt|sl|upshape|itshape|bfseries|scshape)\b\s*", inner)
        if switch:  # {\bf x}: the font switch goes, the text stays
            return latex_to_text(inner[switch.end() :], collapse=False)
        if not _ACCENT.fullmatch(inner):  # {\"u}, {\'e}, {\c c}: accents go to pylatexenc with their group
            return latex_to_text(inner, collapse=False)
    name = span.split("{", 1)[0].rstrip()
    if name in _TEXT_SYMBOLS and span[len(name) :].strip() in ("", "{}"):
        return _TEXT_SYMBOLS[name]
    return _pylatexenc(span)


# The commands our own papers.bib writes for characters BibTeX cannot hold as they are, read back as written.
_TEXT_SYMBOLS = {
    "\\textbackslash": "\\",
    "\\textbraceleft": "{",
    "\\textbraceright": "}",
    "\\textasciicircum": "^",
    "\\textasciitilde": "~",
    "\\textless": "<",
    "\\textgreater": ">",
    "\\textbar": "|",
    "\\copyright": "©",
    "\\textcopyright": "©",
    "\\textregistered": "®",
    "\\texttrademark": "™",
}


def _math(math: str) -> str:
    """Simple inline math as Unicode: scripts where every character has one, commands to symbols."""

    def script(m: re.Match) -> str:
        body = m.group(2) if m.group(2) is not None else m.group(3)
        table = _SUB if m.group(1) == "_" else _SUP
        if body and all(c in table for c in body):
            return "".join(table[c] for c in body)
        return m.group(0)

    text = _SCRIPT.sub(script, math)
    if any(c in text for c in "\\{}_^"):
        text = _pylatexenc(text, math=True)
    return text


def _convert_all(value: str) -> str:
    value = re.sub(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{([^{}]*)\})?", lambda m: m.group(2) or m.group(1), value)
    value = re.sub(r"\$\$?([^$]*)\$\$?", lambda m: _math(m.group(1)), value)
    return _pylatexenc(value)


def _pylatexenc(text: str, math: bool = False) -> str:
    return _converter().latex_to_text(text if not math else text.replace("\\", " \\").strip())


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text  # lazy: a build that reads no .bib never imports it

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
