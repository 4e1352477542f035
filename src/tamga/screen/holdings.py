"""Reading a fund's holdings file (CSV or XLSX) into rows a portfolio screen can use.

Columns are found by their header, whatever its case, spacing or punctuation ("ISIN", "Isin Code",
"Market Value (USD)"), from a table of synonyms. Every data row becomes one :class:`Holding`,
nothing is dropped: a row whose identifier fails its check digit, whose number cannot be read, or
that has neither an identifier nor a name is kept with ``error`` set, naming the row and column.
A file with no usable column at all is a :class:`~tamga.sources.base.ParseError` naming the file.

Row numbers are those a spreadsheet shows: the header is row 1 when it is the first line.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from stdnum import cusip as stdnum_cusip
from stdnum import figi as stdnum_figi
from stdnum import isin as stdnum_isin
from stdnum import lei as stdnum_lei
from stdnum.gb import sedol as stdnum_sedol

from tamga.sources.base import InputFile, ParseError, strip_bom

# Field -> header spellings, compared after :func:`header_key`. The first spelling found wins
# where a file has several columns for one field; the others are reported as ignored.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "isin": ("isin", "isin code", "isin number", "security isin", "isin no"),
    "cusip": ("cusip", "cusip code", "cusip number", "cusip 9", "cusip9"),
    "sedol": ("sedol", "sedol code", "sedol1"),
    "figi": ("figi", "bbg figi", "bloomberg figi", "composite figi", "figi code"),
    "lei": ("lei", "issuer lei", "lei code", "legal entity identifier"),
    "ticker": (
        "ticker", "ticker symbol", "symbol", "bloomberg ticker", "bbg ticker", "exchange ticker",
        "ric", "local ticker",
    ),
    "exchange": ("exchange", "exch", "exchange code", "listing exchange", "market", "mic"),
    "name": (
        "issuer", "issuer name", "company", "company name", "name", "security", "security name",
        "security description", "description", "holding", "holding name", "instrument",
        "instrument name", "asset name", "issue name",
    ),
    "base_value": (
        "market value base", "base market value", "market value usd", "market value eur",
        "value usd", "mv usd", "mv base", "market value in base currency", "base value",
    ),
    "market_value": (
        "market value", "value", "mv", "market val", "mkt value", "mkt val", "position value", "marketvalue",
        "market value local", "holding value", "exposure", "amount", "notional",
    ),
    "quantity": ("quantity", "qty", "shares", "units", "nominal", "position", "holding quantity", "par"),
    "price": ("price", "last price", "close price", "closing price", "unit price", "market price"),
    "weight": (
        "weight", "weight pct", "weight percent", "portfolio weight", "weighting", "pct of fund",
        "of fund", "of portfolio", "of nav", "allocation", "pct", "percent",
    ),
    "currency": ("currency", "ccy", "curr", "currency code", "trading currency", "local currency"),
}  # fmt: skip
IDENTIFIER_FIELDS = ("isin", "cusip", "sedol", "figi", "lei", "ticker")
USABLE_FIELDS = (*IDENTIFIER_FIELDS, "name")
HEADER_SCAN_ROWS = 10  # title lines above the header that a spreadsheet export may carry

_SYNONYM_FIELD = {spelling: name for name, spellings in SYNONYMS.items() for spelling in spellings}
_NOT_ALNUM = re.compile(r"[^0-9a-z%]+")
_UNITS = re.compile(r"\s*\((?:usd|eur|gbp|chf|jpy|hkd|cny|base|local|%|pct)\)\s*$")


def header_key(text: str) -> str:
    """A header as compared with the synonyms: lower case, punctuation and runs of space as one space,
    a trailing unit in brackets ("Market Value (USD)") and a percent sign read as words."""
    key = (text or "").strip().lower().replace("_", " ")
    key = _UNITS.sub(lambda m: " " + m.group(0).strip(" ()"), key)
    key = key.replace("%", " pct ")
    return " ".join(_NOT_ALNUM.sub(" ", key).split())


def field_of(header: str) -> str | None:
    """The field a column holds, or ``None`` if the header is not one of the synonyms."""
    found = _field_rank(header)
    return None if found is None else found[0]


def _field_rank(header: str) -> tuple[str, int] | None:
    """The field of a header, and how good a spelling of it the header is (lower is better)."""
    key = header_key(header)
    if key in _SYNONYM_FIELD:
        name = _SYNONYM_FIELD[key]
        return name, SYNONYMS[name].index(key)
    # A known spelling followed by more words: "Market Value (USD)" -> "market value usd".
    words = key.split()
    for cut in range(len(words) - 1, 0, -1):
        name = _SYNONYM_FIELD.get(" ".join(words[:cut]))
        if name is not None:
            if name == "market_value" and words[cut] in ("usd", "eur", "gbp", "base"):
                return "base_value", len(SYNONYMS["base_value"])
            return name, len(SYNONYMS[name]) + 1
    return None


@dataclass
class Columns:
    """Which column of the file feeds which field, and which columns were left unread."""

    used: dict[str, str] = field(default_factory=dict)  # field -> header as written
    ignored: list[str] = field(default_factory=list)
    header_row: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"used": dict(self.used), "ignored": list(self.ignored), "header_row": self.header_row}


@dataclass
class Holding:
    """One row of the holdings file, read and checked."""

    row: int
    input: dict[str, str]  # the row's non-empty cells, keyed by header as written
    name: str | None = None
    identifiers: dict[str, str] = field(default_factory=dict)  # field -> normalised value
    invalid: dict[str, str] = field(default_factory=dict)  # identifiers that fail their check
    market_value: Decimal | None = None
    base_value: Decimal | None = None
    quantity: Decimal | None = None
    price: Decimal | None = None
    weight: Decimal | None = None
    currency: str | None = None
    error: str | None = None

    def fail(self, message: str) -> None:
        """Record a problem; the first one is the row's error, later ones are appended."""
        self.error = message if self.error is None else f"{self.error}; {message}"


