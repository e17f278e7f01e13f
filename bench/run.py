"""Benchmark litreview against MkDocs, Pelican and Hugo in one run: `make bench`.

For every corpus (the 478 real papers, then synthetic 1,000 and 10,000) and
every generator it times three builds, each in a fresh child process:

* cold: output and every cache removed first;
* no-change: rebuild right after a build, inputs untouched;
* one-change: rebuild after one paper's abstract was edited (the edit is
  toggled on and off, so every run rebuilds a real one-paper change).

Wall time is the median of the runs; peak memory is the child's maximum
resident set size (wait4 rusage); output size is bytes and files in the
output folder. For litreview, the one-change output is also compared with a
cold build of the same changed input, which must be identical.
Results: a table on stdout, bench/results/latest.md and latest.svg, and
every single run in bench/results/raw/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpora
import peers
import report

BENCH_DIR = Path(__file__).resolve().parent
WORK = BENCH_DIR / "work"
RESULTS = BENCH_DIR / "results"
MODES = ("cold", "no-change", "one-change")
# build.py --verbose: "parse 85ms  papers+search+export (parallel) 117000ms  ..." (two spaces apart)
STAGE_RE = re.compile(r"(?:^|  )([^ ].*?) (\d+)ms(?=  |$)", re.M)
N_TOPICS = 18


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    status: str  # "ok", "timeout" or "failed (exit N)"
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class Cell:
    """All runs of one generator on one corpus."""

    generator: str
    corpus: str
    papers: int
    runs: dict[str, list[Run]] = field(default_factory=lambda: {m: [] for m in MODES})
    output_bytes: int = 0
    output_files: int = 0
    identical: str = ""  # litreview only: one-change output vs a cold build
    note: str = ""

    def status(self, mode: str) -> str:
        runs = self.runs[mode]
        if not runs:
            return "skipped"
        bad = [r.status for r in runs if r.status != "ok"]
        return bad[0] if bad else "ok"

    def median(self, mode: str) -> float | None:
        if self.status(mode) != "ok":
            return None
        return statistics.median(r.seconds for r in self.runs[mode])

    def peak_mb(self) -> float:
        return max((r.max_rss_kb for runs in self.runs.values() for r in runs), default=0) / 1024


def timed(argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[Run, str]:
    """Run argv in a fresh child; wall time, peak RSS and stderr.

    os.wait4 gives the rusage of exactly this child (and what it waited
    for), so memory is per run, not a maximum over the whole benchmark.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if killed.is_set():
        state = "timeout"
    elif proc.returncode != 0:
        state = f"failed (exit {proc.returncode})"
    else:
        state = "ok"
    return Run(seconds, usage.ru_maxrss, state), stderr


def tree_size(root: Path) -> tuple[int, int]:
    total = files = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return total, files


def measure(gen: peers.Generator, project: peers.Project, inputs: peers.Inputs, cell: Cell, args) -> None:
    """Cold, no-change and one-change runs of one generator on one corpus."""
    n = args.runs or (3 if cell.papers > 5000 else 5)
    if args.quick:
        n = 1
    for mode in MODES:
        spent = 0.0
        for i in range(n):
            if i and spent + spent / i > args.budget:
                cell.note = f"fewer runs than {n}: each mode is time-boxed to {args.budget:.0f}s"
                break
            if mode == "cold":
                gen.clean(project)
            elif mode == "one-change":
                gen.toggle_edit(project, inputs)
            run, stderr = timed(gen.command(project), project.root, gen.env(project), args.timeout)
            if gen.name == "litreview":
                run.stages = {name: int(ms) / 1000 for name, ms in STAGE_RE.findall(stderr)}
            cell.runs[mode].append(run)
            spent += run.seconds
            label = f"{gen.name:9} {cell.corpus:>6} {mode:10} run {i + 1}/{n}"
            print(f"  {label}: {run.seconds:7.2f}s {run.max_rss_kb / 1024:7.0f}MB {run.status}", file=sys.stderr)
            if run.status != "ok":
                print(stderr[-2000:], file=sys.stderr)
                break
        if cell.status(mode) != "ok":
            break
    if cell.status("cold") == "ok":
        cell.output_bytes, cell.output_files = tree_size(gen.output(project))
    if gen.name == "litreview" and cell.status("one-change") == "ok":
        cell.identical = verify_rebuild(gen, project, args)
    if project.edited:
        gen.toggle_edit(project, inputs)


