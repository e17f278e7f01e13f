"""Test helper: write entries out in any scraped-listing layout.

The round-trip tests check parse(render(entries)) == entries for every
layout; the `add` command has its own writer, which only appends.
"""

from __future__ import annotations

from collections.abc import Iterable

from litreview.model import SeedEntry

LAYOUTS = ("paragraphs", "compact", "metadata")
HEADER = [
    "new",
    "",
    "Get trending papers in your email inbox!",
    "",
    "Subscribe",
    "",
    "byAK and the research community",
    "",
    "Jul 4",
    "",
]


def metadata_lines(entry: SeedEntry) -> list[str]:
    """Author count or organisation, "·", date (+ upvotes), as the scraper writes them."""
    if entry.authors_count is None and not entry.organisation and not entry.date:
        return []
    lines = []
    if entry.authors_count is not None:
        lines.append(f"  • {entry.authors_count} authors")
    elif entry.organisation:
        lines.append(entry.organisation)
    lines.append("·")
    if entry.date:
        lines.append(f"{entry.date} {entry.upvotes}" if entry.upvotes is not None else entry.date)
    return lines


def render_seed(entries: Iterable[SeedEntry], layout: str = "paragraphs", header: bool = True) -> str:
    """Render entries as a seed file in the given layout."""
    entries = list(entries)
    if layout == "compact":
        lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
        for i, entry in enumerate(entries):
            title = ("Subscribe" + entry.title) if i == 0 and header else entry.title
            lines += [title, entry.abstract]
        if not header:
            lines = lines[2:]
        return "\n".join(lines) + "\n"
    lines = list(HEADER) if header else []
    for entry in entries:
        lines += [entry.title, "", entry.abstract, ""]
        if layout == "metadata":
            lines += [*metadata_lines(entry), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
