"""`build.py serve` in real Chromium: edit a page and see it reload, break it and see the error, fix it.

Runs the server as a subprocess on a temporary copy of seeds/ and content/,
so the edits never touch the repository.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import copy_corpus, free_port, serving

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_MS = 120_000  # a rebuild takes seconds; the test machine is shared


@dataclass
class Served:
    root: Path
    url: str
    log: Path


def build_number(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "__livereload", timeout=5) as response:
            return json.loads(response.read())["build"]
    except OSError:
        return 0


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    copy_corpus(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serving(tmp_path, port) as (proc, log):
        deadline = time.monotonic() + BUILD_TIMEOUT_MS / 1000
        while build_number(url) < 1:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.25)
        yield Served(tmp_path, url, log)


@pytest.fixture
def page(browser):
    """A page of the session's shared Chromium (a second Playwright in one process fails)."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def test_edit_reloads_the_page_and_a_build_error_shows_until_fixed(served: Served, page) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    about = served.root / "content/pages/about.md"
    original = about.read_text(encoding="utf-8")

    page.goto(served.url + "about.html")
    page.locator("main").wait_for()

    # 1. An edit rebuilds the site and the open page reloads with the new text.
    about.write_text(original + "\nLive reload marker one.\n", encoding="utf-8")
    page.get_by_text("Live reload marker one.").wait_for(timeout=BUILD_TIMEOUT_MS)

    # 2. Invalid YAML: the last good page stays, with the error shown as text.
    about.write_text("---\ntitle: [unclosed\n---\nBroken.\n", encoding="utf-8")
    overlay = page.locator("#livereload-error")
    overlay.wait_for(timeout=BUILD_TIMEOUT_MS)
    assert "content/pages/about.md" in overlay.inner_text()
    assert "Build failed" in overlay.inner_text()
    assert page.get_by_text("Live reload marker one.").is_visible()

    # 3. Fixing it reloads the page: the overlay goes and the fix shows.
    about.write_text(original + "\nRecovered marker two.\n", encoding="utf-8")
    page.get_by_text("Recovered marker two.").wait_for(timeout=BUILD_TIMEOUT_MS)
    assert overlay.count() == 0

    assert not [p for p in problems if "Content Security Policy" in p or "livereload" in p], problems
    log = served.log.read_text()
    assert "content/pages/about.md" in log and "still serving the last good build" in log


def test_an_open_page_reloads_only_when_an_edit_changed_it(served: Served, page) -> None:
    """The page's event stream names it: an abstract edit shows on that paper's open page,
    while an open page the edit did not change is left as it is (no reload)."""
    seed = sorted((served.root / "seeds").glob("*.txt"))[1]
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if len(line) > 400)
    page.goto(served.url + "papers.html")
    href = page.locator("main a[href^='papers/']", has_text=lines[index - 2].strip()[:40]).first.get_attribute("href")
    other = page.context.new_page()
    other.goto(served.url + "about.html")
    other.locator("main").wait_for()
    other.evaluate("window.notReloaded = true")

    page.goto(served.url + href)
    page.locator("main").wait_for()
    builds = build_number(served.url)
    lines[index] += " The open page shows this added sentence."
    seed.write_text("\n".join(lines), encoding="utf-8")
    page.get_by_text("The open page shows this added sentence.").wait_for(timeout=BUILD_TIMEOUT_MS)

    deadline = time.monotonic() + BUILD_TIMEOUT_MS / 1000
    while build_number(served.url) < builds + 2:  # the page shown first, then the whole site
        assert time.monotonic() < deadline, served.log.read_text()
        time.sleep(0.1)
    assert other.evaluate("window.notReloaded === true"), "the about page was reloaded though the edit left it alone"
    assert "open page(s) shown in" in served.log.read_text()


def test_without_event_source_a_page_polls_and_reloads_only_when_an_edit_changed_it(served: Served, page) -> None:
    """The fallback for browsers without EventSource: each page polls with the build it has
    (?since=) and reloads only if a build since then changed it."""
    page.context.add_init_script("delete window.EventSource;")
    other = page.context.new_page()
    other.goto(served.url + "about.html")
    other.locator("main").wait_for()
    other.evaluate("window.notReloaded = true")
    page.goto(served.url + "topics/quantization.html")
    page.locator("main").wait_for()
    assert page.evaluate("typeof window.EventSource") == "undefined"
    builds = build_number(served.url)

    topic = served.root / "content/topics/quantization.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nPolled reload marker.\n", encoding="utf-8")
    page.get_by_text("Polled reload marker.").wait_for(timeout=BUILD_TIMEOUT_MS)
    assert build_number(served.url) == builds + 1  # no stream named the page: nothing was shown first
    page.wait_for_timeout(1500)  # several polls of the about page
    assert other.evaluate("window.notReloaded === true"), "the about page was reloaded though the edit left it alone"
    assert "open page(s) shown in" not in served.log.read_text()
