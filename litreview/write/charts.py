"""Static inline SVG charts, drawn at build time (no JavaScript, no libraries).

Every chart is an <svg role="img"> with a <title> and a <desc> that states
the data in words, so a screen reader gets the numbers; colours come from
CSS classes (site.css), so the charts follow the light and dark themes and
the strict CSP (no style attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

FONT_PX = 13
CHAR_PX = 7.8  # generous average glyph width at FONT_PX in the system sans-serif stack
HEAT_LEVELS = 5


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def _fmt(x: float) -> str:
    """Short, locale-free numbers so output is byte-identical everywhere."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _clip(label: str, max_chars: int) -> str:
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def _svg(chart_id: str, width: float, height: float, title: str, desc: str, body: list[str], css: str) -> Markup:
    head = (
        f'<svg class="chart {css}" role="img" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'width="{_fmt(width)}" height="{_fmt(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _describe(bars: list[Bar], unit: str) -> str:
    return "; ".join(f"{b.label}: {b.value} {unit}" for b in bars) + "."


def bar_chart(chart_id: str, title: str, bars: list[Bar], unit: str = "papers", width: int = 420) -> Markup:
    """Horizontal bars, each under its label, value printed at the bar's end.

    Labels above the bars (not beside them) keep the chart narrow, so it
    stays legible when a phone scales it to the screen.
    """
    if not bars:
        return Markup("")
    label_h, bar_h, gap, pad = 17, 14, 11, 2
    row = label_h + bar_h + gap
    value_w = len(str(max(b.value for b in bars))) * CHAR_PX + 8
    plot_w = width - value_w - pad
    top = max(b.value for b in bars) or 1
    label_chars = int(width / CHAR_PX)
    height = pad * 2 + len(bars) * row - gap
    body = []
    for i, b in enumerate(bars):
        y = pad + i * row
        w = plot_w * b.value / top
        bar_y = y + label_h
        body.append(
            f'<g class="chart-row"><title>{escape(b.label)}: {b.value} {unit}</title>'
            f'<text class="chart-label" x="{pad}" y="{_fmt(y + FONT_PX)}">{escape(_clip(b.label, label_chars))}</text>'
            f'<rect class="chart-bar" x="{pad}" y="{_fmt(bar_y)}" width="{_fmt(max(w, 1))}" height="{bar_h}" rx="3"></rect>'
            f'<text class="chart-value" x="{_fmt(pad + w + 5)}" y="{_fmt(bar_y + bar_h / 2 + FONT_PX * 0.35)}">{b.value}</text></g>'
        )
    return _svg(chart_id, width, height, title, _describe(bars, unit), body, "chart-bars")


def column_chart(chart_id: str, title: str, bars: list[Bar], unit: str = "papers", height: int = 200) -> Markup:
    """Vertical columns (e.g. papers per year), labels under each column."""
    if not bars:
        return Markup("")
    col, gap, pad, label_h, value_h = 44, 10, 8, 22, 18
    width = pad * 2 + len(bars) * (col + gap) - gap
    plot_h = height - label_h - value_h - pad
    top = max(b.value for b in bars) or 1
    body = [
        f'<line class="chart-axis" x1="{pad}" x2="{_fmt(width - pad)}" y1="{_fmt(value_h + plot_h)}" y2="{_fmt(value_h + plot_h)}"></line>'
    ]
    for i, b in enumerate(bars):
        x = pad + i * (col + gap)
        h = plot_h * b.value / top
        y = value_h + plot_h - h
        mid = x + col / 2
        body.append(
            f'<g class="chart-row"><title>{escape(b.label)}: {b.value} {unit}</title>'
            f'<rect class="chart-bar" x="{x}" y="{_fmt(y)}" width="{col}" height="{_fmt(max(h, 1))}" rx="3"></rect>'
            f'<text class="chart-value" x="{_fmt(mid)}" y="{_fmt(y - 5)}" text-anchor="middle">{b.value}</text>'
            f'<text class="chart-label" x="{_fmt(mid)}" y="{_fmt(height - 6)}" text-anchor="middle">{escape(b.label)}</text></g>'
        )
    return _svg(chart_id, width, height, title, _describe(bars, unit), body, "chart-columns")


def heat_level(value: int, top: int) -> int:
    """0 for none, else 1..HEAT_LEVELS by share of the largest off-diagonal value."""
    if value <= 0 or top <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-value * HEAT_LEVELS // top)))


def overlap_matrix(chart_id: str, title: str, labels: list[str], counts: list[list[int]]) -> Markup:
    """A symmetric heatmap: cell (i, j) = papers shared by topics i and j.

    Columns are numbered (1..n) to keep the chart narrow; rows carry the
    numbers and the full labels. The diagonal shows each topic's own size;
    empty cells (no shared paper) stay blank so the overlaps stand out.
    """
    n = len(labels)
    if n < 2:
        return Markup("")
    cell, pad = 34, 4
    label_chars = min(44, max(len(lbl) for lbl in labels) + 4)
    label_w = label_chars * CHAR_PX + 12
    head_h = 24
    width = label_w + n * cell + pad
    height = head_h + n * cell + pad
    top = max((counts[i][j] for i in range(n) for j in range(n) if i != j), default=0)
    body = []
    for j in range(n):
        body.append(
            f'<text class="chart-label" x="{_fmt(label_w + j * cell + cell / 2)}" y="{head_h - 8}" text-anchor="middle">{j + 1}</text>'
        )
    pairs = []
    for i in range(n):
        y = head_h + i * cell
        body.append(
            f'<text class="chart-label" x="{_fmt(label_w - 8)}" y="{_fmt(y + cell / 2 + FONT_PX * 0.35)}" text-anchor="end">'
            f"{escape(_clip(f'{i + 1}. {labels[i]}', label_chars))}</text>"
        )
        for j in range(n):
            value = counts[i][j]
            level = "diag" if i == j else str(heat_level(value, top))
            x = label_w + j * cell
            tip = f"{labels[i]}: {value} papers" if i == j else f"{labels[i]} and {labels[j]}: {value} shared papers"
            body.append(
                f'<g class="heat-cell heat-{level}"><title>{escape(tip)}</title>'
                f'<rect x="{_fmt(x + 1)}" y="{_fmt(y + 1)}" width="{cell - 2}" height="{cell - 2}" rx="3"></rect>'
                f'<text x="{_fmt(x + cell / 2)}" y="{_fmt(y + cell / 2 + FONT_PX * 0.35)}" text-anchor="middle">{value or ""}</text></g>'
            )
            if j > i and value:
                pairs.append((value, labels[i], labels[j]))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    if pairs:
        desc = "Papers shared between topics: " + "; ".join(f"{a} and {b}: {v}" for v, a, b in pairs) + "."
    else:
        desc = "No paper belongs to more than one topic."
    return _svg(chart_id, width, height, title, desc, body, "chart-heat")


@dataclass(frozen=True)
class Node:
    """A paper in a lineage graph: its id (the link), label, year and whether it is a landmark."""

    id: str
    label: str
    year: int | None = None
    landmark: bool = False
    compared_by: int = 0
    title: str = ""  # the full title, for the tooltip and the description (else the label)


def lineage_columns(nodes: list[Node], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Each paper's column: 0 when it compares against no paper of the graph, else one right of the
    rightmost paper it compares against, so baselines stand left of the work that compares with them."""
    targets: dict[str, list[str]] = {n.id: [] for n in nodes}
    for source, target in edges:
        targets[source].append(target)
    column: dict[str, int] = {}

    def place(node: str, path: frozenset[str]) -> int:
        if node in column:
            return column[node]
        inner = [place(t, path | {node}) for t in targets[node] if t not in path]  # a cycle counts once
        column[node] = 1 + max(inner) if inner else 0
        return column[node]

    for node in sorted(targets):
        place(node, frozenset())
    return column


def lineage_graph(chart_id: str, title: str, nodes: list[Node], edges: list[tuple[str, str]], href: str) -> Markup:
    """Papers as linked boxes, an arrow from each paper to each paper it compares against.

    Columns come from lineage_columns (baselines left); within a column,
    landmarks (most compared against) first, then by year and label. Every
    box is a link (href % id) with the full title as its tooltip; the <desc>
    states every comparison in words. Deterministic: same input, same bytes.
    """
    if not nodes or not edges:
        return Markup("")
    column = lineage_columns(nodes, edges)
    by_column: dict[int, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: (-n.compared_by, n.year is None, n.year or 0, n.label.casefold(), n.id)):
        by_column.setdefault(column[node.id], []).append(node)
    box_w, box_h, gap_x, gap_y, pad = 230, 40, 56, 12, 6
    label_chars = int((box_w - 16) / CHAR_PX)
    where: dict[str, tuple[float, float]] = {}
    for col, members in by_column.items():
        for row, node in enumerate(members):
            where[node.id] = (pad + col * (box_w + gap_x), pad + row * (box_h + gap_y))
    columns = max(by_column) + 1
    rows = max(len(m) for m in by_column.values())
    width = pad * 2 + columns * box_w + (columns - 1) * gap_x
    height = pad * 2 + rows * box_h + (rows - 1) * gap_y
    names = {n.id: n.title or n.label for n in nodes}
    body = [
        f'<defs><marker id="{chart_id}-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path class="lineage-arrow" d="M0,0 L8,4 L0,8 z"></path></marker></defs>'
    ]
    for source, target in sorted(edges):
        (sx, sy), (tx, ty) = where[source], where[target]
        x1, y1 = sx, sy + box_h / 2
        x2, y2 = tx + box_w, ty + box_h / 2
        if x1 <= x2:  # same column (a cycle): leave from the right edge
            x1 = sx + box_w
        mid = (x1 + x2) / 2
        body.append(
            f'<path class="lineage-edge" d="M{_fmt(x1)},{_fmt(y1)} C{_fmt(mid)},{_fmt(y1)} {_fmt(mid)},{_fmt(y2)} '
            f'{_fmt(x2)},{_fmt(y2)}" marker-end="url(#{chart_id}-arrow)"><title>{escape(names[source])} compares '
            f"against {escape(names[target])}</title></path>"
        )
    for members in by_column.values():
        for node in members:
            x, y = where[node.id]
            meta = [str(node.year)] if node.year else []
            if node.compared_by:
                meta.append(f"compared against by {node.compared_by}")
            if node.landmark:
                meta.insert(0, "★ start here")
            css = "lineage-node landmark" if node.landmark else "lineage-node"
            body.append(
                f'<a class="{css}" href="{escape(href % node.id)}"><title>{escape(node.title or node.label)}</title>'
                f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="{box_w}" height="{box_h}" rx="5"></rect>'
                f'<text class="chart-label" x="{_fmt(x + 8)}" y="{_fmt(y + 16)}">{escape(_clip(node.label, label_chars))}</text>'
                f'<text class="lineage-meta" x="{_fmt(x + 8)}" y="{_fmt(y + 32)}">{escape(" · ".join(meta))}</text></a>'
            )
    said = [
        f"{names[s]} compares against {names[t]}" for s, t in sorted(edges, key=lambda e: (names[e[0]], names[e[1]]))
    ]
    desc = "; ".join(said) + "."
    head = (
        f'<svg class="chart lineage" role="group" viewBox="0 0 {_fmt(width)} {_fmt(height)}" '
        f'width="{_fmt(width)}" height="{_fmt(height)}" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def timeline(chart_id: str, title: str, bars: list[Bar], marks: dict[str, list[str]], height: int = 220) -> Markup:
    """Papers per year as columns (like column_chart), with a star above each year that has
    landmarks; the star's tooltip and the <desc> name them."""
    if not bars:
        return Markup("")
    col, gap, pad, label_h, value_h, star_h = 44, 10, 8, 22, 18, 20
    width = pad * 2 + len(bars) * (col + gap) - gap
    plot_h = height - label_h - value_h - star_h - pad
    base = star_h + value_h + plot_h
    top = max(b.value for b in bars) or 1
    body = [f'<line class="chart-axis" x1="{pad}" x2="{_fmt(width - pad)}" y1="{_fmt(base)}" y2="{_fmt(base)}"></line>']
    for i, b in enumerate(bars):
        x = pad + i * (col + gap)
        h = plot_h * b.value / top
        y = base - h
        mid = x + col / 2
        body.append(
            f'<g class="chart-row"><title>{escape(b.label)}: {b.value} papers</title>'
            f'<rect class="chart-bar" x="{x}" y="{_fmt(y)}" width="{col}" height="{_fmt(max(h, 1))}" rx="3"></rect>'
            f'<text class="chart-value" x="{_fmt(mid)}" y="{_fmt(y - 5)}" text-anchor="middle">{b.value}</text>'
            f'<text class="chart-label" x="{_fmt(mid)}" y="{_fmt(height - 6)}" text-anchor="middle">{escape(b.label)}</text></g>'
        )
        names = marks.get(b.label, [])
        if names:
            tip = f"Start here, {b.label}: " + "; ".join(names)
            count = str(len(names)) if len(names) > 1 else ""
            body.append(
                f'<g class="timeline-landmark"><title>{escape(tip)}</title>'
                f'<text x="{_fmt(mid)}" y="{_fmt(y - value_h - 4)}" text-anchor="middle">★{count}</text></g>'
            )
    desc = _describe(bars, "papers")
    landmarks = "; ".join(f"{name} ({b.label})" for b in bars for name in marks.get(b.label, []))
    if landmarks:
        desc += f" Start here: {landmarks}."
    return _svg(chart_id, width, height, title, desc, body, "chart-columns timeline")
