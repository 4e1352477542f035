"""API keys for ``tamga serve``: made once, shown once, kept only as a salted hash.

A key reads ``tamga_<key id>_<secret>``. The key id is public and names the row, so checking a
request's key is one look-up and one hash; the secret is never stored, only
``sha256(salt + key)`` with a salt of its own per key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from tamga.store.schema import api_key

PREFIX = "tamga_"
NAME_MAX = 100


@dataclass(frozen=True)
class ApiKey:
    """One key as ``tamga keys list`` shows it, and what a server needs to check it."""

    name: str
    key_id: str
    salt: str
    key_hash: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def to_dict(self) -> dict[str, Any]:
        def when(value: datetime | None) -> str | None:
            return value.isoformat(timespec="seconds") if value else None

        return {
            "name": self.name,
            "created": when(self.created_at),
            "last_used": when(self.last_used_at),
            "revoked": when(self.revoked_at),
        }


def hash_key(key: str, salt: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + key.encode("utf-8")).hexdigest()


def key_id_of(key: str) -> str | None:
    """The public id written in a key, or ``None`` if the text is not shaped like a tamga key."""
    if not key.startswith(PREFIX):
        return None
    parts = key[len(PREFIX) :].split("_", 1)
    return parts[0] if len(parts) == 2 and parts[0] and parts[1] else None


def key_matches(key: str, record: ApiKey) -> bool:
    """Whether ``key`` is the key ``record`` was made for (compared in constant time)."""
    return hmac.compare_digest(hash_key(key, record.salt), record.key_hash)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def create_key(conn: Connection, name: str) -> str:
    """Store a new key under ``name`` and return it: the only time the key itself is seen."""
    key_id = secrets.token_hex(6)
    key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(24)}"
    salt = secrets.token_hex(16)
    conn.execute(
        insert(api_key).values(
            name=name, key_id=key_id, salt=salt, key_hash=hash_key(key, salt), created_at=_now()
        )
    )
    return key


def list_keys(conn: Connection) -> list[ApiKey]:
    rows = conn.execute(select(api_key).order_by(api_key.c.created_at, api_key.c.name))
    return [
        ApiKey(
            name=r.name,
            key_id=r.key_id,
            salt=r.salt,
            key_hash=r.key_hash,
            created_at=r.created_at,
            last_used_at=r.last_used_at,
            revoked_at=r.revoked_at,
        )
        for r in rows
    ]


def revoke_key(conn: Connection, name: str) -> bool:
    """Revoke the key called ``name``; false if there is no such key that is still valid."""
    result = conn.execute(
        update(api_key)
        .where(api_key.c.name == name, api_key.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    return result.rowcount > 0


def record_use(conn: Connection, used: dict[str, datetime]) -> None:
    """Set the last-used time of each named key (a server flushes these now and then)."""
    for name, when in used.items():
        conn.execute(update(api_key).where(api_key.c.name == name).values(last_used_at=when))
