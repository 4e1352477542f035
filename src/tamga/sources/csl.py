"""The trade.gov Consolidated Screening List (CSL), as CSV and as JSON.

The CSL merges the US export-control and sanctions lists (BIS Entity List, Military End User,
Unverified and Denied Persons lists; State's Nonproliferation Sanctions and ITAR debarments;
Treasury's SDN and non-SDN lists) into one table with one row per listing. Each row keeps its
list: the ``source`` column (``Entity List (EL) - Bureau of Industry and Security``) gives a
:class:`~tamga.model.Designation` by the right US authority.

Two CSV layouts are read, told apart by their header: the current one (29 columns, first column
``_id``) and the pre-2020 one (28 columns, no ``_id``). Multi-valued cells are ``;``-separated. The
``ids`` cell holds ``Type, Number[, Country]`` items in the current layout and
``[Country, ]Number, Type`` items in the old one; items that are facts rather than numbers
(``Gender, Male``, ``Secondary sanctions risk:, …``) go to ``properties``.

The JSON is the API / bulk-download form: ``{"results": [...], "total": N, "sources_used": [...]}``
with the same field names, lists as arrays, ``addresses`` and ``ids`` as objects. A bare array of
result objects is read as well.

Entity ids (contract): ``us-csl:{_id}`` (``id`` in the JSON) where the row has one, else
``us-csl:{entity_number}``, else ``us-csl:h`` followed by the first 20 hex digits of the sha256 of
the list code, the name and the addresses (each whitespace-collapsed and case-folded, joined by
``\\x1f``). The old layout has no ``_id`` and BIS/State rows have no entity number, so their ids
are such hashes: they stay stable while the name and addresses stay the same. An id that repeats
within one file (two identical rows) gets ``-2``, ``-3``… in file order, with a warning.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tamga.countries import country_code
from tamga.dates import parse_date, parse_dates, parse_datetime
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import (
    Address,
    Country,
    Designation,
    Entity,
    Identifier,
    Name,
    Relation,
    clean_text,
)
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
from tamga.sources.ofac_programs import LEGAL_BASIS

SOURCE = "us-csl"

REQUIRED_COLUMNS = ("source", "name")
# Columns that only the CSL has, together: enough to tell its header from any other CSV.
_SIGNATURE = {"source", "entity_number", "programs", "name", "alt_names", "source_list_url"}

_PROGRESS_EVERY = 1000


# --- lists ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListInfo:
    """One of the lists merged into the CSL: short code, name for Designation.list, authority."""

    code: str
    name: str
    authority: str


# Keyed by the code in parentheses in the ``source`` text. Treasury lists use the list names of
# the OFAC parsers (``SDN``, ``NS-CMIC``…) so that a CSL designation compares with an OFAC one.
LISTS = {
    "EL": ListInfo("EL", "Entity List", "US-BIS"),
    "MEU": ListInfo("MEU", "Military End User List", "US-BIS"),
    "UVL": ListInfo("UVL", "Unverified List", "US-BIS"),
    "DPL": ListInfo("DPL", "Denied Persons List", "US-BIS"),
    "ISN": ListInfo("ISN", "Nonproliferation Sanctions", "US-State"),
    "DTC": ListInfo("DTC", "ITAR Debarred", "US-State"),
    "SDN": ListInfo("SDN", "SDN", "US-OFAC"),
    "SSI": ListInfo("SSI", "SSI", "US-OFAC"),
    "PLC": ListInfo("PLC", "NS-PLC", "US-OFAC"),
    "FSE": ListInfo("FSE", "FSE", "US-OFAC"),
    "CAP": ListInfo("CAP", "CAPTA", "US-OFAC"),
    "CAPTA": ListInfo("CAP", "CAPTA", "US-OFAC"),
    "CMIC": ListInfo("CMIC", "NS-CMIC", "US-OFAC"),
    "NS-CMIC": ListInfo("CMIC", "NS-CMIC", "US-OFAC"),
    "MBS": ListInfo("MBS", "NS-MBS", "US-OFAC"),
    "NS-MBS": ListInfo("MBS", "NS-MBS", "US-OFAC"),
    "NS-MBS LIST": ListInfo("MBS", "NS-MBS", "US-OFAC"),
    "NS-ISA": ListInfo("ISA", "NS-ISA", "US-OFAC"),
    "ISA": ListInfo("ISA", "NS-ISA", "US-OFAC"),
    "561": ListInfo("561", "Part 561", "US-OFAC"),
}

_SOURCE_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[^()]+)\)\s*(?P<tail>[^-]*?)\s*-\s*(?P<agency>.+)$")


def _authority_of(agency: str) -> str:
    text = agency.lower()
    if "industry and security" in text or "commerce" in text:
        return "US-BIS"
    if "treasury" in text or "foreign assets" in text:
        return "US-OFAC"
    if "state" in text:
        return "US-State"
    return "US"


def list_info(source: str) -> ListInfo:
    """The list a CSL row is on, from its ``source`` text (``Entity List (EL) - Bureau of …``).

    Unknown lists still get a designation: the name before the parenthesis, the code inside it,
    and the authority guessed from the agency after the dash.
    """
    text = clean_text(source) or ""
    match = _SOURCE_RE.match(text)
    if match is None:
        code = text.strip().upper()
        return LISTS.get(code) or ListInfo(code or "CSL", text or "Consolidated Screening List", "US")
    code = match.group("code").strip()
    known = LISTS.get(code.upper())
    if known is not None:
        return known
    name = match.group("name").strip()
    tail = match.group("tail").strip()
    if tail:
        name = f"{name} {tail}"
    return ListInfo(code, name, _authority_of(match.group("agency")))


# --- identifiers and other "ids" items ----------------------------------------------------------

# (substring of the lower-cased type, scheme), first match wins.
_ID_SCHEMES = (
    ("passport", "passport"),
    ("unified social credit", "uscc"),
    ("uscc", "uscc"),
    ("swift", "swift"),
    ("email", "email"),
    ("website", "website"),
    ("phone", "phone"),
    ("isin", "isin"),
    ("equity ticker", "ticker"),
    ("mmsi", "mmsi"),
    ("digital currency address", "crypto_wallet"),
    ("manufacturer's serial", "aircraft_serial"),
    ("construction number", "aircraft_serial"),
    ("tail number", "aircraft_tail"),
    ("d-u-n-s", "duns"),
    ("legal entity number", "lei"),
    ("tax id", "tax_id"),
    ("v.a.t", "tax_id"),
    ("vat ", "tax_id"),
    ("nit #", "tax_id"),
    ("ruc #", "tax_id"),
    ("rfc", "tax_id"),
    ("fiscal code", "tax_id"),
    ("national id", "national_id"),
    ("cedula", "national_id"),
    ("c.u.r.p", "national_id"),
    ("curp", "national_id"),
    ("identification number", "national_id"),
    ("id card", "national_id"),
    ("identity card", "national_id"),
    ("citizen's card", "national_id"),
    ("ssn", "national_id"),
    ("registration", "registration"),
    ("company number", "registration"),
    ("commercial registry", "registration"),
    ("business number", "registration"),
    ("matricula mercantil", "registration"),
    ("government gazette", "registration"),
    ("chamber of commerce", "registration"),
    ("enterprise number", "registration"),
)

# Items of the ``ids`` cell that are facts, not numbers: type (lower case) -> property name.
_ID_PROPERTIES = {
    "gender": "gender",
    "vessel year of build": "build_year",
    "former vessel flag": "former_flag",
    "other vessel flag": "flag",
    "other vessel call sign": "call_sign",
    "other vessel type": "vessel_type",
    "vessel type": "vessel_type",
    "aircraft model": "aircraft_model",
    "aircraft operator": "operator",
    "aircraft manufacture date": "build_date",
    "aircraft mode s transponder code": "transponder_code",
    "nationality of registration": "registration_country",
    "target type": "target_type",
    "organization established date": "incorporation_date",
    "organization type:": "organization_type",
    "issuer name": "issuer_name",
    "listing date (cmic)": "cmic_listing_date",
    "effective date (cmic)": "cmic_effective_date",
    "purchase/sales for divestment date (cmic)": "cmic_divestment_date",
}
_SANCTIONS_INFO = re.compile(r"(:|-)$|information|determination|risk|prohibited|sanctions", re.I)
_ISO2 = re.compile(r"^[A-Z]{2}$")


@dataclass
class _IdItem:
    type: str
    number: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None


def _split_id_item(text: str, old_layout: bool) -> _IdItem | None:
    """One ``ids`` item: ``Type, Number[, CC]`` (current) or ``[CC, ]Number, Type`` (old layout)."""
    parts = [p.strip() for p in text.split(", ")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    if old_layout:
        kind = parts[-1]
        rest = parts[:-1]
        country = None
        if len(rest) >= 2 and _ISO2.match(rest[0]):
            country, rest = rest[0], rest[1:]
        return _IdItem(kind, ", ".join(rest), country)
    kind, rest = parts[0], parts[1:]
    country = None
    if len(rest) >= 2 and _ISO2.match(rest[-1]):
        country, rest = rest[-1], rest[:-1]
    return _IdItem(kind, ", ".join(rest), country)


def _scheme_for(kind: str, number: str) -> str | None:
    key = kind.lower().strip()
    if key.startswith("vessel registration identification"):
        return "imo" if number.upper().startswith("IMO") else "registration"
    for needle, scheme in _ID_SCHEMES:
        if needle in key:
            return scheme
    return None


def _apply_id_item(entity: Entity, item: _IdItem) -> None:
    """Turn one ``ids`` item into an identifier, a property, or a note of sanctions information."""
    kind = _clean(item.type) or ""
    number = _clean(item.number) or ""
    if not kind or not number:
        return
    key = kind.lower()
    prop = _ID_PROPERTIES.get(key)
    if prop is not None:
        _add_prop(entity, prop, number.lower() if prop == "gender" else number)
        return
    scheme = _scheme_for(kind, number)
    if scheme is None:
        if _SANCTIONS_INFO.search(kind) or not any(ch.isdigit() for ch in number):
            _add_prop(entity, "sanctions_info", f"{kind.rstrip(' :-')}: {number}")
            return
        scheme = "other"
    value = normalise_identifier(scheme, number)
    if not value:
        return
    country = country_code(item.country) if item.country else None
    notes = [kind]
    if item.issued:
        notes.append(f"issued {item.issued}")
    if item.expires:
        notes.append(f"expires {item.expires}")
    entity.identifiers.append(
        Identifier(
            scheme=scheme,
            value=value,
            country=country,
            raw=number,
            note="; ".join(notes),
            valid=identifier_valid(scheme, value),
        )
    )


# --- shared record building -------------------------------------------------------------------

_SCHEMA = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Aircraft"}
_LINKED_TO = re.compile(r"\(Linked To:\s*([^)]+)\)", re.I)
_LEADING_AND = re.compile(r"^and\s+", re.I)


def _clean(value: str | None) -> str | None:
    """:func:`~tamga.model.clean_text` with a fast path for ASCII (no normalisation needed)."""
    if not value:
        return None
    if value.isascii():
        return " ".join(value.split()) or None
    return clean_text(value)


def _add_prop(entity: Entity, key: str, value: str | None) -> None:
    text = _clean(value)
    if text:
        values = entity.properties.setdefault(key, [])
        if text not in values:
            values.append(text)


def _split_list(text: str | None) -> list[str]:
    """A ``;``-separated cell; pieces starting with ``and`` (BIS style) lose that word."""
    if not text:
        return []
    out = []
    for piece in text.split(";"):
        value = _clean(_LEADING_AND.sub("", piece.strip()))
        if value:
            out.append(value)
    return out


def _split_addresses(text: str | None) -> list[str]:
    """Addresses are ``;``-separated, but one BIS address may itself read ``A; and B, City, CC``."""
    if not text:
        return []
    out: list[str] = []
    for piece in text.split(";"):
        value = _clean(piece)
        if not value:
            continue
        if out and value.lower().startswith("and "):
            out[-1] = f"{out[-1]}; {value}"
        else:
            out.append(value)
    return out


def _as_list(value: Any) -> list[str]:
    """A JSON field that should be a list of strings but may be null, a string or numbers."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and not isinstance(v, dict | list)]
    if isinstance(value, dict):
        return []
    return _split_list(str(value))


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return _clean(str(value))


