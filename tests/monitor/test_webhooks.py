"""The webhook: new alerts POSTed to a local HTTP server, signed; a failing receiver keeps the
delivery pending, logged, and gets it on a later round."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tamga.monitor import rescreen, watchlists, webhooks
from tamga.monitor.clock import now
from tamga.monitor.webhooks import Webhook, WebhookError
from tamga.store import Store
from tamga.store.schema import webhook_delivery

SECRET = "s3cret"


class Receiver:
    """A local HTTP server that answers each POST with the next status of ``answers``."""

    def __init__(self) -> None:
        self.answers: list[int] = []
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tamga"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def watch(store: Store, tmp_path: Path, names: str) -> None:
    path = tmp_path / "names.csv"
    path.write_text("id,name\n" + names, encoding="utf-8")
    watchlists.add_file(store, "suppliers", path, "ana")


def test_new_alerts_are_posted_signed(small_store: Store, tmp_path: Path, receiver: Receiver) -> None:
    hook = replace(Webhook(receiver.url, SECRET), pause=0)
    watch(small_store, tmp_path, "1,Erkin Tuniyaz\n2,Jane Q. Example\n")
    report = rescreen.run(small_store, actor="ana", webhook=hook)
    assert report.deliveries == {"delivered": 1, "failed": 0, "pending": 0}
    [(headers, body)] = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Tamga-Signature"] == expected and headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["event"] == "alerts" and payload["snapshots"] == {"ofac-cons": 1, "ofac-sdn": 1}
    [alert] = payload["alerts"]
    assert alert["entity_id"] == "ofac-sdn:34119" and alert["row"]["ref"] == "1" and alert["status"] == "open"
    assert headers["X-Tamga-Delivery"] == "1"
    # Nothing new: nothing sent.
    assert rescreen.run(small_store, actor="ana", webhook=hook).deliveries == {
        "delivered": 0,
        "failed": 0,
        "pending": 0,
    }
    assert len(receiver.received) == 1


def test_a_failing_receiver_keeps_the_delivery_until_it_answers(
    sqlite_store: Store, tmp_path: Path, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    hook = Webhook(receiver.url, SECRET, tries=3, pause=0.05, round_delay=60)
    receiver.answers = [500, 503, 502]
    watch(sqlite_store, tmp_path, "1,Zhu Hailun\n")
    with caplog.at_level(logging.WARNING, logger="tamga.monitor"):
        report = rescreen.run(sqlite_store, actor="ana", webhook=hook)
    assert report.raised == 1 and report.deliveries == {"delivered": 0, "failed": 1, "pending": 1}
    assert len(receiver.received) == 3  # three tries in this round
    assert [r.message.split(": ", 1)[1][:8] for r in caplog.records] == ["HTTP 500", "HTTP 503", "HTTP 502"]
    with sqlite_store.engine.connect() as conn:
        row = conn.execute(select(webhook_delivery)).one()
    assert row.attempts == 3 and row.last_error.startswith("HTTP 502") and row.delivered_at is None
    assert timedelta(seconds=55) <= row.next_attempt_at - now() <= timedelta(seconds=65)
    waiting = webhooks.deliver(sqlite_store, hook)
    assert waiting.to_dict() == {"delivered": 0, "failed": 0, "pending": 1}  # not due yet

    with sqlite_store.engine.begin() as conn:
        conn.execute(update(webhook_delivery).values(next_attempt_at=now()))
    receiver.answers = [500, 500, 204]
    pauses: list[float] = []
    later = webhooks.deliver(sqlite_store, hook, sleep=pauses.append)
    assert later.to_dict() == {"delivered": 1, "failed": 0, "pending": 0}
    assert pauses == [0.05, 0.1]  # the pause doubles between tries
    with sqlite_store.engine.connect() as conn:
        row = conn.execute(select(webhook_delivery)).one()
    assert row.attempts == 6 and row.delivered_at is not None
    bodies = {body for _, body in receiver.received}
    assert len(receiver.received) == 6 and len(bodies) == 1  # every try sent the very same signed body
    assert json.loads(bodies.pop())["alerts"][0]["row"]["name"] == "Zhu Hailun"


def test_the_webhook_needs_a_secret_and_an_http_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(webhooks.URL_ENV, raising=False)
    monkeypatch.delenv(webhooks.SECRET_ENV, raising=False)
    assert Webhook.configured() is None
    with pytest.raises(WebhookError, match="no secret"):
        Webhook.configured("https://example.org/hook")
    with pytest.raises(WebhookError, match="not an http"):
        Webhook.configured("ftp://example.org/hook", SECRET)
    monkeypatch.setenv(webhooks.URL_ENV, "https://example.org/hook")
    monkeypatch.setenv(webhooks.SECRET_ENV, SECRET)
    assert Webhook.configured() == Webhook("https://example.org/hook", SECRET)
