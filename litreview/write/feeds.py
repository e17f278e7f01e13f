"""Atom feed, sitemap and robots.txt: how readers and crawlers find new papers.

Built with ElementTree, never by pasting data into strings, so any title
comes out as well-formed, escaped XML.

URLs. With a base URL (content/site.yml `base_url`, or derived on GitHub
Actions from GITHUB_REPOSITORY as https://<owner>.github.io/<repo>/), every
link in the feed is absolute and sitemap.xml lists every page. Without one,
feed links are relative (readers resolve them against the feed's own URL,
and feed.xml sits at the site root) and sitemap.xml is not written, since
the sitemap protocol requires absolute URLs; robots.txt then has no
Sitemap line. Only http(s) base URLs are used.

Entry ids are `urn:uuid:` UUIDv5 of the paper id: stable forever, and
independent of where the site is hosted, so moving it never duplicates
entries in readers.
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from urllib.parse import quote

from litreview.model import Paper, Site
from litreview.utils.urls import is_web_url

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ID_NAMESPACE = uuid.UUID("8f5b8a46-2d4e-5c1b-9a53-6c6974726576")  # fixed: litreview's own namespace
NOT_IN_SITEMAP = frozenset({"404.html"})
# Characters XML 1.0 cannot hold at all, even escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str | None) -> str:
    """Text safe for XML 1.0: characters XML forbids are dropped (ElementTree escapes the rest)."""
    return _XML_INVALID.sub("", text or "")


def base_url(site: Site, environ: dict[str, str] | None = None) -> str | None:
    """The deployed site's absolute URL, ending in '/'; None when it is not known.

    content/site.yml wins; on GitHub Actions the Pages URL is derived from
    GITHUB_REPOSITORY (github.com only; a custom domain or GitHub Enterprise
    needs base_url set explicitly).
    """
    env = os.environ if environ is None else environ
    configured = site.config.base_url
    if is_web_url(configured):
        return configured.strip().rstrip("/") + "/"
    repository = env.get("GITHUB_REPOSITORY", "")
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    on_github = env.get("GITHUB_ACTIONS") == "true" and server == "https://github.com"
    if on_github and re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
        owner, name = repository.split("/")
        host = f"{owner.lower()}.github.io"
        return f"https://{host}/" if name.lower() == host else f"https://{host}/{quote(name)}/"
    return None


def page_url(path: str, base: str | None) -> str:
    """A site file's URL: absolute under base, else relative to the site root."""
    return f"{base}{path}" if base else path


def paper_path(paper: Paper) -> str:
    return f"papers/{paper.id}.html"


def entry_id(paper: Paper) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'paper:' + paper.id)}"


def newest(papers: Iterable[Paper], count: int = FEED_SIZE) -> list[Paper]:
    """The newest papers: by added date descending, then id (a stable order for ties)."""
    dated = sorted(papers, key=lambda p: p.id)
    dated.sort(key=lambda p: p.added or "", reverse=True)
    return dated[:count]


def atom_time(day: str | None) -> str:
    """RFC 3339 timestamp for an ISO date (midnight UTC)."""
    return f"{day or '1970-01-01'}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(site: Site, base: str | None) -> str:
    """feed.xml: the newest FEED_SIZE papers as an Atom 1.0 feed."""
    entries = newest(site.papers)
    config = site.config
    topic_titles = {topic.slug: xml_text(topic.title) for topic in site.topics}
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language or "en"})
    _sub(feed, "title", config.title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    feed_key = base or (config.repo_url if is_web_url(config.repo_url) else None) or config.title
    _sub(feed, "id", f"{base}feed.xml" if base else f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'feed:' + feed_key)}")
    _sub(feed, "updated", atom_time(max((p.added or "" for p in entries), default="") or None))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=page_url("feed.xml", base))
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url("index.html", base))
    author = _sub(feed, "author")
    _sub(author, "name", config.author or config.title)
    _sub(feed, "generator", "litreview")
    for paper in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(paper))
        _sub(entry, "title", paper.title)
        _sub(entry, "updated", atom_time(paper.added))
        for name in paper.authors:
            if name != "others":
                _sub(_sub(entry, "author"), "name", name)
        _sub(entry, "link", rel="alternate", type="text/html", href=page_url(paper_path(paper), base))
        for url in paper.code_links:
            if is_web_url(url):
                _sub(entry, "link", rel="related", href=url)
        for slug in paper.topic_slugs:
            _sub(entry, "category", term=slug, label=topic_titles.get(slug, slug))
        _sub(entry, "summary", paper.tldr or paper.abstract)
    ET.indent(feed, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def html_pages(site: Site) -> list[str]:
    """Every HTML page the site has, from the model (used when the rendered files are not given)."""
    from litreview.write.pagination import listing_pages, papers_page_path, tag_page_path
    from litreview.write.review import review_page_count, review_stem

    pages = ["index.html", "search.html", *listing_pages(len(site.papers), papers_page_path)]
    pages += [f"{page.slug}.html" for page in site.pages]
    pages += [f"topics/{review_stem(t.slug, n)}.html" for t in site.topics for n in range(1, review_page_count(t) + 1)]
    for tag in site.tags:
        pages += listing_pages(len(tag.papers), lambda n, slug=tag.slug: tag_page_path(slug, n))
    pages += [paper_path(paper) for paper in site.papers]
    return pages


def sitemap(pages: Iterable[str], base: str) -> str:
    """sitemap.xml: every HTML page (but 404.html) as an absolute URL, sorted."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(set(pages) - NOT_IN_SITEMAP):
        url = _sub(root, "url")
        _sub(url, "loc", base + quote(path))
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots(base: str | None) -> str:
    """robots.txt: allow everything, and point at the sitemap when there is one.

    Crawlers read robots.txt only at a host's root; under a project subpath
    it is harmless, and correct once the site has its own domain.
    """
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines += ["", f"Sitemap: {base}sitemap.xml"]
    return "\n".join(lines) + "\n"


def feed_files(site: Site, pages: Iterable[str] | None = None) -> dict[str, str]:
    """feed.xml, robots.txt and (with a base URL) sitemap.xml.

    `pages` are the rendered files' paths (the .html ones are listed in the
    sitemap); without them the page list is derived from the model.
    """
    base = base_url(site)
    html = [p for p in pages if p.endswith(".html")] if pages is not None else html_pages(site)
    redirects = {f"papers/{alias}.html" for paper in site.papers for alias in paper.aliases}
    if redirects:  # an old address that only redirects is not a page of its own
        html = [p for p in html if p not in redirects]
    files = {"feed.xml": atom_feed(site, base), "robots.txt": robots(base)}
    if base:
        files["sitemap.xml"] = sitemap(html, base)
    return files
