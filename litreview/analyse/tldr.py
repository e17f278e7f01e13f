"""A one-sentence TL;DR of an abstract: the sentence that states the contribution."""

from __future__ import annotations

import re
from typing import NamedTuple

from litreview.analyse.sentences import split_sentences

_VERBS_MAKE = r"(?:propose|present|introduce|develop|design|build|describe|contribute|release|open-source|create|devise|offer|put forward|unveil|construct|implement)"
_VERBS_FIND = (
    r"(?:show|demonstrate|find|prove|study|investigate|explore|analy[sz]e|examine|evaluate|characteri[sz]e|identify|"
    r"report|formulate|derive|establish|argue|revisit|benchmark|compare|tackle|address|leverage|apply|adopt|extend|"
    r"provide|train|fine-tune|scale|present|enable|achieve|reduce|improve|focus|consider|perform|conduct|use|survey|review)"
)
_SUBJECT_AT_RE = re.compile(
    r"(?:we|this (?:paper|work|article|study|report|thesis|survey|note|position paper))\b", re.I
)
_MAKE_AFTER_RE = re.compile(rf"[^.;]{{0,60}}?\b{_VERBS_MAKE}[sd]?\b", re.I)
_FIND_AFTER_RE = re.compile(rf"[^.;]{{0,40}}?\b{_VERBS_FIND}", re.I)
_OUR_SYSTEM_RE = re.compile(  # "our system Nexus achieves ...": a name, so case-sensitive
    r"\b[Oo]ur (?:new |novel |proposed )?(?:system|method|approach|framework|design|technique|algorithm|library|"
    r"compiler|scheduler|engine|tool|architecture|model)\s+[A-Z][\w-]*"
)
_THIS_PAPER_RE = re.compile(
    r"^(?:in )?(?:this|the present|our) (?:paper|work|article|study|report|thesis|survey)\b", re.I
)


def _word_positions(lower: str, word: str) -> list[int]:
    """Where ``word`` occurs as a whole word in lower-cased text (str.find: much faster than a regex)."""
    positions = []
    at = lower.find(word)
    while at != -1:
        end = at + len(word)
        if (at == 0 or not lower[at - 1].isalnum()) and (end == len(lower) or not lower[end].isalnum()):
            positions.append(at)
        at = lower.find(word, end)
    return positions


def _sentence_score(sentence: str, title: str) -> int:
    """How clearly a sentence states the paper's contribution (0..10).

    10 "we propose/present/introduce ...", 9 "This paper ...", 8 "FlashKAT is a ..."
    (a name from the title), 6 "we show/study/find ...", 3 any other "we"/"our".
    """
    lower = sentence.lower()
    if "http" in lower or "github" in lower:
        return 2  # "We release our code at https://...": where to get it, not what it is
    score = 0
    subjects = [at for word in ("we", "this") for at in _word_positions(lower, word)]
    for at in sorted(subjects):
        subject = _SUBJECT_AT_RE.match(sentence, at)
        if not subject:
            continue
        if _MAKE_AFTER_RE.match(sentence, subject.end()):
            return 10
        if score < 6 and _FIND_AFTER_RE.match(sentence, subject.end()):
            score = 6
    if lower.startswith(("this ", "in this ", "the present ", "our ")) and _THIS_PAPER_RE.match(sentence):
        return 9 if len(sentence.split()) >= 9 else 5  # "This work aims to demystify Lion." says little
    if score < 7 and "our " in lower and _OUR_SYSTEM_RE.search(sentence):
        return 7
    if score < 8 and _is_name_sentence(sentence, title):
        return 8
    if score < 3 and (_word_positions(lower, "we") or _word_positions(lower, "our")):
        score = 3
    return score


_LEAD_IN_RE = re.compile(  # openings that carry no content: dropped from the TL;DR
    r"^(?:(?:(?:In|Within) (?:this|the present) (?:paper|work|article|study|report)|Here|Herein),?\s+(?=we\b)|"
    r"(?:To (?:this end|that end|(?:address|tackle|overcome|solve|bridge|fill|mitigate|remedy|fix|close|resolve|"
    r"alleviate|handle|meet)\b[^,]{0,100})|Therefore|Thus|Hence|Accordingly|Consequently|Specifically|Instead|"
    r"Finally|However|In particular|In response|As a result|In contrast|Concretely|For this reason|To do so|"
    r"Subsequently|Additionally|Furthermore|Moreover|First|Second|Third|Then|"
    r"In order to [^,]{1,80}|"
    r"(?:Motivated|Inspired|Guided) by [^,]{1,80}|Based on [^,]{1,80}|Building (?:on|upon) [^,]{1,80}|"
    r"Towards? [^,]{1,60}),\s+)+"
)
TLDR_MAX = 220


_NAME_SENTENCE_RE = re.compile(
    r"^([A-Z][\w+\-.]*[A-Z0-9][\w+\-.]*|[A-Z][a-z]+[A-Z][\w+\-.]*)(?:\s*\([^)]{1,30}\))?,?\s+(?:is|are)\s+(?:a|an|the)\b"
)


def _is_name_sentence(sentence: str, title: str) -> bool:
    """ "FlashKAT is a ..." where FlashKAT (or a word of it) appears in the title."""
    if " is " not in sentence and " are " not in sentence:
        return False
    match = _NAME_SENTENCE_RE.match(sentence)
    return bool(match) and match.group(1).rstrip(".") in title


class Contribution(NamedTuple):
    """Which sentence states the contribution (``index``), how sure (``score``, 0..10),
    and the first sentence that reads like one (``first``, score 6 or more)."""

    index: int
    score: int
    first: int | None


def contribution_index(sentences: list[str], title: str = "") -> Contribution:
    """Find the sentence that states the contribution.

    The first sentence with the best score wins: abstracts state the
    contribution once and then elaborate.
    """
    best, best_score, first = 0, 0, None
    for index, sentence in enumerate(sentences):
        score = _sentence_score(sentence, title)
        if len(sentence.split()) < 6 or sentence.endswith("?"):
            score = min(score, 1)
        if score >= 6 and first is None:
            first = index
        if score > best_score:
            best, best_score = index, score
            if score == 10:
                break
    return Contribution(best, best_score, first)


def make_tldr(abstract: str, title: str = "", sentences: list[str] | None = None, index: int | None = None) -> str:
    """One sentence saying what the paper contributes, lead-ins dropped, at most ~220 chars."""
    sentences = split_sentences(abstract) if sentences is None else sentences
    if not sentences:
        return ""
    if index is None:
        index = contribution_index(sentences, title).index
    return shorten(_strip_lead_in(sentences[index]), TLDR_MAX)


def _strip_lead_in(sentence: str) -> str:
    stripped = _LEAD_IN_RE.sub("", sentence)
    if stripped != sentence and len(stripped.split()) >= 4:
        sentence = stripped[0].upper() + stripped[1:]
    return sentence


def shorten(text: str, limit: int) -> str:
    """Cut at the last word boundary before ``limit`` and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—(") + "…"
