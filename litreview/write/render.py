"""HTML pages: Markdown to safe HTML, the Jinja environment, one function per page.

Every page gets `root` ("" or "../"), the relative prefix to the site root,
so all links name files and one build works under /repo/, on any server
and from file://. Human-written Markdown is sanitised with nh3 (an
allow-list); seed text is only ever passed to templates as text, and Jinja
autoescapes it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, MutableMapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import NamedTuple, Protocol
from urllib.parse import quote

import markdown
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from litreview.errors import InputError
from litreview.model import TAG_GROUPS, Assignment, Page, Paper, Site, Tag, Topic, author_line
from litreview.read.history import FALLBACK_DATE
from litreview.utils.urls import is_web_url
from litreview.write import charts, editlinks, export, mdfast, mdsubset
from litreview.write.comparison import short_title
from litreview.write.review import review_page_count, review_stem

RECENT_COUNT = 12
RELATED_COUNT = 5
LINEAGE_MAX_PAPERS = 60  # papers a topic's lineage graph shows at most: the most connected
# Machine-readable files other stages write, linked from every footer.
DOWNLOADS = (
    {"path": "papers.json", "label": "JSON"},
    {"path": "papers.csv", "label": "CSV"},
    {"path": "papers.bib", "label": "BibTeX"},
    {"path": "feed.xml", "label": "Atom feed"},
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_A_RE = re.compile(r'<a href="(?:https?:)?//[^"]*"(?![^>]*\brel=)')


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One Markdown instance, reset between documents (building one is slow)."""
    md = stock_converter()
    mdfast.install(md)
    return md


def stock_converter() -> markdown.Markdown:
    """Python-Markdown as configured for every page, without litreview's faster inline pass.

    Extensions are passed as instances: naming them makes Python-Markdown scan
    every installed package's entry points, a tenth of a small build's render.
    """
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    return markdown.Markdown(
        extensions=[TableExtension(use_align_attribute=True), TocExtension(toc_depth="2-3"), SaneListExtension()],
        output_format="html",
    )


def convert_markdown(text: str) -> tuple[str, list[dict]]:
    """Markdown (human-written or generated) to sanitised HTML, and its <h2> headings.

    A pure function of the text (the engine memoises it). Raw HTML in the
    Markdown survives only as far as the allow-list lets it; no script,
    style, event handler or style attribute gets through, and external
    links open without handing over window.opener.
    """
    direct = mdsubset.convert(text)  # the review template's shapes, without Python-Markdown's machinery
    if direct is not None:
        html, tokens = direct
    else:
        md = _converter()
        md.reset()
        html, tokens = md.convert(text), md.toc_tokens  # type: ignore[attr-defined]
    toc = [{"id": t["id"], "name": unescape(t["name"])} for t in tokens if t["level"] == 2]
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    clean = EXTERNAL_A_RE.sub(lambda m: m.group(0) + ' rel="noopener"', clean)
    return str(clean), toc


MarkdownConverter = Callable[[str], tuple[str, list[dict]]]


def render_markdown(text: str, convert: MarkdownConverter = convert_markdown) -> tuple[Markup, list[dict]]:
    """Safe HTML (as Markup) and the <h2> headings of Markdown text."""
    html, toc = convert(text)
    return Markup(html), [dict(t) for t in toc]


# What may tie the parts of a Markdown document together (see render_review_markdown).
_SHARED_STATE_RE = re.compile(r"<|\[TOC\]|^ {0,3}\[[^\]\n]+\]:", re.M)
_HEADING_ID_RE = re.compile(r'<h[1-6] id="([^"]*)"')


