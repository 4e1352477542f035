"""What a server tells its operators: one JSON access-log line per request, Prometheus metrics.

The access log goes to the ``tamga.access`` logger: method, path (never the query string, which
may hold a screened name), status, latency and the name of the API key used. Metrics count
requests and their latency by route, the queries screened, and the snapshots in service. With
several worker processes (``tamga serve --workers N``) the workers share their counts through
``PROMETHEUS_MULTIPROC_DIR``, as prometheus-client's multi-process mode prescribes.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tamga.api.index import ServedIndex

access_log = logging.getLogger("tamga.access")
disable_created_metrics()  # no "_created" series beside each counter: noise on a dashboard

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class Metrics:
    """The metrics of one server process, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "tamga_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "tamga_http_request_duration_seconds",
            "Time to answer an HTTP request, body included",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.screened = Counter("tamga_queries_screened", "Queries screened", ["endpoint"], registry=r)
        self.snapshot = Gauge(
            "tamga_index_snapshot",
            "Snapshot number of each source in the index being served",
            ["source"],
            registry=r,
            multiprocess_mode="liveall",
        )
        self.entities = Gauge(
            "tamga_index_entities",
            "Entities in the index being served",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.swaps = Counter("tamga_index_swaps", "Indexes built and swapped into service", registry=r)

    def served(self, index: ServedIndex) -> None:
        if not multiprocess_dir():  # a label cannot be removed in multi-process mode
            self.snapshot.clear()
        for head in index.snapshots:
            self.snapshot.labels(head.source).set(head.seq)
        self.entities.set(index.entity_count)
        self.swaps.inc()

    def render(self) -> tuple[bytes, str]:
        if multiprocess_dir():
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class Observe:
    """ASGI middleware: time every request, count it, and write its access-log line."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # unless a response starts: an error no handler answered

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            elapsed = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            if access_log.isEnabledFor(logging.INFO):
                state = scope.get("state") or {}
                access_log.info(
                    json.dumps(
                        {
                            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                            "method": method,
                            "path": scope["path"],
                            "status": status,
                            "latency_ms": round(elapsed * 1000, 2),
                            "key": state.get("key_name"),
                            "client": (scope.get("client") or (None,))[0],
                        },
                        ensure_ascii=False,
                    )
                )


def configure_logging(level: int = logging.INFO) -> None:
    """Access lines as bare JSON on stderr, other server messages with level and logger name."""
    if not access_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access_log.addHandler(handler)
        access_log.propagate = False
    access_log.setLevel(level)
    api_log = logging.getLogger("tamga.api")
    if not api_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        api_log.addHandler(handler)
        api_log.propagate = False
    api_log.setLevel(level)
