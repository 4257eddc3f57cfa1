"""A series as an inline SVG chart whose every point links to its claim page. Pure Python, no network, no
JavaScript: the site embeds the markup as it is. Every text and link in it is escaped here."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

WIDTH, HEIGHT = 860, 380
LEFT, RIGHT, TOP, BOTTOM = 90, 30, 20, 60
STYLES = {"actual": ("circle", "#1f77b4"), "target": ("triangle", "#d62728"), "forecast": ("diamond", "#ff7f0e"),
          "potential": ("square", "#7f7f7f")}


def _day(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(s)[:10]) if s else None
    except ValueError:
        return None


def _value(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return None


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    r = 6
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - r:.1f} {x - r:.1f},{y + r:.1f} {x + r:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" fill="white" stroke="{colour}" stroke-width="2"/>'
    if shape == "diamond":
        pts = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="white" stroke="{colour}" stroke-width="2"/>'
    return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{colour}"/>'


def series_svg(points: list[dict[str, Any]], href: Callable[[str], str], title: str = "") -> str:
    """An SVG chart of ``points`` (each with ``claim_id``, ``value_decimal``, ``modality``, ``period_start``,
    ``period_end``, ``published``, ``text``): x is the period's end (a target's deadline), else its start, else
    the publication date; y the value. Each point is a link (``href(claim_id)``) with a tooltip."""
    pts = []
    for p in points:
        x = _day(p.get("period_end")) or _day(p.get("period_start")) or _day(p.get("published"))
        y = _value(p.get("value_decimal"))
        if x is not None and y is not None:
            pts.append((x, y, p))
    esc = html.escape
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="nc-chart" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{esc(title)}">')
    if not pts:
        return head + f'<text x="{LEFT}" y="{HEIGHT // 2}">no dated figures</text></svg>'
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(Decimal(0), min(p[1] for p in pts)), max(p[1] for p in pts)
    xspan = max((x1 - x0).days, 1)
    yspan = (y1 - y0) or Decimal(1)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(d: dt.date) -> float:
        return LEFT + pw * (d - x0).days / xspan if x1 != x0 else LEFT + pw / 2

    def sy(v: Decimal) -> float:
        return TOP + ph * float((y1 - v) / yspan)

    out = [head, f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fafafa" stroke="#ccc"/>']
    for i in range(5):  # value grid
        gv = y0 + yspan * i / 4
        gy = sy(gv)
        out.append(f'<line x1="{LEFT}" y1="{gy:.1f}" x2="{LEFT + pw}" y2="{gy:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end" font-size="11">{gv:,.0f}</text>')
    ticks = {x0, x1} | {dt.date(y, 3, 21) for y in range(x0.year, x1.year + 1)}  # and each Nowruz (about)
    for tick in sorted(t for t in ticks if x0 <= t <= x1):
        anchor = "start" if tick == x0 else "end" if tick == x1 else "middle"
        if tick not in (x0, x1) and min(abs((tick - x0).days), abs((x1 - tick).days)) < xspan / 12:
            continue  # too close to an end label
        out.append(f'<line x1="{sx(tick):.1f}" y1="{TOP}" x2="{sx(tick):.1f}" y2="{TOP + ph}" stroke="#eee"/>')
        out.append(f'<text x="{sx(tick):.1f}" y="{TOP + ph + 18}" text-anchor="{anchor}" font-size="11">'
                   f'{tick.isoformat()}</text>')
    out.append(f'<text x="{LEFT + pw}" y="{HEIGHT - 12}" text-anchor="end" font-size="12">'
               f'x: period end (deadline for targets) · y: value</text>')
    for d, v, p in pts:
        shape, colour = STYLES.get(p.get("modality") or "", ("square", "#000"))
        start = _day(p.get("period_start"))
        if p.get("modality") == "actual" and start and start < d and start >= x0:
            out.append(f'<line x1="{sx(start):.1f}" y1="{sy(v):.1f}" x2="{sx(d):.1f}" y2="{sy(v):.1f}" '
                       f'stroke="{colour}" stroke-opacity="0.35" stroke-width="3"/>')
        tip = (f"{p.get('text') or v} · {p.get('modality')} · {p.get('period_start') or '…'} to "
               f"{p.get('period_end') or '…'} · published {p.get('published')} · claim {p['claim_id']}")
        out.append(f'<a class="nc-point" href="{esc(href(p["claim_id"]))}" data-claim="{esc(p["claim_id"])}">'
                   f"<title>{esc(tip)}</title>{_marker(shape, sx(d), sy(v), colour)}</a>")
    for i, (m, (shape, colour)) in enumerate(STYLES.items()):  # legend
        if any(p.get("modality") == m for _, _, p in pts):
            lx = LEFT + 10 + 85 * i
            out.append(_marker(shape, lx, HEIGHT - 16, colour))
            out.append(f'<text x="{lx + 10}" y="{HEIGHT - 12}" font-size="11">{m}</text>')
    out.append("</svg>")
    return "".join(out)
