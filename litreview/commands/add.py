"""`add`: append papers to a seed file, append-only, refusing duplicates.

Seeds are human-owned data, so the command never rewrites a line that is
already there: it appends to one file (default seeds/added.txt) in that
file's own layout, and checks that the result parses back to exactly the
old entries plus the new ones before it writes anything.

`--from` also takes a reference-manager export (.bib, .ris or CSL-JSON
.json, by extension, or by content on stdin): its papers are appended as
BibTeX entries to seeds/added.bib (or the .bib given by --file), with all
their metadata, and a paper whose DOI, arXiv id or title is already in the
catalogue is refused.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from litreview.commands.common import add_seeds_content, display
from litreview.errors import ErrorCollector, InputError, InputErrors
from litreview.model import SeedEntry, Source
from litreview.read.catalogue import REFERENCE_SUFFIXES, SEED_SUFFIXES, merge_entries, read_entries
from litreview.read.listings import clean_line, looks_like_abstract, normalise_title, parse_seed_text
from litreview.read.references import FORMAT_SUFFIX, read_reference_file, sniff_format

DEFAULT_FILE = "added.txt"
DEFAULT_BIB = "added.bib"
CHROME_HINT = (
    "the seed reader skips page chrome ('new', 'Subscribe', a date, 'N authors') and needs a title line "
    "then a prose abstract; reword the title or abstract"
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "add",
        help="add a paper (or a pasted listing) to a seed file",
        description=(
            "Append one paper (--title and --abstract) or every paper of a pasted listing (--from FILE, "
            "or - for stdin, in any seed layout) to a seed file. Existing lines are never changed; papers "
            "already in the catalogue (same normalised title) are refused."
        ),
    )
    p.add_argument("--title", help="the paper's title, as written")
    p.add_argument("--abstract", help="the paper's abstract, as written (a paragraph of prose)")
    p.add_argument(
        "--from", dest="source", metavar="FILE", help="a pasted listing to add, in any seed layout; - reads stdin"
    )
    p.add_argument(
        "--file",
        type=Path,
        metavar="PATH",
        help=f"seed file to append to (default: SEEDS/{DEFAULT_FILE}, created if missing)",
    )
    p.add_argument("--dry-run", action="store_true", help="print what would be appended, write nothing")
    add_seeds_content(p, content=False)
    p.set_defaults(handler=run)


@dataclass
class Added:
    entry: SeedEntry
    id: str
    line: int  # title line in the target file


def new_entries(args: argparse.Namespace) -> tuple[list[SeedEntry], list[InputError]]:
    """The papers to add, from --title/--abstract or a pasted listing, and what is wrong with them."""
    if args.source:
        if args.title or args.abstract:
            raise UsageError("use either --from or --title/--abstract, not both")
        name = "<stdin>" if args.source == "-" else args.source
        if args.source == "-":
            text = sys.stdin.read()
        elif Path(args.source).suffix.lower() in REFERENCE_SUFFIXES:
            try:
                data = Path(args.source).read_bytes()
            except OSError as exc:
                raise InputError(name, None, f"cannot read file: {exc.strerror}") from None
            return read_references(data, name), []
        else:
            try:
                text = Path(args.source).read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(name, None, f"cannot read file: {exc.strerror}") from None
            except UnicodeDecodeError:
                raise InputError(name, None, "not valid UTF-8", "save the listing as UTF-8 text") from None
        kind = sniff_format(text)
        if kind is not None:  # an export piped in, or saved as .txt
            entries = read_references(text.encode("utf-8"), name + FORMAT_SUFFIX[kind])
            for entry in entries:
                entry.source = Source(name, entry.source.line)
            return entries, []
        return parse_seed_text(text.removeprefix("\ufeff"), name).entries, []
    if not (args.title and args.abstract):
        raise UsageError("give --title and --abstract (or --from FILE with a listing)")
    title = " ".join(clean_line(part) for part in args.title.splitlines()).strip()
    abstract = " ".join(clean_line(part) for part in args.abstract.splitlines()).strip()
    checks = []
    if not title:
        checks.append(InputError("--title", None, "the title is empty"))
    elif looks_like_abstract(title):
        checks.append(InputError("--title", None, "this looks like an abstract, not a title", "pass the title alone"))
    if not abstract:
        checks.append(InputError("--abstract", None, "the abstract is empty"))
    elif not looks_like_abstract(abstract):
        checks.append(
            InputError(
                "--abstract",
                None,
                "the abstract is too short to tell apart from a title",
                "seed files need an abstract of at least two sentences and 120 characters, or over 400 characters",
            )
        )
    return [SeedEntry(title=title, abstract=abstract, source=Source("--title", 1), abstract_line=1)], checks


def read_references(data: bytes, name: str) -> list[SeedEntry]:
    """The papers of a reference export; its errors raised together, skipped items on stderr."""
    result = read_reference_file(data, name)
    if result.errors:
        raise InputErrors(result.errors)
    for warning in result.warnings:
        print(f"warning: {warning.format()}", file=sys.stderr)
    for entry in result.entries:
        entry.source = Source(
            name.removesuffix(".bib").removesuffix(".ris").removesuffix(".json") or name, entry.source.line
        )
    return result.entries


class UsageError(Exception):
    """A wrong combination of options (exit 2)."""


def target_file(args: argparse.Namespace, references: bool = False) -> Path:
    path = args.file if args.file is not None else args.seeds / (DEFAULT_BIB if references else DEFAULT_FILE)
    if references and path.suffix != ".bib":
        raise UsageError(f"{path}: papers from a reference export are appended to a .bib file")
    if path.suffix not in SEED_SUFFIXES:
        raise UsageError(f"{path}: seed files end in .txt, or the build ignores them")
    if path.parent.resolve() != args.seeds.resolve():
        raise UsageError(f"{path}: the file must be directly inside {args.seeds}/ so the build reads it (see --seeds)")
    return path


def refuse_duplicates(
    entries: list[SeedEntry], existing: list[SeedEntry], seeds_dir: Path, errors: ErrorCollector
) -> None:
    """Every new paper must be new to the catalogue and to the batch."""
    merged = merge_entries(list(existing))
    papers = {p.key: p for p in merged}
    for paper in merged:
        for other_key in (paper.doi and f"doi:{paper.doi}", paper.arxiv and f"arxiv:{paper.arxiv}"):
            if other_key:
                papers.setdefault(other_key, paper)
    seen: dict[str, SeedEntry] = {}
    for entry in entries:
        key = normalise_title(entry.title)
        for other_key in (entry.doi and f"doi:{entry.doi}", entry.arxiv and f"arxiv:{entry.arxiv}"):
            if other_key and other_key in papers and key not in papers:
                key = other_key
        where = entry.source.file if entry.source.file.startswith("--") else f"{entry.source.file}:{entry.source.line}"
        if key in papers:
            paper = papers[key]
            first = paper.sources[0]
            errors.add(
                InputError(
                    where.split(":")[0],
                    None if entry.source.file.startswith("--") else entry.source.line,
                    f'"{entry.title}" is already in the catalogue as paper {paper.id} '
                    f"({display(seeds_dir / first.file)}:{first.line})",
                    f"to change that paper, use: build.py new-override {paper.id}",
                )
            )
        elif key in seen:
            errors.add(
                InputError(
                    entry.source.file,
                    entry.source.line,
                    f'"{entry.title}" is listed twice in what you are adding (first at line {seen[key].source.line})',
                    "remove one of them",
                )
            )
        elif key:
            seen[key] = entry


def metadata_lines(entry: SeedEntry) -> list[str]:
    """The listing's metadata (author count or organisation, "·", date), kept when a paste had it."""
    if not entry.date:
        return []  # a metadata group ends with its date line
    lines = []
    if entry.authors_count is not None:
        lines.append(f"  • {entry.authors_count} author{'s' if entry.authors_count != 1 else ''}")
    elif entry.organisation:
        lines.append(entry.organisation)
    date = entry.date if entry.upvotes is None else f"{entry.date} {entry.upvotes}"
    return [*lines, "·", date]


