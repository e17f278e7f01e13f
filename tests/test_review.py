"""Topic review pages: structure, escaping of seed text, links, order and determinism."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from litreview.errors import InputError
from litreview.model import Assignment, Claim, Paper, Site, SiteConfig, Source, Tag, Topic
from litreview.write.review import build_review, format_value, render_reviews

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
EXTENSIONS = ["tables", "toc", "sane_lists"]  # what render.py uses
NASTY = "A *bold* _claim_ <script>alert(1)</script> [x](javascript:alert(1)) ^{2} | pipe `code`"


def paper(pid, title, year=None, tags=(), topics=("kernels",), claims=(), links=(), tldr="We do a thing."):
    return Paper(
        id=pid,
        title=title,
        abstract="An abstract.",
        sources=[Source("seeds/a.txt", 1)],
        year=year,
        tags=[Assignment(t, 1.0) for t in tags],
        topics=[Assignment(t, 1.0) for t in topics],
        primary_topic=topics[0] if topics else None,
        claims=list(claims),
        links=list(links),
        tldr=tldr,
    )


def fixture_site() -> Site:
    speed = Claim("up to 5x speedup over dense GEMM", 5.0, "x", "speedup", "over dense GEMM", "s")
    memory = Claim("reduces memory by 40%", 40.0, "%", "memory", None, "s")
    pipe = Claim("2.3x higher throughput | than vLLM", 2.3, "x", "throughput", "than vLLM | v2", "s")
    papers = [
        paper(
            "nasty",
            NASTY,
            2024,
            ["sparse"],
            claims=[speed, memory],
            links=["javascript:alert(1)", "https://github.com/a/b"],
        ),
        paper("old-sparse", "Old sparse kernels", 2019, ["sparse", "gpu"]),
        paper("new-gpu", "GPU kernels", 2025, ["gpu"], claims=[pipe]),
        paper("undated", "Zeta undated", None, ["sparse"]),
        paper("untagged", "No tags here", 2023),
        paper("second", "Also about kernels", 2022, ["gpu"], topics=("serving", "kernels")),
        paper("serving-only", "Serving only", 2021, topics=("serving",)),
    ]
    kernels = Topic(
        "kernels",
        "Kernels & *speed*",
        10,
        "Fast <kernels>.",
        "Human **intro** with [a link](https://example.com).",
        "content/topics/kernels.md",
    )
    serving = Topic("serving", "Serving", 20, "", "", "content/topics/serving.md")
    kernels.papers = [p for p in papers if p.primary_topic == "kernels"]
    kernels.secondary = [papers[5]]
    serving.papers = [papers[5], papers[6]]
    tags = [Tag("sparse", "Sparse kernels", "method"), Tag("gpu", "GPU", "hardware")]
    return Site(config=SiteConfig(), papers=papers, topics=[kernels, serving], tags=tags, pages=[])


@pytest.fixture(scope="module")
def reviews() -> dict[str, str]:
    return render_reviews(fixture_site(), TEMPLATES)


class Page(HTMLParser):
    """Headings, links, table cells and visible text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.links: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.cells: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        if tag in ("h1", "h2", "h3", "td"):
            self._open.append(tag)
            (self.cells if tag == "td" else self.headings).append((tag, "") if tag != "td" else "")

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._open:
            if self._open[-1] == "td":
                self.cells[-1] += data
            else:
                level, text = self.headings[-1]
                self.headings[-1] = (level, text + data)


def html_of(text: str) -> Page:
    page = Page()
    page.feed(markdown.markdown(text, extensions=EXTENSIONS))
    return page


def test_a_review_per_topic(reviews):
    assert sorted(reviews) == ["kernels", "serving"]


def test_page_structure(reviews):
    page = html_of(reviews["kernels"])
    assert page.headings == [
        ("h1", "Kernels & *speed*"),
        ("h2", "Overview"),
        ("h2", "Results at a glance"),
        ("h2", "Papers by sub-theme"),
        ("h3", "Sparse kernels"),
        ("h3", "Other approaches"),
        ("h2", "Also relevant"),
        ("h2", "Related topics"),
    ]
    text = reviews["kernels"]
    assert text.startswith(
        "# Kernels &amp; \\*speed\\*\n\n*Fast &lt;kernels\\>.*\n\nHuman **intro** with [a link](https://example.com).\n"
    )
    assert "This review covers 5 papers, plus 1 paper from other topics listed under Also relevant." in text
    assert "Sub-themes: Sparse kernels (3), Other approaches (2)." in text
    assert "Years: 2025 (1), 2024 (1), 2023 (1), 2019 (1); 1 without a known year." in text


