"""Automatic topics: papers grouped by their text when no rule places them.

When content/topics/ defines no topic, every paper is grouped; otherwise
the papers that no rule (and no override) places are grouped, once they
are too many to leave on "All papers" (more than the site's uncategorised
share, see `leftover_threshold`). content/site.yml's `automatic_topics: off`
turns this off.

How: TF-IDF over title (twice), abstract and keywords (scikit-learn's
TfidfVectorizer, words and word pairs found in at least two papers and in at
most half of them), factorised by NMF into about sqrt(n) components; each
paper goes to its heaviest component. A group of fewer than MIN_PAPERS
papers is dissolved into its members' next best groups, and a group holding
more than MAX_SHARE of the papers is split in two the same way. A group is
named by its component's heaviest terms, which are its most distinctive
ones, and marked automatic on the site.

Stable: NMF starts from anchor papers, the first k papers in an order fixed
by a hash of each paper's id, each component starting as its anchor's terms.
Adding or removing a paper leaves every other paper's start where it was
(unless it is an anchor itself, about sqrt(n) of n papers), so the same
local optimum is found. Leaving one of the 478 seed papers out keeps the
others' grouping at an adjusted Rand index of about 0.98 on average (about
0.8 when the paper left out is an anchor); with NMF's usual SVD start
(NNDSVDa), which rotates whenever any paper changes, it was 0.6, and about
98% of the other papers saw their group-mates change. The price is a little
agreement with the hand taxonomy: normalised mutual information 0.53
against 0.59 (bench/results/autotopics.md). Other starts measured: a
consensus of ten randomly started NMF runs (0.82 stable, NMI 0.57, 8x
slower), Ward clustering (0.75, NMI 0.52), average linkage on cosine
distances (0.92, NMI 0.49), and NMF from per-paper hashed random weights
(0.86 to 0.93 depending on the hash, NMI 0.54 to 0.58).

Deterministic: the start depends only on the papers' ids and texts, and
NMF's coordinate descent is not shuffled, so the same papers give the same
groups; the scores shown are rounded, so the floating-point noise of
different BLAS builds never reaches a page.

scikit-learn is imported only inside these functions, and only when there
is something to group, so a build that needs no automatic topic never
loads it.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

from litreview.model import Assignment, Paper, Topic

MIN_PAPERS = 3  # a smaller group is dissolved into its members' next best groups
MAX_SHARE = 0.25  # a group holding more of the papers is split
MAX_GROUPS = 40
MAX_TERMS = 20_000  # the most frequent words and word pairs; bounds NMF's time on big catalogues
AUTO_ORDER = 100_000  # automatic topics are listed after every hand-written one
TOP_TERMS = 12  # terms kept per group (the name uses the first few)
NAME_TERMS = 3
DEFAULT_UNCATEGORISED_SHARE = 0.05
ORIGIN = "automatic"
URL_RE = re.compile(r"\S*(?:https?://|www\.|github\.com)\S*", re.IGNORECASE)


@dataclass
class Group:
    """One automatic topic: its distinctive terms and its members (indices into the papers)."""

    slug: str
    title: str
    terms: list[str]
    members: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)  # each member's weight in the group


def paper_text(paper: Paper) -> str:
    """The text a paper is grouped by: title twice (it names the method), abstract, keywords."""
    keywords = getattr(paper, "keywords", None) or []
    text = " ".join([paper.title, paper.title, paper.abstract, " ".join(str(k) for k in keywords)])
    return URL_RE.sub(" ", text)  # a code link's host and path are not a topic


def group_count(n: int) -> int:
    return max(1, min(MAX_GROUPS, round(math.sqrt(n))))


def _vectorise(texts: list[str]):
    import numpy as np
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    from litreview.analyse.related import STOPWORDS

    vectoriser = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | STOPWORDS),
        sublinear_tf=True,
        min_df=2,
        max_df=0.5,
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9-]+\b",
        max_features=MAX_TERMS,
        dtype=np.float64,
    )
    matrix = vectoriser.fit_transform(texts)
    return matrix, list(vectoriser.get_feature_names_out())


def _rank_key(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()


def _factorise(matrix, k: int, keys: list[str]):
    """(paper x group weights, group x term weights) by NMF, deterministic and stable.

    NMF starts from k anchor papers: the first k in an order fixed by a hash
    of each paper's key, so the start does not depend on where a paper sits
    in the list or on which other papers are there (an SVD start, NNDSVD,
    rotates when any one paper changes). Each component starts as its
    anchor's terms and each paper's weights as its projection on them.
    """
    import warnings

    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    order = sorted(range(len(keys)), key=lambda i: (_rank_key(keys[i]), i))
    anchors = order[:k]
    floor = 1e-3 * math.sqrt(matrix.mean() / k)
    h = matrix[anchors].toarray() + floor
    w = np.maximum(np.asarray(matrix @ h.T) / (h * h).sum(axis=1), 0.0) + 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(n_components=k, init="custom", max_iter=400, random_state=0)
        weights = model.fit_transform(matrix, W=np.ascontiguousarray(w), H=np.ascontiguousarray(h))
    return weights, model.components_


def find_groups(papers: list[Paper]) -> list[Group]:
    """Automatic groups of `papers`, named by their most distinctive terms.

    Papers without any term shared with another paper stay out of every group.
    """
    import numpy as np

    n = len(papers)
    if n < 2 * MIN_PAPERS:
        return []
    matrix, vocabulary = _vectorise([paper_text(p) for p in papers])
    keys = [p.id or paper_text(p) for p in papers]
    if matrix.shape[1] == 0:
        return []
    # Each entry: (member indices, their weights, component term weights)
    pending = [np.arange(n)]
    done: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    first = True
    while pending:
        rows = pending.pop(0)
        sub = matrix[rows]
        k = group_count(n) if first else 2
        first = False
        k = min(k, len(rows) // MIN_PAPERS, sub.shape[1])
        if k < 2:
            weights = np.asarray(sub.sum(axis=1)).ravel()
            done.append((rows, weights, np.asarray(sub.mean(axis=0)).ravel()))
            continue
        w, h = _factorise(sub, k, [keys[r] for r in rows])
        w = np.round(w, 9)  # BLAS noise must not decide a tie
        labels = _assign(w, MIN_PAPERS)
        parts = [(rows[labels == g], w[labels == g, g], h[g]) for g in range(k) if (labels == g).any()]
        if len(parts) == 1:  # could not split: keep as one group
            done.append(parts[0])
            continue
        for part in parts:
            if len(part[0]) > MAX_SHARE * n and len(part[0]) >= 2 * MIN_PAPERS:
                pending.append(part[0])
            else:
                done.append(part)
    grouped = set()
    groups: list[Group] = []
    for rows, weights, component in done:
        keep = [(int(r), float(wt)) for r, wt in zip(rows, weights) if wt > 0]
        if not keep:
            continue
        grouped.update(r for r, _ in keep)
        terms = _top_terms(component, vocabulary)
        groups.append(Group("", "", terms, [r for r, _ in keep], [round(wt, 3) for _, wt in keep]))
    # Order groups by size (largest first), then by their first member, so the order is stable.
    groups.sort(key=lambda g: (-len(g.members), min(g.members)))
    _name(groups)
    return groups


def _assign(w, min_size: int):
    """Each row's heaviest column; columns with fewer than min_size rows are dissolved
    into their rows' next best surviving columns, smallest first."""
    import numpy as np

    alive = np.ones(w.shape[1], dtype=bool)
    while True:
        masked = np.where(alive, w, -1.0)
        labels = masked.argmax(axis=1)
        sizes = np.bincount(labels, minlength=w.shape[1])
        small = [g for g in range(w.shape[1]) if alive[g] and sizes[g] < min_size]
        if not small or alive.sum() <= 1:
            return labels
        smallest = min(small, key=lambda g: (sizes[g], g))
        alive[smallest] = False


