"""Who is designated where: the subject × jurisdiction matrix, its gaps, and counts at a date.

A cell says whether a jurisdiction had a subject under designation on the ``as_of`` date (today
by default), since when, under which programs and lists. A designation counts from its listing
date; where a list prints none (OFAC's files do not), from the date of the first snapshot that
showed the record, which is the earliest date the store can vouch for. It stops counting at its
removal date, or at the snapshot that dropped the record. A cell resting only on curated rows
marked unverified says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tamga.model import Designation
from tamga.store import Lifetime
from tamga.tracker import Subject, Tracker
from tamga.tracker.jurisdictions import jurisdiction_of, on_or_before, program_matches


@dataclass
class Cell:
    listed_on: str | None
    removed_on: str | None = None
    programs: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    verified: bool = True
    dated_by: str = "designation"  # or "snapshot": no listing date printed, first seen then

    def to_dict(self) -> dict[str, Any]:
        return {
            "listed_on": self.listed_on,
            "removed_on": self.removed_on,
            "programs": self.programs,
            "lists": self.lists,
            "verified": self.verified,
            "dated_by": self.dated_by,
        }


@dataclass
class Filters:
    """What narrows the subjects: their country and schema, a source one of their records
    comes from, and the program or authority of the designation asked about."""

    country: str | None = None
    program: str | None = None
    schema: str | None = None
    authority: str | None = None
    source: str | None = None

    def subject_passes(self, subject: Subject) -> bool:
        if self.country and self.country.upper() not in subject.countries:
            return False
        if self.schema and subject.schema != self.schema:
            return False
        return not self.source or any(r.entity.source == self.source for r in subject.records)

    def designation_passes(self, designation: Designation) -> bool:
        if self.authority and designation.authority.upper() != self.authority.upper():
            return False
        return not self.program or program_matches(designation, self.program)


@dataclass
class Row:
    subject: Subject
    cells: dict[str, Cell | None]

    def to_dict(self) -> dict[str, Any]:
        s = self.subject
        return {
            "subject_id": s.id,
            "caption": s.caption,
            "schema": s.schema,
            "countries": s.countries,
            "entity_ids": s.entity_ids,
            "cells": {j: (c.to_dict() if c else None) for j, c in self.cells.items()},
        }


@dataclass
class Matrix:
    as_of: str | None
    jurisdictions: tuple[str, ...]
    rows: list[Row]

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "jurisdictions": list(self.jurisdictions),
            "count": len(self.rows),
            "rows": [r.to_dict() for r in self.rows],
        }


def _in_force(designation: Designation, record: Lifetime, as_of: str | None) -> tuple[bool, str | None, str]:
    """Whether a designation was in force on ``as_of``, the date it counts from, and what dates it."""
    since, dated_by = designation.listed_on, "designation"
    if not since:
        since, dated_by = record.first_seen, "snapshot"
    if not on_or_before(since, as_of):
        return False, since, dated_by
    ended = designation.removed_on or record.removed
    if ended and on_or_before(ended, as_of):
        return False, since, dated_by
    return True, since, dated_by


def cell(
    subject: Subject, jurisdiction: str, as_of: str | None, filters: Filters | None = None
) -> Cell | None:
    """The designations of ``subject`` by ``jurisdiction`` in force on ``as_of``, or None."""
    found: list[tuple[str | None, str, Designation]] = []
    for record in subject.records:
        for d in record.entity.designations:
            if jurisdiction_of(d.authority) != jurisdiction or (
                filters and not filters.designation_passes(d)
            ):
                continue
            in_force, since, dated_by = _in_force(d, record, as_of)
            if in_force:
                found.append((since, dated_by, d))
    if not found:
        return None
    found.sort(key=lambda f: (f[0] is None, f[0] or "", f[1] != "designation"))
    dated = [f for f in found if f[1] == "designation"]
    since, dated_by, _ = (dated or found)[0]
    return Cell(
        listed_on=since,
        programs=sorted({d.program for _, _, d in found if d.program}),
        lists=sorted({f"{d.authority} {d.list}" for _, _, d in found}),
        verified=any(d.verified is not False for _, _, d in found),
        dated_by=dated_by,
    )


def matrix(
    tracker: Tracker, jurisdictions: tuple[str, ...], as_of: str | None = None, filters: Filters | None = None
) -> Matrix:
    """Every subject designated by at least one of ``jurisdictions`` (under the filtered program
    or authority), with a cell per jurisdiction."""
    filters = filters or Filters()
    rows = []
    for subject in tracker.subjects.values():
        if not filters.subject_passes(subject):
            continue
        cells = {j: cell(subject, j, as_of, filters) for j in jurisdictions}
        if any(cells.values()):
            rows.append(Row(subject, cells))
    rows.sort(key=_row_order)
    return Matrix(as_of, jurisdictions, rows)


def gaps(
    tracker: Tracker, of: str, vs: tuple[str, ...], as_of: str | None = None, filters: Filters | None = None
) -> Matrix:
    """Subjects designated by ``of`` (under the filters) and by none of ``vs`` (under any program)."""
    filters = filters or Filters()
    rows = []
    for subject in tracker.subjects.values():
        if not filters.subject_passes(subject):
            continue
        first = cell(subject, of, as_of, filters)
        if first is None:
            continue
        others = {j: cell(subject, j, as_of) for j in vs}
        if not any(others.values()):
            rows.append(Row(subject, {of: first, **others}))
    rows.sort(key=_row_order)
    return Matrix(as_of, (of, *vs), rows)


def designated(
    tracker: Tracker, jurisdiction: str, as_of: str | None = None, filters: Filters | None = None
) -> Matrix:
    """Subjects under ``jurisdiction``'s designation on ``as_of``: "how many PRC officials were
    under US Treasury sanctions at the end of 2021?"."""
    return matrix(tracker, (jurisdiction,), as_of, filters)


def _row_order(row: Row) -> tuple[str, str]:
    dates = [c.listed_on for c in row.cells.values() if c and c.listed_on]
    return (min(dates) if dates else "9999", row.subject.caption.casefold())
