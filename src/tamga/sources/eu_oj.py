"""EU sanctions annexes transcribed from the Official Journal (``eu-oj-csv``).

OpenSanctions' ``datasets/eu/journal_sanctions`` transcribes the annexes of EU Council acts, one
row per designated entity per legal context (see ``FORMAT.md`` beside the data). Two kinds of file
share the entity columns and differ in their leading CELEX columns; each starts with its exact
header:

- consolidated files ``{celex}.csv``: ``celex,recordId,programKey,…`` — the complete annexes of one
  framework act. The files of a folder are one snapshot of source ``eu-oj``, one file per act;
- amendment files ``{amendmentCelex}.csv``: ``amendedCelex,amendmentCelex,recordId,…`` — the
  additions and changes one amending act makes. They describe only what changed since the
  consolidated versions, so they are a source of their own, ``eu-oj-amend``: a folder of them is
  one snapshot, and mixing them into an ``eu-oj`` snapshot would make that snapshot depend on the
  order of ingests.

Every file is one role of its set, named by its CELEX number (the first data row's, else the file
name), so ``tamga ingest consolidated/`` loads the whole folder as one snapshot. The format
declares no fixed roles: a set is exactly the files given, and nothing is carried over from the
previous snapshot (a framework act whose file is left out is taken as no longer listing anyone).

Entity ids: ``{source}:{celex}-{annex}-{recordId}`` (``eu-oj:32020R1998-I.A-5`` is ZHU Hailun).
``recordId`` is the entry number printed in one annex: it restarts in every annex (persons and
entities of one act are both numbered from 1), so the annex is part of the key. The format has
no key that follows a person across acts, so a person listed under two regimes is two entities.
Where the act prints no entry number the last part is ``h`` and 12 hex digits of the sha256 of
the schema and the case-folded name. Rows that share a key are one entity in several legal
contexts (another programme or measure) and are merged. Amendment rows use the amended act's
CELEX, so an amendment entity has the id its consolidated entry will have, under its own source;
when two amending acts of one set restate the same entry, the later act's rows are kept.

Each row gives a :class:`~tamga.model.Designation` by ``EU``: ``list`` and ``program`` are the
``programKey`` (``EU-HR``), ``listed_on`` the ``startDate``, ``legal_basis`` the CELEX of the act
the row was transcribed from, ``source_url`` its EUR-Lex page. ``LegalEntity``, ``Company`` and
``Organization`` become ``Organization``; ``Asset`` rows (ports, airports, economic zones,
crypto-assets under transaction bans) become ``Organization`` too, with ``ftm_schema`` saying what
they are. The files carry no publication date.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from tamga.dates import parse_date
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Designation, Entity, Identifier, Name, clean_text
from tamga.sources.base import (
    FileKind,
    Format,
    InputFile,
    ParseError,
    ParseResult,
    Progress,
    decode_utf8,
    strip_bom,
)
from tamga.sources.eu_oj_values import countries_in, country_of, dates_in, numbers_in, split_cell

FORMAT_NAME = "eu-oj-csv"
SOURCE = "eu-oj"
AMENDMENT_SOURCE = "eu-oj-amend"
AUTHORITY = "EU"
EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"

# The columns both kinds of file share, in FORMAT.md's order.
ENTITY_COLUMNS = (
    "programKey", "annex", "measure", "startDate", "reason", "schema", "name", "alias", "weakAlias",
    "previousName", "country", "nationality", "jurisdiction", "birthDate", "birthPlace", "position",
    "passportNumber", "gender", "appearance", "ethnicity", "fatherName", "motherName", "incorporationDate",
    "legalForm", "sector", "registrationNumber", "taxNumber", "idNumber", "innCode", "ogrnCode", "kppCode",
    "okpoCode", "leiCode", "swiftBic", "ticker", "imoNumber", "mmsi", "flag", "address", "phone", "email",
    "website", "notes",
)  # fmt: skip
CONSOLIDATED_HEADER = ("celex", "recordId", *ENTITY_COLUMNS)
AMENDMENT_HEADER = ("amendedCelex", "amendmentCelex", "recordId", *ENTITY_COLUMNS)

SCHEMATA = {
    "Person": "Person",
    "LegalEntity": "Organization",
    "Organization": "Organization",
    "Company": "Organization",
    "Asset": "Organization",
    "Vessel": "Vessel",
}

# Identifier columns -> default scheme (idNumber of a non-person is a registration number).
ID_COLUMNS = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "registrationNumber": "registration",
    "taxNumber": "tax_id",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "kppCode": "kpp",
    "okpoCode": "okpo",
    "leiCode": "lei",
    "swiftBic": "swift",
    "ticker": "ticker",
    "imoNumber": "imo",
    "mmsi": "mmsi",
}
COUNTRY_COLUMNS = {"nationality": "nationality", "country": "country", "jurisdiction": "jurisdiction"}
# Columns kept as properties, one value each, under these keys.
PROPERTY_COLUMNS = {
    "position": "position",
    "appearance": "appearance",
    "ethnicity": "ethnicity",
    "fatherName": "father_name",
    "motherName": "mother_name",
    "legalForm": "legal_form",
    "sector": "sector",
    "phone": "phone",
    "email": "email",
    "website": "website",
}
NAME_COLUMNS = (("alias", "aka", None), ("weakAlias", "weak", "low"), ("previousName", "fka", None))

_CELEX = re.compile(r"^\d{5}[A-Z]{1,2}\d{4,6}$")
_PROGRESS_EVERY = 500


# --- detection --------------------------------------------------------------------------------


def _header_kind(first_line: bytes) -> str | None:
    """``consolidated``, ``amendment`` or ``None`` for the first line of a file."""
    line = first_line.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    if line == ",".join(CONSOLIDATED_HEADER).encode():
        return "consolidated"
    if line == ",".join(AMENDMENT_HEADER).encode():
        return "amendment"
    return None


def sniff(file: InputFile) -> FileKind | None:
    """Recognise either kind of file by its exact header; the role is the file's own CELEX.

    The CELEX is read from the first data row (the act the rows were transcribed from); a
    consolidated file of an act whose annexes list nobody has no rows, and then the file name
    (``32004R0314.csv``) gives it.
    """
    try:
        head = file.head()
    except (OSError, EOFError):
        return None
    first, _, rest = head.partition(b"\n")
    kind = _header_kind(first)
    if kind is None:
        return None
    cells = rest.split(b"\n", 1)[0].split(b",", 2)
    column = 0 if kind == "consolidated" else 1
    celex = cells[column].strip().decode("ascii", "replace") if len(cells) > column else ""
    if not _CELEX.match(celex):
        celex = PurePath(file.name).stem[:50]
    source = SOURCE if kind == "consolidated" else AMENDMENT_SOURCE
    return FileKind(format=FORMAT_NAME, source=source, role=celex)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Row:
    """One data row: its file, the line it starts on, and its non-empty cells, stripped."""

    file: InputFile
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def values(self, column: str) -> list[str]:
        """The values of a multi-valued column (most cells are empty: those cost one look-up)."""
        text = self.cells.get(column)
        return split_cell(text) if text else []

    def required(self, column: str) -> str:
        value = self.get(column)
        if not value:
            raise ParseError(self.file.display, f"line {self.line}", f"missing {column}")
        return value

    def celex(self, column: str) -> str:
        value = self.required(column)
        if not _CELEX.match(value):
            raise ParseError(
                self.file.display, f"line {self.line}", f"{column} {value!r} is not a bare CELEX number"
            )
        return value


def _rows(file: InputFile) -> tuple[str, Iterator[_Row]]:
    """The file's kind and its data rows; bad bytes, a foreign header or a short row raise."""
    text = strip_bom(decode_utf8(file.read_bytes(), file))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ParseError(file.display, "line 1", f"bad CSV: {exc}") from None
    if header is None:
        raise ParseError(file.display, "line 1", "empty file: no header")
    if tuple(header) == CONSOLIDATED_HEADER:
        kind = "consolidated"
    elif tuple(header) == AMENDMENT_HEADER:
        kind = "amendment"
    else:
        raise ParseError(file.display, "line 1", "not the header of an EU Official Journal sanctions CSV")
    return kind, _records(file, reader, header)


