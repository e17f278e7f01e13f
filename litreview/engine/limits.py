"""Limits that keep a page usable; exceeding one is bad input with a clear way out."""

from __future__ import annotations

from litreview.errors import ErrorCollector, InputError
from litreview.model import Site

# One topic or tag page lists its papers in full; beyond this a page is too
# large to load on a phone (roughly 2 KB of HTML per paper).
MAX_PAPERS_PER_PAGE = 5000


def check_page_limits(site: Site, errors: ErrorCollector, limit: int = MAX_PAPERS_PER_PAGE) -> None:
    for topic in site.topics:
        if len(topic.papers) > limit:
            errors.add(
                InputError(
                    topic.path,
                    1,
                    f"topic '{topic.slug}' holds {len(topic.papers):,} papers, more than the {limit:,} one page can list",
                    "split it into narrower topics, or tighten its rules (min_score, exclude)",
                )
            )
    for tag in site.tags:
        if len(tag.papers) > limit:
            errors.add(
                InputError(
                    "content/tags.yml",
                    None,
                    f"tag '{tag.slug}' is on {len(tag.papers):,} papers, more than the {limit:,} one page can list",
                    "make the tag more specific (more precise terms, a higher min_score)",
                )
            )
