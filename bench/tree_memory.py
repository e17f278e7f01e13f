"""Peak memory of a whole process tree: `python bench/tree_memory.py COMMAND...`.

bench/run.py reports the largest single process (wait4 rusage). litreview
forks workers that share the parent's memory copy-on-write, so the memory a
build really takes is the sum over its processes. This runs COMMAND and
samples /proc every 50 ms: the peak total PSS (each shared page divided
among the processes sharing it) and the peak summed RSS (shared pages
counted in every process: an upper bound). Linux only.

    .venv/bin/python bench/tree_memory.py .venv/bin/python build.py --seeds bench/work/corpus-10000/seeds --out /tmp/s

It also prints each process's PSS and RSS at that peak (the command first,
then its children in start order) and each process's own peak RSS, to show
which one to look at. The command's output is discarded; its errors (a
build's progress and --verbose stage times) are passed through.

With `--timeline FILE` first, it also writes every sample to FILE: seconds since the start,
the total PSS and each process's PSS in MB, to see which stage the peak falls in.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def process_tree(pid: int) -> list[int]:
    found = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in children:
        found += process_tree(int(child))
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KB; (0, 0) once it has gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    timeline = None
    if argv[0] == "--timeline" and len(argv) > 2:
        timeline, argv = open(argv[1], "w", encoding="utf-8"), argv[2:]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    at_peak: list[tuple[int, int]] = []  # each process's (PSS, RSS) when the total PSS peaked
    own_peaks: dict[int, int] = {}  # pid -> its own peak RSS
    while proc.poll() is None:
        pids = process_tree(proc.pid)
        usage = [memory_kb(pid) for pid in pids]
        pss, rss = sum(u[0] for u in usage), sum(u[1] for u in usage)
        if pss > peak_pss:
            peak_pss, at_peak = pss, usage
        for pid, (_, own) in zip(pids, usage):
            own_peaks[pid] = max(own_peaks.get(pid, 0), own)
        peak_rss = max(peak_rss, rss)
        if timeline is not None:
            each = " ".join(f"{u[0] / 1024:.0f}" for u in usage)
            print(f"{time.perf_counter() - start:.2f} {pss / 1024:.0f} {each}", file=timeline, flush=True)
        time.sleep(0.05)
    print(
        f"peak total PSS {peak_pss / 1024:.0f} MB ({len(at_peak)} processes), peak summed RSS {peak_rss / 1024:.0f} MB"
    )
    shown = ", ".join(f"{p / 1024:.0f} / {r / 1024:.0f}" for p, r in at_peak)
    print(f"  at that moment, PSS / RSS per process (the command first): {shown} MB", file=sys.stderr)
    peaks = ", ".join(f"{own / 1024:.0f}" for _, own in sorted(own_peaks.items()) if own)
    print(f"  each process's own peak RSS, in start order: {peaks} MB", file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
