"""Time series: one subject's figures for one measure, by period; and a chart (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.crossref.measures import normalise_measure_query
from pipeline.crossref.names import org_key, person_key
from pipeline.query.export import json_number
from pipeline.store import Store
from pipeline.store import crossref as db
from pipeline.store.query import claim_ids_with_prefix

LABEL_ID_CHARS = 8  # a chart label's claim id: this many characters, more when needed to name one claim


def short_id(store: Store, claim_id: str) -> str:
    """The shortest prefix of ``claim_id`` (at least LABEL_ID_CHARS characters) that no other claim shares:
    what `show-source` and `export --claim` accept."""
    for n in range(LABEL_ID_CHARS, len(claim_id)):
        if claim_ids_with_prefix(store, claim_id[:n], limit=2) == [claim_id]:
            return claim_id[:n]
    return claim_id


def resolve_subject(store: Store, subject: str) -> set[str]:
    """Entity ids whose name or variants match ``subject`` (by key, then case-insensitively)."""
    keys = {k for k in (org_key(subject), person_key(subject)) if k}
    ids = set()
    for k in keys:
        ids |= db.entities_of_keys(store, [k])
    if not ids:
        low = subject.lower()
        for e in db.entity_names(store):
            if low == e["name"].lower() or low in e["variants"].lower():
                ids.add(e["id"])
    return ids | keys


def series_points(store: Store, subject: str, measure: str) -> list[dict[str, Any]]:
    ids = sorted(resolve_subject(store, subject))
    m = normalise_measure_query(measure)
    if not ids:
        return []
    rows = db.series_rows(store, ids, [m, measure])
    return [dict(r, value=json_number(r.pop("value_decimal")), short_id=short_id(store, r["claim_id"])) for r in rows]


def plot_series(points: list[dict[str, Any]], title: str, out: Path) -> Path:
    """Actual figures as filled circles with their period as a horizontal bar; targets as open triangles at
    their deadline; forecasts as diamonds. One marker per claim cluster, labelled with the value, the first
    claim's id (its unique prefix, ``short_id``, which `show-source` accepts; +N for the appearances that repeat
    it) and its publication date."""
    import datetime as dt

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    def day(s: str | None) -> float | None:
        return float(mdates.date2num(dt.date.fromisoformat(s[:10]))) if s else None

    fig, ax = plt.subplots(figsize=(10, 5.5))
    styles = {"actual": ("o", "tab:blue", True), "target": ("^", "tab:red", False),
              "forecast": ("D", "tab:orange", False), "potential": ("s", "tab:gray", False)}
    seen: set[str] = set()
    grouped: dict[str, list[dict[str, Any]]] = {}
    for p in points:  # one marker per claim cluster; its label names the first claim and how many repeat it
        grouped.setdefault(p["cluster_id"] or p["claim_id"], []).append(p)
    span = max((float(p["value"]) for p in points), default=1.0) or 1.0

    def xy(p: dict[str, Any]) -> tuple[float | None, float]:
        return day(p["period_end"]) or day(p["period_start"]) or day(p["published"]), float(p["value"])

    anchors = [xy(g[0]) for g in grouped.values()]
    for group in grouped.values():
        p = group[0]
        x, v = xy(p)
        if x is None:
            continue
        # a label goes below its marker when a marker just above it is close: the two labels do not overlap
        crowded = any(ax is not None and abs(x - ax) < 90 and 0 < av - v < 0.08 * span for ax, av in anchors)
        marker, colour, filled = styles.get(p["modality"], ("x", "black", True))
        label = p["modality"] if p["modality"] not in seen else None
        seen.add(p["modality"])
        ax.plot([x], [p["value"]], marker=marker, markersize=9, linestyle="none", color=colour,
                markerfacecolor=colour if filled else "white", markeredgewidth=2, label=label)
        s = day(p["period_start"])
        if p["modality"] == "actual" and s and s < x:
            ax.hlines(p["value"], s, x, colors=colour, alpha=0.35, linewidth=3)
        more = f" +{len(group) - 1}" if len(group) > 1 else ""
        ax.annotate(f"{p['value']:,} · {p.get('short_id') or p['claim_id']}{more}\n{p['published']}", (x, p["value"]),
                    textcoords="offset points",
                    xytext=(6, -20) if crowded else (6, 6), fontsize=7, color=colour)
    ax.set_title(title)
    ax.set_ylabel("value")
    ax.set_xlabel("period end (deadline for targets)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
