"""API keys on requests: ``Authorization: ApiKey KEY`` (or yente clients' ``Bearer KEY``), or the
web interface's sign-in cookie.

A browser cannot be made to send a header, so the web's sign-in page keeps the key in an HttpOnly,
``SameSite=Strict`` cookie (:data:`COOKIE`) that every endpoint also accepts. A request that changes
anything (POST…) and is signed in by that cookie must come from this server's own pages: its
``Origin`` (or, lacking one, ``Referer``) must name this host, so another site cannot post with it.

The keys are held in memory (:class:`Keyring`) and re-read from the store by the server's poller,
so a check costs one dictionary look-up and one hash, and no database round trip. A key made with
``tamga keys create`` is accepted at once (an unknown key id triggers a re-read, at most once a
second); a revoked key is refused from the next re-read, within the poll interval.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from starlette.concurrency import run_in_threadpool

from tamga.store import ApiKey, Store
from tamga.store.keys import key_id_of, key_matches

SCHEMES = ("apikey", "bearer")
RELOAD_EVERY = 1.0  # seconds before an unknown key id may prompt another re-read
RELOADS_PER_SECOND = 10  # re-reads prompted by unknown keys, at most
COOKIE = "tamga_key"  # the web interface's sign-in cookie: the API key itself, HttpOnly
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

authorization = APIKeyHeader(
    name="Authorization",
    scheme_name="ApiKey",
    description="`ApiKey KEY` (or `Bearer KEY`), with a key made by `tamga keys create NAME`.",
    auto_error=False,
)


class Keyring:
    """The keys a server accepts, and when each was last used (written back now and then)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_id: dict[str, ApiKey] = {}
        self._used: dict[str, datetime] = {}
        self._asked: dict[str, float] = {}  # key id -> when it last prompted a re-read
        self._lock = threading.Lock()

    def reload(self) -> None:
        self._by_id = {k.key_id: k for k in self.store.api_keys()}

    def reload_for_unknown(self, key_id: str) -> None:
        """Re-read the keys because a request brought a key id not known here (a key made since
        the last re-read): once a second at most for each key id, and a few times a second in all,
        so that a stream of made-up keys cannot keep the database busy."""
        now = time.monotonic()
        with self._lock:
            self._asked = {k: t for k, t in self._asked.items() if now - t < RELOAD_EVERY}
            if key_id in self._asked or len(self._asked) >= RELOADS_PER_SECOND:
                return
            self._asked[key_id] = now
        self.reload()

    def sync(self) -> None:
        """Write the last-use times gathered since the last sync, then re-read the keys."""
        with self._lock:
            used, self._used = self._used, {}
        try:
            self.store.record_api_key_use(used)
        except Exception:
            with self._lock:  # keep them for the next sync
                self._used = {**used, **self._used}
            raise
        self.reload()

    @property
    def active(self) -> int:
        return sum(1 for k in self._by_id.values() if not k.revoked)

    def lookup(self, key: str) -> ApiKey | None:
        key_id = key_id_of(key)
        return self._by_id.get(key_id) if key_id else None

    def check(self, key: str) -> tuple[ApiKey | None, str]:
        """The key's record and ``""`` if it is valid, else ``None`` or the record and why not."""
        record = self.lookup(key)
        if record is None or not key_matches(key, record):
            return None, "invalid API key"
        if record.revoked:
            return record, f"API key {record.name!r} has been revoked"
        with self._lock:
            self._used[record.name] = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        return record, ""


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": "ApiKey"})


def same_origin(request: Request) -> bool:
    """Whether a request comes from a page of this server: its ``Origin`` header, or its
    ``Referer`` where a browser sends no Origin, names the host the request was sent to."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return False
    host = request.headers.get("host")
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


def presented_key(request: Request, header: str | None) -> str:
    """The key a request brings, in the header or else in the sign-in cookie; a 401 when there is
    none or the header is malformed, a 403 for a cookie-signed change from another origin."""
    if header:
        scheme, _, key = header.strip().partition(" ")
        key = key.strip()
        if scheme.lower() not in SCHEMES or not key:
            raise unauthorized("the Authorization header must read 'ApiKey KEY' or 'Bearer KEY'")
        return key
    key = request.cookies.get(COOKIE, "").strip()
    if not key:
        raise unauthorized("missing API key: send the header 'Authorization: ApiKey KEY'")
    if request.method not in SAFE_METHODS and not same_origin(request):
        raise HTTPException(
            403, detail="a request signed in by cookie must come from this server's own pages (Origin)"
        )
    return key


async def key_name(keyring: Keyring, key: str) -> str:
    """The name of a valid key; a 401 for a wrong or revoked one."""
    key_id = key_id_of(key)
    if key_id and keyring.lookup(key) is None:
        await run_in_threadpool(keyring.reload_for_unknown, key_id)
    record, problem = keyring.check(key)
    if problem:
        raise unauthorized(problem)
    assert record is not None
    return record.name


async def require_key(request: Request, header: str | None = Security(authorization)) -> str:
    """The name of the request's valid key; a 401 JSON answer for a missing, wrong or revoked one."""
    keyring: Keyring = request.app.state.keyring
    name = await key_name(keyring, presented_key(request, header))
    request.state.key_name = name
    return name
