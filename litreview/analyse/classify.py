"""Topic and tag rules -> assignments, each with the reasons it was made.

A topic (or tag) has include terms with weights, exclude terms, field weights
and a minimum score (see content/topics/*.md and content/tags.yml). A paper's
score for a topic is the sum, over the distinct include terms found in each
field, of term weight x field weight; any exclude term found anywhere vetoes
the topic. Words match on Porter stems and phrases on consecutive stems
(litreview.stemming), so "quantization" matches "quantized" and "4-bit"
matches "4bit". A term (or a whole rule set) with `match: exact` matches only
the word or phrase as written, in any case and with the same hyphen and
compound spellings, but unstemmed: exact "general" matches "General" and not
"generalization" or "generation". A term that starts with a number matches
only where the number starts a word or follows a hyphen: "3D" matches
"3D-aware" but not "S3D" or "X3D", names that merely contain it.

The primary topic is the best score at or above the topic's min_score (ties go
to the lower `order`, then the slug); other topics that reach their min_score
and at least SECONDARY_RATIO of the primary's score become secondary topics.
Tags use the same scoring and are all kept when they reach their min_score.
Sub-themes (a topic's `subthemes:`) too: a paper gets, for each topic, the
sub-theme with the best score at or above its min_score (ties go to the one
declared first); the review places it by the sub-theme of its primary topic.
Speed (this runs on every build): rules are compiled once per call; each
distinct written word is stemmed and looked up once (memoised), phrases are
found by intersecting an index of their first two stems with the pairs of
neighbouring stems in a text, and reasons are spelled out only for the topics
and tags a paper actually gets (for its sub-themes, only when `explain` asks).
Exact terms are looked up by their stems too, and the written words compared
only where those stems occur.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, islice

from litreview.analyse.stemming import Analyser, ExactAnalyser, Tokens, glued, term_stems, term_words, words
from litreview.model import DEFAULT_MIN_SCORE, Assignment, Paper, Site, Tag, Topic

FIELDS = ("title", "abstract")
DEFAULT_FIELD_WEIGHTS = {"title": 3.0, "abstract": 1.0}
SECONDARY_RATIO = 0.5  # a secondary topic scores at least half the primary's score
CONFLICT_RATIO = 0.9  # top two scores within 10%: the rules barely decide
# Defaults of content/site.yml's `check:` thresholds (model.SiteConfig holds the values used).
MAX_SHARE = 0.20  # a topic holding more than this share of papers as primary is too broad
MIN_PAPERS = 5  # a topic with fewer primary papers is too narrow
EXAMPLES = 5  # how many examples a diagnosis names before "and N more"

MATCH_MODES = ("stem", "exact")  # how a term is compared: a mode's index is the first item of its TermKey
STEM, EXACT = 0, 1
# (mode, compound tokens, part tokens): stems for STEM terms, lowercase written words for EXACT ones
TermKey = tuple[int, tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Term:
    """One include/exclude term, with its stems (or, when exact, its lowercase words) precomputed."""

    text: str
    weight: float
    key: TermKey


@dataclass
class RuleSet:
    """The compiled rules of one topic or tag."""

    slug: str
    order: int
    include: list[Term]
    exclude: list[Term]
    fields: dict[str, float]
    min_score: float


def _terms(raw: Iterable, match: str = "stem") -> list[Term]:
    """Terms from validated rules ({term, weight, match}) or plain strings.

    `match` is the rule set's default for terms that do not say. Spellings
    with the same tokens at either level ("mixture of experts" and
    "mixture-of-experts", "pretraining" and "pre-training") and the same
    match mode are one term, counted once with the highest weight given.
    """
    terms: list[Term] = []
    index: dict[tuple, int] = {}  # (mode, parts or compound tokens) -> position in terms
    for item in raw or ():
        if isinstance(item, str):
            text, weight, mode = item, 1.0, match
        else:
            text, weight = str(item["term"]), float(item.get("weight", 1.0))
            mode = item.get("match") or match
        exact = MATCH_MODES.index(mode)
        compounds, parts = term_words(text) if exact else term_stems(text)
        if not parts:
            continue  # punctuation only: nothing to match
        key = (exact, compounds, parts)
        term = Term(text, weight, key)
        at = index.get((exact, parts), index.get((exact, compounds)))
        if at is None:
            index[exact, compounds] = index[exact, parts] = len(terms)
            terms.append(term)
        elif weight > terms[at].weight:
            terms[at] = term
    return terms


def compile_rules(slug: str, rules: dict, order: int = 0) -> RuleSet:
    """A rule set from a topic's or tag's validated `rules` mapping."""
    fields = dict(DEFAULT_FIELD_WEIGHTS)
    fields.update({k: float(v) for k, v in (rules.get("fields") or {}).items() if k in FIELDS})
    min_score = rules.get("min_score")
    match = rules.get("match") or "stem"
    return RuleSet(
        slug=slug,
        order=order,
        include=_terms(rules.get("include"), match),
        exclude=_terms(rules.get("exclude"), match),
        fields=fields,
        min_score=DEFAULT_MIN_SCORE if min_score is None else float(min_score),
    )


# Where a term matched, to show a reason: (level, index of its first token or -1 for the
# first place its tokens occur, its tokens).
Location = tuple[int, int, tuple[str, ...]]


@dataclass
class Found:
    """The terms found in one text, with its tokens."""

    terms: dict[TermKey, Location]
    tokens: Tokens


class Matcher:
    """Finds which terms occur in a text.

    Single-stem terms are found by intersecting the text's stems with the
    terms' stems. Phrases are indexed by their first two stems, so intersecting
    that index with the pairs of neighbouring stems in a text finds every
    candidate at once; longer phrases are then checked in full.

    An exact term's words stem like themselves, so exact terms are indexed by
    their stems too: only where those stems occur are the written words
    lowercased and compared, so a text pays for exact terms only where one of
    them may be.
    """

    def __init__(self, rule_sets: Iterable[RuleSet]):
        self.single: list[dict[str, list[TermKey]]] = [{}, {}]
        # per level: (first stem, second stem) -> [(term, stems)]
        self.phrases: list[dict[tuple[str, str], list[tuple[TermKey, tuple[str, ...]]]]] = [{}, {}]
        # exact terms per level: first stem -> [(term, its stems, its lowercase words)]
        self.exact: list[dict[str, list[tuple[TermKey, tuple[str, ...], tuple[str, ...]]]]] = [{}, {}]
        self.whole: set[TermKey] = set()  # exact terms whose part level is their compound level
        stems: set[str] = set()
        seen: set[TermKey] = set()
        for rules in rule_sets:
            for term in (*rules.include, *rules.exclude):
                if term.key in seen:
                    continue
                seen.add(term.key)
                if term.key[0] == EXACT:
                    for level, (run, lower) in enumerate(zip(term_stems(term.text), term.key[1:])):
                        stems.update(run)
                        if run and len(run) == len(lower):  # one stem per lowercase word or part
                            self.exact[level].setdefault(run[0], []).append((term.key, run, lower))
                    if term.key[1] == term.key[2]:  # no word of it splits: its parts are its words
                        self.whole.add(term.key)
                    continue
                for level, level_stems in enumerate(term.key[1:]):
                    stems.update(level_stems)
                    if len(level_stems) == 1:
                        self.single[level].setdefault(level_stems[0], []).append(term.key)
                    elif level_stems:
                        self.phrases[level].setdefault(level_stems[:2], []).append((term.key, level_stems))
        self.analyser = Analyser(stems)
        self.lower = ExactAnalyser()
        self.stems = stems
        self.single_stems = [frozenset(index) for index in self.single]
        self.phrase_pairs = [frozenset(index) for index in self.phrases]
        self.phrase_firsts = [frozenset(first for first, _ in index) for index in self.phrases]
        self.exact_firsts = [frozenset(index) for index in self.exact]
        self.has_exact = any(self.exact)

    def find(self, text: str) -> Found:
        """Every term that occurs in `text`."""
        tokens = self.analyser.sequences(words(text))
        terms: dict[TermKey, Location] = {}
        present: set[str] | None = None
        adjacent: set[tuple[str, str]] | None = None
        for level, seq in enumerate((tokens.compounds, tokens.parts)):
            if present is None or seq is not tokens.compounds:  # no word split: both levels share stems
                present, adjacent = set(seq), None
            for first in self.single_stems[level].intersection(present):
                for key in self.single[level][first]:
                    if key not in terms:
                        terms[key] = (level, -1, (first,))
            if self.has_exact:
                for first in self.exact_firsts[level].intersection(present):
                    for key, run, lower in self.exact[level][first]:
                        if key in terms or (level and tokens.counts is None and key in self.whole):
                            continue  # found, or already looked for in the same tokens
                        at = self._exact_run(tokens, level, run, lower)
                        if at >= 0:
                            terms[key] = (level, at, run)
            if self.phrase_firsts[level].isdisjoint(present):
                continue  # no phrase can start here: skip pairing every neighbour
            if adjacent is None:
                adjacent = set(zip(seq, islice(seq, 1, None)))
            for pair in self.phrase_pairs[level].intersection(adjacent):
                for key, stems in self.phrases[level][pair]:
                    if key in terms:
                        continue
                    if level and tokens.counts is not None and stems[0].isdigit():
                        at = _free_run(tokens, stems)
                        if at >= 0:
                            terms[key] = (level, at, stems)
                    elif len(stems) == 2 or _find_run(seq, stems) >= 0:
                        terms[key] = (level, -1, stems)
        return Found(terms, tokens)

    def _exact_run(self, tokens: Tokens, level: int, run: tuple[str, ...], lower: tuple[str, ...]) -> int:
        """Where the stems `run` first occur written as the lowercase words `lower`, or -1."""
        seq = tokens.parts if level else tokens.compounds
        n, at = len(run), -1
        while True:
            at = _find_run(seq, run, at + 1)
            if at < 0:
                return -1
            if level and tokens.counts is not None and run[0].isdigit() and _glued_at(tokens, at):
                continue
            if level and tokens.counts is not None:  # parts of the written words the run spans
                owner = tokens.owners()
                first, skip = owner[at], at
                while skip and owner[skip - 1] == first:
                    skip -= 1
                spanned = tokens.words[first : owner[at + n - 1] + 1]
                parts = tuple(chain.from_iterable(self.lower.analyse(w)[1] for w in spanned))
                written = parts[at - skip : at - skip + n]
            else:  # one token per written word at this level
                written = tuple(self.lower.analyse(w)[0] for w in tokens.words[at : at + n])
            if written == lower:
                return at


def _find_run(seq: tuple[str, ...], stems: tuple[str, ...], start: int = 0) -> int:
    """Where `stems` first occur consecutively in `seq` from `start` on, or -1."""
    n = len(stems)
    try:
        i = seq.index(stems[0], start)
    except ValueError:
        return -1
    while True:
        if seq[i : i + n] == stems:
            return i
        try:
            i = seq.index(stems[0], i + 1)
        except ValueError:
            return -1


def _glued_at(tokens: Tokens, at: int) -> bool:
    """Whether part `at` is glued to the part before it in the same written word ("3" in "S3D")."""
    owner = tokens.owners()
    first = at
    while first and owner[first - 1] == owner[at]:
        first -= 1
    return glued(tokens.words[owner[at]])[at - first]


def _free_run(tokens: Tokens, stems: tuple[str, ...]) -> int:
    """Where the part stems `stems`, the first a number, first occur not glued to a letter or
    number before them in the same word, or -1: "3D" is in "3D-aware" but not in "S3D" or "X3D",
    where the number belongs to a name."""
    at = _find_run(tokens.parts, stems)
    while at >= 0 and _glued_at(tokens, at):
        at = _find_run(tokens.parts, stems, at + 1)
    return at


def _level(tokens: Tokens, level: int) -> tuple[str, ...]:
    return tokens.compounds if level == 0 else tokens.parts


def _points(value: float) -> str:
    return f"{value:+g}"


def reason(written: str, field_name: str, term: Term, points: float) -> str:
    """Why a term counted, showing the word as the paper wrote it."""
    if written.lower() == term.text.lower():
        return f'"{written}" in {field_name} ({_points(points)})'
    exact = "exact " if term.key[0] == EXACT else ""
    return f"'{written}' in {field_name} matched {exact}\"{term.text}\" ({_points(points)})"


Hit = tuple[int, int, Term, Location, float]  # field, term position in the rules, term, where, points


@dataclass
class Score:
    """One rule set's result for one paper; reasons are spelled out only when assigned."""

    rules: RuleSet
    score: float = 0.0
    hits: list[Hit] = field(default_factory=list)

    def reasons(self, texts: list[str], found: list[Found]) -> list[str]:
        return [
            reason(_written(texts[f], found[f], where), FIELDS[f], term, points)
            for f, _, term, where, points in self.hits  # sorted by _hit_order in scores()
        ]


