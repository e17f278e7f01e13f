"""Seed readers: turn scraped listings into title/abstract entries.

Scrapers produce several layouts, and new ones appear as files are added by
pull request, so the layout is detected from the text, never the file name:

* ``paragraphs``: title, blank line, abstract, blank line, ...
* ``compact``: one line per title and per abstract, no blank lines, often
  with the first title glued to the page's "Subscribe" button text.
* either of the above with metadata after an entry: an author count
  ("  • 7 authors") or an organisation line, a "·" line and a date line
  ("Jun 28, 2023", "Mar 5", "Aug 22, 2024 2" where 2 is the upvote count).

Page chrome ("new", "Subscribe", "Daily Papers", a page date such as "Jul 4")
is dropped. Line endings, a byte-order mark, non-breaking spaces, tabs and
runs of spaces change nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from litreview.errors import InputError
from litreview.model import SeedEntry, Source

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = 100_000

HEADER_LINES = frozenset(
    {
        "new",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
    }
)
SUBSCRIBE = "Subscribe"
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DATE_RE = re.compile(rf"^(?P<date>(?:{MONTHS}) \d{{1,2}}(?:, (?P<year>\d{{4}}))?)(?: (?P<upvotes>\d+))?$")
AUTHORS_RE = re.compile(r"^[•·\-*] ?(?P<n>\d+) authors?$")
DOT = "·"
# Characters that are whitespace to a reader but not to str.split().
SPACE_LIKE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
MULTI_SPACE = re.compile(r" {2,}")

# A title is a heading, an abstract is prose. These shapes only decide
# which of two readings is right when a file goes wrong; the layout itself
# decides what is a title.
TITLE_MAX_CHARS = 400


@dataclass
class Line:
    number: int
    text: str


@dataclass
class Block:
    """A title or abstract candidate: one or more joined lines."""

    line: int
    text: str


@dataclass
class ParsedSeed:
    path: str
    layout: str
    entries: list[SeedEntry]


def read_seed_file(path: Path, display: str | None = None) -> ParsedSeed:
    """Read and parse one seed file; raises InputError on bad input."""
    display = display or str(path)
    return parse_seed_bytes(read_seed_bytes(path, display), display)


def read_seed_bytes(path: Path, display: str) -> bytes:
    """A seed file's bytes, any format; InputError when it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                display,
                None,
                f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} byte limit",
                "split it into several seed files",
            )
        return path.read_bytes()
    except OSError as exc:
        raise InputError(display, None, f"cannot read file: {exc.strerror}") from None


def parse_seed_bytes(data: bytes, path: str) -> ParsedSeed:
    text = decode(data, path)
    return parse_seed_text(text, path)


def decode(data: bytes, path: str) -> str:
    """UTF-8 decode with errors that name the line, column and byte."""
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            path,
            line,
            f"binary file: NUL byte at offset {nul}",
            "seed files are plain UTF-8 text listings; remove this file or export it as text",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        raise InputError(
            path,
            line,
            f"not valid UTF-8: byte 0x{byte:02x} at column {col}",
            "re-save the file as UTF-8 (for example: iconv -f latin1 -t utf-8)",
        ) from None
    return text.removeprefix("\ufeff")


def clean_line(raw: str) -> str:
    """Normalise whitespace so CRLF, NBSP, tabs and trailing spaces change nothing.

    Each pattern runs only where it can match (an ASCII line without a tab has no
    space-like character; most lines have no double space): scanning every line twice
    was a third of reading 10,000 papers."""
    text = raw if raw.isascii() and "\t" not in raw else SPACE_LIKE.sub(" ", raw)
    if "  " in text:
        text = MULTI_SPACE.sub(" ", text)
    return text.strip()


def split_lines(text: str, path: str) -> list[Line]:
    lines = []
    # splitlines() also splits on \x0b, \x1c, \u2028...: keep only real line ends.
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if len(raw) > MAX_LINE_CHARS:
            raise InputError(
                path,
                number,
                f"line is {len(raw):,} characters, more than the {MAX_LINE_CHARS:,} limit",
                "a seed line holds one title or one abstract; check the file was not mangled",
            )
        lines.append(Line(number, clean_line(raw)))
    return lines


def is_header(text: str) -> bool:
    return text.casefold() in HEADER_LINES


