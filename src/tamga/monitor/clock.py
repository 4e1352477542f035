"""Times as monitoring records keep them: UTC, naive, to the second.

Whole seconds compare and hash the same on every database (SQLite keeps text, PostgreSQL
microseconds), which the audit chain relies on.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
