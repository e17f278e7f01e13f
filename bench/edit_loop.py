"""The edit loop: how long `serve` takes to show an edit. `make bench-serve`.

For each corpus (the 478 real papers, then synthetic ones) it starts
`build.py serve` on a copy of the corpus and the shipped content, waits for
the first build, then makes each kind of edit a maintainer makes, again and
again (toggled on and off, so every run is a real change):

* topic intro: a sentence added to / removed from a topic's introduction;
* one abstract: a sentence added to / removed from one paper's abstract.

The time of one edit is from writing the file to the moment the served
page shows the change, found as a browser finds it: the bench listens to
the server-sent events an open page listens to and fetches the page over
HTTP when a build is announced. (It used to poll the page every 2 ms; those
requests competed with the rebuild for the server's interpreter and added
their own delay to every figure.) Reported: the median and the slowest of the runs, and the
ratio of the median to a cold `build.py --no-cache` of the same corpus in
the same run. Results: stdout and bench/results/edit-loop.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import corpus as corpora  # noqa: E402

WORK = BENCH_DIR / "work"
RESULTS = BENCH_DIR / "results"
TOPIC = "quantization"
INTRO_MARK = "The benchmark added this sentence to the introduction."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except OSError:
        return b""


def wait_until(predicate, timeout: float, step: float = 0.002) -> float:
    """Seconds until predicate() holds (polling every step), or raise."""
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the served site did not change")
        time.sleep(step)
    return time.perf_counter() - start


class Events:
    """The server-sent events of `serve` (/__events), read as an open page reads them."""

    def __init__(self, port: int, timeout: float, page: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.connection.request("GET", "/__events?page=" + urllib.parse.quote(page))  # as the page's script does
        self.response = self.connection.getresponse()
        self.build = self.next()["build"]  # the state when the page opened

    def next(self) -> dict:
        """The next announced state (keep-alive comments skipped)."""
        while True:
            line = self.response.fp.readline()
            if not line:
                raise TimeoutError("the event stream ended")
            if line.startswith(b"data: "):
                return json.loads(line[len(b"data: ") :])

    def wait_for_page(self, url: str, shows) -> None:
        """Wait for a new build after which the page at url shows(page) what the edit made."""
        while True:
            state = self.next()
            if state["error"]:
                raise RuntimeError(f"the rebuild failed: {state['error']}")
            if state["build"] != self.build:
                self.build = state["build"]
                if shows(fetch(url)):
                    return

    def close(self) -> None:
        self.connection.close()


def cold_build(root: Path) -> float:
    out = root / "cold"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--no-cache", "--seeds", "seeds", "--content", "content",
         "--out", str(out)],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def measure(name: str, runs: int) -> dict:
    corpus = corpora.prepare(name, WORK)
    root = corpus.root
    shutil.rmtree(root / "content", ignore_errors=True)
    shutil.copytree(PROJECT / "content", root / "content")
    papers = corpora.load_papers(corpus.seeds)
    target = corpora.edit_target(papers)
    cold = cold_build(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = root / "serve.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port), "--out", str(root / "served")],
            cwd=root,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: json.loads(fetch(base + "__livereload") or b"{}").get("build", 0) >= 1, 600, 0.1)
        intro = root / "content" / "topics" / f"{TOPIC}.md"
        original_intro = intro.read_text(encoding="utf-8")
        topic_page = base + f"topics/{TOPIC}.html"
        paper_page = base + f"papers/{target.id}.html"
        mark = b"one-paper edit"  # a part of corpora.EDIT_MARK that HTML shows unescaped
        times: dict[str, list[float]] = {"topic intro": [], "one abstract": []}

        def logged() -> int:  # rebuilds that have ended, as serve's log says
            return len(re.findall(rb"files changed in \d+ ms", log.read_bytes()))

        for i in range(runs):
            # Each edit is watched by its page, open as in a browser: the server renders it first.
            # Before the next edit, the whole rebuild of the last one has ended.
            events = Events(port, 300, f"/topics/{TOPIC}.html")
            time.sleep(0.3)  # let the previous rebuild settle
            on = i % 2 == 0
            start = time.perf_counter()
            intro.write_text(original_intro + (f"\n{INTRO_MARK}\n" if on else ""), encoding="utf-8")
            events.wait_for_page(topic_page, lambda page, on=on: (INTRO_MARK.encode() in page) == on)
            times["topic intro"].append(time.perf_counter() - start)
            events.close()
            wait_until(lambda i=i: logged() >= 2 + 2 * i, 600, 0.01)
            events = Events(port, 300, f"/papers/{target.id}.html")
            time.sleep(0.3)
            start = time.perf_counter()
            present = corpora.toggle_seed_edit(corpus, target)
            events.wait_for_page(paper_page, lambda page, present=present: (mark in page) == present)
            times["one abstract"].append(time.perf_counter() - start)
            events.close()
            wait_until(lambda i=i: logged() >= 3 + 2 * i, 600, 0.01)
        intro.write_text(original_intro, encoding="utf-8")
        if corpora.EDIT_MARK in (corpus.seeds / target.sources[0].file).read_text(encoding="utf-8"):
            corpora.toggle_seed_edit(corpus, target)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    # The whole rebuild of each edit, as serve logs it (the open page is shown before it ends).
    rebuilds = [int(ms) / 1000 for ms in re.findall(r"files changed in (\d+) ms", log.read_text(encoding="utf-8"))]
    whole = {"topic intro": rebuilds[1 : 1 + 2 * runs : 2], "one abstract": rebuilds[2 : 1 + 2 * runs : 2]}
    return {"corpus": name, "papers": len(papers), "cold": cold, "times": times, "whole": whole}


def render(results: list[dict], runs: int) -> str:
    lines = [
        "# Edit loop: `serve`, from saving a file to the served page showing it",
        "",
        f"Median (slowest) of {runs} edits each, seconds; ratio = median / cold `build.py --no-cache` of the same "
        f"corpus in the same run. Machine: {os.cpu_count()} cores. Command: `python bench/edit_loop.py`.",
        "",
        "The page is shown once the server has rendered the open page from the edited inputs; the",
        "whole rebuild (median, from serve's log; the rest of the site, related papers included) ends later.",
        "",
        "| corpus | cold build | topic intro | ratio | whole rebuild | one abstract | ratio | whole rebuild |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cells = [f"{r['papers']:,} papers", f"{r['cold']:.2f}"]
        for kind in ("topic intro", "one abstract"):
            median = statistics.median(r["times"][kind])
            cells += [f"{median:.3f} ({max(r['times'][kind]):.3f})", f"{median / r['cold']:.3f}"]
            whole = r["whole"].get(kind)
            cells.append(f"{statistics.median(whole):.3f}" if whole else "?")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="seed,10000", help="comma-separated: seed and/or paper counts")
    parser.add_argument("--runs", type=int, default=9, help="edits of each kind per corpus (default 9)")
    args = parser.parse_args(argv)
    results = []
    for name in args.corpora.split(","):
        result = measure(name.strip(), args.runs)
        results.append(result)
        print(render(results, args.runs), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "edit-loop.md").write_text(render(results, args.runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