def parse_seed_text(text: str, path: str) -> ParsedSeed:
    """Parse the text of one seed file into entries, detecting its layout."""
    lines = split_lines(text, path)
    if not any(line.text for line in lines):
        raise InputError(path, None, "empty file: no papers found", "add title and abstract lines, or delete the file")

    body = strip_page_chrome(lines)
    if not any(line.text for line in body):
        raise InputError(
            path,
            1,
            "file holds only a page header, no papers",
            "paste the listing below the header: a title line, then its abstract",
        )

    items, metadata = separate_metadata(body)
    has_blank_lines = any(not line.text for line in _inner(body))
    layout = "paragraphs" if has_blank_lines else "compact"
    blocks = group_blocks(items, paragraphs=has_blank_lines)
    if metadata:
        layout += "+metadata"
    if not blocks:
        first = next(line for line in body if line.text)
        raise InputError(
            path,
            first.number,
            "no papers found: the file holds only metadata lines (author counts, '·', dates)",
            "each paper needs a title line and an abstract",
        )
    entries = pair_blocks(blocks, metadata, path, layout)
    return ParsedSeed(path=path, layout=layout, entries=entries)


def _inner(lines: list[Line]) -> list[Line]:
    """Lines between the first and last non-blank line."""
    idx = [i for i, line in enumerate(lines) if line.text]
    return lines[idx[0] : idx[-1] + 1] if idx else []


def strip_page_chrome(lines: list[Line]) -> list[Line]:
    """Drop page headers anywhere and page dates inside a header run.

    A header run starts with a known header line; the date lines inside it
    ("Jul 4") are the page's date, not a paper's. When the page's
    "Subscribe" button text is not on a line of its own, it is glued to the
    first title ("SubscribeScaling LLM Inference ...", "SubscribeiDisc: ...").
    """
    out: list[Line] = []
    in_header = False
    seen_content = False
    subscribe_line = False
    for line in lines:
        text = line.text
        if not text:
            out.append(line)
            continue
        if is_header(text):
            in_header = True
            subscribe_line = subscribe_line or text == SUBSCRIBE
            out.append(Line(line.number, ""))
            continue
        if in_header and DATE_RE.match(text):
            out.append(Line(line.number, ""))
            continue
        glue_possible = in_header and not seen_content and not subscribe_line
        if glue_possible and text.startswith(SUBSCRIBE) and len(text) > len(SUBSCRIBE):
            text = text[len(SUBSCRIBE) :].lstrip()
        in_header = False
        seen_content = True
        out.append(Line(line.number, text))
    return out


@dataclass
class Metadata:
    """What the metadata lines after an entry say."""

    line: int
    authors_count: int | None = None
    organisation: str | None = None
    date: str | None = None
    year: int | None = None
    upvotes: int | None = None


def separate_metadata(lines: list[Line]) -> tuple[list[Line], dict[int, Metadata]]:
    """Split lines into content lines and metadata groups.

    Metadata is an author-count line or an organisation line, then "·", then
    a date. Each group is keyed by the index of the content line it follows,
    so it attaches to the entry that line belongs to. Metadata lines become
    blank lines in the content, keeping paragraph boundaries intact.
    """
    nonblank = [i for i, line in enumerate(lines) if line.text]
    next_nonblank = {a: b for a, b in zip(nonblank, nonblank[1:])}
    content: list[Line] = []
    groups: dict[int, Metadata] = {}
    current: Metadata | None = None
    for i, line in enumerate(lines):
        text = line.text
        if not text:
            content.append(line)
            continue
        following = lines[next_nonblank[i]].text if i in next_nonblank else None
        kind = None
        if text == DOT:
            kind = "dot"
        elif m := AUTHORS_RE.match(text):
            kind = "authors"
        elif DATE_RE.match(text):
            kind = "date"
        elif following == DOT and current is None:
            kind = "organisation"
        if kind is None:
            current = None
            content.append(line)
            continue
        if current is None:
            anchor = max((j for j, c in enumerate(content) if c.text), default=-1)
            current = groups.setdefault(anchor, Metadata(line.number))
        if kind == "authors":
            current.authors_count = int(m.group("n"))  # type: ignore[union-attr]
        elif kind == "organisation":
            current.organisation = text
        elif kind == "date":
            dm = DATE_RE.match(text)
            assert dm is not None
            current.date = dm.group("date")
            current.year = int(dm.group("year")) if dm.group("year") else None
            current.upvotes = int(dm.group("upvotes")) if dm.group("upvotes") else None
            current = None  # a date closes the group
        content.append(Line(line.number, ""))
    return content, groups


