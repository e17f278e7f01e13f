"""Search in real Chromium: suggestions on every page and the results page.

Runs the real catalogue over HTTP under /repo/ and from file://, using the
shared fixtures of tests/browser/conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import type_and_wait_for_suggestions

TRANSPORTS = ["http", "file"]
PAGE_SIZE = 20  # results per page (static/js/search.js)


def problems(visit) -> list[str]:
    """Everything that went wrong, except Chromium's console line for /favicon.ico.

    Over HTTP under /repo/, Chromium asks the server root for /favicon.ico and
    logs a bare "Failed to load resource" (without the URL); a 404 of any
    resource of the page is still caught in visit.failed_requests.
    """
    return [p for p in visit.problems() if not p.startswith("Failed to load resource")]


def results_titles(page) -> list[str]:
    page.wait_for_selector("#search-results li")
    return page.locator(".search-result-title").all_inner_texts()


def search_page(open_page, query_string: str, transport: str = "http"):
    visit = open_page("search.html" + query_string, transport=transport)
    page = visit.page
    page.wait_for_function("() => (window.LitreviewSearch.rendered || 0) >= 1")  # results, counts and facets
    return visit


def rerender(page, action) -> None:
    """Do something that re-renders the results page, and wait until it has (results, counts, facets)."""
    before = page.evaluate("window.LitreviewSearch.rendered || 0")
    action()
    page.wait_for_function("(n) => (window.LitreviewSearch.rendered || 0) > n", arg=before)


def type_query(page, text: str) -> None:
    box = page.locator("#search-query")
    box.fill("")
    box.type(text)
    page.wait_for_function("(q) => new URLSearchParams(location.search).get('q') === q", arg=text)
    # Results come after the pieces they need: wait for this query's, not an earlier keystroke's.
    page.wait_for_function("(q) => window.LitreviewSearch.shown === q", arg=text)


# (query, a title that must be among the results, a title that must not be)
QUERIES = [
    ("quantized", "Dataset Quantization", None),
    ('"speculative decoding"', "SpecExec: Massively Parallel Speculative Decoding", "Dataset Quantization"),
    ("ZeRO-Infinity", "ZeRO-Infinity: Breaking the GPU Memory Wall", None),
    ("deploy", "Challenges in Deploying Long-Context Transformers", None),
    ("monocular depth", "iDisc: Internal Discretization for Monocular Depth Estimation", None),
    ("title:bottleneck", "Discrete Key-Value Bottleneck", None),
    ("1-bit adam", "1-bit Adam: Communication Efficient Large-Scale Training", None),
    ("mixture experts inference survey", "A Survey on Inference Optimization Techniques for Mixture of", None),
    ("flash attention", "The I/O Complexity of Attention", None),
    ("straggler", "Sequential Gradient Coding For Straggler Mitigation", None),
]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("query, expected, unexpected", QUERIES)
def test_results_page_finds_expected_papers(open_page, transport, query, expected, unexpected):
    visit = search_page(open_page, "", transport)
    type_query(visit.page, query)
    titles = results_titles(visit.page)
    assert any(t.startswith(expected) for t in titles), titles[:10]
    if unexpected:
        assert not any(t.startswith(unexpected) for t in titles)
    assert problems(visit) == []


def test_query_in_url_is_searched_on_load_and_highlighted(open_page):
    visit = search_page(open_page, "?q=quantized")
    page = visit.page
    titles = results_titles(page)
    assert any("Quantization" in t for t in titles)
    marks = page.locator(".search-result mark").all_inner_texts()
    assert marks and all(m.lower().startswith("quantiz") for m in marks)
    assert page.locator("#search-query").input_value() == "quantized"
    assert problems(visit) == []


def test_phrase_needs_the_words_side_by_side(open_page):
    visit = search_page(open_page, "")
    page = visit.page
    type_query(page, "bandwidth memory ")
    loose = page.locator("#search-status").inner_text()
    type_query(page, '"memory bandwidth"')
    # Phrases are checked in the whole abstracts (search/a/ pieces): wait until every candidate is.
    page.wait_for_function(
        "(s) => { const t = document.getElementById('search-status').textContent;"
        " return t !== s && t.indexOf('Checking') < 0 && t.indexOf('memory bandwidth') >= 0; }",
        arg=loose,
    )
    phrase = int(page.locator("#search-status").inner_text().split()[0])
    assert 0 < phrase < int(loose.split()[0])
    # Every result shows the phrase: snippets centre on the match once whole abstracts are loaded.
    for text in page.locator(".search-result").all_inner_texts():
        assert re.search(r"memory[\s-]+bandwidth", text, re.IGNORECASE), text
    assert problems(visit) == []


def test_no_results_message(open_page):
    visit = search_page(open_page, "")
    type_query(visit.page, "zzyzxqwv")
    visit.page.wait_for_function(
        "() => document.getElementById('search-status').textContent.indexOf('No papers match') >= 0"
    )
    assert visit.page.locator(".search-result").count() == 0
    assert problems(visit) == []


@pytest.mark.parametrize("query", ["moe:", "+", "title:", "moe^", "~2"])
def test_syntax_errors_show_a_hint_and_never_break(open_page, query):
    visit = search_page(open_page, "")
    page = visit.page
    type_query(page, query)
    page.wait_for_selector("#search-hint:not([hidden])")
    assert "could not be read" in page.locator("#search-hint").inner_text()
    type_query(page, "moe")  # the page still works afterwards
    assert results_titles(page)
    assert problems(visit) == []


def test_topic_facet_narrows_results_and_lives_in_url(open_page):
    visit = search_page(open_page, "?q=quantization")
    page = visit.page
    before = results_titles(page)
    options = page.locator("#search-facets input[name=topic]:not([value=''])")
    assert options.count() > 0, "the search page offers no topic facet"
    first = options.first
    slug = first.get_attribute("value")
    label = first.locator("xpath=..")
    count = int(label.locator(".facet-count").inner_text())
    rerender(page, first.check)
    page.wait_for_function("(s) => new URLSearchParams(location.search).get('topic') === s", arg=slug)
    after = results_titles(page)
    assert 0 < len(after) <= len(before) and page.locator(".search-result").count() == min(count, PAGE_SIZE)
    topics = set(page.locator(".search-result-topic").all_inner_texts())
    assert len(topics) == 1
    rerender(page, page.go_back)
    page.wait_for_function("() => !new URLSearchParams(location.search).get('topic')")
    assert page.locator(".search-result").count() == min(len(before), PAGE_SIZE)
    assert problems(visit) == []


def test_has_code_facet_shows_only_papers_with_code(open_page):
    visit = search_page(open_page, "?q=code")
    page = visit.page
    results_titles(page)
    box = page.locator("#search-facets input[name=code]")
    expected = int(box.locator("xpath=..").locator(".facet-count").inner_text())
    rerender(page, box.check)
    page.wait_for_function("() => new URLSearchParams(location.search).get('code') === '1'")
    if expected == 0:
        assert page.locator(".search-result").count() == 0
    else:
        assert page.locator(".search-result").count() == min(expected, PAGE_SIZE)
        assert page.locator(".search-result-code").count() == page.locator(".search-result").count()
    assert problems(visit) == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_header_suggestions_and_keyboard_open_a_paper(open_page, transport):
    visit = open_page("papers.html", transport=transport)
    page = visit.page
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    type_and_wait_for_suggestions(page, "speculative decoding")
    assert 1 <= page.locator(".search-suggest-item").count() <= 8
    assert page.locator(".search-suggest-item mark").count() > 0
    first_title = page.locator(".search-suggest-title").first.inner_text()
    page.keyboard.press("ArrowDown")
    assert page.locator(".search-suggest [role=option].is-active").count() == 1
    active = page.locator(".search-suggest [role=option].is-active")
    assert page.locator("#site-search-input").get_attribute("aria-activedescendant") == active.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/papers/[^/]+\.html$"))
    assert page.locator("h1").first.inner_text().strip() == first_title.strip()
    assert problems(visit) == []


def test_suggestions_say_when_nothing_matches(open_page):
    visit = open_page("index.html")
    page = visit.page
    page.locator("#site-search-input").click()
    page.keyboard.type("zzyzxqwv")
    page.wait_for_selector(".search-suggest-empty:not([hidden])")
    assert page.locator(".search-suggest [role=option]").count() == 0
    assert problems(visit) == []


def test_escape_closes_suggestions(open_page):
    visit = open_page("index.html")
    page = visit.page
    page.locator("#site-search-input").click()
    type_and_wait_for_suggestions(page, "quantized")
    page.keyboard.press("Escape")
    assert page.locator(".search-suggest").first.is_hidden()
    assert problems(visit) == []


def test_slash_does_not_steal_typing_in_a_field(open_page):
    visit = search_page(open_page, "")
    page = visit.page
    page.locator("#search-query").click()
    page.keyboard.type("a/b")
    assert page.locator("#search-query").input_value() == "a/b"


HOSTILE_TITLE = '<img src=x onerror="window.__pwned=1">Quantized <b>bold</b> kernels'
HOSTILE_SEED = f"""{HOSTILE_TITLE}