def render_review_markdown(
    body: str, intro: str, convert: MarkdownConverter = convert_markdown
) -> tuple[Markup, list[dict]]:
    """render_markdown(body) for a review page, converted as two documents: up to the end of
    the human-written intro, and the generated rest from the next "## " heading on, so that the
    rest (almost all of a review) is converted, and memoised, apart from the intro: an edit to
    the intro converts only the first part again.

    The result is the same as converting the whole: Python-Markdown joins top-level blocks with
    a newline, and nothing ties the parts together unless they share state. So the whole is
    converted instead when either part has raw HTML (a block left open swallows what follows),
    a [TOC] marker or a reference definition, or when the parts' heading ids meet (the whole
    would number the later one). tests/test_render.py compares both on real reviews.
    """
    start = body.find(intro.strip()) if intro.strip() else -1
    cut = body.find("\n\n## ", start + len(intro.strip())) if start >= 0 else -1
    if cut == -1 or _SHARED_STATE_RE.search(body):
        return render_markdown(body, convert)
    head_html, head_toc = convert(body[:cut])
    rest_html, rest_toc = convert(body[cut + 2 :])
    if set(_HEADING_ID_RE.findall(head_html)) & set(_HEADING_ID_RE.findall(rest_html)):
        return render_markdown(body, convert)
    html = f"{head_html}\n{rest_html}" if head_html else rest_html
    return Markup(html), [dict(t) for t in (*head_toc, *rest_toc)]


def markdown_to_html(text: str, convert: MarkdownConverter = convert_markdown) -> Markup:
    return render_markdown(text, convert)[0]


def heading_text(heading: str, convert: MarkdownConverter = convert_markdown) -> str:
    """A Markdown heading as the plain text it shows ("Kernels &amp; \\*speed\\*" -> "Kernels & *speed*"),
    for the page's <h1> and <title>, which Jinja escapes."""
    html, _ = convert(heading)
    return unescape(re.sub(r"<[^>]*>", "", html)).strip()


def strip_leading_h1(text: str) -> tuple[str | None, str]:
    """Split off a leading "# Title" line, so the page prints one <h1>."""
    lines = text.lstrip("\ufeff").split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if line.startswith("# "):
            return line[2:].strip(), "\n".join(lines[i + 1 :])
        break
    return None, text


