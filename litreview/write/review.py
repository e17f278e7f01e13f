"""Per-topic review pages, written as Markdown (site/topics/<slug>.md).

A review is built in two steps so the look stays editable without Python:
``build_review`` gathers everything a page shows into plain dataclasses
(counts, sub-themes, the claims table, related topics), all in a fixed,
documented order; ``templates/review.md.j2`` lays it out. The Jinja
environment has autoescaping off (the output is Markdown, not HTML) and
instead offers filters that escape seed text for Markdown: ``md`` for inline
text, ``cell`` for table cells, ``link``/``page_link`` for links.

Ordering (deterministic, so a rebuild gives byte-identical pages):

- sub-themes: the topic's declared sub-themes (its ``subthemes:``) in the
  order declared, each holding the papers its rules place; then the papers no
  declared sub-theme catches, grouped automatically under their most common
  tag within the topic, method tags first (see ``_themes``), by number of
  papers, most first, then tag name; a group of one paper is not a theme:
  such papers, and those without tags, end the list as "Other approaches";
- papers within a sub-theme and in "Also relevant": newest first (papers
  without a year last), then title (case-insensitive), then id;
- results at a glance: by kind, in the order claims.yml declares them
  (the built-in ones: speedup, throughput, latency, memory, compute,
  energy, accuracy, size, auc...; "other" last), then value (largest
  first), then paper title; at most ``CLAIMS_PER_PAPER`` claims per paper, in the order
  the abstract states them;
- related topics: by number of shared papers, most first, then topic order.

A review listing more than ``REVIEW_PAGE_SIZE`` papers (its sub-themes and
"Also relevant" together) is split into pages in that same order, so no
page grows with the catalogue: page 1 (``<slug>.md``) keeps the overview,
the start-here papers, the results at a glance (then at most
``GLANCE_PER_KIND`` of each kind, the largest) and the related topics;
page n (``<slug>.<n>.md``, next to it, so every relative link works on
GitHub as on the site) continues the list, a sub-theme cut by a page break
heading the next page again as "(continued)". Each page's comparison
tables hold that page's papers.

Links are relative to ``topics/``: ``../papers/<id>.html``,
``../tags/<slug>.html`` and ``<other-topic>.html``.

The Markdown is written for Python-Markdown with the ``tables``, ``toc``
and ``sane_lists`` extensions (what render.py uses) and also reads well on
GitHub.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path

import jinja2

from litreview.analyse.claims import default_kinds
from litreview.errors import InputError
from litreview.model import Claim, Paper, Site, Topic
from litreview.utils.urls import is_web_url
from litreview.write.comparison import ComparisonTable, TableBuilder
from litreview.write.mdescape import escape_markdown, escape_table_cell, md_link, md_relative_link

TEMPLATE = "review.md.j2"
CLAIMS_PER_PAPER = 3
REVIEW_PAGE_SIZE = 250  # papers a page of a review lists: about 0.4 MB of HTML
GLANCE_PER_KIND = 25  # results of each kind at a glance, when a review has several pages
RELATED_TOPICS = 5
OTHER_THEME = "Other approaches"

HTML_COMMENT_RE = re.compile(r"<!--.*?-->\s*", re.DOTALL)


@dataclass
class PaperEntry:
    """One paper as a review lists it."""

    id: str
    title: str
    url: str  # relative to topics/
    year: int | None
    tldr: str
    tags: list[tuple[str, str]]  # (name, url)
    code_links: list[str]  # http(s) only
    claim_count: int
    primary_topic: tuple[str, str] | None = None  # (title, url), for papers listed as "also relevant"
    authors: str = ""  # "A. Name, B. Name and C. Name" ("et al." past model.AUTHORS_SHOWN); "" when unknown


@dataclass
class Theme:
    """A sub-theme of a topic: declared in its front matter, or found (a tag the papers share)."""

    name: str
    url: str | None  # the tag page of a found sub-theme; None for a declared one and "Other approaches"
    papers: list[PaperEntry]
    description: str = ""  # a declared sub-theme's description (plain text)
    declared: bool = False  # written in the topic's `subthemes:`, not found from tags
    table: ComparisonTable | None = None  # write/comparison.py; None when it would show nothing
    continued: bool = False  # the rest of a sub-theme a previous page of the review began


@dataclass
class GlanceRow:
    """One claim in the "Results at a glance" table."""

    paper_title: str
    paper_url: str
    claim: str
    value: str  # formatted: "5×", "40%", "79 ms"
    kind: str
    baseline: str


@dataclass
class Landmark:
    """A "start here" paper: one that other papers most compare against (analyse/lineage.py)."""

    title: str
    url: str
    year: int | None
    compared_by: int


@dataclass
class RelatedTopic:
    title: str
    url: str
    shared: int


@dataclass
class Review:
    """Everything one topic's review page shows."""

    slug: str
    title: str
    description: str
    intro: str  # human-written Markdown, included as-is
    paper_count: int
    secondary_count: int
    themes: list[Theme]
    years: list[tuple[int, int]]  # (year, papers), newest first
    undated: int  # papers without a known year
    glance: list[GlanceRow]
    also: list[PaperEntry]
    related: list[RelatedTopic]
    claim_count: int = 0
    theme_counts: list[tuple[str, int]] = field(default_factory=list)
    landmarks: list[Landmark] = field(default_factory=list)
    page: int = 1  # this page of the review
    pages: list[tuple[int, str]] = field(default_factory=list)  # (number, URL) of every page; [] for one page
    theme_pages: list[str] = field(default_factory=list)  # per theme_counts entry: the URL of its first page
    glance_total: int = 0  # results at a glance before GLANCE_PER_KIND cut them (split reviews)


