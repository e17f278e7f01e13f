"""Results as a text table, a Markdown report and a hand-written SVG bar chart."""

from __future__ import annotations

import html
import math
import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Cell

MODES = ("cold", "no-change", "one-change")
COLOURS = {"litreview": "#1b6ac9", "mkdocs": "#e07b24", "pelican": "#3a9d5d", "hugo": "#c23b6b"}
HEADERS = [
    "generator",
    "corpus",
    "runs",
    "cold s",
    "no-change s",
    "one-change s",
    "peak MB",
    "output MB",
    "files",
    "ratio cold / no-chg / 1-chg",
]


def seconds(cell: Cell, mode: str) -> str:
    value = cell.median(mode)
    return f"{value:.2f}" if value is not None else cell.status(mode)


def ratio(cell: Cell, cells: list[Cell], mode: str) -> str:
    """Peer time / litreview time on the same corpus and mode: >1 means litreview is faster."""
    base = next((c for c in cells if c.generator == "litreview" and c.corpus == cell.corpus), None)
    if base is None:
        return "-"
    mine, theirs = cell.median(mode), base.median(mode)
    if theirs is None and base.status(mode) == "timeout" and mine is not None:
        return f"<{mine / max(r.seconds for r in base.runs[mode]):.2f}"
    if theirs is None or theirs <= 0:
        return "-"
    if mine is None:
        if cell.status(mode) == "timeout":
            return f">{max(r.seconds for r in cell.runs[mode]) / theirs:.0f}"
        return "-"
    return f"{mine / theirs:.2f}"


def rows(cells: list[Cell]) -> list[list[str]]:
    out = []
    for cell in cells:
        runs = "/".join(str(len(cell.runs[m])) for m in MODES)
        ratios = "1" if cell.generator == "litreview" else " / ".join(ratio(cell, cells, m) for m in MODES)
        out.append(
            [
                cell.generator,
                cell.corpus if cell.corpus == "seed" else f"{int(cell.corpus):,}",
                runs,
                *(seconds(cell, m) for m in MODES),
                f"{cell.peak_mb():.0f}",
                f"{cell.output_bytes / 1e6:.1f}" if cell.output_files else "-",
                str(cell.output_files) if cell.output_files else "-",
                ratios,
            ]
        )
    return out


def text_table(cells: list[Cell]) -> str:
    body = rows(cells)
    widths = [max(len(r[i]) for r in [HEADERS, *body]) for i in range(len(HEADERS))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in body]
    return "\n".join(lines)


