"""CSL-JSON (.json) as Zotero's "Export as CSL JSON" writes it.

An array of items; each has a `type` and `id`, and as it may: `title`,
`author` (`family`/`given`, or `literal` for a group), `issued`
(`date-parts`, or `raw`), `container-title`, `abstract`, `DOI`, `URL`,
`keyword`, `citation-key`. The json module parses it; each item's line is
where its object opens, found by decoding the array one item at a time.
"""

from __future__ import annotations

import json
import re

from litreview.errors import InputError
from litreview.read.references import ReadResult, find_arxiv, find_year, iso_date, make_entry, skipped

CSL_TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "conference-paper",
    "article": "preprint",  # Zotero's preprints and working papers
    "book": "book",
    "chapter": "chapter",
    "thesis": "thesis",
    "report": "report",
    "dataset": "dataset",
    "software": "software",
    "webpage": "webpage",
    "post-weblog": "webpage",
}
CSL_KEYS = frozenset(
    {"type", "id", "title", "author", "issued", "container-title", "DOI", "URL", "abstract", "citation-key", "editor"}
)
HINT = 'in Zotero: select the items, then File > Export Library... > "CSL JSON"'


def read_csl_json(text: str, path: str) -> ReadResult:
    result = ReadResult()
    items = _decode_items(text.removeprefix("\ufeff"), path, result)
    if items is None:
        return result
    for line, item in items:
        if not isinstance(item, dict) or not ("type" in item or "id" in item) or not (set(item) & CSL_KEYS - {"id"}):
            result.errors.append(
                InputError(path, line, 'not CSL-JSON: each item must be an object with a "type" and an "id"', HINT)
            )
            continue
        entry = _item(item, line, path, result)
        if entry is not None:
            result.entries.append(entry)
    return result


def _decode_items(text: str, path: str, result: ReadResult) -> list[tuple[int, object]] | None:
    """[(line, item)] of the top-level array; None (with an error) if it is not an array of items."""
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    if not stripped.startswith("["):
        try:
            json.loads(text)
        except ValueError as exc:
            result.errors.append(_syntax(exc, path))
            return None
        result.errors.append(InputError(path, 1, "not CSL-JSON: expected an array of items ([{...}, ...])", HINT))
        return None
    items: list[tuple[int, object]] = []
    pos = text.index("[") + 1
    ws = re.compile(r"\s*")
    try:
        pos = ws.match(text, pos).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            pos += 1
        else:
            while True:
                item, end = decoder.raw_decode(text, pos)
                items.append((text.count("\n", 0, pos) + 1, item))
                pos = ws.match(text, end).end()  # type: ignore[union-attr]
                if text.startswith(",", pos):
                    pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                    continue
                if text.startswith("]", pos):
                    pos += 1
                    break
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        if text[pos:].strip():
            raise json.JSONDecodeError("Extra data", text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
    except json.JSONDecodeError as exc:
        result.errors.append(_syntax(exc, path))
        return None
    return items


def _syntax(exc: json.JSONDecodeError, path: str) -> InputError:
    return InputError(path, exc.lineno, f"JSON syntax error at column {exc.colno}: {exc.msg}", HINT)


def _text(value: object) -> str:
    if isinstance(value, list):  # some exporters write lists where CSL has strings
        value = value[0] if value else ""
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def _item(item: dict, line: int, path: str, result: ReadResult):
    title = _text(item.get("title"))
    kind = _text(item.get("type"))
    if not title:
        result.warnings.append(skipped(path, line, f'item "{_text(item.get("id"))}" ({kind or "no type"})'))
        return None
    authors: list[str] = []
    groups: list[str] = []
    people = item.get("author")
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        if person.get("literal"):
            name = _text(person["literal"])
            groups.append(name)
        else:
            parts = [person.get("given"), person.get("dropping-particle"), person.get("non-dropping-particle")]
            name = " ".join(_text(p) for p in [*parts, person.get("family")] if p)
            if person.get("suffix"):
                name += ", " + _text(person["suffix"])
        if name:
            authors.append(name)
    year = month = day = None
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            numbers = [int(p) if str(p).strip().lstrip("-").isdigit() else None for p in parts[0][:3]]
            year, month, day = (numbers + [None, None])[:3]
        else:
            year = find_year(_text(issued.get("raw") or issued.get("literal")))
    url = _text(item.get("URL"))
    doi = _text(item.get("DOI"))
    venue = _text(item.get("container-title"))
    if not venue and kind == "article":
        venue = _text(item.get("publisher"))
    if not venue and kind in ("thesis", "report"):
        venue = _text(item.get("publisher"))
    keywords = re.split(r"\s*[,;]\s*", _text(item.get("keyword")))
    key = _text(item.get("citation-key")) or (
        _text(item.get("id")) if re.match(r"^[\w:.-]+$", _text(item.get("id"))) else ""
    )
    return make_entry(
        path,
        line,
        title,
        abstract=_text(item.get("abstract")),
        authors=authors,
        group_authors=groups,
        year=year,
        date=iso_date(year, month, day),
        venue=venue or None,
        entry_type=CSL_TYPES.get(kind, "misc"),
        doi=doi or None,
        arxiv=find_arxiv(doi, url, _text(item.get("number")), venue),
        url=url or None,
        citation_key=key or None,
        keywords=keywords,
    )