def render_addition(existing_text: str, entries: list[SeedEntry], layout: str | None) -> str:
    """Text to append so the file keeps its layout (and its line ends)."""
    newline = "\r\n" if "\r\n" in existing_text else "\n"
    prefix = ""
    if existing_text and not existing_text.endswith(("\n", "\r")):
        prefix = newline  # the file must end with a line break before we append
    if layout is not None and layout.startswith("compact"):
        body = "".join(newline.join([e.title, e.abstract, *metadata_lines(e)]) + newline for e in entries)
        return prefix + body
    stripped = existing_text.rstrip(" \t")
    ends_blank = stripped.endswith(("\n\n", "\r\n\r\n")) or not stripped.strip()
    if existing_text and not ends_blank:
        prefix += newline  # a blank line between the last abstract and the new title
    blocks = []
    for e in entries:
        meta = metadata_lines(e)
        blocks.append(newline.join([e.title, "", e.abstract, *([""] + meta if meta else [])]) + newline)
    return prefix + newline.join(blocks)


def same(a: list[SeedEntry], b: list[SeedEntry]) -> bool:
    """Same papers with the same metadata, in the same order."""
    fields = ("title", "abstract", "authors_count", "organisation", "date", "year", "upvotes")
    return [[getattr(e, f) for f in fields] for e in a] == [[getattr(e, f) for f in fields] for e in b]


