"""Monitoring over HTTP: watchlists, monitoring runs, alerts, decisions and the audit log.

Each endpoint is one call into :mod:`tamga.monitor`, as the ``tamga watch``, ``monitor``,
``alerts``, ``decide`` and ``audit`` commands are. The caller's API key name is who acts, in the
audit log and as a decision's author unless the body names someone (``by``).

:class:`Monitoring` is the server's own monitoring: after the index holder swaps in a new index
(another process ingested a snapshot), it re-screens the watchlists against what changed, using
the new index, and sends the webhook deliveries that are due.
"""

from __future__ import annotations

import io
import logging
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from tamga.api.index import IndexHolder
from tamga.api.responses import Json, error
from tamga.api.uploads import read_upload, upload_body
from tamga.monitor import audit, decisions, leases, rescreen, watchlists, webhooks
from tamga.monitor.alerts import alerts_json, get_alert, list_alerts
from tamga.monitor.decisions import DecisionError, UnknownEntity
from tamga.monitor.watchlists import WatchlistError, WatchlistExists
from tamga.sources.base import ParseError
from tamga.store import Store

log = logging.getLogger("tamga.monitor")

router = APIRouter(tags=["Monitoring"])

UPLOAD_NAME = "watchlist.csv"
ANONYMOUS = "anonymous"  # who acts when the server runs without API keys
DECISION_KEYS = ("id", "name", "entity_id", "decision", "reason", "decided_by", "decided_at", "stale")


def _store(request: Request) -> Store:
    return request.app.state.store


def caller(request: Request) -> str:
    """The name of the request's API key (``anonymous`` on a server without keys)."""
    return getattr(request.state, "key_name", None) or ANONYMOUS


RUN_LEASE = "monitor-run"
RUN_LEASE_SECONDS = 15 * 60  # a process that dies mid-run holds up the others this long at most


class Monitoring:
    """The server's monitoring: a poller job run after the index holder's."""

    def __init__(self, store: Store, holder: IndexHolder, actor: str = "tamga serve") -> None:
        self.store = store
        self.holder = holder
        self.actor = actor
        self.last: rescreen.RunReport | None = None
        self._running = threading.Lock()
        self.lease_holder = leases.holder_name()

    def webhook(self) -> webhooks.Webhook | None:
        return webhooks.Webhook.configured()

    def run(self, full: bool = False, actor: str | None = None) -> rescreen.RunReport:
        """Re-screen now, with the served index when it holds the store's latest snapshots; one
        run at a time in this process."""
        with self._running:
            served = self.holder.current
            heads = tuple(self.store.snapshot_heads())
            screener = served.screener if served is not None and served.snapshots == heads else None
            report = rescreen.run(
                self.store, full=full, actor=actor or self.actor, screener=screener, webhook=self.webhook()
            )
            self.last = report
            return report

    def job(self) -> None:
        """What the poller runs: a monitoring run once the served index holds snapshots not yet
        screened against (or rows not yet screened), then the webhook deliveries that are due."""
        served = self.holder.current
        if served is None or served.snapshots != tuple(self.store.snapshot_heads()):
            return  # no index yet, or one about to be rebuilt: wait for it
        if rescreen.pending(self.store):
            # Of several server processes (`serve --workers N`) one runs; the others skip, and find
            # nothing pending once it has recorded its run.
            if not leases.claim(self.store, RUN_LEASE, self.lease_holder, RUN_LEASE_SECONDS):
                return
            try:
                report = self.run()
            finally:
                leases.release(self.store, RUN_LEASE, self.lease_holder)
            if report.mode not in ("idle", "superseded"):
                log.info(
                    "monitoring: %s alerts raised, %s reopened, %s closed",
                    report.raised,
                    report.reopened,
                    report.closed,
                )
            return
        hook = self.webhook()
        if hook is not None and webhooks.pending(self.store):
            webhooks.deliver(self.store, hook)


