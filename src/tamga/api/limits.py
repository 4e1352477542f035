"""What one request may ask of the server, and the middleware that refuses a body too large.

Every limit is refused with a 4xx JSON answer that names it, never by dropping the connection
or with a 500: a client must be able to tell "too much" from "broken".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tamga.api.responses import json_bytes


@dataclass(frozen=True)
class Limits:
    """Defaults fit a bank's onboarding calls and a nightly file of tens of thousands of rows."""

    body_bytes: int = 1 << 20  # a JSON request; 100 yente queries take about 30 KB
    upload_bytes: int = 20 << 20  # a CSV for POST /screen, holdings for POST /portfolio
    queries: int = 100  # queries in one POST /match (yente's own limit)
    csv_rows: int = 50_000  # rows in one POST /screen or /portfolio upload
    results: int = 100  # candidates per query (?limit=)
    variants: int = 20  # screenings one yente query may expand to: names x birth dates x countries

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


UPLOAD_PATHS = ("/screen", "/portfolio")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=f"request body larger than {limit:,} bytes (limit of this server)")
        self.limit = limit


class BodyLimit:
    """Refuse a request body over the limit with 413: by its Content-Length before reading it,
    and by counting otherwise (a chunked upload that declares no length)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits: Limits = scope["app"].state.limits  # read per request: the app's current limits
        limit = limits.upload_bytes if scope["path"] in UPLOAD_PATHS else limits.body_bytes
        declared = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _refuse(send, 400, "Content-Length is not a number")
                    return
        if declared is not None and declared > limit:
            await _refuse(send, 413, BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except BodyTooLarge as exc:  # raised where no handler turned it into a response
            if started:
                raise
            await _refuse(send, 413, str(exc.detail))


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json_bytes({"detail": detail})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
