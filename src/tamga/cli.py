"""The ``tamga`` command line: a thin surface over :mod:`tamga.ingest`, :mod:`tamga.update` and the store.

Every command takes ``--db URL`` (else ``TAMGA_DB``), exits 0 on success and 2 on bad input with a
message that names the file and the line or field. Progress goes to stderr, results to stdout, so
``--json`` output can be piped.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from tamga.ingest import IngestReport, ingest
from tamga.sources.base import ParseError
from tamga.store import Store, StoreError, entity_json
from tamga.store.db import default_url

app = typer.Typer(
    name="tamga",
    help="Screen names and portfolios against sanctions lists, and track who is designated where.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Markup off: names, remarks and file paths are printed as they are, brackets and all.
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Store URL (SQLAlchemy URL or SQLite file path). Default: $TAMGA_DB, else the user data dir.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def fail(message: str) -> typer.Exit:
    """Print ``message`` as an error and return the exit for bad input (code 2)."""
    err.print(Text.assemble(("error:", "bold red"), " ", message))
    return typer.Exit(code=2)


@contextmanager
def bad_input_exits() -> Iterator[None]:
    """Turn the errors that mean "bad input" into exit code 2 with their message."""
    try:
        yield
    except ParseError as exc:
        raise fail(str(exc)) from None
    except StoreError as exc:
        raise fail(str(exc)) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def parse_progress() -> Iterator[Any]:
    """A spinner on stderr counting parsed entities per source (silent when stderr is no terminal)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        tasks: dict[str, Any] = {}

        def hook(source: str, count: int) -> None:
            if count < 0:
                for task in tasks.values():
                    progress.update(task, visible=False)
                progress.add_task(f"writing to {source}", total=None)
                return
            if source not in tasks:
                tasks[source] = progress.add_task("", total=None)
            progress.update(tasks[source], description=f"parsing {source}: {count:,} entities")

        yield hook


@contextmanager
def download_progress() -> Iterator[Any]:
    """A bar per downloaded file on stderr (silent when stderr is no terminal)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        tasks: dict[str, Any] = {}

        def hook(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(f"downloading {name}", total=total)
            progress.update(tasks[name], completed=done, total=total)

        yield hook


def report_ingest(report: IngestReport) -> None:
    for note in report.skipped:
        err.print(f"skipped {note}")
    for source, warnings in report.warnings.items():
        for warning in warnings:
            err.print(Text.assemble(("warning:", "yellow"), f" {source}: {warning}"))
    for outcome in report.outcomes:
        snap = outcome.snapshot
        assert snap is not None
        if outcome.unchanged:
            out.print(f"{outcome.source}: unchanged, identical to snapshot {snap.seq}; no new snapshot")
            continue
        schemata = ", ".join(f"{n:,} {s}" for s, n in snap.counts.get("schemata", {}).items())
        published = f", published {snap.published_at}" if snap.published_at else ""
        out.print(
            f"{outcome.source}: snapshot {snap.seq}{published}: {snap.counts['entities']:,} entities "
            f"({schemata}); {outcome.added:,} added, {outcome.changed:,} changed, {outcome.removed:,} removed"
        )


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="List files or folders; the format is detected.")],
    source: Annotated[
        str | None, typer.Option("--source", help="Source slug to file the entities under.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Load official list files into the store as a new snapshot of each source."""
    store = Store(db)
    with bad_input_exits(), parse_progress() as hook:
        report = ingest(store, paths, source=source, progress=hook)
    report_ingest(report)


@app.command("update")
def update_cmd(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Sources to update (default: all with a download).")
    ] = None,
    db: DbOption = None,
    timeout: Annotated[float, typer.Option(help="Seconds to wait on each request.")] = 60.0,
    retries: Annotated[int, typer.Option(help="Attempts per file before giving up.")] = 3,
    mirror: Annotated[
        str | None,
        typer.Option("--mirror", help="Fetch {mirror}/{source}/{file} instead (default: $TAMGA_MIRROR)."),
    ] = None,
) -> None:
    """Download the current official files from their publishers and ingest what changed."""
    from tamga.update import UpdateError, update

    store = Store(db)
    with bad_input_exits(), download_progress() as hook:
        try:
            results = update(
                store,
                sources or None,
                timeout=timeout,
                retries=retries,
                mirror=mirror,
                log=err.print,
                progress=hook,
            )
        except UpdateError as exc:
            raise fail(str(exc)) from None
    failed = False
    for result in results:
        if result.error:
            failed = True
            err.print(
                Text.assemble(
                    (f"{result.source}: not updated: {result.error}", "red"),
                    " (the data already loaded stays in service)",
                )
            )
        elif result.not_modified:
            out.print(f"{result.source}: not modified since the last download")
        elif result.report is not None:
            report_ingest(result.report)
    if failed:
        raise typer.Exit(code=1)


