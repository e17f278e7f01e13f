"""`explain ID`: why a paper landed in its topics and tags.

Topic rules are keyword scores, so a surprising placement is usually one
matched word; this prints each assignment's reasons (from classify), where
an override changed them, and the topics that nearly matched.
"""

from __future__ import annotations

import argparse
import json

from ..errors import InputError
from .common import add_seeds_content, did_you_mean, display

NEAR_MISSES = 3


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


def near_misses(site, paper) -> list[dict]:
    """Topics that scored for this paper but did not take it, best first.

    A topic misses when it is vetoed by an exclude term, falls below its
    min_score, or scores under half of the primary topic's score.
    """
    from .. import classify

    if not hasattr(classify, "Classifier") or not site.topics:
        return []
    classifier = classify.Classifier(site.topics, [])
    chosen = set(paper.topic_slugs)
    misses = []
    for match in classifier.matches(paper, classifier.topics):
        slug = match.rules.slug
        if slug in chosen or (match.score <= 0 and not match.vetoed_by):
            continue
        if match.vetoed_by:
            why = f"vetoed: {match.vetoed_by}"
        elif match.score < match.rules.min_score:
            why = f"score {match.score:g} < min_score {match.rules.min_score:g}"
        else:
            why = "scored under half of the primary topic's score"
        misses.append({"topic": slug, "score": match.score, "why": why, "reasons": list(match.reasons)})
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
        "near_misses": near_misses(site, paper),
    }


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
    if data["near_misses"]:
        lines.append("near misses (topics that scored but did not take it):")
        for m in data["near_misses"]:
            lines.append(f"  {m['topic']}: {m['why']}")
            lines += [f"    - {r}" for r in m["reasons"]]
    if not data["override"]:
        lines.append(f"to change this, run: build.py new-override {data['id']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from ..pipeline import load_site

    site = load_site(args.seeds, args.content)
    papers = {p.id: p for p in [*site.papers, *site.hidden]}
    paper = papers.get(args.id)
    if paper is None:
        hint = did_you_mean(args.id, sorted(papers)) or "list the ids with: build.py parse"
        raise InputError(args.id, None, "no paper has this id", hint)
    data = explanation(site, paper, args.seeds)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(render_text(data))
    return 0
