# ruff: noqa: E501  (the HTML template and its CSS read better unbroken)
"""A screened portfolio written out: a self-contained HTML page, CSV, JSON and XLSX.

The HTML page needs nothing beside itself (inline CSS, an inline SVG chart, no script), so it can be
mailed or archived with the decision. Every string that came from the holdings file or the lists
is escaped. In CSV and XLSX a text cell that a spreadsheet would run as a formula ("=", "+", "-",
"@" first) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from tamga.screen.portfolio import FLAGGED, STATUSES, PortfolioReport, ScreenedHolding

FORMATS = ("html", "csv", "json", "xlsx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IDENTIFIER_COLUMNS = ("isin", "cusip", "sedol", "figi", "lei", "ticker")
CSV_COLUMNS = (
    "row", "name", "issuer", *IDENTIFIER_COLUMNS, "status", "value", "value_basis", "currency",
    "lists", "programs", "authorities", "listed_on", "legal_basis", "basis", "entity_ids",
    "matched_names", "scores", "evidence", "error",
)  # fmt: skip
STATUS_COLOURS = {
    "prohibited": "#b3261e",
    "sanctioned": "#7d1fa5",
    "restricted": "#b86e00",
    "clear": "#2e7d32",
    "error": "#5f6368",
}


def format_of(path: Path) -> str | None:
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def render(report: PortfolioReport, fmt: str) -> bytes:
    """The report in ``fmt`` (html, csv, json or xlsx) as bytes."""
    writers: dict[str, Callable[[PortfolioReport], bytes]] = {
        "html": lambda r: to_html(r).encode("utf-8"),
        "csv": lambda r: to_csv(r).encode("utf-8"),
        "json": lambda r: to_json(r).encode("utf-8"),
        "xlsx": to_xlsx,
    }
    if fmt not in writers:
        raise ValueError(f"unknown report format {fmt!r}: one of {', '.join(FORMATS)}")
    return writers[fmt](report)


def write_report(report: PortfolioReport, path: Path) -> None:
    fmt = format_of(path)
    if fmt is None:
        raise ValueError(f"{path}: the name must end in .html, .csv, .json or .xlsx")
    path.write_bytes(render(report, fmt))


def to_json(report: PortfolioReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


# --- rows for CSV and XLSX ------------------------------------------------------------------------


def _join(values: list[Any]) -> str:
    return "; ".join(str(v) for v in dict.fromkeys(values) if v not in (None, ""))


def holding_record(item: ScreenedHolding) -> list[Any]:
    """One holding as a flat row of :data:`CSV_COLUMNS`."""
    designations = [d for m in item.matches for d in m.designations]
    evidence = []
    for m in item.matches:
        e = m.evidence
        if m.basis == "isin":
            evidence.append(f"{e.get('scheme')} {e.get('value')} listed for {m.entity_id}")
        elif m.basis == "name":
            evidence.append(f"name '{e.get('query_name')}' ~ '{e.get('matched_name')}' ({m.score:.2f})")
        else:
            evidence.append(f"relation: {e.get('note')} ({m.score:.2f})")
    return [
        item.row,
        item.holding.name or "",
        item.issuer or "",
        *[item.holding.identifiers.get(s) or item.holding.invalid.get(s) or "" for s in IDENTIFIER_COLUMNS],
        item.status,
        "" if item.value is None else item.value,
        item.value_basis or "",
        item.holding.currency or "",
        _join(item.lists),
        _join([d.program for d in designations]),
        _join(item.authorities),
        _join([d.listed_on for d in designations]),
        _join([d.legal_basis for d in designations]),
        _join([m.basis for m in item.matches]),
        _join([m.entity_id for m in item.matches]),
        _join([m.name for m in item.matches]),
        _join([f"{m.score:.4f}" for m in item.matches]),
        " | ".join(evidence),
        item.holding.error or "",
    ]


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(report: PortfolioReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in report.holdings:
        writer.writerow([_safe_text(v) for v in holding_record(item)])
    return buffer.getvalue()


def to_xlsx(report: PortfolioReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    summary = book.active
    summary.title = "Summary"
    s = report.summary

    def put(sheet: Any, row: list[Any], header: bool = False) -> None:
        sheet.append([_xlsx_value(v) for v in row])
        if header:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    put(summary, ["Portfolio screening", report.file], header=True)
    for label, value in (
        ("holdings", s["holdings"]),
        ("flagged holdings", s["flagged_holdings"]),
        ("total value", s["total_value"]),
        ("flagged value", s["flagged_value"]),
        ("flagged share", s["flagged_share"]),
        ("value basis", s["value_basis"]),
        ("currency", s["currency"]),
        ("threshold", report.threshold),
        ("generated", report.generated_at.isoformat(timespec="seconds")),
    ):
        put(summary, [label, value])
    for title, groups in (
        ("status", s["by_status"]),
        ("list", s["by_list"]),
        ("jurisdiction", s["by_jurisdiction"]),
    ):
        put(summary, [])
        put(summary, [f"by {title}", "holdings", "value", "share"], header=True)
        for key, group in groups.items():
            put(summary, [key, group["holdings"], group["value"], group["share"]])
    for warning in s["warnings"]:
        put(summary, ["warning", warning])
    holdings = book.create_sheet("Holdings")
    put(holdings, list(CSV_COLUMNS), header=True)
    for item in report.holdings:
        put(holdings, holding_record(item))
    divest = book.create_sheet("Divest")
    put(divest, ["row", "name", "status", "value", "lists", "basis"], header=True)
    for entry in s["divest"]:
        put(divest, [entry["row"], entry["name"], entry["status"], entry["value"], _join(entry["lists"]),
                     _join(entry["basis"])])  # fmt: skip
    lists = book.create_sheet("Lists")
    put(lists, ["source", "snapshot", "published_at", "ingested_at"], header=True)
    for entry in report.lists:
        put(lists, [entry["source"], entry["snapshot"], entry["published_at"], entry["ingested_at"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return _safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


# --- HTML -----------------------------------------------------------------------------------------

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f1f1f;margin:2rem auto;
max-width:1200px;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
.muted{color:#5f6368}.cards{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;min-width:10rem}
.card .big{font-size:1.6rem;font-weight:600}.card.alert .big{color:#b3261e}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f5f5f5}td.num,th.num{text-align:right;white-space:nowrap}
.status{display:inline-block;border-radius:3px;padding:0 .4rem;color:#fff;font-size:.85em}
.evidence{font-size:.9em}.evidence div{margin-bottom:.25rem}.warn{background:#fff4e5;border:1px solid #f0c36d;
padding:.5rem 1rem;border-radius:4px}code{font-size:.95em}
@media print{body{margin:0}.card{break-inside:avoid}}
"""


