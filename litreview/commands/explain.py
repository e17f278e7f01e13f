"""`explain ID`: why a paper landed in its topics and tags.

Topic rules are keyword scores, so a surprising placement is usually one
matched word; this prints each assignment's reasons (from classify), where
an override changed them, and the topics that nearly matched.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from litreview.commands.common import add_seeds_content, display
from litreview.errors import InputError, did_you_mean
from litreview.model import DEFAULT_MIN_SCORE

NEAR_MISSES = 3
TINY = 1e-9  # a min_score every matching paper reaches


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "explain",
        help="say why a paper is in its topics and tags",
        description="Print why a paper landed in its topics and tags: the matched terms and scores, overrides, near misses.",
    )
    p.add_argument("id", metavar="ID", help="the paper's id (the last part of its URL, papers/ID.html)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_seeds_content(p)
    p.set_defaults(handler=run)


def probe(paper, topic, **rules):
    """The paper's assignment to `topic` alone with some rules changed, via classify's public entry point."""
    from litreview.analyse import classify
    from litreview.model import Paper

    trial = dataclasses.replace(topic, rules={**topic.rules, **rules}, papers=[], secondary=[])
    clone = Paper(id=paper.id, title=paper.title, abstract=paper.abstract, sources=list(paper.sources))
    classify.classify([clone], [trial], [])
    return clone.topics[0] if clone.topics else None


def near_misses(site, paper) -> list[dict]:
    """Topics that scored for this paper but did not take it, best first.

    A topic misses when an exclude term vetoes it, when it falls below its
    min_score, or when it scores well under the primary topic. Found by
    re-running classify on one topic at a time with the threshold (or the
    excludes) lifted, so it always agrees with how the build classifies.
    """
    chosen = set(paper.topic_slugs)
    misses = []
    for topic in site.topics:
        if topic.slug in chosen:
            continue
        minimum = float(topic.rules.get("min_score") or DEFAULT_MIN_SCORE)
        found = probe(paper, topic, min_score=TINY)
        if found is not None:
            if found.score < minimum:
                why = f"score {found.score:g} < min_score {minimum:g}"
            else:
                why = f"score {found.score:g} reaches min_score but is far below the primary topic's"
            misses.append({"topic": topic.slug, "score": found.score, "why": why, "reasons": list(found.reasons)})
            continue
        excludes = list(topic.rules.get("exclude") or [])
        unvetoed = probe(paper, topic, min_score=TINY, exclude=[]) if excludes else None
        if unvetoed is not None:
            culprit = next((t for t in excludes if probe(paper, topic, min_score=TINY, exclude=[t]) is None), None)
            term = culprit["term"] if isinstance(culprit, dict) else culprit
            why = f"vetoed by exclude term {term!r}" if term else "vetoed by an exclude term"
            misses.append({"topic": topic.slug, "score": unvetoed.score, "why": why, "reasons": list(unvetoed.reasons)})
    misses.sort(key=lambda m: (-m["score"], m["topic"]))
    return misses[:NEAR_MISSES]


def assignment_record(a) -> dict:
    return {"slug": a.slug, "score": a.score, "origin": a.origin, "reasons": list(a.reasons)}


def explanation(site, paper, seeds_dir) -> dict:
    return {
        "id": paper.id,
        "title": paper.title,
        "sources": [f"{display(seeds_dir / s.file)}:{s.line}" for s in paper.sources],
        "override": paper.override_path,
        "hidden": paper.hidden,
        "primary_topic": paper.primary_topic,
        "topics": [assignment_record(a) for a in paper.topics],
        "tags": [assignment_record(a) for a in paper.tags],
        "subtheme": subtheme_record(site, paper),
        "near_misses": near_misses(site, paper),
    }


def subtheme_record(site, paper) -> dict | None:
    """The declared sub-theme of the paper's primary topic that holds it; None when that topic declares none.

    The build keeps no sub-theme reasons, so the paper is classified again against that topic
    alone with them spelled out: a topic's sub-theme depends on its own sub-theme rules only."""
    from litreview.analyse.classify import Classifier
    from litreview.model import Paper

    topic = next((t for t in site.topics if t.slug == paper.primary_topic), None)
    if topic is None or not topic.subthemes:
        return None
    names = {f"{topic.slug}/{s.slug}": s.name for s in topic.subthemes}
    clone = Paper(id=paper.id, title=paper.title, abstract=paper.abstract, sources=[], keywords=list(paper.keywords))
    Classifier([topic], [], subtheme_reasons=True).classify(clone)
    chosen = next((a for a in clone.subthemes if a.slug in names), None)
    if chosen is None:
        return {"topic": topic.slug, "name": None, "declared": list(names.values())}
    return {"topic": topic.slug, "name": names[chosen.slug], **assignment_record(chosen)}


def fmt_score(score: float) -> str:
    return f"{score:g}"


def render_text(data: dict) -> str:
    lines = [f"{data['id']}: {data['title']}", f"  listed in: {', '.join(data['sources'])}"]
    if data["override"]:
        lines.append(f"  override: {data['override']}")
    if data["hidden"]:
        lines.append("  hidden: yes (by its override; not on the site)")
    lines.append("topics:" if data["topics"] else "topics: none (no topic's rules reached min_score)")
    for a in data["topics"]:
        primary = " (primary)" if a["slug"] == data["primary_topic"] else ""
        lines.append(f"  {a['slug']}{primary}: score {fmt_score(a['score'])}, by {a['origin']}")
        lines += [f"    - {r}" for r in a["reasons"]]
    lines.append("tags:" if data["tags"] else "tags: none")
    for a in data["tags"]:
        lines.append(f"  {a['slug']}: score {fmt_score(a['score'])}, by {a['origin']}")
        lines += [f"    - {r}" for r in a["reasons"]]
    sub = data["subtheme"]
    if sub and sub["name"]:
        lines.append(f"sub-theme in {sub['topic']}: {sub['name']}: score {fmt_score(sub['score'])}")
        lines += [f"    - {r}" for r in sub["reasons"]]
    elif sub:
        lines.append(
            f"sub-theme in {sub['topic']}: none of {', '.join(sub['declared'])} reached its min_score "
            "(listed under a tag it shares with others, or Other approaches)"
        )
    if data["near_misses"]:
        lines.append("near misses (topics that scored but did not take it):")
        for m in data["near_misses"]:
            lines.append(f"  {m['topic']}: {m['why']}")
            lines += [f"    - {r}" for r in m["reasons"]]
    if not data["override"]:
        lines.append(f"to change this, run: build.py new-override {data['id']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import load_site

    site = load_site(args.seeds, args.content)
    papers = {p.id: p for p in [*site.papers, *site.hidden]}
    paper = papers.get(args.id)
    if paper is None:
        hint = did_you_mean(args.id, papers, listing=None, n=3) or "list the ids with: build.py parse"
        raise InputError(args.id, None, "no paper has this id", hint)
    data = explanation(site, paper, args.seeds)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(render_text(data))
    return 0
