"""`new-topic` and `new-override`: start a content file from a template.

Both refuse to overwrite, so they can never clobber a human edit; the file
they write is a starting point that already passes `check`.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from litreview.commands.common import add_seeds_content, display
from litreview.errors import InputError, did_you_mean
from litreview.utils.slugs import is_safe_slug, slugify

ORDER_RE = re.compile(r"^order:\s*(-?\d+)\s*$", re.M)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new-topic",
        help="create content/topics/SLUG.md from a template",
        description="Create content/topics/SLUG.md with a title, a rules skeleton and an intro placeholder. Never overwrites.",
    )
    p.add_argument("slug", metavar="SLUG", help="the topic's slug: lowercase words joined by hyphens (its URL)")
    p.add_argument("--title", required=True, help="the topic's title, shown on the site")
    p.add_argument("--description", default="", help="one sentence shown under the title on the home page")
    add_seeds_content(p)
    p.set_defaults(handler=run_new_topic)

    o = sub.add_parser(
        "new-override",
        help="create content/papers/ID.md to fix a paper (title, topics, tags, notes)",
        description=(
            "Create content/papers/ID.md prefilled, as comments, with the paper's current title, topics and tags. "
            "Refuses unknown ids and never overwrites."
        ),
    )
    o.add_argument("id", metavar="ID", help="the paper's id (the last part of its URL, papers/ID.html)")
    add_seeds_content(o)
    o.set_defaults(handler=run_new_override)


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def next_order(topics_dir: Path) -> int:
    orders = []
    for path in topics_dir.glob("*.md"):
        if m := ORDER_RE.search(path.read_text(encoding="utf-8", errors="replace")):
            orders.append(int(m.group(1)))
    return (max(orders) // 10 + 1) * 10 if orders else 10


def starter_terms(title: str) -> list[str]:
    """The title as one phrase: narrow on purpose, since single common words would pull in half the corpus."""
    return [title.lower()]


def lower_first(text: str) -> str:
    """'Pruning methods' -> 'pruning methods', but 'LLM serving' stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def topic_template(title: str, description: str, order: int) -> str:
    terms = "\n".join(f"    - {yaml_str(t)}" for t in starter_terms(title))
    return f"""---
title: {yaml_str(title)}
order: {order}
description: {yaml_str(description)}
rules:
  # A paper joins this topic when its score reaches min_score. Each include
  # term found in the title adds fields.title, in the abstract fields.abstract.
  # Words are stemmed ("quantization" matches "quantized"); a phrase matches
  # consecutive words. A term may carry a weight: {{term: "kv cache", weight: 2}}.
  # Start from the title as one phrase; add the words papers on it really use.
  include:
{terms}
  # Any exclude term found vetoes the topic.
  exclude: []
  fields: {{title: 3, abstract: 1}}
  min_score: 3
# The review groups this topic's papers by the sub-themes listed here, in this
# order, each matched like the topic (min_score 2 by default); papers none
# catches are grouped by a shared tag, or listed under "Other approaches".
# subthemes:
#   - name: A research sub-theme
#     description: One sentence on what its papers do.
#     include: [a phrase its papers use, {{term: word, weight: 2}}]
---

<!-- The intro: a few paragraphs of Markdown shown above the papers. Say what
unites them, the main approaches and the open questions. Then run
`python build.py explain ID` on a few papers to tune the rules above. -->

This page collects papers on {lower_first(title)}.
"""


def run_new_topic(args: argparse.Namespace) -> int:
    slug = args.slug
    if not is_safe_slug(slug):
        suggestion = slugify(slug)
        hint = f"for example: {suggestion}" if suggestion else "use lowercase letters, digits and hyphens"
        raise InputError(slug, None, "not a valid topic slug (lowercase words joined by hyphens)", hint)
    topics_dir = args.content / "topics"
    path = topics_dir / f"{slug}.md"
    if path.exists():
        raise InputError(display(path), None, "already exists; edit it instead", "new-topic never overwrites a file")
    title = " ".join(args.title.split())
    if not title:
        raise InputError("--title", None, "the title is empty")
    text = topic_template(title, args.description, next_order(topics_dir))
    topics_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(f"created {display(path)}: edit its rules and intro, then run: build.py check")
    return 0


def override_template(paper, sources: str) -> str:
    topics = json.dumps(paper.topic_slugs)
    tags = json.dumps(paper.tag_slugs)
    return f"""---
# Override for paper {paper.id}, listed in {sources}.
# Uncomment a key and edit it to change the paper; `check` validates them.
# title: {yaml_str(paper.title)}
# authors: ["First Author", "Second Author"]
# year: {paper.year or 2024}
# venue: "Conference or journal"
# doi: "10.1145/3079856.3080246"
# arxiv: "1706.03762"
# url: "https://publisher.example/paper"   # the paper's own page
# entry_type: article   # conference-paper, preprint, book, chapter, thesis, report, dataset, software, webpage, misc
# links: ["https://github.com/owner/repo"]
# topics: {topics}   # replaces the rules' topics; the first is the primary topic
# add_topics: []
# remove_topics: []
# tags: {tags}   # replaces the rules' tags
# add_tags: []
# remove_tags: []
hidden: false
---

<!-- Reviewer notes (Markdown) go here and are shown on the paper page. -->
"""


def run_new_override(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import load_site

    path = args.content / "papers" / f"{args.id}.md"
    if path.exists():
        raise InputError(display(path), None, "already exists; edit it instead", "new-override never overwrites a file")
    site = load_site(args.seeds, args.content)
    papers = {p.id: p for p in [*site.papers, *site.hidden]}
    paper = papers.get(args.id)
    if paper is None:
        hint = did_you_mean(args.id, papers, listing=None, n=3) or "list the ids with: build.py parse"
        raise InputError(args.id, None, "no paper has this id", hint)
    sources = ", ".join(f"{display(args.seeds / s.file)}:{s.line}" for s in paper.sources)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(override_template(paper, sources))
    print(f"created {display(path)} for {paper.title!r}: uncomment the keys to change, then run: build.py check")
    return 0