def verify_rebuild(gen: peers.Generator, project: peers.Project, args) -> str:
    """Is litreview's incremental output identical to a cold build of the same input?"""
    fresh = peers.Project(WORK / "projects" / f"litreview-{project.corpus.name}-verify", project.corpus)
    fresh.root.mkdir(parents=True, exist_ok=True)
    gen.clean(fresh)
    run, stderr = timed(gen.command(fresh), fresh.root, gen.env(fresh), args.timeout)
    if run.status != "ok":
        return f"could not verify: cold build {run.status}"
    diff = subprocess.run(
        ["diff", "-rq", str(gen.output(project)), str(gen.output(fresh))], capture_output=True, text=True
    )
    if diff.returncode == 0:
        return "identical"
    lines = diff.stdout.strip().splitlines()
    (RESULTS / "raw").mkdir(parents=True, exist_ok=True)
    (RESULTS / "raw" / f"diff-{project.corpus.name}.txt").write_text(diff.stdout)
    return f"DIFFERS ({len(lines)} files; see results/raw/diff-{project.corpus.name}.txt)"


def peer_inputs(papers, lit_output: Path | None, lit_source: Path) -> peers.Inputs:
    """Topics for the peers: litreview's own assignment if it made one, else a hash."""
    assigned: dict[str, list[str]] = {}
    if lit_output and (lit_output / "papers.json").exists():
        for record in json.loads((lit_output / "papers.json").read_text(encoding="utf-8")):
            if record.get("topics"):
                assigned[record["id"]] = list(record["topics"])
    docs: list[peers.Doc] = []
    if len(assigned) >= len(papers) // 2:
        source = "litreview's papers.json"
        for p in papers:
            docs.append(peers.Doc(p.id, p.title, p.abstract, assigned.get(p.id) or ["unsorted"]))
        slugs = sorted({t for d in docs for t in d.topics})
        topics = {slug: topic_title(slug, lit_source) for slug in slugs}
    else:
        source = f"hash of the id into {N_TOPICS} topics (litreview assigned none)"
        topics = {f"topic-{i + 1:02d}": f"Topic {i + 1}" for i in range(N_TOPICS)}
        for p in papers:
            index = int(corpora_hash(p.id), 16) % N_TOPICS
            docs.append(peers.Doc(p.id, p.title, p.abstract, [f"topic-{index + 1:02d}"]))
    return peers.Inputs(docs, topics, source)


def corpora_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def topic_title(slug: str, source: Path) -> str:
    path = source / "content" / "topics" / f"{slug}.md"
    if path.exists():
        match = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", path.read_text(encoding="utf-8"), re.M)
        if match:
            return match.group(1)
    return slug.replace("-", " ").capitalize()


def machine_info(gens: list[peers.Generator]) -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "date (UTC)": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    for gen in gens:
        try:
            info[gen.name] = gen.version(WORK)
        except (OSError, subprocess.CalledProcessError) as exc:
            info[gen.name] = f"unknown ({exc})"
    return info


