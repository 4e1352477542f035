"""FollowTheMoney (FtM) JSON lines, the export format of OpenSanctions and yente.

Each line is one FtM entity: ``{"id", "schema", "properties": {prop: [values]}, "datasets", …}``.
Only "things" that can be screened become :class:`~tamga.model.Entity` records: Person; Organization,
Company, LegalEntity and PublicBody (as ``Organization``); Vessel; Airplane (as ``Aircraft``). The
other schemata describe those things and are folded into them:

- ``Sanction`` -> a :class:`~tamga.model.Designation` on its ``entity`` (``list`` = the Sanction's
  first dataset, e.g. ``us_ofac_sdn``; ``authority`` = tamga's code for the body, e.g. ``US-OFAC``);
- ``Address`` -> an :class:`~tamga.model.Address` on every thing whose ``addressEntity`` names it;
- ``Ownership`` -> ``owned_by`` (with the share) on the ``asset``; ``Directorship``, ``Family``,
  ``Associate``, ``UnknownLink``, ``Membership``, ``Employment``, ``Representation``, ``Succession``,
  ``Payment``, ``Debt`` -> ``linked_to`` on the edge's source side (director, person, payer…);
- ``Identification``/``Passport`` (on ``holder``), ``CryptoWallet`` (on ``holder``) and
  ``Security`` (ISIN on ``issuer``) -> identifiers;
- ``Occupancy`` -> the ``Position`` name in ``properties["position"]`` of its ``holder``.

Links may point at entities later in the file: the file is read once, line by line; things become
entities at once, and the small link records wait in memory until the end, when they are attached.

Source slug: ``ftm-<dataset>``. The dataset is the one dataset that every record in the first 64 KiB
names (an OpenSanctions per-dataset export); where they name several (a merged export such as
yente's fixtures, whose records keep the datasets they came from) or none, it is the file stem
(``zala.ftm.json`` -> ``zala``). ``--source`` overrides it. Entity ids are ``{source}:{FtM id}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from tamga.dates import parse_date
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Designation, Entity, Identifier, Name, Relation, clean_text
from tamga.sources.base import SNIFF_BYTES, FileKind, Format, InputFile, ParseError, ParseResult, Progress

THING_SCHEMATA = {
    "Person": "Person",
    "Organization": "Organization",
    "Company": "Organization",
    "LegalEntity": "Organization",
    "PublicBody": "Organization",
    "Vessel": "Vessel",
    "Airplane": "Aircraft",
}

# Edge schemata: (property of the side that receives the relation, property of the target, kind).
EDGES = {
    "Ownership": ("asset", "owner", "owned_by"),
    "Directorship": ("director", "organization", "linked_to"),
    "Family": ("person", "relative", "linked_to"),
    "Associate": ("person", "associate", "linked_to"),
    "UnknownLink": ("subject", "object", "linked_to"),
    "Membership": ("member", "organization", "linked_to"),
    "Employment": ("employee", "employer", "linked_to"),
    "Representation": ("agent", "client", "linked_to"),
    "Succession": ("predecessor", "successor", "linked_to"),
    "Payment": ("payer", "beneficiary", "linked_to"),
    "Debt": ("debtor", "creditor", "linked_to"),
}

# Thing properties that are identifiers: property -> (scheme, country implied by the scheme).
ID_PROPERTIES = {
    "innCode": ("inn", "ru"),
    "ogrnCode": ("ogrn", "ru"),
    "kppCode": ("kpp", "ru"),
    "okpoCode": ("okpo", None),
    "taxNumber": ("tax_id", None),
    "vatCode": ("tax_id", None),
    "registrationNumber": ("registration", None),
    "leiCode": ("lei", None),
    "swiftBic": ("swift", None),
    "bicCode": ("swift", None),
    "isin": ("isin", None),
    "isinCode": ("isin", None),
    "ticker": ("ticker", None),
    "imoNumber": ("imo", None),
    "mmsi": ("mmsi", None),
    "passportNumber": ("passport", None),
    "idNumber": ("national_id", None),
    "socialSecurityNumber": ("national_id", None),
    "dunsCode": ("duns", None),
    "email": ("email", None),
    "website": ("website", None),
    "phone": ("phone", None),
    "serialNumber": ("aircraft_serial", None),
}

NAME_KINDS = (("name", "primary"), ("alias", "aka"), ("previousName", "fka"), ("weakAlias", "weak"))
NAME_PARTS = {"firstName": "given", "middleName": "middle", "lastName": "family", "fatherName": "patronymic"}
COUNTRY_ROLES = {
    "nationality": "nationality",
    "citizenship": "citizenship",
    "country": "country",
    "mainCountry": "country",
    "jurisdiction": "jurisdiction",
}
REMARK_PROPERTIES = ("notes", "summary", "description")
# Entity references on things; handled (addressEntity, parent, owner, operator) or not shown.
REFERENCE_PROPERTIES = {"addressEntity", "parent", "owner", "operator", "proof", "noteEntities"}
HANDLED = (
    {p for p, _ in NAME_KINDS}
    | set(ID_PROPERTIES)
    | set(COUNTRY_ROLES)
    | set(REMARK_PROPERTIES)
    | REFERENCE_PROPERTIES
    | {"abbreviation", "birthDate", "birthPlace", "address"}
)

_PROGRESS_EVERY = 1000
_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_SLUG = re.compile(r"[^a-z0-9_-]+")
_LONG_FIRST_LINE = re.compile(rb'^\s*\{\s*"(?:id|schema|caption|properties)"\s*:')


def _snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def _values(props: dict[str, Any], name: str) -> list[str]:
    """The cleaned, non-empty string values of one property (FtM lists; a bare string is tolerated)."""
    raw = props.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raw = [raw]
    out = []
    for value in raw:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = clean_text(str(value))
            if text:
                out.append(text)
    return out


def _first(props: dict[str, Any], name: str) -> str | None:
    values = _values(props, name)
    return values[0] if values else None


def _add_prop(entity: Entity, key: str, value: str) -> None:
    values = entity.properties.setdefault(key, [])
    if value not in values:
        values.append(value)


# --- detection --------------------------------------------------------------------------------


def _stem(name: str) -> str:
    """``zala.ftm.json`` -> ``zala``: the file name without its JSON/FtM suffixes, as a slug."""
    stem = name
    suffixes = (".json", ".jsonl", ".ndjson", ".ftm")
    while any(stem.lower().endswith(s) for s in suffixes):
        stem = stem[: stem.rindex(".")]
    slug = _SLUG.sub("_", stem.lower()).strip("_")
    return slug or "data"


def source_for(records: list[dict[str, Any]], file_name: str) -> str:
    """``ftm-<dataset>``: the one dataset all ``records`` share, else the file stem."""
    datasets: set[str] = set()
    for record in records:
        names = record.get("datasets")
        if not isinstance(names, list) or not names:
            return f"ftm-{_stem(file_name)}"
        datasets.update(str(n) for n in names)
    if len(datasets) == 1:
        slug = _SLUG.sub("_", next(iter(datasets)).lower()).strip("_")
        if slug:
            return f"ftm-{slug}"
    return f"ftm-{_stem(file_name)}"


def _is_record(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("schema"), str)
        and isinstance(obj.get("properties"), dict)
    )


def sniff(file: InputFile) -> FileKind | None:
    """JSON lines whose first non-empty line is an object with ``schema`` and ``properties``."""
    try:
        head = file.head()
    except (OSError, EOFError):
        return None
    complete = len(head) < SNIFF_BYTES
    lines = head.split(b"\n")
    if not complete:
        lines = lines[:-1]  # the last piece may be cut
    records: list[dict[str, Any]] = []
    for raw in lines:
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            if not records:
                return None
            break
        if not _is_record(obj):
            if not records:
                return None
            break
        records.append(obj)
    if not records:
        # A first line longer than the sniff window: judge by its opening keys.
        text = head.lstrip(b"\xef\xbb\xbf")
        if (
            lines
            or not _LONG_FIRST_LINE.match(text)
            or not re.search(rb'"schema"\s*:\s*"[A-Z]', text)
            or not re.search(rb'"properties"\s*:\s*\{', text)
        ):
            return None
        match = re.search(rb'"datasets"\s*:\s*\[\s*"([^"]+)"\s*\]', text)
        stub = {"datasets": [match.group(1).decode("utf-8", "replace")]} if match else {}
        return FileKind(format="ftm-json", source=source_for([stub], file.name))
    return FileKind(format="ftm-json", source=source_for(records, file.name))


# --- link records held until the end ----------------------------------------------------------


@dataclass
class _Links:
    """What the non-thing records say about things, keyed by the FtM id of the thing."""

    designations: dict[str, list[Designation]] = field(default_factory=dict)
    relations: dict[str, list[tuple[str, Relation]]] = field(default_factory=dict)
    identifiers: dict[str, list[Identifier]] = field(default_factory=dict)
    positions: dict[str, list[str]] = field(default_factory=dict)  # holder -> position ids
    addresses: dict[str, Address] = field(default_factory=dict)  # Address id -> record
    position_names: dict[str, str] = field(default_factory=dict)  # Position id -> name
    skipped: dict[str, int] = field(default_factory=dict)
    dangling_targets: int = 0  # relations kept although their target is not in the file

    def add(self, table: dict[str, list[Any]], key: str, item: Any) -> None:
        table.setdefault(key, []).append(item)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1


_AUTHORITY_TEXT = (
    ("foreign assets control", "US-OFAC"),
    ("ofac", "US-OFAC"),
    ("bureau of industry and security", "US-BIS"),
    ("defense trade controls", "US-DDTC"),
    ("department of state", "US-State"),
    ("state department", "US-State"),
    ("security council", "UN"),
    ("united nations", "UN"),
    ("financial sanctions implementation", "UK"),
    ("ofsi", "UK"),
    ("hm treasury", "UK"),
    ("foreign, commonwealth", "UK"),
    ("global affairs canada", "CA"),
)
# Sanction countries that stand for one tamga authority whatever body the record names.
_AUTHORITY_COUNTRY = {"eu": "EU", "zz": "UN"}


def _authority(props: dict[str, Any]) -> str:
    """The tamga authority code of a Sanction: known bodies by name, else the country's code.

    ``UK`` and ``US-*`` are kept for the sanctions bodies themselves; a UK court or the Insolvency
    Service (director disqualifications) is ``GB``, an unknown US body ``US``.
    """
    text = " ".join(_values(props, "authority")).lower()
    for needle, code in _AUTHORITY_TEXT:
        if needle in text:
            return code
    country = (_first(props, "country") or "").lower()
    if country in _AUTHORITY_COUNTRY:
        return _AUTHORITY_COUNTRY[country]
    program = (_first(props, "programId") or "").upper()
    if program.startswith("US-"):
        return "US"
    if country:
        return country.upper()
    return _first(props, "authority") or "unknown"


_SHORT_PROGRAM = 64


def _dates(props: dict[str, Any], name: str) -> list[str]:
    return sorted(d for d in (parse_date(v) for v in _values(props, name)) if d)


def _designation(record: dict[str, Any]) -> Designation:
    props = record["properties"]
    datasets = record.get("datasets")
    list_name = str(datasets[0]) if isinstance(datasets, list) and datasets else None
    # The list's own program name ("RUSSIA-EO14024", "UKR") compares with tamga's other parsers;
    # long ones are legal texts ("Ordinance of 4 March 2022 …"): then OpenSanctions' programId.
    program_id = _first(props, "programId")
    program_text = _first(props, "program")
    if program_text and len(program_text) <= _SHORT_PROGRAM:
        program, legal_basis = program_text, None
    else:
        program, legal_basis = program_id or program_text, program_text if program_id else None
    starts = _dates(props, "startDate") or _dates(props, "listingDate")
    ends = _dates(props, "endDate")
    reasons = _values(props, "reason")
    return Designation(
        authority=_authority(props),
        list=list_name or _first(props, "authority") or "Sanction",
        program=program,
        listed_on=starts[0] if starts else None,
        removed_on=ends[-1] if ends else None,
        legal_basis=legal_basis,
        reason="; ".join(reasons) or None,
        source_url=_first(props, "sourceUrl"),
    )


def _share(props: dict[str, Any]) -> float | None:
    for value in _values(props, "percentage"):
        try:
            share = float(value.rstrip("%").replace(",", ".").strip())
        except ValueError:
            continue
        if 0 <= share <= 100:
            return share
    return None


def _edge_note(schema: str, props: dict[str, Any]) -> str:
    parts = [schema]
    detail = _first(props, "role") or _first(props, "relationship")
    if detail:
        parts.append(detail)
    if schema == "Payment":
        amount = _first(props, "amountEur")
        if amount:
            parts.append(f"EUR {amount}")
        elif _first(props, "amount"):
            parts.append(" ".join(v for v in (_first(props, "currency"), _first(props, "amount")) if v))
    if schema == "Ownership" and _first(props, "sharesCount"):
        parts.append(f"shares {_first(props, 'sharesCount')}")
    start, end, date = _first(props, "startDate"), _first(props, "endDate"), _first(props, "date")
    if date:
        parts.append(date)
    if start or end:
        parts.append(f"{start or '?'} to {end or 'present'}" if end else f"since {start}")
    return "; ".join(parts)


def _address(props: dict[str, Any]) -> Address | None:
    street = _first(props, "street")
    city = _first(props, "city")
    region = _first(props, "region") or _first(props, "state")
    postal = _first(props, "postalCode")
    country = _first(props, "country")
    full = _first(props, "full") or ", ".join(
        p for p in (_first(props, "postOfficeBox"), street, city, region, postal) if p
    )
    if not full and not country:
        return None
    return Address(
        full=full or None,
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country.lower() if country else None,
    )


def _document(schema: str, props: dict[str, Any]) -> Identifier | None:
    number = _first(props, "number") or _first(props, "passportNumber")
    if not number:
        return None
    kind = _first(props, "type") or schema
    lowered = kind.lower()
    if schema == "Passport" or "passport" in lowered:
        scheme = "passport"
    elif "tax" in lowered:
        scheme = "tax_id"
    else:
        scheme = "national_id"
    value = normalise_identifier(scheme, number)
    if not value:
        return None
    country = _first(props, "country")
    notes = [kind]
    if _first(props, "startDate"):
        notes.append(f"issued {_first(props, 'startDate')}")
    if _first(props, "endDate"):
        notes.append(f"expires {_first(props, 'endDate')}")
    return Identifier(
        scheme=scheme,
        value=value,
        country=country.lower() if country else None,
        raw=number,
        note="; ".join(notes),
        valid=identifier_valid(scheme, value),
    )


def _collect_link(record: dict[str, Any], links: _Links, source: str) -> None:
    """Keep what a non-thing record says, as a small record keyed by the thing it is about."""
    schema = record["schema"]
    props = record["properties"]
    if schema == "Sanction":
        targets = _values(props, "entity")
        if not targets:
            links.skip("Sanction without entity")
        if targets:
            designation = _designation(record)
            for target in targets:
                links.add(links.designations, target, replace(designation))
    elif schema == "Address":
        address = _address(props)
        if address is not None:
            links.addresses[record["id"]] = address
    elif schema in EDGES:
        side, other, kind = EDGES[schema]
        holders, targets = _values(props, side), _values(props, other)
        if not holders or not targets:
            links.skip(f"{schema} without {side} or {other}")
            return
        note = _edge_note(schema, props)
        share = _share(props) if schema == "Ownership" else None
        for holder in holders:
            for target in targets:
                relation = Relation(kind=kind, target_id=f"{source}:{target}", share=share, note=note)
                links.add(links.relations, holder, (target, relation))
    elif schema in ("Identification", "Passport"):
        identifier = _document(schema, props)
        if identifier is None:
            links.skip(f"{schema} without number")
            return
        for holder in _values(props, "holder"):
            links.add(links.identifiers, holder, replace(identifier))
    elif schema == "CryptoWallet":
        key = _first(props, "publicKey")
        if key:
            for holder in _values(props, "holder"):
                identifier = Identifier(
                    scheme="crypto_wallet",
                    value=normalise_identifier("crypto_wallet", key),
                    raw=key,
                    note=_first(props, "currency"),
                )
                links.add(links.identifiers, holder, identifier)
    elif schema == "Security":
        isin = _first(props, "isin")
        if isin:
            value = normalise_identifier("isin", isin)
            for issuer in _values(props, "issuer"):
                identifier = Identifier(
                    "isin", value, raw=isin, note="Security", valid=identifier_valid("isin", value)
                )
                links.add(links.identifiers, issuer, identifier)
    elif schema == "Position":
        name = _first(props, "name")
        if name:
            links.position_names[record["id"]] = name
    elif schema == "Occupancy":
        for holder in _values(props, "holder"):
            for post in _values(props, "post"):
                links.add(links.positions, holder, post)
    else:
        links.skip(f"schema {schema}")


# --- things -----------------------------------------------------------------------------------


def _names(entity: Entity, props: dict[str, Any], caption: str | None) -> set[str]:
    """Names by kind; parts go on the name when there is exactly one. Returns the parts used.

    The primary name is the record's ``caption`` (the name OpenSanctions shows) where it is one of
    the ``name`` values, else the first of them; the other ``name`` values are ``aka``.
    """
    seen: set[str] = set()
    names = _values(props, "name")
    if caption in names:
        names.remove(caption)
        names.insert(0, caption)
    for prop, kind in NAME_KINDS:
        values = names if prop == "name" else _values(props, prop)
        for index, text in enumerate(values):
            if text in seen:
                continue
            seen.add(text)
            kind_here = kind if prop != "name" or index == 0 else "aka"
            entity.names.append(Name(full=text, kind=kind_here))
    for text in _values(props, "abbreviation"):
        if text not in seen:
            seen.add(text)
            entity.names.append(Name(full=text, kind="weak"))
    used: set[str] = set()
    if entity.schema != "Person":
        return used
    parts = {attr: _values(props, prop) for prop, attr in NAME_PARTS.items()}
    single = {attr: values[0] for attr, values in parts.items() if len(values) == 1}
    primary = [n for n in entity.names if n.kind == "primary"]
    if len(primary) == 1 and len(_values(props, "name")) == 1 and single:
        for attr, value in single.items():
            setattr(primary[0], attr, value)
        used = {prop for prop, attr in NAME_PARTS.items() if attr in single}
    elif not entity.names and single:
        order = ("given", "middle", "patronymic", "family")
        full = " ".join(single[a] for a in order if a in single)
        entity.names.append(Name(full=full, kind="primary", **single))
        used = {prop for prop, attr in NAME_PARTS.items() if attr in single}
    return used


def _identifiers(entity: Entity, props: dict[str, Any]) -> None:
    for prop, (scheme, country) in ID_PROPERTIES.items():
        values = _values(props, prop)
        if not values:
            continue
        if prop == "idNumber" and entity.schema != "Person":
            scheme = "registration"
        if prop == "registrationNumber" and entity.schema == "Aircraft":
            scheme = "aircraft_tail"
        if prop == "serialNumber" and entity.schema != "Aircraft":
            continue
        for raw in values:
            value = normalise_identifier(scheme, raw)
            if value:
                entity.identifiers.append(
                    Identifier(
                        scheme=scheme,
                        value=value,
                        country=country,
                        raw=raw,
                        note=prop,
                        valid=identifier_valid(scheme, value),
                    )
                )


def _thing(record: dict[str, Any], schema: str, source: str) -> Entity:
    props = record["properties"]
    entity = Entity(id=f"{source}:{record['id']}", schema=schema)
    caption = record.get("caption")
    used_parts = _names(entity, props, clean_text(caption) if isinstance(caption, str) else None)
    _identifiers(entity, props)
    for text in _values(props, "birthDate"):
        date = parse_date(text)
        if date and date not in entity.birth_dates:
            entity.birth_dates.append(date)
        elif not date:
            _add_prop(entity, "birth_date_text", text)
    entity.birth_places.extend(_values(props, "birthPlace"))
    for prop, role in COUNTRY_ROLES.items():
        for code in _values(props, prop):
            entity.countries.append(Country(code.lower(), role))
    for text in _values(props, "address"):
        entity.addresses.append(Address(full=text))
    remarks = [text for prop in REMARK_PROPERTIES for text in _values(props, prop)]
    entity.remarks = "\n".join(remarks) or None
    for prop in sorted(props):
        if prop in HANDLED or prop in used_parts:
            continue
        key = f"{_snake(schema)}_type" if prop == "type" else _snake(prop)
        for value in _values(props, prop):
            _add_prop(entity, key, value)
    if record.get("target") is True:
        _add_prop(entity, "target", "true")
    for key in ("datasets", "referents"):
        items = record.get(key)
        if isinstance(items, list):
            for item in items:
                if isinstance(item, str) and item:
                    _add_prop(entity, key, item)
    return entity


@dataclass
class _Pending:
    """A thing's own references (addressEntity, parent, owner, operator), resolved at the end."""

    address_ids: list[str]
    refs: list[tuple[str, str, str]]  # (relation kind, target FtM id, note)