def make_env(
    templates_dir: Path | str, bytecode_cache=None, convert: MarkdownConverter = convert_markdown
) -> Environment:
    """The Jinja environment for HTML pages. Compiling templates is most of a small
    build's render time, so the engine keeps one per build (per server, for
    `serve`: auto_reload picks up edited templates) with a compiled-template cache."""
    env = Environment(
        bytecode_cache=bytecode_cache,
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["markdown"] = lambda text: markdown_to_html(text, convert)
    env.filters["http_only"] = lambda urls: [u for u in urls if is_web_url(u)]
    env.filters["author_list"] = lambda authors, limit=10_000: author_line(authors, limit)
    return env


class Link(NamedTuple):
    """A page or topic as a link: what navigation shows of it."""

    slug: str
    title: str


class TopicCard(NamedTuple):
    """What the home page shows of a topic."""

    slug: str
    title: str
    description: str
    automatic: bool


# How a page is rendered: (env, template name, context, render) -> HTML. The
# engine passes a memoised one (engine/steps.py), keyed by the template's
# sources and the context variables the template reads.
# inputs, when given, replace the context values that are not in it as the key.
PageRenderer = Callable[..., str]


def render_page_directly(
    env: Environment, template: str, context: dict, render: Callable[[], str], inputs: tuple | None = None
) -> str:
    return render()


# How a group of pages made together is rendered: (env, template names, chrome,
# inputs, make, files) puts the pages into files; make(files) renders them. The
# engine's memoised one (engine/steps.py) keys the whole group by the templates'
# sources, the chrome they read and the inputs, which must name everything the
# pages are made from.
PageGroupRenderer = Callable[..., None]


def render_group_directly(
    env: Environment,
    templates: tuple[str, ...],
    chrome: dict,
    inputs: tuple,
    make: Callable[[MutableMapping[str, str]], None],
    files: MutableMapping[str, str],
) -> None:
    make(files)


@dataclass
class Ctx:
    """What every page needs besides its own data."""

    site: Site
    env: Environment
    topics_by_slug: dict[str, Topic]
    tags_by_slug: dict[str, Tag]
    has_search: bool = False
    convert: MarkdownConverter = convert_markdown
    pages: PageRenderer = render_page_directly
    groups: PageGroupRenderer = render_group_directly
    cite_keys: dict[str, int] | None = None  # citation key -> papers claiming it (export.citation_keys)
    comparisons: list[tuple[str, str]] | None = None  # comparisons(site), made once for every topic page

    def html(self, markdown_text: str) -> Markup:
        return markdown_to_html(markdown_text, self.convert)

    def __post_init__(self) -> None:
        # Light views for the chrome every page shows: a page whose template reads only
        # these is not rendered again when an unrelated paper or page changes.
        self.nav_pages = [Link(p.slug, p.title) for p in self.site.pages]
        self.topic_titles = {t.slug: t.title for t in self.site.topics}
        self.tag_names = {t.slug: t.name for t in self.site.tags}
        self.papers_by_id = {p.id: p for p in self.site.papers}

    def common(self, root: str, page_path: str, current: str = "") -> dict:
        return {
            "root": root,
            "config": self.site.config,
            "site": self.site,
            "page_path": page_path,
            "current": current,
            "downloads": DOWNLOADS,
            "has_search": self.has_search,
            "paper_count": len(self.site.papers),
            "nav_pages": self.nav_pages,
            "topic_titles": self.topic_titles,
            "tag_names": self.tag_names,
            "topics_by_slug": self.topics_by_slug,
            "tags_by_slug": self.tags_by_slug,
        }

    def render(self, template: str, root: str, page_path: str, current: str = "", **data) -> str:
        context = {**self.common(root, page_path, current), **data}
        return self.pages(self.env, template, context, lambda: tidy(self.env.get_template(template).render(context)))

    def render_from(
        self, template: str, root: str, page_path: str, current: str, inputs: tuple, data: Callable[[], dict]
    ) -> str:
        """Like render, with the page's own data made by data() from inputs only when the
        page is not memoised: its key is the chrome the templates read, plus the inputs."""
        common = self.common(root, page_path, current)

        def render() -> str:
            return tidy(self.env.get_template(template).render({**common, **data()}))

        return self.pages(self.env, template, common, render, inputs)


def tidy(html: str) -> str:
    """End every file with exactly one newline (content inside <pre> is left alone)."""
    return html.rstrip() + "\n"


def topic_size(topic: Topic) -> int:
    return len(topic.papers) + len(topic.secondary)


def overlap_counts(site: Site) -> list[list[int]]:
    """counts[i][j]: papers assigned to both topic i and topic j (diagonal: topic size)."""
    index = {t.slug: i for i, t in enumerate(site.topics)}
    n = len(site.topics)
    counts = [[0] * n for _ in range(n)]
    for paper in site.papers:
        mine = sorted({index[s] for s in paper.topic_slugs if s in index})
        for i in mine:
            for j in mine:
                counts[i][j] += 1
    return counts


def year_counts(site: Site) -> list[charts.Bar]:
    years = Counter(p.year for p in site.papers if p.year)
    return [charts.Bar(str(y), years[y]) for y in sorted(years)]


def recent_papers(site: Site, count: int = RECENT_COUNT) -> list[Paper]:
    """Newest `added` first; papers without a date keep catalogue order after them."""
    return sorted(site.papers, key=lambda p: p.added or "", reverse=True)[:count]


def tag_groups(site: Site) -> list[dict]:
    """Tags with papers, grouped in the order tags.yml first uses each group, by name."""
    groups: dict[str, list[Tag]] = {}
    for tag in site.tags:
        if tag.papers:
            groups.setdefault(tag.group, []).append(tag)
    order = list(groups)
    return [
        {"name": TAG_GROUPS.get(g, g.capitalize()), "tags": sorted(groups[g], key=lambda t: t.name.lower())}
        for g in order
        if g in groups
    ]


def render_index(ctx: Ctx) -> str:
    site = ctx.site
    # Everything the home page is made from besides the chrome: the papers in full (years,
    # dates, topics), what it shows of each topic and tag. Not the topics themselves: an
    # edit to a topic's intro or rules that moves no paper does not make the charts again.
    inputs = (
        site.config,
        site.papers,
        [(t.slug, t.title, t.description, t.automatic, t.order, len(t.papers), len(t.secondary)) for t in site.topics],
        [(t.slug, t.name, t.group, len(t.papers)) for t in site.tags],
    )
    return ctx.render_from("index.html", "", "index.html", "home", inputs, lambda: index_data(ctx))


def index_data(ctx: Ctx) -> dict:
    site = ctx.site
    by_size = sorted(site.topics, key=lambda t: (-topic_size(t), t.order, t.title))
    bars = [charts.Bar(t.title, topic_size(t)) for t in by_size]
    return dict(
        description_html=ctx.html(site.config.description) if site.config.description else Markup(""),
        topic_cards=[
            {"topic": TopicCard(t.slug, t.title, t.description, t.automatic), "primary": len(t.papers), "size": size}
            for t, size in ((t, topic_size(t)) for t in site.topics)
        ],
        topic_count=len(site.topics),
        tag_count=len(site.tags),
        sizes_chart=charts.bar_chart("chart-sizes", "Papers per topic", bars),
        overlap_chart=charts.overlap_matrix(
            "chart-overlap", "Papers shared between topics", [t.title for t in site.topics], overlap_counts(site)
        ),
        years_chart=charts.column_chart("chart-years", "Papers per year", year_counts(site)),
        years_known=sum(1 for p in site.papers if p.year),
        recent=recent_papers(site),
        fallback_date=FALLBACK_DATE,  # no commit lists the paper yet: say so, not 1970-01-01
        tag_groups=tag_groups(site),
        unassigned=sum(1 for p in site.papers if not p.topics),
    )


def comparisons(site: Site) -> list[tuple[str, str]]:
    """Every (paper, paper it compares against), in catalogue order."""
    return [(p.id, other) for p in site.papers for other in p.compares_with]


def topic_lineage(
    site: Site, topic: Topic, compared: list[tuple[str, str]] | None = None, by_id: dict[str, Paper] | None = None
) -> Markup:
    """The lineage graph of a topic: its papers that compare against or are compared against
    by another paper, with those papers (from any topic), and an arrow per comparison; past
    LINEAGE_MAX_PAPERS papers, only the most connected ones (a graph of hundreds is unreadable).
    compared: comparisons(site), by_id: the site's papers by id, when the caller has them."""
    mine = {p.id for p in (*topic.papers, *topic.secondary)}
    compared = comparisons(site) if compared is None else compared
    edges = sorted({edge for edge in compared if edge[0] in mine or edge[1] in mine})
    if not edges:
        return Markup("")
    title = f"Who compares against whom: {topic.title}"
    degree = Counter(pid for edge in edges for pid in edge)
    if len(degree) > LINEAGE_MAX_PAPERS:
        kept = set(sorted(degree, key=lambda pid: (-degree[pid], pid))[:LINEAGE_MAX_PAPERS])
        edges = [(source, target) for source, target in edges if source in kept and target in kept]
        title += f" (the {len({pid for edge in edges for pid in edge})} most connected of {len(degree)} papers)"
    landmarks = {p.id for p in topic.landmarks}
    by_id = site._papers_by_id() if by_id is None else by_id
    ids = sorted({pid for edge in edges for pid in edge})
    introduced: dict[str, str] = {}
    for entity in site.entities:
        if entity.paper:
            introduced.setdefault(entity.paper, entity.name)
    nodes = [
        charts.Node(
            pid,
            short_title(by_id[pid].title, introduced.get(pid)),
            by_id[pid].year,
            pid in landmarks,
            len(by_id[pid].compared_by),
            by_id[pid].title,
        )
        for pid in ids
    ]
    return charts.lineage_graph("chart-lineage", title, nodes, edges, "../papers/%s.html")


def topic_timeline(topic: Topic) -> Markup:
    """Papers of the topic per year, with its landmarks; nothing until a paper has a year."""
    years = Counter(p.year for p in topic.papers if p.year)
    if not years:
        return Markup("")
    marks: dict[str, list[str]] = {}
    for paper in topic.landmarks:
        if paper.year:
            marks.setdefault(str(paper.year), []).append(paper.title)
    bars = [charts.Bar(str(y), years[y]) for y in range(min(years), max(years) + 1)]
    return charts.timeline("chart-timeline", f"Papers per year: {topic.title}", bars, marks)


def render_topic(ctx: Ctx, i: int, review_md: str | None, page: int = 1, pages: int = 1) -> str:
    """A topic's page: its review's Markdown as HTML (page `page` of `pages`, write/review.py),
    with the lineage graph and the timeline on the first page."""
    topics = ctx.site.topics
    topic = topics[i]
    first = page == 1
    if first and ctx.comparisons is None:
        ctx.comparisons = comparisons(ctx.site)
    lineage_chart = topic_lineage(ctx.site, topic, ctx.comparisons, ctx.papers_by_id) if first else Markup("")
    timeline_chart = topic_timeline(topic) if first else Markup("")
    heading, body = strip_leading_h1(review_md) if review_md is not None else (None, "")
    review_html, toc = render_review_markdown(body, topic.intro, ctx.convert) if review_md is not None else (None, [])
    stem = review_stem(topic.slug, page)
    return ctx.render(
        "topic.html",
        "../",
        f"topics/{stem}.html",
        "topics",
        topic=topic,
        heading=heading_text(heading, ctx.convert) if heading else topic.title,
        review_html=review_html,
        # Shown only without a review template (the review includes the intro itself).
        intro_html=ctx.html(topic.intro) if review_md is None and topic.intro.strip() and first else Markup(""),
        toc=toc
        + [
            {"id": section, "name": name}
            for section, name, shown in (
                ("lineage", "Who compares against whom", lineage_chart),
                ("timeline", "Timeline", timeline_chart),
            )
            if shown
        ],
        lineage_chart=lineage_chart,
        timeline_chart=timeline_chart,
        landmarks=topic.landmarks,
        has_markdown=review_md is not None,
        markdown_url=f"{stem}.md",
        page=page,
        page_count=pages,
        # Links, not topics: an edit to a neighbour's intro does not render this page again.
        prev_topic=Link(topics[i - 1].slug, topics[i - 1].title) if i > 0 else None,
        next_topic=Link(topics[i + 1].slug, topics[i + 1].title) if i + 1 < len(topics) else None,
        edit_url=None if topic.automatic else editlinks.edit_url(ctx.site.config, f"content/topics/{topic.slug}.md"),
        size=topic_size(topic),
    )


def assignment_view(assignment: Assignment, lookup: dict) -> dict:
    target = lookup.get(assignment.slug)
    return {
        "slug": assignment.slug,
        "name": getattr(target, "title", None) or getattr(target, "name", None) or assignment.slug,
        "known": target is not None,
        "reasons": assignment.reasons,
        "origin": assignment.origin,
        "score": assignment.score,
    }


def primary_link(ctx: Ctx, paper: Paper) -> Link | None:
    topic = ctx.topics_by_slug.get(paper.primary_topic or "")
    return Link(topic.slug, topic.title) if topic else None


def render_paper(ctx: Ctx, paper: Paper, related: list[tuple[Paper, float]]) -> str:
    # What paper_data reads besides the chrome: with a site of 10,000 pages, a page is
    # keyed by these (hashed once each) instead of the context built from them.
    linked = [(pid, ctx.papers_by_id[pid].title) for pid in (*paper.compares_with, *paper.compared_by)]
    inputs = (
        paper,
        related,
        ctx.topic_titles,
        ctx.tag_names,
        ctx.site.config,
        ctx.cite_keys,
        linked,
        tuple(ctx.site.entity_categories),
    )
    return ctx.render_from(
        "paper.html", "../", f"papers/{paper.id}.html", "papers", inputs, lambda: paper_data(ctx, paper, related)
    )


def paper_data(ctx: Ctx, paper: Paper, related: list[tuple[Paper, float]]) -> dict:
    config = ctx.site.config
    sources = [
        {"label": f"seeds/{s.file}:{s.line}", "url": editlinks.blob_url(config, f"seeds/{s.file}", s.line)}
        for s in paper.sources
    ]
    return dict(
        paper=paper,
        compared_with=compared_with(ctx.site, paper, ctx.papers_by_id),
        compared_by=[ctx.papers_by_id[pid] for pid in paper.compared_by],
        named=[(c, paper.entities[c]) for c in ctx.site.entity_categories if paper.entities.get(c)],
        topics=[assignment_view(a, ctx.topics_by_slug) for a in paper.topics],
        tags=[assignment_view(a, ctx.tags_by_slug) for a in paper.tags],
        primary=primary_link(ctx, paper),
        code_links=[u for u in paper.code_links if is_web_url(u)],
        other_links=[u for u in paper.links if u not in paper.code_links and is_web_url(u)],
        related=related,
        sources=sources,
        notes_html=ctx.html(paper.notes) if paper.notes.strip() else Markup(""),
        suggest_url=editlinks.suggest_correction_url(config, paper),
        override_url=editlinks.override_edit_url(config, paper),
        cite=export.bib_entry(paper, config.base_url, ctx.cite_keys, abstract=False),
        doi_url=f"https://doi.org/{quote(paper.doi, safe='/:;()._-')}" if paper.doi else None,
        arxiv_url=f"https://arxiv.org/abs/{quote(paper.arxiv, safe='/._-')}" if paper.arxiv else None,
        paper_url=paper.url if paper.url and is_web_url(paper.url) else None,
    )


def compared_with(site: Site, paper: Paper, by_id: dict[str, Paper]) -> list[tuple[str, Paper | None]]:
    """What a paper compares against, as (name, the catalogue paper behind it or None), in the
    abstract's order."""
    paper_of = {e.name: e.paper for e in site.entities if e.paper}
    linked = set(paper.compares_with)
    return [(name, by_id[paper_of[name]] if paper_of.get(name) in linked else None) for name in paper.baselines]


def render_tag_pages(ctx: Ctx, files: MutableMapping[str, str]) -> None:
    """Every tag's pages, as one group (see render_paper_pages): after an edit that moves no
    paper between tags and renames none, a resident build skips them all at once."""

    def make(out: MutableMapping[str, str]) -> None:
        for tag in ctx.site.tags:
            out.update(render_tag(ctx, tag))

    # What render_tag reads besides the chrome: the tags in full (their papers, with the
    # reasons each has the tag), and the topic titles the rows show.
    inputs = (ctx.site.tags, ctx.topic_titles)
    chrome = {name: value for name, value in ctx.common("", "", "tags").items() if name not in ("root", "page_path")}
    ctx.groups(ctx.env, ("tag.html",), chrome, inputs, make, files)


def render_tag(ctx: Ctx, tag: Tag) -> dict[str, str]:
    """The pages of one tag (write/pagination.py): its papers with why each has it."""
    from litreview.write.pagination import paginate, root_of, tag_page_path

    siblings = [t for t in ctx.site.tags if t.group == tag.group and t.slug != tag.slug and t.papers]
    # What every page of the tag shows besides its own rows: the tag and its siblings by name and size.
    shared = (tag.slug, tag.name, tag.group, [(t.slug, t.name, t.group, len(t.papers)) for t in siblings])
    files = {}
    for path, chunk, pager in paginate(tag.papers, lambda n: tag_page_path(tag.slug, n)):
        # Keyed by the page's own papers (their assignments included) and where it sits: an edit to
        # one paper renders again only the page that lists it, not the tag's other pages.
        files[path] = ctx.render_from(
            "tag.html",
            root_of(path),
            path,
            "tags",
            (shared, chunk, pager),
            lambda chunk=chunk, pager=pager: tag_data(tag, chunk, siblings, pager),
        )
    return files


def tag_data(tag: Tag, papers: list[Paper], siblings: list[Tag], pager) -> dict:
    rows = []
    for paper in papers:
        assignment = next((a for a in paper.tags if a.slug == tag.slug), None)
        rows.append({"paper": paper, "reasons": assignment.reasons if assignment else []})
    return dict(
        tag=tag,
        rows=rows,
        pager=pager,
        tag_dir="" if pager.number == 1 else "../",  # from this page to the tags/ folder
        group_name=TAG_GROUPS.get(tag.group, tag.group.capitalize()),
        siblings=sorted(siblings, key=lambda t: t.name.lower()),
    )


def render_papers_table(ctx: Ctx) -> dict[str, str]:
    """The all-papers table, PAGE_SIZE papers a page (write/pagination.py)."""
    from litreview.write.pagination import paginate, papers_page_path, root_of

    papers = ctx.site.papers
    years = sorted({p.year for p in papers if p.year})
    with_authors = any(p.authors for p in papers)
    with_venues = any(p.venue for p in papers)
    files = {}
    for path, chunk, pager in paginate(papers, papers_page_path):
        files[path] = ctx.render(
            "papers.html",
            root_of(path),
            path,
            "papers",
            papers=chunk,
            pager=pager,
            years=years,
            with_authors=with_authors,
            with_venues=with_venues,
        )
    return files


def render_page(ctx: Ctx, page: Page) -> str:
    heading, body = strip_leading_h1(page.body)
    return ctx.render(
        "page.html",
        "",
        f"{page.slug}.html",
        page.slug,
        page=page,
        heading=heading_text(heading, ctx.convert) if heading else page.title,
        body_html=ctx.html(body),
        edit_url=editlinks.edit_url(ctx.site.config, f"content/pages/{page.slug}.md"),
    )


PAPER_PAGES, LIST_PAGES, OTHER_PAGES = "papers", "lists", "others"


def render_paper_pages(ctx: Ctx, files: MutableMapping[str, str]) -> None:
    """Every paper's page and a redirect page for each of its old addresses, as one group:
    after an edit that changes no paper, what they are made from, nor their related papers
    (a topic intro, a page, a tag's name elsewhere), a resident build skips them all at once."""
    site = ctx.site
    ctx.cite_keys = export.citation_keys(site.papers)
    # Everything render_paper and the redirects read besides the chrome (the papers in full
    # cover their titles, links, comparisons and old addresses).
    inputs = (
        site.papers,
        site.related,
        [p.id for p in site.hidden],
        ctx.topic_titles,
        ctx.tag_names,
        site.config,
        ctx.cite_keys,
        tuple(site.entity_categories),
        site.entities,
    )

    def make(out: MutableMapping[str, str]) -> None:
        made = set()
        for paper in site.papers:
            out[f"papers/{paper.id}.html"] = render_paper(ctx, paper, site.related.get(paper.id, []))
            made.add(paper.id)
        ids = made | {p.id for p in site.hidden}
        for paper in site.papers:  # old addresses: a redirect page each (never over a paper's own page)
            for alias in paper.aliases:
                if alias not in ids:
                    ids.add(alias)
                    out[f"papers/{alias}.html"] = ctx.render(
                        "redirect.html", "../", f"papers/{alias}.html", "papers", paper=paper
                    )

    chrome = {name: value for name, value in ctx.common("../", "", "papers").items() if name != "page_path"}
    ctx.groups(ctx.env, ("paper.html", "redirect.html"), chrome, inputs, make, files)


class Reviews(Protocol):
    """The reviews' Markdown by name in topics/: a dict, or the engine's stream that makes each
    when its topic page asks for it (engine/pipeline.py: ReviewStream)."""

    def get(self, stem: str, default: None = None, /) -> str | None: ...


def render_site(
    site: Site,
    reviews: Reviews,
    env: Environment | Path | str,
    part: str | None = None,
    convert: MarkdownConverter = convert_markdown,
    pages: PageRenderer = render_page_directly,
    files: MutableMapping[str, str] | None = None,
    groups: PageGroupRenderer = render_group_directly,
    only: Collection[str] | None = None,
) -> MutableMapping[str, str]:
    """Every HTML page of the site: relative path -> HTML text.

    part=PAPER_PAGES renders only the paper pages, LIST_PAGES the tag pages
    and the table of all papers, OTHER_PAGES the rest, so processes can
    share the work; None renders everything. With `only`, of the other
    pages only those at these paths (`serve` renders the open ones first). env is the Jinja environment
    (make_env) or the templates folder. Paper pages list the related papers
    the engine put in site.related. The pages go into files when given (the
    engine passes one that writes each page to disk as it comes), else a new dict.
    """
    if not isinstance(env, Environment):  # a templates folder
        env = make_env(env, convert=convert)
    ctx = make_ctx(site, env, convert, pages, groups)
    files = {} if files is None else files
    if part in (None, PAPER_PAGES):
        render_paper_pages(ctx, files)
    if part in (None, LIST_PAGES):
        render_tag_pages(ctx, files)
        files.update(render_papers_table(ctx))
    if part in (PAPER_PAGES, LIST_PAGES):
        return files
    generated: set[str] = set()

    def add(path: str, make: Callable[[], str]) -> None:
        generated.add(path)
        if only is None or path in only:
            files[path] = make()

    add("index.html", lambda: render_index(ctx))
    for i, topic in enumerate(site.topics):
        count = review_page_count(topic)
        for page in range(1, count + 1):
            stem = review_stem(topic.slug, page)
            add(f"topics/{stem}.html", functools.partial(render_topic, ctx, i, reviews.get(stem), page, count))
    for page in site.pages:
        name = f"{page.slug}.html"
        # A page may not take the name of a generated one (papers.html may be in another part).
        if name in generated or name in files or name in ("papers.html", "404.html", "search.html"):
            raise InputError(
                page.path, None, f"page would overwrite the generated {name}", "rename the file in content/pages/"
            )
        add(name, functools.partial(render_page, ctx, page))
    # GitHub Pages serves 404.html for a missing URL at any depth, with the
    # URL unchanged, so relative links would break below the top level. With
    # base_url known, the 404 page's root is that absolute URL (same origin
    # when deployed, so the CSP's 'self' still holds); without it, links are
    # relative to the site root and work for top-level misses and from disk.
    add("404.html", lambda: ctx.render("404.html", site.config.base_url or "", "404.html", "404"))
    if ctx.has_search:
        add("search.html", lambda: ctx.render("search.html", "", "search.html", "search"))
    return files


def make_ctx(
    site: Site, env: Environment, convert: MarkdownConverter, pages: PageRenderer, groups: PageGroupRenderer
) -> Ctx:
    has_search = (Path(env.loader.searchpath[0]) / "search.html").is_file()  # type: ignore[union-attr]
    topics, tags = {t.slug: t for t in site.topics}, {t.slug: t for t in site.tags}
    return Ctx(site, env, topics, tags, has_search, convert, pages, groups)


def part_of(path: str) -> str:
    """Which part of render_site makes the page at path (PAPER_PAGES, LIST_PAGES or OTHER_PAGES)."""
    if path.startswith("papers/page/") or path == "papers.html" or path.startswith("tags/"):
        return LIST_PAGES
    return PAPER_PAGES if path.startswith("papers/") else OTHER_PAGES


def render_some_papers(
    site: Site,
    env: Environment,
    ids: list[str],
    related: dict[str, list[tuple[Paper, float]]],
    convert: MarkdownConverter = convert_markdown,
    pages: PageRenderer = render_page_directly,
    groups: PageGroupRenderer = render_group_directly,
) -> dict[str, str]:
    """The pages of the papers with these ids (those the site has), as render_site makes
    them, with the related papers given: `serve` renders the paper pages open in a browser
    first, with last build's related papers."""
    ctx = make_ctx(site, env, convert, pages, groups)
    ctx.cite_keys = export.citation_keys(site.papers)
    found = (ctx.papers_by_id.get(pid) for pid in ids)
    return {f"papers/{p.id}.html": render_paper(ctx, p, related.get(p.id, [])) for p in found if p is not None}