def _written(text: str, found: Found, where: Location) -> str:
    level, start, run = where
    tokens = found.tokens
    at = start if start >= 0 else _find_run(_level(tokens, level), run)
    return tokens.written(text, level, at, len(run))


def _hit_order(hit: Hit) -> tuple[int, int]:
    return hit[0], hit[1]


class Classifier:
    """Scores papers against compiled topic and tag rules.

    A paper gets the best sub-theme of every topic whose sub-theme rules it
    meets (an override may move it to any of them), but only `explain` shows
    why: the build spells out sub-theme reasons only with subtheme_reasons
    (they were 60% of all reasons and most of a classified paper's memory)."""

    def __init__(self, topics: list[Topic], tags: list[Tag], subtheme_reasons: bool = False):
        self.subtheme_reasons = subtheme_reasons
        # Each distinct reason text once: most papers give a term's reason in the same words
        # ('"quantization" in title (+3)'), 3,236 texts for 118,363 reasons at 10,000 papers.
        self._texts: dict[str, str] = {}
        self._subthemes: dict[tuple[str, float], Assignment] = {}
        self.topics = [compile_rules(t.slug, t.rules, t.order) for t in topics]
        self.tags = [compile_rules(t.slug, t.rules) for t in tags]
        # Sub-themes: "topic/sub-theme", ordered as declared (the earlier wins a tie).
        self.subthemes = [
            compile_rules(f"{t.slug}/{s.slug}", s.rules, position)
            for t in topics
            for position, s in enumerate(t.subthemes)
        ]
        self.rule_sets = [*self.topics, *self.tags, *self.subthemes]
        self.matcher = Matcher(self.rule_sets)
        # term -> every (rule set, term position, term, field weights or None for an exclude)
        self.uses: dict[TermKey, list[tuple[int, int, Term, tuple[float, ...] | None]]] = {}
        for r, rules in enumerate(self.rule_sets):
            weights = tuple(rules.fields.get(name, 0.0) for name in FIELDS)
            for position, term in enumerate(rules.include):
                self.uses.setdefault(term.key, []).append((r, position, term, weights))
            for position, term in enumerate(rules.exclude):
                self.uses.setdefault(term.key, []).append((r, position, term, None))

    def scores(self, found: list[Found]) -> dict[int, Score]:
        """The score of every rule set that a paper's [title, abstract] matches and
        that no exclude term vetoes, by rule-set index."""
        results: dict[int, Score] = {}
        vetoed: set[int] = set()
        for f, field_found in enumerate(found):
            for key, where in field_found.terms.items():
                for r, position, term, weights in self.uses[key]:
                    if weights is None:
                        vetoed.add(r)
                    elif weights[f]:
                        result = results.get(r)
                        if result is None:
                            result = results[r] = Score(self.rule_sets[r])
                        result.hits.append((f, position, term, where, term.weight * weights[f]))
        for r in vetoed:
            results.pop(r, None)
        # Add the points up in one fixed order (field, then rule order): the order terms
        # are found in follows string hashing, which differs between processes, and with
        # weights like 0.3 a float sum depends on its order (3.7 vs 3.6999999999999997).
        for result in results.values():
            result.hits.sort(key=_hit_order)
            for hit in result.hits:
                result.score += hit[4]
        return results

    def classify(self, paper: Paper) -> None:
        """Set paper.topics (primary first), paper.primary_topic, paper.tags and paper.subthemes from the rules."""
        texts = [paper.title, body_text(paper)]
        found = [self.matcher.find(text) for text in texts]
        n_topics, n_labels = len(self.topics), len(self.topics) + len(self.tags)
        topics, tags, subthemes = [], [], []
        for r, result in self.scores(found).items():
            if result.score > 0 and result.score >= result.rules.min_score:
                (topics if r < n_topics else tags if r < n_labels else subthemes).append(result)
        topics.sort(key=lambda s: (-s.score, s.rules.order, s.rules.slug))
        chosen = topics[:1] + [s for s in topics[1:] if s.score >= SECONDARY_RATIO * topics[0].score]
        paper.topics = [Assignment(s.rules.slug, s.score, self._reasons(s, texts, found)) for s in chosen]
        paper.primary_topic = paper.topics[0].slug if paper.topics else None
        tags.sort(key=lambda s: (-s.score, s.rules.slug))
        paper.tags = [Assignment(s.rules.slug, s.score, self._reasons(s, texts, found)) for s in tags]
        best: dict[str, Score] = {}  # topic -> its best sub-theme for this paper
        for result in sorted(subthemes, key=lambda s: (-s.score, s.rules.order)):
            best.setdefault(result.rules.slug.split("/", 1)[0], result)
        if self.subtheme_reasons:
            paper.subthemes = [
                Assignment(s.rules.slug, s.score, self._reasons(s, texts, found)) for _, s in sorted(best.items())
            ]
        else:
            paper.subthemes = [self._subtheme(s.rules.slug, s.score) for _, s in sorted(best.items())]

    def _subtheme(self, slug: str, score: float) -> Assignment:
        """Without reasons, one frozen Assignment per sub-theme and score serves every paper."""
        found = self._subthemes.get((slug, score))
        if found is None:
            found = self._subthemes[slug, score] = Assignment(slug, score)
        return found

    def _reasons(self, score: Score, texts: list[str], found: list[Found]) -> list[str]:
        shared = self._texts.setdefault
        return [shared(text, text) for text in score.reasons(texts, found)]


