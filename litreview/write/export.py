"""Machine-readable exports of the catalogue: papers.json, papers.csv, papers.bib.

All three list every visible paper in catalogue order and are deterministic
(same input, same bytes). Paper URLs: papers.json's `url` is the page path
relative to the site root (where papers.json sits), plus `permalink` when
the site's base URL is known; papers.csv's `url` and papers.bib's `url` are
absolute when the base URL is known, else the relative path (CSV) or left
out (BibTeX). Only http(s) links are exported.

papers.csv is RFC 4180 (csv module, CRLF rows, UTF-8) with spreadsheet
formula injection neutralised: any cell starting with =, +, -, @, tab or CR
gets a leading apostrophe, so "=HYPERLINK(...)" is shown, never evaluated.

papers.bib never breaks BibTeX whatever a title holds: special characters
become LaTeX commands that use only balanced braces (BibTeX counts even
escaped braces, so `\\{` alone would unbalance an entry), and titles are
double-braced so styles keep their capitalisation.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import asdict
from typing import Protocol, runtime_checkable
from urllib.parse import quote

from litreview.model import Paper, Site
from litreview.utils.urls import is_web_url
from litreview.write.feeds import base_url

CSV_COLUMNS = (
    "id", "title", "year", "authors", "venue", "doi", "arxiv", "entry_type", "citation_key",
    "primary_topic", "topics", "tags", "code", "url", "abstract",
)  # fmt: skip
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


def http_links(urls: list[str]) -> list[str]:
    return [u for u in urls if is_web_url(u)]


def paper_record(paper: Paper) -> dict:
    """The JSON shape of one paper (parse --format json and papers.json)."""
    record = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "sources": [{"file": s.file, "line": s.line} for s in paper.sources],
        "url": f"papers/{paper.id}.html",
        "links": http_links(paper.links),
        "code": http_links(paper.code_links),
        "authors_count": paper.authors_count,
        "organisation": paper.organisation,
        "date": paper.date,
        "year": paper.year,
        "upvotes": paper.upvotes,
    }
    if paper.authors:
        record["authors"] = paper.authors
    for name in ("venue", "doi", "arxiv", "entry_type", "citation_key"):
        if getattr(paper, name):
            record[name] = getattr(paper, name)
    if paper.url and is_web_url(paper.url):
        record["paper_url"] = paper.url
    if paper.keywords:
        record["keywords"] = paper.keywords
    if paper.topics or paper.primary_topic:
        record["primary_topic"] = paper.primary_topic
        record["topics"] = paper.topic_slugs
        record["tags"] = paper.tag_slugs
    if paper.tldr:
        record["tldr"] = paper.tldr
    if paper.claims:
        # A range's lower end only where there is one: single numbers read as before.
        record["claims"] = [{k: v for k, v in asdict(c).items() if k != "low" or v is not None} for c in paper.claims]
    if paper.added:
        record["added"] = paper.added
    return record


def site_record(paper: Paper, base: str | None) -> dict:
    """papers.json's record: always with topics and tags (possibly empty), and a permalink when known."""
    record = paper_record(paper)
    record.setdefault("primary_topic", paper.primary_topic)
    record.setdefault("topics", paper.topic_slugs)
    record.setdefault("tags", paper.tag_slugs)
    if base:
        record["permalink"] = base + record["url"]
    return record


def papers_json(
    site: Site,
    base: str | None,
    encode: RecordEncoder | None = None,
    paper_json: PaperEncoder | None = None,
    memo: PapersMemo | None = None,
) -> str:
    """The records as one JSON array, indent 1: what json.dumps(records, indent=1) writes,
    made record by record (encode(record): the record's own indented JSON; paper_json(paper,
    base): a paper's, from the paper itself; the engine may memoise either) and SHARE
    records at a time (through memo)."""
    return "".join(papers_json_chunks(site, base, encode, paper_json, memo))


