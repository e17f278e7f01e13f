"""RIS (.ris) as Scopus, PubMed, Web of Science, Zotero and EndNote write it.

rispy reads the records; it silently drops a record without its `ER  -`
line and ignores tags outside a record, so the structure (every record
opens with TY and closes with ER) is checked here first, with the line of
each problem, and each record's TY line becomes its source line.

Tags used: TY (type), TI/T1 (title), AU/A1 (authors, in order), PY/Y1/DA
(year and date), JO/JF/T2/BT (venue), AB/N2 (abstract), DO (DOI), UR (URL),
KW (keywords), ID (citation key).
"""

from __future__ import annotations

import re

from litreview.errors import InputError
from litreview.read.references import ReadResult, find_arxiv, find_year, iso_date, make_entry, skipped

RIS_TYPES = {
    "JOUR": "article",
    "JFULL": "article",
    "MGZN": "article",
    "NEWS": "article",
    "EJOUR": "article",
    "CONF": "conference-paper",
    "CPAPER": "conference-paper",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "THES": "thesis",
    "RPRT": "report",
    "UNPB": "preprint",
    "INPR": "preprint",
    "ELEC": "webpage",
    "WEB": "webpage",
    "DATA": "dataset",
    "COMP": "software",
}
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def read_ris(text: str, path: str) -> ReadResult:
    import rispy

    result = ReadResult()
    starts = check_structure(text, path, result)
    if result.errors:
        return result
    if not starts:
        result.errors.append(
            InputError(path, 1, "no RIS records found", 'a .ris file holds records that start with "TY  - JOUR"')
        )
        return result
    records = rispy.loads(text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(records) != len(starts):  # cannot happen after check_structure; never pair records with wrong lines
        result.errors.append(InputError(path, 1, "could not read the RIS records", "check each has TY and ER lines"))
        return result
    for record, line in zip(records, starts, strict=True):
        entry = _record(record, line, path, result)
        if entry is not None:
            result.entries.append(entry)
    return result


def check_structure(text: str, path: str, result: ReadResult) -> list[int]:
    """The TY line of every record; errors for tags outside records and records never closed."""
    starts: list[int] = []
    open_at: int | None = None
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        line = raw.rstrip()
        m = _TAG.match(line)
        if m is None:
            if line.strip() and open_at is None:
                result.errors.append(
                    InputError(
                        path,
                        number,
                        "text outside any RIS record",
                        'each record starts with "TY  - " and ends with "ER  - "',
                    )
                )
            continue
        tag = m.group(1)
        if tag == "TY":
            if open_at is not None:
                result.errors.append(
                    InputError(path, open_at, "RIS record has no ER line", f'add "ER  - " before line {number}')
                )
            open_at = number
            starts.append(number)
        elif tag == "ER":
            if open_at is None:
                result.errors.append(
                    InputError(path, number, "ER line without a record", 'is its "TY  - " line missing?')
                )
            open_at = None
        elif open_at is None:
            result.errors.append(
                InputError(path, number, f"RIS tag {tag} outside any record", 'is the record\'s "TY  - " line missing?')
            )
    if open_at is not None:
        result.errors.append(InputError(path, open_at, "RIS record has no ER line", 'end it with "ER  - "'))
    return starts


def _record(record: dict, line: int, path: str, result: ReadResult):
    def first(*names: str) -> str | None:
        for name in names:
            value = record.get(name)
            if isinstance(value, list):
                value = next((v for v in value if v and v.strip()), None)
            if value and value.strip():
                return value.strip()
        return None

    title = first("title", "primary_title")
    kind = (record.get("type_of_reference") or "").strip().upper()
    if not title:
        result.warnings.append(skipped(path, line, f"record (TY {kind or '?'})"))
        return None
    date = first("date", "publication_year", "year")
    year = find_year(first("year", "publication_year")) or find_year(date)
    month = day = None
    if date and (m := re.match(r"^\s*(\d{4})[/-](\d{1,2})?(?:[/-](\d{1,2}))?", date)):
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
    authors = [_display(a) for a in (record.get("authors") or record.get("first_authors") or [])]
    urls = record.get("urls") or []
    doi = first("doi")
    url = next((u for u in urls if "doi.org" not in u), urls[0] if urls else None)
    venue = first("journal_name", "alternate_title3", "secondary_title", "alternate_title2", "alternate_title1")
    if kind in ("BOOK", "THES", "RPRT") and venue is None:
        venue = first("publisher")
    keywords: list[str] = []
    for kw in record.get("keywords") or []:
        keywords.extend(k.strip() for k in re.split(r";", kw))
    return make_entry(
        path,
        line,
        title,
        abstract=first("abstract", "notes_abstract") or "",
        authors=authors,
        year=year,
        date=iso_date(year, month, day),
        venue=venue,
        entry_type=RIS_TYPES.get(kind, "misc"),
        doi=doi,
        arxiv=find_arxiv(doi, *urls),
        url=url,
        citation_key=first("id"),
        keywords=keywords,
    )


def _display(name: str) -> str:
    """'Vaswani, Ashish' -> 'Ashish Vaswani'; 'Smith JA' (PubMed) stays as written."""
    name = " ".join(name.split())
    if name.count(",") == 1:
        family, given = (p.strip() for p in name.split(","))
        return f"{given} {family}".strip()
    if name.count(",") == 2:  # Family, Given, Suffix
        family, given, suffix = (p.strip() for p in name.split(","))
        return f"{given} {family}, {suffix}".strip()
    return name
