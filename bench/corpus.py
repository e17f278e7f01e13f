"""Benchmark corpora: the real seeds, and bigger synthetic ones made from them.

Synthetic corpora recombine title fragments and abstract sentences of the
478 real papers with a seeded RNG, so a corpus of n papers is the same on
every machine and every run, looks like real input to every generator
(same vocabulary, lengths and punctuation), and has unique titles. They are
written in the plain ``paragraphs`` seed layout (title, blank line,
abstract, blank line), a few hundred papers per file like real listings.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from litreview.errors import ErrorCollector  # noqa: E402
from litreview.model import Paper  # noqa: E402
from litreview.read.catalogue import load_catalogue  # noqa: E402
from litreview.read.listings import normalise_title  # noqa: E402

SEED_DIR = PROJECT_ROOT / "seeds"
PAPERS_PER_FILE = 250
EDIT_MARK = " This sentence was added by the benchmark's one-paper edit."
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Corpus:
    """A corpus on disk: its name ("seed" or the paper count) and seeds folder."""

    name: str
    seeds: Path

    @property
    def root(self) -> Path:
        return self.seeds.parent


def load_papers(seeds: Path) -> list[Paper]:
    """The catalogue litreview itself reads from a seeds folder."""
    errors = ErrorCollector()
    papers = load_catalogue(seeds, errors)
    errors.raise_if_any()
    return papers


@dataclass(frozen=True)
class Pools:
    """Raw material cut from the real papers."""

    heads: list[str]  # text before the colon of "Name: what it does" titles
    tails: list[str]  # text after the colon, or whole colon-free titles
    sentences: list[str]


def make_pools(papers: list[Paper]) -> Pools:
    heads: set[str] = set()
    tails: set[str] = set()
    sentences: set[str] = set()
    for paper in papers:
        head, sep, tail = paper.title.partition(": ")
        if sep and head.strip() and tail.strip():
            heads.add(head.strip())
            tails.add(tail.strip())
        else:
            tails.add(paper.title.strip())
        for sentence in SENTENCE_SPLIT.split(paper.abstract):
            sentence = sentence.strip()
            if 20 <= len(sentence) <= 600:
                sentences.add(sentence)
    return Pools(sorted(heads), sorted(tails), sorted(sentences))


def synthesize(n: int, pools: Pools, seed: int = 20261125) -> list[tuple[str, str]]:
    """n (title, abstract) pairs with unique normalised titles; deterministic."""
    rng = random.Random(f"{seed}:{n}")
    seen: set[str] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < n:
        tail = rng.choice(pools.tails)
        title = f"{rng.choice(pools.heads)}: {tail}" if rng.random() < 0.7 else tail
        base, attempt = title, 2
        key = normalise_title(title)
        while key in seen:
            title = f"{base} ({attempt})"
            key = normalise_title(title)
            attempt += 1
        seen.add(key)
        abstract = " ".join(rng.sample(pools.sentences, rng.randint(4, 10)))
        pairs.append((title, abstract))
    return pairs


def write_seed_files(pairs: list[tuple[str, str]], seeds: Path) -> None:
    """Paragraph-layout seed files, PAPERS_PER_FILE papers each."""
    if seeds.exists():
        shutil.rmtree(seeds)
    seeds.mkdir(parents=True)
    for start in range(0, len(pairs), PAPERS_PER_FILE):
        chunk = pairs[start : start + PAPERS_PER_FILE]
        text = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in chunk)
        (seeds / f"bench_{start // PAPERS_PER_FILE:04d}.txt").write_text(text, encoding="utf-8")


def prepare(name: str, work: Path) -> Corpus:
    """Write corpus `name` ("seed" or a paper count) under work/corpus-<name>/seeds/.

    Always rewritten from scratch, so an edit left behind by an interrupted
    run never leaks into the next one.
    """
    seeds = work / f"corpus-{name}" / "seeds"
    if name == "seed":
        if seeds.exists():
            shutil.rmtree(seeds)
        seeds.mkdir(parents=True)
        for path in sorted(SEED_DIR.glob("*.txt")):
            shutil.copyfile(path, seeds / path.name)
    else:
        pairs = synthesize(int(name), make_pools(load_papers(SEED_DIR)))
        write_seed_files(pairs, seeds)
    commit_corpus(seeds.parent)
    return Corpus(name, seeds)


def commit_corpus(root: Path) -> None:
    """Make the corpus folder its own git repository with one fixed commit.

    Like a user's site repository: litreview dates papers from the seeds'
    git history and keys its build cache on the checked-out commit, so a
    corpus inside the (busy) project repository would see a new commit
    every time anyone commits there.
    """
    if shutil.which("git") is None:
        return
    rm_git = root / ".git"
    if rm_git.exists():
        shutil.rmtree(rm_git)
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
        GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2024-01-01T00:00:00Z",
    )
    for argv in (["init", "-q"], ["add", "seeds"], ["commit", "-q", "--no-gpg-sign", "-m", "benchmark corpus"]):
        subprocess.run(["git", "-C", str(root), *argv], check=True, env=env, capture_output=True)


def edit_target(papers: list[Paper]) -> Paper:
    """The paper the one-change rebuild edits: the middle one, deterministically."""
    return papers[len(papers) // 2]


def toggle_seed_edit(corpus: Corpus, paper: Paper) -> bool:
    """Append EDIT_MARK to the paper's abstract in its seed file, or remove it.

    Returns True if the mark is now present. The abstract's last line is
    found by its text, so this works for every seed layout.
    """
    path = corpus.seeds / paper.sources[0].file
    text = path.read_text(encoding="utf-8")
    if EDIT_MARK in text:
        path.write_text(text.replace(EDIT_MARK, "", 1), encoding="utf-8")
        return False
    ending = paper.abstract[-60:]
    lines = text.split("\n")
    start = paper.sources[0].line  # the title's line (1-based); the abstract follows
    for i in range(start - 1, len(lines)):
        if " ".join(lines[i].split()).endswith(" ".join(ending.split())):
            lines[i] = lines[i].rstrip() + EDIT_MARK
            path.write_text("\n".join(lines), encoding="utf-8")
            return True
    raise RuntimeError(f"cannot find the abstract of {paper.id} in {path}")


def main(argv: list[str]) -> int:
    """python bench/corpus.py N [N...]: write corpora under bench/work/."""
    for name in argv or ["seed", "1000", "10000"]:
        corpus = prepare(name, BENCH_DIR / "work")
        print(f"{corpus.seeds}: {len(load_papers(corpus.seeds))} papers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
