"""Hostile seeds and content: in real Chromium, no payload runs and every payload shows as text.

The corpus (tests/data/hostile/) holds script tags, event handlers,
javascript: links, Markdown link and image injection, HTML entities,
unbalanced brackets and backticks, bidi overrides, zero-width characters,
a 10,000-character title, emoji and template syntax. Payloads set
window.__pwned or call alert(); an init script traps both, and any CSP
violation or console error fails the test.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from conftest import CSP_PROBE, _SubpathHandler
from helpers import hostile_content

from litreview.errors import ErrorCollector
from litreview.read.catalogue import load_catalogue

PROJECT = Path(__file__).resolve().parents[2]
HOSTILE = PROJECT / "tests" / "data" / "hostile"

TRAP = """
window.__pwnedLog = [];
Object.defineProperty(window, '__pwned', {
  configurable: false,
  set: function (v) { window.__pwnedLog.push(String(v)); },
  get: function () { return window.__pwnedLog.length ? window.__pwnedLog.join(',') : undefined; }
});
window.alert = window.confirm = window.prompt = function (v) { window.__pwnedLog.push('dialog:' + v); };
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The hostile seeds with the fixture corpus's taxonomy plus hostile pages and overrides."""
    from litreview.engine.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("hostile")
    content = hostile_content(root, "papers", "pages", "entities.yml")
    out = root / "site"
    build(BuildOptions(seeds=HOSTILE / "seeds", content=content, out=out, cache=None))
    return out


@pytest.fixture(scope="module")
def hostile_papers():
    errors = ErrorCollector()
    papers = load_catalogue(HOSTILE / "seeds", errors)
    assert not errors.errors
    return papers


@pytest.fixture(scope="module")
def server(hostile_site: Path):
    handler = functools.partial(_SubpathHandler, directory=str(hostile_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/repo/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.add_init_script(TRAP)
    ctx.add_init_script(CSP_PROBE)
    yield ctx
    ctx.close()


def visit(context, url: str, action=None) -> tuple[object, list[str]]:
    """A new tab at url: the tab and its problems (see load)."""
    page = context.new_page()
    return page, load(page, url, watch(page), action)


def watch(page) -> list[str]:
    """The list the tab's console errors and warnings, page errors and dialogs go into."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    return problems


def load(page, url: str, problems: list[str], action=None) -> list[str]:
    """Opens url in the tab; returns the problems watched so far plus the payloads that ran and
    the CSP violations of this document (the trap and the probe start afresh in each)."""
    page.goto(url, wait_until="load")
    if action:
        action(page)
    page.wait_for_timeout(50)
    pwned = page.evaluate("window.__pwnedLog")
    csp = page.evaluate("window.__cspViolations || []")
    return problems + [f"payload ran: {p}" for p in pwned] + [f"CSP violation: {v}" for v in csp]


def visible_text(page) -> str:
    return " ".join(page.evaluate("document.body.innerText").split())


def all_html_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def test_no_payload_runs_on_any_page(hostile_site, server, context):
    failures = {}
    page = context.new_page()  # one tab for every page: a new tab costs more than loading a page
    watched = watch(page)
    for path in all_html_pages(hostile_site):
        watched.clear()
        problems = load(page, server + path, watched)
        if problems:
            failures[path] = problems
    page.close()
    assert not failures, "\n".join(f"{path}: {problems}" for path, problems in failures.items())


def test_no_payload_runs_from_disk(hostile_site, context):
    for path in ["index.html", "papers.html", "hostile.html"] + [
        f"papers/{p.name}" for p in sorted((hostile_site / "papers").glob("*.html"))[:4]
    ]:
        page, problems = visit(context, (hostile_site / path).as_uri())
        page.close()
        assert problems == [], path


def test_every_payload_is_visible_as_text_on_its_paper_page(hostile_papers, server, context):
    for paper in hostile_papers:
        page, problems = visit(context, f"{server}papers/{paper.id}.html")
        text = visible_text(page)
        page.close()
        assert problems == []
        assert " ".join(paper.title.split()) in text, paper.id
        assert " ".join(paper.abstract.split()) in text, paper.id


def test_human_raw_html_is_sanitised_and_shown_safely(server, context):
    page, problems = visit(
        context, f"{server}papers/script-window-pwned-title-script-script-quantization-for-hostile-inputs.html"
    )
    assert problems == []
    assert page.locator("main iframe, main form, main style, main script").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
    external = page.eval_on_selector_all(
        "main a[href^='https://example.org/safe']", "els => els.map(e => e.getAttribute('rel') || '')"
    )
    assert external and all("noopener" in rel for rel in external)
    assert "<script>window.__pwned='venue'</script>" in visible_text(page)
    page.close()


@pytest.mark.parametrize("transport", ["http", "file"])
def test_search_results_show_payloads_as_text(hostile_site, server, context, transport):
    base = server if transport == "http" else hostile_site.as_uri() + "/"

    def search(page):
        page.fill("#site-search-input", "hostile")
        page.wait_for_timeout(400)

    page, problems = visit(context, base + "search.html?q=quantization", action=search)
    page.wait_for_function("document.querySelectorAll('main a[href*=\"papers/\"]').length > 0", timeout=5000)
    # Facet values (venues, from the hostile .bib) are text too.
    page.wait_for_function("(window.LitreviewSearch.rendered || 0) >= 1", timeout=10000)
    page.locator("#search-facets-box").evaluate("box => { box.open = true; }")
    for button in page.locator("#search-facets .facet-more").all():
        button.click()
    facets = page.locator("#search-facets").inner_text()
    assert page.locator("#search-facets *:not(p, fieldset, legend, label, input, span, button)").count() == 0
    venues = page.locator("#search-facets input[name=venue]").evaluate_all("els => els.map(e => e.value)")
    assert all(v in facets for v in venues) and any("<" in v for v in venues), venues
    text = visible_text(page)
    page.close()
    assert problems == []
    assert "<script>window.__pwned = 'title-script'</script> Quantization for Hostile Inputs" in text
