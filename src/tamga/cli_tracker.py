"""The tracker's commands: ``subjects``, ``link``, ``unlink``, ``history``, ``gaps``,
``designated``, ``changes`` and ``chart``. A thin surface over :mod:`tamga.tracker`; registered
on the main ``tamga`` app by :mod:`tamga.cli`.
"""

from __future__ import annotations

import getpass
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tamga.cli import DbOption, JsonOption, app, bad_input_exits, err, fail, out, print_json
from tamga.dates import parse_date
from tamga.store import Store
from tamga.store.subjects import LINK, UNLINK
from tamga.tracker import Tracker, TrackerError
from tamga.tracker.changes import changes
from tamga.tracker.charts import designations_chart, timeline_chart
from tamga.tracker.gaps import Filters, Matrix, designated, gaps
from tamga.tracker.history import subject_json, timeline
from tamga.tracker.jurisdictions import parse_jurisdictions

CountryOption = Annotated[
    str | None, typer.Option("--country", help="ISO country code the subject is tied to, e.g. CN.")
]
ProgramOption = Annotated[
    str | None, typer.Option("--program", help="Program code or words of its name, e.g. GLOMAG.")
]
SchemaOption = Annotated[
    str | None, typer.Option("--schema", help="Person, Organization, Vessel or Aircraft.")
]
AuthorityOption = Annotated[
    str | None,
    typer.Option("--authority", help="Only this authority's designations, e.g. US-OFAC (Treasury)."),
]
SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source", help="Only subjects with a record from this source (curated: the Xinjiang actions)."
    ),
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="The state on this date (YYYY-MM-DD). Default: today.")
]


def _as_of(text: str | None) -> str | None:
    if text is None:
        return None
    day = parse_date(text)
    if day is None or len(day) != 10:
        raise fail(f"--as-of: {text!r} is not a date (YYYY-MM-DD)")
    return day


def _jurisdictions(text: str, option: str) -> tuple[str, ...]:
    try:
        return parse_jurisdictions(text, option)
    except ValueError as exc:
        raise fail(str(exc)) from None


@contextmanager
def _tracker_errors() -> Iterator[None]:
    with bad_input_exits():
        try:
            yield
        except TrackerError as exc:
            raise fail(str(exc)) from None


def load_tracker(store: Store, recluster: bool | None = None) -> Tracker:
    """The tracker, telling the user when the subjects are being (re)built and how long it took."""
    if recluster or (recluster is None and store.clustering_is_stale()):
        err.print("grouping records into subjects across lists…")
        start = time.perf_counter()
        tracker = Tracker.load(store, recluster=True)
        err.print(
            f"grouped {len(tracker.records):,} records into {len(tracker.subjects):,} subjects "
            f"in {time.perf_counter() - start:.1f} s"
        )
        return tracker
    return Tracker.load(store, recluster=False)


