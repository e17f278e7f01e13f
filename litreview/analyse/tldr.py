r"""A one-sentence TL;DR of an abstract: the sentence that states the contribution.

The sentence must stand alone on a card or in a table: lead-ins that carry
no content are dropped ("To this end, we ..."), so are clauses that lean on
an earlier sentence ("to address these issues", "In response to this gap,");
"We address this challenge by proposing X" becomes "We propose X"; a
sentence that still leans on another ("the above bounds") gives way to the
next one that states a contribution. A long sentence is shortened at a
clause ("..., enabling ...", "; ...") and ends with a full stop, or is shown
whole: it is never cut mid-clause. Leftover LaTeX macros become text
(`\&` is "&"; a paper's own name macro, such as `\proj`, is the name its
title gives, else the macro's word as a name: "Proj").
"""

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
    """One sentence saying what the paper contributes, standing alone, about 220 chars or a whole sentence."""
    sentences = split_sentences(abstract) if sentences is None else sentences
    if not sentences:
        return ""
    if index is None:
        index = contribution_index(sentences, title).index
    chosen = _stand_alone(_strip_lead_in(sentences[index]))
    if _DANGLING.search(chosen):  # still leans on an earlier sentence: a later clear one, if any
        for later in range(index + 1, len(sentences)):
            if _sentence_score(sentences[later], title) >= 6 and len(sentences[later].split()) >= 6:
                candidate = _stand_alone(_strip_lead_in(sentences[later]))
                if not _DANGLING.search(candidate):
                    chosen = candidate
                    break
    chosen = _plain(chosen, title)
    if (
        chosen is not sentences[index] and "\\" in sentences[index]
    ):  # a macro hid a sentence break ("... \\tool tackles")
        chosen = split_sentences(chosen)[0]
    return clause_cut(chosen, TLDR_MAX)


# A reference to something an earlier sentence said: "this issue", "the above problems".
_DANGLING = re.compile(
    r"\b(?:(?:the\s+)?above(?:[- ]mentioned)?|aforementioned|(?:these|this|those|such)(?:\s+[\w-]+){0,2}?\s+"
    r"(?:problems?|issues?|challenges?|limitations?|gaps?|observations?|insights?|findings?|bottlenecks?|"
    r"shortcomings?|drawbacks?|inefficienc(?:y|ies)|questions?|concerns?|difficult(?:y|ies)|obstacles?|barriers?|"
    r"deficienc(?:y|ies)|dilemmas?|weakness(?:es)?|needs?|end))\b",
    re.I,
)
_SOLVE = (
    r"(?:address|tackle|solve|overcome|remove|mitigate|alleviate|handle|fill|bridge|close|resolve|fix|meet|"
    r"circumvent|counter|remedy|eliminate|avoid)"
)
_SUBJECT = r"(?:We|This (?:paper|work|article|study|report))"
# "We address this challenge by proposing X" -> "We propose X".
_BY_DOING_RE = re.compile(rf"^({_SUBJECT})\s+{_SOLVE}(?:e?s)?\s+([^,]{{0,80}}?)\s+by\s+([a-z]+ing)\b\s*", re.I)
_GERUND = {
    "proposing": "propose", "introducing": "introduce", "presenting": "present", "developing": "develop",
    "designing": "design", "building": "build", "leveraging": "leverage", "using": "use", "creating": "create",
    "devising": "devise", "employing": "employ", "exploiting": "exploit", "adopting": "adopt", "applying": "apply",
    "combining": "combine", "providing": "provide", "constructing": "construct", "implementing": "implement",
    "utilizing": "utilize", "utilising": "utilise", "formulating": "formulate", "redesigning": "redesign",
    "rethinking": "rethink", "exploring": "explore", "identifying": "identify", "training": "train",
}  # fmt: skip
# A leading clause that leans on an earlier sentence: "In response to these challenges, we ..."
_LEANING_LEAD_RE = re.compile(r"^([^,]{0,140}),\s+(?=(?:we|this (?:paper|work|article|study|report))\b)", re.I)
# What else makes a leading clause lean back: a pointing word ("To achieve this", "Given this
# realization", "To provide all of these advantages") or a reply ("As a remedy", "Lastly").
_POINTING = r"\b(?:this|these|those|such|above|aforementioned)\b"
_REPLY = r"(?:As an? (?:remedy|response|solution|answer)|Lastly)"
_BACK_REFERENCE = re.compile(rf"{_POINTING}|^{_REPLY}$", re.I)
_PRONOUN_NEAR_START = re.compile(r"^(?:\S+\s+){0,7}?(?:it|its|they|them|their)\b", re.I)
_BACK_REFERENCE_LEAD = re.compile(
    rf"^(?:[^,]{{0,140}}?{_POINTING}[^,]{{0,140}}?|{_REPLY}),\s+(?:we|this (?:paper|work|article|study|report))\b",
    re.I,
)
# A trailing purpose that leans on an earlier sentence: "... to address these issues"
_LEANING_PURPOSE_RE = re.compile(
    rf"\s*,?\s*(?:in order |so as )?to (?:\w+ )?{_SOLVE}\s+(?:[^,;.]{{0,40}}?)?(?:{_DANGLING.pattern})[^,;]*?"
    rf"(?=\s*(?:[,;]|\.?$))",
    re.I,
)


