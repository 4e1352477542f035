"""The main job on the embedded defaults: load the bundled lists, then screen example names.

It shows, on real data and with no download, the path every feature takes: official files →
snapshots in the store → the name index → scored, explained matches.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from tamga.data import curated_path
from tamga.ingest import ingest
from tamga.match.screener import Query, Screener
from tamga.store import Store
from tamga.tracker import Tracker
from tamga.tracker.gaps import Filters, gaps

BUNDLED = Path(__file__).resolve().parent / "data" / "bundled"

EXAMPLES = (
    Query("Erkin Tuniyaz", "Person"),
    Query("艾尔肯·吐尼亚孜", "Person"),
    Query("ئەركىن تۇنىياز", "Person"),
    Query("Shohrat Zakir", "Person", birth_date="1953"),
    Query("chen quan guo", "Person"),
    Query("Xinjiang Public Security Bureau", "Organization"),
    Query("Hangzhou Hikvision Digital Technology Co., Ltd.", "Organization"),
    Query("Hikvision"),
    Query("SenseTime Group Ltd", "Organization"),
    Query("Jane Q. Example", "Person"),
)


def bundled_folders() -> list[Path]:
    return sorted(p for p in BUNDLED.iterdir() if p.is_dir())


def run_demo(store: Store, out: Console, err: Console) -> None:
    err.print(f"store: {store.url}")
    report = ingest(store, [*bundled_folders(), curated_path()])
    for outcome in report.outcomes:
        snap = outcome.snapshot
        assert snap is not None
        state = "already loaded" if outcome.unchanged else "loaded"
        out.print(f"{state}: {snap.source} snapshot {snap.seq}, {snap.counts['entities']:,} entities")
    screener = Screener.from_store(store)
    out.print(f"index: {len(screener.index.names):,} names of {len(screener.index.entities):,} entities\n")
    table = Table("query", "match", "score", "listed as", "why", show_lines=True)
    for query in EXAMPLES:
        matches = [m for m in screener.match(query, limit=3) if m.match]
        if not matches:
            table.add_row(query.name, "no match", "", "", "")
            continue
        for i, found in enumerate(matches):
            entity = screener.entity(found.entity_id)
            assert entity is not None
            programs = ", ".join(
                sorted({f"{d.authority} {d.list} {d.program or ''}".strip() for d in entity.designations})
            )
            why = f"met '{found.explanation.matched_name}' ({found.explanation.name_kind})"
            for q in found.explanation.qualifiers:
                why += f"; {q.kind} {q.effect:+.2f}: {q.detail}"
            table.add_row(
                query.name if i == 0 else "",
                f"{found.entity_id}\n{found.name}",
                f"{found.score:.2f}",
                programs,
                why,
            )
    out.print(table)
    show_gaps(store, out, err)


def show_gaps(store: Store, out: Console, err: Console) -> None:
    """The tracker's question on the same data: Xinjiang officials the US sanctioned and the EU,
    the UK and Canada did not."""
    err.print("grouping the records of every list into subjects…")
    tracker = Tracker.load(store)
    result = gaps(
        tracker, "US", ("EU", "UK", "CA"), None, Filters(country="CN", program="GLOMAG", schema="Person")
    )
    table = Table("sanctioned by the US (GLOMAG)", "since", "EU", "UK", "CA", "records")
    for row in result.rows:
        us = row.cells["US"]
        assert us is not None
        since = us.listed_on if us.dated_by == "designation" else "not printed"
        table.add_row(row.subject.caption, since or "", "-", "-", "-", ", ".join(row.subject.entity_ids))
    out.print(
        "\nPRC officials under US Global Magnitsky sanctions whom the EU, UK and Canada have not listed:"
    )
    out.print(table)
