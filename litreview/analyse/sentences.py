"""Split an abstract into sentences, without breaking at abbreviations or URLs."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and
# an upper-case letter, digit or opening bracket.
_BOUNDARY_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs al cf fig figs eq eqs sec approx resp w.r.t no nos ca incl resp et ref refs dr mr ms st vol".split()
)
_URL_IN_TEXT_RE = re.compile(r"https?://\S+$")
_CLOSING = "\"')]"


def _ends_with_abbreviation(piece: str) -> bool:
    """True when the full stop ending ``piece`` belongs to "e.g.", "et al.", an initial or "3."."""
    token = piece.rstrip().rstrip(_CLOSING)
    token = token[:-1] if token.endswith((".", "!", "?")) else token
    last = token.rsplit(None, 1)[-1] if token.strip() else ""
    last = last.lstrip("([\"'")
    if last.lower() in _ABBREVIATIONS:
        return True
    if len(last) == 1 and last.isupper():  # an initial: "J. Smith"
        return True
    if last.isdigit() and len(last) <= 2 and len(piece.strip()) <= 3:  # "3." list numbering
        return True
    return "://" in last and bool(_URL_IN_TEXT_RE.search(last))  # a dot inside a URL


def split_sentences(text: str) -> list[str]:
    """Sentences of an abstract; abbreviations (e.g., et al., vs.) and decimals don't split."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        piece = text[start : match.end()]
        if _ends_with_abbreviation(piece):
            continue
        sentences.append(piece.strip())
        start = match.end()
    if text[start:].strip():
        sentences.append(text[start:].strip())
    return sentences