# --- watchlists ---------------------------------------------------------------------------------


class NewWatchlist(BaseModel):
    name: str = Field(description="Letters, digits, '.', '_' or '-'; at most 100.")


@router.get("/watchlists", summary="Watchlists with their rows and open alerts")
def list_watchlists(request: Request) -> dict[str, Any]:
    return {"watchlists": [w.to_dict() for w in watchlists.summaries(_store(request))]}


@router.post(
    "/watchlists",
    status_code=201,
    summary="Make an empty watchlist",
    responses={409: {"description": "The name is taken"}, 422: {"description": "Bad name"}},
)
def create_watchlist(request: Request, body: NewWatchlist) -> Response:
    try:
        made = watchlists.create(_store(request), body.name, caller(request))
    except WatchlistError as exc:
        return error(409 if isinstance(exc, WatchlistExists) else 422, str(exc))
    return Json(made.to_dict(), status_code=201)


@router.post(
    "/watchlists/{name}/rows",
    summary="Add the rows of a CSV to a watchlist (made if it does not exist)",
    openapi_extra={
        "requestBody": upload_body(
            "The CSV of `tamga screen`: `name`, optional `schema`, `birth_date`, `country`, "
            "`identifier` and `id` or `case_id`."
        )
    },
    responses={201: {"description": "Watchlist made"}, 400: {"description": "Bad CSV: names the line"}},
)
async def add_rows(request: Request, name: Annotated[str, Path()]) -> Response:
    """Rows whose id is already in the list are updated if their fields changed; new rows are
    added. Added and updated rows are screened against every entity at the next monitoring run."""
    upload = await read_upload(request, "the CSV", UPLOAD_NAME)
    try:
        report = await run_in_threadpool(watchlists.add_file, _store(request), name, upload, caller(request))
    except ParseError as exc:
        return error(400, str(exc), file=exc.file, location=exc.location)
    except WatchlistError as exc:
        return error(422, str(exc))
    return Json(report.to_dict(), status_code=201 if report.created else 200)


@router.delete(
    "/watchlists/{name}",
    summary="Delete a watchlist, its rows and their alerts",
    responses={404: {"description": "No such watchlist"}},
)
def delete_watchlist(request: Request, name: Annotated[str, Path()]) -> Response:
    try:
        counts = watchlists.remove(_store(request), name, caller(request))
    except WatchlistError as exc:
        return error(404, str(exc))
    return Json({"watchlist": name, **counts})


# --- monitoring runs ----------------------------------------------------------------------------


@router.post("/monitor/run", summary="Re-screen the watchlists against what changed")
async def monitor_run(
    request: Request,
    full: Annotated[bool, Query(description="Screen every row against every entity.")] = False,
) -> dict[str, Any]:
    """What `tamga monitor run` does; the server also does it by itself after an ingest."""
    monitoring: Monitoring = request.app.state.monitoring
    report = await run_in_threadpool(monitoring.run, full, caller(request))
    return report.to_dict()


# --- alerts -------------------------------------------------------------------------------------