def _person_name(full: str, kind: str, individual: bool) -> Name:
    """OFAC-style ``FAMILY, Given`` names of individuals keep their parts."""
    if individual and full.count(",") == 1:
        family, given = (p.strip() for p in full.split(","))
        if family and given:
            return Name(full=full, kind=kind, family=family, given=given)
    return Name(full=full, kind=kind)


def _hash_id(info: ListInfo, name: str, addresses: list[str]) -> str:
    parts = [info.code, name, *addresses]
    payload = "\x1f".join((clean_text(p) or "").casefold() for p in parts)
    return "h" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


@dataclass
class _Record:
    """One CSL listing with its lists already split, whatever file form it came from."""

    record_id: str | None
    entity_number: str | None
    source: str
    type: str | None
    name: str
    programs: list[str]
    title: str | None
    addresses: list[Address]
    address_texts: list[str]
    federal_register_notice: str | None
    start_date: str | None
    end_date: str | None
    standard_order: str | None
    license_requirement: str | None
    license_policy: str | None
    call_sign: str | None
    vessel_type: str | None
    gross_tonnage: str | None
    gross_registered_tonnage: str | None
    vessel_flag: str | None
    vessel_owner: str | None
    remarks: str | None
    source_list_url: str | None
    source_information_url: str | None
    alt_names: list[str]
    citizenships: list[str]
    nationalities: list[str]
    dates_of_birth: list[str]
    places_of_birth: list[str]
    ids: list[_IdItem]


