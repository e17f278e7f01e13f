"""Search benchmark: index size, index build time, and in-browser latency.

    .venv/bin/python bench/search_bench.py [--out DIR]

Builds the seed site, then in headless Chromium measures the time from
focusing the header search box (before the first keystroke) to suggestions
shown, lazy loading of lunr.js and search-index.js included, and the p50/p95
latency of 100 queries (performance.now() around the page's search function).
Targets: index <= 300 KB gzipped, ready within 300 ms, p95 < 30 ms.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

import lunr_reference  # noqa: E402

from litreview.engine.cache import Cache  # noqa: E402
from litreview.engine.pipeline import BuildOptions, build, load_site  # noqa: E402
from litreview.engine.steps import Steps  # noqa: E402
from litreview.write import search  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

WORDS = """quantized quantization pruning sparsity attention transformer kv cache speculative decoding
moe experts distillation lora finetuning memory bandwidth gpu tpu fpga kernel compiler inference training
parallelism pipeline tensor communication compression low-rank energy latency throughput serving batching
scheduling edge mobile accuracy benchmark survey diffusion vision language reasoning agent retrieval long context
flash sparse dense activation outliers int4 fp8 zero offloading""".split()


def build_timings() -> list[tuple[str, float]]:
    """Index build time, before and after the speed-ups, on the real catalogue."""
    site = load_site(PROJECT / "seeds", PROJECT / "content")
    docs = search.index_documents(site)
    rows = []

    def timed(name: str, fn) -> None:
        started = time.perf_counter()
        fn()
        rows.append((name, time.perf_counter() - started))

    memoised = search.stem
    search.stem = search._porter.stem  # type: ignore[assignment]
    try:
        timed(
            "before: lunr Builder + build(), stemmer not memoised",
            lambda: lunr_reference.build_index(docs, fast=False, vectors=True),
        )
    finally:
        search.stem = memoised
    search.stem.cache_clear()
    timed(
        "lunr Builder + build(), memoised stemmer", lambda: lunr_reference.build_index(docs, fast=False, vectors=True)
    )
    search.stem.cache_clear()
    search.term.cache_clear()
    timed("after: FastBuilder + compact, memo cold", lambda: lunr_reference.compact(lunr_reference.build_index(docs)))
    timed(
        "after: FastBuilder + compact, memo warm (serve)",
        lambda: lunr_reference.compact(lunr_reference.build_index(docs)),
    )
    with tempfile.TemporaryDirectory() as cache:
        steps = Steps(Cache(Path(cache)))
        steps.search_index(docs)
        steps.cache.save()
        timed("disk cache hit (.cache/)", lambda: Steps(Cache(Path(cache))).search_index(docs))
    return rows


def queries() -> list[str]:
    out = []
    for i in range(100):
        a, b = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)]
        kind = i % 4
        out.append(a if kind == 0 else f"{a} {b}" if kind == 1 else f'"{a} {b}"' if kind == 2 else a[:4])
    return out


def browser_figures(site_dir: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    figures: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        ready = []
        for _run in range(5):
            page = browser.new_context().new_page()
            page.goto(base + "papers.html", wait_until="load")
            page.evaluate(
                """() => { const input = document.getElementById('site-search-input');
                window.__t0 = null; window.__t1 = null;
                input.addEventListener('focus', () => { if (window.__t0 === null) window.__t0 = performance.now(); });
                new MutationObserver(() => { if (window.__t1 === null && document.querySelector('.search-suggest-item'))
                  window.__t1 = performance.now(); }).observe(document.body, {subtree: true, childList: true}); }"""
            )
            page.locator("#site-search-input").click()
            page.keyboard.type("quantized")
            page.wait_for_function("() => window.__t1 !== null")
            ready.append(page.evaluate("window.__t1 - window.__t0"))
            figures.setdefault("index load+parse (ms)", page.evaluate("window.LitreviewSearch.loadMs"))
            page.context.close()
        figures["focus -> first suggestions, median of 5 (ms)"] = statistics.median(ready)
        figures["focus -> first suggestions, worst of 5 (ms)"] = max(ready)
        page = browser.new_context().new_page()
        page.goto(base + "search.html", wait_until="load")
        page.evaluate("window.LitreviewSearch.load().then(() => true)")
        times = page.evaluate(
            """(qs) => qs.map(q => { const t = performance.now(); window.LitreviewSearch.search(q);
                 return performance.now() - t; })""",
            queries(),
        )
        times.sort()
        figures["query p50 (ms)"] = times[len(times) // 2]
        figures["query p95 (ms)"] = times[int(len(times) * 0.95) - 1]
        figures["query max (ms)"] = times[-1]
        browser.close()
    server.shutdown()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="site folder (default: a temp dir)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="search-bench-")) / "site"
    build(BuildOptions(seeds=PROJECT / "seeds", content=PROJECT / "content", out=out))
    script = (out / search.INDEX_FILE).read_text(encoding="utf-8")
    rows: list[tuple[str, str]] = [
        ("search-index.js raw (KB)", f"{len(script.encode()) / 1024:.0f}"),
        ("search-index.js gzipped (KB)", f"{lunr_reference.gzipped_size(script) / 1024:.0f}  (target <= 300)"),
        (
            "search-text.js gzipped (KB, results page only, after first results)",
            f"{lunr_reference.gzipped_size((out / search.TEXT_FILE).read_text(encoding='utf-8')) / 1024:.0f}",
        ),
    ]
    for name, secs in build_timings():
        rows.append((f"build: {name} (ms)", f"{secs * 1000:.0f}"))
    for name, value in browser_figures(out).items():
        target = "  (target <= 300)" if name.startswith("focus") else "  (target < 30)" if "p95" in name else ""
        rows.append((name, f"{value:.1f}{target}"))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
