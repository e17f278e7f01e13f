"""Deterministic "added" dates: when each paper first appeared, from git history.

A paper's date is the day the first seed file listing it was committed, so
the feed and "recently added" lists are the same on every build of the same
commit. It is never the wall clock: two builds are byte-identical.

One `git log` over the seeds folder per build gives every seed file's first
commit (renames followed). When that is unknown (no git, a tarball or fresh
export, a shallow clone's cut-off, a file not committed yet) the fallbacks
are, in order:

1. SOURCE_DATE_EPOCH (the reproducible-builds convention), if set;
2. the paper's own listing date ("Dec 5, 2024", or its year -> Jan 1);
3. FALLBACK_DATE, a fixed documented epoch (1970-01-01).

Dates are ISO calendar dates in UTC ("2026-11-25").
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from litreview.model import Paper

FALLBACK_DATE = "1970-01-01"
GIT_TIMEOUT_SECONDS = 30
_RECORD = "\x1e"  # separates commits in the git log output
_MONTHS = {
    m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)
}


def iso_date(moment: datetime) -> str:
    """The UTC calendar date of an aware datetime."""
    return moment.astimezone(UTC).date().isoformat()


def git_log(seeds_dir: Path) -> str | None:
    """Raw `git log` of additions and renames under seeds_dir, oldest first; None without git."""
    git = shutil.which("git")
    if git is None or not seeds_dir.is_dir():
        return None
    command = [
        git, "-C", str(seeds_dir), "-c", "core.quotepath=off", "log",
        f"--format={_RECORD}%H %cI", "--name-status", "-z", "-M", "--diff-filter=AR",
        "--reverse", "--relative", "--no-show-signature", "--no-color", "--", ".",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:  # not a repository, no commits yet, dubious ownership...
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def shallow_cutoffs(seeds_dir: Path) -> set[str]:
    """Commits where a shallow clone's history is cut: their 'additions' are not real."""
    git = shutil.which("git")
    if git is None:
        return set()
    try:
        done = subprocess.run(
            [git, "-C", str(seeds_dir), "rev-parse", "--path-format=absolute", "--git-path", "shallow"],
            capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False, text=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return set()
    shallow = Path(done.stdout.strip()) if done.returncode == 0 else None
    if shallow is None or not shallow.is_file():
        return set()
    return set(shallow.read_text(encoding="ascii", errors="replace").split())


def parse_git_log(text: str, cutoffs: Iterable[str] = ()) -> dict[str, str]:
    """File (relative to the seeds folder) -> ISO date of the commit that first added it.

    `text` is oldest-first; a renamed file keeps the date its old name was added.
    Additions in a shallow clone's cut-off commits are ignored (unknown date).
    """
    cut = set(cutoffs)
    added: dict[str, str] = {}
    for record in text.split(_RECORD):
        if not record.strip():
            continue
        header, _, rest = record.partition("\0")
        commit, _, stamp = header.strip().partition(" ")
        try:
            day = iso_date(datetime.fromisoformat(stamp.strip()))
        except ValueError:
            continue
        tokens = [t for t in rest.lstrip("\n").split("\0") if t]
        i = 0
        while i < len(tokens):
            status = tokens[i]
            if status.startswith(("R", "C")) and i + 2 < len(tokens):
                old, new = tokens[i + 1], tokens[i + 2]
                inherited = added.get(old)
                if new not in added and (inherited or commit not in cut):
                    added[new] = inherited or day
                i += 3
            elif status.startswith("A") and i + 1 < len(tokens):
                path = tokens[i + 1]
                if path not in added and commit not in cut:
                    added[path] = day
                i += 2
            else:
                i += 1
    return added


def seed_dates(seeds_dir: Path) -> dict[str, str]:
    """Seed file name -> the date it was first committed; {} when git knows nothing."""
    text = git_log(seeds_dir)
    if text is None:
        return {}
    return parse_git_log(text, shallow_cutoffs(seeds_dir))


def source_date_epoch() -> str | None:
    """SOURCE_DATE_EPOCH as an ISO date, if set to a valid integer."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return iso_date(datetime.fromtimestamp(int(value), UTC))
    except (ValueError, OverflowError, OSError):
        return None


def listing_date(paper: Paper) -> str | None:
    """The paper's own date: its listing's ("Dec 5, 2024"), a reference export's ISO date, or Jan 1 of its year."""
    if paper.date and len(paper.date) == 10 and paper.date[4] == "-" and paper.date[7] == "-":
        try:
            return datetime.strptime(paper.date, "%Y-%m-%d").date().isoformat()
        except ValueError:
            pass
    if paper.date and paper.year:
        month_day = paper.date.split(",", 1)[0].split()
        if len(month_day) == 2 and month_day[0][:3] in _MONTHS and month_day[1].isdigit():
            try:
                return datetime(paper.year, _MONTHS[month_day[0][:3]], int(month_day[1])).date().isoformat()
            except ValueError:
                pass
    if paper.year and 1 <= paper.year <= 9999:
        return f"{paper.year:04d}-01-01"
    return None


def added_dates(seeds_dir: Path, papers: Iterable[Paper], known: dict[str, str] | None = None) -> None:
    """Set paper.added for every paper: the earliest first-commit date of its sources
    (known: seed_dates(seeds_dir), when the caller has it)."""
    known = seed_dates(Path(seeds_dir)) if known is None else known
    epoch = source_date_epoch()
    for paper in papers:
        dates = [known[s.file] for s in paper.sources if s.file in known]
        paper.added = min(dates) if dates else (epoch or listing_date(paper) or FALLBACK_DATE)
