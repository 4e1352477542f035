"""Watchlists: named sets of counterparties kept in the store and screened whenever a list changes.

A watchlist is filled from the CSV that ``tamga screen`` reads (``name``, optional ``schema``,
``birth_date``, ``country``, ``identifier``, and ``id`` or ``case_id``). Every row gets an id of its
own in the store; the file's id, where it has one, is kept as the row's ``ref``. Adding a file to a
watchlist again is how it is kept current: a row whose ref (or, without one, whose every field) is
already there is left as it is, a row with a known ref and other fields is updated, and new rows are
added. Added and updated rows are screened against every listed entity at the next monitoring run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Text, cast, delete, func, insert, select, update

from tamga.countries import country_code
from tamga.dates import parse_date
from tamga.match.screener import Query
from tamga.monitor import audit
from tamga.monitor.clock import iso, now
from tamga.monitor.decisions import name_key
from tamga.screen.batch import Row, read_rows
from tamga.sources.base import InputFile, ParseError
from tamga.store import Store
from tamga.store.schema import alert, watchlist, watchlist_row

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
INSERT_CHUNK = 1000


class WatchlistError(ValueError):
    """A watchlist operation that cannot be done; the message names the list or the field."""


class WatchlistExists(WatchlistError):
    """The name is taken."""


class NoSuchWatchlist(WatchlistError):
    """No watchlist has that name."""


@dataclass(frozen=True)
class WatchRow:
    """One counterparty of a watchlist, as screened."""

    id: int
    watchlist: str
    ref: str | None
    line: int
    name: str
    schema: str | None
    birth_date: str | None
    country: str | None
    identifiers: tuple[str, ...]
    screened_at: datetime | None = None

    @property
    def query(self) -> Query:
        return Query(self.name, self.schema, self.birth_date, self.country, self.identifiers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "watchlist": self.watchlist,
            "ref": self.ref,
            "line": self.line,
            "name": self.name,
            "schema": self.schema,
            "birth_date": self.birth_date,
            "country": self.country,
            "identifiers": list(self.identifiers),
        }


@dataclass
class WatchlistSummary:
    name: str
    rows: int
    open_alerts: int
    created_at: datetime
    created_by: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows": self.rows,
            "open_alerts": self.open_alerts,
            "created_at": iso(self.created_at),
            "created_by": self.created_by,
        }


@dataclass
class AddReport:
    """What adding a file did: rows added, updated and left as they were."""

    watchlist: str
    created: bool
    added: int
    updated: int
    unchanged: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise WatchlistError(
            f"LIST: {name!r} must be 1 to 100 letters, digits, '.', '_' or '-', beginning with a letter "
            "or a digit"
        )
    return name


def _fields(row: Row, where: str) -> dict[str, Any]:
    """A row's stored fields, its birth date and country checked (a row names its line when wrong)."""
    q = row.query
    birth_date = None
    if q.birth_date:
        birth_date = parse_date(q.birth_date)
        if birth_date is None:
            raise ParseError(where, f"line {row.line}", f"field 'birth_date': {q.birth_date!r} is not a date")
    country = None
    if q.country:
        code = country_code(q.country)
        if code is None:
            raise ParseError(where, f"line {row.line}", f"field 'country': {q.country!r} is not a country")
        country = code.upper()
    if row.id is not None and len(row.id) > 300:
        raise ParseError(where, f"line {row.line}", "the id is longer than 300 characters")
    return {
        "ref": row.id,
        "line": row.line,
        "name": q.name,
        "name_key": name_key(q.name),
        "schema": q.schema,
        "birth_date": birth_date,
        "country": country,
        "identifiers": list(q.identifiers),
    }


_COMPARED = ("name", "schema", "birth_date", "country", "identifiers")


def read_file(file: Path | InputFile) -> list[dict[str, Any]]:
    """The rows of a watchlist CSV, checked in full: a bad row or a repeated id names its line."""
    source = file if isinstance(file, InputFile) else InputFile.from_path(file)
    fields = []
    seen: dict[str, int] = {}
    for row in read_rows(source):
        values = _fields(row, source.display)
        if row.id is not None:
            if row.id in seen:
                raise ParseError(
                    source.display, f"line {row.line}", f"id {row.id!r} is already on line {seen[row.id]}"
                )
            seen[row.id] = row.line
        fields.append(values)
    return fields