def body_text(paper: Paper) -> str:
    """The text matched as the abstract: the abstract, or a paper's keywords when it has none."""
    return paper.abstract or "; ".join(paper.keywords)


def classify(papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
    """Give every paper its topics and tags from the rules, each with its reasons.

    A paper's assignments depend only on its title, its body_text and the
    rules (engine/steps.py memoises them by exactly that).
    """
    classifier = Classifier(topics, tags)
    for paper in papers:
        classifier.classify(paper)


def group(papers: list[Paper], topics: list[Topic], tags: list[Tag]) -> None:
    """Fill Topic.papers (primary), Topic.secondary and Tag.papers from the papers' assignments.

    Run after overrides, so a paper moved by hand is listed where it was moved.
    Papers keep the order of `papers`.
    """
    by_topic = {t.slug: t for t in topics}
    by_tag = {t.slug: t for t in tags}
    for item in (*topics, *tags):
        item.papers = []
    for topic in topics:
        topic.secondary = []
    for paper in papers:
        for position, assignment in enumerate(paper.topics):
            topic = by_topic.get(assignment.slug)
            if topic is not None:
                (topic.papers if position == 0 else topic.secondary).append(paper)
        for assignment in paper.tags:
            tag = by_tag.get(assignment.slug)
            if tag is not None:
                tag.papers.append(paper)


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:EXAMPLES])
    more = len(items) - EXAMPLES
    return shown + (f"; and {more} more" if more > 0 else "")


