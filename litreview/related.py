"""Related papers by text similarity: TF-IDF cosine over title + abstract.

Pure Python with an inverted index, so only papers that share a term are
ever compared; the title counts twice because it names the method. Ties
keep catalogue order, so the output is deterministic.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .model import Paper

TOKEN_RE = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
TITLE_WEIGHT = 2
STOPWORDS = frozenset(
    """a about above across after again against all almost also although among an and another any are as at
    be because been before being between both but by can could do does done due during each either enable enables
    et etc even ever every few for from further given has have having here however if in into is it its itself
    just large less lot many may more most much must new not novel of on one only or other our out over paper
    per propose proposed propose s same several should show shows significant significantly since so some such
    than that the their them then there these they this those three through thus to two under up upon us use used
    uses using various very via was we well were what when where whether which while who whose will with within
    without work would yet approach method methods results result based demonstrate existing achieve achieves
    """.split()
)


def tokens(text: str) -> list[str]:
    return [t for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS]


def related_papers(papers: list[Paper], top: int = 5, min_score: float = 0.05) -> dict[str, list[tuple[Paper, float]]]:
    """For each paper id, up to `top` most similar other papers with their cosine."""
    counts = [Counter(tokens(p.title) * TITLE_WEIGHT + tokens(p.abstract)) for p in papers]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(papers)
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    vectors: list[dict[str, float]] = []
    for c in counts:
        vec = {t: (1.0 + math.log(k)) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors.append({t: w / norm for t, w in vec.items()})
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, vec in enumerate(vectors):
        for t, w in vec.items():
            postings.setdefault(t, []).append((i, w))
    # Dense score rows (list indexing beats dict updates), upper triangle only
    # (cosine is symmetric); a term listed by one paper only scores nothing.
    scores = [[0.0] * n for _ in range(n)]
    for plist in postings.values():
        if len(plist) < 2:
            continue
        for k, (i, wi) in enumerate(plist):
            row = scores[i]
            for j, wj in plist[k + 1 :]:
                row[j] += wi * wj
    # Mirror the upper triangle: row i + column i (transposed at C speed).
    columns = list(zip(*scores))
    result: dict[str, list[tuple[Paper, float]]] = {}
    for i in range(n):
        row = [a + b for a, b in zip(scores[i], columns[i])]
        # A C-level sort; it is stable, so ties keep catalogue order (deterministic).
        best = sorted(range(n), key=row.__getitem__, reverse=True)[: top + 1]
        result[papers[i].id] = [(papers[j], round(row[j], 4)) for j in best if row[j] >= min_score and j != i][:top]
    return result