def plan(args: argparse.Namespace) -> tuple[Path, str, list[Added]]:
    """Work out exactly what to append, and prove it parses; writes nothing."""
    entries, problems = new_entries(args)
    references = any(e.entry_type is not None for e in entries)
    path = target_file(args, references)
    errors = ErrorCollector()
    has_seeds = args.seeds.is_dir() and any(p.suffix in SEED_SUFFIXES for p in args.seeds.iterdir())
    existing = read_entries(args.seeds, errors) if has_seeds else []
    if errors.errors:
        raise InputErrors(
            errors.errors
            + [InputError(display(args.seeds), None, "fix the seed errors above before adding papers", "")]
        )
    refuse_duplicates(entries, existing, args.seeds, errors)
    errors.extend(problems)
    errors.raise_if_any()

    shown = display(path)
    old_text = path.read_bytes().decode("utf-8").removeprefix("\ufeff") if path.exists() else ""
    if references:
        return plan_bib(path, shown, old_text, entries, existing)
    old_entries: list[SeedEntry] = []
    layout = None
    if old_text.strip():
        parsed = parse_seed_text(old_text, shown)
        old_entries, layout = parsed.entries, parsed.layout
    addition = render_addition(old_text, entries, layout)
    try:
        result = parse_seed_text(old_text + addition, shown)
    except InputError as exc:
        raise InputError(
            shown, exc.line, f"after adding, the file would not parse: {exc.message}", CHROME_HINT
        ) from None
    if not (
        same(result.entries[: len(old_entries)], old_entries) and same(result.entries[len(old_entries) :], entries)
    ):
        got = result.entries[len(old_entries) :]
        raise InputError(
            shown,
            None,
            f"after adding, the file would read back as {len(got)} new paper(s) instead of the {len(entries)} given",
            CHROME_HINT,
        )
    ids = {p.key: p.id for p in merge_entries(existing + result.entries[len(old_entries) :], None, path.parent)}
    for paper in merge_entries(list(existing), None, path.parent):
        if ids.get(paper.key, paper.id) != paper.id:  # an id collision renamed an existing paper
            print(
                f"warning: adding this changes the id (and URL) of paper {paper.id} to {ids[paper.key]}; "
                "rename its override file in content/papers/ if it has one",
                file=sys.stderr,
            )
    added = [
        Added(e, ids[normalise_title(e.title)], r.source.line)
        for e, r in zip(entries, result.entries[len(old_entries) :])
    ]
    return path, addition, added


def plan_bib(
    path: Path, shown: str, old_text: str, entries: list[SeedEntry], existing: list[SeedEntry]
) -> tuple[Path, str, list[Added]]:
    """Papers from a reference export as BibTeX entries appended to a .bib file, proven to read back the same."""
    from litreview.read.bibtex import read_bibtex
    from litreview.read.catalogue import merge_group
    from litreview.write.export import bib_entry, citation_keys

    papers = [merge_group([e], None) for e in entries]
    ids = {p.key: p.id for p in merge_entries(existing + entries, None, path.parent)}
    for paper in papers:
        paper.id = ids[paper.key]
    taken = citation_keys(papers + merge_entries(list(existing)))
    prefix = "" if not old_text or old_text.endswith("\n\n") else ("\n" if old_text.endswith("\n") else "\n\n")
    addition = prefix + "\n".join(bib_entry(p, None, taken) for p in papers)
    before = read_bibtex(old_text, shown)
    after = read_bibtex(old_text + addition, shown)
    fields = ("title", "abstract", "authors", "year", "venue", "doi", "arxiv")
    got = after.entries[len(before.entries) :]
    if after.errors or [[getattr(e, f) for f in fields] for e in got] != [
        [getattr(e, f) for f in fields] for e in entries
    ]:
        problem = after.errors[0].format() if after.errors else "the new entries would not read back as given"
        raise InputError(shown, None, f"after adding, the file would not parse: {problem}", "fix the file by hand")
    return path, addition, [Added(e, p.id, r.source.line) for e, p, r in zip(entries, papers, got)]


def run(args: argparse.Namespace) -> int:
    try:
        path, addition, added = plan(args)
    except UsageError as exc:
        print(f"build.py add: error: {exc}", file=sys.stderr)
        return 2
    shown = display(path)
    if args.dry_run:
        sys.stdout.write(addition)
        print(f"dry run: would add {len(added)} paper(s) to {shown}", file=sys.stderr)
        return 0
    args.seeds.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(addition)
    for item in added:
        print(f"added {item.id} to {shown}:{item.line}: {item.entry.title}")
    print(f"{len(added)} paper(s) added; preview with: build.py serve", file=sys.stderr)
    return 0
