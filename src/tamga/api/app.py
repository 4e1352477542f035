"""The tamga HTTP service: :func:`create_app` builds it, ``tamga serve`` runs it with uvicorn.

The endpoints are thin: each one calls the screener (``tamga.match``), batch screening
(``tamga.screen``) or the store, as the CLI does, so the CLI and the API always agree.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from tamga import __version__, web
from tamga.api import cases, portfolio, records, screen, search, tracker, yente
from tamga.api.auth import Keyring, require_key
from tamga.api.index import IndexHolder, NotReady, Poller
from tamga.api.limits import BodyLimit, Limits
from tamga.api.monitoring import Metrics, Observe, configure_logging, multiprocess_dir
from tamga.api.responses import Json, error
from tamga.store import Store, StoreError

log = logging.getLogger("tamga.api")

POLL_INTERVAL = 5.0  # seconds between looks at the store for new snapshots
CONFIG_ENV = "TAMGA_SERVE_CONFIG"  # how `tamga serve --workers N` hands its options to the workers

DESCRIPTION = """
Screen names against the sanctions lists loaded in a tamga store.

* `POST /match/{dataset}`: OpenSanctions **yente-compatible** query-by-example matching, with an
  explanation for every candidate.
* `GET /search`: type-ahead over listed names. `GET /entities/{id}`: one record and its history.
* `GET /sources`, `GET /sources/{slug}/changes`: loaded lists, snapshots, and what changed.
* `POST /screen`: a CSV of names, streamed back as JSON lines or CSV (the contract of `tamga screen`).
* `POST /portfolio`: a fund's holdings (CSV or XLSX) in; which to divest, on which list, and what share
  of the fund, as JSON, HTML, CSV or XLSX (the contract of `tamga portfolio`).
* Monitoring: `/watchlists` of counterparties re-screened whenever a list changes, `/alerts`,
  `/decisions` (a false positive is not raised again until the entity changes), `/audit`.

Every endpoint except `/healthz`, `/readyz` and these docs needs `Authorization: ApiKey KEY`
(or `Bearer KEY`), with a key made by `tamga keys create NAME`, unless the server runs `--no-auth`.
"""


def create_app(
    store_url: str | None = None,
    auth: bool = True,
    limits: Limits | None = None,
    poll_interval: float = POLL_INTERVAL,
    threshold: float | None = None,
) -> FastAPI:
    """The service over the store at ``store_url`` (default: ``TAMGA_DB``).

    The index is built on a background thread when the app starts (``/readyz`` answers 503
    until then) and rebuilt whenever the store's snapshots change, checked every
    ``poll_interval`` seconds. With ``auth`` false every endpoint is open.
    """
    store = Store(store_url)
    metrics = Metrics()
    holder = IndexHolder(store, threshold, on_swap=metrics.served)
    keyring = Keyring(store) if auth else None
    monitoring = cases.Monitoring(store, holder)  # re-screens the watchlists after an index swap
    poller = Poller(poll_interval, [holder.refresh, monitoring.job] + ([keyring.sync] if keyring else []))
    if not auth:
        log.warning(
            "authentication is OFF (--no-auth): anyone who can reach this server can use every endpoint"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if keyring is not None:
            await run_in_threadpool(keyring.reload)
            if not keyring.active:
                log.warning("the store holds no valid API key: create one with `tamga keys create NAME`")
        poller.start()
        try:
            yield
        finally:
            poller.stop()
            if keyring is not None:
                try:
                    await run_in_threadpool(keyring.sync)  # the last uses
                except Exception:
                    log.exception("could not record the last uses of API keys")
            if multiprocess_dir():
                from prometheus_client import multiprocess

                multiprocess.mark_process_dead(os.getpid())

    app = FastAPI(title="Tamga", version=__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.store = store
    app.state.holder = holder
    app.state.keyring = keyring
    app.state.metrics = metrics
    app.state.limits = limits or Limits()
    app.state.poller = poller
    app.state.monitoring = monitoring

    guarded = [Depends(require_key)] if auth else []
    for module in (yente, search, records, screen, portfolio, tracker, cases):
        app.include_router(module.router, dependencies=guarded)
    app.include_router(system)
    app.include_router(metrics_router, dependencies=guarded)
    web.mount(app)  # the web interface: pages over these same endpoints

    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(NotReady, _not_ready)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(BodyLimit)
    app.add_middleware(Observe, metrics=metrics)
    return app


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return Json({"detail": jsonable_encoder(exc.errors())}, status_code=422)


async def _not_ready(request: Request, exc: Exception) -> Response:
    response = error(503, "no index is served yet: it is being built, or the store holds no list")
    response.headers["Retry-After"] = "5"
    return response


async def _store_error(request: Request, exc: Exception) -> Response:
    log.error("store error on %s %s: %s", request.method, request.url.path, exc)
    return error(503, f"the store cannot be read: {exc}")


async def _unexpected(request: Request, exc: Exception) -> Response:
    error_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
    return error(500, f"internal error (logged as {error_id})", error_id=error_id)


# --- health, readiness, metrics -----------------------------------------------------------------

system = APIRouter(tags=["System"])


@system.get("/healthz", summary="The process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@system.get(
    "/readyz",
    summary="An index is being served, and which snapshots it holds",
    responses={503: {"description": "No index yet"}},
)
async def readyz(request: Request) -> Response:
    served = request.app.state.holder.current
    problems = dict(request.app.state.poller.errors)
    if served is None:
        return Json({"status": "not ready", "snapshots": [], "errors": problems}, status_code=503)
    return Json({"status": "ready", **served.to_dict(), "errors": problems})


metrics_router = APIRouter(tags=["System"])


@metrics_router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def prometheus(request: Request) -> Response:
    body, content_type = request.app.state.metrics.render()
    return Response(body, media_type=content_type)


# --- for uvicorn workers ------------------------------------------------------------------------


def config_to_env(**options: Any) -> str:
    """``create_app``'s options as the text ``TAMGA_SERVE_CONFIG`` carries to worker processes."""
    limits = options.pop("limits", None)
    if limits is not None:
        options["limits"] = limits.to_dict()
    return json.dumps(options)


def app_from_env() -> FastAPI:
    """The app a uvicorn worker process builds (``tamga serve --workers N``)."""
    configure_logging()
    options = json.loads(os.environ.get(CONFIG_ENV) or "{}")
    if "limits" in options:
        options["limits"] = Limits(**options["limits"])
    return create_app(**options)