def test_nasty_title_shows_exactly_as_written_and_never_as_markup(reviews):
    page = html_of(reviews["kernels"])
    visible = "".join(page.text)
    assert NASTY in visible
    assert "script" not in page.tags and "code" not in page.tags
    assert page.tags.count("em") == 1  # the topic description, nothing from the title
    assert not any(link.lower().startswith(("javascript:", "data:")) for link in page.links)


def test_links_are_relative_to_the_topics_folder(reviews):
    links = html_of(reviews["kernels"]).links
    internal = [link for link in links if "://" not in link]
    assert "../papers/nasty.html" in internal and "../tags/sparse.html" in internal and "serving.html" in internal
    assert all(re.fullmatch(r"(\.\./(papers|tags)/[a-z0-9-]+|[a-z0-9-]+)\.html", link) for link in internal), internal
    assert [link for link in links if "://" in link] == ["https://example.com", "https://github.com/a/b"]


def test_results_table_escapes_pipes_and_orders_by_kind_then_value(reviews):
    text = reviews["kernels"]
    glance = text[text.index("## Results at a glance") : text.index("## Papers by sub-theme")]
    page = html_of(glance)
    rows = [page.cells[i : i + 5] for i in range(0, len(page.cells), 5)]
    assert rows == [
        [NASTY, "up to 5x speedup over dense GEMM", "5×", "speedup", "over dense GEMM"],
        ["GPU kernels", "2.3x higher throughput | than vLLM", "2.3×", "throughput", "than vLLM | v2"],
        [NASTY, "reduces memory by 40%", "40%", "memory", ""],
    ]


def test_papers_are_grouped_by_their_most_common_tag_newest_first(reviews):
    text = reviews["kernels"]
    sparse = text[text.index("### Sparse kernels") : text.index("### Other approaches")]
    order = [m.group(1) for m in re.finditer(r"\(\.\./papers/([a-z0-9-]+)\.html\)\*\*", sparse)]
    assert order == ["nasty", "old-sparse", "undated"]  # 2024, 2019, no year last
    # A group of one paper (GPU) is not a theme: it joins the untagged paper under "Other approaches".
    other = text[text.index("### Other approaches") : text.index("## Also relevant")]
    assert [m.group(1) for m in re.finditer(r"\(\.\./papers/([a-z0-9-]+)\.html\)\*\*", other)] == [
        "new-gpu",
        "untagged",
    ]


def site_with_subthemes() -> Site:
    from litreview.model import Subtheme

    site = fixture_site()
    kernels = site.topics[0]
    kernels.subthemes = [
        Subtheme("Sparse formats", "sparse-formats", "Kernels for *sparse* data."),
        Subtheme("Dense GEMM", "dense-gemm"),
        Subtheme("Lonely", "lonely"),
    ]
    placed = {"nasty": "sparse-formats", "undated": "sparse-formats", "new-gpu": "lonely", "second": "dense-gemm"}
    for p in site.papers:
        if p.id in placed:
            p.subthemes = [Assignment(f"kernels/{placed[p.id]}", 3.0)]
    return site


def test_declared_subthemes_come_first_in_order_and_a_theme_of_one_is_folded():
    site = site_with_subthemes()
    review = build_review(site, site.topics[0])
    assert [(t.name, [p.id for p in t.papers], t.declared) for t in review.themes] == [
        ("Sparse formats", ["nasty", "undated"], True),
        # old-sparse is no declared sub-theme's; its tags are shared by no other leftover paper.
        ("Other approaches", ["new-gpu", "untagged", "old-sparse"], False),
    ]
    # "second" is placed in dense-gemm, but its primary topic is serving: it is listed under Also relevant only.
    text = render_reviews(site, TEMPLATES)["kernels"]
    assert re.search(r"### Sparse formats\n\nKernels for \\\*sparse\\\* data\.\n\n(?:\|[^\n]*\n)*\n- \*\*\[", text)


def test_paper_entry_has_tldr_tags_code_link_and_claim_count(reviews):
    text = reviews["kernels"]
    entry = text[text.index("(../papers/nasty.html)**") : text.index("(../papers/old-sparse.html)**")]
    assert "    We do a thing.\n" in entry
    assert (
        "Tags: [Sparse kernels](../tags/sparse.html) · Code: [github.com/a/b](https://github.com/a/b) · 2 claims"
        in entry
    )
    assert "javascript" not in entry.split("**", 2)[2]  # only the title mentions it, as text


