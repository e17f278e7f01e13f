"""`suggest-topics`: write the automatic topics as draft content/topics/<slug>.md files.

The papers that no hand-written topic holds are grouped as the build groups
them (analyse/autotopics.py). Each group becomes a draft topic whose
include rules are its most distinctive terms, weighted by how specific each
term is to the group (the share of the papers that use it that are in the
group); the one min_score that reproduces the grouping best is chosen, and
the command reports how closely the rules reproduce it, overall and per
topic. The maintainer then edits names, rules and intros. Never overwrites a
file.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from litreview.commands.common import add_seeds_content, display
from litreview.commands.new import next_order, yaml_str

RULE_TERMS = 8  # include terms per draft topic
MIN_SCORES = (1.5, 2.0, 3.0, 4.0, 5.0, 6.0)  # tried in turn; the best agreement wins
FIELDS = {"title": 3.0, "abstract": 1.0}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suggest-topics",
        help="write automatic topics as draft content/topics/SLUG.md files",
        description=(
            "Group the papers no topic holds by their text (as the build's automatic topics), and write each "
            "group as a draft content/topics/SLUG.md with include rules that reproduce the grouping as closely "
            "as rules can; reports how closely. Never overwrites a file."
        ),
    )
    p.add_argument("--dry-run", action="store_true", help="report the drafts without writing them")
    add_seeds_content(p)
    p.set_defaults(handler=run)


@dataclass
class Draft:
    slug: str
    title: str
    terms: list[dict]  # [{term, weight}]
    members: set[str]  # paper ids of the group
    min_score: float = 3.0


def _matches(papers, drafts: list[Draft]) -> list[dict[str, set[str]]]:
    """For each paper: term text -> the fields it occurs in."""
    from litreview.analyse.classify import Matcher, compile_rules

    rule_sets = [compile_rules(d.slug, {"include": d.terms}) for d in drafts]
    matcher = Matcher(rule_sets)
    by_key = {term.key: term.text for rules in rule_sets for term in rules.include}
    found = []
    for paper in papers:
        where: dict[str, set[str]] = {}
        for name, text in (("title", paper.title), ("abstract", paper.abstract)):
            for key in matcher.find(text).terms:
                where.setdefault(by_key[key], set()).add(name)
        found.append(where)
    return found


def _predict(found: list[dict[str, set[str]]], drafts: list[Draft]) -> list[str | None]:
    """Each paper's primary draft topic by the drafts' rules (ties to the earlier draft)."""
    predicted = []
    for where in found:
        best, best_score = None, 0.0
        for draft in drafts:
            score = sum(t["weight"] * FIELDS[f] for t in draft.terms for f in where.get(t["term"], ()))
            if score >= draft.min_score and score > best_score:
                best, best_score = draft.slug, score
        predicted.append(best)
    return predicted


def draft_rules(papers, groups) -> tuple[list[Draft], list[str | None], list[str]]:
    """Drafts for `groups` of `papers`, each paper's predicted draft and its group's slug."""
    truth: list[str] = [""] * len(papers)
    drafts = []
    for group in groups:
        slug = group.slug.removeprefix("auto-")
        for index in group.members:
            truth[index] = slug
        candidates = [{"term": t, "weight": 1.0} for t in group.terms]
        drafts.append(Draft(slug, group.title, candidates, {papers[i].id for i in group.members}))
    found = _matches(papers, drafts)
    for draft in drafts:
        weighted = []
        for term in draft.terms:
            users = [i for i, where in enumerate(found) if term["term"] in where]
            inside = sum(1 for i in users if truth[i] == draft.slug)
            if not users or not inside:
                continue
            precision, recall = inside / len(users), inside / len(draft.members)
            weighted.append((precision * recall, term["term"], round(max(0.5, 3 * precision) * 2) / 2))
        weighted.sort(key=lambda item: -item[0])
        draft.terms = [{"term": text, "weight": weight} for _, text, weight in weighted[:RULE_TERMS]]
    best = None
    for min_score in MIN_SCORES:
        for draft in drafts:
            draft.min_score = min_score
        predicted = _predict(found, drafts)
        agree = sum(1 for p, t in zip(predicted, truth) if p == t)
        if best is None or agree > best[0]:
            best = (agree, min_score, predicted)
    assert best is not None
    for draft in drafts:
        draft.min_score = best[1]
    return drafts, best[2], truth


def topic_file(draft: Draft, order: int, recall: float, precision: float) -> str:
    include = "\n".join(f"    - {{term: {yaml_str(t['term'])}, weight: {t['weight']:g}}}" for t in draft.terms)
    return f"""---
title: {yaml_str(draft.title)}
order: {order}
description: ""
rules:
  # Drafted by `build.py suggest-topics` from an automatic topic of {len(draft.members)} papers:
  # these rules place {recall:.0%} of them here, and {precision:.0%} of the papers they
  # place here were in it. Rename the topic, then tune the terms with `build.py explain ID`.
  include:
{include}
  exclude: []
  fields: {{title: 3, abstract: 1}}
  min_score: {draft.min_score:g}
---

<!-- The intro: a few paragraphs of Markdown shown above the papers (this comment is not published). -->
"""


def run(args: argparse.Namespace) -> int:
    from litreview.analyse import autotopics
    from litreview.engine.pipeline import load_site

    site = load_site(args.seeds, args.content)
    loose = [p for p in site.papers if not p.topics or p.topics[0].origin == autotopics.ORIGIN]
    groups = autotopics.find_groups(loose)
    if not groups:
        print(f"nothing to suggest: {len(loose)} paper(s) are outside every hand-written topic")
        return 0
    drafts, predicted, truth = draft_rules(loose, groups)
    topics_dir: Path = args.content / "topics"
    order = next_order(topics_dir) if topics_dir.is_dir() else 10
    agree = sum(1 for p, t in zip(predicted, truth) if p == t)
    written = 0
    for draft in drafts:
        placed = sum(1 for p in predicted if p == draft.slug)
        hits = sum(1 for p, t in zip(predicted, truth) if p == t == draft.slug)
        recall, precision = hits / len(draft.members), hits / placed if placed else 0.0
        path = topics_dir / f"{draft.slug}.md"
        status = "would write"
        if not args.dry_run:
            if path.exists():
                status = "skipped (exists)"
            else:
                topics_dir.mkdir(parents=True, exist_ok=True)
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(topic_file(draft, order, recall, precision))
                status, written = "wrote", written + 1
        order += 10
        print(
            f"{status} {display(path)}: {draft.title!r}, {len(draft.members)} papers; "
            f"rules place {recall:.0%} of them here ({precision:.0%} precise)"
        )
    print(
        f"rules reproduce the automatic grouping for {agree} of {len(loose)} papers ({agree / len(loose):.0%}); "
        f"{sum(1 for p in predicted if p is None)} match no drafted rule"
        + ("" if args.dry_run else f"; {written} file(s) written")
    )
    return 0
