"""Notifying another system of new alerts: an HTTP POST, signed, retried, never lost.

A monitoring run that raises or reopens alerts writes one delivery (the JSON body of those
alerts) in the same transaction as the alerts themselves, so a crash between the two cannot lose
a notification. Deliveries are then sent, and resent until the receiver answers 2xx: a few tries
at once with growing pauses, then again at later runs (``tamga monitor run``, or a running
``tamga serve`` at its next look at the store), each round waiting twice as long as the one
before, up to an hour. Every failure is logged and kept on the delivery (``attempts``,
``last_error``).

The receiver checks ``X-Tamga-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw body under the
shared secret, and may use ``X-Tamga-Delivery`` (the delivery id) to ignore a repeat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, func, insert, select, update

from tamga import __version__
from tamga.monitor.clock import now
from tamga.store import Store
from tamga.store.schema import webhook_delivery

log = logging.getLogger("tamga.monitor")

URL_ENV = "TAMGA_WEBHOOK_URL"
SECRET_ENV = "TAMGA_WEBHOOK_SECRET"
SIGNATURE_HEADER = "X-Tamga-Signature"
DELIVERY_HEADER = "X-Tamga-Delivery"
CLAIM = timedelta(minutes=5)  # a delivery being sent is not picked up by another process meanwhile


class WebhookError(ValueError):
    """The webhook is configured wrongly (a URL without a secret, say)."""


@dataclass(frozen=True)
class Webhook:
    """Where to send new alerts and how: ``tries`` at once, ``pause`` seconds before the second
    (doubling), then rounds ``round_delay`` seconds apart (doubling) up to ``max_delay``."""

    url: str
    secret: str
    timeout: float = 10.0
    tries: int = 3
    pause: float = 1.0
    round_delay: float = 60.0
    max_delay: float = 3600.0

    @classmethod
    def configured(cls, url: str | None = None, secret: str | None = None) -> Webhook | None:
        """The webhook given as options, else by ``TAMGA_WEBHOOK_URL`` and ``TAMGA_WEBHOOK_SECRET``;
        ``None`` when no URL is set."""
        url = url or os.environ.get(URL_ENV) or None
        secret = secret or os.environ.get(SECRET_ENV) or None
        if url is None:
            return None
        if not url.startswith(("http://", "https://")):
            raise WebhookError(f"webhook URL: {url!r} is not an http:// or https:// address")
        if not secret:
            raise WebhookError(
                f"webhook URL {url} has no secret to sign with: set {SECRET_ENV} or --webhook-secret"
            )
        return cls(url, secret)


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def enqueue(conn: Connection, payload: dict[str, Any]) -> int:
    """Keep a delivery of ``payload``, due now, in the caller's transaction; returns its id."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    when = now()
    return conn.execute(
        insert(webhook_delivery)
        .values(body=body, created_at=when, attempts=0, next_attempt_at=when)
        .returning(webhook_delivery.c.id)
    ).scalar_one()


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # deliveries that failed this round and wait for the next
    pending: int = 0  # deliveries not yet delivered, after this round

    def to_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _send(webhook: Webhook, client: httpx.Client, delivery_id: int, body: bytes) -> str | None:
    """One try: ``None`` on a 2xx answer, else what went wrong."""
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(webhook.secret, body),
        DELIVERY_HEADER: str(delivery_id),
        "User-Agent": f"tamga/{__version__}",
    }
    try:
        response = client.post(webhook.url, content=body, headers=headers, timeout=webhook.timeout)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}: {response.text[:200]}"


def deliver(
    store: Store,
    webhook: Webhook,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryReport:
    """Send every delivery that is due, oldest first, each claimed so that two processes do not
    send it together."""
    report = DeliveryReport()
    if not store.exists:
        return report
    owned = client is None
    http = client or httpx.Client()
    try:
        with store.engine.connect() as conn:
            due = conn.execute(
                select(webhook_delivery.c.id, webhook_delivery.c.next_attempt_at)
                .where(webhook_delivery.c.delivered_at.is_(None), webhook_delivery.c.next_attempt_at <= now())
                .order_by(webhook_delivery.c.id)
            ).all()
        for delivery_id, scheduled in due:
            with store.engine.begin() as conn:
                claimed = conn.execute(
                    update(webhook_delivery)
                    .where(
                        webhook_delivery.c.id == delivery_id, webhook_delivery.c.next_attempt_at == scheduled
                    )
                    .values(next_attempt_at=now() + CLAIM)
                ).rowcount
                row = conn.execute(select(webhook_delivery).where(webhook_delivery.c.id == delivery_id)).one()
            if not claimed:
                continue
            body = row.body.encode("utf-8")
            problem = None
            tries = 0
            for attempt in range(webhook.tries):
                if attempt:
                    sleep(webhook.pause * 2 ** (attempt - 1))
                tries += 1
                problem = _send(webhook, http, delivery_id, body)
                if problem is None:
                    break
                log.warning(
                    "webhook delivery %s to %s failed (try %s): %s", delivery_id, webhook.url, tries, problem
                )
            attempts = row.attempts + tries
            with store.engine.begin() as conn:
                if problem is None:
                    values: dict[str, Any] = {"attempts": attempts, "delivered_at": now()}
                    report.delivered += 1
                else:
                    rounds = max(1, attempts // max(webhook.tries, 1))
                    delay = min(webhook.round_delay * 2 ** (rounds - 1), webhook.max_delay)
                    values = {
                        "attempts": attempts,
                        "last_error": problem,
                        "next_attempt_at": now() + timedelta(seconds=delay),
                    }
                    report.failed += 1
                conn.execute(
                    update(webhook_delivery).where(webhook_delivery.c.id == delivery_id).values(**values)
                )
    finally:
        if owned:
            http.close()
    report.pending = pending(store)
    return report


def pending(store: Store) -> int:
    """Deliveries not yet made, due or not."""
    if not store.exists:
        return 0
    with store.engine.connect() as conn:
        return conn.execute(
            select(func.count()).where(webhook_delivery.c.delivered_at.is_(None))
        ).scalar_one()
