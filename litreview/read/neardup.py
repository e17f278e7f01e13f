"""Near-duplicate papers: one paper under two titles, reported and never merged.

Two papers are near duplicates when their normalised titles are at least
NEAR_RATIO similar (rapidfuzz's normalised Indel ratio: a typo, a changed
word, singular and plural), or when one title is the other plus a subtitle
("BERT" and "BERT: Pre-training of ..."), the shorter having at least
SUBTITLE_MIN_WORDS words, or when they have the same first author, years
at most a year apart and titles sharing most of their words (rapidfuzz's
token set ratio at least SAME_AUTHOR_RATIO): a preprint and its published
version under another title.

Only pairs that share one of the rarer words of a title are compared: each
title looks up the titles holding its RARE_WORDS least frequent words
that some other title has too (words in more than MAX_POSTINGS titles are
never used), so the work grows
with the number of papers, not with its square.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from litreview.model import Paper

NEAR_RATIO = 92.0
SUBTITLE_MIN_WORDS = 3
SAME_AUTHOR_RATIO = 75.0
RARE_WORDS = 3
MAX_POSTINGS = 200  # words in more titles than this are too common to find candidates by


def near_pairs(papers: list[Paper]) -> Iterator[tuple[Paper, Paper, str]]:
    """(earlier, later, why) for each near-duplicate pair, in catalogue order."""
    if len(papers) < 2:
        return
    from rapidfuzz import fuzz  # lazy: only when a catalogue is checked

    words = [set(p.key.split()) for p in papers]
    df = Counter(w for ws in words for w in ws)
    index: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in ws:
            if df[w] <= MAX_POSTINGS:
                index.setdefault(w, []).append(i)
    seen: set[tuple[int, int]] = set()
    for i, ws in enumerate(words):
        shared = (w for w in ws if w in index and df[w] > 1)  # a word of one title finds no other
        for w in sorted(shared, key=lambda w: (df[w], w))[:RARE_WORDS]:
            for j in index[w]:
                if j <= i or (i, j) in seen:
                    continue
                seen.add((i, j))
                why = _why(papers[i].key, papers[j].key, fuzz) or _same_author(papers[i], papers[j], fuzz)
                if why:
                    yield papers[i], papers[j], why


def _same_author(a: Paper, b: Paper, fuzz) -> str:
    if not (a.authors and b.authors and a.year and b.year) or abs(a.year - b.year) > 1:
        return ""
    if a.authors[0].casefold() != b.authors[0].casefold() or a.authors[0] == "others":
        return ""
    if fuzz.token_set_ratio(a.key, b.key) >= SAME_AUTHOR_RATIO:
        return "same first author and year, similar title: a preprint and its published version?"
    return ""


def _why(a: str, b: str, fuzz) -> str:
    if a == b:
        return ""
    short, long = sorted((a, b), key=len)
    if long.startswith(short + " ") and len(short.split()) >= SUBTITLE_MIN_WORDS:
        return "one title is the other with a subtitle"
    if abs(len(a) - len(b)) <= max(len(a), len(b)) * 0.1 and fuzz.ratio(a, b) >= NEAR_RATIO:
        return "the titles differ by a few characters"
    return ""
