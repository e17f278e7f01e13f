"""The link crawl: every internal link and asset of a full site resolves, three ways.

The site of the fixture corpus (tests/data/corpus) is built once per module into <tmp>/repo/, then checked
(a) on disk: every relative href/src names an existing file (not a folder),
    and every #fragment names an id on its target page;
(b) over HTTP under a subpath, like GitHub Pages' /<repo>/: the parent of
    repo/ is served and every internal link of every page must answer 200
    (redirects count as broken: a link must name the file itself);
(c) from file://: links resolve against file:// page URLs, and none starts
    with "/" (root-absolute links break from disk and under a subpath).
The checkers are themselves tested on a small hand-made site with known faults.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import posixpath
import re
import shutil
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

import pytest
from helpers import CONTENT, SEEDS

from litreview.engine.pipeline import PROJECT_ROOT, BuildOptions, build

SITE_FOLDER = "repo"  # served as /repo/, like a GitHub Pages project site
LINK_ATTRS = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "form": ("action",),
}
EXTERNAL_SCHEMES = ("http", "https", "mailto")
CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)")


@dataclass(frozen=True)
class Link:
    tag: str
    attr: str
    url: str


class PageParser(HTMLParser):
    """Collects the links and the fragment targets (id, a name) of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attr in LINK_ATTRS.get(tag, ()):
            if attr in values:
                self.links.append(Link(tag, attr, (values[attr] or "").strip()))


@functools.cache
def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.is_file())


def classify(link: Link) -> str | None:
    """'internal', 'external', or a problem description."""
    url = link.url
    if url == "":
        return "empty link"
    if url.startswith("//"):
        return "protocol-relative link (breaks from file://)"
    if url.startswith("/"):
        return "root-absolute link (breaks from disk and under a subpath)"
    scheme = urlsplit(url).scheme.lower()
    if scheme in EXTERNAL_SCHEMES:
        return "external"
    if scheme == "data" and link.tag == "img":
        return "external"
    if scheme:
        return f"{scheme}: URL not allowed"
    return "internal"


