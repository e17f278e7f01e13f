"""Build the de-duplicated paper catalogue from every seed file.

seeds/ holds scraped listings (.txt, read/listings.py) and reference-manager
exports (.bib, .ris, .json, read/references.py); any other extension is an
error, and a .txt file holding BibTeX, RIS or JSON is an error that says
which extension it needs.

**One paper from many sources.** Entries with the same DOI, the same arXiv
id (any version) or the same normalised title (case, accents, punctuation
and spacing ignored) are one paper that keeps every source.

**Precedence** (deterministic, and the same for every field): the sources
of a paper are ranked

1. reference-manager exports (.bib, .ris, .json) before scraped listings
   (.txt): they are curated, the listings are scraped;
2. a published version before a preprint;
3. then by file name, then by line;

and each field (title, abstract, authors, year, date, venue, entry type,
DOI, arXiv id, URL, citation key, the listing's author count, organisation
and upvotes) comes from the first source in that order that has it.
Keywords and links are the union. Sources that disagree on a year, a DOI or
the text of a title are `check` warnings naming both file:line; near
duplicates (a typo, a subtitle, a preprint under another title) are
warnings too, never merged (see near_duplicates).

**Ids** (and so URLs) are stable: see assign_ids.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from litreview.errors import ErrorCollector, InputError
from litreview.model import Paper, SeedEntry, Source
from litreview.read.listings import normalise_title, read_seed_file
from litreview.utils.slugs import short_hash, slugify
from litreview.utils.urls import find_urls

if TYPE_CHECKING:
    from litreview.read.pastids import PastIds, SeedHistory

LISTING_SUFFIXES = (".txt",)
REFERENCE_SUFFIXES = (".bib", ".ris", ".json")
SEED_SUFFIXES = LISTING_SUFFIXES + REFERENCE_SUFFIXES
# Fields taken from the first source (in precedence order) that has them.
FIRST_WINS = (
    "authors_count", "organisation", "date", "year", "upvotes", "venue", "entry_type", "doi", "arxiv", "url",
    "citation_key",
)  # fmt: skip


def seed_files(seeds_dir: Path, errors: ErrorCollector | None = None) -> list[Path]:
    """Seed files in a stable order (by name); an unknown extension is an error (hidden files are ignored)."""
    if not seeds_dir.is_dir():
        raise InputError(str(seeds_dir), None, "seeds folder not found", "pass --seeds DIR or create seeds/")
    files = []
    for path in sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith(".")):
        if path.suffix.lower() in SEED_SUFFIXES:
            files.append(path)
        elif errors is not None:
            errors.add(
                InputError(
                    str(path),
                    None,
                    f'unknown seed file type "{path.suffix or path.name}"',
                    "seeds/ holds .txt listings and .bib, .ris or .json (CSL-JSON) exports; "
                    "rename the file or move it out of seeds/",
                )
            )
    if not files:
        raise InputError(
            str(seeds_dir),
            None,
            "no seed files (*.txt, *.bib, *.ris, *.json) found",
            "add a listing such as seeds/my-papers.txt or a reference export such as seeds/library.bib",
        )
    return files


# How one seed file is read: read_any, or the engine's memoised version of it.
SeedReader = Callable[[Path, str, ErrorCollector], list[SeedEntry]]


def read_entries(seeds_dir: Path, errors: ErrorCollector, read: SeedReader | None = None) -> list[SeedEntry]:
    """Every entry of every seed file; bad files add errors and are skipped."""
    entries: list[SeedEntry] = []
    for path in seed_files(seeds_dir, errors):
        parsed = (read or read_any)(path, str(path), errors)
        for entry in parsed:
            # Sources name the file within seeds/, whatever --seeds was.
            entry.source = Source(path.name, entry.source.line)
        entries.extend(parsed)
    return entries


def read_any(path: Path, display: str, errors: ErrorCollector) -> list[SeedEntry]:
    """The entries of one seed file of any format; its errors and warnings go to `errors`."""
    from litreview.read.listings import read_seed_bytes

    try:
        if path.suffix.lower() in LISTING_SUFFIXES:
            return read_listing(path, display)
        data = read_seed_bytes(path, display)
    except InputError as exc:
        errors.add(exc)
        return []
    return read_reference_bytes(data, display, errors)


def read_reference_bytes(data: bytes, display: str, errors: ErrorCollector) -> list[SeedEntry]:
    from litreview.read.references import read_reference_file

    try:
        result = read_reference_file(data, display)
    except InputError as exc:
        errors.add(exc)
        return []
    errors.extend(result.errors)
    errors.warnings.extend(result.warnings)
    return [] if result.errors else result.entries


def read_listing(path: Path, display: str) -> list[SeedEntry]:
    """A scraped listing; BibTeX, RIS or JSON saved as .txt is an error naming the extension it needs."""
    from litreview.read.references import FORMAT_SUFFIX, sniff_format

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        head = b""
    kind = sniff_format(head.decode("utf-8", "replace")) if head else None
    if kind == "CSL-JSON":  # only a whole file that parses as JSON is JSON
        kind = sniff_format(path.read_bytes().decode("utf-8", "replace"))
    if kind is not None:
        raise InputError(
            display,
            1,
            f"this looks like {kind}, not a scraped listing",
            f"rename it to {path.stem}{FORMAT_SUFFIX[kind]}",
        )
    return read_seed_file(path, display=display).entries


def rank(entry: SeedEntry) -> tuple:
    """Precedence of a source (smaller first): exports before listings, published before preprint, file, line."""
    return (entry.is_listing, entry.entry_type == "preprint", entry.source.file, entry.source.line)


# How a group of entries (one paper) becomes a Paper: merge_group, or the engine's memoised one.
GroupMerger = Callable[[list[SeedEntry], "ErrorCollector | None", str, dict[int, str]], Paper]


def merge_entries(
    entries: list[SeedEntry],
    errors: ErrorCollector | None = None,
    seeds_dir: Path | None = None,
    history: SeedHistory | None = None,
    merge: GroupMerger | None = None,
) -> list[Paper]:
    """One Paper per DOI / arXiv id / normalised title, in order of first appearance.

    Conflicts between merged sources become warnings in `errors` when given.
    With seeds_dir, ids also follow the folder's git history (read/pastids.py).
    """
    groups: list[list[SeedEntry]] = []
    index: dict[tuple[str, str], int] = {}  # ("doi"|"arxiv"|"title", value) -> group
    title_keys: dict[int, str] = {}
    for entry in entries:
        title_keys[id(entry)] = normalise_title(entry.title)
        keys = [("title", title_keys[id(entry)])]
        if entry.doi:
            keys.insert(0, ("doi", entry.doi))
        if entry.arxiv:
            keys.insert(0, ("arxiv", entry.arxiv))
        found = next((index[k] for k in keys if k in index), None)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(entry)
        for k in keys:
            index.setdefault(k, found)
    prefix = f"{seeds_dir}/" if seeds_dir is not None else ""
    papers = [(merge or merge_group)(group, errors, prefix, title_keys) for group in groups]
    past = None
    if seeds_dir is not None:
        from litreview.read.pastids import SeedHistory

        by_file: dict[str, list[SeedEntry]] = {}
        for entry in entries:
            by_file.setdefault(entry.source.file, []).append(entry)
        past = (history or SeedHistory()).past_ids(seeds_dir, by_file)
    assign_ids(papers, past)
    return papers


def merge_group(
    group: list[SeedEntry], errors: ErrorCollector | None, prefix: str = "", title_keys: dict[int, str] | None = None
) -> Paper:
    """One paper from its entries (best ranked first); its conflicts are warnings in errors."""
    ranked = sorted(group, key=rank) if len(group) > 1 else group
    best = ranked[0]
    abstract = next((e.abstract for e in ranked if e.abstract), "")
    paper = Paper(
        id="",
        title=best.title,
        abstract=abstract,
        sources=[e.source for e in group],
        key=title_keys[id(best)] if title_keys else normalise_title(best.title),
        links=find_urls(abstract),
    )
    if len(group) == 1:  # most papers: copy, no ranking
        for name in FIRST_WINS:
            setattr(paper, name, getattr(best, name))
    else:
        for name in FIRST_WINS:
            setattr(paper, name, next((getattr(e, name) for e in ranked if getattr(e, name) is not None), None))
    with_authors = next((e for e in ranked if e.authors), None)
    if with_authors is not None:
        paper.authors = list(with_authors.authors)
        paper.group_authors = list(with_authors.group_authors)
    if best.keywords or len(group) > 1:
        paper.keywords = list(dict.fromkeys(k for e in ranked for k in e.keywords))
    if paper.arxiv and not paper.url:
        paper.url = f"https://arxiv.org/abs/{paper.arxiv}"
    if len({e.title for e in group}) > 1:  # the slugs of its other titles (a preprint's, a typo's)
        others = (title_keys[id(e)] if title_keys else normalise_title(e.title) for e in ranked[1:])
        paper.aliases = [slug for slug in dict.fromkeys(slugify(k) for k in others) if slug]
    if errors is not None and len(group) > 1:
        conflicts(ranked, errors, prefix)
    return paper


def conflicts(ranked: list[SeedEntry], errors: ErrorCollector, prefix: str = "") -> None:
    """Warnings for merged sources that disagree: year, DOI, the text of the title."""

    def where(entry: SeedEntry) -> str:
        return f"{prefix}{entry.source.file}:{entry.source.line}"

    for name, label in (("year", "year"), ("doi", "DOI"), ("title", "title")):
        mine = next((e for e in ranked if getattr(e, name) is not None), None)
        if mine is None:
            continue
        for other in ranked:
            theirs = getattr(other, name)
            if other is mine or theirs is None or theirs == getattr(mine, name):
                continue
            shown, kept = (repr(theirs), repr(getattr(mine, name))) if name != "year" else (theirs, getattr(mine, name))
            errors.warn(
                InputError(
                    prefix + other.source.file,
                    other.source.line,
                    f"{label} {shown} differs from {kept} at {where(mine)} for the same paper; using {kept}",
                    "sources are ranked .bib/.ris/.json before .txt, published before preprint, then by file "
                    "and line; fix the one that is wrong or set it in content/papers/<id>.md",
                )
            )


def assign_ids(papers: list[Paper], past: PastIds | None = None) -> None:
    """Stable ids: the slug of the normalised title, derived from the paper itself.

    Alone on its slug, a paper gets the bare slug. When several papers'
    titles give the same slug (accents or symbols the slug drops, titles
    that share their first 80 characters), the slug belongs to the paper
    that held it first in the seeds' git history (`past`), and the others
    get `slug-<hash of their own title>`; among papers git has not seen,
    the one whose title spells the slug exactly, then the smaller title.
    So adding a paper, or renaming or removing another, never renames an
    existing paper, and two papers never share an id. The ids of a paper's
    past titles become its aliases (redirect pages): see read/pastids.py.
    """
    from litreview.read.pastids import PastIds

    past = past or PastIds()
    by_slug: dict[str, list[Paper]] = {}
    for paper in papers:
        by_slug.setdefault(slugify(paper.key) or "paper", []).append(paper)
    for slug, group in by_slug.items():
        holder = past.holder(slug, group) if slug != "paper" else None
        for paper in group:
            paper.id = slug if paper is holder else f"{slug}-{short_hash(paper.key)}"
    taken = {p.id for p in papers} | {"paper"}
    if past.entries:
        by_id = {p.id: p for p in papers}
        for pid, olds in past.old_ids(papers, taken).items():
            by_id[pid].aliases = [*by_id[pid].aliases, *olds]
    for paper in papers:
        paper.aliases = [a for a in dict.fromkeys(paper.aliases) if a != paper.id and a not in taken]


def near_duplicates(papers: list[Paper], errors: ErrorCollector, prefix: str = "") -> None:
    """Warnings for papers that look like one paper under two titles (never merged).

    A typo or a subtitle: titles whose normalised forms are at least
    NEAR_RATIO similar (rapidfuzz) or one is the other plus a subtitle.
    Candidates are found through the rarest words of each title, so this
    stays near-linear in the number of papers.
    """
    from litreview.read.neardup import near_pairs

    for a, b, why in near_pairs(papers):
        errors.warn(
            InputError(
                prefix + b.sources[0].file,
                b.sources[0].line,
                f'"{_short(b.title)}" looks like "{_short(a.title)}" at {prefix}{a.sources[0].file}:{a.sources[0].line} '
                f"({why}); kept as two papers",
                "if they are one paper, give both the same title, DOI or arXiv id",
            )
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def catalogue_warnings(site, seeds_dir: Path | None = None) -> list[str]:
    """`check`'s warnings about the seeds: skipped items, conflicts, near duplicates, papers without abstracts.

    Near duplicates are only looked for here, by `check`: a build does not pay for them.
    """
    found = ErrorCollector()
    near_duplicates([*site.papers, *site.hidden], found, f"{seeds_dir}/" if seeds_dir is not None else "")
    warnings = [w.format() for w in sorted([*site.warnings, *found.warnings], key=lambda w: (w.path, w.line or 0))]
    skipped = sum("it is not a paper" in w.message for w in site.warnings)
    if skipped:
        warnings.append(f"{skipped} item(s) without a title skipped (notes, attachments, bare web pages)")
    bare = [p for p in [*site.papers, *site.hidden] if not p.abstract]
    if bare:
        shown = ", ".join(f"{p.sources[0].file}:{p.sources[0].line}" for p in bare[:5])
        more = f" and {len(bare) - 5} more" if len(bare) > 5 else ""
        warnings.append(
            f"{len(bare)} paper(s) have no abstract ({shown}{more}): they are classified by title and keywords only"
        )
    return warnings


def load_catalogue(
    seeds_dir: Path,
    errors: ErrorCollector,
    read: SeedReader | None = None,
    history: SeedHistory | None = None,
    merge: GroupMerger | None = None,
) -> list[Paper]:
    """The de-duplicated papers of every seed file (read, history, merge: the engine's memoised steps)."""
    return merge_entries(read_entries(seeds_dir, errors, read), errors, seeds_dir, history, merge)
