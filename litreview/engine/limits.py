"""Limits that keep a page usable; exceeding one is bad input with a clear way out."""

from __future__ import annotations

from litreview.errors import ErrorCollector, InputError
from litreview.model import Site

# A topic's review lists its papers in full; beyond this a page is too large
# to load on a phone (roughly 2 KB of HTML per paper). Tag pages and the
# all-papers table are split into pages instead (write/pagination.py).
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