@router.get("/alerts", summary="Alerts, newest first")
def get_alerts(
    request: Request,
    status: Annotated[Literal["open", "closed", "all"], Query()] = "open",
    watchlist: Annotated[str | None, Query(description="Only this watchlist's.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Each alert: the watchlist row, the entity, the score with its explanation, the snapshot
    that raised it, and its decision if any (`stale` when the entity changed since)."""
    store = _store(request)
    found, total = list_alerts(store, status, watchlist, limit, offset)
    return {"alerts": alerts_json(store, found), "total": total, "limit": limit, "offset": offset}


@router.get("/alerts/{alert_id}", summary="One alert", responses={404: {"description": "No such alert"}})
def one_alert(request: Request, alert_id: Annotated[int, Path()]) -> dict[str, Any]:
    store = _store(request)
    found = get_alert(store, alert_id)
    if found is None:
        raise HTTPException(404, detail=f"No alert {alert_id}")
    return alerts_json(store, [found])[0]


class AlertDecision(BaseModel):
    decision: str = Field(description="`match` or `false_positive`.")
    reason: str = Field(description="Why: kept with the decision, required.")
    by: str | None = Field(None, description="Who decided (default: the API key's name).")


class PairDecision(AlertDecision):
    name: str = Field(description="The screened name, as screened.")
    entity_id: str = Field(description="The listed entity, e.g. `ofac-sdn:34119`.")


def _decide(request: Request, name: str, entity_id: str, body: AlertDecision, alert_id: int | None) -> Any:
    try:
        made = decisions.decide(
            _store(request),
            name,
            entity_id,
            body.decision,
            body.reason,
            body.by or caller(request),
            caller(request),
            alert_id,
        )
    except UnknownEntity as exc:
        return error(404, str(exc), field=exc.field)
    except DecisionError as exc:
        return error(422, str(exc), field=exc.field)
    return made


@router.post(
    "/alerts/{alert_id}/decision",
    status_code=201,
    summary="Decide an alert: a match or a false positive",
    responses={404: {"description": "No such alert"}, 422: {"description": "No reason, or a bad decision"}},
)
def decide_alert(request: Request, alert_id: Annotated[int, Path()], body: AlertDecision) -> Response:
    """The decision applies to the pair (the row's name, the entity) everywhere: other alerts on
    it are closed, and one-off screening of the name shows it."""
    store = _store(request)
    found = get_alert(store, alert_id)
    if found is None:
        return error(404, f"No alert {alert_id}")
    made = _decide(request, found.row.name, found.entity_id, body, alert_id)
    if isinstance(made, Response):
        return made
    after = get_alert(store, alert_id)
    data = {**_decision_json(made), "alert": alerts_json(store, [after])[0] if after else None}
    return Json(data, status_code=201)


def _decision_json(made: decisions.Decision) -> dict[str, Any]:
    data = made.to_dict([])  # just made: not stale
    return {k: data[k] for k in DECISION_KEYS}


@router.post(
    "/decisions",
    status_code=201,
    summary="Decide a pair: a screened name and a listed entity",
    responses={404: {"description": "No such entity"}, 422: {"description": "No reason, or a bad decision"}},
)
def decide_pair(request: Request, body: PairDecision) -> Response:
    """A false positive suppresses the pair in later screenings (`"match": false, "suppressed":
    true`) until the entity's names, identifiers or designations change; open alerts on the pair
    are closed."""
    made = _decide(request, body.name, body.entity_id, body, None)
    if isinstance(made, Response):
        return made
    return Json(_decision_json(made), status_code=201)


@router.get("/decisions", summary="Decisions, newest first")
def get_decisions(
    request: Request,
    name: Annotated[str | None, Query(description="Only decisions on this screened name.")] = None,
    entity_id: Annotated[str | None, Query(description="Only decisions on this entity.")] = None,
) -> dict[str, Any]:
    """Each with `stale` and `changed`: which of the entity's names, identifiers and designations
    changed since it was made."""
    store = _store(request)
    return {"decisions": decisions.decisions_json(store, decisions.history(store, name, entity_id))}


# --- audit --------------------------------------------------------------------------------------


@router.get("/audit/verify", summary="Check the audit log's hash chain")
def audit_verify(request: Request) -> dict[str, Any]:
    """`ok`, the number of rows, the head hash (record it elsewhere to detect a cut tail), and the
    first row that does not fit when the chain is broken."""
    return audit.verify(_store(request)).to_dict()


@router.get(
    "/audit/export",
    summary="The audit log as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per entry, with its hashes"}},
)
def audit_export(request: Request) -> Response:
    buffer = io.StringIO()
    audit.export_csv(_store(request), buffer)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tamga-audit.csv"'},
    )
