"""Build the de-duplicated paper catalogue from every seed file.

The same paper is often scraped into several listings. One paper per
normalised title; every occurrence is kept as a source, and the metadata
of later occurrences fills what earlier ones lacked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from litreview.errors import ErrorCollector, InputError
from litreview.model import Paper, SeedEntry, Source
from litreview.read.listings import ParsedSeed, normalise_title, read_seed_file
from litreview.utils.slugs import short_hash, slugify
from litreview.utils.urls import find_urls

SEED_SUFFIXES = (".txt",)
ListingParser = Callable[[bytes, str], ParsedSeed]


def seed_files(seeds_dir: Path) -> list[Path]:
    """Seed files in a stable order (by name), so the first source wins ties."""
    if not seeds_dir.is_dir():
        raise InputError(str(seeds_dir), None, "seeds folder not found", "pass --seeds DIR or create seeds/")
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix in SEED_SUFFIXES)
    if not files:
        raise InputError(
            str(seeds_dir), None, "no seed files (*.txt) found", "add a listing such as seeds/my-papers.txt"
        )
    return files


def read_entries(seeds_dir: Path, errors: ErrorCollector, parse: ListingParser | None = None) -> list[SeedEntry]:
    """Every entry of every seed file; bad files add errors and are skipped."""
    entries: list[SeedEntry] = []
    for path in seed_files(seeds_dir):
        try:
            parsed = read_seed_file(path, display=str(path), parse=parse)
        except InputError as exc:
            errors.add(exc)
            continue
        for entry in parsed.entries:
            # Sources name the file within seeds/, whatever --seeds was.
            entry.source = Source(path.name, entry.source.line)
        entries.extend(parsed.entries)
    return entries


def merge_entries(entries: list[SeedEntry]) -> list[Paper]:
    """One Paper per normalised title, in order of first appearance."""
    by_key: dict[str, Paper] = {}
    for entry in entries:
        key = normalise_title(entry.title)
        paper = by_key.get(key)
        if paper is None:
            paper = Paper(
                id="",
                title=entry.title,
                abstract=entry.abstract,
                sources=[entry.source],
                key=key,
                links=find_urls(entry.abstract),
            )
            by_key[key] = paper
        else:
            paper.sources.append(entry.source)
        for name in ("authors_count", "organisation", "date", "year", "upvotes"):
            if getattr(paper, name) is None and getattr(entry, name) is not None:
                setattr(paper, name, getattr(entry, name))
    papers = list(by_key.values())
    assign_ids(papers)
    return papers


def assign_ids(papers: list[Paper]) -> None:
    """Stable ids: the slug of the normalised title.

    On a collision (titles that differ only in accents or punctuation, or
    share their first 80 characters) the paper whose key spells its slug
    exactly keeps it and the others get a suffix from a hash of their own
    key, so adding a paper never renames an existing one it collides with.
    """
    by_slug: dict[str, list[Paper]] = {}
    for paper in papers:
        by_slug.setdefault(slugify(paper.key) or "paper", []).append(paper)
    for slug, group in by_slug.items():
        for paper in group:
            exact = len(group) == 1 or paper.key == slug.replace("-", " ")
            paper.id = slug if exact and slug != "paper" else f"{slug}-{short_hash(paper.key)}"


def load_catalogue(seeds_dir: Path, errors: ErrorCollector, parse: ListingParser | None = None) -> list[Paper]:
    """The de-duplicated papers of every seed file (parse: the engine's memoised listing parser)."""
    return merge_entries(read_entries(seeds_dir, errors, parse))