def _stand_alone(sentence: str) -> str:
    """The sentence without the clauses that refer back to earlier sentences (see _DANGLING)."""
    if not _DANGLING.search(sentence) and not _BACK_REFERENCE_LEAD.match(sentence):
        return sentence
    lead = _LEANING_LEAD_RE.match(sentence)
    if lead and (_DANGLING.search(lead.group(1)) or _BACK_REFERENCE.search(lead.group(1))):
        rest = sentence[lead.end() :]
        if not _PRONOUN_NEAR_START.match(rest):  # "we apply it to ...": the lead named what "it" is
            sentence = rest[0].upper() + rest[1:]
    by_doing = _BY_DOING_RE.match(sentence)
    if by_doing and _DANGLING.search(by_doing.group(2)) and by_doing.group(3).lower() in _GERUND:
        verb = _GERUND[by_doing.group(3).lower()]
        if by_doing.group(1).lower() != "we":
            verb = verb[:-1] + "ies" if verb.endswith("y") and verb[-2] not in "aeiou" else verb + "s"
        sentence = f"{by_doing.group(1)} {verb} {sentence[by_doing.end() :]}"
    trimmed = _LEANING_PURPOSE_RE.sub("", sentence)
    if trimmed != sentence and len(trimmed.split()) >= 3:
        sentence = trimmed.rstrip(" ,") + ("." if sentence.rstrip().endswith(".") and not trimmed.endswith(".") else "")
    return sentence


_MACRO_RE = re.compile(r"\\(?:([&%_$#])|(?:text(?:it|bf|tt|sc|rm)|emph|mathrm|mbox)\{([^{}]*)\}|([A-Za-z]+)(?:\{\})?)")
_TITLE_NAME_RE = re.compile(r"^\s*([^\s:]+(?: [^\s:]+){0,3}):\s")


def _plain(sentence: str, title: str) -> str:
    """Leftover LaTeX as text: escaped symbols, font commands, and a name macro (`\\proj`) as the title's name."""
    if "\\" not in sentence:
        return sentence
    named = _TITLE_NAME_RE.match(title)

    def text(match: re.Match) -> str:
        symbol, argument, word = match.groups()
        if symbol or argument is not None:
            return symbol or argument
        return named.group(1) if named else word[:1].upper() + word[1:]  # a name, whatever it is

    return _MACRO_RE.sub(text, sentence)


# Where a long sentence may end early and still read whole: before a clause that adds to what precedes it.
_CLAUSE_RE = re.compile(
    r",\s+(?=(?:[a-z]{3,}ing\s+(?:the|a|an|its|their|our|this|these|both|up|to|in|on|for|with|by|from|over|"
    r"key|more|far|significant|substantial|\d)\b|which|whose|where|while|whereas|enabling|allowing|achieving|resulting|leading|thereby|thus|making|"
    r"yielding|reducing|improving|outperforming|demonstrating|showing|delivering|offering|providing|and (?:we|it|our|"
    r"this|that|thus|then)|but|as well as|with (?:up to|only|minimal|negligible|no)|without|such as|including|"
    r"e\.g\.|i\.e\.|for example|for instance|namely|especially|in particular|based on)(?!\w))|;\s+|:\s+|\s+[—–]\s+|"
    r"\s+-\s+|,?\s+(?=\((?:\d|i+|[a-e])\)\s)"
)


def clause_cut(text: str, limit: int) -> str:
    """The sentence up to its last clause boundary within `limit`, with a full stop; whole if it has none."""
    if len(text) <= limit:
        return text
    ends = [m.start() for m in _CLAUSE_RE.finditer(text, 0, limit + 1) if m.start() >= 40]
    if not ends:
        return text
    cut = text[: ends[-1]].rstrip(" ,;:-–—(")
    if len(cut.split()) < 6:
        return text
    return cut + ("." if cut[-1] not in ".!?" else "")


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
