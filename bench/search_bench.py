"""Search benchmark: the split index's sizes, bytes per query and time to first results.

    .venv/bin/python bench/search_bench.py [--sizes seed,10000] [--queries 50] [--reuse]

For each corpus (bench/corpus.py: "seed" is the real 478 papers, a number is
a deterministic synthetic corpus of that many papers) it builds the site into
bench/work/search-site-<name>/, serves it over http from a local server, and
in headless Chromium (Debian's /usr/bin/chromium, --no-sandbox,
--disable-background-networking) opens search.html?q=QUERY for 50 queries,
each in a fresh browser context (cold cache), four ways: over http and from
file://, on the desktop and with 4x CPU throttling (CDP
Emulation.setCPUThrottlingRate). It records the time from navigation start
to the first page of results shown (search.js sets
LitreviewSearch.firstResultsAt) and, over http, the gzipped size of every
search file the page loaded before then (lunr.js, search-index.js, pieces
under search/): what a server that compresses (GitHub Pages does) transfers.
Results go to bench/results/search.md (--out to change).
Goals (issue 16): <= 300 KB for a query's first results; first results
<= 300 ms on the desktop and <= 1 s at 4x throttling.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import corpus as corpora  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
WORK = PROJECT / "bench" / "work"

WORDS = """quantized quantization pruning sparsity attention transformer kv cache speculative decoding
moe experts distillation lora finetuning memory bandwidth gpu tpu fpga kernel compiler inference training
parallelism pipeline tensor communication compression low-rank energy latency throughput serving batching
scheduling edge mobile accuracy benchmark survey diffusion vision language reasoning agent retrieval long context
flash sparse dense activation outliers int4 fp8 zero offloading""".split()


def queries(n: int) -> list[str]:
    """n deterministic queries: one word, two words, a "phrase", a prefix being typed, a field query."""
    out = []
    for i in range(n):
        a, b = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)]
        kind = i % 5
        out.append(
            a + " "
            if kind == 0
            else f"{a} {b} "
            if kind == 1
            else f'"{a} {b}"'
            if kind == 2
            else a[:4]
            if kind == 3
            else f"title:{a} "
        )
    return out


def build_site(name: str, reuse: bool) -> tuple[Path, float]:
    out = WORK / f"search-site-{name}"
    if reuse and (out / "search-index.js").is_file():
        shutil.copytree(PROJECT / "static", out / "static", dirs_exist_ok=True)  # the page's current code
        return out, float("nan")
    seeds = WORK / f"corpus-{name}" / "seeds"
    if not (reuse and seeds.is_dir()):
        seeds = corpora.prepare(name, WORK).seeds
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "build", "--seeds", str(seeds), "--content",
         str(PROJECT / "content"), "--out", str(out), "--no-cache"],
        check=True, cwd=PROJECT, capture_output=True,
    )  # fmt: skip
    return out, time.perf_counter() - started


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def sizes(site: Path) -> dict[str, str]:
    rows = {"search-index.js (manifest), gzipped": f"{gz(site / 'search-index.js') / 1024:.1f} KB"}
    names = {"t": "term pieces", "d": "result metadata shards", "f": "facet shards", "a": "abstract shards",
             "x": "export shards"}  # fmt: skip
    for kind, label in names.items():
        files = sorted((site / "search" / kind).glob("*.js"))
        packed = [gz(f) for f in files]
        rows[f"{label}: files, total gz, largest gz"] = (
            f"{len(files)}, {sum(packed) / 1024:.0f} KB, {max(packed) / 1024:.1f} KB"
        )
    return rows


class Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real web server

    def log_message(self, *args) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a page closed while its later pieces were still loading: expected


def measure(site: Path, qs: list[str]) -> dict[str, dict[str, float]]:
    from playwright.sync_api import sync_playwright

    server = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = {"http": f"http://127.0.0.1:{server.server_address[1]}/", "file": site.resolve().as_uri() + "/"}
    cache: dict[str, int] = {}

    def gz_of(url: str) -> int:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
        if path not in cache:
            cache[path] = gz(site / path)
        return cache[path]

    figures: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for transport in ("http", "file"):
            for rate in (1, 4):
                times, transferred = [], []
                for q in qs:
                    context = browser.new_context()
                    page = context.new_page()
                    page.on(
                        "request",
                        lambda r: None if r.url.startswith(("http://127.0.0.1", "file://")) else print("OTHER", r.url),
                    )
                    if rate != 1:
                        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
                    page.goto(bases[transport] + "search.html?q=" + urllib.parse.quote(q), wait_until="commit")
                    page.wait_for_function("() => window.LitreviewSearch && LitreviewSearch.firstResultsAt !== null",
                                           timeout=60000)  # fmt: skip
                    shown = page.evaluate("LitreviewSearch.firstResultsAt")
                    times.append(shown)
                    if transport == "http":
                        entries = page.evaluate(
                            """(t) => performance.getEntriesByType('resource')
                                .filter(e => e.responseEnd <= t).map(e => e.name)""",
                            shown,
                        )
                        search_files = [
                            u for u in entries if "/search/" in u or u.endswith(("search-index.js", "lunr.min.js"))
                        ]
                        transferred.append(sum(gz_of(u) for u in search_files) / 1024)
                    context.close()
                key = f"{transport}, {'desktop' if rate == 1 else f'{rate}x CPU throttling'}"
                figures[key] = {
                    "p50 ms": statistics.median(times),
                    "p95 ms": sorted(times)[int(len(times) * 0.95) - 1],
                    "max ms": max(times),
                }
                if transferred:
                    figures[key] |= {
                        "p50 KB": statistics.median(transferred),
                        "p95 KB": sorted(transferred)[int(len(transferred) * 0.95) - 1],
                        "max KB": max(transferred),
                    }
        browser.close()
    server.shutdown()
    return figures


def report(results: dict[str, dict], qs: list[str]) -> str:
    lines = [
        "# Search benchmark (bench/search_bench.py)",
        "",
        f"{len(qs)} queries per row, each a cold page load of `search.html?q=...` in a fresh Chromium context;",
        "time = navigation start to the first page of results shown; KB = gzipped size of the search files",
        "(lunr.js, search-index.js, pieces) loaded before then, over http. Goals (issue 16): <= 300 KB,",
        "<= 300 ms desktop, <= 1 s at 4x CPU throttling. Machine: 2 shared cores, headless Chromium.",
        "",
    ]
    for name, result in results.items():
        label = "478 (seeds)" if name == "seed" else f"{int(name):,}"
        lines += [f"## {label} papers", ""]
        if result["build s"] == result["build s"]:
            lines.append(f"Site build (no cache): {result['build s']:.1f} s.")
            lines.append("")
        lines += ["| size | value |", "| --- | --- |"]
        lines += [f"| {k} | {v} |" for k, v in result["sizes"].items()]
        lines += [
            "",
            "| transport, CPU | p50 ms | p95 ms | max ms | p50 KB | p95 KB | max KB |",
            "| --- |" + " ---: |" * 6,
        ]
        for key, f in result["browser"].items():
            kb = [f"{f[k]:.0f}" if k in f else "(as http)" for k in ("p50 KB", "p95 KB", "max KB")]
            lines.append(
                f"| {key} | {f['p50 ms']:.0f} | {f['p95 ms']:.0f} | {f['max ms']:.0f} | " + " | ".join(kb) + " |"
            )
        lines.append("")
    lines += ["Queries: " + ", ".join(f"`{q.strip()}`" for q in qs), ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,10000", help="corpora, comma-separated (default: seed,10000)")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="reuse corpora and sites already in bench/work/")
    parser.add_argument("--out", type=Path, default=PROJECT / "bench" / "results" / "search.md")
    args = parser.parse_args()
    qs = queries(args.queries)
    results: dict[str, dict] = {}
    for name in args.sizes.split(","):
        site, seconds = build_site(name, args.reuse)
        results[name] = {"build s": seconds, "sizes": sizes(site), "browser": measure(site, qs)}
        args.out.write_text(report(results, qs), encoding="utf-8")
        print(report({name: results[name]}, qs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
