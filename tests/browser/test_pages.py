"""Home, a topic and a paper page load cleanly in real Chromium.

At phone and desktop widths, in light and dark mode, over HTTP under a
/repo/ project path and from file://: no console errors, no failed
requests, no CSP violations, and the page lays out without horizontal
overflow. Screenshots go to tests/screenshots/ (git-ignored) for a human look.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("transport", ["http", "file"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("kind", ["home", "topic", "paper"])
def test_page_loads_without_errors(open_page, pages, kind, viewport, color_scheme, transport):
    visit = open_page(pages[kind], transport=transport, viewport=viewport, color_scheme=color_scheme)
    page = visit.page
    assert visit.problems() == []
    # The stylesheet applied (it is the only source of layout), in the asked theme.
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (color_scheme == "light")
    # Nothing wider than the screen (the papers table and charts scroll inside their own box).
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.locator("main h1").count() == 1
    # The breadcrumb lines up with the page's heading (not centred or indented).
    if kind != "home":
        crumb_x = page.locator(".breadcrumb ol").bounding_box()["x"]
        assert abs(crumb_x - page.locator("main h1").bounding_box()["x"]) < 2
    if transport == "http":
        visit.screenshot(f"{kind}-{viewport}-{color_scheme}")


def test_links_on_home_resolve_under_project_path(open_page, site_server):
    """Every same-site link on the home page names a file that the server has."""
    visit = open_page("index.html")
    hrefs = visit.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    internal = {h.split("#", 1)[0] for h in hrefs if h.startswith(site_server.base_url)}
    assert internal
    for url in sorted(internal):
        relative = url[len(site_server.base_url) :]
        assert relative == "" or re.search(r"\.[a-z]+$", relative), f"{url} does not name a file"
        assert (site_server.root / (relative or "index.html")).is_file(), url


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(open_page, pages):
    visit = open_page(pages["paper"])
    page = visit.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-48px"  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_papers_table_filters_as_you_type(open_page):
    visit = open_page("papers.html", viewport="phone")
    page = visit.page
    rows = page.locator("#papers-table tbody tr")
    total = rows.count()
    assert total > 100
    first_title = rows.first.locator("td").first.inner_text()
    word = max(re.findall(r"[A-Za-z]{5,}", first_title), key=len)
    page.fill("#papers-filter", word)
    expect(page.locator(".filter-status")).to_have_text(re.compile(r"^Showing \d+ of \d+ papers$"))
    visible = page.locator("#papers-table tbody tr:not([hidden])")
    assert 1 <= visible.count() < total
    assert word.lower() in visible.first.inner_text().lower()
    assert re.fullmatch(rf"Showing {visible.count()} of {total} papers", page.inner_text(".filter-status"))
    assert visit.problems() == []


def test_papers_table_is_complete_without_javascript(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_server.base_url + "papers.html")
        assert page.locator("#papers-table tbody tr:visible").count() == len(
            list((site_server.root / "papers").glob("*.html"))
        )
        assert not page.locator("#papers-filter").is_visible()  # no dead control without JS
    finally:
        context.close()


def test_missing_page_serves_404_with_working_home_link(open_page):
    visit = open_page("no-such-page.html")
    page = visit.page
    assert "Page not found" in page.inner_text("main h1")
    page.click("text=Go to the home page")
    page.wait_for_load_state()
    assert page.url.endswith("/repo/index.html") or page.url.endswith("/repo/")
