"""`diff BASE`: what a change does to the catalogue, for a pull request.

A reviewer of a seed or rule change wants the effect, not the text diff:
papers added, removed, retitled, hidden, and moved between topics. Both
sides are loaded with the current code (load_site), the base from a
`git archive` of its seeds/ and content/ into a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from litreview.commands.common import add_seeds_content
from litreview.errors import InputError, InputErrors
from litreview.write.mdescape import escape_markdown


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="list papers added, removed, retitled and moved since a git revision",
        description=(
            "Compare the catalogue at git revision BASE (its seeds/ and content/) with the working tree: papers "
            "added, removed, retitled, hidden and moved between topics, as Markdown for a pull request or JSON."
        ),
    )
    p.add_argument("base", metavar="BASE", help="a git revision: a branch, tag or commit (e.g. origin/main)")
    p.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)"
    )
    add_seeds_content(p)
    p.set_defaults(handler=run)


def git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True)


class GitError(Exception):
    pass


def checkout_inputs(base: str, seeds: Path, content: Path, into: Path) -> tuple[Path, Path]:
    """Extract seeds/ and content/ as they were at BASE into `into`; return their paths there."""
    top = git(["rev-parse", "--show-toplevel"], Path.cwd())
    if top.returncode:
        raise GitError("not inside a git repository")
    root = Path(top.stdout.decode().strip())
    if git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root).returncode:
        raise GitError(f"unknown git revision {base!r} (try: git fetch origin, or a commit hash)")
    rels = []
    for path in (seeds, content):
        try:
            rels.append(path.resolve().relative_to(root).as_posix())
        except ValueError:
            raise GitError(f"{path} is outside the git repository {root}") from None
    present = [r for r in rels if git(["cat-file", "-e", f"{base}:{r}"], root).returncode == 0]
    if present:
        archive = git(["archive", "--format=tar", base, "--", *present], root)
        if archive.returncode:
            raise GitError(archive.stderr.decode(errors="replace").strip())
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(into, filter="data")
    for rel in rels:
        (into / rel).mkdir(parents=True, exist_ok=True)  # absent at BASE: compare against nothing
    return into / rels[0], into / rels[1]


@dataclass
class PaperState:
    id: str
    title: str
    topics: list[str]
    hidden: bool
    abstract: str = ""
    metadata: dict = field(default_factory=dict)  # METADATA fields that are set
    sources: list[str] = field(default_factory=list)  # seed files listing it
    aliases: list[str] = field(default_factory=list)  # old ids that redirect to it

    @classmethod
    def of(cls, paper) -> PaperState:
        metadata = {name: getattr(paper, name) for name in METADATA if getattr(paper, name)}
        files = list(dict.fromkeys(s.file for s in paper.sources))
        return cls(
            paper.id,
            paper.title,
            list(paper.topic_slugs),
            bool(paper.hidden),
            paper.abstract,
            metadata,
            files,
            list(paper.aliases),
        )


# Bibliographic fields whose change `diff` reports (merged by the precedence of read/catalogue.py).
METADATA = ("authors", "year", "venue", "entry_type", "doi", "arxiv")


@dataclass
class Catalogue:
    papers: dict[str, PaperState]
    topics: dict[str, str]  # slug -> title
    counts: dict[str, int]  # slug -> visible papers (primary or not)


def renamed_papers(old: Catalogue, new: Catalogue, gone: list[str], arrived: list[str]) -> dict[str, str]:
    """Papers whose title was edited in a seed file: a new id with the abstract of a removed one."""
    by_abstract: dict[str, list[str]] = {}
    for pid in gone:
        by_abstract.setdefault(old.papers[pid].abstract, []).append(pid)
    renamed = {}
    for pid in arrived:
        match = by_abstract.get(new.papers[pid].abstract, [])
        if new.papers[pid].abstract and len(match) == 1:
            renamed[pid] = match.pop()
    return renamed


def catalogue_of(site) -> Catalogue:
    papers = {p.id: PaperState.of(p) for p in [*site.papers, *site.hidden]}
    counts = {t.slug: 0 for t in site.topics}
    for p in site.papers:
        for slug in p.topic_slugs:
            counts[slug] = counts.get(slug, 0) + 1
    return Catalogue(papers, {t.slug: t.title for t in site.topics}, counts)


def empty_catalogue() -> Catalogue:
    return Catalogue({}, {}, {})


@dataclass
class Changes:
    base: str
    before: int
    after: int
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    retitled: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    hidden: list[dict] = field(default_factory=list)
    unhidden: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    metadata: list[dict] = field(default_factory=list)  # {id, title, changes: {field: [before, after]}, sources...}

    @property
    def empty(self) -> bool:
        changed = self.added or self.removed or self.retitled or self.moved or self.hidden or self.unhidden
        return not (changed or self.metadata) and all(t["before"] == t["after"] for t in self.topics)

    def record(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def compare(base: str, old: Catalogue, new: Catalogue) -> Changes:
    """Changes from old to new, each list sorted by paper id."""
    changes = Changes(
        base, sum(not p.hidden for p in old.papers.values()), sum(not p.hidden for p in new.papers.values())
    )
    gone = sorted(old.papers.keys() - new.papers.keys())
    arrived = sorted(new.papers.keys() - old.papers.keys())
    renamed = renamed_papers(old, new, gone, arrived)  # new id -> old id
    for pid in arrived:
        p = new.papers[pid]
        if pid not in renamed:
            changes.added.append({"id": pid, "title": p.title, "topics": p.topics, "hidden": p.hidden})
    for pid in gone:
        p = old.papers[pid]
        if pid not in renamed.values():
            changes.removed.append({"id": pid, "title": p.title, "topics": p.topics})
    pairs = [(pid, pid) for pid in old.papers.keys() & new.papers.keys()] + [(o, n) for n, o in renamed.items()]
    for old_id, pid in sorted(pairs, key=lambda pair: pair[1]):
        a, b = old.papers[old_id], new.papers[pid]
        fields = {
            name: [a.metadata.get(name), b.metadata.get(name)]
            for name in METADATA
            if a.metadata.get(name) != b.metadata.get(name)
        }
        new_sources = [f for f in b.sources if f not in a.sources]
        # A retitled paper is matched by its abstract: an abstract edit is news only under the same id.
        abstract_edited = old_id == pid and a.abstract != b.abstract
        if fields or new_sources or abstract_edited:
            item = {"id": pid, "title": b.title, "changes": fields}
            if abstract_edited:
                item["abstract_edited"] = True
            if new_sources:
                item["sources_added"] = new_sources
            changes.metadata.append(item)
        if a.title != b.title:
            item = {"id": pid, "before": a.title, "after": b.title}
            if old_id != pid:
                item["old_id"] = old_id  # a seed title edit changes the id, and so the URL
                item["redirects"] = old_id in b.aliases
            changes.retitled.append(item)
        if a.hidden != b.hidden:
            (changes.hidden if b.hidden else changes.unhidden).append({"id": pid, "title": b.title})
        if a.topics != b.topics and not b.hidden:
            changes.moved.append({"id": pid, "title": b.title, "before": a.topics, "after": b.topics})
    for slug in sorted(old.topics.keys() | new.topics.keys(), key=lambda s: (s not in new.topics, s)):
        changes.topics.append(
            {
                "slug": slug,
                "title": new.topics.get(slug) or old.topics.get(slug),
                "before": old.counts.get(slug) if slug in old.topics else None,
                "after": new.counts.get(slug) if slug in new.topics else None,
            }
        )
    return changes


def md(text: str) -> str:
    """Seed text is data: escape it so Markdown (GitHub's too) shows it exactly as written."""
    return escape_markdown(text).replace("~", "\\~")  # ~ is strikethrough on GitHub


def topics_md(slugs: list[str]) -> str:
    return ", ".join(f"`{s}`" for s in slugs) if slugs else "no topic"


def retitled_line(item: dict) -> str:
    line = f"`{item['id']}`: {md(item['before'])} → {md(item['after'])}"
    if "old_id" in item and item.get("redirects"):
        line += f" (id was `{item['old_id']}`: the old URL redirects)"
    elif "old_id" in item:
        line += (
            f" (id was `{item['old_id']}`: its URL changes; keep the old one with "
            f"`aliases: [{item['old_id']}]` in content/papers/{item['id']}.md)"
        )
    return line


def metadata_line(item: dict) -> str:
    def shown(value) -> str:
        if value is None:
            return "none"
        return md(", ".join(value) if isinstance(value, list) else str(value))

    parts = [f"{name} {shown(before)} → {shown(after)}" for name, (before, after) in item["changes"].items()]
    if item.get("abstract_edited"):
        parts.append("abstract edited")
    if item.get("sources_added"):
        parts.append("now also in " + ", ".join(f"`{f}`" for f in item["sources_added"]))
    return f"{md(item['title'])} (`{item['id']}`): " + "; ".join(parts)


def render_markdown(c: Changes) -> str:
    lines = [f"### Catalogue changes against `{c.base}`", ""]
    lines.append(f"{c.before} → {c.after} papers on the site.")
    if c.empty:
        lines += ["", "No papers were added, removed, retitled, moved or edited."]
        return "\n".join(lines) + "\n"

    def section(title: str, items: list[dict], line) -> None:
        if items:
            lines.extend(["", f"**{title} ({len(items)})**", ""])
            lines.extend(f"- {line(i)}" for i in items)

    section("Added", c.added, lambda i: f"{md(i['title'])} (`{i['id']}`) → {topics_md(i['topics'])}")
    section("Removed", c.removed, lambda i: f"{md(i['title'])} (`{i['id']}`), was in {topics_md(i['topics'])}")
    section("Retitled", c.retitled, retitled_line)
    section(
        "Moved between topics",
        c.moved,
        lambda i: f"{md(i['title'])} (`{i['id']}`): {topics_md(i['before'])} → {topics_md(i['after'])}",
    )
    section("Metadata changed", c.metadata, metadata_line)
    section("Hidden", c.hidden, lambda i: f"{md(i['title'])} (`{i['id']}`)")
    section("Shown again", c.unhidden, lambda i: f"{md(i['title'])} (`{i['id']}`)")
    changed_topics = [t for t in c.topics if t["before"] != t["after"]]
    if changed_topics:
        lines += ["", "| Topic | Before | After |", "| --- | ---: | ---: |"]
        for t in changed_topics:
            before = "new" if t["before"] is None else t["before"]
            after = "removed" if t["after"] is None else t["after"]
            lines.append(f"| {md(t['title'])} (`{t['slug']}`) | {before} | {after} |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from litreview.engine.pipeline import load_site

    new = catalogue_of(load_site(args.seeds, args.content))
    with tempfile.TemporaryDirectory(prefix="litreview-diff-") as tmp:
        try:
            seeds, content = checkout_inputs(args.base, args.seeds, args.content, Path(tmp))
        except GitError as exc:
            print(f"build.py diff: error: {exc}", file=sys.stderr)
            return 2
        if not any(seeds.glob("*.txt")):
            old = empty_catalogue()
        else:
            try:
                old = catalogue_of(load_site(seeds, content))
            except (InputError, InputErrors) as exc:
                errors = exc.errors if isinstance(exc, InputErrors) else [exc]
                print(f"build.py diff: {args.base} does not load with this version:", file=sys.stderr)
                for e in errors:
                    print(f"  {e.format().replace(str(tmp) + '/', '')}", file=sys.stderr)
                print("comparing against an empty catalogue", file=sys.stderr)
                old = empty_catalogue()
    changes = compare(args.base, old, new)
    if args.format == "json":
        print(json.dumps(changes.record(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        sys.stdout.write(render_markdown(changes))
    return 0
