"""The comparison table of a sub-theme: one row per paper, the columns a researcher scans.

Columns, left to right: the paper; its method family (its first tag of
the "method" group, if any); one column per category of
content/entities.yml that a paper of the table names (in the file's
order), listing those names but the one the paper itself introduced; what the paper compares against (the
baselines of analyse/entities.py, each linked to its paper when the
catalogue has it, then the baselines of its claims that name no entity);
and its headline result (see ``headline``). Rows keep the sub-theme's
order. A table whose rows show nothing but the paper and its method is
left out.

The rows are plain dataclasses of text, so a review's repr still names
everything the template can show (engine/steps.py memoises reviews by it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litreview.analyse.entities import strip_cue
from litreview.model import Claim, Paper, Site

METHOD_GROUP = "method"  # the tags.yml group whose tag names a paper's method family
SHORT_TITLE_CHARS = 40


@dataclass
class ComparisonRow:
    """One paper in a sub-theme's comparison table."""

    paper_id: str
    label: str  # a short title: "FlexGen", or the title when it has no short head
    title: str
    url: str
    method: str  # method family (a tag name), "" when none
    entities: list[list[str]]  # per column of the table, the names the paper gives
    baselines: list[tuple[str, str | None]]  # (name, url of its paper or None)
    headline: str  # "up to 2.2x higher throughput than vLLM", "" when no claim
    headline_kind: str = ""

    @property
    def empty(self) -> bool:
        return not (any(self.entities) or self.baselines or self.headline)


@dataclass
class ComparisonTable:
    columns: list[str]  # entity categories that some row names, in entities.yml order
    rows: list[ComparisonRow] = field(default_factory=list)


def short_title(title: str, name: str | None = None) -> str:
    """A paper as a short label: the name of what it introduced (entities.yml), else its title's
    part before a colon ("FlexGen: High-throughput..."), else the title."""
    if name:
        return name
    head = title.split(":", 1)[0].strip()
    return head if head != title and 0 < len(head) <= SHORT_TITLE_CHARS else title


def headline(claims: list[Claim]) -> Claim | None:
    """The paper's headline result: its first claim of a known kind (the abstract's order), else its first."""
    return next((c for c in claims if c.kind != "other"), claims[0] if claims else None)


def headline_text(claim: Claim) -> str:
    """The claim as written, with its baseline when the phrase does not say it."""
    text = " ".join(claim.text.split())
    baseline = strip_cue(claim.baseline or "")
    if baseline and baseline.casefold() not in text.casefold():
        text += f" (vs. {baseline})"
    return text


class TableBuilder:
    """Builds the tables of one site: the lookups are made once."""

    def __init__(self, site: Site) -> None:
        self.categories = list(site.entity_categories)
        self.paper_of = {e.name: e.paper for e in site.entities if e.paper}
        self.introduced: dict[str, str] = {}
        for entity in site.entities:
            if entity.paper:
                self.introduced.setdefault(entity.paper, entity.name)
        self.method_tags = {t.slug: t.name for t in site.tags if t.group == METHOD_GROUP}

    def row(self, paper: Paper) -> ComparisonRow:
        method = next((self.method_tags[s] for s in paper.tag_slugs if s in self.method_tags), "")
        linked = set(paper.compares_with)
        baselines: list[tuple[str, str | None]] = []
        for name in paper.baselines:
            target = self.paper_of.get(name)
            baselines.append((name, f"../papers/{target}.html" if target in linked else None))
        named = {name for name, _ in baselines}
        for claim in paper.claims:
            base = strip_cue(claim.baseline or "")
            if base and base not in named and not any(n in base for n in named):
                baselines.append((base, None))
                named.add(base)
        best = headline(paper.claims)
        return ComparisonRow(
            paper_id=paper.id,
            label=short_title(paper.title, self.introduced.get(paper.id)),
            title=paper.title,
            url=f"../papers/{paper.id}.html",
            method=method,
            entities=[
                [n for n in paper.entities.get(c, []) if self.paper_of.get(n) != paper.id] for c in self.categories
            ],
            baselines=baselines,
            headline=headline_text(best) if best else "",
            headline_kind=best.kind if best else "",
        )

    def table(self, papers: list[Paper]) -> ComparisonTable | None:
        """The table of these papers (in their order), or None when it would show nothing."""
        rows = [self.row(p) for p in papers]
        if all(r.empty for r in rows):
            return None
        shown = [i for i, _ in enumerate(self.categories) if any(r.entities[i] for r in rows)]
        for r in rows:
            r.entities = [r.entities[i] for i in shown]
        return ComparisonTable([self.categories[i] for i in shown], rows)