def review_page_count(topic: Topic, size: int | None = None) -> int:
    """How many pages a topic's review has: its sub-themes list every primary paper, "Also relevant" the rest."""
    return max(1, -(-(len(topic.papers) + len(topic.secondary)) // (size or REVIEW_PAGE_SIZE)))


def review_page_url(slug: str, number: int) -> str:
    """A page of a topic's review, relative to topics/ (".html"; the Markdown has ".md")."""
    return f"{slug}.html" if number == 1 else f"{slug}.{number}.html"


def format_value(claim: Claim) -> str:
    """A claim's value as a reader expects it: "5×", "1.39×", "40%", "3.1 GB", "2.5 pp", a range "2–13×"."""
    number = f"{claim.value:,.2f}".rstrip("0").rstrip(".")
    if claim.low is not None:
        number = f"{claim.low:,.2f}".rstrip("0").rstrip(".") + "–" + number
    if claim.unit == "x":
        return f"{number}×"
    if claim.unit == "%":
        return f"{number}%"
    return f"{number} {claim.unit}" if claim.unit else number  # a unitless score: "0.93"


def _paper_sort_key(paper: Paper) -> tuple:
    return (paper.year is None, -(paper.year or 0), paper.title.casefold(), paper.id)


def _entry(paper: Paper, tag_names: dict[str, str], topic_titles: dict[str, str]) -> PaperEntry:
    tags = [(tag_names[slug], f"../tags/{slug}.html") for slug in paper.tag_slugs if slug in tag_names]
    primary = paper.primary_topic
    return PaperEntry(
        id=paper.id,
        title=paper.title,
        url=f"../papers/{paper.id}.html",
        year=paper.year,
        tldr=paper.tldr,
        tags=tags,
        code_links=[url for url in paper.code_links if is_web_url(url)],
        claim_count=len(paper.claims),
        primary_topic=(topic_titles[primary], f"{primary}.html") if primary in topic_titles else None,
        authors=paper.author_line,
    )


def _themes(
    topic: Topic, entries: dict[str, PaperEntry], tag_names: dict[str, str], tag_groups: dict[str, str]
) -> list[Theme]:
    """The topic's sub-themes: declared ones first, then groups found from tags, then "Other approaches".

    A paper goes under the declared sub-theme its rules chose for this topic
    (classify.py); the others under their tag that is most common among them,
    method tags ("Post-training quantization") before hardware, model and
    task tags ("Large language models"): a sub-theme should say what papers
    do, and model tags are so common they would swallow whole topics. A group
    of one paper says nothing a heading should: it joins "Other approaches".
    """
    declared = {f"{topic.slug}/{s.slug}": s for s in topic.subthemes}
    placed: dict[str, list[Paper]] = {slug: [] for slug in declared}
    rest: list[Paper] = []
    for paper in topic.papers:
        chosen = next((a.slug for a in paper.subthemes if a.slug in declared), None)
        (placed[chosen] if chosen else rest).append(paper)
    counts = Counter(slug for paper in rest for slug in paper.tag_slugs if slug in tag_names)
    found: dict[str | None, list[Paper]] = {}
    for paper in rest:
        slugs = [slug for slug in paper.tag_slugs if slug in tag_names and counts[slug] > 1]
        best = (
            min(slugs, key=lambda s: (tag_groups.get(s) != "method", -counts[s], tag_names[s].casefold(), s))
            if slugs
            else None
        )
        found.setdefault(best, []).append(paper)
    other = found.pop(None, [])
    for slug in [slug for slug, papers in found.items() if len(papers) == 1]:
        other += found.pop(slug)

    def listed(papers: list[Paper]) -> list[PaperEntry]:
        return [entries[p.id] for p in sorted(papers, key=_paper_sort_key)]

    themes = []
    for slug, subtheme in declared.items():
        if len(placed[slug]) == 1:
            other += placed[slug]
        elif placed[slug]:
            themes.append(Theme(subtheme.name, None, listed(placed[slug]), subtheme.description, declared=True))
    order = sorted(found, key=lambda s: (-len(found[s]), tag_names[s].casefold(), s))
    themes += [Theme(tag_names[slug], f"../tags/{slug}.html", listed(found[slug])) for slug in order]
    if other:
        themes.append(Theme(OTHER_THEME, None, listed(other)))
    return themes


def _glance(papers: list[Paper], kinds: list[str]) -> list[GlanceRow]:
    rank = {kind: index for index, kind in enumerate(kinds)}
    rows = []
    for paper in papers:
        for claim in paper.claims[:CLAIMS_PER_PAPER]:
            rows.append((claim, paper))
    rows.sort(
        key=lambda row: (
            rank.get(row[0].kind, len(kinds)),
            -row[0].value,
            row[1].title.casefold(),
            row[1].id,
            row[0].text,
        )
    )
    return [
        GlanceRow(
            paper_title=paper.title,
            paper_url=f"../papers/{paper.id}.html",
            claim=claim.text,
            value=format_value(claim),
            kind=claim.kind,
            baseline=claim.baseline or "",
        )
        for claim, paper in rows
    ]


def _related(site: Site, topic: Topic, members: dict[str, set[str]] | None = None) -> list[RelatedTopic]:
    members = members if members is not None else _members(site)
    mine = members[topic.slug]
    scored = []
    for position, other in enumerate(site.topics):
        if other.slug == topic.slug:
            continue
        shared = len(mine & members[other.slug])
        if shared:
            scored.append((-shared, position, other))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [RelatedTopic(other.title, f"{other.slug}.html", -neg) for neg, _, other in scored[:RELATED_TOPICS]]


def _members(site: Site) -> dict[str, set[str]]:
    """Topic slug -> the ids of its papers, primary and secondary."""
    return {t.slug: {p.id for p in (*t.papers, *t.secondary)} for t in site.topics}


class ReviewData:
    """What every topic's review reads from the whole site, gathered once for all of them."""

    def __init__(self, site: Site) -> None:
        self.tag_names = {tag.slug: tag.name for tag in site.tags}
        self.tag_groups = {tag.slug: tag.group for tag in site.tags}
        self.topic_titles = {t.slug: t.title for t in site.topics}
        self.members = _members(site)
        self._entries: dict[str, PaperEntry] = {}

    def entry(self, paper: Paper) -> PaperEntry:
        """A paper's entry (the same for every topic that lists it)."""
        found = self._entries.get(paper.id)
        if found is None:
            found = self._entries[paper.id] = _entry(paper, self.tag_names, self.topic_titles)
        return found


def build_review(site: Site, topic: Topic, data: ReviewData | None = None) -> Review:
    """The contents of one topic's review on one page, in the documented order (data: shared by all topics' reviews)."""
    (review,) = build_review_pages(site, topic, data, size=sys.maxsize)
    return review


def build_review_pages(
    site: Site, topic: Topic, data: ReviewData | None = None, size: int | None = None
) -> list[Review]:
    """The pages of one topic's review: one when it lists at most `size` papers (see the module's docstring)."""
    review, papers = _assemble(site, topic, data or ReviewData(site))
    builder = TableBuilder(site)
    if review_page_count(topic, size) == 1:
        for theme in review.themes:
            theme.table = builder.table([papers[entry.id] for entry in theme.papers])
        return [review]
    listed: list[tuple[int | None, PaperEntry]] = [
        (i, e) for i, theme in enumerate(review.themes) for e in theme.papers
    ]
    listed += [(None, entry) for entry in review.also]
    size = size or REVIEW_PAGE_SIZE
    chunks = [listed[start : start + size] for start in range(0, len(listed), size)]
    links = [(number, review_page_url(review.slug, number)) for number in range(1, len(chunks) + 1)]
    first_page: dict[int, int] = {}  # theme index -> the page it begins on
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        themes, also = [], []
        for index, group in groupby(chunk, key=lambda item: item[0]):
            entries = [entry for _, entry in group]
            if index is None:
                also = entries
                continue
            whole, continued = review.themes[index], index in first_page
            first_page.setdefault(index, number)
            table = builder.table([papers[entry.id] for entry in entries])
            themes.append(
                Theme(
                    whole.name,
                    whole.url,
                    entries,
                    "" if continued else whole.description,
                    whole.declared,
                    table,
                    continued,
                )
            )
        if number == 1:
            glance = _cut_glance(review.glance)
            pages.append(
                replace(review, themes=themes, also=also, pages=links, glance=glance, glance_total=len(review.glance))
            )
        else:  # the overview, start-here papers, results and related topics are page 1's
            pages.append(
                replace(
                    review,
                    themes=themes,
                    also=also,
                    page=number,
                    pages=links,
                    intro="",
                    glance=[],
                    landmarks=[],
                    related=[],
                )
            )
    pages[0].theme_pages = [links[first_page[index] - 1][1] for index in range(len(review.themes))]
    return pages


def _assemble(site: Site, topic: Topic, data: ReviewData) -> tuple[Review, dict[str, Paper]]:
    """A topic's review without its comparison tables, and its papers by id (to make them)."""
    tag_names = data.tag_names
    entries = {p.id: data.entry(p) for p in (*topic.papers, *topic.secondary)}
    themes = _themes(topic, entries, tag_names, data.tag_groups)
    years = Counter(p.year for p in topic.papers if p.year is not None)
    review = Review(
        slug=topic.slug,
        title=topic.title,
        description=topic.description,
        intro=HTML_COMMENT_RE.sub("", topic.intro).strip(),  # notes to the editor (new-topic's) stay in content/
        paper_count=len(topic.papers),
        secondary_count=len(topic.secondary),
        themes=themes,
        years=sorted(years.items(), reverse=True),
        undated=sum(1 for p in topic.papers if p.year is None),
        glance=_glance(topic.papers, site.claim_kinds or list(default_kinds().names)),
        also=[entries[p.id] for p in sorted(topic.secondary, key=_paper_sort_key)],
        related=_related(site, topic, data.members),
        claim_count=sum(len(p.claims) for p in topic.papers),
        theme_counts=[(theme.name, len(theme.papers)) for theme in themes],
        landmarks=[Landmark(p.title, f"../papers/{p.id}.html", p.year, len(p.compared_by)) for p in topic.landmarks],
    )
    return review, {p.id: p for p in topic.papers}


def _cut_glance(rows: list[GlanceRow]) -> list[GlanceRow]:
    """The first GLANCE_PER_KIND rows of each kind (the rows come by kind, largest value first)."""
    shown: Counter[str] = Counter()
    kept = []
    for row in rows:
        shown[row.kind] += 1
        if shown[row.kind] <= GLANCE_PER_KIND:
            kept.append(row)
    return kept


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def url_label(url: str) -> str:
    """A URL as short link text: no scheme, no "www.", no trailing slash."""
    label = url.split("://", 1)[-1]
    label = label[4:] if label.startswith("www.") else label
    return label.rstrip("/")


def markdown_environment(templates_dir: Path | str, bytecode_cache=None) -> jinja2.Environment:
    """Jinja for Markdown output: no HTML autoescaping, Markdown escaping filters instead."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["cell"] = escape_table_cell
    env.filters["plural"] = _plural
    env.filters["url_label"] = url_label
    env.globals["link"] = md_link
    env.globals["page_link"] = md_relative_link
    return env


def render_review(env: jinja2.Environment, review: Review) -> str:
    """One page of a review as Markdown."""
    text = env.get_template(TEMPLATE).render(review=review)
    return text.rstrip("\n") + "\n"


def render_review_pages(env: jinja2.Environment, pages: list[Review]) -> list[str]:
    return [render_review(env, page) for page in pages]


def review_stem(slug: str, number: int) -> str:
    """The name (without .md or .html) of a page of a review in topics/."""
    return review_page_url(slug, number).removesuffix(".html")


# How a review is rendered: (env, template source, topic, make the review's
# pages) -> the Markdown of each page. The engine passes a memoised one
# (engine/steps.py); a review is plain data, so the template's source and the
# pages' repr are all it depends on (and the pages are made from the topic, its
# papers and the site's topics and tags).
ReviewRenderer = Callable[[jinja2.Environment, str, Topic, Callable[[], list[Review]]], list[str]]


def render_reviews(
    site: Site, templates_dir: Path | str, env: jinja2.Environment | None = None, render: ReviewRenderer | None = None
) -> dict[str, str]:
    """Every page of every topic's review as Markdown, keyed by its name in topics/ (review_stem):
    the topic's slug for page 1, "<slug>.<n>" for page n."""
    return dict(iter_reviews(site, templates_dir, env, render))


def iter_reviews(
    site: Site, templates_dir: Path | str, env: jinja2.Environment | None = None, render: ReviewRenderer | None = None
) -> Iterator[tuple[str, str]]:
    """render_reviews one topic at a time, in the site's order of topics and pages: a build
    writes each review and its topic pages before it makes the next (at 100,000 papers the
    reviews are 200 MB of Markdown).

    A broken template (it is user-editable) is reported as bad input with its
    file and line, not as a traceback.
    """
    env = env or markdown_environment(templates_dir)
    render = render or (lambda env, _source, _topic, make: render_review_pages(env, make()))
    path = str(Path(templates_dir) / TEMPLATE)
    try:
        source = env.loader.get_source(env, TEMPLATE)[0]  # type: ignore[union-attr]
        shared: list[ReviewData] = []  # made once, when the first review is made

        def make(topic: Topic) -> list[Review]:
            if not shared:
                shared.append(ReviewData(site))
            return build_review_pages(site, topic, shared[0])

        for topic in site.topics:
            for number, text in enumerate(render(env, source, topic, lambda topic=topic: make(topic)), start=1):
                yield review_stem(topic.slug, number), text
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            path, exc.lineno, f"template error: {exc.message}", "see the comment at the top of the template"
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise InputError(path, None, "review template not found", f"restore templates/{TEMPLATE}") from exc
    except jinja2.TemplateError as exc:  # undefined names, unknown filters, ...
        hint = "the names and filters a template can use are listed at its top"
        raise InputError(path, _template_line(exc, path), f"template error: {exc.message}", hint) from exc


def _template_line(exc: BaseException, path: str) -> int | None:
    """The template line a runtime error happened on, from the traceback Jinja rewrites."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