@app.command("sources")
def sources_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List loaded sources with their latest snapshot's date and counts."""
    with bad_input_exits():
        summaries = Store(db).sources()
    if as_json:
        print_json([s.to_dict() for s in summaries])
        return
    if not summaries:
        out.print(f"no sources loaded in {Store(db).url}; run `tamga ingest PATH` or `tamga update`")
        return
    table = Table("source", "snapshots", "latest", "published", "ingested", "entities", "by schema")
    for s in summaries:
        table.add_row(
            s.source,
            str(s.snapshots),
            str(s.latest.seq),
            s.latest.published_at or "-",
            s.latest.ingested_at.isoformat(sep=" ", timespec="minutes"),
            f"{s.entities:,}",
            ", ".join(f"{k} {v:,}" for k, v in s.latest.counts.get("schemata", {}).items()),
        )
    out.print(table)


@app.command("show")
def show_cmd(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id, e.g. ofac-sdn:34119.")],
    snapshot: Annotated[
        int | None, typer.Option("--snapshot", help="Show the entity as of this snapshot.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show everything the store holds about one entity."""
    store = Store(db)
    with bad_input_exits():
        entity = store.entity(entity_id, snapshot)
    if entity is None:
        when = f" in snapshot {snapshot}" if snapshot is not None else ""
        raise fail(f"ID: no entity {entity_id!r}{when} in {store.url}")
    if as_json:
        print_json(entity_json(entity, store))
        return
    out.print(Text.assemble((entity.caption, "bold"), f"  {entity.id}  ({entity.schema})"))
    for name in entity.names:
        parts = ", ".join(
            f"{k}={getattr(name, k)}" for k in ("family", "given", "middle", "patronymic") if getattr(name, k)
        )
        out.print(
            f"  name  {name.kind:<7} {name.full}" + (f"  [{parts}]" if parts else "") + f"  ({name.script})"
        )
    for d in entity.designations:
        out.print(
            f"  listed  {d.authority} {d.list} {d.program or ''} "
            f"{('since ' + d.listed_on) if d.listed_on else ''}"
            + (" UNVERIFIED" if d.verified is False else "")
        )
    for i in entity.identifiers:
        valid = {True: " (valid)", False: " (checksum fails)", None: ""}[i.valid]
        out.print(f"  id    {i.scheme} {i.value}{(' ' + i.country) if i.country else ''}{valid}")
    for value in entity.birth_dates:
        out.print(f"  born  {value}")
    for value in entity.birth_places:
        out.print(f"  place {value}")
    for c in entity.countries:
        out.print(f"  {c.role} {c.code}")
    for a in entity.addresses:
        out.print(f"  addr  {a.full or ', '.join(filter(None, [a.street, a.city, a.country]))}")
    for r in entity.relations:
        out.print(f"  rel   {r.kind} {r.target_id or r.target_name}")
    for key, values in entity.properties.items():
        out.print(f"  {key}: {'; '.join(values)}")
    if entity.remarks:
        out.print(f"  remarks: {entity.remarks}")


@app.command("diff")
def diff_cmd(
    source: Annotated[str, typer.Argument(help="Source slug, e.g. ofac-sdn.")],
    from_seq: Annotated[
        int | None, typer.Option("--from", help="Older snapshot (0 = empty). Default: the one before --to.")
    ] = None,
    to_seq: Annotated[int | None, typer.Option("--to", help="Newer snapshot. Default: the latest.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List entities added, removed and changed (with the fields) between two snapshots."""
    with bad_input_exits():
        diff = Store(db).diff(source, from_seq, to_seq)
    if as_json:
        print_json(diff.to_dict())
        return
    start = f"snapshot {diff.from_snapshot.seq}" if diff.from_snapshot else "empty"
    out.print(
        f"{source}: {start} -> snapshot {diff.to_snapshot.seq}: {len(diff.added):,} added, "
        f"{len(diff.removed):,} removed, {len(diff.changed):,} changed"
    )
    for change in diff.added:
        out.print(f"+ {change.id}  {change.caption}")
    for change in diff.removed:
        out.print(f"- {change.id}  {change.caption}")
    for change in diff.changed:
        out.print(f"~ {change.id}  {change.caption}  [{', '.join(f.field for f in change.fields)}]")


@app.command("match")
def match_cmd(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person, Organization, Vessel or Aircraft.")
    ] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="ISO 3166 alpha-2 code.")] = None,
    identifier: Annotated[
        list[str] | None,
        typer.Option("--identifier", help="A document or registry number (ISIN, IMO, passport…)."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Score from which a candidate is a match.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates.")] = 10,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen one name against every loaded list; candidates best first, with why they matched."""
    from tamga.match.screener import Query, Screener
    from tamga.model import SCHEMATA
    from tamga.monitor.decisions import annotate

    if schema is not None and schema not in SCHEMATA:
        raise fail(f"--schema: {schema!r} is not one of {', '.join(SCHEMATA)}")
    store = Store(db)
    with bad_input_exits():
        screener = Screener.from_store(store)
    query = Query(name, schema, birth_date, country, tuple(identifier or ()))
    matches = screener.match(query, threshold=threshold, limit=limit)
    with bad_input_exits():  # analysts' earlier decisions on these pairs (tamga.monitor.decisions)
        shown = annotate([m.to_dict() for m in matches], name, store, screener.entity)
    if as_json:
        print_json({"query": query.to_dict(), "matches": shown})
        return
    if not matches:
        out.print(f"no candidates for {name!r} among {len(screener.index.entities):,} entities")
        return
    table = Table("match", "score", "entity", "name", "met", "qualifiers")
    for m, line in zip(matches, shown, strict=True):
        quals = "; ".join(f"{q.kind} {q.effect:+.2f}" for q in m.explanation.qualifiers)
        table.add_row(
            "yes" if line["match"] else "no (cleared)" if line.get("suppressed") else "no",
            f"{m.score:.2f}",
            m.entity_id,
            m.name,
            m.explanation.matched_name,
            quals,
        )
    out.print(table)


@app.command("screen")
def screen_cmd(
    input_csv: Annotated[
        Path, typer.Argument(metavar="INPUT", help="CSV (or, with an engine, Parquet) with a 'name' column.")
    ],
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="FILE.jsonl, FILE.csv or FILE.parquet (default: JSON lines on stdout)."),
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Score from which a candidate is a match.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates per name.")] = 10,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes (default: one per core).")
    ] = None,
    db: DbOption = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="local, dask or spark: screen in partitions, setting malformed rows aside "
            "(default with Parquet in or out: local).",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address or Spark master URL (default: this host)."),
    ] = None,
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions of the input (with --engine).")
    ] = None,
    errors_path: Annotated[
        Path | None, typer.Option("--errors", help="FILE.csv listing the malformed rows (with --engine).")
    ] = None,
) -> None:
    """Screen every name of a CSV file; one JSON line (or CSV rows) per input row, in input order."""
    from tamga.match.screener import Screener
    from tamga.monitor.decisions import DecisionBook, annotate
    from tamga.screen.batch import default_workers, read_rows, screen_rows, write_csv, write_jsonl

    parquet = any(p is not None and p.name.lower().endswith(".parquet") for p in (input_csv, out_path))
    if engine is not None or parquet or scheduler is not None or partitions is not None:
        engine_options = (engine or "local", scheduler, partitions, workers)
        _screen_on_engine(input_csv, out_path, *engine_options, threshold, limit, errors_path, db)
        return
    if out_path is not None and out_path.suffix.lower() not in (".jsonl", ".csv"):
        raise fail(f"--out: {out_path} must end in .jsonl or .csv")
    with bad_input_exits():
        rows = read_rows(input_csv)
        store = Store(db)
        screener = Screener.from_store(store)
        book = DecisionBook.load(store, [r.query.name for r in rows])
    if not screener.index.entities:
        raise fail("the store holds no entities: run `tamga ingest` or `tamga update` first")
    results = screen_rows(screener, rows, threshold, limit, workers or default_workers())

    def decided(row: Any, line: dict[str, Any]) -> None:  # analysts' earlier decisions on the pairs
        annotate(line["matches"], row.query.name, book, screener.entity)

    if out_path is None:
        write_jsonl(results, sys.stdout, decided)
        return
    with open(out_path, "w", encoding="utf-8", newline="") as handle:
        count = (
            write_csv(results, handle, decided)
            if out_path.suffix.lower() == ".csv"
            else write_jsonl(results, handle, decided)
        )
    err.print(f"screened {count:,} names against {len(screener.index.entities):,} entities -> {out_path}")


def _screen_on_engine(
    input_path: Path,
    out_path: Path | None,
    engine_name: str,
    scheduler: str | None,
    partitions: int | None,
    workers: int | None,
    threshold: float | None,
    limit: int,
    errors_path: Path | None,
    db: str | None,
) -> None:
    """``tamga screen --engine``: :func:`tamga.scale.runner.screen_file` with a progress bar and a summary."""
    from tamga.match.screener import Screener
    from tamga.monitor.decisions import DecisionBook
    from tamga.scale.engine import ENGINES
    from tamga.scale.io import write_errors
    from tamga.scale.runner import check_input, make_engine, screen_file, with_decisions

    if engine_name not in ENGINES:
        raise fail(f"--engine: {engine_name!r} is not one of {', '.join(ENGINES)}")
    if out_path is not None and out_path.suffix.lower() not in (".jsonl", ".parquet"):
        raise fail(f"--out: {out_path} must end in .jsonl or .parquet with --engine")
    with bad_input_exits():
        check_input(input_path)
    try:
        engine = make_engine(engine_name, scheduler, workers)
    except (ImportError, RuntimeError, ValueError, OSError) as exc:
        raise fail(f"--engine {engine_name}: {exc}") from None
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"))
    try:
        with bad_input_exits():
            store = Store(db)
            screener = Screener.from_store(store)
            book = DecisionBook.load(store)  # analysts' decisions: few, read once, applied on this process
        if not screener.index.entities:
            raise fail("the store holds no entities: run `tamga ingest` or `tamga update` first")
        with (
            Progress(
                *columns, TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal
            ) as bar,
            bad_input_exits(),
        ):
            task = bar.add_task(f"screening on {engine_name}", total=None)
            summary = screen_file(
                input_path, out_path, screener, engine, threshold, limit, partitions,
                progress=lambda done, total: bar.update(task, advance=done, total=total),
                decorate=with_decisions(book, screener.entity),
            )  # fmt: skip
    finally:
        engine.close()
    for problem in summary.errors[:20]:
        err.print(Text.assemble(("malformed row:", "bold yellow"), " ", str(problem)))
    if len(summary.errors) > 20:
        err.print(f"... and {len(summary.errors) - 20:,} more malformed rows")
    if errors_path is not None:
        write_errors(summary.errors, errors_path)
    for warning in summary.warnings:
        err.print(Text.assemble(("warning:", "bold yellow"), " ", warning))
    err.print(
        f"screened {summary.rows:,} rows against {len(screener.index.entities):,} entities "
        f"on {summary.engine} ({summary.workers} workers, {summary.partitions:,} partitions, index payload "
        f"{summary.payload_bytes / 1e6:.1f} MB): {summary.alerts:,} alerts, "
        f"{len(summary.errors):,} malformed rows set aside; {summary.seconds:.1f} s, "
        f"{summary.rows_per_second:,.0f} rows/s" + (f" -> {out_path}" if out_path else "")
    )


@app.command("portfolio")
def portfolio_cmd(
    holdings: Annotated[Path, typer.Argument(metavar="HOLDINGS", help="CSV or XLSX of holdings.")],
    out_path: Annotated[
        Path | None, typer.Option("--out", help="REPORT.html, .csv, .json or .xlsx (the format by its name).")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Score from which an issuer name is a match.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes for name matching (default: one per core).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen a fund's holdings: which to divest, on which list, and what share of the fund that is."""
    from tamga.match.screener import Screener
    from tamga.screen.batch import default_workers
    from tamga.screen.holdings import read_holdings
    from tamga.screen.portfolio import screen_portfolio
    from tamga.screen.portfolio_report import format_of, write_report

    if out_path is not None and format_of(out_path) is None:
        raise fail(f"--out: {out_path} must end in .html, .csv, .json or .xlsx")
    if not holdings.is_file():
        raise fail(f"{holdings}: no such file")
    store = Store(db)
    with bad_input_exits():
        holdings_file = read_holdings(holdings)  # bad input is said before the index is built
        screener = Screener.from_store(store)
        if not screener.index.entities:
            raise fail("the store holds no entities: run `tamga ingest` or `tamga update` first")
        report = screen_portfolio(
            holdings_file, screener, store, threshold=threshold, workers=workers or default_workers()
        )
    if out_path is not None:
        write_report(report, out_path)
    if as_json:
        print_json(report.to_dict())
        return
    s = report.summary
    (err if out_path is not None else out).print(
        f"{s['holdings']:,} holdings; {s['flagged_holdings']:,} flagged"
        + (
            f" ({s['flagged_share'] * 100:.2f}% by {s['value_basis']})"
            if s["flagged_share"] is not None
            else ""
        )
    )
    for warning in s["warnings"]:
        err.print(Text.assemble(("warning:", "yellow"), f" {warning}"))
    if out_path is not None:
        err.print(f"report -> {out_path}")
        return
    table = Table("status", "holdings", "value", "share")
    for status, group in s["by_status"].items():
        value = "-" if group["value"] is None else f"{group['value']:,}"
        share = "-" if group["share"] is None else f"{group['share'] * 100:.2f}%"
        table.add_row(status, str(group["holdings"]), value, share)
    out.print(table)
    if report.flagged:
        flagged = Table("row", "holding", "status", "value", "lists", "basis")
        for entry in s["divest"]:
            flagged.add_row(
                str(entry["row"]),
                entry["name"] or "",
                entry["status"],
                "-" if entry["value"] is None else f"{entry['value']:,}",
                ", ".join(entry["lists"]),
                ", ".join(entry["basis"]),
            )
        out.print(flagged)
    errors = [h for h in report.holdings if h.status == "error"]
    for item in errors:
        err.print(Text.assemble(("error:", "red"), f" {item.holding.error}"))


@app.command("eval")
def eval_cmd(
    cases_csv: Annotated[Path, typer.Argument(metavar="CASES.csv", help="Labelled cases (see README).")],
    threshold: Annotated[float | None, typer.Option("--threshold", help="Default: the screener's.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Measure matching on labelled cases: recall, false alerts and top-1 accuracy, per group."""
    from tamga.match.evaluate import read_cases, run_cases, summarise
    from tamga.match.screener import Screener

    with bad_input_exits():
        cases = read_cases(cases_csv)
        screener = Screener.from_store(Store(db))
    if not screener.index.entities:
        raise fail("the store holds no entities: run `tamga ingest` first")
    evaluation = summarise(run_cases(screener, cases), screener.threshold if threshold is None else threshold)
    if as_json:
        print_json(evaluation.to_dict())
        return

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    table = Table("group", "cases", "recall", "false alerts", "top-1")
    for g in [*evaluation.groups, evaluation.overall]:
        table.add_row(g.group, f"{g.cases:,}", pct(g.recall), pct(g.false_alert_rate), pct(g.top1_accuracy))
    out.print(f"threshold {evaluation.threshold}")
    out.print(table)
    best = evaluation.best_threshold_at_1pct
    out.print(
        f"best recall at a false-alert rate <= 1%: {evaluation.best_recall_at_1pct:.3f}"
        + (f" (threshold {best:.3f})" if best is not None else "")
    )


keys_app = typer.Typer(
    help="API keys for `tamga serve`: each is shown once when made; only a salted hash is stored.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create_cmd(
    name: Annotated[str, typer.Argument(help="Who or what will use the key, e.g. onboarding-prod.")],
    db: DbOption = None,
) -> None:
    """Make a key and print it: copy it now, it is not shown again."""
    with bad_input_exits():
        key = Store(db).create_api_key(name)
    out.print(key)
    err.print(
        f"API key {name!r} created; it is shown only this once. Send it as 'Authorization: ApiKey KEY'."
    )


@keys_app.command("list")
def keys_list_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List keys: name, when made, when last used, when revoked (never the keys themselves)."""
    with bad_input_exits():
        keys = Store(db).api_keys()
    if as_json:
        print_json([k.to_dict() for k in keys])
        return
    if not keys:
        out.print("no API keys; make one with `tamga keys create NAME`")
        return
    table = Table("name", "created", "last used", "revoked")
    for k in keys:
        row = k.to_dict()
        table.add_row(row["name"], row["created"], row["last_used"] or "-", row["revoked"] or "-")
    out.print(table)


@keys_app.command("revoke")
def keys_revoke_cmd(
    name: Annotated[str, typer.Argument(help="The key's name.")], db: DbOption = None
) -> None:
    """Revoke a key: a running server refuses it from its next look at the store (seconds)."""
    with bad_input_exits():
        Store(db).revoke_api_key(name)
    out.print(f"API key {name!r} revoked")


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOption = None,
    no_auth: Annotated[
        bool, typer.Option("--no-auth", help="Serve without API keys: every endpoint open to all.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", help="Server processes, each with its own index.")] = 1,
    poll: Annotated[float, typer.Option("--poll", help="Seconds between looks for new snapshots.")] = 5.0,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Default score from which a candidate is a match.")
    ] = None,
    max_queries: Annotated[int, typer.Option("--max-queries", help="Queries per /match request.")] = 100,
    max_rows: Annotated[int, typer.Option("--max-rows", help="CSV rows per /screen upload.")] = 50_000,
    max_body: Annotated[int, typer.Option("--max-body", help="Bytes of a JSON request body.")] = 1 << 20,
    max_upload: Annotated[int, typer.Option("--max-upload", help="Bytes of a /screen upload.")] = 20 << 20,
    webhook_url: Annotated[
        str | None,
        typer.Option("--webhook-url", help="POST new watchlist alerts here (default: $TAMGA_WEBHOOK_URL)."),
    ] = None,
    webhook_secret: Annotated[
        str | None,
        typer.Option("--webhook-secret", help="HMAC key to sign them with (default: $TAMGA_WEBHOOK_SECRET)."),
    ] = None,
) -> None:
    """Run the HTTP API (yente-compatible /match, /search, /entities, /sources, /screen) and the web
    interface (search, entity pages, batch screening, portfolios, tracker) at /. Watchlists are
    re-screened by the server itself whenever a new snapshot is ingested."""
    import os
    import tempfile

    import uvicorn

    from tamga.api.app import CONFIG_ENV, app_from_env, config_to_env
    from tamga.api.limits import Limits
    from tamga.api.monitoring import configure_logging
    from tamga.cli_monitor import webhook_of
    from tamga.monitor.webhooks import SECRET_ENV, URL_ENV

    if workers < 1:
        raise fail("--workers: at least 1")
    hook = webhook_of(webhook_url, webhook_secret)
    if hook is not None:  # the server's processes read it from their environment, not the command line
        os.environ[URL_ENV], os.environ[SECRET_ENV] = hook.url, hook.secret
    store = Store(db)
    with bad_input_exits():
        heads = store.snapshot_heads()
        keys = [k for k in store.api_keys() if not k.revoked]
    if not heads:
        err.print(
            Text.assemble(
                ("warning:", "yellow"), f" {store.url} holds no list yet: /readyz answers 503 until "
            )
            + Text("`tamga ingest` or `tamga update` loads one")
        )
    if no_auth:
        err.print(
            Text.assemble(
                ("warning:", "bold red"),
                " --no-auth: no API key is checked; anyone who can reach "
                f"{host}:{port} can use every endpoint",
            )
        )
    elif not keys:
        err.print(
            Text.assemble(
                ("warning:", "yellow"), " no API key exists: make one with `tamga keys create NAME`"
            )
        )
    configure_logging()
    limits = Limits(body_bytes=max_body, upload_bytes=max_upload, queries=max_queries, csv_rows=max_rows)
    os.environ[CONFIG_ENV] = config_to_env(
        store_url=store.url, auth=not no_auth, limits=limits, poll_interval=poll, threshold=threshold
    )
    options: dict[str, Any] = {"host": host, "port": port, "access_log": False, "log_level": "info"}
    if workers == 1:
        uvicorn.run(app_from_env(), **options)
        return
    with tempfile.TemporaryDirectory(prefix="tamga-metrics-") as metrics_dir:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
        # Building an index can hold the interpreter for seconds: give workers time to answer
        # the supervisor's health pings before it takes them for hung.
        uvicorn.run(
            "tamga.api.app:app_from_env",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=120,
            **options,
        )


@app.command("demo")
def demo_cmd(db: DbOption = None) -> None:
    """Load the list snapshot bundled with tamga, then screen a few example names."""
    from tamga.demo import run_demo

    with bad_input_exits():
        run_demo(Store(db or default_url()), out, err)


if __name__ == "__main__":
    app()


# The tracker's and the monitoring commands live in their own modules; importing them registers
# them on ``app``.
from tamga import cli_monitor, cli_tracker  # noqa: E402, F401