def save(cells: list[Cell], info: dict[str, str], topics: dict[str, str], args, stamp: str, final: bool) -> None:
    """Raw runs and a partial report after every cell (an interrupted run still
    leaves its figures in results/raw/); latest.md and latest.svg at the end."""
    raw_dir = RESULTS / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    raw = {"args": vars(args), "machine": info, "topics": topics, "final": final, "cells": [asdict(c) for c in cells]}
    (raw_dir / f"{stamp}.json").write_text(json.dumps(raw, indent=1, default=str) + "\n")
    md, svg = report.markdown(cells, info, topics, args), report.svg(cells)
    if final and not args.no_write:
        (RESULTS / "latest.md").write_text(md, encoding="utf-8")
        (RESULTS / "latest.svg").write_text(svg, encoding="utf-8")
        print(f"wrote {RESULTS / 'latest.md'} and latest.svg", file=sys.stderr)
    else:
        (raw_dir / f"{stamp}.md").write_text(md, encoding="utf-8")
        (raw_dir / f"{stamp}.svg").write_text(svg, encoding="utf-8")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="seed,1000,10000", help="comma-separated: seed and/or paper counts")
    parser.add_argument("--generators", default=",".join(peers.GENERATORS), help="comma-separated subset")
    parser.add_argument("--runs", type=int, default=0, help="runs per mode (default 5, or 3 above 5,000 papers)")
    parser.add_argument("--quick", action="store_true", help="one run per mode, corpora seed and 1000 only")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before one build is killed (default 300)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60,
        help="stop repeating a mode once its runs took this many seconds (default 60)",
    )
    parser.add_argument(
        "--snapshot",
        nargs="?",
        const="HEAD",
        metavar="COMMIT",
        help="build litreview from a git snapshot of COMMIT (default HEAD) instead of the working tree",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table only; leave results/latest.* alone")
    args = parser.parse_args(argv)
    if args.quick and args.corpora == parser.get_default("corpora"):
        args.corpora = "seed,1000"
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    lock = open(WORK / ".lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("another benchmark is running in bench/work/; wait for it to finish", file=sys.stderr)
        return 2
    names = [g.strip() for g in args.generators.split(",") if g.strip()]
    unknown = [g for g in names if g not in peers.GENERATORS]
    if unknown or "litreview" not in names:
        print(f"--generators must include litreview and name only {', '.join(peers.GENERATORS)}", file=sys.stderr)
        return 2
    gens: list[peers.Generator] = []
    for name in names:
        if name == "litreview" and args.snapshot:
            source, label = peers.snapshot(args.snapshot, WORK)
            gens.append(peers.Litreview(WORK, source, label))
        else:
            gens.append(peers.GENERATORS[name](WORK))
    lit = next(g for g in gens if isinstance(g, peers.Litreview))
    for gen in gens:
        gen.ensure_installed(WORK)
    info = machine_info(gens)
    started = time.perf_counter()
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    cells: list[Cell] = []
    topic_sources: dict[str, str] = {}
    for name in [c.strip() for c in args.corpora.split(",") if c.strip()]:
        corpus = corpora.prepare(name, WORK)
        papers = corpora.load_papers(corpus.seeds)
        target = corpora.edit_target(papers)
        print(f"corpus {name}: {len(papers)} papers, one-change edits {target.id}", file=sys.stderr)
        inputs: peers.Inputs | None = None
        lit_output: Path | None = None
        for gen in gens:
            project = peers.Project(WORK / "projects" / f"{gen.name}-{name}", corpus, extra={"edit_paper": target})
            if inputs is None and gen.name != "litreview":
                inputs = peer_inputs(papers, lit_output, lit.source)
                inputs.edit_id = target.id
                topic_sources[name] = inputs.source
            gen.setup(project, inputs)  # litreview ignores inputs
            cell = Cell(gen.name, name, len(papers))
            measure(gen, project, inputs, cell, args)
            cells.append(cell)
            save(cells, info, topic_sources, args, stamp, final=False)
            if gen.name == "litreview":
                lit_output = gen.output(project)
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["total benchmark time"] = f"{time.perf_counter() - started:.0f}s"
    print(report.text_table(cells))
    save(cells, info, topic_sources, args, stamp, final=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
