"""Bibliographic metadata in the browser: sort by year, year facet, author search, copy-citation.

The site is the repository's seeds plus the reference-export fixtures of
tests/data/bib/ (BibTeX, RIS, CSL-JSON), served like a project page.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator

import pytest
from helpers import CONTENT, SEEDS

from tests.browser.conftest import CSP_PROBE, PROJECT, SUBPATH, _SubpathHandler

FIXTURES = PROJECT / "tests" / "data" / "bib"


@pytest.fixture(scope="module")
def bib_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from litreview.engine.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("bibsite")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    for path in FIXTURES.glob("*.*"):
        shutil.copy(path, seeds / path.name)
    out = root / "site"
    build(BuildOptions(seeds=seeds, content=CONTENT, out=out, cache=None))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_SubpathHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser, bib_server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_PROBE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.base = bib_server  # type: ignore[attr-defined]
    yield page
    assert errors == []
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def years_in_table(page) -> list[str]:
    return page.eval_on_selector_all(
        "#papers-table tbody tr:not([hidden])", "rows => rows.map(r => r.cells[r.cells.length - 2].textContent.trim())"
    )


def test_sort_all_papers_by_year_and_filter_a_year_range(page) -> None:
    page.goto(page.base + "papers.html")
    page.get_by_role("button", name="Year").click()
    years = [int(y) for y in years_in_table(page) if y]
    assert years == sorted(years, reverse=True) and years[0] == 2025
    assert page.locator("th[data-year-column]").get_attribute("aria-sort") == "descending"
    page.get_by_role("button", name="Year").click()  # again: oldest first
    years = [int(y) for y in years_in_table(page) if y]
    assert years == sorted(years) and years[0] == 2015
    page.fill("#year-from", "2016")
    page.fill("#year-to", "2019")
    page.wait_for_function(  # the filter runs 80 ms after the last keystroke
        "() => Array.from(document.querySelectorAll('#papers-table tbody tr:not([hidden])'))"
        ".every(r => +r.cells[r.cells.length - 2].textContent >= 2016 && +r.cells[r.cells.length - 2].textContent <= 2019)"
    )
    shown = years_in_table(page)
    assert shown and all(2016 <= int(y) <= 2019 for y in shown)
    assert "2017" in shown and "2019" in shown
    page.get_by_role("button", name="First author").click()
    first = page.locator("#papers-table tbody tr:not([hidden]) td[data-label='First author']").first
    assert first.get_attribute("data-sort-key") == "Chen"  # Chen, Devlin, Jouppi, Vaswani in 2016-2019


def test_search_by_author_and_filter_by_year_facet(page) -> None:
    page.goto(page.base + "search.html?q=Vaswani")
    page.wait_for_selector(".search-result")
    titles = page.locator(".search-result-title").all_text_contents()
    assert titles == ["Attention is all you need"]
    assert (
        "Ashish Vaswani, Noam Shazeer, Niki Parmar et al. · Advances in neural information processing systems · 2017"
        in (page.locator(".search-result-byline").first.text_content())
    )
    page.goto(page.base + "search.html?q=protein")
    page.wait_for_selector(".search-result")
    page.locator("fieldset.facet-group", has_text="Year").get_by_label("2021").check()
    page.wait_for_function("() => new URLSearchParams(location.search).get('year') === '2021'")
    assert page.locator(".search-result-title").all_text_contents() == [
        "Highly accurate protein structure prediction with AlphaFold"
    ]


def test_copy_citation(page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(page.base + "papers/bert-pre-training-of-deep-bidirectional-transformers-for-language-understanding.html")
    button = page.get_by_role("button", name="Copy BibTeX")
    button.click()
    page.wait_for_function("() => document.querySelector('.copy-status').textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{devlinBERTPretrainingDeep2019,\n  title = {{BERT: Pre-training")
    assert copied == page.locator("#cite-bibtex").text_content()


@pytest.mark.parametrize(
    "path",
    [
        "papers.html",
        "papers/bert-pre-training-of-deep-bidirectional-transformers-for-language-understanding.html",
        "search.html?q=protein",
    ],
)
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_metadata_pages_are_accessible(browser, bib_server: str, axe_path, path: str, color_scheme: str) -> None:
    from tests.browser.test_a11y import axe_violations

    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(bib_server + path)
        if path.startswith("papers.html"):
            page.get_by_role("button", name="Year").click()
        if path.startswith("search"):
            page.wait_for_selector(".search-result-byline")
        violations = axe_violations(page, axe_path)
        assert violations == [], json.dumps(violations, indent=1)
    finally:
        context.close()


def test_author_field_query(page) -> None:
    page.goto(page.base + "search.html?q=author:jumper")
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result-title").all_text_contents() == [
        "Highly accurate protein structure prediction with AlphaFold"
    ]
