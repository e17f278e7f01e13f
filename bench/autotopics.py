"""Automatic topics against the hand-written taxonomy. `python bench/autotopics.py`.

On the shipped papers (seeds/) it groups every paper as a review with no
content/topics/ would (analyse/autotopics.py), and compares the groups with
the primary topics the shipped rules give:

* coverage and sizes: papers left without a topic, the largest topic's
  share, the smallest topic (issue 15 asks for <= 5%, <= 25%, >= 3);
* agreement: normalised mutual information and adjusted Rand index between
  automatic and hand primary topics (papers with a hand topic), and the
  share of papers whose hand topic is the majority hand topic of their
  automatic topic (purity);
* stability: when one paper is left out (STABILITY_RUNS papers spread over
  the catalogue, and the first anchor paper NMF starts from), the adjusted
  Rand index of the other papers' grouping, the share of the other papers
  whose group-mates change at all, and the share that lose most of them
  (group-mates' Jaccard index below 0.5);
* suggest-topics: the share of papers whose drafted rules give back their
  automatic topic;
* time: one grouping of every paper, after scikit-learn is imported.

Results: stdout and bench/results/autotopics.md.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STABILITY_RUNS = 16


def labels(groups, n: int) -> list[int]:
    out = [-1] * n
    for number, group in enumerate(groups):
        for index in group.members:
            out[index] = number
    return out


def mates_changed(before: list[int], after: list[int]) -> tuple[float, float]:
    """Shares of the papers whose group-mates differ at all, and whose group-mates' Jaccard index is below 0.5."""
    mates_before: dict[int, set[int]] = {}
    mates_after: dict[int, set[int]] = {}
    for index, (a, b) in enumerate(zip(before, after)):
        mates_before.setdefault(a, set()).add(index)
        mates_after.setdefault(b, set()).add(index)
    changed = moved = 0
    for index, (a, b) in enumerate(zip(before, after)):
        old = mates_before[a] if a >= 0 else {index}
        new = mates_after[b] if b >= 0 else {index}
        changed += old != new
        moved += len(old & new) < 0.5 * len(old | new)
    return changed / len(before), moved / len(before)


def main() -> int:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from litreview.analyse import autotopics
    from litreview.commands.suggest import draft_rules
    from litreview.engine.pipeline import load_site

    seeds, content = ROOT / "seeds", ROOT / "content"
    hand_site = load_site(seeds, content)
    hand = {p.id: p.primary_topic for p in hand_site.papers}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "content"
        shutil.copytree(content, bare)
        shutil.rmtree(bare / "topics")
        (bare / "topics").mkdir()
        site = load_site(seeds, bare)
    papers = site.papers
    n = len(papers)
    start = time.perf_counter()
    groups = autotopics.find_groups(papers)
    seconds = time.perf_counter() - start
    auto = labels(groups, n)
    loose = sum(1 for a in auto if a < 0)
    sizes = [len(g.members) for g in groups]
    both = [(hand[p.id], a) for p, a in zip(papers, auto) if hand[p.id] and a >= 0]
    hand_labels, auto_labels = [h for h, _ in both], [a for _, a in both]
    nmi = normalized_mutual_info_score(hand_labels, auto_labels)
    ari = adjusted_rand_score(hand_labels, auto_labels)
    majority = {}
    for number in range(len(groups)):
        counts = Counter(h for h, a in both if a == number)
        majority[number] = counts.most_common(1)[0] if counts else ("-", 0)
    purity = sum(count for _, count in majority.values()) / len(both)
    stability, changed, moved = [], [], []
    drops = [(k * n) // STABILITY_RUNS + n // (2 * STABILITY_RUNS) for k in range(STABILITY_RUNS)]
    anchor = min(range(n), key=lambda i: autotopics._rank_key(papers[i].id))
    for drop in [*drops, anchor]:
        rest = papers[:drop] + papers[drop + 1 :]
        fewer = labels(autotopics.find_groups(rest), n - 1)
        others = auto[:drop] + auto[drop + 1 :]
        stability.append(adjusted_rand_score(others, fewer))
        share_changed, share_moved = mates_changed(others, fewer)
        changed.append(share_changed)
        moved.append(share_moved)
    _, predicted, truth = draft_rules(papers, groups)
    fidelity = sum(1 for p, t in zip(predicted, truth) if p == t) / n

    lines = [
        "# Automatic topics vs the hand-written taxonomy",
        "",
        f"`python bench/autotopics.py` on the {n} shipped papers, every paper grouped as with an empty "
        "content/topics/ (analyse/autotopics.py: TF-IDF + NMF from anchor papers), compared with the primary topics of the "
        f"{len(hand_site.topics)} hand-written topics.",
        "",
        "| measure | value | issue 15 asks |",
        "|---|---|---|",
        f"| automatic topics | {len(groups)} | |",
        f"| papers without a topic | {loose} ({loose / n:.1%}) | <= 5% |",
        f"| largest topic | {max(sizes)} papers ({max(sizes) / n:.1%}) | <= 25% |",
        f"| smallest topic | {min(sizes)} papers | >= 3 |",
        f"| normalised mutual information (vs hand) | {nmi:.3f} | |",
        f"| adjusted Rand index (vs hand) | {ari:.3f} | |",
        f"| papers whose automatic topic's majority hand topic is theirs | {purity:.1%} | |",
        f"| stability: ARI of the others when one paper is left out ({len(stability)} runs) | "
        f"mean {statistics.mean(stability):.3f}, min {min(stability):.3f} "
        f"(first anchor left out: {stability[-1]:.3f}) | |",
        f"| stability: other papers whose group-mates change at all, when one is left out | "
        f"mean {statistics.mean(changed):.1%}, max {max(changed):.1%} | |",
        f"| stability: other papers that lose most group-mates (Jaccard < 0.5), when one is left out | "
        f"mean {statistics.mean(moved):.1%}, max {max(moved):.1%} | |",
        f"| suggest-topics: papers its drafted rules put back in their automatic topic | {fidelity:.1%} | |",
        f"| time to group {n} papers (sklearn imported) | {seconds:.2f} s | |",
        "",
        "| automatic topic | papers | majority hand topic (share) |",
        "|---|---|---|",
    ]
    for number, group in enumerate(groups):
        slug, count = majority[number]
        lines.append(f"| {group.title} | {len(group.members)} | {slug} ({count / len(group.members):.0%}) |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "autotopics.md"
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