@dataclass
class HoldingsFile:
    name: str
    columns: Columns
    holdings: list[Holding]


# --- reading the table ----------------------------------------------------------------------------


def read_holdings(
    source: str | Path | InputFile | Sequence[Mapping[str, Any]], name: str | None = None
) -> HoldingsFile:
    """The holdings of a CSV or XLSX file (a path or an upload held in memory), or of rows given
    as mappings from header to value (``name`` then names them in messages)."""
    if isinstance(source, (str, Path)):
        source = InputFile.from_path(source)
    if isinstance(source, InputFile):
        display = source.display
        table = _read_table(source)
    else:
        display = name or "rows"
        rows = list(source)
        headers: list[str] = []
        for record in rows:
            headers.extend(str(k) for k in record if str(k) not in headers)
        table = [headers] + [["" if r.get(h) is None else str(r.get(h)) for h in headers] for r in rows]
    return parse_table(table, display)


def _read_table(file: InputFile) -> list[list[str]]:
    where = file.display
    try:
        data = file.read_bytes()
    except (OSError, EOFError) as exc:
        raise ParseError(where, None, f"cannot read file: {getattr(exc, 'strerror', None) or exc}") from None
    if data[:4] == b"PK\x03\x04" or file.name.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_table(data, where)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ParseError(where, None, "an Excel 97-2003 (.xls) workbook: save it as .xlsx or .csv")
    return _csv_table(data, where)


def _decode(data: bytes) -> str:
    try:
        return strip_bom(data.decode("utf-8"))
    except UnicodeDecodeError:  # spreadsheet exports on Windows: Windows-1252, else Latin-1
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_table(data: bytes, where: str) -> list[list[str]]:
    text = _decode(data)
    if not text.strip():
        raise ParseError(where, None, "the file is empty")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t", "|"), key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ParseError(where, None, f"not valid CSV: {exc}") from None


def _xlsx_table(data: bytes, where: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ParseError(where, None, f"not a readable XLSX workbook: {exc}") from None
    try:
        for sheet in book.worksheets:
            table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            if _find_header(table) is not None:
                return table
        sheet = book.worksheets[0] if book.worksheets else None
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)] if sheet else []
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _find_header(table: list[list[str]]) -> int | None:
    """The index of the first of the top rows that names a usable column."""
    for index, row in enumerate(table[:HEADER_SCAN_ROWS]):
        if any(field_of(cell) in USABLE_FIELDS for cell in row if cell):
            return index
    return None


