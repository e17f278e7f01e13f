"""The lineage graph and timeline of topic pages (write/charts.py, write/render.py): well-formed,
deterministic SVG that shows every seed and content text as text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers import hostile_content

from litreview.engine.pipeline import BuildOptions, build
from litreview.write import charts

PROJECT = Path(__file__).resolve().parents[1]
HOSTILE = PROJECT / "tests" / "data" / "hostile"
SVG_RE = re.compile(r"<svg class=\"chart (?:lineage|chart-columns timeline)\".*?</svg>", re.S)


def nodes():
    return [
        charts.Node("a", "A <b>&", 2021, True, 2, "A <b>& full title"),
        charts.Node("b", "B", 2023, False, 0),
        charts.Node("c", "C", None, False, 0),
        charts.Node("d", "D", 2024, False, 1),
    ]


EDGES = [("b", "a"), ("c", "a"), ("b", "d"), ("d", "a")]


def test_baselines_stand_left_of_the_papers_comparing_with_them():
    assert charts.lineage_columns(nodes(), EDGES) == {"a": 0, "b": 2, "c": 1, "d": 1}
    # a cycle (each compares against the other) still places both
    cycle = charts.lineage_columns(nodes()[:2], [("a", "b"), ("b", "a")])
    assert sorted(cycle.values()) == [0, 1]


def test_the_lineage_graph_is_well_formed_accessible_and_deterministic():
    svg = str(charts.lineage_graph("g", "Who <compares>", nodes(), EDGES, "../papers/%s.html"))
    assert svg == str(
        charts.lineage_graph("g", "Who <compares>", list(reversed(nodes())), EDGES[::-1], "../papers/%s.html")
    )
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "Who <compares>"
    desc = root.find("s:desc", ns).text
    assert "B compares against A <b>& full title" in desc and desc.endswith(".")
    links = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert sorted(links) == [f"../papers/{x}.html" for x in "abcd"]
    assert len(root.findall(".//s:path[@class='lineage-edge']", ns)) == 4
    landmark = root.find(".//s:a[@class='lineage-node landmark']", ns)
    assert "start here" in "".join(landmark.itertext())
    assert charts.lineage_graph("g", "t", nodes(), [], "%s") == ""


def test_the_timeline_marks_landmark_years():
    bars = [charts.Bar("2021", 2), charts.Bar("2022", 0), charts.Bar("2023", 1)]
    svg = str(charts.timeline("t", "Papers per year", bars, {"2021": ["A <paper>"]}))
    root = ET.fromstring(svg)
    assert "Start here: A <paper> (2021)." in root.find("{http://www.w3.org/2000/svg}desc").text
    assert svg.count('class="timeline-landmark"') == 1
    assert svg == str(charts.timeline("t", "Papers per year", bars, {"2021": ["A <paper>"]}))
    assert charts.timeline("t", "x", [], {}) == ""


def test_hostile_names_and_titles_stay_text_in_every_chart_and_comparison(tmp_path):
    content = hostile_content(tmp_path, "entities.yml")
    out = tmp_path / "site"
    build(BuildOptions(seeds=HOSTILE / "seeds", content=content, out=out, cache=None, jobs=1))
    graphs = 0
    for page in sorted((out / "topics").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for svg in SVG_RE.findall(html):
            ET.fromstring(svg)  # well-formed: nothing broke out of an attribute or element
            assert "<script" not in svg and "<img" not in svg
            graphs += "chart lineage" in svg
    assert graphs >= 1
    target = "script-window-pwned-title-script-script-quantization-for-hostile-inputs"
    landing = (out / "papers" / f"{target}.html").read_text(encoding="utf-8")
    assert "Compared against by" in landing
    some = next(
        p.read_text(encoding="utf-8")
        for p in sorted((out / "papers").glob("*.html"))
        if "Compared with" in p.read_text(encoding="utf-8")
    )
    assert "&lt;/svg&gt;&lt;script&gt;window.__pwned=&#39;svg-breakout&#39;&lt;/script&gt;" in some
    assert "&lt;script&gt;window.__pwned=&#39;category&#39;&lt;/script&gt; **Hard|ware**" in some
    assert "<script>window.__pwned" not in some


def test_a_large_lineage_graph_keeps_the_most_connected_papers(monkeypatch):
    from litreview.model import Paper, Site, SiteConfig, Topic
    from litreview.write import render

    papers = [Paper(id=f"p{i}", title=f"Paper {i}", abstract="A.", sources=[]) for i in range(6)]
    # p0 is compared against by p1..p4, p1 by p2 and p3; p5 compares against p4 only
    for i in (1, 2, 3, 4):
        papers[i].compares_with = ["p0"]
    papers[2].compares_with.append("p1")
    papers[3].compares_with.append("p1")
    papers[5].compares_with = ["p4"]
    topic = Topic("t", "T", 1, "", "", "content/topics/t.md", papers=papers)
    site = Site(SiteConfig(), papers, [topic], [], [])
    assert len(ET.fromstring(str(render.topic_lineage(site, topic))).findall(".//{*}a")) == 6
    monkeypatch.setattr(render, "LINEAGE_MAX_PAPERS", 3)
    root = ET.fromstring(str(render.topic_lineage(site, topic)))
    assert sorted(a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")) == [
        "../papers/p0.html",  # 4 comparisons
        "../papers/p1.html",  # 3
        "../papers/p2.html",  # 2 (p3 has 2 as well; ties go by id)
    ]
    assert root.find("{*}title").text == "Who compares against whom: T (the 3 most connected of 6 papers)"