def _records(file: InputFile, reader: Any, header: list[str]) -> Iterator[_Row]:
    """Rows with the physical line they start on (quoted cells may span lines)."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(file.display, f"line {start}", f"bad CSV: {exc}") from None
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise ParseError(
                file.display, f"line {start}", f"{len(row)} columns where the header has {len(header)}"
            )
        cells = {column: cell.strip() for column, cell in zip(header, row, strict=True) if cell}
        yield _Row(file, start, {column: cell for column, cell in cells.items() if cell})


# --- entities ---------------------------------------------------------------------------------


@dataclass
class _Built:
    """An entity being assembled, with the file its rows come from and what it already holds."""

    entity: Entity
    role: str
    seen: set[tuple[str, ...]] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def once(self, *key: str) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def prop(self, key: str, value: str | None) -> None:
        value = clean_text(value)
        if value and self.once("prop", key, value):
            self.entity.properties.setdefault(key, []).append(value)


def entity_key(celex: str, annex: str, record_id: str, schema: str, name: str) -> str:
    """The id of an annex entry within its source: ``32020R1998-I.A-5``.

    Entries without a printed number are keyed by a hash of schema and case-folded name, which
    stays the same while the act spells the name the same.
    """
    if not record_id:
        folded = (clean_text(name) or "").casefold()
        record_id = "h" + hashlib.sha256(f"{schema}\x1f{folded}".encode()).hexdigest()[:12]
    return "-".join(part for part in (celex, annex.replace(" ", ""), record_id) if part)


def _designation(row: _Row, act: str, warnings: list[str]) -> Designation:
    program = row.required("programKey")
    start = row.get("startDate")
    listed_on = parse_date(start) if start else None
    if start and listed_on is None:
        warnings.append(f"{row.file.display}: line {row.line}: startDate {start!r} is not a date")
    return Designation(
        authority=AUTHORITY,
        list=program,
        program=program,
        listed_on=listed_on,
        legal_basis=act,
        reason=clean_text(row.get("reason")),
        source_url=EURLEX + act,
    )


def _add_row(built: _Built, row: _Row, designation: Designation, ftm_schema: str) -> None:
    """Everything one row says about its entity, added once (rows of one entity repeat it)."""
    entity = built.entity
    if designation not in entity.designations:
        entity.designations.append(designation)
    built.prop("ftm_schema", ftm_schema)
    built.prop("annex", row.get("annex"))
    built.prop("measure", row.get("measure"))
    name = clean_text(row.get("name")) or ""
    if built.once("name", "primary", name):
        entity.names.append(Name(full=name, kind="primary"))
    for column, kind, quality in NAME_COLUMNS:
        for value in row.values(column):
            if built.once("name", kind, clean_text(value) or ""):
                entity.names.append(Name(full=value, kind=kind, quality=quality))
    for column, role in COUNTRY_COLUMNS.items():
        for value in row.values(column):
            codes, complete = countries_in(value)
            for code in codes:
                if built.once("country", code, role):
                    entity.countries.append(Country(code=code, role=role))
            if not complete:
                built.prop(role, value)
    for value in row.values("flag"):
        built.prop("flag", country_of(value) or value)
    for value in row.values("birthDate"):
        dates, complete = dates_in(value)
        for day in dates:
            if built.once("birth", day):
                entity.birth_dates.append(day)
        if not complete:
            built.prop("birth_date_text", value)
    for value in row.values("incorporationDate"):
        dates, complete = dates_in(value)
        for day in dates:
            built.prop("incorporation_date", day)
        if not complete:
            built.prop("incorporation_date_text", value)
    for value in row.values("birthPlace"):
        place = clean_text(value)
        if place and built.once("place", place):
            entity.birth_places.append(place)
    for value in row.values("gender"):
        built.prop("gender", value.lower() if value.lower() in ("male", "female") else value)
    for column, key in PROPERTY_COLUMNS.items():
        for value in row.values(column):
            built.prop(key, value)
    _add_identifiers(built, row)
    for value in row.values("address"):
        full = clean_text(value)
        if full and built.once("address", full):
            entity.addresses.append(Address(full=full, country=country_of(full.rsplit(",", 1)[-1])))
    for value in row.values("notes"):
        note = clean_text(value)
        if note and built.once("note", note):
            built.notes.append(note)
    entity.remarks = "\n".join(built.notes) or None


def _add_identifiers(built: _Built, row: _Row) -> None:
    person = built.entity.schema == "Person"
    for column, default in ID_COLUMNS.items():
        scheme = "registration" if column == "idNumber" and not person else default
        for value in row.values(column):
            numbers = numbers_in(value, scheme)
            if not numbers:
                built.prop(_snake(column), value)
            for number in numbers:
                normalised = normalise_identifier(number.scheme, number.printed)
                if not normalised or not built.once("id", number.scheme, normalised):
                    continue
                built.entity.identifiers.append(
                    Identifier(
                        scheme=number.scheme,
                        value=normalised,
                        country=number.country,
                        raw=number.printed,
                        note=clean_text(number.note),
                        valid=identifier_valid(number.scheme, normalised),
                    )
                )


_CAMEL = re.compile(r"(?<=[a-z])([A-Z])")


def _snake(column: str) -> str:
    return _CAMEL.sub(r"_\1", column).lower()


# --- parsing ----------------------------------------------------------------------------------


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Read a set of consolidated files, or a set of amendment files, into one entity per entry.

    Files are read in the order of their roles (CELEX numbers), so the output does not depend on
    how the set was assembled; for amendments this is the order of the amending acts.
    """
    if not files:
        raise ParseError(source, None, f"{FORMAT_NAME} needs at least one file")
    built: dict[str, _Built] = {}
    warnings: list[str] = []
    kinds: dict[str, str] = {}
    rows_read = 0
    for role in sorted(files):
        file = files[role]
        kind, rows = _rows(file)
        kinds[kind] = file.display
        other = "amendment" if kind == "consolidated" else "consolidated"
        if other in kinds:
            raise ParseError(
                file.display,
                None,
                f"{kind} file in one set with {kinds[other]}; consolidated and amendment files "
                "are separate sources",
            )
        file_celex: str | None = None
        for row in rows:
            if kind == "consolidated":
                act = framework = row.celex("celex")
            else:
                framework, act = row.celex("amendedCelex"), row.celex("amendmentCelex")
            if file_celex is None:
                file_celex = act
            elif act != file_celex:
                raise ParseError(
                    file.display, f"line {row.line}", f"CELEX {act} in a file of act {file_celex}"
                )
            _read_row(row, role, source, framework, act, kind, built, warnings)
            rows_read += 1
            if progress is not None and rows_read % _PROGRESS_EVERY == 0:
                progress(len(built))
    entities = [b.entity for b in built.values()]
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=None, warnings=warnings)


