"""Who compares against whom, in real Chromium: a paper page's comparisons, a topic page's
lineage graph (links that work without JavaScript) and timeline, with no console errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VLLM = "papers/efficient-memory-management-for-large-language-model-serving-with-pagedattention.html"
NEXUS = "papers/nexus-proactive-intra-gpu-disaggregation-of-prefill-and-decode-in-llm-serving.html"


@pytest.mark.parametrize("transport", ["http", "file"])
def test_a_paper_page_shows_what_it_compares_with_and_who_compares_against_it(open_page, transport):
    visit = open_page(NEXUS, transport=transport)
    page = visit.page
    expect(page.get_by_role("heading", name="Compared with")).to_be_visible()
    link = page.locator(".compared-with a", has_text="vLLM")
    expect(link).to_have_attribute("href", VLLM.removeprefix("papers/"))
    link.click()
    expect(page.get_by_role("heading", name="Compared against by")).to_be_visible()
    expect(page.locator(".compared-by a", has_text="Nexus")).to_have_count(1)
    assert visit.problems() == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_a_topic_page_shows_its_lineage_graph_landmarks_and_timeline(open_page, viewport, color_scheme):
    visit = open_page("topics/llm-serving.html", viewport=viewport, color_scheme=color_scheme)
    page = visit.page
    graph = page.locator("svg.lineage")
    expect(graph).to_be_visible()
    assert graph.get_attribute("aria-labelledby") == "chart-lineage-title"
    assert "compares against" in page.locator("#chart-lineage-desc").text_content()
    landmark = graph.locator("a.landmark").first
    assert landmark.get_attribute("href") == "../" + VLLM
    expect(page.locator(".landmarks a").first).to_have_attribute("href", "../" + VLLM)
    expect(page.locator("svg.timeline")).to_be_visible()
    expect(page.locator("nav.toc a[href='#lineage']")).to_have_count(1)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert visit.problems() == []
    landmark.click()
    expect(page).to_have_url(visit.url.rsplit("/topics/", 1)[0] + "/" + VLLM)


def test_the_graph_reads_without_javascript(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.base_url + "topics/llm-serving.html")
    expect(page.locator("svg.lineage a.lineage-node")).not_to_have_count(0)
    assert "vLLM" in page.locator("svg.lineage").text_content()
    context.close()
