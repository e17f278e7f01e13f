"""Reference-manager exports in seeds/: BibTeX (.bib), RIS (.ris) and CSL-JSON (.json).

Each reader turns one file into SeedEntry records carrying what the format
holds (authors, year, venue, entry type, DOI, arXiv id, URL, citation key,
keywords, abstract) and reports:

* errors (InputError, the build stops) for anything that could be a paper
  but is malformed: a syntax error (file, line and entry key), a field or
  tag outside any entry, an encoding error, a file whose content is not the
  format its extension says;
* warnings for items that are not papers: Zotero exports notes and bare web
  pages without a title; they are skipped and counted by `check`.

The parsers are well-kept libraries (bibtexparser 2, rispy, the json
module), imported inside the readers so that a build of .txt listings only,
or one that stops on its no-change fast path, never imports them.

This module holds what the three formats share: the paper a record becomes,
DOIs and arXiv ids normalised, entry types mapped onto model.ENTRY_TYPES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litreview.errors import InputError
from litreview.model import SeedEntry, Source

REFERENCE_SUFFIXES = (".bib", ".ris", ".json")

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_IN_TEXT = re.compile(
    rf"(?:arxiv(?:\.org/(?:abs|pdf)/|:\s*|\s+)|10\.48550/arxiv\.)(?P<id>{_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_BARE = re.compile(rf"^(?P<id>{_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


@dataclass
class ReadResult:
    """One reference file read: its papers, its errors and its skipped items."""

    entries: list[SeedEntry] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputError] = field(default_factory=list)


def normalise_doi(value: str | None) -> str | None:
    """'https://doi.org/10.1000/ABC' -> '10.1000/abc' (DOIs are case-insensitive); None if not a DOI."""
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".").lower()
    return doi if doi.startswith("10.") and "/" in doi and " " not in doi else None


def find_arxiv(*texts: str | None) -> str | None:
    """The arXiv id (without its version) named by an eprint field, a URL, an arXiv DOI or a venue."""
    for text in texts:
        if not text:
            continue
        text = text.strip()
        m = _ARXIV_BARE.match(text) or _ARXIV_IN_TEXT.search(text)
        if m:
            return m.group("id").lower() if "/" not in m.group("id") else m.group("id")
    return None


def find_year(value: str | None) -> int | None:
    m = _YEAR.search(value or "")
    return int(m.group(1)) if m else None


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """'2017', '2017-06' or '2017-06-12' (only the parts that are known and valid)."""
    if year is None:
        return None
    if not month or not 1 <= month <= 12:
        return f"{year:04d}"
    if not day or not 1 <= day <= 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def month_number(value: str | None) -> int | None:
    text = (value or "").strip().strip(".").lower()
    if text.isdigit():
        return int(text)
    return MONTHS.get(text) or MONTHS.get(text[:3])


def venue_name(venue: str | None, arxiv: str | None) -> str | None:
    """Google Scholar's 'arXiv preprint arXiv:1706.03762' is the venue arXiv."""
    if not venue:
        return None
    if arxiv and find_arxiv(venue) == arxiv and re.match(r"^arxiv\b", venue, re.IGNORECASE):
        return "arXiv"
    return venue


def preprint_if_arxiv(entry_type: str, arxiv: str | None, doi: str | None, venue: str | None) -> str:
    """An article or misc that is only an arXiv posting is a preprint."""
    published_doi = doi and not doi.startswith("10.48550/")
    if arxiv and entry_type in ("article", "misc", "webpage") and not published_doi:
        if not venue or venue == "arXiv" or find_arxiv(venue):
            return "preprint"
    return entry_type


def make_entry(
    path: str,
    line: int,
    title: str,
    *,
    abstract: str = "",
    abstract_line: int | None = None,
    authors: list[str] | None = None,
    group_authors: list[str] | None = None,
    year: int | None = None,
    date: str | None = None,
    venue: str | None = None,
    entry_type: str = "misc",
    doi: str | None = None,
    arxiv: str | None = None,
    url: str | None = None,
    citation_key: str | None = None,
    keywords: list[str] | None = None,
) -> SeedEntry:
    """The SeedEntry of one reference record, with its metadata cleaned up."""
    from litreview.utils.urls import is_web_url

    doi = normalise_doi(doi)
    arxiv = arxiv or find_arxiv(doi, url)
    venue = venue_name(" ".join(venue.split()) if venue else None, arxiv)
    url = url.strip() if url and is_web_url(url.strip()) else None
    entry_type = preprint_if_arxiv(entry_type, arxiv, doi, venue)
    if entry_type == "preprint" and arxiv and not venue:
        venue = "arXiv"
    return SeedEntry(
        title=" ".join(title.split()),
        abstract=" ".join(abstract.split()),
        source=Source(path, line),
        abstract_line=abstract_line or line,
        date=date,
        year=year,
        authors=[a for a in (authors or []) if a],
        group_authors=[a for a in (group_authors or []) if a],
        venue=venue or None,
        entry_type=entry_type,
        doi=doi,
        arxiv=arxiv,
        url=url,
        citation_key=citation_key or None,
        keywords=list(dict.fromkeys(k for k in (keywords or []) if k)),
    )


def skipped(path: str, line: int, what: str) -> InputError:
    """The warning for an item that is not a paper."""
    return InputError(path, line, f"{what} has no title: skipped, it is not a paper", "give it a title to include it")


def read_reference_file(data: bytes, path: str) -> ReadResult:
    """Read one .bib, .ris or .json seed file (already size-checked) by its extension."""
    from litreview.read.listings import decode

    text = decode(data, path)
    if not text.strip() or text.strip() == "[]":
        result = ReadResult()
        result.errors.append(
            InputError(
                path, None, "empty file: no papers found", "export at least one item into it, or delete the file"
            )
        )
        return result
    if path.endswith(".bib"):
        from litreview.read.bibtex import read_bibtex

        return read_bibtex(text, path)
    if path.endswith(".ris"):
        from litreview.read.ris import read_ris

        return read_ris(text, path)
    from litreview.read.csljson import read_csl_json

    return read_csl_json(text, path)


def sniff_format(text: str) -> str | None:
    """'BibTeX', 'RIS' or 'CSL-JSON' when a text file holds one of those exports."""
    start = text.lstrip("\ufeff \t\r\n")
    if not start:
        return None
    if re.match(r"@\s*[A-Za-z]+\s*[{(]", start):
        return "BibTeX"
    if (
        re.match(r"TY  -", start)
        or re.search(r"(?m)^TY  - [A-Z]+\s*$", start[:2000])
        and re.search(r"(?m)^ER  -", start)
    ):
        return "RIS"
    if start[0] in "[{":
        import json

        try:
            json.loads(start)
        except ValueError:
            return None
        return "CSL-JSON"
    return None


FORMAT_SUFFIX = {"BibTeX": ".bib", "RIS": ".ris", "CSL-JSON": ".json"}
