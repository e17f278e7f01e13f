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
  "Megatron" when "Megatron-LM" itself is not declared) or a size
  ("OPT-66B", "Llama-2-7B"); a version number is another name ("GPT-3" is
  not found in "GPT-3.5", "Llama" not in "Llama-2").

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


_TOKEN_RE = re.compile(r"\w+")
# A size ("-7B", "-1.3B") or a plural or possessive may follow a spelling; then no more of a word
# and no version: "GPT-3" is not in "GPT-3.5", "Llama" not in "Llama-2".
_END_RE = re.compile(r"(?:-\d+(?:\.\d+)?[BMK])?(?:s|'s)?(?![\w]|\.\d|-\d)")


class Matcher:
    """Every spelling of every entity, found by its first word.

    One alternation of hundreds of spellings would be tried at every
    character of every abstract; instead each word of the text looks up the
    spellings that start with it (longest first) and compares only those.
    Text is matched with its whitespace collapsed, as spellings are.
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = list(entities)
        index: dict[str, int] = {}
        for number, entity in enumerate(self.entities):
            for alias in entity.aliases:
                index.setdefault(" ".join(alias.split()), number)
        self._by_word: dict[str, list[tuple[str, int]]] = {}
        for alias in sorted(index, key=lambda a: (-len(a), a)):
            first = _TOKEN_RE.match(alias)
            if first is not None:  # a spelling that starts with punctuation cannot start a word
                self._by_word.setdefault(first.group(0), []).append((alias, index[alias]))

    def find(self, text: str) -> list[tuple[int, int, Entity]]:
        """(start, end, entity) of every mention in text (offsets in normalise(text)), in order,
        none overlapping."""
        found: list[tuple[int, int, Entity]] = []
        text = normalise(text)
        if not self._by_word or not text:
            return found
        by_word = self._by_word
        words = set(_TOKEN_RE.findall(text))  # the words once each, then only where one starts a spelling
        starts = sorted(
            {
                at
                for word in words
                for key in (word, word[:-1] if word.endswith("s") else "")
                if key in by_word
                for at in _occurrences(text, key)
            }
        )
        end = 0
        for start in starts:
            if start < end:
                continue
            key = _TOKEN_RE.match(text, start).group(0)  # type: ignore[union-attr]
            candidates = by_word.get(key) or by_word.get(key[:-1], [])
            for alias, number in candidates:
                if text.startswith(alias, start):
                    tail = _END_RE.match(text, start + len(alias))
                    if tail is not None:
                        found.append((start, tail.end(), self.entities[number]))
                        end = tail.end()
                        break
        return found

    def names(self, text: str) -> list[Entity]:
        """The entities text mentions, each once, first mention first."""
        seen: dict[str, Entity] = {}
        for _, _, entity in self.find(text):
            seen.setdefault(entity.name, entity)
        return list(seen.values())


def _occurrences(text: str, word: str) -> list[int]:
    """Where word starts a word of text (not after a letter, digit, "_" or "-")."""
    found = []
    at = text.find(word)
    while at >= 0:
        if at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_-"):
            found.append(at)
        at = text.find(word, at + 1)
    return found


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces: how abstracts are matched and split."""
    return " ".join(text.split())


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
    text = normalise(abstract)
    mentions = matcher.find(text)
    own = matcher.names(title)
    by_category: dict[str, list[str]] = {}
    for entity in [*own, *(m[2] for m in mentions)]:
        names = by_category.setdefault(entity.category, [])
        if entity.name not in names:
            names.append(entity.name)
    skip = {entity.name for entity in own}
    baselines: list[str] = []
    offset = 0
    for sentence in split_sentences(text) if mentions else []:
        begin = text.find(sentence, offset)
        if begin < 0:
            continue
        offset = begin + len(sentence)
        inside = [(start - begin, entity) for start, _, entity in mentions if begin <= start < offset]
        if not inside:
            continue
        for start, end in comparison_windows(sentence):
            for m_start, entity in inside:
                if start <= m_start < end and entity.name not in baselines and entity.name not in skip:
                    baselines.append(entity.name)
    for phrase in claim_baselines:
        for entity in matcher.names(phrase):
            if entity.name not in baselines and entity.name not in skip:
                baselines.append(entity.name)
    return Found(tuple((c, tuple(n)) for c, n in by_category.items()), tuple(baselines))
