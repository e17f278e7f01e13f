"""Quantitative claims of an abstract ("up to 5x speedup over dense GEMM", "reduces memory by 40%").

Precision matters more than recall: a claim in "Results at a glance" that the
paper does not make is worse than a missing one, so numbers only count when
they carry a unit (x, %, ms, GB, tokens/s, ...) and read as a result, never
years, model sizes ("7B"), bit widths ("4-bit"), dimensions ("3x3") or
section numbers.

This module is the mechanism: how a number and its unit are written, where
the words that name a claim's kind are looked for, and which wins. The
kinds themselves and their cue words are content: litreview/defaults/claims.yml
holds the built-in set (speed, memory, energy, accuracy, F1, AUC,
correlation, effect sizes, p-values, sample sizes...), and a review's
content/claims.yml adds to it or replaces it (read/claimkinds.py reads both
into a KindSet). A number no cue names is "other", never a guessed kind."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from litreview.analyse.sentences import split_sentences
from litreview.analyse.tldr import Contribution, contribution_index, shorten
from litreview.model import Claim

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_UNITS: list[tuple[str, str]] = [  # (canonical unit, pattern as written)
    ("x", r"(?:[xX×](?!\w)|times(?!\w)|[- ]?fold\b)(?!\s*\d)"),  # not "3x3", "1008times756"
    ("pp", r"(?:percentage points?|pp)\b"),
    ("%", r"(?:\\?%(?!ile)|percent\b)"),  # not a percentile ("95%ile latency")
    ("points", r"(?:points?|pts)\b"),
    ("tokens/s", r"(?:tokens?|toks?)(?:/s(?:ec)?\b| per second\b)"),
    ("FPS", r"(?:FPS|fps|frames per second)\b"),
    ("TFLOPS", r"(?:[TPG]FLOPS\b|[TPG]FLOPs?/s\b|[Pp]etaflops\b|[Tt]eraflops\b)"),
    ("GPU-hours", r"(?:[GT]PU[- ]hours?)\b"),
    ("GPU-days", r"(?:[GT]PU[- ]days?)\b"),
    ("ms", r"(?:ms|milliseconds?)\b"),
    ("µs", r"(?:µs|μs|us|microseconds?)\b"),
    ("s", r"(?:seconds?|secs?)\b"),
    ("min", r"(?:minutes?|mins?)\b"),
    ("h", r"(?:hours?|hrs?)\b"),
    ("GB", r"(?:GB|GiB)\b"),
    ("MB", r"(?:MB|MiB)\b"),
    ("KB", r"(?:KB|KiB|kB)\b"),
    ("TB", r"(?:TB|TiB)\b"),
    ("J", r"(?:mJ|µJ|μJ|muJ|uJ|nJ|pJ|kJ|J)\b"),
    ("W", r"(?:mW|kW|W)\b"),
]
_UNIT_NAMES = [name for name, _ in _UNITS]
# One number with its unit, or a range whose first number has none ("4-8x",
# "2 to 10 times"). The character before is checked by hand (_GLUED_BEFORE):
# a look-behind here would make the whole scan several times slower.
_QUANT_RE = re.compile(  # "(?=\d)" first lets the engine skip to digits quickly
    rf"(?=\d)(?:(?P<lo>{_NUM})\s*(?:-|–|—|~|∼|\bto\b|sim)\s*)?(?P<num>{_NUM})\+?\s*(?:"
    + "|".join(f"(?P<u{i}>{pattern})" for i, (_, pattern) in enumerate(_UNITS))
    + r")(?![-/][A-Za-z])"
)
_GLUED_BEFORE = frozenset("._$€£^/-")  # "v1.5x", "MI250X", "$5", "ResNet-50x": not claims
_DIGIT_RE = re.compile(r"\d")
_RELATIVE_UNITS = frozenset({"x", "%", "pp", "points"})
_WORD_TOKEN_RE = re.compile(r"[A-Za-z0-9@/]+")
# Words in any script, for kinds whose cues are not all ASCII (about twice slower to scan).
_ANY_WORD_TOKEN_RE = re.compile(r"(?:[^\W_]|[@/])+")
_COMPARATIVES = (
    r"faster|slower|higher|lower|less|more|fewer|smaller|larger|bigger|better|worse|cheaper|longer|shorter|tighter|"
    r"improvements?|improved|reductions?|reduced|increases?|increased|decreases?|drops?|savings?|gains?|boosts?|"
    r"speed-?ups?|accelerations?|compression|cuts?|lift|benefits?|advantage|additional"
)
_CHANGE_VERB_BEFORE_RE = re.compile(
    r"\b(?:reduc|improv|increas|decreas|sav|cut|lower|boost|shrink)\w*\s+(?:(?:up to|about|around|nearly|over)\s+)?$",
    re.I,
)
_CHANGE_IN_RE = re.compile(
    r"(?:[\w-]+\s+){0,2}?(?:improvements?|reductions?|increases?|gains?|drops?|decreases?|savings?|speed-?ups?)\s+in\s+"
    r"(?P<what>[\w-]+(?:\s+[\w-]+){0,3})",
    re.I,
)
_ADDITIONAL_BEFORE_RE = re.compile(r"\b(?:additional|further|extra)\s+$", re.I)
# "..., and an additional 30% with 3D parallelism ... on NVIDIA H100 GPUs over optimized baselines.": the
# sentence ends with what all its comparisons are over
_FINAL_OVER_RE = re.compile(r"\bover\s+(?P<what>(?!\d|time\b|the years\b|years\b)[^,;:()]{2,60}?)\s*\.?$", re.I)
_COMPARATIVE_RE = re.compile(rf"\b(?:{_COMPARATIVES})\b", re.I)
_PHRASE_STOP = frozenset("at with while for on across during when using and or to by from per under".split())
_RESULT_VERB_RE = re.compile(
    r"\b(?:reduc\w*|improv\w*|increas\w*|decreas\w*|speed\w* up|accelerat\w*|outperform\w*|cut\w*|lower\w*|boost\w*|"
    r"shrink\w*|compress\w*|sav\w*|beat\w*|surpass\w*|exceed\w*|enhanc\w*|achiev\w*|deliver\w*|yield\w*|attain\w*|"
    r"obtain\w*|reach\w*|match\w*|retain\w*|preserv\w*|maintain\w*|requir\w*|consum\w*|runs?|sustain\w*|within|only|"
    r"drop\w*|outpac\w*|takes?|taking|in just|in)\b",
    re.I,
)
_QUALIFIERS = (
    r"up to|an? average(?: of)?|on average|over|more than|nearly|almost|about|around|approximately|roughly|at least|"
    r"at most|only|as much as|as little as|consistent|maximum|a maximum of|within|a factor of|an?|by|of"
)
_QUALIFIER_RE = re.compile(rf"(?:(?:\b(?:{_QUALIFIERS})\s+)|[~≈>≤≥<+]\s*)+$", re.I)  # "by +9.8%"
# The end of a lead-in ("by", "to", "of"): qualifiers such as "up to" or "~" right before the number.
_QUALIFIED_END = rf"(?:(?:{_QUALIFIERS})\s+|[~≈>+]\s*)*$"
_NOUN_OF_RE = re.compile(
    r"(?<![\w'’])(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:speed-?ups?|improvements?|reductions?|gains?|boosts?|increases?|decreases?|"
    r"savings?|drops?|accelerations?|enhancements?|compression (?:rates?|ratios?)|accuracy|accuracies|throughput|latency|"
    r"footprint|scores?|rates?)(?:\s+in(?:\s+[\w-]+){1,3}?)?\s+"  # "an average improvement in area efficiency of"
    r"(?:of|by|is|are|reaching)\s+" + _QUALIFIED_END,
    re.I,
)
_VERB_BY_RE = re.compile(
    r"\b(?:reduc\w*|improv\w*|increas\w*|decreas\w*|speed\w* up|accelerat\w*|outperform\w*|cut\w*|lower\w*|boost\w*|"
    r"shrink\w*|compress\w*|sav\w*|beat\w*|surpass\w*|exceed\w*|enhanc\w*|rais\w*|lift\w*)\b"
    r"(?:\([^(),;:]{1,40}\)|[^,;:()]){0,100}?\(?\bby\s+"  # "the relative Word Error Rate (WER) of ... by"
    + _QUALIFIED_END,
    re.I,
)
# "reduces compute to only 30%", "we reduce it to 66%"
_VERB_TO_RE = re.compile(
    r"\b(?:reduc\w*|cut\w*|lower\w*|decreas\w*|shrink\w*|compress\w*|drop\w*)\b[^,;:()]{0,80}?\bto\s+" + _QUALIFIED_END,
    re.I,
)
_BEAT_BY_RE = re.compile(
    r"\b(?:outperform\w*|beat\w*|surpass\w*|exceed\w*|outpac\w*)\s+(?P<what>[^,;:]{2,80}?)\s+by\s+" + _QUALIFIED_END,
    re.I,
)
# "outperforms the 1F1B schedule up to 23% in throughput": "by" left out before a qualifier
_BEAT_UP_TO_RE = re.compile(
    r"\b(?:outperform\w*|beat\w*|surpass\w*|outpac\w*)\s+(?P<what>(?:(?!\band\b)[^,;:]){2,80}?)\s+(?:up to|as much as)\s+$",
    re.I,
)
# Where what is beaten ends: "existing serving approach in 95%ile latency and GPU utilization"
_BEATEN_IN_RE = re.compile(
    r"(?:outperform|beat|surpass|exceed|outpac)\w*\b(?:.*?\b(?:in terms of|in|on|regarding)\s+(?P<what>.*))?",
    re.I | re.S,
)
_BEATEN_END_RE = re.compile(
    r"\s(?:in|on|at|across|for|under|when|while|using|with|regarding|such as|to date|including)\s|\s*\[\d", re.I
)
_BEAT_BY_OBJECT_AFTER_RE = re.compile(
    r"\b(?:outperform\w*|beat\w*|surpass\w*|exceed\w*|outpac\w*)\s+by\s+" + _QUALIFIED_END, re.I
)
_OF_EXISTING_RE = re.compile(
    r"\bof\s+(?P<what>(?:the\s+)?(?:existing|prior|previous|conventional|standard|baseline|original|vanilla|naive|"
    r"state[- ]of[- ]the[- ]art|current)\b[^,;()]*?)\s+\(?by\b",
    re.I,
)
_TO_MATCH_RE = re.compile(
    r"[^,;]{0,40}?\bto\s+(?:match|reach|equal|rival)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?of\s+(?P<what>[^,;:()]{2,80})",
    re.I,
)
_OF_THEIRS_RE = re.compile(r"\s+of\s+(?:their|its)\b", re.I)
_CONDITION_BEFORE_RE = re.compile(r"(?:^|,|\bthat|\bwhile|\band)\s*for\s+(?:an?\s+|every\s+|each\s+)?$", re.I)
# "Fuyou achieves 156 TFLOPS on an RTX 4090 GPU while ZeRO-Infinity only achieves 45 TFLOPS"
_WHILE_THEY_RE = re.compile(
    r"^[^;]{0,80}?\b(?:while|whereas)\s+(?P<what>[^,;]{1,50}?)\s+(?:(?:only|just|merely)\s+)?\w+\s+"
    r"(?:(?:only|just|about|around|nearly|up to)\s+)?$",
    re.I,
)
_LEADING_COMPARED_RE = re.compile(
    r"^(?:[A-Z][\w ]{0,20},\s*)?(?P<what>(?:compared (?:to|with|against)|in comparison (?:to|with)|relative to|against|"
    r"versus)\s+[^,;:]{2,80}),",
    re.I,
)
_RESPECTIVELY_RE = re.compile(
    r"\b(?P<marker>over|than|compared (?:to|with)|versus|vs\.?)\s+(?P<a>[\w./+-]+(?:\s[\w./+-]+)?)\s+and\s+"
    r"(?P<b>[\w./+-]+(?:\s[\w./+-]+)?)(?:\s+baselines?)?,?\s+respectively\b",
    re.I,
)
# "64% of that of the dense model", "... than X (with up to 1.42x speedup)": baselines around the number.
_OF_THAT_RE = re.compile(
    r"\s+of\s+(?:that|those)\s+of\s+(?P<what>(?:the\s+)?[^,;:()]{2,60}?)(?=\s*(?:[,;:()]|\.\s|\.$|$))"
)
_THAN_BEFORE_RE = re.compile(
    r"\b(?P<marker>than|compared (?:to|with)|relative to|versus)\s+(?P<what>[^,;:()]{2,80}?)\s*$", re.I
)
# "We compare BottleFit with state-of-the-art autoencoders, and show that ...": the sentence's baseline.
_COMPARE_WITH_RE = re.compile(
    r"(?:\bcomparisons?\s+(?:with|to|against)|\bcompar(?:e|es|ed|ing)\s+(?:[\w-]+\s+){0,3}?(?:with|to|against)|\b(?:on par|comparable|competitive)\s+"
    r"(?:with|to))\s+(?P<what>(?:\([^()]{1,20}\)[^,;:()]|[^,;:()]){2,80}?)"  # "(16, 32)-bit mixed-precision"
    r"(?=\s*(?:,|;|:|\(|\band (?:show|find|demonstrate|observe)|\s(?:in|on|across|under)\s|\.\s|\.$))",
    re.I,
)
# What a sentence measures itself against without a number of its own ("accuracy better than the best
# single configuration with 128x less compute", "performance approximating the DGX-A100 while reducing
# ... energy consumption by 40%", "AlexNet-level accuracy with 50x fewer parameters").
_PARITY_RE = re.compile(r"(?:on par|comparable|competitive)\b", re.I)
_REFERENCE_RE = re.compile(
    r"(?<![\w-])(?:(?i:(?<!rather )(?<!other )(?<!more )(?<!less )(?<!fewer )(?<!greater )(?P<marker>than|"
    r"approximating|rivall?ing|(?:similar|close|equal|equivalent) to|as good as|outperform(?:s|ed|ing)?|beat(?:s|ing)?|surpass(?:es|ed|ing)?))\s+(?P<what>[^,;:()]{2,80})|"
    r"(?P<name>[A-Za-z0-9.+]*[A-Z0-9][A-Za-z0-9.+]*(?:-[A-Za-z0-9.+]+)*?)-(?i:level|like|class)\b)"
)
# The number is an adjunct of that comparison: "... with 50x fewer", "... while using", ", requiring".
_ADJUNCT_RE = re.compile(r"\b(?:with|while|whilst|using|requiring)\b|,\s*\w+ing\b", re.I)
_RELATIVE_CLAUSE_RE = re.compile(r"[^;]*,\s*which\s+(?:is|are|was|were)\b[^,;]*$", re.I)
_BASELINE_RE = re.compile(
    r"\b(?P<marker>over|than|compared (?:to|with|against)|in comparison (?:to|with)|relative to|versus|vs\.?|"
    r"w\.r\.t\.?|with respect to)(?:\s+\([\w.]{1,10}\))?\s+(?P<what>.{1,160})",
    re.I,
)
_BASELINE_STOP_RE = re.compile(
    # a number stops it, but not a version that ends it ("than Claude 3.5.", "over Llama 2 on ...")
    r"\s*(?:[,;:()\[\]]|\.(?:\s|$)|\s(?=\d)(?!\d+(?:\.\d+)*(?:[,;:)]|\.(?:\s|$)|$|\s+(?:on|in|and|with|at|for|while|"
    r"across)\b)|\d+-[A-Za-z])|\s(?:while|whereas|using|with|on|at|in|under|across|when|for|by|which|where|"
    r"that|respectively|depending|including|e\.g\.|i\.e\.|up to|without|to|from|such as|as|via|through|and|or|achiev\w*|"
    r"reach\w*|yield\w*|result\w*|lead\w*|leading|making|enabl\w*|showing|based)(?:\s|$))",
    re.I,
)
_PAIR_BEFORE_RE = re.compile(
    r"\b(?:match\w*|rival\w*|outperform\w*|beat\w*|surpass\w*)\s+(?:[^,;]{0,40}?\b(?:like|such as|namely)\s+)?"
    r"(?:both\s+)?(?:the\s+)?(?P<a>[\w.+-]+)\s+and\s+"
    r"(?:the\s+)?(?P<b>[\w.+-]+)\b[^;]{0,120}?\brespectively\b",
    re.I,
)
_BY_LIST_RE = re.compile(r"\s+by\s+" + _QUALIFIED_END, re.I)
_MIXED_LIST_GAP_RE = re.compile(r"^\s*(?:,|,?\s*and)\s*$")
# "... reductions on latency, energy, and area": what a list of numbers measures, in order
_THING = r"(?!and\b|with\b|or\b)[\w/-]+(?:\s(?!and\b|with\b|or\b)[\w/-]+){0,2}"
_ON_THINGS_RE = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?(?:reductions?|improvements?|gains?|savings?|increases?|decreases?|speed-?ups?)\s+"
    rf"(?:on|in|of)\s+(?P<things>{_THING}(?:,\s*{_THING})*,?\s+and\s+{_THING})\b",
    re.I,
)
_SERIES_BEFORE_RE = re.compile(r"\d\s*(?:,|,?\s*and|,?\s*or)\s*$")
_BEATEN_BEFORE_RE = re.compile(
    r"\b(?:outperform(?:s|ed|ing)?|beat(?:s|ing)?|surpass(?:es|ed|ing)?|exceed(?:s|ed|ing)?)\s+"
    r"(?P<what>[^,;:()]{2,80}?)\s*$",
    re.I,
)
# "decreases power consumption and latency respectively by up to 49% and 89%": the things, then the numbers
_RESPECTIVELY_BY_RE = re.compile(r",?\s+respectively,?\s+by\s+" + _QUALIFIED_END, re.I)
# "... by 49% and 89% w.r.t. local computing and by 37% and 55% w.r.t. edge offloading": the same things again
_AND_BY_RE = re.compile(r"^[^,;]{0,80}?\band\s+by\s+" + _QUALIFIED_END, re.I)
_RESTATED_RE = re.compile(r"^\s*\(\s*(?:on average|average:?|avg\.?|mean|median|i\.e\.,?|or)?\s*$", re.I)
# ", which is ~" between two numbers: the second says how the first compares ("an accuracy of 95.4%,
# which is ~10% higher than the DNN model").
_WHICH_IS_RE = re.compile(
    r"^\s*,?\s*(?:(?:which|that) (?:is|are|was|were)\s+|(?:greater|more|higher|better|less|lower) than an?\s+|"
    r"\(\s*i\.e\.,?\s*)(?:about |around |roughly |approximately |nearly |almost |~)?$",
    re.I,
)
_COORDINATION_RE = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_DEMONSTRATIVE_RE = re.compile(r"(?:those|these)\s+\w", re.I)
_CLAUSE_BREAK_RE = re.compile(
    r";|,\s*(?:while|whereas|but|although|though|yet|which|and (?:we|it|our|the)\b)|\.\s", re.I
)
_AFTER_STOP_RE = re.compile(
    r"[,;:()]|\.\s|\.$|\s(?:and|while|whereas|but|or|over|than|compared|relative to|versus|vs)\b"
)
# Between two numbers of one list: "2.83x, 3.44x, and 2.94x", "91% on Baichuan-Small and 146%", "49% (T4) and 37%".
_ASIDE_RE = re.compile(r"\s*\([^()]{0,30}\)")
_LIST_GAP_RE = re.compile(  # "by 33times and over 200times"
    r"^\s*(?:\([^()]{0,30}\)|(?:on|for|in|with|by) [\w.\- ]{1,30}?)?\s*(?:,|,?\s*and|,?\s*or|/)\s*"
    r"(?:(?:over|up to|about|around|nearly|almost|more than)\s+)?$"
)
_SETTING_GAP_RE = re.compile(r"^\s*(?:on|for|in|with) [\w.\- ]{1,30}?\s*(?:,|,?\s*and)\s*$")
# "reducing recompilation from 4,200 ms to 494 ms" is a change, "speedups ranging from 2x to 13x" a range
_FROM_BEFORE_RE = re.compile(
    r"\b(?:reduc|improv|increas|decreas|grow|grew|drop|fall|fell|rise|rose|rais|boost|shrink|cut|lower|go|went)\w*\b"
    r"[^,;]{0,60}?\bfrom\s+(?:(?:about|around|nearly|over|only)\s+)?$",
    re.I,
)
_RANGE_GAP_RE = re.compile(  # "2x to more than 1000x"
    r"^\s*(?:-|–|—|~|∼|to|sim)\s*(?:(?:more than|over|about|around|nearly|almost|approximately|roughly)\s+)?$"
)
_HARDWARE_BEFORE_RE = re.compile(r"(?:\bsingle|\bwith an?|\bon an?|\bon|\busing an?|\bof|\bwith)\s*$", re.I)
_CONSTRAINT_BEFORE_RE = re.compile(r"(?:\bat|\bunder|\bbelow|\bper|\bwithin a budget of|\bbudget of|[<≤])\s*$", re.I)
_THEIRS_WHILE = (
    r"(?:while|whereas)\s+(?:(?:all|the|other|most|these|those)\s+)?(?:[A-Z][\w+-]*[A-Z0-9+][\w+-]*|the baseline|"
    r"baselines?|existing|prior|previous|competing|other|state[- ]of[- ]the[- ]art|SOTA)\b[^,;]*"
)
_THEIRS_BEFORE_RE = re.compile(
    rf"\b(?:{_THEIRS_WHILE}|(?:(?<!less )(?<!more )(?<!fewer )(?<!greater )than|versus|vs\.?)\s+(?:\S+\s+){{0,2}}|"
    r"compared (?:to|with)\s+[^,;]{0,40})$"
)
# A level (not a change) that is another system's: "whereas all baseline models failed ... (0% success
# rate)", "outperforming the single-attempt state-of-the-art of 43%", "80% compared to 61% for X".
_THEIR_LEVEL_RE = re.compile(
    rf"\b(?:{_THEIRS_WHILE}|(?:outperform\w*|beat\w*|surpass\w*|exceed\w*)\s+[^,;]{{0,40}}?\b(?:"
    r"state[- ]of[- ]the[- ]art|SOTA|baselines?|previous|prior|best|existing)\b[^,;]{0,30}?\s+of\s+|"
    r"(?:compared (?:to|with)|versus|vs\.?)\s+(?:\S+\s+){0,2})$"
)
# Where a verb's object ends and what it is for begins: "the compute needed to achieve the same accuracy".
_PURPOSE_RE = re.compile(
    r"\b(?:needed|required|necessary|used)\s+(?:to|for)\b|\bto\s+(?:achieve|reach|match|attain|maintain|preserve)\b",
    re.I,
)
_PRONOUN_OBJECT_RE = re.compile(r"\w+\s+(?:it|them|this|these|that|those)\s+(?:by|to)\b", re.I)
_THEIRS_AFTER_RE = re.compile(
    r"\s*(?:(?:achieved|reported|required|needed|taken)\s+)?(?:by|using|from)\s+(?:the\s+)?(?!(?:our|ours|we)\b)"
    r"[A-Z][\w.+-]*[A-Z0-9][\w.+-]*"
)
_WE_RE = re.compile(r"\b(?:we|our|us)\b", re.I)
# "we found that ... becomes the critical bottleneck with compute taking nearly 0% of runtime":
# an observation of the problem, before the contribution, is motivation even with "we".
_OBSERVATION_RE = re.compile(
    r"\bwe\s+(?:first\s+|also\s+)?(?:find|found|observe[sd]?|notice[sd]?|note[sd]?|identif(?:y|ied)|discover(?:ed)?|"
    r"see|saw|show(?:ed)?)\b",
    re.I,
)
_PROBLEM_RE = re.compile(
    r"\b(?:bottlenecks?|underutili[sz]\w*|idle|wast\w*|suffer\w*|inefficien\w*|dominat\w*|stall\w*|"
    r"critical|limited|limitations?|only|merely|barely)\b",
    re.I,
)


# ---------------------------------------------------------------- kinds (content)

UNIT_NAMES = tuple(_UNIT_NAMES)  # the units claims.yml's `units:` may name
NOTATIONS = ("p", "n")  # "p < 0.05", "n = 1,200"
OTHER = "other"  # the kind of a claim no cue names


@dataclass(frozen=True)
class Kind:
    """One kind of claim as claims.yml declares it (see litreview/defaults/claims.yml)."""

    name: str
    cues: tuple[str, ...] = ()  # words or phrases; lower case: any case; "word*", "*word*": one word, globbed
    verbs: tuple[str, ...] = ()  # "speed* up": a "<verb> ... by" phrase starting so is this kind
    weak_cues: tuple[str, ...] = ()  # only where no cue names a kind
    metrics: tuple[str, ...] = ()  # names of a unitless metric ("AUROC")
    at_most: float | None = None  # the largest value of that metric
    notation: str | None = None  # one of NOTATIONS


@dataclass(frozen=True)
class KindSet:
    """The kinds a build uses, in precedence order (the first kind whose cue matches wins),
    the kind of each absolute unit (its own first, then those a cue may name) and the
    extra words a claim's phrase runs on through."""

    kinds: tuple[Kind, ...] = ()
    units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    phrase_words: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()  # words after a number that make it a setting, not a result

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every kind a claim can have, in the tables' order: as declared, "other" last."""
        return tuple(k.name for k in self.kinds if k.name != OTHER) + (OTHER,)

    @cached_property
    def compiled(self) -> _Compiled:
        """Made once per KindSet (hashing one per abstract would cost more than using it)."""
        return _compile(self)

    @cached_property
    def digest(self) -> str:
        """Changes whenever anything here does: part of the key of memoised extraction."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:32]


def cue_words(cue: str) -> tuple[str, ...]:
    """The words a cue is looked up as (text is split into words the same way)."""
    return tuple((_WORD_TOKEN_RE if cue.isascii() else _ANY_WORD_TOKEN_RE).findall(cue))


def _glob(cue: str) -> tuple[str, str] | None:
    """("prefix" | "suffix" | "contains", stem) for a one-word cue with a * at an end; else None."""
    if cue.startswith("*") and cue.endswith("*") and len(cue) > 2:
        return "contains", cue[1:-1].lower()
    if cue.endswith("*"):
        return "prefix", cue[:-1].lower()
    if cue.startswith("*"):
        return "suffix", cue[1:].lower()
    return None


def _glob_matches(mode: str, stem: str, word: str) -> bool:
    if mode == "prefix":
        return word.startswith(stem)
    if mode == "suffix":
        return word.endswith(stem)
    return stem in word


def _metric_atoms(name: str) -> list[str]:
    """A metric's name as a list of one-character patterns: words with a capital as written,
    others in any case, a space matching a space or a hyphen ("ROC AUC", "ROC-AUC")."""
    atoms: list[str] = []
    for index, word in enumerate(name.split()):
        if index:
            atoms.append("[- ]")
        as_written = any(ch.isupper() for ch in word)
        for ch in word:
            upper, lower = ch.upper(), ch.lower()
            if as_written or upper == lower or len(upper) != 1 or len(lower) != 1:
                atoms.append(re.escape(ch) if as_written or upper == lower else f"(?i:{re.escape(ch)})")
            else:
                atoms.append(f"[{lower}{upper}]")
    return atoms


def _metric_pattern(names: tuple[str, ...]) -> str:
    """One pattern for all the names of a metric, their common beginnings shared (a trie:
    several times faster to scan than an alternation of every name)."""
    trie: dict = {}
    for name in names:
        node = trie
        for atom in _metric_atoms(name):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [atom + emit(child) for atom, child in node.items() if atom]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a name ends here, a longer one goes on: the longer one first
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(trie)


@dataclass
class _Compiled:
    """A KindSet made ready for lookups: dicts for cues (far faster than one regex), patterns for the rest."""

    words_re: re.Pattern[str] = _WORD_TOKEN_RE  # how text is split into words
    terms: dict[tuple[str, ...], str] = field(default_factory=dict)  # lower-cased words -> kind
    exact: dict[tuple[str, ...], str] = field(default_factory=dict)  # words as written -> kind
    exact_first: frozenset[str] = frozenset()
    widths: tuple[int, ...] = ()
    globs: list[tuple[str, str, str]] = field(default_factory=list)  # (mode, stem, kind)
    glob_prefixes: tuple[str, ...] = ()  # a quick test before the globs: most words match none
    glob_suffixes: tuple[str, ...] = ()
    glob_infixes: tuple[str, ...] = ()
    weak: list[tuple[str, str, str]] = field(default_factory=list)
    verbs: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    units: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    phrase_re: re.Pattern[str] | None = None
    settings_re: re.Pattern[str] | None = None
    metric_re: re.Pattern[str] | None = None
    metric_after_re: re.Pattern[str] | None = None  # the number first: "by 1.7 mAP", "26.15 PSNR"
    metrics: list[tuple[str, float | None]] = field(default_factory=list)
    notations: list[tuple[re.Pattern[str], str]] = field(default_factory=list)


def _compile(kinds: KindSet) -> _Compiled:
    c = _Compiled()
    if not all(cue.isascii() for kind in kinds.kinds for cue in (*kind.cues, *kind.weak_cues)):
        c.words_re = _ANY_WORD_TOKEN_RE
    phrase: list[str] = []
    exact_first: set[str] = set()
    for kind in kinds.kinds:
        for cue in kind.cues:
            glob = _glob(cue)
            if glob:
                c.globs.append((*glob, kind.name))
                stem = re.escape(glob[1])
                phrase.append({"prefix": rf"{stem}\w*", "suffix": rf"\w*{stem}", "contains": rf"\w*{stem}\w*"}[glob[0]])
                continue
            words = tuple(c.words_re.findall(cue))
            if any(ch.isupper() for ch in cue):
                c.exact.setdefault(words, kind.name)
                exact_first.add(words[0])
            else:
                c.terms.setdefault(words, kind.name)
            phrase.append("[- ]".join(map(re.escape, words)))
        for cue in kind.weak_cues:
            c.weak.append((*(_glob(cue) or ("exact", cue.lower())), kind.name))
        if kind.verbs:
            verbs = "|".join(r"\s+".join(re.escape(w).replace(r"\*", r"\w*") for w in v.split()) for v in kind.verbs)
            c.verbs.append((re.compile(rf"(?:{verbs})\b", re.I), kind.name))
    c.exact_first = frozenset(exact_first)
    c.glob_prefixes = tuple(stem for mode, stem, _ in c.globs if mode == "prefix")
    c.glob_suffixes = tuple(stem for mode, stem, _ in c.globs if mode == "suffix")
    c.glob_infixes = tuple(stem for mode, stem, _ in c.globs if mode == "contains")
    c.widths = tuple(range(max(map(len, [*c.terms, *c.exact]), default=1), 0, -1))
    c.units = {unit: (names[0], frozenset(names)) for unit, names in kinds.units}
    phrase += [re.escape(w) for w in kinds.phrase_words]
    if kinds.settings:  # "75% sparsity", "8x A100 GPUs", "20% of tokens"; "MI#": MI250, "quantiz*": quantized
        words = [
            " ".join(re.escape(w).replace(r"\*", r"\w*").replace(r"\#", r"\d+") for w in s.split())
            for s in kinds.settings
        ]
        c.settings_re = re.compile(rf"^\s*(?:of\s+(?:the\s+)?)?(?:{'|'.join(words)})\b", re.I)
    c.phrase_re = re.compile(rf"(?:{_COMPARATIVES}|{'|'.join(phrase) or '(?!)'}|in|of)", re.I)
    groups, firsts = [], set()
    for kind in kinds.kinds:
        for name in kind.metrics:  # the letters a name can start with: a quick test before the alternation
            first = name.split()[0]
            firsts.update({first[0]} if any(ch.isupper() for ch in first) else {first[0].lower(), first[0].upper()})
        if kind.metrics:
            groups.append(f"(?P<m{len(c.metrics)}>{_metric_pattern(kind.metrics)})")
            c.metrics.append((kind.name, kind.at_most))
        if kind.notation:
            c.notations.append((_P_VALUE_RE if kind.notation == "p" else _SAMPLE_RE, kind.name))
    if groups:
        c.metric_re = re.compile(
            f"(?=[{''.join(sorted(map(re.escape, firsts)))}])"
            + r"(?<![\w-])(?:"
            + "|".join(groups)
            + r")(?:\s*\([A-Za-z0-9-]+\))?\s*(?:of|=|:|was|is|reaching|reached|up to)?\s*\(?(?P<num>\d+(?:\.\d+)?|\.\d+)"
            + r"(?!\d|[.,]\d|\s*(?:%|x\b|×|times\b|-fold|fold\b|percent\b))"
        )
        c.metric_after_re = re.compile(
            r"(?<![\w.,/-])(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?:"
            + "|".join(groups)
            + r")(?![\w-])(?!\s*(?:points?|pts)\b)"
        )
    return c


def _weak_kind(text: str, c: _Compiled) -> str | None:
    """The kind a weak cue in ``text`` names, if any."""
    if not c.weak:
        return None
    words = [w.lower() for w in c.words_re.findall(text)]
    for mode, stem, kind in c.weak:
        if any((word == stem) if mode == "exact" else _glob_matches(mode, stem, word) for word in words):
            return kind
    return None


def default_kinds() -> KindSet:
    """The built-in kinds (litreview/defaults/claims.yml)."""
    from litreview.read.claimkinds import default_kinds as load

    return load()


@dataclass
class _Quantity:
    """A number with a unit while it is being judged; becomes a Claim if kept."""

    start: int
    end: int
    value: float
    unit: str
    canon: str  # the unit's name in UNIT_NAMES ("J" for "mJ")
    kind: str | None = None
    baseline: str | None = None
    text_start: int = 0
    text_end: int = 0
    keep: bool = False
    low: float | None = None  # a range's lower end
    after_kind: str | None = None  # the kind a word right after the number names ("5x speedup")
    compares: bool = False  # reads as a change against something ("reduces ... by", "2x faster")
    phrase_end: int | None = None  # where the phrase ended before it ran on to its baseline
    setting: bool = False  # a setting of the experiment ("75% sparsity"), never a claim
    anaphoric: bool = False  # the verb's object is a pronoun ("we reduce it to 66%"): what it names is earlier


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit_of(match: re.Match[str]) -> tuple[str, str]:
    """(the unit as shown, its name in UNIT_NAMES)."""
    for index, name in enumerate(_UNIT_NAMES):
        written = match.group(f"u{index}")
        if written is not None:
            if name in ("J", "W"):  # energy keeps its prefix: "mJ", "µJ", "W"
                return written.replace("mu", "µ").replace("μ", "µ").replace("uJ", "µJ"), name
            return name, name
    raise AssertionError("no unit group matched")  # pragma: no cover


def _kind_in(text: str, last: bool, c: _Compiled) -> str | None:
    """The claim kind a cue in ``text`` names: the first cue, or the last one. Cues are
    looked up word by word (a dict, not a regex alternation: about four times faster);
    multi-word cues win over their parts, and at the same place the kind listed first wins."""
    words = c.words_re.findall(text)
    lower = [w.lower() for w in words]
    terms, exact, exact_first, widths = c.terms, c.exact, c.exact_first, c.widths
    count = len(words)
    found = None
    i = 0
    while i < count:
        kind, width = None, 1
        as_written = words[i] in exact_first
        for n in widths:
            if i + n > count:
                continue
            if as_written:
                kind = exact.get(tuple(words[i : i + n]))
                if kind:
                    width = n
                    break
            kind = terms.get(tuple(lower[i : i + n]))
            if kind:
                width = n
                break
        # A glob reads words, not names: "compared to Accelerate" names a library, not a speedup
        # (a capitalised word of letters after the first is a name; "ACCELERATION", "Pass@1" are words).
        name = i and words[i][:1].isupper() and words[i].isalpha() and not words[i].isupper()
        if kind is None and c.globs and not name:
            word = lower[i]
            if (
                word.startswith(c.glob_prefixes)
                or word.endswith(c.glob_suffixes)
                or any(stem in word for stem in c.glob_infixes)
            ):
                kind = next((k for mode, stem, k in c.globs if _glob_matches(mode, stem, word)), None)
        if kind:
            if not last:
                return kind
            found = kind
        i += width
    return found


def _head_kind(phrase: str, c: _Compiled) -> str | None:
    """The kind the head of a noun phrase names: the cue its last words make ("smaller memory
    footprint": footprint), or None when its last word names none ("faster memory access")."""
    words = c.words_re.findall(phrase)
    for i in range(len(words)):
        kind = c.exact.get(tuple(words[i:])) or c.terms.get(tuple(w.lower() for w in words[i:]))
        if kind:
            return kind
    last = words[-1].lower() if words else ""
    return next((k for mode, stem, k in c.globs if _glob_matches(mode, stem, last)), None)


def _words_after(sentence: str, end: int, count: int = 4) -> str:
    """Up to ``count`` words after a position, stopping at a comma, bracket, "and" or a baseline."""
    after = sentence[end : end + 80]
    aside = _ASIDE_RE.match(after)  # "37% (A10) higher throughput": read past the aside
    if aside:
        after = after[aside.end() :]
    stop = _AFTER_STOP_RE.search(after)
    if stop:
        after = after[: stop.start()]
    return " ".join(after.split()[:count])


def _until_stop_word(words: str) -> str:
    kept = []
    for word in words.split():
        if word.lower() in _PHRASE_STOP:
            break
        kept.append(word)
    return " ".join(kept)


def _baseline_text(what: str, marker: str) -> tuple[str | None, int]:
    """``"than vLLM"`` from the words after a comparison marker, and where it ends in ``what``."""
    stop = _BASELINE_STOP_RE.search(what)
    if stop and stop.group(0).strip().lower() in ("that", "which", "who") and _DEMONSTRATIVE_RE.match(what):
        # "over those systems that assume the worst case": "those" points to the relative clause
        after = _BASELINE_STOP_RE.search(what, stop.end())
        stop = after if after is None or after.start() > stop.end() else None
    phrase = what[: stop.start()] if stop else what
    words = list(re.finditer(r"\S+", phrase))[:10]
    if not words:
        return None, 0
    phrase = phrase[: words[-1].end()].rstrip(".,")
    if len(words) == 1 and re.match(r"^(?:(?:the|a|an)\b|\d)", phrase, re.I):  # "than the", not "than AlexNet"
        return None, 0
    if _DIGIT_RE.match(phrase):
        return None, 0  # "over 1000x": a qualifier, not a baseline
    return f"{' '.join(marker.split())} {' '.join(phrase.split())}", len(phrase)


def _reference_before(text: str) -> str | None:
    """The last thing ``text`` compares with that no number measures ("better than X", "X-level"),
    if the number that ends ``text`` is an adjunct of that comparison."""
    for match in reversed(list(_REFERENCE_RE.finditer(text))):
        if match.group("name"):
            baseline, end = f"vs. {match.group('name')}", match.end()
            if match.group("name")[0].isdigit():
                continue
        else:
            marker, what = match.group("marker").lower(), match.group("what")
            if marker.startswith(("outperform", "beat", "surpass")):  # "outperforms most of the deeper and ..."
                cut = _BEATEN_END_RE.search(what)
                phrase = what[: cut.start() if cut else None].rstrip()
                baseline, length = (f"vs. {' '.join(phrase.split())}", len(phrase)) if phrase else (None, 0)
            else:
                baseline, length = _baseline_text(what, "than" if marker == "than" else "vs.")
            end = match.start("what") + length
        return baseline if baseline and _ADJUNCT_RE.search(text[end:]) else None
    return None


def _sentence_claims(sentence: str, c: _Compiled) -> list[Claim]:
    """The claims of one sentence, in order."""
    quantities: list[_Quantity] = []
    for match in _QUANT_RE.finditer(sentence):
        previous = sentence[match.start() - 1] if match.start() else " "
        adjacent_range = previous == "-" and bool(quantities) and quantities[-1].end == match.start() - 1
        if (previous.isalnum() or previous in _GLUED_BEFORE) and not adjacent_range:
            continue
        start, end = match.start(), match.end()
        unit, canon = _unit_of(match)
        quantity = _Quantity(start, end, _number(match.group("num")), unit, canon, text_start=start, text_end=end)
        if match.group("lo"):  # "4-8x", "2 to 10 times"
            quantity.low = _number(match.group("lo"))
        # Ranges written with a unit on both ends: "2x to 13x", "15times sim 24times",
        # "between 1.12x and 20.2x". A range keeps both ends: its value is the upper one.
        if quantities and quantities[-1].unit == quantity.unit:
            last = quantities[-1]
            gap = sentence[last.end : start]
            between = gap.strip() == "and" and sentence[: last.start].rstrip().lower().endswith("between")
            if gap.strip() == "to" and _FROM_BEFORE_RE.search(sentence, 0, last.start):
                # "from 4,200 ms to 494 ms": the old value and the new one, not a range
                quantities[-1] = quantity
                continue
            if _RANGE_GAP_RE.match(gap) or between:
                last.low = last.value if last.low is None else last.low
                last.value, last.end, last.text_end = quantity.value, end, end
                continue
        quantities.append(quantity)

    floor = 0
    for quantity in quantities:
        _judge(sentence, quantity, floor, c)
        floor = quantity.end

    # Lists ("2.83x, 3.44x, and 2.94x respectively"; "3x, 2.4x and 1.6x throughput
    # improvement") share their kind, baseline and verdict.
    groups: list[list[_Quantity]] = []
    for quantity in quantities:
        if (
            groups
            and groups[-1][-1].unit == quantity.unit
            and _LIST_GAP_RE.match(sentence[groups[-1][-1].end : quantity.start])
        ):
            groups[-1].append(quantity)
        else:
            groups.append([quantity])
    for group in groups:
        if len(group) < 2 or not any(q.keep for q in group):
            continue
        kinds = [q.kind for q in group if q.kind]
        baselines = [q.baseline for q in group if q.baseline]
        named = group[-1].after_kind  # "339-1085x, 890-1632x energy efficiency": the word after the list names it all
        for quantity in group:
            quantity.kind = (
                named if named and not quantity.after_kind else quantity.kind or (kinds[-1] if kinds else None)
            )
            quantity.baseline = quantity.baseline or (baselines[-1] if baselines else None)
            quantity.keep = quantity.keep or quantity.unit in _RELATIVE_UNITS
            quantity.compares = quantity.compares or any(q.compares for q in group)

    # "we reduce the total compute to 64% of that of the dense model; ... we reduce it to 66%":
    # a pronoun names what the claim before it did.
    for index, quantity in enumerate(quantities):
        additional = _ADDITIONAL_BEFORE_RE.search(sentence, 0, quantity.start)  # "an additional 12.59%"
        if quantity.keep and (quantity.anaphoric or additional) and quantity.kind is None:
            earlier = [q for q in quantities[:index] if q.keep and q.kind]
            quantity.kind = earlier[-1].kind if earlier else None

    # "41.8% and 42.6% improvement in average PE utilization and inference latency (respectively)":
    # a list of numbers and a list of things, paired in order.
    for index, group in enumerate(groups):
        said = sentence.lower().find("respectively", group[-1].end)
        lead = _RESPECTIVELY_BY_RE.search(sentence, 0, group[0].start) if len(group) > 1 and said == -1 else None
        if lead:  # "decreases A and B respectively by 49% and 89%"
            start = max(sentence.rfind(",", 0, lead.start()), sentence.rfind(";", 0, lead.start())) + 1
            parts = _COORDINATION_RE.split(sentence[start : lead.start()].strip())[-len(group) :]
            kinds = [_kind_in(part, True, c) for part in parts]
            if len(parts) == len(group) and all(kinds) and any(q.keep for q in group):
                for quantity, kind in zip(group, kinds):
                    quantity.kind = kind
                _again(sentence, group, groups[index + 1 : index + 2])
            elif _per_setting(sentence, group, len(parts)) and all(kinds) and any(q.keep for q in group):
                # "... respectively by up to 54% and 44% on the Jetson and 40% and 62% on Raspberry PI"
                for at, quantity in enumerate(group):
                    quantity.kind = kinds[at % len(parts)]
            continue
        if len(group) > 1 and said == -1:
            _pair_with_object(sentence, group, c)
            continue
        if len(group) < 2:
            continue
        parts = _COORDINATION_RE.split(sentence[group[-1].end : said].strip(" ,()"))
        kinds = [_kind_in(part, True, c) for part in parts]
        if len(parts) != len(group) or not all(kinds):
            # "in 95%ile latency and GPU utilization by 33.5% and 20.1%, respectively": the things before
            lead = _BY_LIST_RE.search(sentence, 0, group[0].start)
            if lead:
                start = max(sentence.rfind(",", 0, lead.start()), sentence.rfind(";", 0, lead.start())) + 1
                parts = _COORDINATION_RE.split(sentence[start : lead.start()].strip())
                parts = parts[-len(group) :] if len(parts) >= len(group) else parts
                kinds = [_kind_in(part, True, c) for part in parts]
        if len(parts) == len(group) and all(kinds) and any(q.keep for q in group):
            for quantity, kind in zip(group, kinds):
                quantity.kind = kind

    # "by up to 2.45x (on average 1.58x)", "by 10-40% on attention backwards, 8x on state space models": a
    # number restating or continuing the claim before it, in another unit too, is a claim like it
    for before_q, quantity in zip(quantities, quantities[1:]):
        gap = sentence[before_q.end : quantity.start]
        restated = _RESTATED_RE.match(gap) and quantity.unit == before_q.unit
        continued = _LIST_GAP_RE.match(gap) and quantity.unit in _RELATIVE_UNITS and before_q.unit in _RELATIVE_UNITS
        if before_q.keep and not quantity.keep and not quantity.setting and (restated or continued):
            quantity.keep, quantity.compares = True, before_q.compares
            quantity.kind = quantity.kind or before_q.kind
            quantity.baseline = quantity.baseline or before_q.baseline

    for before_q, quantity in zip(quantities, quantities[1:]):  # "95.4% accuracy, which is ~10% higher than X"
        if before_q.keep and before_q.kind and quantity.keep and quantity.kind is None:
            gap = sentence[before_q.end : quantity.start]
            clause = gap[gap.rfind(",") :] if "," in gap and "(" not in gap else gap  # "... benchmark, greater than a"
            if _WHICH_IS_RE.match(gap) or (len(gap) < 60 and _WHICH_IS_RE.match(clause)):
                quantity.kind = before_q.kind

    # "17.77%, 2.49x, and 2.32x reductions on latency, energy, and area": a list of numbers in any unit,
    # then as many things, paired in order.
    run: list[_Quantity] = []
    for quantity in [*quantities, None]:
        if quantity is not None and (not run or _MIXED_LIST_GAP_RE.match(sentence[run[-1].end : quantity.start])):
            run.append(quantity)
            continue
        if len(run) > 1:
            things = _ON_THINGS_RE.match(sentence, run[-1].end)
            parts = _COORDINATION_RE.split(things.group("things").strip()) if things else []
            kinds = [_kind_in(part, True, c) or _head_kind(part, c) for part in parts]
            if len(parts) == len(run) and all(kinds) and any(q.keep for q in run):
                for member, kind in zip(run, kinds):
                    member.kind, member.keep = kind, True
        run = [quantity] if quantity is not None else []

    previous: _Quantity | None = None
    for quantity in quantities:  # "37x speedup over ONNX Runtime and 345x over PyTorch"
        if quantity.keep:
            if quantity.kind is None and previous is not None and previous.unit == quantity.unit == "x":
                quantity.kind = previous.kind
            previous = quantity

    # One comparison for the whole sentence ("We compare X with Y and show that it reduces A by 54%
    # and B by 44%", "... improves A by 1.39x and reduces B by 53% over Z"): the comparisons
    # that name no baseline of their own share it.
    # "significant speedups compared to traditional libraries ..., in the range of 2x to more than 1000x":
    # a factor after the sentence's comparison is a result of it.
    compared = _COMPARE_WITH_RE.search(sentence)
    if compared:
        for quantity in quantities:
            if (
                not quantity.keep
                and not quantity.setting
                and quantity.unit == "x"
                and compared.end() <= quantity.start
                and not _CLAUSE_BREAK_RE.search(sentence, compared.end(), quantity.start)
            ):
                quantity.keep = quantity.compares = True
                before = sentence[: quantity.start]
                quantity.kind = quantity.kind or _kind_in(before, True, c) or _weak_kind(before, c)

    kept = [q for q in quantities if q.keep]
    named = {q.baseline for q in kept if q.baseline}
    shared = next(iter(named)) if len(named) == 1 else None
    if shared is None and not named:
        compared = _COMPARE_WITH_RE.search(sentence)
        shared = f"compared with {' '.join(compared.group('what').split())}" if compared else None
        # "improves Pass@1 by up to 28.91% ..., while achieving performance comparable to X": parity with X
        # after the numbers is no baseline of theirs
        parity_from = compared.start() if compared and _PARITY_RE.match(compared.group(0)) else 0
    else:
        parity_from = 0
    if shared:
        for quantity in kept:  # a change, not a level reached ("to less than 0.5MB (510x smaller than AlexNet)")
            if quantity.baseline is None and quantity.compares and quantity.unit in _RELATIVE_UNITS:
                if quantity.start >= parity_from:
                    quantity.baseline = shared
    elif not named:  # a reference before the number that has none of its own
        final = _FINAL_OVER_RE.search(sentence)
        for quantity in kept:
            if quantity.baseline is None and quantity.compares:
                quantity.baseline = _reference_before(sentence[: quantity.start])
            if quantity.baseline is None and quantity.compares and final and quantity.unit in _RELATIVE_UNITS:
                quantity.baseline, _ = _baseline_text(final.group("what"), "over")

    for index, quantity in enumerate(quantities):
        if quantity.keep and quantity.baseline is None:
            following = quantities[index + 1 : index + 2]  # the very next number: "X while Y only achieves Z"
            theirs = next((r for r in following if not r.keep and not r.setting and r.canon == quantity.canon), None)
            contrast = theirs and _WHILE_THEY_RE.match(sentence[quantity.end : theirs.start])
            if contrast:
                quantity.baseline, _ = _baseline_text(contrast.group("what"), "vs.")

    # "a comparison with the ARM Cortex-M4 (MCU), ..., which is 12.87x slower ... than PULP-OPEN": a
    # relative clause on what is compared says how it fares against the paper's own system, so what
    # it is compared with is the claim's baseline.
    compared = _COMPARE_WITH_RE.search(sentence)
    if compared:
        for quantity in kept:
            if _RELATIVE_CLAUSE_RE.match(sentence, compared.end(), quantity.start):
                quantity.baseline = f"compared with {' '.join(compared.group('what').split())}"
                quantity.text_end = quantity.phrase_end or quantity.text_end  # not "... than PULP-OPEN"

    # "41-137x, 631-1074x speedup ... over GPU and CPU baseline, respectively": the second of each pair
    # is compared with the second baseline.
    pair = _RESPECTIVELY_RE.search(sentence)
    if pair:
        a, b = (re.sub(r"\s+baselines?$", "", pair.group(g)) for g in ("a", "b"))
        first = f"{pair.group('marker').lower()} {a}"
        for group in groups:
            if len(group) == 2 and group[0].keep and group[1].keep and group[1].baseline in (None, first):
                group[0].baseline = first
                group[1].baseline = f"{pair.group('marker').lower()} {b}"
    # "matches both EfficientNet and ResNeSt accuracy on ImageNet with up to 2.0x and 7.1x fewer FLOPs,
    # respectively": the pair of systems is named before the pair of numbers.
    pair = _PAIR_BEFORE_RE.search(sentence)
    if pair:
        for group in groups:
            if (
                len(group) == 2
                and pair.end("b") < group[0].start
                and group[1].end < pair.end()
                and all(q.keep for q in group)
                and group[0].baseline == group[1].baseline  # none, or the one for both
            ):
                group[0].baseline, group[1].baseline = f"vs. {pair.group('a')}", f"vs. {pair.group('b')}"

    return [
        Claim(
            text=shorten(sentence[q.text_start : q.text_end].strip(" ,;:"), 160),
            value=q.value,
            unit=q.unit,
            kind=q.kind or OTHER,
            baseline=shorten(q.baseline, 100) if q.baseline else None,
            sentence=sentence,
            low=q.low,
        )
        for q in quantities
        if q.keep
    ]


def _pair_with_object(sentence: str, group: list[_Quantity], c: _Compiled) -> None:
    """ "reduces area and power consumption roughly by 16% and 13%": a verb's object that names as
    many different kinds as the list has numbers gives them their kinds in order, as "respectively" would."""
    if not any(q.keep for q in group):
        return
    lead = _BY_LIST_RE.search(sentence, 0, group[0].start)
    if lead is None:
        return
    start = max(sentence.rfind(",", 0, lead.start()), sentence.rfind(";", 0, lead.start())) + 1
    verb = _VERB_BY_RE.search(sentence, start, group[0].start)
    if verb is None or _BEATEN_IN_RE.match(verb.group(0)) or " " not in verb.group(0):
        return
    obj = sentence[verb.start() : lead.start()].split(None, 1)[-1]
    parts = _COORDINATION_RE.split(obj.strip())
    kinds = [_kind_in(part, True, c) for part in parts]
    if len(parts) == len(group) and all(kinds) and len(set(kinds)) == len(kinds):
        for quantity, kind in zip(group, kinds):
            quantity.kind = kind


def _per_setting(sentence: str, group: list[_Quantity], size: int) -> bool:
    """Whether a list is several lists of `size` numbers, each ending with the setting it was
    measured in ("54% and 44% on the Jetson and 40% and 62% on Raspberry PI")."""
    if size < 2 or len(group) <= size or len(group) % size:
        return False
    ends = range(size, len(group), size)
    return all(_SETTING_GAP_RE.match(sentence[group[i - 1].end : group[i].start]) for i in ends)


def _again(sentence: str, group: list[_Quantity], following: list[list[_Quantity]]) -> None:
    """ "... by 49% and 89% w.r.t. X and by 37% and 55% w.r.t. Y": a list of as many numbers after
    "and by" measures the same things as `group`, against the baseline after it."""
    for then in following:
        if len(then) != len(group) or not _AND_BY_RE.match(sentence[group[-1].end : then[0].start]):
            continue
        found = _BASELINE_RE.match(sentence[then[-1].end :].lstrip())
        baseline = _baseline_text(found.group("what"), found.group("marker"))[0] if found else None
        for quantity, model in zip(then, group):
            quantity.keep, quantity.compares = True, model.compares
            quantity.kind = model.kind
            quantity.baseline = quantity.baseline or baseline


def _judge(sentence: str, q: _Quantity, floor: int, c: _Compiled) -> None:
    """Decide whether a quantity is a claim, and find its kind, baseline and phrase."""
    before = sentence[max(floor, q.start - 120) : q.start]
    before = before[max(before.rfind(";"), before.rfind(":")) + 1 :]
    aside = sentence[q.start - 1 : q.start] == "(" and sentence[q.end : q.end + 1] == ")"
    after = _words_after(sentence, q.end + aside, 5)  # "close to maximum (4times) quantization speedup"
    relative = q.unit in _RELATIVE_UNITS

    if c.settings_re is not None and c.settings_re.match(after):
        phrase = _until_stop_word(after)
        # ... unless the setting word only modifies a noun that names a kind ("4x quantization speedup")
        modifier = " " in phrase and not phrase.lower().startswith("of ")  # "20% of requests" stays a setting
        if not (relative and modifier and _head_kind(phrase, c) not in (None, OTHER)):
            q.setting = True
            return  # "75% sparsity", "8x A100 GPUs", "20% of tokens"
    if not relative and _HARDWARE_BEFORE_RE.search(before) and q.unit in ("GB", "MB", "TB", "KB"):
        q.setting = True
        return  # "a single 24GB GPU", "A100-40GB"

    # The words just before the number decide which (slow, end-anchored) patterns can apply.
    qualifier = _QUALIFIER_RE.search(before[-45:])
    lead_words = (qualifier.group(0) if qualifier else "").lower().split()
    tail = before[: len(before) - len(qualifier.group(0))] if qualifier else before
    has_by = "by" in lead_words
    verb_by = _VERB_BY_RE.search(before) if has_by else None  # "reduces the peak memory footprint by up to"
    beat_by = _BEAT_BY_RE.search(before) if has_by else None  # "outperforms vLLM by"
    if beat_by is None and "up" in lead_words:
        beat_by = _BEAT_UP_TO_RE.search(before)
    noun_of = (  # "a training speedup of"
        _NOUN_OF_RE.search(before)
        if has_by or "of" in lead_words or tail.rstrip().lower().endswith((" is", " are", " reaching"))
        else None
    )
    if verb_by is None and not has_by and tail.rstrip().lower().endswith(" to"):
        verb_by = _VERB_TO_RE.search(before)  # "reduces compute to only 30%": read like "by"

    # Kind: a keyword right after the number ("5x speedup", "40% less memory"),
    # else in the "reduces X by" / "a speedup of" phrase before it.
    # (not past "with", "at", "for", ...: "reduces compute to 30% with no loss in accuracy")
    phrase = _until_stop_word(after)
    after_kind = _kind_in(phrase, False, c)
    change_in = None if after_kind else _CHANGE_IN_RE.match(sentence[q.end : q.end + 100].lstrip())
    if change_in:  # "a further 2.90% relative reduction in WER": the change names no kind, what it is in does
        after_kind = _kind_in(change_in.group("what"), False, c)
    first, _, rest = phrase.partition(" ")
    rest = re.split(r"\s*\b(?:in|of)\b", rest)[0]  # the noun phrase ends at its preposition: "speedup in latency"
    if after_kind == OTHER and rest:  # "77.1% data compression": a noun modifying the head, which names it
        after_kind = _head_kind(phrase, c) or after_kind
    elif after_kind and rest and _COMPARATIVE_RE.fullmatch(first):
        # An adjective and its noun name different kinds ("11% smaller memory footprint"): the noun,
        # the head of the phrase, wins; a head that names no kind of its own ("lower computational
        # cost") leaves it to the word before it.
        head = _head_kind(rest, c)
        if head == OTHER:
            head = _kind_in(rest, False, c)
        after_kind = head or after_kind
    q.after_kind = after_kind
    kind = after_kind
    if kind is None and verb_by:  # the verb ("speeds up"), else its object ("reduces the memory")
        verb_span = verb_by.group(0)
        kind = next((k for pattern, k in c.verbs if pattern.match(verb_span)), None)
        beaten = _BEATEN_IN_RE.match(verb_span)
        if beaten:  # "outperforms a data-center GPU by": the object is who is beaten; "in throughput" says what
            kind = kind or (_kind_in(beaten.group("what"), True, c) if beaten.group("what") else None)
        else:  # not what a purpose clause names: "reduce the compute needed to achieve the same accuracy by 5x"
            kind = kind or _kind_in(_PURPOSE_RE.split(verb_span, 1)[0], True, c) or _kind_in(verb_span, True, c)
        if kind is None:  # "improve performance by up to 3.2x": a weak cue in the verb's object
            kind = _weak_kind(verb_span.split(None, 1)[-1] if " " in verb_span else "", c)
        q.anaphoric = kind is None and bool(_PRONOUN_OBJECT_RE.match(verb_span))
    if noun_of and re.search(r"\brates?\s+\w+\s*$", noun_of.group(0), re.I) and not _kind_in(noun_of.group(0), True, c):
        noun_of = None  # "a dropout rate of 10%": a rate no cue names is a setting
    if kind is None and noun_of:
        kind = _kind_in(noun_of.group(0), True, c)
    if kind is None:
        ahead = before
        if verb_by and _BEATEN_IN_RE.match(verb_by.group(0)):  # not who is beaten, but what is before the verb
            ahead = before[: verb_by.start()]
        kind = _kind_in(ahead[-60:], True, c)
    if not relative:  # the unit's own kind, unless a cue names another it allows ("3 hours" of training)
        own = c.units.get(q.canon)
        kind = None if own is None else kind if kind in own[1] else own[0]
    q.kind = kind

    # The phrase: from the verb, noun or qualifier before the number to the
    # comparative and kind words after it.
    if verb_by or noun_of:
        q.text_start = q.start - (len(before) - (verb_by or noun_of).start())
    elif qualifier:
        q.text_start = q.start - len(qualifier.group(0))
    if q.text_start != q.start:
        while sentence[q.text_start : q.text_start + 3].lower() in ("by ", "of "):
            q.text_start += 3
    consumed = 0
    tokens = list(re.finditer(r"\S+", sentence[q.end : q.end + 80]))
    for index, token in enumerate(tokens[: len(after.split())]):
        word = token.group(0).strip(".,").lower()
        if _DIGIT_RE.match(word) or word in _PHRASE_STOP:  # "1.4x higher throughput at 20% lower cost"
            break
        if c.phrase_re.fullmatch(word):  # type: ignore[union-attr]
            consumed = index + 1
    while consumed and tokens[consumed - 1].group(0).lower() in ("in", "of"):
        consumed -= 1
    if consumed:
        q.text_end = q.end + tokens[consumed - 1].end()
    while q.text_end > q.start and sentence[q.text_end - 1] in ".,;:":
        q.text_end -= 1

    # Baseline: "over X"/"than X" after the phrase, "outperforms X by", "Compared to X, ...".
    comparative = bool(_COMPARATIVE_RE.search(after) or _COMPARATIVE_RE.search(before[-30:]))
    comparative = comparative or bool(_CHANGE_VERB_BEFORE_RE.search(before))  # "reducing 42% area"
    # A baseline further away is a change's ("a speedup of 2x ... over X"), not a level's ("a mAP score
    # of 38.2% ..., representing a 42% reduction ... compared to X").
    change_noun = bool(noun_of and _COMPARATIVE_RE.search(noun_of.group(0)))
    far_ok = relative and (comparative or verb_by or change_noun or q.unit == "x")
    rest = sentence[q.text_end :]
    clause = _CLAUSE_BREAK_RE.search(rest)
    if clause:
        rest = rest[: clause.start()]
    close_baseline = False
    for match in _BASELINE_RE.finditer(rest):
        gap = rest[: match.start()]
        close = len(gap.split()) <= 3 and not _DIGIT_RE.search(gap)
        if not close and (not far_ok or len(gap) > 160 or match.group("marker").lower() == "over"):
            continue
        baseline, end = _baseline_text(match.group("what"), match.group("marker"))
        if baseline:
            q.baseline = baseline
            if close:  # contiguous: the phrase runs on to the baseline
                q.phrase_end = q.text_end + len(gap.rstrip())  # up to "than"
                q.text_end += match.start("what") + end
                close_baseline = True
            break
    if q.baseline is None and verb_by:  # "reduces the peak memory usage of existing networks by 4-8x"
        whose = _OF_EXISTING_RE.search(verb_by.group(0))
        if whose:
            q.baseline = "of " + " ".join(whose.group("what").split())
    if q.baseline is None and beat_by:
        beaten = beat_by.group("what")
        cut = _BEATEN_END_RE.search(beaten)
        q.baseline = "vs. " + " ".join(beaten[: cut.start() if cut else None].split())
    if q.baseline is None and has_by and _BEAT_BY_OBJECT_AFTER_RE.search(before):
        # "outperforms by 1.6 times previous FP32 parallel implementations": the object follows the number
        q.baseline, _ = _baseline_text(sentence[q.text_end :].lstrip(), "vs.")
    if q.baseline is None and relative:
        of_that = _OF_THAT_RE.match(sentence, q.end)  # "to 64% of that of the dense model"
        if of_that:
            q.baseline = "of " + " ".join(of_that.group("what").split())
    if q.baseline is None and relative:
        opened = before.rfind("(")  # "more efficient than existing implementations (with up to 1.42x speedup)"
        if opened != -1 and ")" not in before[opened:]:
            than = _THAN_BEFORE_RE.search(before[:opened])
            if than:
                q.baseline = f"{than.group('marker').lower()} {' '.join(than.group('what').split())}"
    if q.baseline is None and relative:
        matched = _TO_MATCH_RE.match(sentence, q.text_end)  # "55% of the compute to match the peak performance of X"
        if matched:
            q.baseline, _ = _baseline_text(matched.group("what"), "vs.")
    if q.baseline is None and relative:
        leading = _LEADING_COMPARED_RE.match(sentence)
        if leading and leading.end() <= q.start:
            what = " ".join(leading.group("what").split())
            q.baseline = what[0].lower() + what[1:]  # "compared to SmoothQuant", as the other baselines read

    # Keep it? A relative number must read as a comparison or a named metric;
    # an absolute one must read as a measured result, not a constraint.
    structured = bool(verb_by or noun_of or beat_by or close_baseline)
    structured = structured or (has_by and kind is not None)  # "energy consumption (by up to 88.2%)"
    q.compares = bool(verb_by or beat_by or comparative or has_by or q.unit == "x")
    q.compares = q.compares or bool(_OF_THEIRS_RE.match(sentence, q.end))  # "only 0.01% of their parameters"
    if relative and not structured and _CONDITION_BEFORE_RE.search(before):
        return  # "for 10% performance improvements, models can require nearly a 4x increase": the condition
    if q.unit == "x":
        q.keep = structured or comparative or after_kind is not None or q.baseline is not None
    elif relative:
        q.keep = structured or bool(_COMPARATIVE_RE.search(after)) or after_kind is not None
        q.keep = q.keep or bool(_CHANGE_VERB_BEFORE_RE.search(before))  # "reducing 42% area, 38% power"
        q.keep = q.keep or bool(_ADDITIONAL_BEFORE_RE.search(before))  # "an additional 12.59%"
        q.keep = q.keep and (structured or not _THEIR_LEVEL_RE.search(before))
        if q.unit == "points":  # a difference in points: the kind claims.yml gives points, or none
            own = c.units.get("points")
            q.keep = (structured or comparative) and (kind is None or (own is not None and kind in own[1]))
            q.kind = own[0] if own else None
    else:
        constraint = _CONSTRAINT_BEFORE_RE.search(before)
        theirs = _THEIRS_BEFORE_RE.search(before)  # "while ZeRO-Infinity only achieves 45 TFLOPS"
        theirs = theirs or _THEIRS_AFTER_RE.match(sentence, q.end)  # "3,150 GPU days by the AmoebaNet model"
        q.keep = (
            not constraint and not theirs and bool(structured or after_kind or _RESULT_VERB_RE.search(before[-50:]))
        )
    if q.keep and q.kind is None and q.unit == "x":  # "outperforms X by 2x", "9.9x performance improvement"
        # ... or before a colon: "kernels outperform PyTorch eager and torch.compile: 5.29x over eager on RMSNorm"
        q.kind = _weak_kind(before, c) or _weak_kind(after, c) or _weak_kind(sentence[floor : q.start], c)


# Unitless results named by their metric ("AUROC of 0.93", "Spearman 0.51", "TM-score 0.82",
# "ARI = 0.64"; the names are content, _compile makes them one pattern) or by a notation:
_P_VALUE_RE = re.compile(r"(?<![\w-])[pP]\s*(?:<|=|≤|<=)\s*(?P<num>0?\.\d+)(?![\d.])")  # "p < 0.01"
_SAMPLE_RE = re.compile(r"(?<![\w-])[nN]\s*=\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]\d)")  # "n = 1,200"


def _metric_claims(sentence: str, c: _Compiled) -> list[Claim]:
    """Unitless results a metric names (a number with a unit is left to _sentence_claims)."""
    found: list[tuple[int, Claim]] = []
    if c.metric_re is not None:
        for match in c.metric_re.finditer(sentence):
            index = next(i for i in range(len(c.metrics)) if match.group(f"m{i}"))
            kind, most = c.metrics[index]
            value = _number(match.group("num"))
            if most is not None and value > most:
                continue
            text = match.group(0)
            if text.count("(") > text.count(")") and sentence.startswith(")", match.end()):
                text += ")"  # "F1 score (0.782)"
            found.append(
                (match.start(), Claim(text, value, "", kind, _compared_aside(sentence, match.start()), sentence))
            )
    if c.metric_after_re is not None:
        taken = {claim.value for _, claim in found}
        last: tuple[int, str | None] | None = None  # where the last one ended, its baseline
        for match in c.metric_after_re.finditer(sentence):
            index = next(i for i in range(len(c.metrics)) if match.group(f"m{i}"))
            kind, most = c.metrics[index]
            value = _number(match.group("num"))
            if (most is not None and value > most) or value in taken:  # "AUROC 0.93 AUPRC ...": read already
                continue
            if _SERIES_BEFORE_RE.search(sentence, 0, match.start()):  # "25.2, 31.3, 38.2 and 41 mAP for ...": a curve
                continue
            # "outperform X by 1.7 mAP": a difference, against what is outperformed; "..., 3.7 mAP on Y":
            # the list goes on against the same
            by = _BY_LIST_RE.search(sentence, 0, match.start())
            beaten = _BEATEN_BEFORE_RE.search(sentence, 0, by.start()) if by else None
            baseline = f"vs. {' '.join(beaten.group('what').split())}" if beaten else None
            if not by and last is not None and not re.search(r"[;.]\s", sentence[last[0] : match.start()]):
                baseline = last[1]
            text = sentence[by.start() if by else match.start() : match.end()].strip()
            found.append((match.start(), Claim(text, value, "", kind, baseline, sentence)))
            last = (match.end(), baseline)
    for pattern, kind in c.notations:
        for match in pattern.finditer(sentence):
            found.append((match.start(), Claim(match.group(0), _number(match.group("num")), "", kind, None, sentence)))
    return [claim for _, claim in sorted(found, key=lambda item: item[0])]


def _compared_aside(sentence: str, start: int) -> str | None:
    """The baseline of a score in parentheses after a comparison: "better quality than MobileNeRF
    (PSNR 26.15 vs. 25.91)" is compared with MobileNeRF."""
    opened = sentence.rfind("(", 0, start)
    if opened == -1 or ")" in sentence[opened:start]:
        return None
    before = _THAN_BEFORE_RE.search(sentence[:opened].rstrip())
    return _baseline_text(before.group("what"), before.group("marker"))[0] if before else None


def extract_claims(
    abstract: str,
    title: str = "",
    sentences: list[str] | None = None,
    contribution: Contribution | None = None,
    kinds: KindSet | None = None,
) -> list[Claim]:
    """Quantitative claims of an abstract, in reading order, of the given kinds (the built-in ones by default).

    Sentences before the one stating the contribution are motivation ("models
    have grown 1000x while GPU memory grew 5x"), so their numbers count only if
    the sentence speaks about this work ("we", "our") and is not an observation
    of the problem ("we found that ... the critical bottleneck ... 0% of runtime").
    """
    sentences = split_sentences(abstract) if sentences is None else sentences
    contribution = contribution or contribution_index(sentences, title)
    start = contribution.first if contribution.first is not None else 0
    compiled = (kinds if kinds is not None else default_kinds()).compiled
    claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        if not _DIGIT_RE.search(sentence):
            continue
        if index < start and (
            not _WE_RE.search(sentence) or (_OBSERVATION_RE.search(sentence) and _PROBLEM_RE.search(sentence))
        ):
            continue
        claims.extend(_sentence_claims(sentence, compiled))
        claims.extend(_metric_claims(sentence, compiled))
    # The same number restated ("a 70.5% top-1 accuracy" ... "70.5% top-1") counts once.
    seen: set[tuple[float, float | None, str, str]] = set()
    unique = []
    for claim in claims:
        key = (claim.value, claim.low, claim.unit, claim.kind)  # "10.1-36.6%" and "14.5-36.6%" are two
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique
