"""The monitoring commands: ``watch add|list|remove``, ``monitor run``, ``alerts``, ``decide``,
``decisions`` and ``audit verify|export``. A thin surface over :mod:`tamga.monitor`; registered on
the main ``tamga`` app by :mod:`tamga.cli`.

The person a command acts for (in the audit log, and as a decision's author unless ``--by`` says
otherwise) is the user running it.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tamga.cli import DbOption, JsonOption, app, bad_input_exits, err, fail, out, print_json
from tamga.monitor import audit, decisions, watchlists
from tamga.monitor.alerts import STATUSES, alerts_json, get_alert, list_alerts
from tamga.monitor.decisions import FALSE_POSITIVE, MATCH, DecisionError
from tamga.monitor.watchlists import WatchlistError
from tamga.monitor.webhooks import Webhook, WebhookError
from tamga.store import Store

WebhookUrlOption = Annotated[
    str | None,
    typer.Option("--webhook-url", help="POST new alerts here (default: $TAMGA_WEBHOOK_URL)."),
]
WebhookSecretOption = Annotated[
    str | None,
    typer.Option("--webhook-secret", help="HMAC key to sign them with (default: $TAMGA_WEBHOOK_SECRET)."),
]


def actor() -> str:
    """Who runs the command, for the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (a container without one, say)
        return "cli"


def webhook_of(url: str | None, secret: str | None) -> Webhook | None:
    """The webhook from the options or the environment; bad settings exit 2."""
    try:
        return Webhook.configured(url, secret)
    except WebhookError as exc:
        raise fail(str(exc)) from None


watch_app = typer.Typer(help="Watchlists: named sets of counterparties re-screened whenever a list changes.")
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def watch_add_cmd(
    name: Annotated[str, typer.Argument(metavar="LIST", help="The watchlist; made if it does not exist.")],
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv", help="Columns as `tamga screen` reads: name, schema, birth_date, country, id…"
        ),
    ],
    db: DbOption = None,
) -> None:
    """Add the rows of a CSV to a watchlist: known ids are updated, new rows added."""
    with bad_input_exits():
        try:
            report = watchlists.add_file(Store(db), name, csv_file, actor())
        except WatchlistError as exc:
            raise fail(str(exc)) from None
    made = " (new watchlist)" if report.created else ""
    out.print(
        f"watchlist {name}{made}: {report.added:,} added, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged"
    )
    if report.added or report.updated:
        err.print("they are screened against every listed entity at the next `tamga monitor run`")


@watch_app.command("list")
def watch_list_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List watchlists with their rows and open alerts."""
    with bad_input_exits():
        found = watchlists.summaries(Store(db))
    if as_json:
        print_json([w.to_dict() for w in found])
        return
    if not found:
        out.print("no watchlists; make one with `tamga watch add LIST FILE.csv`")
        return
    table = Table("watchlist", "rows", "open alerts", "created", "by")
    for w in found:
        row = w.to_dict()
        table.add_row(w.name, f"{w.rows:,}", f"{w.open_alerts:,}", row["created_at"], w.created_by)
    out.print(table)


@watch_app.command("remove")
def watch_remove_cmd(
    name: Annotated[str, typer.Argument(metavar="LIST", help="The watchlist to delete.")], db: DbOption = None
) -> None:
    """Delete a watchlist, its rows and their alerts (the audit log keeps their history)."""
    with bad_input_exits():
        try:
            counts = watchlists.remove(Store(db), name, actor())
        except WatchlistError as exc:
            raise fail(str(exc)) from None
    out.print(f"watchlist {name} removed: {counts['rows']:,} rows, {counts['alerts']:,} alerts")


monitor_app = typer.Typer(help="Re-screen the watchlists against what changed in the lists.")
app.add_typer(monitor_app, name="monitor")


@monitor_app.command("run")
def monitor_run_cmd(
    full: Annotated[
        bool, typer.Option("--full", help="Screen every row against every entity, not only what changed.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes (default: one per core).")
    ] = None,
    webhook_url: WebhookUrlOption = None,
    webhook_secret: WebhookSecretOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Screen new rows against every entity and the others against the entities added or changed
    since the last run; close alerts on removed entities; notify the webhook of new alerts."""
    from tamga.monitor.rescreen import run
    from tamga.screen.batch import default_workers

    hook = webhook_of(webhook_url, webhook_secret)
    with bad_input_exits():
        report = run(Store(db), full=full, actor=actor(), workers=workers or default_workers(), webhook=hook)
    if as_json:
        print_json(report.to_dict())
        return
    if report.mode == "idle":
        out.print("nothing new to screen: every row was screened against the latest snapshots")
    elif report.mode == "superseded":
        out.print("another run screened the same snapshots meanwhile; nothing recorded by this one")
    else:
        spans = ", ".join(f"{s} {v['from']} -> {v['to']}" for s, v in report.snapshots.items())
        out.print(
            f"screened {report.rows_full:,} rows against every entity and {report.rows_delta:,} against "
            f"{report.changed_entities:,} changed ones" + (f" ({spans})" if spans else "")
        )
        out.print(
            f"{report.raised:,} alerts raised, {report.reopened:,} reopened, {report.closed:,} closed, "
            f"{report.suppressed:,} already decided; {report.seconds:.1f} s"
        )
    if report.deliveries:
        d = report.deliveries
        err.print(f"webhook: {d['delivered']} delivered, {d['failed']} failed, {d['pending']} pending")


@app.command("alerts")
def alerts_cmd(
    status: Annotated[str, typer.Option("--status", help="open, closed or all.")] = "open",
    watchlist: Annotated[str | None, typer.Option("--watchlist", help="Only this watchlist's.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many, newest first.")] = 100,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List alerts: the watchlist row, the entity, the score and why, and the snapshot that raised it."""
    if status not in STATUSES:
        raise fail(f"--status: {status!r} is not one of {', '.join(STATUSES)}")
    store = Store(db)
    with bad_input_exits():
        found, total = list_alerts(store, status, watchlist, limit)
        shown = alerts_json(store, found)
    if as_json:
        print_json(shown)
        return
    if not found:
        out.print(f"no {status if status != 'all' else ''} alerts".replace("  ", " "))
        return
    table = Table("alert", "status", "watchlist", "row", "entity", "score", "met", "snapshot", "decision")
    for a in shown:
        made = a["decision"]
        decided = ""
        if made:
            decided = made["decision"].replace("_", " ")
            if made["stale"]:
                decided += f" (stale: {', '.join(made['changed'])})"
        table.add_row(
            str(a["id"]),
            a["status"],
            a["watchlist"],
            a["row"]["name"] + (f" [{a['row']['ref']}]" if a["row"]["ref"] else ""),
            f"{a['entity_id']} {a['entity_name']}",
            f"{a['score']:.2f}",
            a["explanation"].get("matched_name", ""),
            f"{a['snapshot']['source']} {a['snapshot']['snapshot']}",
            decided or a["close_reason"] or "",
        )
    out.print(table)
    if total > len(found):
        err.print(f"{len(found):,} of {total:,} shown; --limit shows more")


@app.command("decide")
def decide_cmd(
    alert_id: Annotated[
        int | None, typer.Argument(metavar="ALERT", help="The alert's id (or give --name and --entity).")
    ] = None,
    match: Annotated[bool, typer.Option("--match", help="The row is the listed entity.")] = False,
    false_positive: Annotated[
        bool, typer.Option("--false-positive", help="The row is not the listed entity.")
    ] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why: kept with the decision.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decided (default: the user).")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Without ALERT: the screened name decided on.")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Without ALERT: the listed entity's id.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a decision on an alert, or on a screened name and an entity.

    A false positive is not raised again for that name and entity, here or in one-off screening,
    until the entity's names, identifiers or designations change."""
    if match == false_positive:
        raise fail("give one of --match or --false-positive")
    choice = MATCH if match else FALSE_POSITIVE
    store = Store(db)
    with bad_input_exits():
        if alert_id is not None:
            if name is not None or entity is not None:
                raise fail("--name and --entity are for a decision without ALERT")
            found = get_alert(store, alert_id)
            if found is None:
                raise fail(f"ALERT: no alert {alert_id}")
            name, entity = found.row.name, found.entity_id
        elif name is None or entity is None:
            raise fail("give ALERT, or both --name and --entity")
        try:
            made = decisions.decide(store, name, entity, choice, reason, by or actor(), actor(), alert_id)
        except DecisionError as exc:
            raise fail(f"--{exc.field.replace('_id', '')}: {exc.message}") from None
    if as_json:
        print_json(made.to_dict([]))
        return
    out.print(
        f"decision {made.id}: {made.name!r} / {made.entity_id} is a {choice.replace('_', ' ')}, "
        f"by {made.decided_by}"
    )


@app.command("decisions")
def decisions_cmd(
    name: Annotated[str | None, typer.Option("--name", help="Only decisions on this screened name.")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only decisions on this entity.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List decisions, newest first, each marked stale if its entity changed since."""
    store = Store(db)
    with bad_input_exits():
        shown = decisions.decisions_json(store, decisions.history(store, name, entity))
    if as_json:
        print_json(shown)
        return
    if not shown:
        out.print("no decisions")
        return
    table = Table("id", "name", "entity", "decision", "by", "at", "reason", "stale")
    for d in shown:
        table.add_row(
            str(d["id"]),
            d["name"],
            d["entity_id"],
            d["decision"].replace("_", " "),
            d["decided_by"],
            d["decided_at"],
            d["reason"],
            ", ".join(d["changed"]) if d["stale"] else "",
        )
    out.print(table)


audit_app = typer.Typer(help="The audit log: who screened, raised, closed and decided what, and when.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify_cmd(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Check the hash chain of the audit log; exit 1 and name the first row that does not fit."""
    with bad_input_exits():
        found = audit.verify(Store(db))
    if as_json:
        print_json(found.to_dict())
    elif found.ok:
        out.print(f"audit log intact: {found.rows:,} rows, head {found.head}")
    else:
        err.print(f"audit log broken at row {found.bad_row}: {found.problem}")
    if not found.ok:
        raise typer.Exit(code=1)


@audit_app.command("export")
def audit_export_cmd(
    out_path: Annotated[Path | None, typer.Option("--out", help="FILE.csv (default: CSV on stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Write the audit log as CSV: one row per entry, with its hashes."""
    if out_path is not None and out_path.suffix.lower() != ".csv":
        raise fail(f"--out: {out_path} must end in .csv")
    with bad_input_exits():
        if out_path is None:
            audit.export_csv(Store(db), sys.stdout)
            return
        with open(out_path, "w", encoding="utf-8", newline="") as handle:
            count = audit.export_csv(Store(db), handle)
    err.print(f"{count:,} audit rows -> {out_path}")