def _build(record: _Record, source: str) -> Entity:
    """The entity of one CSL row: names, countries, identifiers and one designation per program."""
    info = list_info(record.source)
    local_id = record.record_id or record.entity_number or _hash_id(info, record.name, record.address_texts)
    kind = (record.type or "").strip().lower()
    schema = _SCHEMA.get(kind, "Organization")
    individual = schema == "Person"
    entity = Entity(id=f"{source}:{local_id}", schema=schema)

    entity.names.append(_person_name(record.name, "primary", individual))
    seen = {record.name}
    for alias in record.alt_names:
        if alias not in seen:
            seen.add(alias)
            entity.names.append(_person_name(alias, "aka", individual))

    for text in record.dates_of_birth:
        dates = parse_dates(text)
        if dates:
            entity.birth_dates.extend(d for d in dates if d not in entity.birth_dates)
        else:
            _add_prop(entity, "birth_date_text", text)
    entity.birth_places.extend(record.places_of_birth)

    for role, values in (("nationality", record.nationalities), ("citizenship", record.citizenships)):
        for value in values:
            code = country_code(value)
            if code:
                entity.countries.append(Country(code, role))
            else:
                _add_prop(entity, role, value)
    entity.addresses.extend(record.addresses)
    for address in record.addresses:
        if address.country:
            entity.countries.append(Country(address.country, "country"))

    for item in record.ids:
        _apply_id_item(entity, item)

    remarks = record.remarks
    entity.remarks = remarks
    if remarks:
        for target in _LINKED_TO.findall(remarks):
            name = clean_text(target)
            if name:
                entity.relations.append(Relation(kind="linked_to", target_name=name))

    reason_parts = []
    if record.license_requirement:
        reason_parts.append(f"License requirement: {record.license_requirement}")
    if record.license_policy:
        reason_parts.append(f"License policy: {record.license_policy}")
    if record.standard_order and record.standard_order.upper() in ("Y", "YES"):
        reason_parts.append("Standard denial order")
    reason = " ".join(reason_parts) or None
    listed_on = parse_date(record.start_date)
    removed_on = parse_date(record.end_date)
    for program in record.programs or [None]:
        entity.designations.append(
            Designation(
                authority=info.authority,
                list=info.name,
                program=program,
                listed_on=listed_on,
                removed_on=removed_on,
                legal_basis=record.federal_register_notice or (LEGAL_BASIS.get(program) if program else None),
                reason=reason,
                source_url=record.source_list_url,
            )
        )

    _add_prop(entity, "csl_list", info.code)
    for key, value in (
        ("entity_number", record.entity_number),
        ("title", record.title),
        ("call_sign", record.call_sign),
        ("vessel_type", record.vessel_type),
        ("tonnage", record.gross_tonnage),
        ("gross_registered_tonnage", record.gross_registered_tonnage),
        ("flag", record.vessel_flag),
        ("vessel_owner", record.vessel_owner),
        ("federal_register_notice", record.federal_register_notice),
        ("standard_order", record.standard_order),
        ("license_requirement", record.license_requirement),
        ("license_policy", record.license_policy),
        ("source_information_url", record.source_information_url),
    ):
        _add_prop(entity, key, value)
    return entity