def _pending(record: dict[str, Any], schema: str) -> _Pending:
    props = record["properties"]
    refs = [("subsidiary_of", t, "parent") for t in _values(props, "parent")]
    if schema in ("Vessel", "Aircraft"):
        refs += [("owned_by", t, "owner") for t in _values(props, "owner")]
        refs += [("linked_to", t, "operator") for t in _values(props, "operator")]
    return _Pending(_values(props, "addressEntity"), refs)


def _lines(file: InputFile) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line, decoded strictly as UTF-8."""
    try:
        stream = file.open()
    except OSError as exc:
        raise ParseError(file.display, None, f"cannot read file: {exc.strerror or exc}") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ParseError(
                    file.display,
                    f"line {number}, column {exc.start + 1}",
                    f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                ) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            if text.strip():
                yield number, text


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every Person, organisation, Vessel and Airplane of the file, with their links folded in."""
    file = files["main"]
    entities: list[Entity] = []
    index: dict[str, int] = {}
    pending: list[_Pending] = []
    links = _Links()
    warnings: list[str] = []
    duplicates = 0
    nameless = 0
    try:
        for number, text in _lines(file):
            where = f"line {number}"
            try:
                record = json.loads(text)
            except ValueError as exc:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise ParseError(file.display, where, f"bad JSON: {message}") from None
            except RecursionError:
                raise ParseError(file.display, where, "bad JSON: nested too deeply") from None
            if not isinstance(record, dict):
                raise ParseError(file.display, where, "a line must hold one JSON object")
            for key in ("id", "schema"):
                if not isinstance(record.get(key), str) or not record[key].strip():
                    raise ParseError(file.display, where, f"required field {key!r} is missing")
            if not isinstance(record.get("properties"), dict):
                raise ParseError(file.display, where, "required field 'properties' is missing")
            schema = THING_SCHEMATA.get(record["schema"])
            if schema is None:
                _collect_link(record, links, source)
                continue
            if record["id"] in index:
                duplicates += 1
                continue
            entity = _thing(record, schema, source)
            if not entity.names:
                nameless += 1
            index[record["id"]] = len(entities)
            entities.append(entity)
            pending.append(_pending(record, schema))
            if progress is not None and len(entities) % _PROGRESS_EVERY == 0:
                progress(len(entities))
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ParseError(file.display, None, f"cannot read file: {reason}") from None

    _attach(entities, index, pending, links, source)
    if duplicates:
        warnings.append(f"{duplicates} repeated entity ids: the first record of each was kept")
    if nameless:
        warnings.append(f"{nameless} entities have no name")
    for why, count in sorted(links.skipped.items()):
        warnings.append(f"skipped {count} record(s): {why}")
    if links.dangling_targets:
        warnings.append(
            f"{links.dangling_targets} relation(s) point to entities not in the file (kept by target id)"
        )
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=None, warnings=warnings)