def add_file(store: Store, name: str, file: Path | InputFile, actor: str) -> AddReport:
    """Add the rows of a CSV to watchlist ``name``, making the list if it does not exist."""
    check_name(name)
    source = file if isinstance(file, InputFile) else InputFile.from_path(file)
    fields = read_file(source)

    def work(conn: Connection) -> AddReport:
        when = now()
        found = conn.execute(select(watchlist.c.id).where(watchlist.c.name == name)).scalar()
        created = found is None
        if found is None:
            found = conn.execute(
                insert(watchlist)
                .values(name=name, created_at=when, created_by=actor)
                .returning(watchlist.c.id)
            ).scalar_one()
        existing = conn.execute(select(watchlist_row).where(watchlist_row.c.watchlist_id == found)).all()
        by_ref = {r.ref: r for r in existing if r.ref is not None}
        known = {tuple(_key(getattr(r, c)) for c in _COMPARED) for r in existing if r.ref is None}
        fresh: list[dict[str, Any]] = []
        changed: list[tuple[int, dict[str, Any]]] = []
        unchanged = 0
        for values in fields:
            content = tuple(_key(values[c]) for c in _COMPARED)
            old = by_ref.get(values["ref"]) if values["ref"] is not None else None
            if values["ref"] is None and content in known:
                unchanged += 1  # a row without an id is known by its every field
            elif old is None:
                fresh.append({**values, "watchlist_id": found, "added_at": when, "screened_at": None})
                known.add(content)
            elif tuple(_key(getattr(old, c)) for c in _COMPARED) == content:
                unchanged += 1
            else:
                changed.append((old.id, values))
        for start in range(0, len(fresh), INSERT_CHUNK):
            conn.execute(insert(watchlist_row), fresh[start : start + INSERT_CHUNK])
        for row_id, values in changed:
            conn.execute(
                update(watchlist_row)
                .where(watchlist_row.c.id == row_id)
                .values(**values, screened_at=None)  # screened again in full at the next run
            )
        report = AddReport(name, created, len(fresh), len(changed), unchanged)
        audit.append(
            conn,
            actor,
            "watchlist.rows_added",
            f"watchlist:{name}",
            {"file": source.name, "sha256": source.sha256, **report.to_dict()},
        )
        return report

    return audit.write(store, work)


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def create(store: Store, name: str, actor: str) -> WatchlistSummary:
    """Make an empty watchlist; a :class:`WatchlistError` if the name is taken."""
    check_name(name)

    def work(conn: Connection) -> None:
        if conn.execute(select(watchlist.c.id).where(watchlist.c.name == name)).first():
            raise WatchlistExists(f"LIST: a watchlist called {name!r} exists")
        conn.execute(insert(watchlist).values(name=name, created_at=now(), created_by=actor))
        audit.append(conn, actor, "watchlist.created", f"watchlist:{name}", {})

    audit.write(store, work)
    return next(s for s in summaries(store) if s.name == name)


def remove(store: Store, name: str, actor: str) -> dict[str, int]:
    """Delete a watchlist with its rows and their alerts (the audit log keeps their history)."""

    def work(conn: Connection) -> dict[str, int]:
        found = conn.execute(select(watchlist.c.id).where(watchlist.c.name == name)).scalar()
        if found is None:
            raise NoSuchWatchlist(f"LIST: no watchlist called {name!r}")
        row_ids = select(watchlist_row.c.id).where(watchlist_row.c.watchlist_id == found)
        alerts = conn.execute(select(func.count()).where(alert.c.row_id.in_(row_ids))).scalar_one()
        rows = conn.execute(select(func.count()).where(watchlist_row.c.watchlist_id == found)).scalar_one()
        conn.execute(delete(alert).where(alert.c.row_id.in_(row_ids)))
        conn.execute(delete(watchlist_row).where(watchlist_row.c.watchlist_id == found))
        conn.execute(delete(watchlist).where(watchlist.c.id == found))
        counts = {"rows": rows, "alerts": alerts}
        audit.append(conn, actor, "watchlist.removed", f"watchlist:{name}", counts)
        return counts

    return audit.write(store, work)


def summaries(store: Store) -> list[WatchlistSummary]:
    """Every watchlist with its number of rows and of open alerts."""
    if not store.exists:
        return []
    with store.engine.connect() as conn:
        rows = dict(
            conn.execute(
                select(watchlist_row.c.watchlist_id, func.count()).group_by(watchlist_row.c.watchlist_id)
            ).all()
        )
        open_alerts = dict(
            conn.execute(
                select(watchlist_row.c.watchlist_id, func.count())
                .join(alert, alert.c.row_id == watchlist_row.c.id)
                .where(alert.c.status == "open")
                .group_by(watchlist_row.c.watchlist_id)
            ).all()
        )
        lists = conn.execute(select(watchlist).order_by(watchlist.c.name)).all()
    return [
        WatchlistSummary(w.name, rows.get(w.id, 0), open_alerts.get(w.id, 0), w.created_at, w.created_by)
        for w in lists
    ]


def load_rows(conn: Connection, unscreened: bool | None = None) -> list[WatchRow]:
    """Rows of every watchlist: all, only those never screened in full (``True``), or only the others."""
    row = watchlist_row.c
    query = (
        select(
            row.id, watchlist.c.name, row.ref, row.line, row.name, row.schema, row.birth_date, row.country,
            cast(row.identifiers, Text),  # decoded below, where there are any
            row.screened_at,
        )
        .join(watchlist, watchlist.c.id == row.watchlist_id)
        .order_by(row.id)
    )  # fmt: skip
    if unscreened is True:
        query = query.where(row.screened_at.is_(None))
    elif unscreened is False:
        query = query.where(row.screened_at.is_not(None))
    return [
        WatchRow(
            id_, name_of_list, ref, line, name, schema, birth, country,
            tuple(json.loads(identifiers)) if identifiers and identifiers != "[]" else (), screened_at,
        )
        for id_, name_of_list, ref, line, name, schema, birth, country, identifiers, screened_at
        in conn.execute(query)
    ]  # fmt: skip
