"""Who compares against whom: link papers through the baselines their abstracts name.

A paper whose abstract compares against an entity of content/entities.yml
that names its introducing paper (`paper:`) compares against that paper;
the link is kept both ways (Paper.compares_with, Paper.compared_by). The
papers of a topic that most others compare against are its landmarks, the
"start here" papers of its page.
"""

from __future__ import annotations

from litreview.model import Entity, Paper, Topic

LANDMARKS = 3  # "start here" papers per topic, at most


def link_papers(papers: list[Paper], entities: list[Entity]) -> None:
    """Fill compares_with and compared_by of every paper (ids of visible papers only)."""
    paper_of = {e.name: e.paper for e in entities if e.paper}
    by_id = {p.id: p for p in papers}
    for paper in papers:
        paper.compares_with, paper.compared_by = [], []
    for paper in papers:
        for name in paper.baselines:
            target = paper_of.get(name)
            if target is None or target == paper.id or target not in by_id or target in paper.compares_with:
                continue
            paper.compares_with.append(target)
            by_id[target].compared_by.append(paper.id)


def landmark_order(paper: Paper) -> tuple:
    """Most compared-against first; then older first (they came first), then by title."""
    return (-len(paper.compared_by), paper.year is None, paper.year or 0, paper.title.casefold(), paper.id)


def add_landmarks(topics: list[Topic], count: int = LANDMARKS) -> None:
    """Each topic's papers (its own, then those also relevant) that at least one paper compares against."""
    for topic in topics:
        candidates = {p.id: p for p in (*topic.papers, *topic.secondary) if p.compared_by}
        topic.landmarks = sorted(candidates.values(), key=landmark_order)[:count]