def test_also_relevant_and_related_topics(reviews):
    text = reviews["kernels"]
    assert (
        "## Also relevant\n\n- [Also about kernels](../papers/second.html) (2022), mainly in [Serving](serving.html)\n"
        in text
    )
    assert "## Related topics\n\n- [Serving](serving.html): 1 paper in common\n" in text


def test_topic_without_papers_says_so():
    site = fixture_site()
    site.topics.append(Topic("empty", "Empty", 30, "", "", "content/topics/empty.md"))
    text = render_reviews(site, TEMPLATES)["empty"]
    assert "No paper has this topic as its main topic yet." in text
    assert "## Results at a glance" not in text


def test_rendering_twice_is_byte_identical():
    assert render_reviews(fixture_site(), TEMPLATES) == render_reviews(fixture_site(), TEMPLATES)


def test_output_ends_with_one_newline_and_has_no_triple_blank_lines(reviews):
    for text in reviews.values():
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text


def test_build_review_counts():
    site = fixture_site()
    review = build_review(site, site.topics[0])
    assert (review.paper_count, review.secondary_count, review.claim_count, review.undated) == (5, 1, 3, 1)
    assert [t.name for t in review.themes] == ["Sparse kernels", "Other approaches"]


@pytest.mark.parametrize(
    "claim, shown",
    [
        (Claim("", 5.0, "x", "speedup"), "5×"),
        (Claim("", 1.39, "x", "speedup"), "1.39×"),
        (Claim("", 40.0, "%", "memory"), "40%"),
        (Claim("", 22320.0, "x", "speedup"), "22,320×"),
        (Claim("", 3.1, "GB", "memory"), "3.1 GB"),
    ],
)
def test_format_value(claim, shown):
    assert format_value(claim) == shown


