"""papers.json, papers.csv and papers.bib: complete, deterministic and safe whatever the titles hold."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex import errors as pybtex_errors
from pybtex.database import parse_string

from litreview.model import Assignment, Paper, Site, SiteConfig, Source
from litreview.write import export

NASTY_TITLES = [
    '=HYPERLINK("http://evil.example","click")',
    "+1 trick",
    "-2 is less",
    "@SUM(A1:A2)",
    "\tTabbed",
    "Braces { unbalanced",
    "} closing first {",
    "Back\\slash \\end{document} 100% & $x_1^2$ #1 ~tilde",
    "<script>alert(1)</script>",
    'Quote " and , comma\nnewline',
    "@comment{ evil, title = {x}}",
    "Ünïcödé — “quotes” 数学",
    "\\",
    "{",
    "}",
]


def make_paper(pid: str = "p", title: str = "A Title", **kw) -> Paper:
    kw.setdefault("abstract", "An abstract.")
    kw.setdefault("sources", [Source("s.txt", 1)])
    return Paper(id=pid, title=title, **kw)


def make_site(papers: list[Paper], base_url: str | None = None) -> Site:
    return Site(config=SiteConfig(base_url=base_url), papers=papers, topics=[], tags=[], pages=[])


@pytest.fixture(autouse=True)
def no_ci_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def parse_bib(text: str):
    pybtex_errors.set_strict_mode(True)
    return parse_string(text, "bibtex")


def unlatex(text: str) -> str:
    """Invert export.latex_escape (for checking round trips): one left-to-right pass, so that
    `\\textbackslash{}textbar` is a backslash then "textbar"; the {} that break ligatures go."""
    inverse = {latex: char for char, latex in export._LATEX.items()}
    alternatives = sorted(inverse, key=len, reverse=True)
    pattern = "|".join(re.escape(a) for a in alternatives) + r"|(?<=-)\{\}(?=-)|(?<=`)\{\}(?=`)|(?<=')\{\}(?=')"
    return re.sub(pattern, lambda m: inverse.get(m.group(0), ""), text)


def brace_depths_ok(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- JSON ----------------------------------------------------------------


def test_json_round_trips_every_paper_with_required_fields() -> None:
    papers = [
        make_paper("a", NASTY_TITLES[0], topics=[Assignment("t1", 3.0)], tags=[Assignment("g", 1.0)]),
        make_paper("b", "<script>alert(1)</script>", links=["https://github.com/o/r"], added="2024-01-02"),
    ]
    papers[0].primary_topic = "t1"
    records = json.loads(export.export_files(make_site(papers))["papers.json"])
    assert [r["id"] for r in records] == ["a", "b"]
    for record, paper in zip(records, papers, strict=True):
        assert record["title"] == paper.title
        assert record["abstract"] == paper.abstract
        assert record["url"] == f"papers/{paper.id}.html"
        assert {"topics", "tags", "sources"} <= record.keys()
    assert records[0]["topics"] == ["t1"] and records[0]["tags"] == ["g"] and records[0]["primary_topic"] == "t1"
    assert records[1]["code"] == ["https://github.com/o/r"] and records[1]["added"] == "2024-01-02"
    assert "permalink" not in records[0]


def test_json_has_absolute_permalink_when_base_url_known() -> None:
    records = json.loads(export.export_files(make_site([make_paper("a")], "https://x.github.io/r"))["papers.json"])
    assert records[0]["permalink"] == "https://x.github.io/r/papers/a.html"


def test_exports_are_deterministic() -> None:
    site = lambda: make_site([make_paper(str(i), t) for i, t in enumerate(NASTY_TITLES)])  # noqa: E731
    assert export.export_files(site()) == export.export_files(site())


def test_non_http_links_are_never_exported() -> None:
    paper = make_paper("a", links=["javascript:alert(1)", "https://github.com/o/r", "file:///etc/passwd"])
    files = export.export_files(make_site([paper]))
    for name, text in files.items():
        assert "javascript:" not in text and "file://" not in text, name
    assert json.loads(files["papers.json"])[0]["links"] == ["https://github.com/o/r"]


# --- CSV -----------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_the_documented_columns() -> None:
    text = export.export_files(make_site([make_paper()]))["papers.csv"]
    assert text.splitlines()[0] == ",".join(export.CSV_COLUMNS)


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_formula_injection_is_neutralised(title: str) -> None:
    rows = read_csv(export.export_files(make_site([make_paper("a", title, abstract="=1+1")]))["papers.csv"])
    assert rows[0]["title"] == "'" + title
    assert rows[0]["abstract"] == "'=1+1"


def test_csv_keeps_harmless_cells_exactly() -> None:
    paper = make_paper("a", 'Comma, "quote"\nand newline', year=2024, topics=[Assignment("t1", 1), Assignment("t2", 1)])
    paper.primary_topic = "t1"
    paper.links = ["https://github.com/o/r", "https://example.org/x"]
    row = read_csv(export.export_files(make_site([paper]))["papers.csv"])[0]
    assert row == {
        "id": "a",
        "title": 'Comma, "quote"\nand newline',
        "year": "2024",
        "authors": "",
        "venue": "",
        "doi": "",
        "arxiv": "",
        "entry_type": "",
        "citation_key": "",
        "primary_topic": "t1",
        "topics": "t1;t2",
        "tags": "",
        "code": "https://github.com/o/r",
        "url": "papers/a.html",
        "abstract": "An abstract.",
    }


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_csv_no_cell_ever_starts_with_a_formula_trigger(title: str) -> None:
    rows = read_csv(export.export_files(make_site([make_paper("a", title, abstract=title)]))["papers.csv"])
    assert len(rows) == 1
    for value in rows[0].values():
        assert not value.startswith(export.FORMULA_TRIGGERS)
    expected = "'" + title if title.startswith(export.FORMULA_TRIGGERS) else title
    assert rows[0]["title"] == expected


# --- BibTeX ----------------------------------------------------------------


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_bibtex_entry_parses_and_title_survives(title: str) -> None:
    paper = make_paper("nasty", title, authors=["Ada Lovelace", "Smith and Sons Ltd"], year=2024, venue="Proc. A&B")
    paper.links = ["https://github.com/o/r{x}%20#frag"]
    text = export.export_files(make_site([paper]))["papers.bib"]
    assert brace_depths_ok(text)
    entry = parse_bib(text).entries["nasty"]
    assert unlatex(entry.fields["title"]) == "{" + export.clean_text(title) + "}"
    assert len(entry.persons["author"]) == 2
    assert entry.fields["year"] == "2024"
    assert entry.type == "article" and unlatex(entry.fields["journal"]) == "Proc. A&B"


def test_bibtex_misc_without_authors_has_code_note_and_url() -> None:
    paper = make_paper("1-bit-adam", "1-bit Adam", links=["https://github.com/o/r"])
    entry = parse_bib(export.export_files(make_site([paper], "https://x.github.io/r/"))["papers.bib"]).entries[
        "1-bit-adam"
    ]
    assert entry.type == "misc"
    assert entry.fields["note"] == r"Code: \url{https://github.com/o/r}"
    assert entry.fields["url"] == "https://x.github.io/r/papers/1-bit-adam.html"
    assert "author" not in entry.persons


@settings(max_examples=300, deadline=None)
@given(title=st.text(min_size=1), author=st.text(), abstract=st.text(), venue=st.text())
def test_bibtex_is_valid_whatever_the_text(title: str, author: str, abstract: str, venue: str) -> None:
    paper = make_paper("p", title, abstract=abstract, authors=[author] if author.strip() else [], venue=venue or None)
    text = export.export_files(make_site([paper, make_paper("q", "next")]))["papers.bib"]
    assert brace_depths_ok(text)
    entries = parse_bib(text).entries
    assert list(entries) == ["p", "q"]
    assert unlatex(entries["p"].fields["title"]) == "{" + export.clean_text(title) + "}"


def test_bibtex_keys_are_the_paper_ids() -> None:
    papers = [make_paper("a-1"), make_paper("2-b")]
    assert list(parse_bib(export.export_files(make_site(papers))["papers.bib"]).entries) == ["a-1", "2-b"]


@pytest.mark.parametrize("count", [0, 1, 3])
def test_papers_json_record_by_record_is_json_dumps_with_indent_1(count: int) -> None:
    papers = [
        make_paper(
            f"p{i}",
            f"Título {i}",
            abstract='Line one.\nLine "two" — ünïcode.\tTab.',
            links=["https://github.com/o/r"],
            authors=["Ann Ö", "Bob"],
        )
        for i in range(count)
    ]
    site = Site(config=SiteConfig(), papers=papers, topics=[], tags=[], pages=[])
    records = [export.site_record(p, "https://example.org/") for p in papers]
    expected = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    assert export.papers_json(site, "https://example.org/") == expected
    assert (
        export.papers_json(site, "https://example.org/", lambda r: json.dumps(r, ensure_ascii=False, indent=1))
        == expected
    )