def papers_json_chunks(
    site: Site,
    base: str | None,
    encode: RecordEncoder | None = None,
    paper_json: PaperEncoder | None = None,
    memo: PapersMemo | None = None,
) -> Iterator[str]:
    """papers_json in pieces, a share at a time."""
    encode = encode or encode_record
    paper_json = paper_json or (lambda paper, base: encode(site_record(paper, base)))
    memo = memo or unmemoised
    if not site.papers:
        yield "[]\n"
        return

    def records(some: list[Paper]) -> str:
        # JSON strings escape newlines, so every line of a record is one line of the array.
        return ",\n ".join(paper_json(p, base).replace("\n", "\n ") for p in some)

    made = (memo("json-records", some, str(base), lambda some=some: records(some)) for some in shares(site.papers))
    yield from joined(made, ",\n ", "[\n ", "\n]\n")


def joined(parts: Iterable[str], separator: str, head: str = "", tail: str = "") -> Iterator[str]:
    """head + separator.join(parts) + tail, in pieces: each part as it is made."""
    yield head
    for n, part in enumerate(parts):
        if n:
            yield separator
        yield part
    yield tail


def shares(papers: list[Paper]) -> list[list[Paper]]:
    """The papers SHARE at a time, in order."""
    return [papers[start : start + SHARE] for start in range(0, len(papers), SHARE)]


def encode_record(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1)


# How some papers' share of an output file (a run of papers.csv's rows, a search piece) is made:
# compute(), or the engine's version memoised by the step's name, the papers and `extra` (whatever
# else the share reads, as text), so that after an edit only the shares of the edited papers are
# made again. A share of many papers keeps the look-ups few (at 10,000 papers, one per paper
# and output cost more than the shares they saved).
PapersMemo = Callable[[str, "list[Paper]", str, Callable[[], str]], str]
SHARE = 500  # papers per share of papers.csv


def unmemoised(step: str, papers: list[Paper], extra: str, compute: Callable[[], str]) -> str:
    return compute()


# How a record becomes indented JSON: encode_record, or the engine's memoised version of it.
RecordEncoder = Callable[[dict], str]
# How a paper becomes its record's indented JSON (site_record, then encode_record), or the engine's
# version memoised by the paper.
PaperEncoder = Callable[[Paper, "str | None"], str]


# --- CSV -----------------------------------------------------------------


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: formula triggers get a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def papers_csv(site: Site, base: str | None, memo: PapersMemo | None = None) -> str:
    """The header and one row per paper, made SHARE papers at a time (through memo)."""
    return "".join(papers_csv_chunks(site, base, memo))


def papers_csv_chunks(site: Site, base: str | None, memo: PapersMemo | None = None) -> Iterator[str]:
    """papers_csv in pieces, a share at a time."""
    memo = memo or unmemoised
    yield csv_line(CSV_COLUMNS)
    for some in shares(site.papers):
        yield memo("csv-rows", some, str(base), lambda some=some: "".join(csv_row(p, base) for p in some))


def csv_row(paper: Paper, base: str | None) -> str:
    """A paper's line of papers.csv."""
    return csv_line(csv_cells(paper, base, CSV_COLUMNS))


def csv_cells(paper: Paper, base: str | None, columns: tuple[str, ...], **instead: object) -> list[str]:
    """A paper's cells in these columns of CSV_COLUMNS (`instead`: other values for some),
    for papers.csv and for the search page's exported lists."""
    path = f"papers/{paper.id}.html"
    values = {
        "id": paper.id,
        "title": paper.title,
        "year": paper.year,
        "authors": LIST_SEPARATOR.join(paper.authors),
        "venue": paper.venue,
        "doi": paper.doi,
        "arxiv": paper.arxiv,
        "entry_type": paper.entry_type,
        "citation_key": paper.citation_key,
        "primary_topic": paper.primary_topic,
        "topics": LIST_SEPARATOR.join(paper.topic_slugs),
        "tags": LIST_SEPARATOR.join(paper.tag_slugs),
        "code": " ".join(http_links(paper.code_links)),
        "url": base + path if base else path,
        "abstract": paper.abstract,
        **instead,
    }
    return [csv_cell(values[name]) for name in columns]