def _money(value: Any, currency: str | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:,.2f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    return f"{text} {currency}" if currency else text


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.2f}%"


def _badge(status: str) -> str:
    return f'<span class="status" style="background:{STATUS_COLOURS[status]}">{escape(status)}</span>'


def exposure_chart(report: PortfolioReport) -> str:
    """An inline SVG bar chart of the share of the portfolio on each list."""
    groups = report.summary["by_list"]
    if not groups:
        return '<p class="muted">No holding is on any list.</p>'
    width, label_width, bar_height, gap = 720, 220, 22, 8
    height = len(groups) * (bar_height + gap) + gap
    scale = width - label_width - 90
    rows = []
    for i, (name, group) in enumerate(groups.items()):
        y = gap + i * (bar_height + gap)
        share = group["share"] or 0.0
        bar = max(1.0, share * scale)
        title = f"{name}: {group['holdings']} holding(s), {_pct(group['share'])}"
        rows.append(
            f"<g><title>{escape(title)}</title>"
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" fill="#b3261e"></rect>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{escape(_pct(group["share"]))}'
            f" ({group['holdings']})</text></g>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Exposure by list" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-size="13" font-family="system-ui,sans-serif">'
        + "".join(rows)
        + "</svg>"
    )


def _evidence_html(item: ScreenedHolding) -> str:
    parts = []
    for m in item.matches:
        e = m.evidence
        if m.basis == "isin":
            how = f"{escape(str(e.get('scheme')))} <code>{escape(str(e.get('value')))}</code> is listed"
        elif m.basis == "name":
            how = (
                f"name “{escape(str(e.get('query_name')))}” ~ “{escape(str(e.get('matched_name')))}”, "
                f"score {m.score:.2f}"
            )
        else:
            how = f"relation: {escape(str(e.get('note')))}, score {m.score:.2f}"
        listings = "; ".join(
            escape(
                " ".join(
                    x
                    for x in (
                        d.authority,
                        d.list,
                        f"({d.program})" if d.program else "",
                        f"since {d.listed_on}" if d.listed_on else "",
                        f"— {d.legal_basis}" if d.legal_basis else "",
                    )
                    if x
                )
            )
            for d in m.designations
        )
        parts.append(
            f"<div><b>{escape(m.name)}</b> <span class=muted>{escape(m.entity_id)}</span> "
            f"[{escape(m.basis)}] {how}<br>{listings}</div>"
        )
    return "".join(parts)


