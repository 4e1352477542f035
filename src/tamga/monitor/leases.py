"""Leases: of several server processes over one store, one does a job and the others skip it.

``tamga serve --workers N`` runs N processes, each polling the store; after an ingest every one of
them would re-screen every watchlist. A run that loses the race is dropped when it records
(``rescreen._Superseded``), so the outcome is right either way, but the screening is done N times.
A lease is a row that one process holds until a time: taking it is a single conditional UPDATE (or
the INSERT of the first row), atomic on SQLite and PostgreSQL alike, so exactly one process gets
it. A holder that dies leaves a lease that expires; the others take it then.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import insert, or_, update
from sqlalchemy.exc import IntegrityError

from tamga.monitor.clock import now
from tamga.store import Store
from tamga.store.schema import lease


def holder_name() -> str:
    """A name for this process's holder: host and pid, for the operator, and a random part, so a
    reused pid never inherits a lease."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(store: Store, name: str, holder: str, seconds: float) -> bool:
    """Take (or renew) the lease ``name`` for ``seconds``: true if ``holder`` holds it now."""
    when = now()
    until = when + timedelta(seconds=seconds)
    with store.engine.begin() as conn:
        taken = conn.execute(
            update(lease)
            .where(lease.c.name == name, or_(lease.c.holder == holder, lease.c.expires_at <= when))
            .values(holder=holder, expires_at=until)
        ).rowcount
    if taken:
        return True
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(lease).values(name=name, holder=holder, expires_at=until))
    except IntegrityError:
        return False  # the lease exists and another process holds it
    return True


def release(store: Store, name: str, holder: str) -> None:
    """Give the lease up now, if ``holder`` holds it."""
    with store.engine.begin() as conn:
        conn.execute(
            update(lease)
            .where(lease.c.name == name, lease.c.holder == holder)
            .values(expires_at=now() - timedelta(seconds=1))
        )
