"""Past titles from git history: ids that survive retitles and removals.

A paper's id is the slug of its title (read/catalogue.py: assign_ids), so
two things would change a URL unasked: retitling the paper, and removing
the paper that held a slug another paper shares. Git already remembers
every title the seeds ever had, so nobody has to write aliases by hand:

* every version of every seed file ever committed is read once (memoised
  by its blob id, so a warm build reads none), giving each past entry its
  title key, DOI, arXiv id and abstract, in commit order;
* a slug belongs to the paper that first held it: a paper that got
  `slug-<hash>` because another held the slug keeps that id when the
  holder is removed or retitled;
* a current paper that matches a past entry with another title (same DOI,
  arXiv id or abstract) gets that title's old id as an alias, which the
  site publishes as a redirect page.

It is deterministic for a commit: the history is the history. Without git
(a tarball, a temporary folder) or in a shallow clone the history is what
git knows, possibly nothing; ids then fall back to today's titles alone.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from litreview.model import Paper, SeedEntry
from litreview.read.listings import normalise_title
from litreview.utils.slugs import short_hash, slugify

GIT_TIMEOUT_SECONDS = 30
_ZERO = "0" * 40


@dataclass(frozen=True)
class PastEntry:
    """What identifies one entry of one past version of a seed file."""

    key: str  # normalised title
    doi: str | None
    arxiv: str | None
    abstract: str  # a hash of the whitespace-normalised abstract; "" without one


@functools.lru_cache(maxsize=1 << 17)
def abstract_hash(text: str) -> str:
    """A short hash of the abstract's words, memoised: a build asks for each abstract's twice
    (its seed file's past entries, then the paper's signals), and serve after every edit."""
    words = " ".join(text.split())
    return hashlib.blake2b(words.encode("utf-8"), digest_size=10).hexdigest() if words else ""


def past_entry(entry: SeedEntry) -> PastEntry:
    return PastEntry(normalise_title(entry.title), entry.doi, entry.arxiv, abstract_hash(entry.abstract))


def paper_signals(paper: Paper) -> list[tuple[str, str]]:
    """What a paper is recognised by in the past, besides its title."""
    signals = [("abstract", abstract_hash(paper.abstract))]
    if paper.doi:
        signals.append(("doi", paper.doi))
    if paper.arxiv:
        signals.append(("arxiv", paper.arxiv))
    return [s for s in signals if s[1]]


def entry_signals(entry: PastEntry) -> list[tuple[str, str]]:
    signals = [("abstract", entry.abstract), ("doi", entry.doi or ""), ("arxiv", entry.arxiv or "")]
    return [s for s in signals if s[1]]


@dataclass
class PastIds:
    """Every distinct past entry, with the commit that first had it, indexed for assign_ids."""

    entries: list[PastEntry] = field(default_factory=list)
    first_seen: dict[str, int] = field(default_factory=dict)  # title key -> first commit (0 = oldest)
    on_slug: dict[str, list[tuple[int, PastEntry]]] = field(default_factory=dict)
    _seen: set[PastEntry] = field(default_factory=set)

    def add(self, commit: int, entry: PastEntry) -> None:
        if entry in self._seen:
            return
        self._seen.add(entry)
        self.entries.append(entry)
        self.first_seen.setdefault(entry.key, commit)
        self.on_slug.setdefault(slugify(entry.key) or "paper", []).append((commit, entry))

    def is_same(self, paper: Paper, entry: PastEntry) -> bool:
        return paper.key == entry.key or bool(set(paper_signals(paper)) & set(entry_signals(entry)))

    def holder(self, slug: str, group: list[Paper]) -> Paper | None:
        """The paper a contested slug belongs to: the one that first held it, if still here.

        Among entries of the same first commit, the title that spells the slug
        exactly, then the smaller title, as for papers git never saw. None when
        the first holder has gone or was retitled: the others keep their
        suffixed ids, and the slug can redirect to where its holder went.
        """
        spelled = slug.replace("-", " ")
        past = self.on_slug.get(slug)
        if past:
            _, first = min(past, key=lambda ce: (ce[0], ce[1].key != spelled, ce[1].key))
            same = [p for p in group if self.is_same(p, first)]
            return min(same, key=lambda p: (p.key != first.key, p.key)) if same else None
        never = len(self.first_seen) + 1
        return min(group, key=lambda p: (self.first_seen.get(p.key, never), p.key != spelled, p.key))

    def old_ids(self, papers: list[Paper], taken: set[str]) -> dict[str, list[str]]:
        """Paper id -> the ids its past titles had, for redirects; an old id claimed twice goes to nobody."""
        current_keys = {p.key for p in papers}
        owners: dict[tuple[str, str], list[Paper]] = {}
        for paper in papers:
            for signal in paper_signals(paper):
                owners.setdefault(signal, []).append(paper)
        claims: dict[str, set[str]] = {}
        found: dict[str, list[str]] = {}
        for entry in self.entries:
            if entry.key in current_keys:  # that title is a paper today: its URL is that paper's
                continue
            matched = {p.id for s in entry_signals(entry) for p in owners.get(s, ()) if len(owners[s]) == 1}
            if len(matched) != 1:
                continue
            (pid,) = matched
            slug = slugify(entry.key) or "paper"
            old = slug if slug not in taken else f"{slug}-{short_hash(entry.key)}"
            if old in taken or old in found.get(pid, ()):
                continue
            claims.setdefault(old, set()).add(pid)
            found.setdefault(pid, []).append(old)
        return {pid: [a for a in olds if len(claims[a]) == 1] for pid, olds in found.items()}


def git_seed_blobs(seeds_dir: Path) -> list[tuple[int, str, str]]:
    """(commit number, blob id, file name) of every version of every seed file ever committed,
    oldest first, each blob once; [] without git."""
    from litreview.read.catalogue import SEED_SUFFIXES

    git = shutil.which("git")
    if git is None or not seeds_dir.is_dir():
        return []
    command = [
        git, "-C", str(seeds_dir), "-c", "core.quotepath=off", "log", "--reverse", "--raw", "-z", "--no-abbrev",
        "--no-renames", "--format=%x1e", "--relative", "--no-show-signature", "--no-color", "--", ".",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    blobs: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for commit, record in enumerate(done.stdout.decode("utf-8", "surrogateescape").split("\x1e")[1:]):
        tokens = record.lstrip("\0\n").split("\0")
        for info, name in zip(tokens[::2], tokens[1::2]):
            fields = info.strip().split()
            if len(fields) != 5 or not fields[0].startswith(":"):
                continue
            blob = fields[3]
            if blob == _ZERO or blob in seen or "/" in name or name.startswith("."):
                continue
            if Path(name).suffix.lower() in SEED_SUFFIXES:
                seen.add(blob)
                blobs.append((commit, blob, name))
    return blobs


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def read_blob(seeds_dir: Path, blob: str) -> bytes:
    git = shutil.which("git") or "git"
    try:
        done = subprocess.run(
            [git, "-C", str(seeds_dir), "cat-file", "blob", blob],
            capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return b""
    return done.stdout if done.returncode == 0 else b""


def parse_past(name: str, data: bytes) -> list[PastEntry]:
    """The entries of one past version of a seed file; a version that no longer parses gives none."""
    from litreview.errors import InputError
    from litreview.read.listings import parse_seed_bytes
    from litreview.read.references import read_reference_file, sniff_format

    try:
        if name.lower().endswith(".txt"):
            if sniff_format(data[:4096].decode("utf-8", "replace")) is not None:
                return []
            entries = parse_seed_bytes(data, name).entries
        else:
            entries = read_reference_file(data, name).entries
    except InputError:
        return []
    return [past_entry(e) for e in entries if e.title.strip()]


class SeedHistory:
    """Where past seed versions come from; the engine's subclass memoises both answers."""

    def log(self, seeds_dir: Path) -> list[tuple[int, str, str]]:
        return git_seed_blobs(seeds_dir)

    def read(self, blob: str, name: str, data: Callable[[], bytes]) -> list[PastEntry]:
        return parse_past(name, data())

    def current(self, blob: str, name: str, entries: list[SeedEntry]) -> list[PastEntry]:
        """The past entries of a version git has that is also the file read for this build."""
        return [past_entry(e) for e in entries if e.title.strip()]

    def past_ids(self, seeds_dir: Path, current: dict[str, list[SeedEntry]]) -> PastIds:
        """load_past_ids through this history. What it gives depends on the git history alone
        (the files read for this build only spare parsing the versions git has), so the
        engine's subclass keeps it for the checked-out commit."""
        return load_past_ids(seeds_dir, current, self)


def load_past_ids(seeds_dir: Path, current: dict[str, list[SeedEntry]], history: SeedHistory | None = None) -> PastIds:
    """The seeds' history. `current`: file name -> entries of the files read for this build,
    reused for the versions git has as they are (most of them)."""
    history = history or SeedHistory()
    past = PastIds()
    blobs = history.log(seeds_dir)
    reuse = {}
    for name, entries in current.items() if blobs else ():
        try:
            reuse[git_blob_id((seeds_dir / name).read_bytes())] = entries
        except OSError:
            continue
    for commit, blob, name in blobs:
        if blob in reuse:
            entries = history.current(blob, name, reuse[blob])
        else:
            entries = history.read(blob, name, lambda b=blob: read_blob(seeds_dir, b))
        for entry in entries:
            past.add(commit, entry)
    return past
