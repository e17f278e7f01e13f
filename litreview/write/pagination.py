"""Listings split into pages, so that no HTML page grows with the catalogue.

The all-papers table and each tag's page list at most PAGE_SIZE papers
(about 0.4 MB of HTML), in the order the model gives them (the catalogue's
order, which is stable from one build to the next). Page 1 keeps the
listing's address (papers.html, tags/<slug>.html); page n is
papers/page/<n>.html or tags/<slug>/<n>.html. Paper ids and tag slugs hold
no "/", so those folders never meet a paper page or a tag page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

PAGE_SIZE = 500


@dataclass
class Pager:
    """Where one page of a listing sits among the others; URLs are relative to this page."""

    number: int  # 1-based
    count: int
    total: int  # items in the whole listing
    links: list[tuple[int, str]] = field(default_factory=list)  # (page number, URL) of every page

    @property
    def prev(self) -> str | None:
        return self.links[self.number - 2][1] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.links[self.number][1] if self.number < self.count else None


def papers_page_path(number: int) -> str:
    return "papers.html" if number == 1 else f"papers/page/{number}.html"


def tag_page_path(slug: str, number: int) -> str:
    return f"tags/{slug}.html" if number == 1 else f"tags/{slug}/{number}.html"


def root_of(path: str) -> str:
    """The relative path from a page to the site root ("", "../", "../../")."""
    return "../" * path.count("/")


def relative(from_path: str, to_path: str) -> str:
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def paginate(items: list, path_of, size: int | None = None) -> list[tuple[str, list, Pager]]:
    """(page path, its items, its pager) for every page of a listing; one page when it fits (or is empty)."""
    size = size or PAGE_SIZE
    chunks = [items[start : start + size] for start in range(0, len(items), size)] or [[]]
    paths = [path_of(number) for number in range(1, len(chunks) + 1)]
    pages = []
    for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
        links = [(n, relative(path, other)) for n, other in enumerate(paths, start=1)]
        pages.append((path, chunk, Pager(number, len(chunks), len(items), links)))
    return pages


def listing_pages(count: int, path_of, size: int | None = None) -> list[str]:
    """The paths of a listing of `count` items (for the sitemap)."""
    size = size or PAGE_SIZE
    return [path_of(number) for number in range(1, max(1, -(-count // size)) + 1)]
