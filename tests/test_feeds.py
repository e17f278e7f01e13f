"""feed.xml, sitemap.xml and robots.txt: well-formed, escaped, stable and deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.model import Assignment, Page, Paper, Site, SiteConfig, Source, Tag, Topic
from litreview.write import feeds

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def not_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)


def make_paper(pid: str, added: str | None = "2024-01-01", title: str | None = None, **kw) -> Paper:
    return Paper(
        id=pid,
        title=title or pid.upper(),
        abstract=kw.pop("abstract", "Abstract."),
        sources=[Source("s.txt", 1)],
        added=added,
        **kw,
    )


def make_site(papers: list[Paper], base_url: str | None = None, **config) -> Site:
    topic = Topic(slug="t", title="T", order=1, description="", intro="", path="content/topics/t.md")
    tag = Tag(slug="g", name="G", group="method")
    page = Page(slug="about", title="About", body="", path="content/pages/about.md")
    return Site(config=SiteConfig(base_url=base_url, **config), papers=papers, topics=[topic], tags=[tag], pages=[page])


def parse_feed(site: Site) -> ET.Element:
    return ET.fromstring(feeds.feed_files(site)["feed.xml"].encode("utf-8"))


def test_feed_lists_newest_50_by_added_then_id() -> None:
    papers = [make_paper(f"p{i:03d}", added=f"2024-01-{1 + i % 28:02d}") for i in range(80)]
    entries = parse_feed(make_site(papers)).findall(f"{A}entry")
    assert len(entries) == feeds.FEED_SIZE
    keys = [(e.findtext(f"{A}updated"), e.find(f"{A}link").get("href")) for e in entries]
    expected = sorted(papers, key=lambda p: p.id)
    expected.sort(key=lambda p: p.added, reverse=True)
    assert [href for _, href in keys] == [f"papers/{p.id}.html" for p in expected[:50]]
    assert keys[0][0] == "2024-01-28T00:00:00Z"


def test_feed_has_required_atom_elements() -> None:
    feed = parse_feed(make_site([make_paper("a", added="2024-05-06"), make_paper("b", added="2023-01-01")]))
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{name}") is not None, name
    assert feed.findtext(f"{A}updated") == "2024-05-06T00:00:00Z"
    for entry in feed.findall(f"{A}entry"):
        for name in ("id", "title", "updated", "summary", "link"):
            assert entry.find(f"{A}{name}") is not None, name


def test_entry_ids_are_stable_urns_independent_of_hosting() -> None:
    local = parse_feed(make_site([make_paper("a")]))
    hosted = parse_feed(make_site([make_paper("a")], "https://o.github.io/r/"))
    ids = [f.find(f"{A}entry").findtext(f"{A}id") for f in (local, hosted)]
    assert ids[0] == ids[1]
    assert ids[0].startswith("urn:uuid:")


def test_links_are_relative_without_base_url_and_absolute_with_it() -> None:
    relative = parse_feed(make_site([make_paper("a")]))
    absolute = parse_feed(make_site([make_paper("a")], "https://o.github.io/r"))
    assert relative.find(f"{A}entry/{A}link").get("href") == "papers/a.html"
    assert absolute.find(f"{A}entry/{A}link").get("href") == "https://o.github.io/r/papers/a.html"
    assert absolute.findtext(f"{A}id") == "https://o.github.io/r/feed.xml"


def test_script_titles_come_out_escaped() -> None:
    text = feeds.feed_files(make_site([make_paper("a", title="<script>alert(1)</script> & co", abstract="<b>x</b>")]))[
        "feed.xml"
    ]
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    entry = ET.fromstring(text.encode()).find(f"{A}entry")
    assert entry.findtext(f"{A}title") == "<script>alert(1)</script> & co"
    assert entry.findtext(f"{A}summary") == "<b>x</b>"


@settings(max_examples=200, deadline=None)
@given(title=st.text(min_size=1), abstract=st.text())
def test_feed_is_well_formed_xml_whatever_the_text(title: str, abstract: str) -> None:
    entry = parse_feed(make_site([make_paper("a", title=title, abstract=abstract)])).find(f"{A}entry")
    assert entry.findtext(f"{A}title") == feeds.xml_text(title).replace("\r\n", "\n").replace("\r", "\n")


def test_feed_is_deterministic() -> None:
    make = lambda: make_site([make_paper(f"p{i}", added=f"2024-02-{i % 3 + 1:02d}") for i in range(10)])  # noqa: E731
    assert feeds.feed_files(make()) == feeds.feed_files(make())


def test_code_links_are_related_links_and_only_http() -> None:
    paper = make_paper("a", links=["https://github.com/o/r", "javascript:alert(1)"])
    text = feeds.feed_files(make_site([paper]))["feed.xml"]
    assert 'rel="related" href="https://github.com/o/r"' in text
    assert "javascript:" not in text


def test_no_sitemap_without_base_url() -> None:
    files = feeds.feed_files(make_site([make_paper("a")]))
    assert "sitemap.xml" not in files
    assert "Sitemap" not in files["robots.txt"]
    assert files["robots.txt"].startswith("User-agent: *\n")


def test_sitemap_lists_every_page_but_404_absolutely() -> None:
    pages = ["index.html", "404.html", "papers/a.html", "topics/t.html", "feed.xml", "static/x.css"]
    files = feeds.feed_files(make_site([make_paper("a")], "https://o.github.io/r/"), pages=pages)
    locs = [e.text for e in ET.fromstring(files["sitemap.xml"].encode()).iter(f"{SM}loc")]
    assert locs == [
        "https://o.github.io/r/index.html",
        "https://o.github.io/r/papers/a.html",
        "https://o.github.io/r/topics/t.html",
    ]
    assert files["robots.txt"].endswith("Sitemap: https://o.github.io/r/sitemap.xml\n")


def test_sitemap_from_model_covers_every_page_kind() -> None:
    files = feeds.feed_files(make_site([make_paper("a")], "https://example.org"))
    locs = {e.text for e in ET.fromstring(files["sitemap.xml"].encode()).iter(f"{SM}loc")}
    base = "https://example.org/"
    assert locs == {
        base + p
        for p in (
            "index.html",
            "papers.html",
            "search.html",
            "about.html",
            "topics/t.html",
            "tags/g.html",
            "papers/a.html",
        )
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "Owner/repo"}, "https://owner.github.io/repo/"),
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "owner/owner.github.io"}, "https://owner.github.io/"),
        ({"GITHUB_REPOSITORY": "owner/repo"}, None),  # not on Actions
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "bad"}, None),
        ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://ghe.corp"}, None),
        (
            {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r", "GITHUB_SERVER_URL": "https://github.com"},
            "https://o.github.io/r/",
        ),
        ({}, None),
    ],
)
def test_base_url_derived_on_github_actions(env: dict[str, str], expected: str | None) -> None:
    assert feeds.base_url(make_site([]), env) == expected


@pytest.mark.parametrize("configured", ["javascript:alert(1)", "file:///tmp/x", "ftp://x.org", "not a url", ""])
def test_non_http_base_url_is_ignored(configured: str) -> None:
    assert feeds.base_url(make_site([], configured), {}) is None


def test_configured_base_url_wins_over_github_actions() -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r"}
    assert feeds.base_url(make_site([], "https://papers.example.org"), env) == "https://papers.example.org/"


def test_topics_become_atom_categories() -> None:
    paper = make_paper("a", topics=[Assignment("t", 3.0), Assignment("u", 3.0)])
    entry = parse_feed(make_site([paper])).find(f"{A}entry")
    assert [(c.get("term"), c.get("label")) for c in entry.findall(f"{A}category")] == [("t", "T"), ("u", "u")]