def to_html(report: PortfolioReport) -> str:
    s = report.summary
    currency = s.get("currency")
    basis = s["value_basis"]
    value_label = {"weight": "weight", "count": "holdings"}.get(basis, "value")
    cards = [
        f'<div class="card alert"><div class="muted">flagged share</div><div class="big" id="flagged-share">'
        f"{_pct(s['flagged_share'])}</div><div>{s['flagged_holdings']} of {s['holdings']} holdings</div></div>",
        f'<div class="card"><div class="muted">flagged {value_label}</div><div class="big">'
        f"{_money(s['flagged_value'], currency if basis == 'value' else None)}</div></div>",
        f'<div class="card"><div class="muted">total {value_label}</div><div class="big">'
        f"{_money(s['total_value'], currency if basis == 'value' else None)}</div></div>",
    ]
    status_rows = "".join(
        f"<tr><td>{_badge(status)}</td><td class=num>{g['holdings']}</td>"
        f"<td class=num>{_money(g['value'])}</td><td class=num>{_pct(g['share'])}</td></tr>"
        for status, g in s["by_status"].items()
    )

    def group_rows(groups: dict[str, Any]) -> str:
        return (
            "".join(
                f"<tr><td>{escape(k)}</td><td class=num>{g['holdings']}</td><td class=num>{_money(g['value'])}</td>"
                f"<td class=num>{_pct(g['share'])}</td></tr>"
                for k, g in groups.items()
            )
            or '<tr><td colspan="4" class="muted">none</td></tr>'
        )

    total = s["total_value"]
    flagged = sorted(
        report.flagged,
        key=lambda i: (-(float(i.value) if i.value is not None else 0.0), STATUSES.index(i.status)),
    )
    flagged_rows = (
        "".join(
            f"<tr><td class=num>{item.row}</td><td>{escape(item.holding.name or '')}</td>"
            f"<td>{escape(', '.join(f'{k.upper()} {v}' for k, v in item.holding.identifiers.items()))}</td>"
            f"<td>{_badge(item.status)}</td><td class=num>{_money(None if item.value is None else float(item.value))}</td>"
            f"<td class=num>{_pct(float(item.value) / total if item.value is not None and total else None)}</td>"
            f"<td class=evidence>{_evidence_html(item)}</td></tr>"
            for item in flagged
        )
        or '<tr><td colspan="7" class="muted">No holding is flagged.</td></tr>'
    )
    errors = [i for i in report.holdings if i.status == "error"]
    error_rows = "".join(
        f"<tr><td class=num>{i.row}</td><td>{escape(i.holding.name or '')}</td><td>{escape(i.holding.error or '')}"
        f"</td><td class=evidence>{_evidence_html(i)}</td></tr>"
        for i in errors
    )
    list_rows = (
        "".join(
            f"<tr><td>{escape(str(entry['source']))}</td><td class=num>{entry['snapshot']}</td>"
            f"<td>{escape(str(entry['published_at'] or 'not stated in the file'))}</td>"
            f"<td>{escape(str(entry['ingested_at'] or ''))}</td></tr>"
            for entry in report.lists
        )
        or '<tr><td colspan="4" class="muted">not known</td></tr>'
    )
    columns = s["columns"]
    used = ", ".join(f"{escape(h)} → {escape(f)}" for f, h in columns["used"].items())
    ignored = ", ".join(escape(h) for h in columns["ignored"]) or "none"
    warnings = "".join(f'<p class="warn">{escape(w)}</p>' for w in s["warnings"])
    if s.get("by_currency"):
        warnings += (
            "<table><tr><th>currency</th><th class=num>total</th><th class=num>flagged</th>"
            + "".join(
                f"<tr><td>{escape(code)}</td><td class=num>{_money(c['total_value'])}</td>"
                f"<td class=num>{_money(c['flagged_value'])} ({_pct(c['flagged_share'])})</td></tr>"
                for code, c in s["by_currency"].items()
            )
            + "</table>"
        )
    flagged_names = ", ".join(FLAGGED)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portfolio screening: {escape(report.file)}</title><style>{CSS}</style></head>
<body>
<h1>Portfolio screening</h1>
<p class="muted">{escape(report.file)} · {s["holdings"]} holdings · screened
{escape(report.generated_at.strftime("%Y-%m-%d %H:%M UTC"))} · name-match threshold {report.threshold:.2f}</p>
{warnings}
<div class="cards">{"".join(cards)}</div>
<p>Flagged means {escape(flagged_names)}: <b>prohibited</b> — an investment ban applies (US NS-CMIC list,
EO 13959); <b>sanctioned</b> — blocking sanctions (SDN, UN, EU, UK asset freezes); <b>restricted</b> — export-control
and other lists, or a relation to a listed entity that the data names.</p>
<h2>Exposure by list</h2>
{exposure_chart(report)}
<h2>By status</h2>
<table><tr><th>status</th><th class=num>holdings</th><th class=num>{value_label}</th><th class=num>share</th></tr>
{status_rows}</table>
<h2>By list</h2>
<table><tr><th>list</th><th class=num>holdings</th><th class=num>{value_label}</th><th class=num>share</th></tr>
{group_rows(s["by_list"])}</table>
<h2>By jurisdiction</h2>
<table><tr><th>authority</th><th class=num>holdings</th><th class=num>{value_label}</th><th class=num>share</th></tr>
{group_rows(s["by_jurisdiction"])}</table>
<h2>Flagged holdings: the divestment list, largest first</h2>
<table><tr><th class=num>row</th><th>holding</th><th>identifiers</th><th>status</th><th class=num>{value_label}</th>
<th class=num>share</th><th>evidence</th></tr>
{flagged_rows}</table>
{f"<h2>Rows with errors</h2><table><tr><th class=num>row</th><th>holding</th><th>error</th><th>found</th></tr>{error_rows}</table>" if errors else ""}
<h2>Lists screened against</h2>
<table><tr><th>source</th><th class=num>snapshot</th><th>published</th><th>loaded</th></tr>{list_rows}</table>
<h2>Columns read</h2>
<p>Used: {used}. Ignored: {ignored}. Header on row {columns["header_row"]}.</p>
</body></html>
"""
