"""Check internal links of a rendered site in memory, before anything is written.

`check` renders every page without writing and runs this over the result,
so a broken link in a topic intro or a template is reported in review with
the content file and line it came from, when it can be traced.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "form": "action"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # output path of the page holding the link
    url: str  # the link as written
    target: str  # the output path it resolves to

    def message(self) -> str:
        return f"broken link to {self.url!r} on {self.page}: {self.target} is not part of the site"


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = LINK_ATTRS.get(tag)
        if attr:
            for name, value in attrs:
                if name == attr and value:
                    self.urls.append(value.strip())


def page_links(html: str) -> list[str]:
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return parser.urls


def resolve(page: str, url: str) -> str | None:
    """The output path a relative link points at, or None for external/fragment links."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    if parts.path.startswith("/"):
        return parts.path  # root-absolute: always broken from disk and under a subpath
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    return joined


def find_broken_links(files: dict[str, str | bytes], static_files: set[str]) -> list[BrokenLink]:
    """Every internal link of every HTML page that names no file of the site."""
    existing = set(files) | static_files
    broken = []
    for page in sorted(files):
        if not page.endswith(".html"):
            continue
        html = files[page]
        text = html.decode("utf-8") if isinstance(html, bytes) else html
        for url in page_links(text):
            target = resolve(page, url)
            if target is None:
                continue
            if target.startswith("/") or target.startswith("..") or target not in existing:
                broken.append(BrokenLink(page, url, target))
    return broken


def static_listing(static_dir: Path, prefix: str = "static") -> set[str]:
    if not static_dir.is_dir():
        return set()
    return {f"{prefix}/{p.relative_to(static_dir).as_posix()}" for p in static_dir.rglob("*") if p.is_file()}


def locate_in_content(url: str, content_dir: Path) -> tuple[str, int] | None:
    """The content file and line where a link was written, if it was written by a human."""
    if not content_dir.is_dir():
        return None
    for path in sorted(content_dir.rglob("*.md")) + sorted(content_dir.rglob("*.yml")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if f"({url})" in line or f'"{url}"' in line or f"'{url}'" in line:
                return str(path), number
    return None
