"""The shared vocabulary of every stage: papers, topics, tags and the site.

Stages fill these in turn (seeds -> content -> classify -> extract), so a
template or exporter reads one object instead of reaching into stages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_MIN_SCORE = 3.0  # a topic or tag rule's score threshold when min_score is not given
# Headings of common tag groups. A review's tags.yml may use any group (organism,
# assay...); the site lists groups in the order tags.yml first uses them.
TAG_GROUPS = {"method": "Methods", "hardware": "Hardware", "model": "Models", "task": "Tasks"}


@dataclass(frozen=True, order=True)
class Source:
    """Where a paper was listed: a seed file (relative name) and its title line."""

    file: str
    line: int


@dataclass
class SeedEntry:
    """One title/abstract pair as it appears in one seed file."""

    title: str
    abstract: str
    source: Source
    abstract_line: int
    authors_count: int | None = None
    organisation: str | None = None
    date: str | None = None
    year: int | None = None
    upvotes: int | None = None
    # From reference-manager exports (.bib, .ris, .json); see read/references.py.
    authors: list[str] = field(default_factory=list)  # display names, in order
    group_authors: list[str] = field(default_factory=list)  # those of `authors` that are organisations
    venue: str | None = None
    entry_type: str | None = None  # one of ENTRY_TYPES
    doi: str | None = None  # lower-case, without https://doi.org/
    arxiv: str | None = None  # without its version: 1706.03762, hep-th/9901001
    url: str | None = None
    citation_key: str | None = None
    keywords: list[str] = field(default_factory=list)

    @property
    def is_listing(self) -> bool:
        """A scraped .txt listing (as opposed to a reference-manager export)."""
        return self.source.file.endswith(".txt")


# Entry types, with how the site names them. Readers map every format's types onto these.
ENTRY_TYPES = {
    "article": "journal article",
    "conference-paper": "conference paper",
    "preprint": "preprint",
    "book": "book",
    "chapter": "book chapter",
    "thesis": "thesis",
    "report": "report",
    "dataset": "dataset",
    "software": "software",
    "webpage": "web page",
    "misc": "other",
}


@dataclass
class Claim:
    """A quantitative claim pulled out of an abstract."""

    text: str  # the phrase as written, e.g. "up to 5x speedup over dense GEMM"
    value: float
    unit: str  # "x", "%", "ms", ...
    kind: str  # a kind claims.yml declares ("speedup", "memory", "AUC"...) or "other"
    baseline: str | None = None  # what it is compared to, when the abstract says
    sentence: str = ""
    low: float | None = None  # the lower end of a range ("2x to 13x": 2.0; value is 13.0)


@dataclass(frozen=True)
class Assignment:
    """A topic or tag given to a paper, with why. Frozen: a resident build shares the
    memoised ones between builds (overrides make new ones)."""

    slug: str
    score: float
    reasons: list[str] = field(default_factory=list)
    origin: str = "rules"  # "rules" or "override"


@dataclass(slots=True)
class Paper:
    """One unique paper, merged across every seed file that lists it. Slots: with more than 29
    attributes CPython 3.11 gives each instance its own 1.6 KB dict, against 320 bytes of
    slots (130 MB at 100,000 papers, held once per build process)."""

    id: str
    title: str
    abstract: str
    sources: list[Source]
    key: str = ""  # normalised title, the de-duplication key
    authors_count: int | None = None
    organisation: str | None = None
    date: str | None = None
    year: int | None = None
    upvotes: int | None = None
    links: list[str] = field(default_factory=list)  # code/project URLs
    # Bibliographic metadata, from reference-manager exports or content/papers/<id>.md overrides.
    authors: list[str] = field(default_factory=list)  # display names, in order
    venue: str | None = None
    group_authors: list[str] = field(default_factory=list)  # authors that are organisations (kept whole)
    entry_type: str | None = None  # a key of ENTRY_TYPES
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None  # the paper's own page (publisher, arXiv), not ours
    citation_key: str | None = None
    keywords: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other ids that redirect to this paper
    notes: str = ""  # reviewer notes, Markdown
    hidden: bool = False
    override_path: str | None = None
    # From classify.
    primary_topic: str | None = None
    topics: list[Assignment] = field(default_factory=list)  # primary first
    tags: list[Assignment] = field(default_factory=list)
    # The best declared sub-theme of each topic whose sub-theme rules the paper meets ("topic/sub-theme" slugs).
    subthemes: list[Assignment] = field(default_factory=list)
    # From extract.
    tldr: str = ""
    claims: list[Claim] = field(default_factory=list)
    # When the paper first appeared (ISO date), for the feed and "recent".
    added: str | None = None
    # From analyse/entities.py: the names of content/entities.yml found in the title and
    # abstract, by category (categories and names in first-mention order), and the names
    # the abstract compares against ("outperforms X", "than X", a claim's baseline).
    entities: dict[str, list[str]] = field(default_factory=dict)
    baselines: list[str] = field(default_factory=list)
    # From analyse/lineage.py: catalogue papers this one compares against (a baseline whose
    # entity names its paper), and the papers that compare against this one; ids.
    compares_with: list[str] = field(default_factory=list)
    compared_by: list[str] = field(default_factory=list)

    @property
    def topic_slugs(self) -> list[str]:
        return [a.slug for a in self.topics]

    @property
    def tag_slugs(self) -> list[str]:
        return [a.slug for a in self.tags]

    @property
    def code_links(self) -> list[str]:
        return [u for u in self.links if is_code_url(u)]

    @property
    def author_line(self) -> str:
        """Authors as one line: "A. Name, B. Name and C. Name", "A. Name et al." past AUTHORS_SHOWN."""
        return author_line(self.authors)

    @property
    def entry_label(self) -> str:
        return ENTRY_TYPES.get(self.entry_type or "", "")


AUTHORS_SHOWN = 6  # more authors than this are shown as the first three and "et al."


def author_line(authors: list[str], limit: int = AUTHORS_SHOWN) -> str:
    if len(authors) > limit:
        return ", ".join(authors[:3]) + " et al."
    if len(authors) <= 2:
        return " and ".join(authors)
    return ", ".join(authors[:-1]) + " and " + authors[-1]


CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")


def is_code_url(url: str) -> bool:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower()
    return any(host == h or host.endswith("." + h) for h in CODE_HOSTS)


@dataclass
class Subtheme:
    """A research sub-theme a topic declares in its front matter (`subthemes:`), matched like a topic."""

    name: str
    slug: str
    description: str = ""
    rules: dict = field(default_factory=dict)


@dataclass
class Topic:
    """A review topic, from content/topics/<slug>.md."""

    slug: str
    title: str
    order: int
    description: str
    intro: str  # Markdown body, human-written
    path: str  # the content file it came from
    rules: dict = field(default_factory=dict)  # validated matching rules (see classify.py)
    subthemes: list[Subtheme] = field(default_factory=list)  # declared, in the order the review shows them
    automatic: bool = False  # found by analyse/autotopics.py, not written in content/topics/
    # Filled by classify: papers whose primary topic this is, and the rest.
    papers: list[Paper] = field(default_factory=list)
    secondary: list[Paper] = field(default_factory=list)
    # Filled by analyse/lineage.py: the topic's most compared-against papers ("start here").
    landmarks: list[Paper] = field(default_factory=list)


@dataclass
class Tag:
    """A finer label (method, hardware, model family, task), from content/tags.yml."""

    slug: str
    name: str
    group: str  # any word tags.yml uses: "method", "hardware", "organism", "assay"...
    rules: dict = field(default_factory=dict)
    papers: list[Paper] = field(default_factory=list)


@dataclass(frozen=True)
class Entity:
    """A named thing papers evaluate on or compare against (a GPU, a model, a dataset...),
    from content/entities.yml: its display name, category, the spellings that name it
    (the name first) and the id of the catalogue paper that introduced it, if any."""

    name: str
    category: str
    aliases: tuple[str, ...]
    paper: str | None = None
    line: int = 0


@dataclass
class Page:
    """A free page from content/pages/<slug>.md (about, ...)."""

    slug: str
    title: str
    body: str  # Markdown
    path: str
    order: int = 0


@dataclass
class SiteConfig:
    """content/site.yml."""

    title: str = "Literature review"
    description: str = ""
    author: str = ""
    language: str = "en"
    repo_url: str | None = None  # https://github.com/owner/name, for edit links
    branch: str = "main"
    base_url: str | None = None  # absolute URL of the deployed site, for feed and sitemap
    automatic_topics: str = "auto"  # "auto" or "off" (see analyse/autotopics.py)
    # `check` thresholds (warnings): properties of a review, not of the code.
    min_papers_per_topic: int = 5
    max_topic_share: float = 0.20
    max_uncategorised_share: float = 0.05
    path: str = "content/site.yml"


@dataclass
class Site:
    """Everything the writers need, gathered before anything is written."""

    config: SiteConfig
    papers: list[Paper]  # visible papers, in catalogue order
    topics: list[Topic]  # by order, then title
    tags: list[Tag]
    pages: list[Page]
    hidden: list[Paper] = field(default_factory=list)
    # Paper id -> the most similar other papers with their cosine (analyse/related.py),
    # filled by the engine before the paper pages are rendered.
    related: Mapping[str, list[tuple[Paper, float]]] = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # InputErrors that do not stop a build (check lists them)
    # content/entities.yml: the categories in the order the comparison tables show them, and the entities.
    entity_categories: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    entity_warnings: list = field(default_factory=list)  # InputErrors: `paper:` ids the catalogue lacks (check)
    # Every kind a claim can have, in the order the tables group them (claims.yml; "other" last).
    claim_kinds: list[str] = field(default_factory=list)

    def paper(self, paper_id: str) -> Paper:
        return self._papers_by_id()[paper_id]

    def topic(self, slug: str) -> Topic:
        return {t.slug: t for t in self.topics}[slug]

    def _papers_by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}