def _address_from_text(text: str) -> Address:
    """A CSV address is one line ``street, city, state, postal, CC``: only the country is certain."""
    last = text.rsplit(",", 1)[-1].strip()
    country = country_code(last) if _ISO2.match(last) else None
    return Address(full=text, country=country)


# --- CSV ----------------------------------------------------------------------------------------


def _csv_header(head: bytes) -> list[str] | None:
    text = strip_bom(head.decode("utf-8", errors="replace"))
    first = text.split("\n", 1)[0].rstrip("\r")
    if "," not in first or first.lstrip().startswith(("{", "[", "<")):
        return None
    try:
        row = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return None
    return [c.strip() for c in row]


def sniff_csv(file: InputFile) -> FileKind | None:
    """A CSV whose header has the CSL's own column names (``source, entity_number, alt_names``…)."""
    try:
        header = _csv_header(file.head())
    except (OSError, EOFError):
        return None
    if header is None or not _SIGNATURE.issubset(header):
        return None
    return FileKind(format="csl-csv", source=SOURCE)


def _csv_record(row: list[str], columns: dict[str, int], old_layout: bool) -> _Record:
    def get(name: str) -> str | None:
        index = columns.get(name)
        return _clean(row[index]) if index is not None else None

    address_texts = _split_addresses(get("addresses"))
    ids = []
    for piece in (get("ids") or "").split(";"):
        item = _split_id_item(piece.strip(), old_layout)
        if item is not None:
            ids.append(item)
    return _Record(
        record_id=get("_id"),
        entity_number=get("entity_number"),
        source=get("source") or "",
        type=get("type"),
        name=get("name") or "",
        programs=_split_list(get("programs")),
        title=get("title"),
        addresses=[_address_from_text(a) for a in address_texts],
        address_texts=address_texts,
        federal_register_notice=get("federal_register_notice"),
        start_date=get("start_date"),
        end_date=get("end_date"),
        standard_order=get("standard_order"),
        license_requirement=get("license_requirement"),
        license_policy=get("license_policy"),
        call_sign=get("call_sign"),
        vessel_type=get("vessel_type"),
        gross_tonnage=get("gross_tonnage"),
        gross_registered_tonnage=get("gross_registered_tonnage"),
        vessel_flag=get("vessel_flag"),
        vessel_owner=get("vessel_owner"),
        remarks=get("remarks"),
        source_list_url=get("source_list_url"),
        source_information_url=get("source_information_url"),
        alt_names=_split_list(get("alt_names")),
        citizenships=_split_list(get("citizenships")),
        nationalities=_split_list(get("nationalities")),
        dates_of_birth=_split_list(get("dates_of_birth")),
        places_of_birth=_split_list(get("places_of_birth")),
        ids=ids,
    )


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


