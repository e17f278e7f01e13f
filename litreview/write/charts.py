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
