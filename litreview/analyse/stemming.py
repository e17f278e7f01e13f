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
memoised because a word's stem never changes. A term written with
`match: exact` is compared with the same two levels of lowercase written
words instead, unstemmed (ExactAnalyser), so "General" matches "general"
but not "generalization", and "serve" not "serving".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat

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


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of one lowercase word ("quantized" -> "quantiz")."""
    return porter_stemmer.stem(word)


@lru_cache(maxsize=65536)
def _piece_spans(word: str) -> tuple[tuple[int, int], ...]:
    """Where each piece of a word is: digit runs, letter runs, and a letter run's camelCase
    humps when every hump has at least three letters."""
    spans: list[tuple[int, int]] = []
    for m in _PIECE.finditer(word):
        humps = [] if m.group().isdigit() else list(_HUMP.finditer(m.group()))
        if len(humps) > 1 and min(h.end() - h.start() for h in humps) >= 3:
            spans += [(m.start() + h.start(), m.start() + h.end()) for h in humps]
        else:
            spans.append(m.span())
    return tuple(spans)


def pieces(word: str) -> tuple[str, ...]:
    """A written word split at hyphens, letter/digit boundaries and camelCase, lowercased."""
    return tuple(word[start:end].lower() for start, end in _piece_spans(word))


def glued(word: str) -> tuple[bool, ...]:
    """For each of pieces(word): whether it follows the previous piece with nothing between
    ("S3D": s, 3 glued, d glued; "3D-aware": the same for d, not for aware)."""
    spans = _piece_spans(word)
    return tuple(i > 0 and spans[i - 1][1] == start for i, (start, _) in enumerate(spans))


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

    compounds: tuple[str, ...]  # one stem per written word
    parts: tuple[str, ...]  # the same object as compounds when no word was split
    words: tuple[str, ...]
    counts: tuple[int, ...] | None = None  # parts per word, when some word was split
    _spans: list[tuple[int, int]] | None = None
    _owner: list[int] | None = None

    def owners(self) -> list[int]:
        """The index of the written word each part-level token came from."""
        if self._owner is None:
            counts = self.counts if self.counts is not None else repeat(1, len(self.words))
            self._owner = list(chain.from_iterable(map(repeat, range(len(self.words)), counts)))
        return self._owner

    def written(self, text: str, level: int, start: int, length: int) -> str:
        """The words of `text` that tokens start..start+length-1 at `level` came from, as written."""
        first, last = start, start + length - 1
        if level == 1 and self.counts is not None:
            owner = self.owners()
            first, last = owner[first], owner[last]
        if first == last:
            return self.words[first]
        if self._spans is None:  # found once, when a phrase is first shown
            self._spans = [m.span() for m in _WORD.finditer(_without_possessives(text))]
        return text[self._spans[first][0] : self._spans[last][1]]


class Analyser:
    """Tokenises texts against a known set of rule stems.

    Porter stemming only rewrites a word's ending, so a word whose first three
    letters start no rule stem can never stem to one; such words are not
    stemmed at all (they keep their written form, which matches nothing).
    That keeps a cold build from stemming the whole vocabulary of the seeds.
    Each written word is analysed once; its stems are memoised.
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
        self.compound_of: dict[str, str] = {}  # written word -> compound stem
        self.parts_of: dict[str, tuple[str, ...]] = {}  # written word -> part stems (at least one)
        self.split: set[str] = set()  # written words of more than one part

    def _stem(self, word: str) -> str:
        if word[:3] in self.prefixes or word[:2] in self.short or word[:1] in self.short:
            return stem(word)
        return word

    def analyse(self, word: str) -> tuple[str, tuple[str, ...]]:
        """A written word's compound stem and part stems."""
        if word not in self.compound_of:
            if word.isalpha() and (word.islower() or word.istitle() or word.isupper()):
                split: tuple[str, ...] = (word.lower(),)  # the common case: one piece, no camelCase
            else:
                split = pieces(word) or (word.lower(),)  # no letters or digits ("_"): matches nothing
            compound = self._stem("".join(split))
            self.compound_of[word] = compound
            self.parts_of[word] = (compound,) if len(split) == 1 else tuple(map(self._stem, split))
            if len(split) > 1:
                self.split.add(word)
        return self.compound_of[word], self.parts_of[word]

    def tokenize(self, text: str) -> Tokens:
        return self.sequences(words(text))

    def sequences(self, written: list[str]) -> Tokens:
        """Stems of already split written words, at both levels."""
        compounds = tuple(map(self.compound_of.get, written))
        if None in compounds:
            for word in set(written).difference(self.compound_of):
                self.analyse(word)
            compounds = tuple(map(self.compound_of.__getitem__, written))
        if self.split.isdisjoint(written):  # every word is one part, whose stem is the compound's
            return Tokens(compounds, compounds, tuple(written))
        parts = tuple(chain.from_iterable(map(self.parts_of.__getitem__, written)))
        return Tokens(compounds, parts, tuple(written), tuple(map(len, map(self.parts_of.__getitem__, written))))


class FullAnalyser(Analyser):
    """Stems every word (no shortcut): the reference the shortcut is tested against."""

    def __init__(self) -> None:
        super().__init__(())

    def _stem(self, word: str) -> str:
        return stem(word)


class ExactAnalyser(Analyser):
    """The lowercase written words at both levels, unstemmed: what `match: exact` terms are compared with."""

    def __init__(self) -> None:
        super().__init__(())

    def _stem(self, word: str) -> str:
        return word


@lru_cache(maxsize=4096)
def term_words(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An exact rule term's lowercase words at the compound and the part level."""
    tokens = ExactAnalyser().tokenize(term)
    return tokens.compounds, tokens.parts


@lru_cache(maxsize=4096)
def term_stems(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A rule term's stems at the compound and the part level."""
    tokens = FullAnalyser().tokenize(term)
    return tokens.compounds, tokens.parts


def tokenize(text: str) -> Tokens:
    """Stem every word of a text at both levels (no shortcut)."""
    return FullAnalyser().tokenize(text)