def csv_line(cells: list[str] | tuple[str, ...]) -> str:
    """One RFC 4180 row, CRLF-terminated: what csv.writer writes for it."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(cells)
    return out.getvalue()


# --- BibTeX --------------------------------------------------------------

# Every replacement uses only balanced braces.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_RE = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def clean_text(text: str) -> str:
    """One line of printable text: control characters dropped, whitespace collapsed."""
    if not text.isprintable():  # rare: skip the per-character pass for ordinary text
        text = "".join(" " if c.isspace() else c for c in text if c.isspace() or unicodedata.category(c)[0] != "C")
    return " ".join(text.split())


def latex_escape(text: str) -> str:
    """Text as LaTeX that prints exactly as written and keeps BibTeX's braces balanced.

    Ligatures are broken with {} so that they read back as written: "--" is not a dash, "``" not a quote.
    """
    escaped = _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], clean_text(text))
    if "--" in escaped or "``" in escaped or "''" in escaped:
        escaped = re.sub(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')", "{}", escaped)
    return escaped


def bib_url(url: str) -> str:
    """A URL safe in a braced BibTeX field: characters that break BibTeX/LaTeX percent-encoded."""
    return quote(clean_text(url), safe=":/?#[]@!$&'()*+,;=%-._~")


def url_in_text(url: str) -> str:
    r"""\url{...} inside another field (note): % and # must be escaped there."""
    return r"\url{" + bib_url(url).replace("%", r"\%").replace("#", r"\#") + "}"


def bib_key(paper: Paper, keys: dict[str, int] | None = None) -> str:
    """The citation key: the paper's own when it is unique in the export, else the paper id."""
    own = paper.citation_key
    if own and re.fullmatch(r"[A-Za-z0-9_:.+/-]+", own) and (keys is None or keys.get(own.lower(), 0) == 1):
        return own
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", paper.id) or "paper"


def bib_author(name: str, group: bool = False) -> str:
    """One author; a group author, or a name containing ' and ' or a comma, is braced so BibTeX keeps it whole."""
    escaped = latex_escape(name)
    if group or "," in escaped or re.search(r"\sand\s", escaped, re.IGNORECASE):
        return "{" + escaped + "}"
    return escaped


# BibTeX entry types for model.ENTRY_TYPES, and the field that names the venue.
BIB_TYPES = {
    "article": ("article", "journal"),
    "conference-paper": ("inproceedings", "booktitle"),
    "preprint": ("misc", "howpublished"),
    "book": ("book", "publisher"),
    "chapter": ("incollection", "booktitle"),
    "thesis": ("phdthesis", "school"),
    "report": ("techreport", "institution"),
    "dataset": ("misc", "howpublished"),
    "software": ("misc", "howpublished"),
    "webpage": ("misc", "howpublished"),
    "misc": ("misc", "howpublished"),
}