def test_a_broken_template_is_bad_input_with_file_and_line(tmp_path):
    (tmp_path / "review.md.j2").write_text("# {{ review.title|md }}\n\n{{ review.nope }}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_reviews(fixture_site(), tmp_path)
    assert caught.value.path.endswith("review.md.j2") and caught.value.line == 3
    (tmp_path / "review.md.j2").write_text("# {{ review.title|md }\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        render_reviews(fixture_site(), tmp_path)
    assert caught.value.line == 1


GOLDEN = Path(__file__).resolve().parent / "data" / "review"


@pytest.mark.parametrize("slug", ["kernels", "serving"])
def test_review_matches_the_golden_markdown(reviews, slug):
    """The whole page for the fixture site, so a change in output shows as a readable diff.

    After an intended change, regenerate with:
        UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_review.py -k golden
    """
    import os

    path = GOLDEN / f"{slug}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(reviews[slug], encoding="utf-8")
    assert reviews[slug] == path.read_text(encoding="utf-8")


def entry_links(text: str) -> list[str]:
    """The papers a review lists, in order: its sub-themes' entries, then "Also relevant"."""
    return re.findall(r"^- (?:\*\*)?\[[^\n]*?\]\((\.\./papers/[^)]+)\)", text, re.MULTILINE)


def test_a_review_listing_more_papers_than_a_page_holds_is_split_in_its_order(monkeypatch):
    from litreview.write import review as review_module

    site = fixture_site()
    site.papers[1].claims = [Claim("2x speedup", 2.0, "x", "speedup", None, "s")]
    whole = render_reviews(site, TEMPLATES)["kernels"]
    monkeypatch.setattr(review_module, "REVIEW_PAGE_SIZE", 2)
    monkeypatch.setattr(review_module, "GLANCE_PER_KIND", 1)
    reviews = render_reviews(site, TEMPLATES)
    assert sorted(reviews) == ["kernels", "kernels.2", "kernels.3", "serving"]
    first, second, third = (reviews[stem] for stem in ("kernels", "kernels.2", "kernels.3"))
    assert entry_links(first) + entry_links(second) + entry_links(third) == entry_links(whole)
    assert [len(entry_links(page)) for page in (first, second, third)] == [2, 2, 2]
    assert html_of(first).headings == [
        ("h1", "Kernels & *speed*"),
        ("h2", "Overview"),
        ("h2", "Results at a glance"),
        ("h2", "Papers by sub-theme"),
        ("h3", "Sparse kernels"),
        ("h2", "Related topics"),
    ]
    assert html_of(second).headings == [
        ("h1", "Kernels & *speed* (page 2 of 3)"),
        ("h2", "Papers by sub-theme"),
        ("h3", "Sparse kernels (continued)"),
        ("h3", "Other approaches"),
    ]
    assert html_of(third).headings == [
        ("h1", "Kernels & *speed* (page 3 of 3)"),
        ("h2", "Papers by sub-theme"),
        ("h3", "Other approaches (continued)"),
        ("h2", "Also relevant"),
    ]
    nav = "Page 2 of 3: [Previous](kernels.html) · [1](kernels.html) · **2** · [3](kernels.3.html) · [Next](kernels.3.html)"
    assert second.count(nav) == 2  # above and below the list
    assert "Sub-themes: [Sparse kernels](kernels.html) (3), [Other approaches](kernels.2.html) (2)." in first
    # Results at a glance keep the largest of each kind (5x, not 2x) and say how many there are.
    assert "The largest of each kind are shown (3 of 4)" in first
    assert "| 5× |" in first and "| 2× |" not in first
    assert "Human **intro**" in first and "Human **intro**" not in second + third
    assert reviews["serving"] == render_reviews(fixture_site(), TEMPLATES)["serving"]  # small enough: one page


def test_the_pages_of_a_split_review_render_link_to_each_other_and_are_in_the_sitemap(monkeypatch):
    from litreview.write import feeds
    from litreview.write import review as review_module
    from litreview.write.render import render_site

    monkeypatch.setattr(review_module, "REVIEW_PAGE_SIZE", 2)
    site = fixture_site()
    reviews = render_reviews(site, TEMPLATES)
    files = render_site(site, reviews, TEMPLATES)
    pages = sorted(f for f in files if f.startswith("topics/"))
    assert pages == ["topics/kernels.2.html", "topics/kernels.3.html", "topics/kernels.html", "topics/serving.html"]
    assert set(pages) <= set(feeds.html_pages(site))
    second = files["topics/kernels.2.html"]
    assert "<title>Kernels &amp; *speed* (page 2 of 3) · " in second
    assert 'href="kernels.2.md" type="text/markdown"' in second and 'aria-current="page">Page 2</a>' in second
    markdown_files = {f"topics/{stem}.md" for stem in reviews}
    for path in pages:
        for href in re.findall(r'href="([^"#?]+\.(?:html|md))"', files[path]):
            if "://" in href:
                continue
            target = (Path("/site") / path).parent.joinpath(href).resolve().relative_to("/site").as_posix()
            assert target in files or target in markdown_files, (path, href)


def test_a_build_makes_each_topics_reviews_when_its_page_asks_and_writes_them_all() -> None:
    """The engine's ReviewStream: a build holds one topic's reviews at a time, not all of them."""
    from litreview.engine.pipeline import ReviewStream, Timings

    made: list[str] = []

    def stream():
        for stem in ["kernels", "kernels.2", "serving", "empty"]:
            made.append(stem)
            yield stem, f"# {stem}\n"

    files: dict[str, str] = {}
    timings = Timings()
    reviews = ReviewStream(stream(), files, timings)
    assert made == [] and files == {}
    assert reviews.get("kernels") == "# kernels\n" and made == ["kernels"]
    assert files == {"topics/kernels.md": "# kernels\n"}  # written as soon as made
    assert reviews.get("kernels.2") == "# kernels.2\n" and made == ["kernels", "kernels.2"]
    assert reviews.get("serving") == "# serving\n" and made == ["kernels", "kernels.2", "serving"]
    reviews.finish()  # a review no page asked for is still written
    assert list(files) == ["topics/kernels.md", "topics/kernels.2.md", "topics/serving.md", "topics/empty.md"]
    assert reviews.get("kernels") is None  # handed out once
    assert "review" in timings.stages


def test_time_spent_making_reviews_inside_the_render_stage_is_reported_as_review(monkeypatch) -> None:
    from litreview.engine import pipeline

    now = [10.0]
    monkeypatch.setattr(pipeline.time, "perf_counter", lambda: now[0])
    timings = pipeline.Timings(_start=10.0, _last=10.0)
    now[0] += 1.0  # rendering
    with timings.within("review"):
        now[0] += 3.0  # a topic's reviews
    now[0] += 0.5  # rendering
    timings.lap("render")
    assert timings.stages == {"review": 3.0, "render": 1.5}