def parse_table(table: list[list[str]], where: str) -> HoldingsFile:
    """Holdings from a table whose header is among its first rows."""
    header_index = _find_header(table)
    if header_index is None:
        seen = [c for c in (table[0] if table else []) if c.strip()]
        raise ParseError(
            where,
            "row 1",
            "no usable column: need an identifier (ISIN, CUSIP, SEDOL, FIGI, LEI, ticker) or an issuer "
            f"name (columns: {', '.join(seen) or 'none'})",
        )
    headers = [h.strip() for h in table[header_index]]
    columns = Columns(header_row=header_index + 1)
    best: dict[str, tuple[int, int]] = {}  # field -> (rank of its spelling, column position)
    for position, header in enumerate(headers):
        found = _field_rank(header) if header else None
        if found is not None and (found[0] not in best or found[1] < best[found[0]][0]):
            best[found[0]] = (found[1], position)
    positions = {name: position for name, (_, position) in sorted(best.items(), key=lambda i: i[1][1])}
    chosen = set(positions.values())
    columns.used = {name: headers[position] for name, position in positions.items()}
    columns.ignored = [h for i, h in enumerate(headers) if h and i not in chosen]
    holdings = []
    for offset, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(c.strip() for c in cells):
            continue  # a blank line is no holding
        values = {f: (cells[p].strip() if p < len(cells) else "") for f, p in positions.items()}
        raw = {
            h: cells[i].strip() for i, h in enumerate(headers) if h and i < len(cells) and cells[i].strip()
        }
        for i in range(len(headers), len(cells)):
            if cells[i].strip():
                raw[f"column {i + 1}"] = cells[i].strip()
        holdings.append(_holding(offset, values, raw, columns.used))
    return HoldingsFile(where, columns, holdings)


# --- one row --------------------------------------------------------------------------------------

_NUMBER_JUNK = re.compile(r"[\s,$€£¥'_]|^[A-Z]{3}\s*|\s*[A-Z]{3}$")


def parse_number(text: str) -> Decimal:
    """A number as spreadsheets write them: "1,234.50", "(12.5)", "3.2%", "USD 1,000"."""
    value = text.strip()
    negative = value.startswith("(") and value.endswith(")")
    value = _NUMBER_JUNK.sub("", value.strip("()").upper()).rstrip("%")
    number = Decimal(value)  # raises InvalidOperation
    if not number.is_finite():
        raise InvalidOperation(value)
    return -number if negative else number


def _holding(row: int, values: dict[str, str], raw: dict[str, str], used: dict[str, str]) -> Holding:
    holding = Holding(row=row, input=raw)
    holding.name = values.get("name") or None
    for scheme in IDENTIFIER_FIELDS:
        text = values.get(scheme)
        if not text:
            continue
        if scheme == "ticker":
            exchange = values.get("exchange")
            holding.identifiers["ticker"] = f"{text} {exchange}" if exchange and " " not in text else text
            continue
        value, problem = check_identifier(scheme, text)
        if problem:
            holding.fail(f"row {row}, column '{used[scheme]}': {problem}")
            holding.invalid[scheme] = value
        else:
            holding.identifiers[scheme] = value
    for name in ("market_value", "base_value", "quantity", "price", "weight"):
        text = values.get(name)
        if not text:
            continue
        try:
            setattr(holding, name, parse_number(text))
        except (InvalidOperation, ValueError):
            holding.fail(f"row {row}, column '{used[name]}': {text!r} is not a number")
    currency = (values.get("currency") or "").strip().upper()
    holding.currency = currency or None
    if not holding.name and not holding.identifiers and not holding.invalid and holding.error is None:
        holding.fail(f"row {row}: no identifier and no name to screen")
    return holding


_CHECKS = {
    "isin": (stdnum_isin, "an ISIN", 12),
    "cusip": (stdnum_cusip, "a CUSIP", 9),
    "sedol": (stdnum_sedol, "a SEDOL", 7),
    "lei": (stdnum_lei, "an LEI", 20),
    "figi": (stdnum_figi, "a FIGI", 12),
}


def check_identifier(scheme: str, text: str) -> tuple[str, str | None]:
    """The compact form of an identifier and, if it is not a valid one, why."""
    module, label, length = _CHECKS[scheme]
    value = re.sub(r"[\s\-.]", "", text).upper()
    if len(value) != length:
        return value, f"{text!r} is not {label} ({len(value)} characters where {label} has {length})"
    try:
        module.validate(value)
    except Exception as exc:  # stdnum's ValidationError subclasses: checksum, format, country
        reason = "its check digit does not match" if "checksum" in type(exc).__name__.lower() else str(exc)
        return value, f"{text!r} is not valid as {label}: {reason.rstrip('.')}"
    return value, None


def isins_from(scheme: str, value: str) -> list[str]:
    """The ISINs a national number stands inside: a CUSIP in a US or Canadian ISIN, a SEDOL in a
    British or Irish one."""
    if scheme == "cusip":
        bodies = [f"US{value}", f"CA{value}"]
    elif scheme == "sedol":
        bodies = [f"GB00{value}", f"IE00{value}"]
    else:
        return []
    return [body + stdnum_isin.calc_check_digit(body) for body in bodies]