def bib_entry(paper: Paper, base: str | None, keys: dict[str, int] | None = None, abstract: bool = True) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + latex_escape(paper.title) + "}")]
    groups = set(paper.group_authors)
    authors = [a for a in (clean_text(a) for a in paper.authors) if a]
    if authors:
        fields.append(("author", " and ".join(bib_author(a, a in groups) for a in authors)))
    if paper.entry_type in BIB_TYPES:
        kind, venue_field = BIB_TYPES[paper.entry_type]
    elif paper.venue and authors:
        kind, venue_field = "article", "journal"
    else:
        kind, venue_field = "misc", "howpublished"
    if paper.venue:
        fields.append((venue_field, latex_escape(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
        if paper.date and re.fullmatch(r"\d{4}-\d\d(-\d\d)?", paper.date) and paper.date.startswith(str(paper.year)):
            fields.append(("date", paper.date))
    if paper.doi:
        fields.append(("doi", latex_escape(paper.doi)))
    if paper.arxiv:
        fields += [("eprint", latex_escape(paper.arxiv)), ("archiveprefix", "arXiv")]
    code = http_links(paper.code_links)
    links = http_links(paper.links)
    if code:
        fields.append(("note", "Code: " + ", ".join(url_in_text(u) for u in code)))
    if paper.url and is_web_url(paper.url):
        fields.append(("url", bib_url(paper.url)))
    elif base:
        fields.append(("url", bib_url(base + f"papers/{paper.id}.html")))
    elif links:
        fields.append(("url", bib_url(links[0])))
    if paper.keywords:
        fields.append(("keywords", latex_escape(", ".join(paper.keywords))))
    if paper.abstract and abstract:
        fields.append(("abstract", latex_escape(paper.abstract)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{bib_key(paper, keys)},\n{body}\n}}\n"


def citation_keys(papers: list[Paper]) -> dict[str, int]:
    """How many papers claim each citation key (BibTeX keys are case-insensitive)."""
    keys: dict[str, int] = {}
    for paper in papers:
        if paper.citation_key:
            keys[paper.citation_key.lower()] = keys.get(paper.citation_key.lower(), 0) + 1
    ids = {p.id.lower() for p in papers}
    return {k: (n if k not in ids else n + 1) for k, n in keys.items()}


# How a paper becomes its BibTeX entry: bib_entry, or the engine's memoised version of it.
BibEntryMaker = Callable[[Paper, "str | None", "dict[str, int] | None", bool], str]


def papers_bib(site: Site, base: str | None, entry: BibEntryMaker | None = None, memo: PapersMemo | None = None) -> str:
    """Every paper's entry, SHARE papers at a time (through memo)."""
    return "".join(papers_bib_chunks(site, base, entry, memo))


def papers_bib_chunks(
    site: Site, base: str | None, entry: BibEntryMaker | None = None, memo: PapersMemo | None = None
) -> Iterator[str]:
    """papers_bib in pieces, a share at a time."""
    keys = citation_keys(site.papers)
    entry = entry or bib_entry
    memo = memo or unmemoised

    def entries(some: list[Paper]) -> str:
        extra = json.dumps([base, [bib_key(p, keys) for p in some]])
        return memo("bib-entries", some, extra, lambda: "\n".join(entry(p, base, keys, True) for p in some))

    yield from joined(map(entries, shares(site.papers)), "\n")


@runtime_checkable
class ChunkSink(Protocol):
    """Where a file can go in pieces, so that it is never held whole (the build's staging sink)."""

    def stream(self, name: str, chunks: Iterable[str]) -> None: ...


def export_files(
    site: Site,
    encode: RecordEncoder | None = None,
    entry: BibEntryMaker | None = None,
    paper_json: PaperEncoder | None = None,
    memo: PapersMemo | None = None,
    out: MutableMapping[str, str] | None = None,
) -> MutableMapping[str, str]:
    """papers.json, papers.csv and papers.bib, put into `out` (a new dict without it). A sink
    that can take a file in pieces (ChunkSink) gets each a share at a time: at 100,000 papers
    the three are about 500 MB of text."""
    base = base_url(site)
    files: MutableMapping[str, str] = {} if out is None else out
    made = {
        "papers.json": papers_json_chunks(site, base, encode, paper_json, memo),
        "papers.csv": papers_csv_chunks(site, base, memo),
        "papers.bib": papers_bib_chunks(site, base, entry, memo),
    }
    for name, chunks in made.items():
        if isinstance(files, ChunkSink):
            files.stream(name, chunks)
        else:
            files[name] = "".join(chunks)
    return files