class _Ids:
    """Keeps ids unique within one file: a repeated id gets ``-2``, ``-3``… and a warning."""

    MAX_WARNINGS = 20

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.warnings: list[str] = []
        self.repeats = 0

    def unique(self, entity: Entity, where: str) -> None:
        count = self.seen.get(entity.id, 0) + 1
        self.seen[entity.id] = count
        if count > 1:
            new_id = f"{entity.id}-{count}"
            self.repeats += 1
            if self.repeats <= self.MAX_WARNINGS:
                self.warnings.append(f"{where}: id {entity.id} repeats; stored as {new_id}")
            entity.id = new_id

    def final_warnings(self) -> list[str]:
        extra = self.repeats - self.MAX_WARNINGS
        if extra > 0:
            return [*self.warnings, f"... and {extra} more repeated ids"]
        return self.warnings


def parse_csv(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every row of a CSL CSV (current or old layout) as one entity; no publication date in the file."""
    file = files["main"]
    try:
        data = file.read_bytes()
    except (OSError, EOFError) as exc:
        raise ParseError(file.display, None, f"cannot read file: {_reason(exc)}") from None
    text = strip_bom(decode_utf8(data, file))
    del data
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise ParseError(file.display, "line 1", "file is empty") from None
    except csv.Error as exc:
        raise ParseError(file.display, "line 1", f"bad CSV header: {exc}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ParseError(file.display, "line 1", f"not a CSL header: missing column(s) {', '.join(missing)}")
    columns = {name: index for index, name in enumerate(header) if name}
    old_layout = "_id" not in columns
    width = len(header)
    entities: list[Entity] = []
    ids = _Ids()
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ParseError(file.display, f"line {start}", f"bad CSV: {exc}") from None
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        where = f"line {start}"
        if len(row) != width:
            raise ParseError(file.display, where, f"expected {width} columns, found {len(row)}")
        record = _csv_record(row, columns, old_layout)
        for field_name in REQUIRED_COLUMNS:
            if not getattr(record, field_name):
                raise ParseError(file.display, where, f"required field {field_name!r} is empty")
        entity = _build(record, source)
        ids.unique(entity, where)
        entities.append(entity)
        if progress is not None and len(entities) % _PROGRESS_EVERY == 0:
            progress(len(entities))
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=None, warnings=ids.final_warnings())


# --- JSON ---------------------------------------------------------------------------------------

_JSON_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*[\[{]")
_JSON_KEYS = (b'"federal_register_notice"', b'"source_list_url"', b'"alt_names"', b'"entity_number"')
_WS = re.compile(r"\s*")


def sniff_json(file: InputFile) -> FileKind | None:
    """A JSON document (object with ``results`` or a bare array) of CSL records.

    Looks for the CSL's own snake_case field names in the first 64 KiB; FollowTheMoney and other
    JSON files use other keys.
    """
    try:
        head = file.head()
    except (OSError, EOFError):
        return None
    if not _JSON_START.match(head):
        return None
    found = sum(1 for key in _JSON_KEYS if key in head)
    if found < 3 or b'"name"' not in head or b'"source"' not in head:
        return None
    if b'"schema"' in head and b'"properties"' in head:
        return None
    return FileKind(format="csl-json", source=SOURCE)


class _JsonScanner:
    """Reads a JSON document value by value, so that only one result object is held at a time."""

    def __init__(self, text: str, file: InputFile) -> None:
        self.text = text
        self.file = file
        self.pos = 0
        self.decoder = json.JSONDecoder()
        self._line = 1
        self._line_pos = 0

    def line_at(self, pos: int) -> int:
        if pos < self._line_pos:
            return self.text.count("\n", 0, pos) + 1
        self._line += self.text.count("\n", self._line_pos, pos)
        self._line_pos = pos
        return self._line

    def error(self, pos: int, message: str) -> ParseError:
        return ParseError(self.file.display, f"line {self.line_at(pos)}", message)

    def skip_ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            found = self.text[self.pos : self.pos + 1] or "end of file"
            raise self.error(self.pos, f"bad JSON: expected {char!r}, found {found!r}")
        self.pos += 1

    def value(self) -> Any:
        self.skip_ws()
        try:
            value, end = self.decoder.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise ParseError(self.file.display, f"line {exc.lineno}", f"bad JSON: {exc.msg}") from None
        except RecursionError:
            raise self.error(self.pos, "bad JSON: nested too deeply") from None
        self.pos = end
        return value

    def array_items(self) -> Iterator[tuple[int, Any]]:
        """Yield (start offset, value) for each element of the array at the current position."""
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.skip_ws()
            start = self.pos
            yield start, self.value()
            char = self.peek()
            if char == ",":
                self.pos += 1
                continue
            if char == "]":
                self.pos += 1
                return
            raise self.error(self.pos, "bad JSON: expected ',' or ']' in array")


def _json_address(value: Any) -> tuple[Address, str] | None:
    if isinstance(value, str):
        text = clean_text(value)
        return (_address_from_text(text), text) if text else None
    if not isinstance(value, dict):
        return None
    street = _text(value.get("address"))
    city = _text(value.get("city"))
    region = _text(value.get("state") or value.get("state_or_province"))
    postal = _text(value.get("postal_code"))
    raw_country = _text(value.get("country"))
    parts = [p for p in (street, city, region, postal, raw_country) if p]
    if not parts:
        return None
    full = ", ".join(parts)
    address = Address(
        full=full,
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country_code(raw_country) if raw_country else None,
    )
    return address, full


def _json_id(value: Any) -> _IdItem | None:
    if isinstance(value, str):
        return _split_id_item(value, old_layout=False)
    if not isinstance(value, dict):
        return None
    kind = _text(value.get("type"))
    number = _text(value.get("number"))
    if not kind or not number:
        return None
    return _IdItem(
        kind,
        number,
        _text(value.get("country")),
        parse_date(_text(value.get("issue_date"))),
        parse_date(_text(value.get("expiration_date"))),
    )


def _json_record(obj: dict[str, Any]) -> _Record:
    addresses = [a for a in (_json_address(v) for v in obj.get("addresses") or []) if a is not None]
    ids = [i for i in (_json_id(v) for v in obj.get("ids") or []) if i is not None]
    record_id = _text(obj.get("id")) or _text(obj.get("_id"))
    return _Record(
        record_id=record_id,
        entity_number=_text(obj.get("entity_number")),
        source=_text(obj.get("source")) or "",
        type=_text(obj.get("type")),
        name=_text(obj.get("name")) or "",
        programs=_as_list(obj.get("programs")),
        title=_text(obj.get("title")),
        addresses=[a for a, _ in addresses],
        address_texts=[t for _, t in addresses],
        federal_register_notice=_text(obj.get("federal_register_notice")),
        start_date=_text(obj.get("start_date")),
        end_date=_text(obj.get("end_date")),
        standard_order=_text(obj.get("standard_order")),
        license_requirement=_text(obj.get("license_requirement")),
        license_policy=_text(obj.get("license_policy")),
        call_sign=_text(obj.get("call_sign")),
        vessel_type=_text(obj.get("vessel_type")),
        gross_tonnage=_text(obj.get("gross_tonnage")),
        gross_registered_tonnage=_text(obj.get("gross_registered_tonnage")),
        vessel_flag=_text(obj.get("vessel_flag")),
        vessel_owner=_text(obj.get("vessel_owner")),
        remarks=_text(obj.get("remarks")),
        source_list_url=_text(obj.get("source_list_url")),
        source_information_url=_text(obj.get("source_information_url")),
        alt_names=[
            n
            for n in (clean_text(_LEADING_AND.sub("", v.strip())) for v in _as_list(obj.get("alt_names")))
            if n
        ],
        citizenships=[n for n in (clean_text(v) for v in _as_list(obj.get("citizenships"))) if n],
        nationalities=[n for n in (clean_text(v) for v in _as_list(obj.get("nationalities"))) if n],
        dates_of_birth=[n for n in (clean_text(v) for v in _as_list(obj.get("dates_of_birth"))) if n],
        places_of_birth=[n for n in (clean_text(v) for v in _as_list(obj.get("places_of_birth"))) if n],
        ids=ids,
    )


def _published_at(sources_used: Any) -> str | None:
    """The newest ``source_last_updated`` of ``sources_used``: when the file was last rebuilt."""
    if not isinstance(sources_used, list):
        return None
    stamps = []
    for item in sources_used:
        if isinstance(item, dict):
            stamp = parse_datetime(_text(item.get("source_last_updated")))
            if stamp:
                stamps.append(stamp)
    return max(stamps) if stamps else None


def parse_json(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every object of ``results`` (or of a bare array) as one entity.

    ``published_at`` is the newest ``sources_used[].source_last_updated`` where the file has it.
    """
    file = files["main"]
    try:
        data = file.read_bytes()
    except (OSError, EOFError) as exc:
        raise ParseError(file.display, None, f"cannot read file: {_reason(exc)}") from None
    scanner = _JsonScanner(strip_bom(decode_utf8(data, file)), file)
    del data
    entities: list[Entity] = []
    ids = _Ids()
    meta: dict[str, Any] = {}
    found_results = False

    def consume(items: Iterator[tuple[int, Any]]) -> None:
        for index, (start, obj) in enumerate(items):
            where = f"line {scanner.line_at(start)}, results[{index}]"
            if not isinstance(obj, dict):
                raise ParseError(file.display, where, "a result must be a JSON object")
            record = _json_record(obj)
            for field_name in REQUIRED_COLUMNS:
                if not getattr(record, field_name):
                    raise ParseError(file.display, where, f"required field {field_name!r} is missing")
            entity = _build(record, source)
            ids.unique(entity, where)
            entities.append(entity)
            if progress is not None and len(entities) % _PROGRESS_EVERY == 0:
                progress(len(entities))

    first = scanner.peek()
    if first == "[":
        found_results = True
        consume(scanner.array_items())
    elif first == "{":
        scanner.pos += 1
        if scanner.peek() == "}":
            scanner.pos += 1
        else:
            while True:
                if scanner.peek() != '"':
                    raise scanner.error(scanner.pos, "bad JSON: expected a key")
                key = scanner.value()
                scanner.expect(":")
                if key == "results" and scanner.peek() == "[":
                    found_results = True
                    consume(scanner.array_items())
                else:
                    meta[key] = scanner.value()
                char = scanner.peek()
                if char == ",":
                    scanner.pos += 1
                    continue
                if char == "}":
                    scanner.pos += 1
                    break
                raise scanner.error(scanner.pos, "bad JSON: expected ',' or '}' in object")
    else:
        raise scanner.error(scanner.pos, "bad JSON: expected an object or an array")
    if scanner.peek():
        raise scanner.error(scanner.pos, "bad JSON: extra data after the document")
    if not found_results:
        raise ParseError(file.display, "line 1", "no 'results' array: not a CSL JSON file")
    if progress is not None:
        progress(len(entities))
    return ParseResult(
        source=source,
        entities=entities,
        published_at=_published_at(meta.get("sources_used")),
        warnings=ids.final_warnings(),
    )


FORMATS = [
    Format(
        name="csl-csv",
        sniff=sniff_csv,
        parse=parse_csv,
        description="trade.gov Consolidated Screening List, CSV (current layout with _id, or pre-2020)",
    ),
    Format(
        name="csl-json",
        sniff=sniff_json,
        parse=parse_json,
        description="trade.gov Consolidated Screening List, JSON (API / bulk download: results[])",
    ),
]