def diagnose(site: Site) -> list[str]:
    """Warnings about the taxonomy for `build.py check`: gaps, lopsided topics, close calls."""
    warnings: list[str] = []
    papers = site.papers
    total = len(papers) or 1
    loose = [p for p in papers if not p.topics]
    if loose:
        warnings.append(
            f"{len(loose)} paper(s) ({len(loose) / total:.1%}) match no topic rule; add terms to a topic "
            f"or a 'topics:' override: " + _listing([f'{p.id} "{p.title}"' for p in loose])
        )
    primary = Counter(p.topics[0].slug for p in papers if p.topics)
    min_papers, max_share = site.config.min_papers_per_topic, site.config.max_topic_share
    automatic = [t for t in site.topics if t.automatic]
    if automatic:
        grouped = sum(primary.get(t.slug, 0) for t in automatic)
        warnings.append(
            f"{grouped} paper(s) are in {len(automatic)} automatic topic(s) found by their text; "
            f"`python build.py suggest-topics` drafts content/topics/ files with rules for them"
        )
    for topic in site.topics:
        if topic.automatic:
            continue
        count = primary.get(topic.slug, 0)
        if not topic.papers and not topic.secondary:
            rules = topic.rules or {}
            terms = ", ".join(str(t["term"] if isinstance(t, dict) else t) for t in rules.get("include") or [])
            warnings.append(
                f"{topic.path}: topic '{topic.slug}' matches no paper: no paper reaches its min_score "
                f"{float(rules.get('min_score', DEFAULT_MIN_SCORE)):g} with the include terms "
                f"[{_listing(terms.split(', ')) if terms else 'none'}]; its page says it has no paper yet. "
                f"Add terms the papers use, lower min_score, or remove the topic"
            )
        elif count < min_papers:
            warnings.append(
                f"{topic.path}: topic '{topic.slug}' is the primary topic of only {count} paper(s) "
                f"(fewer than {min_papers}); broaden its rules or merge it into another topic"
            )
        elif count > max_share * total:
            warnings.append(
                f"{topic.path}: topic '{topic.slug}' is the primary topic of {count} papers "
                f"({count / total:.0%}, more than {max_share:.0%}); split it or tighten its rules"
            )
    close = [
        p
        for p in papers
        if len(p.topics) > 1
        and p.topics[0].origin == "rules"
        and p.topics[1].score >= CONFLICT_RATIO * p.topics[0].score
    ]
    if close:
        warnings.append(
            f"{len(close)} paper(s) sit between two topics (top scores within {1 - CONFLICT_RATIO:.0%}); "
            f"an override's 'topics:' settles one: "
            + _listing(
                [
                    f"{p.id} ({p.topics[0].slug} {p.topics[0].score:g} vs {p.topics[1].slug} {p.topics[1].score:g})"
                    for p in close
                ]
            )
        )
    return warnings
