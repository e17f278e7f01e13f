"""Shared Playwright fixtures for browser tests (real Debian Chromium).

- `built_site`: the fixture corpus (tests/data/corpus) built once per session into a temp dir
  (or LITREVIEW_TEST_SITE, an existing build).
- `site_server`: a static HTTP server that serves that build under /repo/,
  like a GitHub Pages project site (and 404.html for missing paths).
- `browser`: headless /usr/bin/chromium.
- `open_page`: opens a site path over "http" or "file" at a given viewport
  and colour scheme, collecting console errors, page errors, failed requests
  and CSP violations into a `Visit`.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import CONTENT, SEEDS, require_tool

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SUBPATH = "/repo/"
SCREENSHOTS = PROJECT / "tests" / "screenshots"
AXE = PROJECT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}

# Records CSP violations from inside the page: init scripts run through the
# DevTools protocol, so the page's own CSP does not block this listener.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    ' at ' + (e.sourceFile || '') + ':' + (e.lineNumber || 0));
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ is a browser test."""
    for item in items:
        if "/tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the fixture corpus (tests/data/corpus), built once.

    LITREVIEW_TEST_SITE=DIR tests an existing build instead (e.g. CI's site/).
    """
    prebuilt = os.environ.get("LITREVIEW_TEST_SITE")
    if prebuilt:
        return Path(prebuilt).resolve()
    from litreview.engine.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("browser") / "site"
    build(BuildOptions(seeds=SEEDS, content=CONTENT, out=out, cache=None))
    return out


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, str]:
    """Sample pages to test: home, the first topic and the paper page with the most content."""
    topics = sorted((built_site / "topics").glob("*.html"))
    papers = sorted((built_site / "papers").glob("*.html"))
    assert topics and papers, f"the build in {built_site} has no topic or no paper pages"
    richest = max(papers, key=lambda p: (p.stat().st_size, p.name))
    return {"home": "index.html", "topic": f"topics/{topics[0].name}", "paper": f"papers/{richest.name}"}


@pytest.fixture(scope="session")
def axe_path() -> Path:
    require_tool(AXE.is_file(), f"axe-core ({AXE}: cd tests && npm install)")
    return AXE


class _SubpathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under SUBPATH only, with 404.html for anything missing."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_subpath__")
        return super().translate_path("/" + clean[len(SUBPATH) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass


@dataclass
class SiteServer:
    root: Path
    base_url: str  # ends with /repo/


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    handler = functools.partial(_SubpathHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(built_site, f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    require_tool(Path(CHROMIUM).exists(), CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Visit:
    """One page load and everything that went wrong during it."""

    page: object  # playwright Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        found = self.page.evaluate("window.__cspViolations || []")
        return list(found) + [e for e in self.console_errors if "Content Security Policy" in e]

    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed_requests + self.csp_violations()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def type_and_wait_for_suggestions(page, query: str, *, fill: bool = False) -> None:
    """Types query into the header's search box (or fills it) and waits for the suggestions of
    the whole query: each keystroke renders its own, and on a busy machine the first to show
    is a prefix's (whose titles may not contain the word, so no mark)."""
    if fill:
        page.locator("#site-search-input").fill(query)
    else:
        page.keyboard.type(query)
    page.wait_for_selector(f'.search-suggest-more[href$="?q={quote(query, safe="")}"]')


def site_url(server: SiteServer, transport: str, path: str) -> str:
    if transport == "http":
        return server.base_url + path
    if transport == "file":
        return (server.root / path.split("?", 1)[0].split("#", 1)[0]).as_uri() + path[
            len(path.split("?", 1)[0].split("#", 1)[0]) :
        ]
    raise ValueError(transport)


@pytest.fixture
def open_page(browser, site_server: SiteServer) -> Iterator[Callable[..., Visit]]:
    """open_page(path, transport="http", viewport="desktop", color_scheme="light", bypass_csp=False) -> Visit."""
    contexts = []

    def _open(
        path: str,
        transport: str = "http",
        viewport: str = "desktop",
        color_scheme: str = "light",
        bypass_csp: bool = False,
    ) -> Visit:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], color_scheme=color_scheme, bypass_csp=bypass_csp, reduced_motion="reduce"
        )
        contexts.append(context)
        context.add_init_script(CSP_PROBE)
        page = context.new_page()
        url = site_url(site_server, transport, path)
        visit = Visit(page, url)
        page.on("console", lambda msg: visit.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
        page.on("requestfailed", lambda req: visit.failed_requests.append(f"{req.url}: {req.failure}"))
        page.on(
            "response",
            lambda resp: (
                visit.failed_requests.append(f"{resp.url}: HTTP {resp.status}") if resp.status >= 400 else None
            ),
        )
        page.emulate_media(color_scheme=color_scheme)
        page.goto(url, wait_until="load")
        return visit

    yield _open
    for context in contexts:
        context.close()
