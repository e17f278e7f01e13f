"""Test helper: write entries out in any scraped-listing layout.

The round-trip tests check parse(render(entries)) == entries for every
layout, over `seed_entries()`; the `add` command has its own writer, which
only appends.
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import strategies as st

from litreview.model import SeedEntry, Source
from litreview.read.listings import DATE_RE, is_header, looks_like_abstract, normalise_title

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


# --- a strategy for entries any layout can hold (titles that cannot pass for chrome or abstracts) ---

WORD = st.text(
    alphabet=st.characters(categories=("L", "N"), include_characters="-'*_<>&[]^{}|`$%#"), min_size=1, max_size=12
)
TITLE = (
    st.lists(WORD, min_size=2, max_size=12)
    .map(" ".join)
    .filter(
        lambda t: (
            not is_header(t) and not DATE_RE.match(t) and not t.startswith("Subscribe") and not looks_like_abstract(t)
        )
    )
)
ABSTRACT_TEXT = (
    st.lists(st.lists(WORD, min_size=4, max_size=20).map(lambda ws: " ".join(ws) + "."), min_size=6, max_size=14)
    .map(" ".join)
    .filter(looks_like_abstract)
)


@st.composite
def seed_entries(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    titles = draw(st.lists(TITLE, min_size=n, max_size=n, unique_by=normalise_title))
    entries = []
    for _i, title in enumerate(titles):
        count = draw(st.one_of(st.none(), st.integers(1, 40)))
        year = draw(st.one_of(st.none(), st.integers(1990, 2030)))
        date = f"Mar {draw(st.integers(1, 28))}" + (f", {year}" if year else "")
        entries.append(
            SeedEntry(
                title=title,
                abstract=draw(ABSTRACT_TEXT),
                source=Source("p.txt", 0),
                abstract_line=0,
                authors_count=count if count is not None else None,
                organisation=None if count is not None else "Some Lab",
                date=date,
                year=year,
                upvotes=draw(st.one_of(st.none(), st.integers(1, 99))),
            )
        )
    return entries
