"""A site with automatic topics only (another field's corpus, no content/topics/), in Chromium:
the home page lists the automatic topics with their label, a topic page says it is automatic
and links its papers, search finds a paper, and axe finds no serious violations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import PROJECT
from test_a11y import axe_violations

pytestmark = pytest.mark.browser

OTHER_SEEDS = PROJECT / "tests" / "data" / "other-corpus" / "seeds"


@pytest.fixture(scope="module")
def auto_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from litreview.engine.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("auto-browser")
    content = root / "content"
    (content / "topics").mkdir(parents=True)
    (content / "site.yml").write_text('title: "Computational biology"\n', encoding="utf-8")
    out = root / "site"
    build(BuildOptions(seeds=OTHER_SEEDS, content=content, out=out, cache=None))
    return out


def open_file(browser, path: Path, color_scheme: str = "light", bypass_csp: bool = False):
    context = browser.new_context(color_scheme=color_scheme, bypass_csp=bypass_csp, reduced_motion="reduce")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri(), wait_until="load")
    return context, page, errors


def test_home_and_topic_pages_of_automatic_topics(browser, auto_site):
    context, page, errors = open_file(browser, auto_site / "index.html")
    try:
        cards = page.locator("#topics .card")
        assert cards.count() >= 2
        assert page.locator("#topics .card .badge", has_text="automatic").count() == cards.count()
        first = cards.first.locator("h3 a")
        title = first.inner_text()
        first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == title
        assert page.locator(".automatic-note", has_text="Automatic topic").is_visible()
        assert page.get_by_role("link", name="Edit this topic").count() == 0
        paper = page.locator(".prose a[href^='../papers/']").first
        paper.click()
        page.wait_for_load_state("load")
        assert "/papers/" in page.url and page.locator("h1").inner_text()
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_automatic_topic_pages_are_accessible(browser, auto_site, axe_path, color_scheme):
    topic = sorted((auto_site / "topics").glob("auto-*.html"))[0]
    for path in (auto_site / "index.html", topic):
        context, page, _ = open_file(browser, path, color_scheme, bypass_csp=True)
        try:
            violations = axe_violations(page, axe_path)
            assert violations == [], json.dumps(violations, indent=1)
        finally:
            context.close()
