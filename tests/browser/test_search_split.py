"""The split search index in real Chromium, on a generated corpus big enough for many pieces.

2,000 papers synthesised by bench/corpus.py from the fixture corpus (deterministic), built once:
hundreds of term, metadata and abstract pieces, so each query loads a few of
them. Over http (under /repo/) and from file://: results ranked as lunr ranks
the whole index, facets with counts (AND across groups, OR within one),
pagination kept in the URL, the exported list, no console errors and no
request to any other origin.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import re
import sys
import threading
from pathlib import Path

import lunr_reference
import pytest
from conftest import CSP_PROBE, SUBPATH, _SubpathHandler, type_and_wait_for_suggestions
from helpers import CONTENT, SEEDS

PROJECT = Path(__file__).resolve().parents[2]
PAPERS = 2000
TRANSPORTS = ["http", "file"]


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> Path:
    sys.path.insert(0, str(PROJECT / "bench"))
    import corpus

    from litreview.engine.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("split-search")
    seeds = root / "seeds"
    seeds.mkdir()
    corpus.write_seed_files(corpus.synthesize(PAPERS, corpus.make_pools(corpus.load_papers(SEEDS))), seeds)
    out = root / "site"
    build(BuildOptions(seeds=seeds, content=CONTENT, out=out, cache=None))
    return out


@pytest.fixture(scope="module")
def whole_index(split_site):
    files = {"search-index.js": (split_site / "search-index.js").read_text(encoding="utf-8")}
    for path in (split_site / "search").rglob("*.js"):
        files[path.relative_to(split_site).as_posix()] = path.read_text(encoding="utf-8")
    return lunr_reference.load_split(files)


@pytest.fixture(scope="module")
def base_url(split_site):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_SubpathHandler, directory=str(split_site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    server.shutdown()
    server.server_close()


class Visit:
    def __init__(self, browser, url: str, origin: str) -> None:
        self.context = browser.new_context(accept_downloads=True)
        self.context.add_init_script(CSP_PROBE)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"{r.url}: {r.failure}"))
        self.page.on("request", lambda r: None if r.url.startswith(origin) else self.elsewhere.append(r.url))
        self.page.goto(url)
        self.settle()

    def settle(self, before: int = 0) -> None:
        self.page.wait_for_function("(n) => (window.LitreviewSearch.rendered || 0) > n", arg=before, timeout=20000)

    def act(self, action) -> None:
        """Do something that re-renders the results, and wait for the new rendering."""
        before = self.page.evaluate("window.LitreviewSearch.rendered || 0")
        action()
        self.settle(before)

    def problems(self) -> list[str]:
        return (
            self.errors + self.page.evaluate("window.__cspViolations") + [f"other origin: {u}" for u in self.elsewhere]
        )

    def total(self) -> int:
        status = self.page.locator("#search-status").inner_text()
        match = re.match(r"(\d+) papers?", status)
        return int(match.group(1)) if match else 0

    def titles(self) -> list[str]:
        return self.page.locator(".search-result-title").all_inner_texts()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, split_site, base_url):
    opened = []

    def _open(query: str, transport: str = "http") -> Visit:
        if transport == "http":
            url, origin = base_url + "search.html" + query, base_url.split(SUBPATH)[0]
        else:
            url, origin = split_site.as_uri() + "/search.html" + query, "file://"
        opened.append(Visit(browser, url, origin))
        return opened[-1]

    yield _open
    for v in opened:
        v.close()


def test_the_corpus_needs_many_pieces(split_site):
    assert len(list((split_site / "search" / "t").glob("*.js"))) >= 50
    assert len(list((split_site / "search" / "d").glob("*.js"))) >= 100
    assert (split_site / "search-index.js").stat().st_size < 20_000


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_results_are_lunrs_on_the_whole_index_loading_only_a_few_pieces(visit, whole_index, transport):
    index, payload = whole_index
    v = visit("?q=quantization", transport)
    # The word being typed is a prefix of its stem: quantiz*.
    hits = index.search("+quantiz*")
    assert v.total() == len(hits) > 20
    scores = [h["score"] for h in hits]
    cutoff = scores[19]  # ties at the page's end may come in either order
    best = {payload["docs"][int(h["ref"])]["title"] for h in hits if h["score"] >= cutoff}
    shown = v.titles()
    assert len(shown) == 20 and set(shown) <= best
    assert shown[0] == payload["docs"][int(hits[0]["ref"])]["title"] or scores[0] == scores[1]
    loaded = v.page.evaluate("Array.from(document.scripts).map(s => s.src)")  # the pieces are script elements
    terms = [u for u in loaded if "/search/t/" in u]
    assert 1 <= len(terms) <= 3, terms
    assert len([u for u in loaded if "/search/" in u]) < 60
    assert v.problems() == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_facets_count_for_the_query_or_within_a_group_and_across_groups(visit, transport):
    v = visit("?q=memory", transport)
    page, total = v.page, v.total()
    topics = page.locator("#search-facets input[name=topic]")
    assert topics.count() >= 2
    counts = [int(topics.nth(i).locator("xpath=..").locator(".facet-count").inner_text()) for i in range(2)]
    slugs = [topics.nth(i).get_attribute("value") for i in range(2)]
    assert sum(counts) <= total  # a paper has one primary topic
    v.act(lambda: topics.nth(0).check())
    assert v.total() == counts[0]
    assert set(page.locator(".search-result-topic").all_inner_texts()) == {
        page.locator("#search-facets input[name=topic]").nth(0).locator("xpath=..").locator(".facet-label").inner_text()
    }
    v.act(lambda: page.locator(f"#search-facets input[name=topic][value='{slugs[1]}']").check())
    assert v.total() == counts[0] + counts[1]  # OR within a group
    assert re.search(rf"topic={slugs[0]}&topic={slugs[1]}", page.url)
    code = page.locator("#search-facets input[name=code]")
    with_code = int(code.locator("xpath=..").locator(".facet-count").inner_text())
    v.act(lambda: code.check())
    assert v.total() == with_code <= counts[0] + counts[1]  # AND across groups
    assert page.locator(".search-result-code").count() == page.locator(".search-result").count()
    assert "code=1" in page.url
    # The URL alone gives the same page.
    again = visit("?" + page.url.split("?", 1)[1], transport)
    assert again.total() == with_code
    assert again.page.locator("#search-facets input:checked").count() == 3
    assert v.problems() == [] and again.problems() == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_pages_of_results_live_in_the_url(visit, transport):
    v = visit("?q=training", transport)
    page, total = v.page, v.total()
    pages = -(-total // 20)
    assert pages >= 3
    first = v.titles()
    assert page.locator("#search-pages").inner_text().split() == ["Previous", "Page", "1", "of", str(pages), "Next"]
    v.act(lambda: page.locator(".search-page-next").click())
    assert "page=2" in page.url
    second = v.titles()
    assert len(second) == 20 and not set(first) & set(second)
    last = visit(f"?q=training&page={pages}", transport)
    assert len(last.titles()) == total - 20 * (pages - 1)
    assert last.page.locator(".search-page-next").is_disabled()
    v.act(lambda: page.go_back())
    assert v.titles() == first
    assert v.problems() == [] and last.problems() == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_export_gives_the_filtered_list_as_csv_and_bibtex(visit, whole_index, transport):
    _, payload = whole_index
    v = visit("?q=pruning&code=1", transport)
    page, total = v.page, v.total()
    assert total > 0
    ids_shown = [a.split("/")[-1].removesuffix(".html") for a in page.eval_on_selector_all(
        ".search-result-title a", "els => els.map(e => e.getAttribute('href'))")]  # fmt: skip
    with page.expect_download() as download:
        page.locator(".search-export-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == total
    assert [r["id"] for r in rows[: len(ids_shown)]] == ids_shown
    assert all(r["code"] for r in rows)
    by_id = {d["id"]: d for d in payload["docs"]}
    assert all(by_id[r["id"]]["title"] == r["title"] for r in rows)
    with page.expect_download() as download:
        page.locator(".search-export-bib").click()
    bib = Path(download.value.path()).read_text(encoding="utf-8")
    assert bib.count("\n@") + bib.startswith("@") == total
    assert download.value.suggested_filename == "search-results.bib"
    assert v.problems() == []


def test_suggestions_come_from_the_pieces_too(visit):
    v = visit("")
    page = v.page
    page.locator("#site-search-input").click()
    type_and_wait_for_suggestions(page, "speculative deco")
    assert 1 <= page.locator(".search-suggest-item").count() <= 8
    assert page.locator(".search-suggest-item mark").count() > 0
    assert v.problems() == []
