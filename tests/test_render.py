"""HTML rendering on the fixture corpus (tests/data/corpus), plus the pieces it is made of:
sanitised Markdown, charts, edit links and related papers."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from helpers import CONTENT, SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.analyse.related import related_papers
from litreview.engine.pipeline import load_site
from litreview.model import Assignment, Claim, Page, Paper, Site, SiteConfig, Source, Tag, Topic
from litreview.write import charts, editlinks, render

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = PROJECT / "templates"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
)


class PageScan(HTMLParser):
    """Visible text (outside head/script/style) and every tag with its attributes."""

    HIDDEN = {"head", "script", "style", "title", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts_with_body: int = 0
        self._hidden = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.HIDDEN:
            self._hidden += 1
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.scripts_with_body += 1
        if not self._hidden:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(SEEDS, CONTENT)


@pytest.fixture(scope="module")
def reviews(site) -> dict[str, str]:
    from litreview.write.review import render_reviews

    return render_reviews(site, TEMPLATES)


@pytest.fixture(scope="module")
def files(site, reviews) -> dict[str, str]:
    return render.render_site(site, reviews, TEMPLATES)


def html_files(files):
    return {k: v for k, v in files.items() if k.endswith(".html")}


def test_every_paper_page_shows_its_title_and_abstract_exactly_as_in_the_seeds(site, files):
    assert len(site.papers) > 400
    for paper in site.papers:
        visible = scan(files[f"papers/{paper.id}.html"]).visible
        assert paper.title in visible, paper.id
        assert paper.abstract in visible, paper.id


def test_pages_have_no_inline_scripts_event_handlers_or_style_attributes(files):
    for name, html in html_files(files).items():
        page = scan(html)
        assert page.scripts_with_body == 0, name
        for tag, attrs in page.tags:
            assert not [a for a in attrs if a.startswith("on")], (name, tag, attrs)
            assert "style" not in attrs, (name, tag)
            assert tag != "style", name
            if tag == "script":
                assert attrs.get("src"), name


def test_every_page_carries_the_csp_and_loads_only_local_assets(files):
    for name, html in html_files(files).items():
        page = scan(html)
        metas = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert [m["content"] for m in metas] == [CSP], name
        for tag, attrs in page.tags:
            asset = attrs.get("src") if tag in ("script", "img") else attrs.get("href") if tag == "link" else None
            if asset:
                assert "://" not in asset and not asset.startswith("/"), (name, asset)


def test_404_about_papers_and_every_topic_and_tag_page_exist(site, files):
    assert "404.html" in files and "papers.html" in files and "index.html" in files
    assert "about.html" in files
    assert site.pages, "content/pages/ has pages"
    for page in site.pages:
        assert f"{page.slug}.html" in files
    for topic in site.topics:
        assert f"topics/{topic.slug}.html" in files
    for tag in site.tags:
        assert f"tags/{tag.slug}.html" in files


def relative_links(html: str) -> list[str]:
    out = []
    for _tag, attrs in scan(html).tags:
        for key in ("href", "src", "action"):
            value = attrs.get(key)
            if value and not re.match(r"^[a-z][a-z0-9+.-]*:", value):
                out.append(value)
    return out


def test_internal_links_are_relative_name_files_and_resolve(site, files):
    from litreview.write.export import export_files
    from litreview.write.feeds import feed_files

    known = set(files) | set(export_files(site)) | set(feed_files(site))
    known |= {"static/" + p.relative_to(PROJECT / "static").as_posix() for p in (PROJECT / "static").rglob("*")}
    known.add("search-index.js")  # written by the search stage
    known |= {f"topics/{t.slug}.md" for t in site.topics}
    for name, html in html_files(files).items():
        base = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        for link in relative_links(html):
            assert not link.startswith("/"), (name, link)
            path = link.split("#", 1)[0].split("?", 1)[0]
            if not path:
                continue  # same-page anchor
            assert re.search(r"\.(html|md|json|css|js|xml|csv|bib|svg)$", path), (name, link)
            target = [part for part in (base + path).split("/")]
            stack: list[str] = []
            for part in target:
                if part == "..":
                    assert stack, (name, link)
                    stack.pop()
                elif part not in ("", "."):
                    stack.append(part)
            resolved = "/".join(stack)
            if resolved.startswith("topics/") and resolved.endswith(".md"):
                continue  # written by the review stage from the same topics
            assert resolved in known, (name, link)


def test_topic_pages_render_the_review_and_show_every_title_exactly(site, files):
    """Seed titles survive review.py's Markdown escaping and this module's rendering."""
    assert site.topics
    for topic in site.topics:
        html = files[f"topics/{topic.slug}.html"]
        visible = scan(html).visible
        assert f'href="{topic.slug}.md"' in html
        assert html.count("<h1") == 1
        for paper in topic.papers + topic.secondary:
            assert paper.title in visible, (topic.slug, paper.id)


def test_rendering_twice_gives_identical_output(site, reviews, files):
    again = render.render_site(site, reviews, TEMPLATES)
    assert again == files


def test_render_works_with_no_topics_no_tags_and_no_pages():
    paper = Paper(id="a-paper", title="A <paper> & *it*", abstract="Uses `x` and [y](z).", sources=[Source("s.txt", 3)])
    empty = Site(config=SiteConfig(), papers=[paper], topics=[], tags=[], pages=[])
    out = render.render_site(empty, {}, TEMPLATES)
    assert {"index.html", "papers.html", "404.html", "papers/a-paper.html"} <= set(out)
    visible = scan(out["papers/a-paper.html"]).visible
    assert "A <paper> & *it*" in visible and "Uses `x` and [y](z)." in visible
    assert "No topics are defined yet" in scan(out["index.html"]).visible


@pytest.mark.parametrize("only", [None, ["404.html"]])  # serve's open pages: the others are not rendered
@pytest.mark.parametrize("part", [None, render.OTHER_PAGES])  # OTHER_PAGES: papers.html is another process's
@pytest.mark.parametrize("slug", ["index", "papers", "404", "search"])
def test_a_page_cannot_overwrite_a_generated_page(slug, part, only):
    from litreview.errors import InputError

    page = Page(slug, "Clash", "text", f"content/pages/{slug}.md")
    with pytest.raises(InputError, match=f"content/pages/{slug}.md: page would overwrite the generated {slug}.html"):
        render.render_site(Site(SiteConfig(), [], [], [], [page]), {}, TEMPLATES, part=part, only=only)


def test_only_the_other_pages_asked_for_are_rendered():
    site = Site(SiteConfig(), [], [], [], [Page("about", "About", "text", "content/pages/about.md")])
    whole = render.render_site(site, {}, TEMPLATES, part=render.OTHER_PAGES)
    some = render.render_site(site, {}, TEMPLATES, part=render.OTHER_PAGES, only=["about.html", "missing.html"])
    assert set(whole) == {"index.html", "about.html", "404.html", "search.html"}
    assert some == {"about.html": whole["about.html"]}


def test_404_links_are_absolute_when_base_url_is_known_else_relative_to_the_root():
    plain = render.render_site(Site(SiteConfig(), [], [], [], []), {}, TEMPLATES)["404.html"]
    assert 'href="static/css/site.css"' in plain and 'href="index.html"' in plain
    config = SiteConfig(base_url="https://owner.github.io/name/")
    deployed = render.render_site(Site(config, [], [], [], []), {}, TEMPLATES)["404.html"]
    assert 'href="https://owner.github.io/name/static/css/site.css"' in deployed
    assert 'href="https://owner.github.io/name/index.html"' in deployed
    assert 'href="static/' not in deployed and "canonical" not in deployed


# Markdown -----------------------------------------------------------------


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<p style="color:red">hi</p>', "style="),
        ("<style>body{}</style>", "<style"),
        ('<iframe src="https://example.com"></iframe>', "<iframe"),
    ],
)
def test_markdown_sanitiser_drops_active_content(source, forbidden):
    assert forbidden not in render.markdown_to_html(source)


def test_markdown_external_links_get_noopener_and_relative_links_do_not():
    html = render.markdown_to_html("[a](https://example.com/x) and [b](../papers/y.html)")
    assert '<a href="https://example.com/x" rel="noopener">a</a>' in html
    assert '<a href="../papers/y.html">b</a>' in html


def test_markdown_tables_and_heading_ids_survive_sanitising():
    html = render.markdown_to_html("## Results at a glance\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert '<h2 id="results-at-a-glance">' in html
    assert "<table>" in html and 'align="right"' in html and "style" not in html


def test_leading_h1_of_a_review_becomes_the_page_heading():
    assert render.strip_leading_h1("\n# Quantization\n\nBody") == ("Quantization", "\nBody")
    assert render.strip_leading_h1("Body\n# Not a title") == (None, "Body\n# Not a title")


# Paper pages ----------------------------------------------------------------


def rich_paper(**kw) -> Paper:
    paper = Paper(
        id="rich",
        title="Rich paper",
        abstract="We get 3x faster. Code: https://github.com/o/r",
        sources=[Source("001.txt", 12), Source("004.txt", 7)],
        links=["https://github.com/o/r", "javascript:alert(1)"],
        tldr="Three times faster.",
        claims=[Claim(text="3x faster", value=3, unit="x", kind="speedup", baseline="dense")],
        topics=[Assignment("quant", 5, ["'quantized' in title matched \"quantization\" (+3)"])],
        tags=[Assignment("gpu", 2, ['"GPU" in abstract (+2)'], origin="override")],
        primary_topic="quant",
        notes="Checked by **me**. <script>x</script>",
        **kw,
    )
    return paper


def rich_site(paper: Paper, repo_url: str | None = "https://github.com/owner/name") -> Site:
    topic = Topic("quant", "Quantization", 1, "Fewer bits.", "", "content/topics/quant.md", papers=[paper])
    tag = Tag("gpu", "GPU", "hardware", papers=[paper])
    about = Page("about", "About", "# About this\n\nHello.", "content/pages/about.md")
    return Site(SiteConfig(title="T", repo_url=repo_url), [paper], [topic], [tag], [about])


def test_paper_page_shows_claims_reasons_code_sources_notes_and_correction_link():
    paper = rich_paper()
    out = render.render_site(rich_site(paper), {"quant": "# Quantization\n\nReview."}, TEMPLATES)
    html = out["papers/rich.html"]
    visible = scan(html).visible
    for text in [
        "Three times faster.",
        "3x faster",
        "baseline: dense",
        "Why: 'quantized' in title matched",
        "Set by a reviewer override",
        "seeds/001.txt:12",
        "seeds/004.txt:7",
        "Checked by me.",
    ]:
        assert text in visible, text
    assert "<script>x" not in html
    assert '<a href="https://github.com/o/r" rel="noopener">' in html
    assert "javascript:" not in html
    assert 'href="https://github.com/owner/name/blob/main/seeds/001.txt#L12"' in html
    assert "https://github.com/owner/name/new/main?filename=content%2Fpapers%2Frich.md&amp;value=" in html
    topic_html = out["topics/quant.html"]
    assert topic_html.count("<h1") == 1 and 'href="quant.md"' in topic_html
    assert 'href="https://github.com/owner/name/edit/main/content/topics/quant.md"' in topic_html


def test_without_a_repository_no_edit_or_correction_links_are_rendered():
    out = render.render_site(rich_site(rich_paper(), repo_url=None), {}, TEMPLATES)
    for html in out.values():
        assert "github.com/owner" not in html and "Suggest a correction" not in html


def test_topic_pages_link_previous_and_next_topic():
    a, b, c = (Topic(s, s.upper(), i, "", "", f"content/topics/{s}.md") for i, s in enumerate("abc"))
    out = render.render_site(Site(SiteConfig(), [], [a, b, c], [], []), {}, TEMPLATES)
    assert 'rel="next"' in out["topics/a.html"] and 'rel="prev"' not in out["topics/a.html"]
    assert 'href="a.html" rel="prev"' in out["topics/b.html"] and 'href="c.html" rel="next"' in out["topics/b.html"]
    assert 'rel="next"' not in out["topics/c.html"]


# Links ------------------------------------------------------------------------


def test_suggest_correction_opens_new_file_editor_with_prefilled_front_matter():
    paper = rich_paper(year=2024)
    url = editlinks.suggest_correction_url(
        SiteConfig(repo_url="https://github.com/owner/name.git", branch="main"), paper
    )
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("github.com", "/owner/name/new/main")
    query = parse_qs(parts.query)
    assert query["filename"] == ["content/papers/rich.md"]
    value = query["value"][0]
    assert value.startswith("---\ntitle: Rich paper\nyear: 2024\n") and "# topics: [quant]" in value
    assert unquote(parts.query).count("---") == 2


def test_existing_override_is_edited_not_created_again():
    paper = rich_paper(override_path="content/papers/rich.md")
    config = SiteConfig(repo_url="https://github.com/owner/name")
    assert (
        editlinks.suggest_correction_url(config, paper)
        == "https://github.com/owner/name/edit/main/content/papers/rich.md"
    )


@pytest.mark.parametrize("url", [None, "", "https://gitlab.com/o/r", "http://github.com/o/r", "https://github.com/o"])
def test_edit_links_need_a_github_repository(url):
    config = SiteConfig(repo_url=url)
    assert editlinks.edit_url(config, "content/x.md") is None
    assert editlinks.suggest_correction_url(config, rich_paper()) is None


def test_title_with_yaml_specials_is_quoted_in_the_prefilled_override():
    paper = Paper(id="x", title="Yes: a 'quoted' #title", abstract="", sources=[])
    text = editlinks.override_template(paper)
    import yaml

    front = yaml.safe_load(text.split("---")[1])
    assert front == {"title": "Yes: a 'quoted' #title"}


# Charts -----------------------------------------------------------------------


def test_bar_chart_is_accessible_svg_with_the_data_in_its_description():
    svg = charts.bar_chart("c1", "Papers per topic", [charts.Bar("Quant <x>", 12), charts.Bar("Sparsity", 3)])
    assert svg.startswith('<svg class="chart chart-bars" role="img"')
    assert '<title id="c1-title">Papers per topic</title>' in svg
    assert '<desc id="c1-desc">Quant &lt;x&gt;: 12 papers; Sparsity: 3 papers.</desc>' in svg
    assert "style=" not in svg and "fill=" not in svg


def test_overlap_matrix_counts_shared_papers_symmetrically():
    svg = charts.overlap_matrix("m", "Overlap", ["A", "B", "C"], [[4, 2, 0], [2, 3, 0], [0, 0, 1]])
    assert "A and B: 2 shared papers" in svg and "Papers shared between topics: A and B: 2." in svg
    assert svg.count('class="heat-cell heat-diag"') == 3


def test_charts_are_empty_without_data():
    assert charts.bar_chart("x", "t", []) == "" and charts.overlap_matrix("x", "t", ["A"], [[1]]) == ""
    assert charts.column_chart("x", "t", []) == ""


def test_overlap_counts_on_the_corpus_site_are_symmetric_with_sizes_on_the_diagonal(site):
    counts = render.overlap_counts(site)
    for i, topic in enumerate(site.topics):
        assert counts[i][i] == render.topic_size(topic)
        for j in range(len(site.topics)):
            assert counts[i][j] == counts[j][i] <= counts[i][i]


# Related papers -----------------------------------------------------------------


def test_related_papers_are_similar_others_best_first(site):
    related = related_papers(site.papers)  # speed: bench/, never a timed assert
    for paper in site.papers:
        others = related[paper.id]
        assert len(others) <= 5 and paper.id not in {p.id for p, _ in others}
        scores = [s for _, s in others]
        assert scores == sorted(scores, reverse=True)
    by_id = {p.id: p for p in site.papers}
    twin = Paper(id="zz-twin", title=site.papers[0].title + " revisited", abstract=site.papers[0].abstract, sources=[])
    again = related_papers(site.papers + [twin])
    assert again[twin.id][0][0].id == site.papers[0].id
    assert by_id


def test_a_review_converted_in_two_parts_is_the_review_converted_whole(site, reviews) -> None:
    """render_review_markdown converts the intro and the generated rest apart (so an intro edit
    converts only the first part); the HTML and headings must be those of the whole."""
    intros = {t.slug: t.intro for t in site.topics}
    split = 0
    for stem, text in reviews.items():
        _, body = render.strip_leading_h1(text)
        intro = intros[stem.split(".")[0]] if "." not in stem else ""
        assert render.render_review_markdown(body, intro) == render.render_markdown(body), stem
        split += bool(intro.strip()) and not render._SHARED_STATE_RE.search(body)
    assert split >= 10  # the two-part path is the one taken, not only the fallback


_INTRO_BLOCKS = st.sampled_from(
    [
        "Plain text about *quantization* and `code`.",
        "## Overview",
        "## Results at a glance",
        "### Batching and scheduling",
        "- a list\n- of items",
        "1. one\n2. two",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "    indented code",
        "> a quote",
        "<div>raw html",
        "[TOC]",
        "[ref]: https://example.org/",
        "A [reference][ref] link.",
        "Overview",
        "---",
        "A line ending with two spaces  \nand a break.",
    ]
)


@given(st.lists(_INTRO_BLOCKS, min_size=1, max_size=6))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_intro_gives_the_same_html_in_two_parts_as_whole(reviews, blocks) -> None:
    intro = "\n\n".join(blocks)
    _, body = render.strip_leading_h1(reviews["quantization"])
    first = body.find("\n\n## ")
    body = body[: first + 2] + intro + "\n\n" + body[first + 2 :]  # the intro, then the generated sections
    assert render.render_review_markdown(body, intro) == render.render_markdown(body)
