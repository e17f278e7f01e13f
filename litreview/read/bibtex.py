"""BibTeX and BibLaTeX (.bib) as Zotero, Better BibTeX, JabRef, Google Scholar,
Scopus, IEEE Xplore, ACM DL and arXiv write them.

bibtexparser 2 splits the file into entries (resolving @string macros and
keeping each entry's line); this module turns each entry into a paper:
LaTeX to Unicode (read/latex.py), authors in order with group authors
(`{Tabula Sapiens Consortium}`) kept whole and `and others` kept, month
macros, `journal`/`booktitle`/`journaltitle` as the venue, and the entry
type mapped onto model.ENTRY_TYPES.
"""

from __future__ import annotations

import re
from functools import lru_cache

from litreview.errors import InputError
from litreview.read.latex import latex_to_text
from litreview.read.references import (
    ReadResult,
    find_arxiv,
    find_year,
    iso_date,
    make_entry,
    month_number,
    skipped,
)

BIB_TYPES = {
    "article": "article",
    "inproceedings": "conference-paper",
    "conference": "conference-paper",
    "proceedings": "book",
    "book": "book",
    "mvbook": "book",
    "booklet": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "preprint",
    "preprint": "preprint",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "dataset": "dataset",
    "data": "dataset",
    "software": "software",
}
_FIELD_OUTSIDE = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=\s*[{\"\d]", re.MULTILINE)
_LATEX_KEY = re.compile(r"(?m)^(\s*@\s*[A-Za-z]+\s*\{\s*)([^,\s=]*[{}\\][^,\s=]*)(?=\s*,)")
_KEY = re.compile(r"@\s*[A-Za-z]+\s*[{(]\s*([^,\s]*)")


def read_bibtex(text: str, path: str) -> ReadResult:
    import logging

    import bibtexparser
    from bibtexparser import model

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its failures become our errors, not log lines
    result = ReadResult()
    # Google Scholar writes LaTeX into keys (@article{m{\"u}ller2020co2,): keep the key's letters only.
    text = _LATEX_KEY.sub(lambda m: m.group(1) + re.sub(r"[{}\\\"'`^~]", "", m.group(2)), text)
    # Enclosing braces and quotes are removed here (unenclose), not by the default middleware: only
    # then can `{C# in practice}` be told from a concatenation such as `isca # " (ISCA)"`.
    from bibtexparser.middlewares import ResolveStringReferencesMiddleware

    library = bibtexparser.parse_string(text, parse_stack=[ResolveStringReferencesMiddleware(True)])
    strings: dict[str, str] = {}
    for string in library.strings:  # in order: a macro may use the ones before it
        strings[string.key.lower()] = unenclose(string.value, strings)
    for block in library.failed_blocks:
        result.errors.append(_failed(block, path, model))
    for block in library.comments:
        if isinstance(block, model.ImplicitComment) and (m := _FIELD_OUTSIDE.search(block.comment)):
            line = block.start_line + 1 + block.comment[: m.start(1)].count("\n")
            result.errors.append(
                InputError(
                    path,
                    line,
                    f'field "{m.group(1)}" outside any entry',
                    'is the "}" that closes the entry above one line too early, or its @type{key, line missing?',
                )
            )
    if not library.entries and not library.failed_blocks and not result.errors:
        if text.strip() and not library.strings:
            result.errors.append(
                InputError(path, 1, "no BibTeX entries found", "a .bib file holds entries such as @article{key, ...}")
            )
    for entry in library.entries:
        paper = _entry(entry, path, result, strings)
        if paper is not None:
            result.entries.append(paper)
    return result


def _failed(block, path: str, model) -> InputError:
    line = block.start_line + 1
    m = _KEY.match(block.raw or "")
    key = m.group(1) if m else ""
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return InputError(
            path, line, f'citation key "{block.key}" is used twice in this file', "give each entry its own key"
        )
    if isinstance(block, model.DuplicateFieldKeyBlock):
        names = ", ".join(f'"{k}"' for k in sorted(block.duplicate_keys))
        return InputError(path, line, f'entry "{key}" has the field {names} twice', "keep one of them")
    reason = (getattr(block.error, "abort_reason", None) or str(block.error) or "cannot parse it").strip()
    end = getattr(block.error, "end_index", None)
    if isinstance(end, int) and block.raw and "Unexpected block start" in reason:
        reason = 'the next entry starts before this one is closed (a } or " is missing)'
    reason = re.sub(r"\s*\(line \d+\)", "", reason)
    what = f'entry "{key}"' if key else "entry"
    return InputError(
        path,
        line,
        f"BibTeX syntax error in {what}: {reason}",
        "check its braces and quotes, and the comma after each field",
    )


def _entry(entry, path: str, result: ReadResult, strings: dict[str, str]):
    fields = {f.key.lower(): f for f in entry.fields}

    def value(*names: str) -> str | None:
        for name in names:
            f = fields.get(name)
            if f is not None and isinstance(f.value, str):
                text = unenclose(f.value, strings)
                if text.strip():
                    return text
        return None

    line = entry.start_line + 1
    raw_title = value("title")
    title = latex_to_text(raw_title) if raw_title else ""
    if not title:
        result.warnings.append(skipped(path, line, f'entry "{entry.key}" (@{entry.entry_type})'))
        return None
    entry_type = BIB_TYPES.get(entry.entry_type.lower(), "misc")
    authors, groups = parse_authors(value("author") or value("editor") or "")
    date_field = value("date")
    year = find_year(value("year")) or find_year(date_field)
    month = month_number(value("month"))
    day = None
    if date_field and (m := re.match(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", date_field)):
        month = month or (int(m.group(2)) if m.group(2) else None)
        day = int(m.group(3)) if m.group(3) else None
    eprint = value("eprint")
    prefix = (value("archiveprefix", "eprinttype") or "").lower()
    url = value("url")
    doi = value("doi")
    venue_raw = value("journal", "journaltitle", "booktitle")
    if venue_raw is None and entry_type == "thesis":
        venue_raw = value("school", "institution")
    if venue_raw is None and entry_type == "report":
        venue_raw = value("institution")
    if venue_raw is None and entry_type in ("misc", "preprint", "webpage"):
        venue_raw = value("publisher", "howpublished")
        if venue_raw and "\\url" in venue_raw:
            venue_raw = None
    arxiv = find_arxiv(eprint) if eprint and (prefix in ("arxiv", "") or "arxiv" in (url or "")) else None
    arxiv = arxiv or find_arxiv(doi, url, value("journal"), value("note"), value("number"), value("howpublished"))
    abstract_field = fields.get("abstract")
    keywords = re.split(r"\s*[,;]\s*", latex_to_text(value("keywords") or value("keyword") or ""))
    return make_entry(
        path,
        line,
        title,
        abstract=latex_to_text(value("abstract") or ""),
        abstract_line=abstract_field.start_line + 1 if abstract_field is not None else None,
        authors=authors,
        group_authors=groups,
        year=year,
        date=iso_date(year, month, day),
        venue=latex_to_text(venue_raw) if venue_raw else None,
        entry_type=entry_type,
        doi=latex_to_text(doi) if doi else None,
        arxiv=arxiv,
        url=url.strip() if url else None,
        citation_key=entry.key,
        keywords=keywords,
    )


def unenclose(value: str, strings: dict[str, str]) -> str:
    """A field's value as written between its braces or quotes; pieces joined by # are concatenated."""
    value = value.strip()
    if _enclosed(value):
        return value[1:-1]
    return concatenate(value, strings)


def _enclosed(value: str) -> bool:
    """{...} or "..." around the whole value (braces balanced inside)."""
    if len(value) < 2 or value[0] + value[-1] not in ("{}", '""'):
        return False
    if "#" not in value:  # only a concatenation has two enclosed pieces: no need to scan
        return True
    depth = 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0 and 0 < i < len(value) - 1 and value[0] == '"':
            return False  # "a" # "b"
        if depth == 0 and 0 < i < len(value) - 1 and value[0] == "{":
            return False  # {a} # {b}
    return depth == 0


def concatenate(value: str, strings: dict[str, str]) -> str:
    """A value joined with # (`isca # " (ISCA)"`): quoted and braced pieces as written, names as @string macros."""
    pieces, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "#" and depth == 0 and not quoted:
            pieces.append(value[start:i])
            start = i + 1
    pieces.append(value[start:])
    out = []
    for piece in (p.strip() for p in pieces):
        if _enclosed(piece):
            out.append(piece[1:-1])
        else:  # a macro (@string, or a month: left to month_number) or a number
            out.append(strings.get(piece.lower(), piece))
    return "".join(out)


def parse_authors(value: str) -> tuple[list[str], list[str]]:
    """BibTeX names -> display names in order, and which of them are groups (wholly braced)."""
    authors, groups = _parse_authors(value)
    return list(authors), list(groups)


@lru_cache(maxsize=20_000)
def _parse_authors(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from bibtexparser.middlewares.names import split_multiple_persons_names

    authors: list[str] = []
    groups: list[str] = []
    if not value.strip():
        return (), ()
    for name in split_multiple_persons_names(value):
        display, group = display_name(name.strip())
        if display:
            authors.append(display)
            if group:
                groups.append(display)
    return tuple(authors), tuple(groups)


@lru_cache(maxsize=50_000)
def display_name(name: str) -> tuple[str, bool]:
    """One BibTeX name as it is shown ('Müller, Jörg' -> 'Jörg Müller'), and whether it is a group.

    Cached: a library names the same people again and again.
    """
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    if not name:
        return "", False
    if _wholly_braced(name):
        return latex_to_text(name), True
    if name.lower() == "others":
        return "others", False
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # a name bibtexparser cannot split: show it as written
        return latex_to_text(name), False
    display = latex_to_text(" ".join([*parts.first, *parts.von, *parts.last]))
    if parts.jr:
        display += ", " + latex_to_text(" ".join(parts.jr))
    return display, False


def _wholly_braced(name: str) -> bool:
    """'{Tabula Sapiens Consortium}': one brace group around the whole name."""
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for i, c in enumerate(name):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(name) - 1:
            return False
    return True