@app.command("subjects")
def subjects_cmd(
    recluster: Annotated[
        bool, typer.Option("--recluster", help="Group again even if nothing changed.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Group the records of every list into subjects (same person or organisation) and summarise."""
    with _tracker_errors():
        tracker = load_tracker(Store(db), recluster or None)
    sizes = Counter(len(s.records) for s in tracker.subjects.values())
    kinds = Counter(e["kind"] for m in tracker.members.values() for e in m.evidence)
    summary = {
        "records": len(tracker.records),
        "subjects": len(tracker.subjects),
        "subjects_by_records": {str(k): v for k, v in sorted(sizes.items())},
        "evidence": dict(kinds.most_common()),
    }
    if as_json:
        print_json(summary)
        return
    out.print(f"{summary['records']:,} records in {summary['subjects']:,} subjects")
    for size, count in sorted(sizes.items()):
        out.print(f"  {count:,} subjects with {size} record{'s' if size > 1 else ''}")
    for kind, count in kinds.most_common():
        out.print(f"  evidence: {kind}: {count // 2:,} pairs")  # each pair is noted on both records


def _judge(a: str, b: str, decision: str, by: str | None, reason: str | None, db: str | None) -> None:
    store = Store(db)
    with _tracker_errors():
        for entity_id in (a, b):
            if store.entity(entity_id) is None and not list(store.lifetimes([entity_id])):
                raise fail(f"no entity {entity_id!r} in {store.url}")
        if a == b:
            raise fail("name two different entities")
        judgement = store.add_judgement(a, b, decision, by or getpass.getuser(), reason)
        tracker = load_tracker(store)
    subject_a, subject_b = tracker.subject_of(a), tracker.subject_of(b)
    together = subject_a is not None and subject_a is subject_b
    out.print(
        f"{judgement.decision}: {a} {'=' if decision == LINK else '≠'} {b} by {judgement.decided_by}; "
        f"now {'one subject' if together else 'two subjects'}"
    )


@app.command("link")
def link_cmd(
    a: Annotated[str, typer.Argument(metavar="A", help="Entity id.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Entity id.")],
    by: Annotated[str | None, typer.Option("--by", help="Who decides. Default: the user name.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    db: DbOption = None,
) -> None:
    """Confirm that two records are the same subject; later automatic runs keep them together."""
    _judge(a, b, LINK, by, reason, db)


@app.command("unlink")
def unlink_cmd(
    a: Annotated[str, typer.Argument(metavar="A", help="Entity id.")],
    b: Annotated[str, typer.Argument(metavar="B", help="Entity id.")],
    by: Annotated[str | None, typer.Option("--by", help="Who decides. Default: the user name.")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    db: DbOption = None,
) -> None:
    """Split two records into different subjects; later automatic runs keep them apart."""
    _judge(a, b, UNLINK, by, reason, db)


@app.command("history")
def history_cmd(
    subject: Annotated[str, typer.Argument(metavar="ID|NAME", help="An entity id or a name in any script.")],
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also draw the timeline to FILE.svg or FILE.png.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The timeline of every designation of a subject across jurisdictions and lists."""
    store = Store(db)
    with _tracker_errors():
        tracker = load_tracker(store)
        found = tracker.find(subject)
        data = subject_json(found, store)
    if chart is not None:
        fmt = chart.suffix.lstrip(".").lower()
        if fmt not in ("svg", "png"):
            raise fail(f"--chart: {chart} must end in .svg or .png")
        chart.write_bytes(timeline_chart(found, timeline(found, store), fmt))
        err.print(f"wrote {chart}")
    if as_json:
        print_json(data)
        return
    out.print(Text.assemble((data["caption"], "bold"), f"  subject {data['subject_id']}  ({data['schema']})"))
    for m in data["members"]:
        why = "; ".join(f"{e['kind']} with {e['with']}: {e['detail']}" for e in m["evidence"])
        out.print(f"  record {m['entity_id']}  {m['caption']}" + (f"  [{why}]" if why else ""))
    table = Table("date", "", "event", "list", "program", "record", box=None, pad_edge=False)
    for e in data["timeline"]:
        flag = "UNVERIFIED " if e["verified"] is False else ""
        when = (e["date"] or "undated") + (" (snapshot)" if e["dated_by"] == "snapshot" else "")
        table.add_row(
            when,
            e["jurisdiction"],
            flag + e["event"],
            f"{e['authority']} {e['list']}",
            e["program"] or "",
            e["entity_id"],
        )
    out.print(table)


def _print_matrix(result: Matrix, title: str) -> None:
    out.print(Text(title, style="bold"))
    table = Table("subject", "schema", *result.jurisdictions, "records", box=None, pad_edge=False)
    for row in result.rows:
        cells = []
        for j in result.jurisdictions:
            c = row.cells.get(j)
            if c is None:
                cells.append("-")
            else:
                mark = "" if c.verified else " UNVERIFIED"
                cells.append((c.listed_on or "listed") + ("*" if c.dated_by == "snapshot" else "") + mark)
        table.add_row(row.subject.caption, row.subject.schema, *cells, ", ".join(row.subject.entity_ids))
    out.print(table)
    if any(c and c.dated_by == "snapshot" for r in result.rows for c in r.cells.values()):
        out.print("* no listing date printed: the date of the first snapshot that showed the record")


@app.command("gaps")
def gaps_cmd(
    of: Annotated[str, typer.Option("--of", help="The jurisdiction that designated: US, EU, UK, CA or UN.")],
    vs: Annotated[
        str, typer.Option("--vs", help="Jurisdictions that did not, comma-separated, e.g. EU,UK,CA.")
    ],
    program: ProgramOption = None,
    country: CountryOption = None,
    schema: SchemaOption = None,
    authority: AuthorityOption = None,
    source: SourceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Subjects designated by one jurisdiction and by none of the others, with dates."""
    first = _jurisdictions(of, "--of")
    if len(first) != 1:
        raise fail("--of: name one jurisdiction")
    others = tuple(j for j in _jurisdictions(vs, "--vs") if j != first[0])
    day = _as_of(as_of)
    filters = Filters(country=country, program=program, schema=schema, authority=authority, source=source)
    with _tracker_errors():
        result = gaps(load_tracker(Store(db)), first[0], others, day, filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_matrix(
        result,
        f"{len(result.rows)} designated by {first[0]} and not by {', '.join(others)}"
        + (f" on {day}" if day else ""),
    )


@app.command("designated")
def designated_cmd(
    jurisdiction: Annotated[str, typer.Option("--jurisdiction", "--by", help="US, EU, UK, CA or UN.")],
    program: ProgramOption = None,
    country: CountryOption = None,
    schema: SchemaOption = None,
    authority: AuthorityOption = None,
    source: SourceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Count and list the subjects under a jurisdiction's designation on a date."""
    codes = _jurisdictions(jurisdiction, "--jurisdiction")
    if len(codes) != 1:
        raise fail("--jurisdiction: name one jurisdiction")
    day = _as_of(as_of)
    filters = Filters(country=country, program=program, schema=schema, authority=authority, source=source)
    with _tracker_errors():
        result = designated(load_tracker(Store(db)), codes[0], day, filters)
    if as_json:
        print_json(result.to_dict())
        return
    _print_matrix(
        result, f"{len(result.rows)} designated by {codes[0]}" + (f" on {day}" if day else " today")
    )


@app.command("changes")
def changes_cmd(
    since: Annotated[
        str | None, typer.Option("--since", help="Only snapshots dated on or after this day.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many changes.")] = 200,
    first: Annotated[
        bool, typer.Option("--include-first", help="Also list each source's first snapshot as additions.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Additions, removals and amendments across sources, newest first."""
    day = _as_of(since) if since else None
    with _tracker_errors():
        found = changes(Store(db), day, source, limit, first)
    if as_json:
        print_json({"changes": [c.to_dict() for c in found]})
        return
    if not found:
        out.print(
            "no changes"
            + (f" since {day}" if day else "")
            + " (a source's first snapshot is not listed: --include-first)"
        )
    symbol = {"added": "+", "removed": "-", "amended": "~"}
    for c in found:
        fields = f"  [{', '.join(c.fields)}]" if c.fields else ""
        out.print(f"{c.date}  {c.source} #{c.seq}  {symbol[c.kind]} {c.entity_id}  {c.caption}{fields}")


@app.command("chart")
def chart_cmd(
    out_file: Annotated[Path, typer.Argument(metavar="FILE", help="FILE.svg or FILE.png.")],
    jurisdictions: Annotated[
        str, typer.Option("--jurisdictions", help="Comma-separated.")
    ] = "US,EU,UK,CA,UN",
    program: ProgramOption = None,
    country: CountryOption = None,
    schema: SchemaOption = None,
    source: SourceOption = None,
    db: DbOption = None,
) -> None:
    """Draw subjects first designated per quarter, by jurisdiction."""
    fmt = out_file.suffix.lstrip(".").lower()
    if fmt not in ("svg", "png"):
        raise fail(f"FILE: {out_file} must end in .svg or .png")
    codes = _jurisdictions(jurisdictions, "--jurisdictions")
    filters = Filters(country=country, program=program, schema=schema, source=source)
    with _tracker_errors():
        data = designations_chart(load_tracker(Store(db)), fmt, codes, filters)
    out_file.write_bytes(data)
    err.print(f"wrote {out_file}")
