"""Charts for reports and the web: designations per quarter by jurisdiction, and one subject's
timeline. Rendered with matplotlib's Agg backend (no display needed) to SVG or PNG bytes.

Each chart counts a subject once per jurisdiction, at the date it was first listed there (a
subject on three US lists is one US designation): the question asked is "how many people and
bodies did each jurisdiction act against, and when", not how many list rows there are.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

from tamga.tracker import Subject, Tracker
from tamga.tracker.gaps import Filters, cell
from tamga.tracker.history import Event
from tamga.tracker.jurisdictions import JURISDICTIONS

FORMATS = ("svg", "png")
COLOURS = {"US": "#1f4e79", "EU": "#2e8b57", "UK": "#c0392b", "CA": "#d68910", "UN": "#7d3c98"}


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _render(figure, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    import matplotlib

    out = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.hashsalt": "tamga"}):  # the same chart gives the same bytes
        figure.savefig(out, format=fmt, metadata=metadata)
    return out.getvalue()


def quarter(day: str) -> str:
    """``2021-03-22`` → ``2021 Q1``; a year alone → the year."""
    if len(day) < 7:
        return day[:4]
    return f"{day[:4]} Q{(int(day[5:7]) - 1) // 3 + 1}"


def designations_per_quarter(
    tracker: Tracker, jurisdictions: tuple[str, ...] = JURISDICTIONS, filters: Filters | None = None
) -> dict[str, Counter[str]]:
    """jurisdiction → quarter → subjects first listed then (by a printed listing date only)."""
    counts: dict[str, Counter[str]] = {j: Counter() for j in jurisdictions}
    filters = filters or Filters()
    for subject in tracker.subjects.values():
        if not filters.subject_passes(subject):
            continue
        for j in jurisdictions:
            c = cell(subject, j, None, filters)
            if c is not None and c.listed_on and c.dated_by == "designation":
                counts[j][quarter(c.listed_on)] += 1
    return counts


def designations_chart(
    tracker: Tracker,
    fmt: str = "svg",
    jurisdictions: tuple[str, ...] = JURISDICTIONS,
    filters: Filters | None = None,
    title: str = "Subjects first designated, per quarter",
) -> bytes:
    """Stacked bars: subjects first designated in each quarter, by jurisdiction."""
    counts = designations_per_quarter(tracker, jurisdictions, filters)
    quarters = sorted({q for c in counts.values() for q in c})
    figure = _figure(max(6.0, 0.35 * len(quarters) + 2), 4.0)
    axes = figure.subplots()
    bottom = [0] * len(quarters)
    for j in jurisdictions:
        values = [counts[j][q] for q in quarters]
        if any(values):
            axes.bar(quarters, values, bottom=bottom, label=j, color=COLOURS.get(j))
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(title)
    axes.set_ylabel("subjects")
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    if quarters:
        axes.legend(frameon=False)
    else:
        axes.text(0.5, 0.5, "no dated designations", ha="center", va="center", transform=axes.transAxes)
    return _render(figure, fmt)


def _day(text: str) -> date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1] or 1, parts[2] or 1)


def timeline_chart(subject: Subject, events: list[Event], fmt: str = "svg") -> bytes:
    """One lane per jurisdiction: a bar from each listing to its removal (or today), a marker at
    each listing, amendment and removal; hollow markers for unverified or snapshot-dated facts."""
    dated = [e for e in events if e.date]
    lanes = sorted({e.jurisdiction for e in dated}, key=lambda j: (j not in JURISDICTIONS, j))
    figure = _figure(8.0, 1.2 + 0.5 * max(1, len(lanes)))
    axes = figure.subplots()
    today = date.today()
    markers = {"listed": "o", "amended": "s", "removed": "X"}
    for row, lane in enumerate(lanes):
        lane_events = [e for e in dated if e.jurisdiction == lane]
        listed = [_day(e.date) for e in lane_events if e.event == "listed" and e.date]
        removed = [_day(e.date) for e in lane_events if e.event == "removed" and e.date]
        if listed:
            start, end = min(listed), (max(removed) if removed and max(removed) > min(listed) else today)
            axes.barh(
                row, (end - start).days, left=start, height=0.3, color=COLOURS.get(lane, "#555"), alpha=0.35
            )
        for e in lane_events:
            solid = e.verified is not False and e.dated_by == "designation"
            axes.plot(
                _day(e.date or ""),
                row,
                marker=markers[e.event],
                markersize=8,
                color=COLOURS.get(lane, "#555"),
                markerfacecolor=COLOURS.get(lane, "#555") if solid else "white",
                linestyle="none",
            )
    axes.set_yticks(range(len(lanes)), lanes)
    axes.set_ylim(-0.7, max(0.7, len(lanes) - 0.3))
    axes.set_title(f"Designations of {subject.caption}")
    if not lanes:
        axes.text(0.5, 0.5, "no dated designations", ha="center", va="center", transform=axes.transAxes)
    return _render(figure, fmt)