def _read_row(
    row: _Row,
    role: str,
    source: str,
    framework: str,
    act: str,
    kind: str,
    built: dict[str, _Built],
    warnings: list[str],
) -> None:
    ftm_schema = row.required("schema")
    schema = SCHEMATA.get(ftm_schema)
    if schema is None:
        raise ParseError(row.file.display, f"line {row.line}", f"unknown schema {ftm_schema!r}")
    row.required("measure")
    name = row.required("name")
    entity_id = f"{source}:{entity_key(framework, row.get('annex'), row.get('recordId'), schema, name)}"
    current = built.get(entity_id)
    if current is not None and current.entity.schema != schema:
        entity_id = f"{entity_id}-{schema.lower()}"  # one entry number used for two kinds of target
        current = built.get(entity_id)
    if current is not None and current.role != role:
        if kind == "consolidated":
            raise ParseError(
                row.file.display,
                f"line {row.line}",
                f"entry {entity_id} is also in the file of {current.role}",
            )
        warnings.append(
            f"{row.file.display}: line {row.line}: {act} restates {entity_id} of {current.role}; "
            f"the entry as {act} gives it is kept"
        )
        del built[entity_id]
        current = None
    if current is None:
        current = built[entity_id] = _Built(Entity(id=entity_id, schema=schema), role)
    context = (row.get("programKey"), row.get("measure"), act)
    if not current.once("context", *context):
        warnings.append(
            f"{row.file.display}: line {row.line}: {entity_id} is listed twice under "
            f"{context[0]} / {context[1]}; the rows are merged"
        )
    designation = _designation(row, act, warnings)
    _add_row(current, row, designation, ftm_schema)
    if kind == "amendment":
        current.prop("amended_act", framework)


FORMATS = [
    Format(
        name=FORMAT_NAME,
        sniff=sniff,
        parse=parse,
        # Roles are the files' CELEX numbers, one per act; a set is exactly the files given.
        roles=(),
        required_roles=(),
        description="EU sanctions annexes transcribed from the Official Journal (one CSV per act)",
    )
]
