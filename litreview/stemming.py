"""Words and stems for rule matching: one tokeniser for texts and for rule terms.

Titles are written as "4-bit", "INT8", "Mixture-of-Experts", "W4A4KV4" or
"fine-tuning", and rules as "4-bit", "int8", "mixture of experts" or
"finetuning". Every written word (hyphens included) is seen at two levels, so
that all of those spellings meet:

- the compound level: the word with its hyphens removed ("4bit", "int8",
  "mixtureofexperts", "finetuning"), one stem per written word;
- the part level: the word split at hyphens and at letter/digit boundaries
  ("4" "bit", "int" "8", "mixture" "of" "experts", "fine" "tuning").

A rule term matches when its stems occur consecutively at either level.
Stems come from lunr's Porter stemmer (the one the search index uses),
memoised because a word's stem never changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from typing import Iterable

from lunr.stemmer import porter_stemmer

# A written word: letters and digits, possibly joined by hyphens (ASCII, or the
# Unicode hyphen and non-breaking hyphen). Other punctuation separates words.
_WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*")
# Pieces of a word: digit runs and letter runs; a letter run is split at its
# camelCase humps ("PipeOffload" -> "Pipe" "Offload") when every hump has at
# least three letters, so "MoE", "LoRA", "vLLM", "KVCache" and "GPipe" stay whole.
_PIECE = re.compile(r"\d+|[^\W\d_]+")
_HUMP = re.compile(r"[A-Z]+s?(?![a-z])|[A-Z][a-z]+|[^\W\d_A-Z]+|[^\W\d_]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_first, _second = itemgetter(0), itemgetter(1)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of one lowercase word ("quantized" -> "quantiz")."""
    return porter_stemmer.stem(word)


@lru_cache(maxsize=65536)
def pieces(word: str) -> tuple[str, ...]:
    """A written word split at hyphens, letter/digit boundaries and camelCase, lowercased."""
    split: list[str] = []
    for piece in _PIECE.findall(word):
        humps = _HUMP.findall(piece) if not piece.isdigit() else [piece]
        split += humps if len(humps) > 1 and min(map(len, humps)) >= 3 else [piece]
    return tuple(piece.lower() for piece in split)


def _without_possessives(text: str) -> str:
    """The text with "'s" blanked out, keeping every offset."""
    return _POSSESSIVE.sub("  ", text) if "'" in text or "\u2019" in text else text


def words(text: str) -> list[str]:
    """The written words of a text (case kept, for camelCase), possessives ("Adam's") dropped."""
    return _WORD.findall(_without_possessives(text))


@dataclass
class Tokens:
    """A text as stems at the compound and the part level, with the written
    words they came from (to show a match as written)."""

    compounds: tuple[str, ...]
    parts: tuple[str, ...]
    words: tuple[str, ...]
    analysed: list[tuple[str, tuple[str, ...], tuple[str, ...]]]
    _spans: list[tuple[int, int]] | None = None

    def written(self, text: str, level: int, start: int, length: int) -> str:
        """The words of `text` that tokens start..start+length-1 at `level` came from, as written."""
        if level == 0:
            first, last = start, start + length - 1
        else:
            owner = [w for w, a in enumerate(self.analysed) for _ in a[1]]
            first, last = owner[start], owner[start + length - 1]
        if self._spans is None or len(self._spans) <= last:  # spans are found lazily, as far as needed
            matches = _WORD.finditer(_without_possessives(text))
            self._spans = [m.span() for m in islice(matches, max(last + 1, 2 * len(self._spans or ())))]
        return text[self._spans[first][0] : self._spans[last][1]]


class Analyser:
    """Tokenises texts against a known set of rule stems.

    Porter stemming only rewrites a word's ending, so a word whose first three
    letters start no rule stem can never stem to one; such words are not
    stemmed at all (they keep their written form, which matches nothing).
    That keeps a cold build from stemming the whole vocabulary of the seeds.
    """

    def __init__(self, rule_stems: Iterable[str]):
        self.prefixes: set[str] = set()
        self.short: set[str] = set()
        for s in rule_stems:
            if len(s) < 3:
                self.short.add(s)
            else:
                self.prefixes.add(s[:3])
                if s[2] == "i":  # "key" -> "kei": a final y becomes i
                    self.prefixes.add(s[:2] + "y")
        self.memo: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def _stem(self, word: str) -> str:
        if word[:3] in self.prefixes or word[:2] in self.short or word[:1] in self.short:
            return stem(word)
        return word

    def analyse(self, word: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """A written word's compound stem, part stems and pieces."""
        found = self.memo.get(word)
        if found is None:
            split = pieces(word)
            joined = "".join(split)
            compound = self._stem(joined)
            parts = (compound,) if len(split) == 1 else tuple(self._stem(p) for p in split)
            found = self.memo[word] = (compound, parts, split)
        return found

    def tokenize(self, text: str) -> Tokens:
        return self.sequences(words(text))

    def sequences(self, written: list[str]) -> Tokens:
        """Stems of already split written words, at both levels."""
        analysed = list(map(self.memo.get, written))
        if None in analysed:
            analysed = [a or self.analyse(w) for a, w in zip(analysed, written)]
        if not all(map(_first, analysed)):  # a word of combining marks only: nothing to stem
            keep = [i for i, a in enumerate(analysed) if a[0]]
            written, analysed = [written[i] for i in keep], [analysed[i] for i in keep]
        compounds = tuple(map(_first, analysed))
        parts = tuple(chain.from_iterable(map(_second, analysed)))
        if len(parts) == len(compounds):
            parts = compounds  # no word was split: both levels are the same sequence
        return Tokens(compounds, parts, tuple(written), analysed)


class FullAnalyser(Analyser):
    """Stems every word (no shortcut): the reference the shortcut is tested against."""

    def __init__(self) -> None:
        super().__init__(())

    def _stem(self, word: str) -> str:
        return stem(word)


@lru_cache(maxsize=4096)
def term_stems(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A rule term's stems at the compound and the part level."""
    tokens = FullAnalyser().tokenize(term)
    return tokens.compounds, tokens.parts


def tokenize(text: str) -> Tokens:
    """Stem every word of a text at both levels (no shortcut)."""
    return FullAnalyser().tokenize(text)
