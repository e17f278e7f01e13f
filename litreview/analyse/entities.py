"""Find content/entities.yml's names in a paper's title and abstract, and what it compares against.

Matching is on whole words, for every spelling (alias) of an entity, the
longest spelling first, so "Llama 2" wins over "Llama" where both are
declared. The rules are those of names:

* a spelling matches with its case as written: "A100", the acronym "OPT"
  (not the verb "opt"), "ZeRO" (not "zero-shot"), "Frontier" (not "the
  Pareto frontier"); another casing ("Pytorch") is another alias;
* spaces match any run of whitespace (abstracts wrap lines);
* a spelling never matches inside a word ("A100" not in "XA100", "TPU" not
  in "TPUs-like"), but may carry a plural "s" or a possessive ("A100s",
  "Adam's") or a hyphenated word ("ResNet-based", "Megatron-LM" for
  "Megatron" when "Megatron-LM" itself is not declared); a version number
  is another name ("GPT-3" is not found in "GPT-3.5", "Llama" not in
  "Llama-2").

A baseline is an entity named in a comparative phrase of the abstract
("outperforms X and Y", "2x faster than X", "compared with X", "over X",
"vs. X") up to the end of that phrase, or in the baseline of one of the
paper's claims; never one its title names (the paper's own system).
Comparative words are English, the names come from content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from litreview.analyse.sentences import split_sentences
from litreview.model import Entity

# A comparative phrase opens a window in which every entity is a baseline.
_CUE_RE = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|improv(?:es|ed|ing) (?:up)?on"
    r"|over|compar(?:e|es|ed|ing)(?:\s+(?!(?:to|with|against)\b)[\w-]+){0,4}?\s+(?:to|with|against)|comparisons? (?:to|with|against)|in contrast to|relative to"
    r"|than|vs\.?|versus|against)(?=\W)",
    re.IGNORECASE,
)
# The window ends at a clause boundary or a word that starts another part of the sentence
# ("... than X on an A100", "... over X by 2x", "... over X while ...").
_WINDOW_END_RE = re.compile(
    r"[;:]|\s[-–—]\s|\b(?:by|while|whereas|on|in|across|at|for|when|where|which|that|using|under|from|"
    r"through|during|achieving|reaching|and (?:achieves?|reduces?|improves?|is|are|uses?))\b",
    re.IGNORECASE,
)
_WINDOW_WORDS = 16
_PARENTHESES_RE = re.compile(r"\([^()]*\)")


def strip_cue(phrase: str) -> str:
    """A baseline phrase without the comparative words that open it: "compared to vLLM" -> "vLLM"."""
    text = " ".join(phrase.split())
    while True:
        cue = _CUE_RE.match(text)
        if cue is None:
            return text
        rest = text[cue.end() :].lstrip(" ,")
        if not rest:
            return text
        text = rest


@dataclass(frozen=True)
class Found:
    """What one paper names: entities by category (first mention first) and its baselines."""

    by_category: tuple[tuple[str, tuple[str, ...]], ...]
    baselines: tuple[str, ...]


class Matcher:
    """One compiled pattern for every spelling of every entity."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = list(entities)
        self._index: dict[str, int] = {}
        for index, entity in enumerate(self.entities):
            for alias in entity.aliases:
                self._index.setdefault(alias, index)
        parts = [_spelling(alias) for alias in sorted(self._index, key=lambda a: (-len(a), a))]
        self._pattern = re.compile(r"(?<![\w-])(" + "|".join(parts) + r")(?:s|'s)?(?![\w]|\.\d|-\d)") if parts else None

    def find(self, text: str) -> list[tuple[int, int, Entity]]:
        """(start, end, entity) of every mention in text, in order."""
        if self._pattern is None or not text:
            return []
        found = []
        for match in self._pattern.finditer(text):
            index = self._index.get(" ".join(match.group(1).split()))
            if index is not None:
                found.append((match.start(), match.end(), self.entities[index]))
        return found

    def names(self, text: str) -> list[Entity]:
        """The entities text mentions, each once, first mention first."""
        seen: dict[str, Entity] = {}
        for _, _, entity in self.find(text):
            seen.setdefault(entity.name, entity)
        return list(seen.values())


def _spelling(alias: str) -> str:
    """An alias as a pattern: its words separated by any whitespace (abstracts wrap lines)."""
    return r"\s+".join(re.escape(word) for word in alias.split())


def comparison_windows(sentence: str) -> list[tuple[int, int]]:
    """The spans of a sentence that name what it compares against."""
    spans = []
    masked = _PARENTHESES_RE.sub(lambda m: "(" + "x" * (len(m.group(0)) - 2) + ")", sentence)
    for cue in _CUE_RE.finditer(sentence):
        start = cue.end()
        rest = masked[start:]  # a parenthesis ("(e.g., X, Y and Z)") belongs to the phrase before it
        end = len(sentence)
        stop = _WINDOW_END_RE.search(rest)
        if stop is not None:
            end = start + stop.start()
        words = list(re.finditer(r"\S+", masked[start:end]))
        if len(words) > _WINDOW_WORDS:
            end = start + words[_WINDOW_WORDS - 1].end()
        spans.append((start, end))
    return spans


def find_entities(matcher: Matcher, title: str, abstract: str, claim_baselines: Iterable[str] = ()) -> Found:
    """The entities a paper names in its title and abstract, and those it compares against:
    a pure function (engine/steps.py memoises it)."""
    by_category: dict[str, list[str]] = {}
    for entity in matcher.names(title + "\n" + abstract):
        names = by_category.setdefault(entity.category, [])
        if entity.name not in names:
            names.append(entity.name)
    own = {entity.name for entity in matcher.names(title)}
    baselines: list[str] = []
    for sentence in split_sentences(abstract):
        mentions = matcher.find(sentence)
        if not mentions:
            continue
        for start, end in comparison_windows(sentence):
            for m_start, _, entity in mentions:
                if start <= m_start < end and entity.name not in baselines and entity.name not in own:
                    baselines.append(entity.name)
    for text in claim_baselines:
        for entity in matcher.names(text):
            if entity.name not in baselines and entity.name not in own:
                baselines.append(entity.name)
    return Found(tuple((c, tuple(n)) for c, n in by_category.items()), tuple(baselines))
