"""The web pages' one way to data: calls to the API's own routes, in process.

A page handler asks the API exactly what a script or an integrator would ask it, over ASGI within
the same process (no socket, no second server), with the key of the person signed in. So every
page shows what the API answers, checked by the API's own validation, limits and auth, and the web
holds no screening or store logic of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI, Request

BASE_URL = "http://tamga.internal"
TIMEOUT = 120.0  # seconds; a bound for a pathological request, not an expected time


@dataclass
class Answer:
    """An API answer: its status and JSON body (``{"detail": …}`` for errors)."""

    status: int
    data: Any

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        """The API's error message, as it words it."""
        if isinstance(self.data, dict) and isinstance(self.data.get("detail"), str):
            return self.data["detail"]
        return f"the server answered {self.status}"

    @property
    def route_missing(self) -> bool:
        """True when no such route exists on this server (a feature not installed), as opposed
        to a route that answered "not found" about the thing asked for."""
        return self.status in (404, 405) and self.data == {"detail": "Not Found"}


def _client(app: FastAPI) -> httpx.AsyncClient:
    client = getattr(app.state, "web_client", None)
    if client is None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        client = httpx.AsyncClient(transport=transport, base_url=BASE_URL, trust_env=False, timeout=TIMEOUT)
        app.state.web_client = client
    return client


async def call_api(
    request: Request,
    method: str,
    path: str,
    params: dict[str, Any] | None = None,
    body: Any = None,
) -> Answer:
    """Ask the API ``method path`` on behalf of the person signed in (their key, from
    ``request.state.api_key``); ``params`` with empty values are left out."""
    headers = {"Accept": "application/json"}
    key = getattr(request.state, "api_key", None)
    if key:
        headers["Authorization"] = f"ApiKey {key}"
    query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    response = await _client(request.app).request(method, path, params=query, json=body, headers=headers)
    try:
        data = response.json()
    except ValueError:
        data = {"detail": response.text[:500]}
    return Answer(response.status_code, data)