def _attach(
    entities: list[Entity], index: dict[str, int], pending: list[_Pending], links: _Links, source: str
) -> None:
    """Fold the link records into the things they name, in file order."""
    for entity, todo in zip(entities, pending, strict=True):
        resolved = []
        for address_id in todo.address_ids:
            address = links.addresses.get(address_id)
            if address is None:
                links.skip("addressEntity not in the file")
                continue
            resolved.append(address)
        # An FtM thing often repeats its linked addresses as text: keep the one with parts.
        resolved_full = {(a.full or "").casefold() for a in resolved}
        entity.addresses = [a for a in entity.addresses if (a.full or "").casefold() not in resolved_full]
        entity.addresses.extend(resolved)
        for kind, target, note in todo.refs:
            entity.relations.append(Relation(kind=kind, target_id=f"{source}:{target}", note=note))
    dangling = 0
    for ftm_id, designations in links.designations.items():
        position = index.get(ftm_id)
        if position is None:
            dangling += len(designations)
            continue
        entities[position].designations.extend(designations)
    for ftm_id, relations in links.relations.items():
        position = index.get(ftm_id)
        if position is None:
            dangling += len(relations)
            continue
        for target, relation in relations:
            if target not in index:
                links.dangling_targets += 1
            entities[position].relations.append(relation)
    for ftm_id, identifiers in links.identifiers.items():
        position = index.get(ftm_id)
        if position is None:
            dangling += len(identifiers)
            continue
        entities[position].identifiers.extend(identifiers)
    for ftm_id, posts in links.positions.items():
        position = index.get(ftm_id)
        if position is None:
            dangling += len(posts)
            continue
        for post in posts:
            name = links.position_names.get(post)
            if name:
                _add_prop(entities[position], "position", name)
    if dangling:
        links.skipped["link to no person, organisation, vessel or aircraft in the file"] = dangling


FORMATS = [
    Format(
        name="ftm-json",
        sniff=sniff,
        parse=parse,
        description="FollowTheMoney entities as JSON lines (OpenSanctions / yente exports)",
    )
]
