"""The edit loop's rebuild alone: CPU time of `Preview.rebuild()` after each kind of edit.

`python bench/rebuild_cpu.py [--corpora seed,10000] [--runs 9] [--root DIR] [--open] [--cprofile FILE [--profile-edit intro]]`

Runs in this process, without the watcher or HTTP: the serve's resident
Preview builds a copy of the corpus once (not timed), then each run makes a
topic-intro edit and a one-abstract edit (the same as bench/edit_loop.py,
toggled on and off) and times each rebuild with time.process_time, which a
busy machine disturbs less than the wall clock. Prints the median and the
slowest of each kind, in milliseconds. With --open, as `serve` does with the
edited page open in a browser: that page rendered first (the "shown" times),
then the rest of the site. To compare two versions of the code,
run this from each checkout one right after the other (paired runs).
"""

from __future__ import annotations

import argparse
import cProfile
import shutil
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(PROJECT))

import corpus as corpora  # noqa: E402
from edit_loop import INTRO_MARK, TOPIC, WORK  # noqa: E402


def measure(
    root: Path, runs: int, profile: cProfile.Profile | None, profiled: str = "all", first: bool = False
) -> dict[str, list[float]]:
    from litreview.commands.serve import Preview
    from litreview.engine.pipeline import BuildOptions

    seeds = root / "seeds"
    corpus = corpora.Corpus(root.name, seeds)
    target = corpora.edit_target(corpora.load_papers(seeds))
    if corpora.EDIT_MARK in (seeds / target.sources[0].file).read_text(encoding="utf-8"):
        corpora.toggle_seed_edit(corpus, target)
    intro = root / "content" / "topics" / f"{TOPIC}.md"
    original = intro.read_text(encoding="utf-8")
    options = BuildOptions(seeds=seeds, content=root / "content", out=root / "rebuilt", cache=None, jobs=1)
    preview = Preview(options)
    preview.rebuild()
    times: dict[str, list[float]] = {"topic intro": [], "one abstract": []}
    if first:
        times.update({"topic intro shown": [], "one abstract shown": []})
    pages = {"topic intro": [f"topics/{TOPIC}.html"], "one abstract": [f"papers/{target.id}.html"]}
    try:
        for i in range(runs):
            intro.write_text(original + (f"\n{INTRO_MARK}\n" if i % 2 == 0 else ""), encoding="utf-8")
            timed(preview, profile if profiled in ("all", "intro") else None, times, "topic intro", first and pages)
            corpora.toggle_seed_edit(corpus, target)
            timed(preview, profile if profiled in ("all", "abstract") else None, times, "one abstract", first and pages)
    finally:
        intro.write_text(original, encoding="utf-8")
        if corpora.EDIT_MARK in (seeds / target.sources[0].file).read_text(encoding="utf-8"):
            corpora.toggle_seed_edit(corpus, target)
    return times


def timed(preview, profile: cProfile.Profile | None, times: dict, kind: str, pages: dict | bool = False) -> None:
    """Time one rebuild into times[kind]; with pages (serve with that page open), the time
    until the open page is rendered goes to times[kind + " shown"] and the whole to times[kind]."""
    if profile is not None:
        profile.enable()
    start = time.process_time()
    site = None
    if pages:
        site, shown = preview.first_pages(pages[kind])
        assert shown, "the open page was not rendered"
        times[kind + " shown"].append(time.process_time() - start)
    _, changed = preview.refresh(site)
    preview.tidy()
    spent = time.process_time() - start
    if profile is not None:
        profile.disable()
    assert changed, "the edit changed no file"
    times[kind].append(spent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="seed,10000", help="comma-separated: seed and/or paper counts")
    parser.add_argument("--runs", type=int, default=9, help="edits of each kind (default 9)")
    parser.add_argument("--root", type=Path, help="an existing corpus folder (seeds/ and content/) instead")
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of the timed rebuilds here")
    parser.add_argument(
        "--open", action="store_true", help="as serve with the edited page open: time it shown first, then the whole"
    )
    parser.add_argument(
        "--profile-edit", choices=["all", "intro", "abstract"], default="all", help="which edits --cprofile records"
    )
    args = parser.parse_args(argv)
    profile = cProfile.Profile() if args.cprofile else None
    roots = [args.root] if args.root else []
    for name in [] if args.root else args.corpora.split(","):
        corpus = corpora.prepare(name.strip(), WORK)
        shutil.rmtree(corpus.root / "content", ignore_errors=True)
        shutil.copytree(PROJECT / "content", corpus.root / "content")
        roots.append(corpus.root)
    for root in roots:
        times = measure(root, args.runs, profile, args.profile_edit, args.open)
        cells = [f"{kind} {statistics.median(t) * 1000:.0f} ms ({max(t) * 1000:.0f})" for kind, t in times.items()]
        print(f"{root.name}: " + ", ".join(cells), flush=True)
    if profile is not None:
        profile.dump_stats(str(args.cprofile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