def group_blocks(lines: list[Line], paragraphs: bool) -> list[tuple[Block, int]]:
    """Group content lines into blocks, each with the index of its last line.

    In the paragraphs layout, consecutive lines are one block (a wrapped
    abstract); in the compact layout each line is its own block.
    """
    blocks: list[tuple[Block, int]] = []
    current: list[tuple[int, Line]] = []

    def flush() -> None:
        if current:
            text = " ".join(line.text for _, line in current)
            blocks.append((Block(current[0][1].number, text), current[-1][0]))
            current.clear()

    for i, line in enumerate(lines):
        if not line.text:
            flush()
            continue
        current.append((i, line))
        if not paragraphs:
            flush()
    flush()
    return blocks


def looks_like_abstract(text: str) -> bool:
    """Prose: long, or several sentences."""
    sentences = len(re.findall(r"[.!?](?:\s|$)", text))
    return len(text) > TITLE_MAX_CHARS or (sentences >= 2 and len(text) > 120)


def looks_like_title(text: str) -> bool:
    return not looks_like_abstract(text)


def pair_blocks(
    blocks: list[tuple[Block, int]], metadata: dict[int, Metadata], path: str, layout: str
) -> list[SeedEntry]:
    """Pair blocks as title, abstract, title, abstract... and check the shape."""
    if len(blocks) == 1 and looks_like_title(blocks[0][0].text):
        title = blocks[0][0]
        raise InputError(
            path, title.line, f"title {_quote(title.text)} has no abstract", "add its abstract on the next line"
        )
    if not any(looks_like_abstract(b.text) for b, _ in blocks):
        first = blocks[0][0]
        raise InputError(
            path,
            first.line,
            f"unknown layout: found {len(blocks)} short line(s) but no abstract",
            "a seed file lists a title line followed by its abstract (a paragraph of prose) for each paper",
        )
    if looks_like_abstract(blocks[0][0].text) and not (len(blocks) > 1 and looks_like_abstract(blocks[1][0].text)):
        b = blocks[0][0]
        raise InputError(
            path,
            b.line,
            "expected a title but found an abstract (the file starts with prose)",
            "add the paper's title on the line above its abstract",
        )

    entries: list[SeedEntry] = []
    i = 0
    while i < len(blocks):
        title, _ = blocks[i]
        if i + 1 >= len(blocks):
            raise InputError(
                path,
                title.line,
                f"title {_quote(title.text)} has no abstract",
                "add its abstract on the next line, or remove the title",
            )
        abstract, last_index = blocks[i + 1]
        # A missing abstract shifts every later pair: the "abstract" is the
        # next title and the next "title" is prose.
        if (
            looks_like_title(abstract.text)
            and i + 2 < len(blocks)
            and looks_like_abstract(blocks[i + 2][0].text)
            and not looks_like_abstract(title.text)
        ):
            raise InputError(
                path,
                title.line,
                f"title {_quote(title.text)} has no abstract (the next line, {abstract.line}, looks like another title)",
                "add the abstract below the title, or remove the title",
            )
        if looks_like_abstract(title.text) and not looks_like_abstract(abstract.text):
            raise InputError(
                path,
                title.line,
                "expected a title but found an abstract",
                f"is the title above line {title.line} missing?",
            )
        meta = metadata.get(last_index)  # the group that follows the abstract
        entries.append(
            SeedEntry(
                title=title.text,
                abstract=abstract.text,
                source=Source(path, title.line),
                abstract_line=abstract.line,
                authors_count=meta.authors_count if meta else None,
                organisation=meta.organisation if meta else None,
                date=meta.date if meta else None,
                year=meta.year if meta else None,
                upvotes=meta.upvotes if meta else None,
            )
        )
        i += 2
    return entries


def _quote(text: str, limit: int = 60) -> str:
    short = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{short}"'


@functools.lru_cache(maxsize=1 << 17)
def normalise_title(title: str) -> str:
    """The de-duplication key: case, accents, punctuation and spacing ignored. Memoised: a
    title is keyed again by the catalogue after every edit in serve, and by git history."""
    if title.isascii():  # most titles: no normal form or accent changes ASCII, and casefold() is lower()
        text = title.lower()
    else:
        text = unicodedata.normalize("NFKC", title).casefold()
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


_NOT_WORD = re.compile(r"[^\w]+")