def markdown_table(cells: list[Cell]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---" for _ in HEADERS) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows(cells)]
    return "\n".join(lines)


def stage_table(cells: list[Cell]) -> str:
    """litreview's own per-stage times (build.py --verbose), median of the cold runs."""
    lit = [c for c in cells if c.generator == "litreview" and c.runs["cold"] and c.runs["cold"][0].stages]
    if not lit:
        return ""
    stages: list[str] = []
    for cell in lit:
        for run in cell.runs["cold"]:
            stages += [s for s in run.stages if s not in stages]
    heads = [*stages, "rest (wall - stages)", "wall"]
    lines = ["| corpus | " + " | ".join(heads) + " |", "|---|" + "|".join("---:" for _ in heads) + "|"]
    for cell in lit:
        values = [statistics.median(r.stages.get(s, 0.0) for r in cell.runs["cold"]) for s in stages]
        values.append(statistics.median(r.seconds - sum(r.stages.values()) for r in cell.runs["cold"]))
        values.append(statistics.median(r.seconds for r in cell.runs["cold"]))
        lines.append(f"| {cell.corpus} | " + " | ".join(f"{v:.2f}" for v in values) + " |")
    return "\n".join(lines)


def markdown(cells: list[Cell], info: dict[str, str], topic_sources: dict[str, str], args) -> str:
    notes = [f"- {c.generator} on {c.corpus}: {c.note}" for c in cells if c.note]
    checks = [f"- {c.corpus}: {c.identical}" for c in cells if c.generator == "litreview" and c.identical]
    hits = [
        f"- {c.corpus}: {sum(1 for r in c.runs['no-change'] if not set(r.stages) - {'fingerprint'})} of "
        f"{len(c.runs['no-change'])} no-change runs took the fast path (no stage after the fingerprint ran)"
        for c in cells
        if c.generator == "litreview" and c.runs["no-change"]
    ]
    flags = (["--quick"] if args.quick else []) + ([f"--runs {args.runs}"] if args.runs else [])
    flags += [f"--snapshot {args.snapshot}"] if args.snapshot else []
    command = "bench/run.py " + " ".join(flags) if flags else "make bench"
    parts = [
        "# Benchmark: litreview vs MkDocs, Pelican and Hugo",
        "",
        f"Produced by `{command}` (corpora: {args.corpora}; timeout {args.timeout:.0f}s per build, "
        f"{args.budget:.0f}s budget per mode). Seconds are medians of the runs; `runs` is cold/no-change/one-change. "
        "Ratio = peer time / litreview time on the same corpus and mode: above 1 means litreview is faster. "
        "See bench/README.md for what each column measures.",
        "",
        markdown_table(cells),
        "",
        "![build times](latest.svg)",
        "",
        "## litreview: one-change rebuild vs cold build of the same input",
        "",
        *(checks or ["- not checked"]),
        "",
        "## litreview: no-change rebuilds that hit the build cache",
        "",
        *(hits or ["- none run"]),
        "",
    ]
    stages = stage_table(cells)
    if stages:
        parts += [
            "## litreview stages (seconds, median of cold runs, from build.py --verbose)",
            "",
            "`rest` is wall time not covered by a listed stage: interpreter start-up and imports, plus any stage "
            "whose name the benchmark could not read.",
            "",
            stages,
            "",
        ]
    parts += ["## Peer inputs", ""]
    parts += [f"- topics for {name}: {source}" for name, source in topic_sources.items()]
    if notes:
        parts += ["", "## Notes", "", *notes]
    parts += ["", "## Machine", "", *(f"- {k}: {v}" for k, v in info.items()), ""]
    parts += [
        "Numbers are wall-clock times on a shared machine: when other processes compete for the cores "
        "(compare the load averages above with nproc), every figure is noisy and ratios are the more "
        "stable thing to read.",
        "",
    ]
    return "\n".join(parts)


def svg(cells: list[Cell]) -> str:
    """Grouped bars, one panel per mode, corpora on x, generators as bars, log-scale seconds."""
    corpora = list(dict.fromkeys(c.corpus for c in cells))
    gens = list(dict.fromkeys(c.generator for c in cells))
    by_key = {(c.generator, c.corpus): c for c in cells}
    values = [v for c in cells for m in MODES if (v := c.median(m)) is not None and v > 0]
    lo = 10 ** math.floor(math.log10(min(values))) if values else 0.01
    hi = 10 ** math.ceil(math.log10(max(values))) if values else 10
    if hi <= lo:
        hi = lo * 10
    panel_w, panel_h, left, top, bottom = 330, 260, 52, 48, 46
    width = left + panel_w * len(MODES) + 20
    height = top + panel_h + bottom + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="18" font-size="14" font-weight="bold">Build time in seconds (median, log scale; lower is better)</text>',
    ]

    def y_of(value: float) -> float:
        frac = (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
        return top + panel_h - frac * panel_h

    for p, mode in enumerate(MODES):
        x0 = left + p * panel_w
        inner = panel_w - 20
        out.append(f'<text x="{x0 + inner / 2}" y="{top - 8}" text-anchor="middle" font-weight="bold">{mode}</text>')
        decade = lo
        while decade <= hi * 1.0001:
            y = y_of(decade)
            out.append(f'<line x1="{x0}" x2="{x0 + inner}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            if p == 0:
                label = f"{decade:g}"
                out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
            decade *= 10
        out.append(f'<line x1="{x0}" x2="{x0 + inner}" y1="{top + panel_h}" y2="{top + panel_h}" stroke="#333"/>')
        group_w = inner / max(len(corpora), 1)
        bar_w = (group_w - 12) / max(len(gens), 1)
        for g, corpus in enumerate(corpora):
            gx = x0 + g * group_w + 6
            name = corpus if corpus == "seed" else f"{int(corpus):,}"
            out.append(
                f'<text x="{gx + (group_w - 12) / 2:.1f}" y="{top + panel_h + 14}" text-anchor="middle">{name}</text>'
            )
            for b, gen in enumerate(gens):
                cell = by_key.get((gen, corpus))
                bx = gx + b * bar_w
                value = cell.median(mode) if cell else None
                if value is None or value <= 0:
                    status = cell.status(mode) if cell else "n/a"
                    mark = "T" if status == "timeout" else "×"
                    out.append(
                        f'<text x="{bx + bar_w / 2:.1f}" y="{top + panel_h - 4}" text-anchor="middle" '
                        f'fill="{COLOURS.get(gen, "#777")}"><title>{html.escape(gen)} {name} {mode}: {html.escape(status)}</title>{mark}</text>'
                    )
                    continue
                y = y_of(value)
                out.append(
                    f'<rect x="{bx:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{top + panel_h - y:.1f}" '
                    f'fill="{COLOURS.get(gen, "#777")}"><title>{html.escape(gen)} {name} {mode}: {value:.2f}s</title></rect>'
                )
    lx = left
    ly = top + panel_h + 36
    for gen in gens:
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{COLOURS.get(gen, "#777")}"/>')
        out.append(f'<text x="{lx + 14}" y="{ly}">{html.escape(gen)}</text>')
        lx += 90
    out.append(f'<text x="{lx + 10}" y="{ly}" fill="#555">T = timed out, × = failed or not run</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """python bench/report.py results/raw/<stamp>.json: rewrite latest.md and latest.svg from a raw record."""
    import argparse
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import RESULTS, Cell, Run

    raw = json.loads(Path(argv[0]).read_text())
    cells = []
    for data in raw["cells"]:
        stored = data.pop("runs")
        runs = {mode: [Run(**r) for r in stored[mode]] for mode in MODES}
        cells.append(Cell(**data, runs=runs))
    args = argparse.Namespace(**raw["args"])
    (RESULTS / "latest.md").write_text(markdown(cells, raw["machine"], raw["topics"], args), encoding="utf-8")
    (RESULTS / "latest.svg").write_text(svg(cells), encoding="utf-8")
    print(text_table(cells))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