def resolve_on_disk(root: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file a relative link names (None if it leaves the site), and its fragment."""
    without_fragment, fragment = urldefrag(url)
    path = unquote(urlsplit(without_fragment).path)
    page_dir = page.parent.relative_to(root).as_posix()
    if not path:
        return page, fragment
    joined = posixpath.normpath(posixpath.join(page_dir, path))
    if joined == ".." or joined.startswith("../"):
        return None, fragment
    return root / joined, fragment


def check_disk(root: Path) -> list[str]:
    """(a) Every internal link names an existing file; every fragment an existing id."""
    problems: list[str] = []
    for page in html_pages(root):
        name = page.relative_to(root).as_posix()
        for link in parse_page(page).links:
            kind = classify(link)
            if kind == "external":
                continue
            if kind != "internal":
                problems.append(f"{name}: <{link.tag} {link.attr}={link.url!r}>: {kind}")
                continue
            target, fragment = resolve_on_disk(root, page, link.url)
            if target is None:
                problems.append(f"{name}: {link.url!r} leaves the site")
            elif target.is_dir():
                problems.append(f"{name}: {link.url!r} names a folder, not a file")
            elif not target.is_file():
                problems.append(f"{name}: {link.url!r} missing ({link.tag} {link.attr})")
            elif fragment and target.suffix == ".html" and fragment not in parse_page(target).ids:
                problems.append(f"{name}: {link.url!r}: no id {fragment!r} on the target page")
    return problems


def check_file_urls(root: Path) -> list[str]:
    """(c) Links resolved like a browser does against file:// page URLs."""
    problems: list[str] = []
    for page in html_pages(root):
        name = page.relative_to(root).as_posix()
        page_uri = page.as_uri()
        for link in parse_page(page).links:
            if link.url.startswith("/"):
                problems.append(f"{name}: {link.url!r} starts with '/' (breaks from file://)")
                continue
            if classify(link) != "internal":
                continue
            target = urlsplit(urldefrag(urljoin(page_uri, link.url))[0])
            path = Path(url2pathname(unquote(target.path)))
            if target.scheme != "file" or not path.is_relative_to(root):
                problems.append(f"{name}: {link.url!r} resolves outside the site: {target.geturl()}")
            elif not path.is_file():
                problems.append(f"{name}: {link.url!r} -> {target.geturl()} is not a file")
    return problems


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (e.g. folder -> folder/) means the link did not name the file."""

    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[str]:
    """The parent of repo/ served on 127.0.0.1 (random port); yields the site's URL."""
    handler = functools.partial(QuietHandler, directory=str(built.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{built.name}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def http_status(opener: urllib.request.OpenerDirector, url: str, method: str = "HEAD") -> tuple[int, bytes]:
    try:
        with opener.open(urllib.request.Request(url, method=method), timeout=10) as response:
            return response.status, response.read() if method == "GET" else b""
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def check_http(root: Path, site_url: str) -> list[str]:
    """(b) Every page fetched over HTTP; every internal link must answer 200 itself."""
    opener = urllib.request.build_opener(NoRedirect)
    problems: list[str] = []
    statuses: dict[str, int] = {}
    for page in html_pages(root):
        name = page.relative_to(root).as_posix()
        page_url = urljoin(site_url, name)
        status, body = http_status(opener, page_url, "GET")
        if status != 200:
            problems.append(f"{page_url}: HTTP {status}")
            continue
        parser = PageParser()
        parser.feed(body.decode("utf-8"))
        for link in parser.links:
            kind = classify(link)
            if kind != "internal" and not (kind or "").startswith("root-absolute"):
                continue  # the disk check reports the rest
            target = urldefrag(urljoin(page_url, link.url))[0]
            if not target.startswith(site_url):
                problems.append(f"{name}: {link.url!r} -> {target} is outside the site")
                continue
            if target.endswith("/"):
                problems.append(f"{name}: {link.url!r} -> {target} names a folder, not a file")
                continue
            if target not in statuses:
                statuses[target] = http_status(opener, target)[0]
            if statuses[target] != 200:
                problems.append(f"{name}: {link.url!r} -> {target}: HTTP {statuses[target]}")
    return problems


def check_css(root: Path) -> list[str]:
    """url(...) references in stylesheets (fonts, images) exist and are relative."""
    problems: list[str] = []
    for css in sorted(root.rglob("*.css")):
        name = css.relative_to(root).as_posix()
        for match in CSS_URL_RE.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = match.group(2).strip()
            if not url or url.startswith(("data:", "#")):
                continue
            kind = classify(Link("css", "url", url))
            if kind == "external":
                problems.append(f"{name}: external url({url}) is blocked by the CSP")
            elif kind != "internal":
                problems.append(f"{name}: url({url}): {kind}")
            else:
                target, _ = resolve_on_disk(root, css, url)
                if target is None or not target.is_file():
                    problems.append(f"{name}: url({url}) missing")
    return problems


def report(problems: list[str]) -> str:
    """Every distinct problem once, with how many pages have it and the first of them."""
    groups: dict[str, list[str]] = {}
    for problem in problems:
        page, _, what = problem.partition(": ")
        groups.setdefault(what, []).append(page)
    lines = [f"{what}  [{len(pages)} page(s), e.g. {pages[0]}]" for what, pages in sorted(groups.items())]
    return f"{len(problems)} broken link(s), {len(groups)} distinct:\n" + "\n".join(lines)


# --- the site of the fixture corpus -------------------------------------------------------------


CI_ENV = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "owner/repo", "GITHUB_SERVER_URL": "https://github.com"}
CI_BASE = "https://owner.github.io/repo/"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> BuildOptions:
    """A snapshot of templates and static (others may be editing them), with the fixture corpus.

    The corpus seeds stay in place so "added" dates come from their git history.
    """
    snapshot = tmp_path_factory.mktemp("inputs")
    shutil.copytree(CONTENT, snapshot / "content")
    for name in ("templates", "static"):
        shutil.copytree(PROJECT_ROOT / name, snapshot / name)
    return BuildOptions(
        seeds=SEEDS,
        content=snapshot / "content",
        templates=snapshot / "templates",
        static=snapshot / "static",
        cache=None,
    )


def build_as_deployed(inputs: BuildOptions, out: Path) -> Path:
    """Build as the GitHub Pages deploy does (GITHUB_* set, no SOURCE_DATE_EPOCH)."""
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        for name, value in CI_ENV.items():
            env.setenv(name, value)
        build(dataclasses.replace(inputs, out=out))
    return out


@pytest.fixture(scope="module")
def built(inputs: BuildOptions, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture corpus's site, built once for the module into <tmp>/repo/."""
    return build_as_deployed(inputs, tmp_path_factory.mktemp("links") / SITE_FOLDER)


@pytest.fixture(scope="module")
def pages(built: Path) -> list[Path]:
    found = html_pages(built)
    assert found, "the build wrote no HTML pages"
    return found


def test_every_internal_link_and_asset_exists_on_disk(built: Path, pages: list[Path]) -> None:
    problems = check_disk(built)
    assert not problems, report(problems)


def test_every_internal_link_answers_200_over_http_under_a_subpath(built: Path, pages: list[Path], served: str) -> None:
    problems = check_http(built, served)
    assert not problems, report(problems)


def test_every_link_resolves_from_file_urls_and_none_is_root_absolute(built: Path, pages: list[Path]) -> None:
    problems = check_file_urls(built)
    assert not problems, report(problems)


def reachable_pages(root: Path, start: str = "index.html") -> set[str]:
    """Pages a reader (or a crawler) reaches by following links from the home page."""
    seen: set[Path] = set()
    todo = [root / start]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".html" or not page.is_file():
            continue
        seen.add(page)
        for link in parse_page(page).links:
            if classify(link) == "internal":
                target, _ = resolve_on_disk(root, page, link.url)
                if target is not None:
                    todo.append(target)
    return {p.relative_to(root).as_posix() for p in seen}


def test_every_page_is_reachable_from_the_home_page(built: Path, pages: list[Path]) -> None:
    orphans = {p.relative_to(built).as_posix() for p in pages} - reachable_pages(built) - {"404.html"}
    assert sorted(orphans) == []


def test_stylesheet_urls_exist(built: Path) -> None:
    problems = check_css(built)
    assert not problems, report(problems)


def site_file_for(url: str) -> str | None:
    """The site path an absolute URL under the deployed base names, else None."""
    return unquote(url.removeprefix(CI_BASE)) if url.startswith(CI_BASE) else None


def test_feed_links_name_built_files(built: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built / "feed.xml").getroot()
    internal = [link.get("href") or "" for link in feed.iter(f"{atom}link") if link.get("rel") != "related"]
    assert len(internal) >= 2 + min(50, len(json.loads((built / "papers.json").read_text(encoding="utf-8"))))
    missing = [href for href in internal if (path := site_file_for(href)) is None or not (built / path).is_file()]
    if not html_pages(built):  # pages not rendered yet: only check the non-HTML targets
        missing = [m for m in missing if not m.endswith(".html")]
    assert not missing, missing


def test_sitemap_lists_exactly_the_built_pages(built: Path) -> None:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.text or "" for e in ET.parse(built / "sitemap.xml").getroot().iter(f"{ns}loc")]
    assert (built / "robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {CI_BASE}sitemap.xml\n")
    listed = {site_file_for(loc) for loc in locs}
    assert listed == {p.relative_to(built).as_posix() for p in html_pages(built)} - {"404.html"}


def test_exports_link_only_to_built_pages(built: Path) -> None:
    records = json.loads((built / "papers.json").read_text(encoding="utf-8"))
    assert records, "papers.json is empty"
    if html_pages(built):
        assert [r["url"] for r in records if not (built / r["url"]).is_file()] == []
    assert all(r["permalink"] == CI_BASE + r["url"] for r in records)


def test_full_site_exports_agree_and_parse(built: Path) -> None:
    """papers.json, papers.csv and papers.bib of the full build list the same papers, and parse."""
    import csv

    from pybtex import errors as pybtex_errors
    from pybtex.database import parse_string

    ids = [r["id"] for r in json.loads((built / "papers.json").read_text(encoding="utf-8"))]
    with (built / "papers.csv").open(encoding="utf-8", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ids
    pybtex_errors.set_strict_mode(True)
    assert list(parse_string((built / "papers.bib").read_text(encoding="utf-8"), "bibtex").entries) == ids
    assert len(ids) == len(set(ids)) > 0


def test_two_builds_are_byte_identical(inputs: BuildOptions, built: Path, tmp_path: Path) -> None:
    """No wall clock anywhere: dates come from git history (or fixed fallbacks)."""
    again = build_as_deployed(inputs, tmp_path / SITE_FOLDER)

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = tree(built), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


# --- the checkers themselves, on a hand-made site with known faults ----------------


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    root = tmp_path / SITE_FOLDER
    (root / "papers").mkdir(parents=True)
    (root / "static").mkdir()
    (root / "static" / "site.css").write_text("a{background:url(../img/gone.png)} b{background:url('ok.css')}")
    (root / "static" / "ok.css").write_text("")
    (root / "index.html").write_text(
        '<html><body><main id="main">'
        '<a href="papers/a.html#top">ok</a> <a href="#main">ok</a> <a href="https://x.org">ext</a>'
        '<a href="papers/missing.html">missing</a> <a href="papers/">folder</a> <a href="/papers/a.html">root</a>'
        '<a href="papers/a.html#nope">no id</a> <a href="javascript:alert(1)">js</a> <a href="">empty</a>'
        '<link rel="stylesheet" href="static/site.css"><script src="static/gone.js"></script>'
        '<img src="data:image/png;base64,AA" alt=""><a href="../outside.html">out</a>'
        "</main></body></html>"
    )
    (root / "papers" / "a.html").write_text('<h1 id="top">A</h1><a href="../index.html?q=1">home</a>')
    return root


def test_disk_checker_reports_each_kind_of_fault(faulty: Path) -> None:
    problems = check_disk(faulty)
    assert len(problems) == 8, problems
    for needle in (
        "missing.html",
        "names a folder",
        "root-absolute",
        "no id 'nope'",
        "javascript: URL",
        "empty link",
        "gone.js",
        "leaves the site",
    ):
        assert any(needle in p for p in problems), needle


def test_file_url_checker_reports_root_absolute_and_missing(faulty: Path) -> None:
    problems = check_file_urls(faulty)
    assert any("'/papers/a.html' starts with '/'" in p for p in problems)
    assert any("missing.html" in p for p in problems) and any("gone.js" in p for p in problems)
    assert any("papers/'" in p for p in problems)  # a folder is not a file
    assert any("outside the site" in p for p in problems)


def test_http_checker_flags_missing_files_and_folder_redirects(faulty: Path) -> None:
    handler = functools.partial(QuietHandler, directory=str(faulty.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        problems = check_http(faulty, f"http://127.0.0.1:{server.server_address[1]}/{SITE_FOLDER}/")
    finally:
        server.shutdown()
        server.server_close()
    assert any("missing.html" in p and "HTTP 404" in p for p in problems), problems
    assert any("'papers/'" in p and "names a folder" in p for p in problems), problems
    assert any("gone.js" in p and "HTTP 404" in p for p in problems), problems
    assert any("'/papers/a.html'" in p and "outside the site" in p for p in problems), problems
    assert any("'../outside.html'" in p and "outside the site" in p for p in problems), problems
    assert not any("papers/a.html#top" in p for p in problems)


def test_reachability_follows_links_from_the_home_page(faulty: Path) -> None:
    (faulty / "papers" / "orphan.html").write_text("<p>nobody links here</p>")
    assert reachable_pages(faulty) == {"index.html", "papers/a.html"}


def test_css_checker_reports_missing_url(faulty: Path) -> None:
    assert check_css(faulty) == ["static/site.css: url(../img/gone.png) missing"]
