"""Listings split into pages (write/pagination.py): the all-papers table and tag pages."""

from __future__ import annotations

import re
from pathlib import Path

from litreview.model import Assignment, Paper, Site, SiteConfig, Source, Tag
from litreview.write import pagination
from litreview.write.pagination import paginate, papers_page_path, tag_page_path
from litreview.write.render import render_site

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_pages_link_to_each_other_relatively_and_keep_the_first_address():
    pages = paginate(list(range(5)), lambda n: tag_page_path("gpu", n), size=2)
    assert [(path, items) for path, items, _ in pages] == [
        ("tags/gpu.html", [0, 1]),
        ("tags/gpu/2.html", [2, 3]),
        ("tags/gpu/3.html", [4]),
    ]
    first, second, last = (pager for _, _, pager in pages)
    assert (first.prev, first.next, first.total) == (None, "gpu/2.html", 5)
    assert (second.prev, second.next) == ("../gpu.html", "3.html")
    assert (last.prev, last.next) == ("2.html", None)
    assert [url for _, url in second.links] == ["../gpu.html", "2.html", "3.html"]
    (only,) = paginate([], papers_page_path)
    assert (only[0], only[2].count) == ("papers.html", 1)


def test_a_big_tag_and_the_papers_table_are_split_and_every_link_resolves(tmp_path, monkeypatch):
    monkeypatch.setattr(pagination, "PAGE_SIZE", 3)
    papers = [
        Paper(id=f"p{i}", title=f"Paper <{i}>", abstract="A.", sources=[Source("a.txt", i + 1)], key=f"p{i}")
        for i in range(7)
    ]
    for paper in papers:
        paper.tags = [Assignment("gpu", 1.0, ['"GPU" in title (+3)'])]
    tag = Tag("gpu", "GPU", "hardware", papers=papers)
    site = Site(SiteConfig(), papers, [], [tag], [])
    files = render_site(site, {}, TEMPLATES, part="lists")
    assert sorted(f for f in files if f.startswith(("tags/", "papers"))) == [
        "papers.html",
        "papers/page/2.html",
        "papers/page/3.html",
        "tags/gpu.html",
        "tags/gpu/2.html",
        "tags/gpu/3.html",
    ]
    second = files["tags/gpu/2.html"]
    assert "7 papers" in second and "Page 2 of 3" in second
    assert second.count('href="../../papers/p') == 3 and "Paper &lt;3&gt;" in second
    for path, html in files.items():  # every relative link points at a page of this part, or a paper or home page
        for href in re.findall(r'href="([^"#?]+\.html)"', html):
            if "://" in href:
                continue
            target = (Path("/site") / path).parent.joinpath(href).resolve().relative_to("/site").as_posix()
            other_part = target in {f"papers/{p.id}.html" for p in papers} or target in ("index.html", "search.html")
            assert target in files or other_part, (path, href)
