"""Dates as lists print them, turned into ISO 8601 strings that may be partial.

Birth dates are often known only to the year or month ("1961", "Dec 1961", "circa 1958", "1960 to
1962"), so the store keeps ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and never invents a day.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}

_DMY_TEXT = re.compile(r"^(\d{1,2})[\s\-/.]+([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{4})$")
_MY_TEXT = re.compile(r"^([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{4})$")
_MDY_TEXT = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_DMY_NUM = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:to|-|–|/)\s*(\d{4})$", re.I)
_APPROX = re.compile(r"^(?:circa|ca\.?|c\.|approximately|approx\.?|about)\s+", re.I)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            if not 1 <= month <= 12:
                return None
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    except ValueError:
        return None


def parse_date(text: str | None, day_first: bool = True) -> str | None:
    """One date in any of the common list spellings, as a (possibly partial) ISO string.

    Numeric dates are read day first (``08/01/2026`` is 8 January) unless ``day_first`` is false,
    for the US-style ``MM/DD/YYYY`` that OFAC's XML uses. Returns ``None`` for text that is not a date.
    """
    if not text:
        return None
    value = _APPROX.sub("", text.strip()).strip(" .;,")
    if m := _ISO.match(value):
        year, month, day = m.groups()
        return _iso(int(year), int(month) if month else None, int(day) if day else None)
    if m := _DMY_TEXT.match(value):
        month = MONTHS.get(m.group(2).lower())
        return _iso(int(m.group(3)), month, int(m.group(1))) if month else None
    if m := _MDY_TEXT.match(value):
        month = MONTHS.get(m.group(1).lower())
        return _iso(int(m.group(3)), month, int(m.group(2))) if month else None
    if m := _MY_TEXT.match(value):
        month = MONTHS.get(m.group(1).lower())
        return _iso(int(m.group(2)), month) if month else None
    if m := _DMY_NUM.match(value):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        day, month = (a, b) if day_first else (b, a)
        return _iso(year, month, day)
    return None


def parse_dates(text: str | None, day_first: bool = True) -> list[str]:
    """Like :func:`parse_date`, but a range ``1960 to 1962`` gives every year in it."""
    if not text:
        return []
    value = _APPROX.sub("", text.strip()).strip(" .;,")
    if m := _RANGE.match(value):
        start, end = int(m.group(1)), int(m.group(2))
        if start <= end and end - start <= 10:
            return [f"{y:04d}" for y in range(start, end + 1)]
    parsed = parse_date(value, day_first=day_first)
    return [parsed] if parsed else []


def parse_datetime(text: str | None) -> str | None:
    """An ISO date-time (e.g. a file's ``dateGenerated``), normalised to ``YYYY-MM-DDTHH:MM:SS``."""
    if not text:
        return None
    value = text.strip().replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None, microsecond=0).isoformat()
    except ValueError:
        return parse_date(value)