We study quantized kernels <script>window.__pwned=2</script> for inference on commodity accelerators, and we report a 2x speedup over the dense baseline across several model sizes. The kernels are open source and easy to reuse in other inference engines.

Harmless Paper About Pruning

A second abstract about pruning neural networks so that the catalogue has two papers. We remove most of the weights of a large model and keep its accuracy, which makes inference cheaper.
"""


def test_title_with_markup_is_shown_as_text(browser, tmp_path: Path):
    from litreview.engine.pipeline import BuildOptions, build

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(HOSTILE_SEED, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    out = tmp_path / "site"
    build(BuildOptions(seeds=seeds, content=content, out=out))
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((out / "search.html").as_uri() + "?q=quantized")
    page.wait_for_selector(".search-result-title")
    assert page.locator(".search-result-title").first.inner_text() == HOSTILE_TITLE
    assert page.locator(".search-result img, .search-result b, .search-result script").count() == 0
    type_and_wait_for_suggestions(page, "kernels", fill=True)
    assert page.locator(".search-suggest img").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    assert errors == []
    context.close()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_search_page_and_suggestions_have_no_serious_accessibility_violations(open_page, axe_path, color_scheme):
    visit = open_page("search.html?q=quantized", color_scheme=color_scheme, bypass_csp=True)
    page = visit.page
    page.wait_for_selector(".search-result mark")
    page.locator("#site-search-input").click()
    type_and_wait_for_suggestions(page, "speculative")
    page.keyboard.press("ArrowDown")
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 2).map(n => n.target.join(" ") + " " + n.failureSummary)}));
        }"""
    )
    assert result == [], result