def _top_terms(component, vocabulary: list[str]) -> list[str]:
    """The component's heaviest terms, skipping a term contained in one already kept."""
    import numpy as np

    from litreview.analyse.stemming import term_stems

    order = np.lexsort((np.arange(len(component)), -np.round(component, 9)))
    terms: list[str] = []
    kept: list[set[str]] = []  # stems of the kept terms: "algorithm" after "algorithms" adds nothing
    for index in order:
        if component[index] <= 0 or len(terms) >= TOP_TERMS:
            break
        term = vocabulary[index]
        stems = set(term_stems(term)[1])
        if any(stems <= other or other <= stems for other in kept):
            continue
        terms.append(term)
        kept.append(stems)
    return terms


def _name(groups: list[Group]) -> None:
    from litreview.utils.slugs import slugify

    used: set[str] = set()
    for number, group in enumerate(groups, 1):
        shown = group.terms[:NAME_TERMS] or [f"group {number}"]
        title = ", ".join(shown)
        group.title = title[:1].upper() + title[1:]
        base = "auto-" + slugify(" ".join(shown[:2]), limit=40)
        slug, i = base, 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
        group.slug = slug


def leftover_threshold(total: int, share: float = DEFAULT_UNCATEGORISED_SHARE) -> int:
    """How many unplaced papers are tolerated before they are grouped automatically."""
    return max(2 * MIN_PAPERS - 1, math.floor(share * total))


def add_automatic_topics(
    papers: list[Paper], topics: list[Topic], mode: str = "auto", share: float = DEFAULT_UNCATEGORISED_SHARE
) -> list[Topic]:
    """Group the papers no topic holds into automatic topics, appended to `topics`.

    mode "off": never. mode "auto": every paper when no topic is defined, else the
    unplaced papers when there are more than leftover_threshold of them.
    Returns the automatic topics added (each paper gets the assignment).
    """
    if mode == "off":
        return []
    loose = [p for p in papers if not p.topics]
    if topics and len(loose) <= leftover_threshold(len(papers), share):
        return []
    groups = find_groups(loose)
    taken = {t.slug for t in topics}
    added = []
    for number, group in enumerate(groups):
        slug = group.slug
        while slug in taken:
            slug += "-auto"
        taken.add(slug)
        terms = ", ".join(group.terms[:6])
        topic = Topic(
            slug=slug,
            title=group.title,
            order=AUTO_ORDER + number,
            description=f"Found automatically: papers that share the terms {terms}.",
            intro="",
            path="",
            rules={},
            automatic=True,
        )
        for index, weight in zip(group.members, group.weights):
            paper = loose[index]
            paper.topics = [Assignment(slug, weight, [f"grouped by text with papers on {terms}"], origin=ORIGIN)]
            paper.primary_topic = slug
        added.append(topic)
    topics.extend(added)
    return added
