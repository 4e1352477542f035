"""OFAC's legacy CSV files: the SDN set and the consolidated (non-SDN) set.

Each list comes as up to four header-less CSV files joined on ``ent_num``:

===========  ======================  ==================================================================
role         SDN / non-SDN file      columns
===========  ======================  ==================================================================
primary      sdn.csv / cons_prim.csv ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
                                     Tonnage, GRT, Vess_flag, Vess_owner, Remarks
alt          alt.csv / cons_alt.csv  ent_num, alt_num, alt_type (aka|fka|nka), alt_name, alt_remarks
add          add.csv / cons_add.csv  ent_num, Add_num, Address, City/State/Province/Postal, Country,
                                     Add_remarks
comments     sdn_comments.csv /      ent_num, remarks_extended (Remarks beyond 1,000 characters)
             cons_comments.csv
===========  ======================  ==================================================================

Nulls are written ``-0-`` (with a trailing space), lines end in CRLF and the file ends with a DOS
EOF byte (0x1A). Most facts (birth dates, documents, ISINs, links) sit in the free-text Remarks,
which :mod:`tamga.sources.ofac_remarks` takes apart. The files carry no publication date.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tamga.collector import collector_paused
from tamga.countries import country_code
from tamga.model import Address, Designation, Entity, Name, Relation, clean_text
from tamga.sources.base import (
    SNIFF_BYTES,
    FileKind,
    Format,
    InputFile,
    ParseError,
    ParseResult,
    Progress,
    decode_utf8,
    strip_bom,
)
from tamga.sources.ofac_programs import designations, split_programs
from tamga.sources.ofac_remarks import parse_remarks, split_remarks

FORMAT = "ofac-csv"
ROLES = ("primary", "alt", "add", "comments")
COLUMNS = {"primary": 12, "alt": 5, "add": 6, "comments": 2}
SCHEMA_BY_TYPE = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft", None: "Organization"}
ALT_KINDS = ("aka", "fka", "nka")
# OFAC cuts Remarks at this many characters and continues them in the comments file.
REMARKS_CUT = 1000

_NULL = "-0-"
_EOF = "\x1a"
_INT = re.compile(r"^-?\d+$")
# One line of an OFAC CSV: every field is a number, the null marker or a double-quoted string.
_OFAC_LINE = re.compile(r'(?:"[^"]*"|-0- ?|\d+)(?:,(?:"[^"]*"|-0- ?|\d+))*')
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.I)
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_NO_FLAG = {"none identified"}
_EO_NUMBER = re.compile(r"\bEO\s*(\d{5})\b")


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def _role_of(fields: list[str]) -> str | None:
    """The role a row's shape implies, or ``None`` when it is no OFAC CSV row."""
    n = len(fields)
    if not fields or not _INT.match(fields[0].strip()):
        return None
    if n == 12:
        kind = fields[2].strip().lower()
        ok = kind in ("individual", "vessel", "aircraft", _NULL) and _value(fields[1]) is not None
        return "primary" if ok else None
    if n == 5:
        ok = _INT.match(fields[1].strip()) is not None and fields[2].strip().lower() in ALT_KINDS
        return "alt" if ok else None
    if n == 6:
        return "add" if _INT.match(fields[1].strip()) else None
    if n == 2:
        return "comments" if _value(fields[1]) is not None else None
    return None


def sniff(file: InputFile) -> FileKind | None:
    """Recognise one file of an OFAC CSV set by the shape of its first rows.

    OFAC's files have no header, quote every non-null field, write nulls as ``-0-`` and start each
    row with the integer ``ent_num``; the column count gives the role. The name only tells the
    SDN set (``sdn.csv``…) from the non-SDN set (``cons_*.csv``).
    """
    try:
        head = file.head()
        if not head:
            return None
        text = head.decode("utf-8", errors="replace")
        lines = text.split("\n")
        if len(head) >= SNIFF_BYTES:
            lines = lines[:-1]  # the last line may be cut short
        sample = [line.rstrip("\r") for line in lines if line.strip(" \r\t" + _EOF)][:5]
        if not sample:
            return None
        role = None
        for line in sample:
            if not _OFAC_LINE.fullmatch(line):
                return None
            line_role = _role_of(next(csv.reader([line])))
            if line_role is None or (role is not None and line_role != role):
                return None
            role = line_role
        if role is None:
            return None
        source = "ofac-cons" if file.name.lower().startswith("cons_") else "ofac-sdn"
        return FileKind(FORMAT, source, role)
    except Exception:  # sniffing must never fail on foreign content
        return None


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _value(field: str) -> str | None:
    """A field's text, ``None`` for OFAC's null marker or an empty field."""
    text = field.strip()
    if not text or text == _NULL:
        return None
    return text


def read_rows(file: InputFile, role: str) -> Iterator[tuple[int, list[str]]]:
    """``(line number, fields)`` for each row of one file, checked for encoding and column count.

    The line number is the physical line (1-based) on which the row starts, for error messages.
    """
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ParseError(file.display, None, f"cannot read file: {exc.strerror or exc}") from None
    text = strip_bom(decode_utf8(data, file))
    if text.endswith(_EOF):
        text = text[:-1]
    expected = COLUMNS[role]
    reader = csv.reader(io.StringIO(text, newline="\n"), strict=True)
    last = 0
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "end of data" in message:
                message = "file ends inside a quoted field (cut short?)"
            raise ParseError(file.display, f"line {start}", f"bad CSV: {message}") from None
        last = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip(" \r\t" + _EOF)):
            continue
        if len(row) != expected:
            raise ParseError(
                file.display,
                f"line {start}",
                f"expected {expected} fields for an OFAC {role} file, found {len(row)}",
            )
        yield start, row


def _ent_num(file: InputFile, line: int, field: str, column: str = "ent_num") -> int:
    if field.isdigit():
        return int(field)
    text = field.strip()
    if not _INT.match(text):
        raise ParseError(file.display, f"line {line}", f"{column} {text!r} is not a number")
    return int(text)


# --------------------------------------------------------------------------------------------
# Building entities
# --------------------------------------------------------------------------------------------


def split_person_name(full: str) -> tuple[str | None, str | None]:
    """``LAST, First`` -> ``(family, given)``; suffixes such as ``Jr.`` are left out of the parts.

    OFAC writes individuals' names surname first, separated by a comma; the full name is kept
    as published, the parts let a matcher compare surnames and given names separately.
    """
    if "," not in full:
        return None, None
    parts = [p.strip() for p in full.split(",")]
    parts = [p for p in parts if p and not _SUFFIX.match(p)]
    if len(parts) < 2:
        return None, None
    return parts[0], " ".join(parts[1:])


def _name(full: str, kind: str, person: bool, quality: str | None = None) -> Name:
    family, given = split_person_name(full) if person else (None, None)
    return Name(full=full, kind=kind, family=family, given=given, quality=quality)


def _quality(alt_remarks: str | None) -> str | None:
    """alt_remarks that grade the alias (``Low quality``, ``Good quality``), else ``None``."""
    if not alt_remarks:
        return None
    text = alt_remarks.lower()
    if "low quality" in text or "weak" in text:
        return "low"
    if "good quality" in text or "strong" in text:
        return "good"
    return None


def _number(text: str) -> str:
    return text.replace(",", "") if _THOUSANDS.match(text) else text


def _add(props: dict[str, list[str]], key: str, value: str | None) -> None:
    value = clean_text(value)
    if value:
        values = props.setdefault(key, [])
        if value not in values:
            values.append(value)


@dataclass
class _Pending:
    """An entity being assembled, with the rows of the other files that join to it."""

    entity: Entity
    alt: list[tuple[int, int, Name]]
    add: list[tuple[int, int, Address]]


def _primary_entity(
    file: InputFile, line: int, row: list[str], source: str, extended: str | None
) -> tuple[int, Entity]:
    ent_num = _ent_num(file, line, row[0])
    name = _value(row[1])
    if name is None:
        raise ParseError(file.display, f"line {line}", f"entry {ent_num} has no SDN_Name")
    sdn_type = _value(row[2])
    kind = sdn_type.lower() if sdn_type else None
    if kind not in SCHEMA_BY_TYPE:
        raise ParseError(file.display, f"line {line}", f"unknown SDN_Type {sdn_type!r}")
    schema = SCHEMA_BY_TYPE[kind]
    person = schema == "Person"

    remarks_text = _value(row[11])
    if extended:
        remarks_text = (row[11] if remarks_text else "") + extended
        remarks_text = remarks_text.strip()
    titles = split_remarks(_value(row[4])) if _value(row[4]) else []
    remarks = parse_remarks(remarks_text, titles)

    props: dict[str, list[str]] = {}
    for title in titles:
        _add(props, "title", title)
    _add(props, "call_sign", _value(row[5]))
    _add(props, "vessel_type", _value(row[6]))
    if tonnage := _value(row[7]):
        _add(props, "tonnage", _number(tonnage))
    if grt := _value(row[8]):
        _add(props, "gross_registered_tonnage", _number(grt))
    flag = _value(row[9])
    if flag and flag.lower() not in _NO_FLAG:
        _add(props, "flag", country_code(flag) or flag)
    relations: list[Relation] = []
    owner = _value(row[10])
    if owner:
        _add(props, "owner", owner)
        relations.append(Relation(kind="owned_by", target_name=clean_text(owner)))
    for key, values in remarks.properties.items():  # already clean and without duplicates
        if key in props:
            props[key].extend(v for v in values if v not in props[key])
        else:
            props[key] = values
    relations.extend(remarks.relations)

    programs = split_programs(_value(row[3]))
    found = designations(programs, source)
    _set_listed_on(found, remarks.listing_dates, source)
    names = [_name(name, "primary", person)]
    for extra in remarks.names:
        names.append(_name(extra.full, extra.kind, person) if person else extra)
    entity = Entity(
        id=f"{source}:{ent_num}",
        schema=schema,
        names=names,
        identifiers=remarks.identifiers,
        birth_dates=remarks.birth_dates,
        birth_places=remarks.birth_places,
        countries=remarks.countries,
        designations=found,
        relations=relations,
        remarks=remarks_text,
        properties=props,
    )
    return ent_num, entity


def _set_listed_on(found: list[Designation], listing_dates: list[tuple[str, str]], source: str) -> None:
    """Date each designation from the listing dates the remarks give for its program.

    ``Listing Date (CMIC) …`` dates the ``CMIC-EO13959`` listing; ``Listing Date (EO 14024
    Directive 2): …`` dates a ``RUSSIA-EO14024`` non-SDN listing. On the SDN list a directive
    date is not the date of the SDN designation, so there only the CMIC date is used.
    """
    for designation in found:
        program = (designation.program or "").upper()
        dates: list[str] = []
        for qualifier, date in listing_dates:
            tag = qualifier.upper()
            if tag == "CMIC":
                if program.startswith("CMIC"):
                    dates.append(date)
            elif source != "ofac-sdn" and (m := _EO_NUMBER.search(tag)) and f"EO{m.group(1)}" in program:
                dates.append(date)
        if dates:
            designation.listed_on = min(dates)


def _address(row: list[str]) -> Address | None:
    street, city, country = _value(row[2]), _value(row[3]), _value(row[4])
    if not (street or city or country):
        return None
    full = ", ".join(p for p in (street, city, country) if p)
    return Address(
        full=clean_text(full),
        street=clean_text(street),
        city=clean_text(city),
        country=country_code(country) if country else None,
    )


def _read_comments(file: InputFile) -> dict[int, str]:
    extended: dict[int, str] = {}
    for line, row in read_rows(file, "comments"):
        ent_num = _ent_num(file, line, row[0])
        text = row[1] if _value(row[1]) else ""
        extended[ent_num] = extended.get(ent_num, "") + text
    return extended


def _orphan_warning(file: InputFile, primary: InputFile, rows: int, ents: set[int]) -> str:
    return (
        f"{file.name}: skipped {rows:,} rows for {len(ents):,} ent_nums that are not in "
        f"{primary.name} (files from different dates?)"
    )


def _link_targets(entities: list[Entity]) -> None:
    """Give ``Linked To``/owner relations the target's id where exactly one entry bears that name."""
    by_name: dict[str, list[str]] = {}
    for entity in entities:
        by_name.setdefault(entity.names[0].full, []).append(entity.id)
    for entity in entities:
        for relation in entity.relations:
            if relation.target_id is None and relation.target_name:
                ids = by_name.get(relation.target_name, [])
                if len(ids) == 1 and ids[0] != entity.id:
                    relation.target_id = ids[0]


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every entry of one OFAC CSV set, with aliases, addresses and the full remarks joined in.

    Rows of the alt, add and comments files whose ``ent_num`` is not in the primary file are
    skipped and counted in one warning per file: OFAC publishes the four files together, and a
    mismatch means they come from different days.
    """
    with collector_paused():  # some 400,000 small objects, no cycles
        return _parse(files, source, progress)


def _parse(files: dict[str, InputFile], source: str, progress: Progress | None) -> ParseResult:
    primary = files.get("primary")
    if primary is None:
        where = next(iter(files.values())).display if files else "(no files)"
        raise ParseError(where, None, "an OFAC CSV set needs its primary file (sdn.csv or cons_prim.csv)")
    warnings: list[str] = []
    for role in files:
        if role not in ROLES:
            warnings.append(f"{files[role].name}: role {role!r} is not part of an OFAC CSV set; ignored")

    extended: dict[int, str] = {}
    comments = files.get("comments")
    if comments is not None:
        extended = _read_comments(comments)

    # The primary file's raw Remarks, to check that a comments row continues it.
    pending: dict[int, _Pending] = {}
    order: list[int] = []
    mismatched: list[int] = []
    for line, row in read_rows(primary, "primary"):
        ent_num = _ent_num(primary, line, row[0])
        if ent_num in pending:
            raise ParseError(primary.display, f"line {line}", f"ent_num {ent_num} appears twice")
        extra = extended.get(ent_num)
        if extra is not None and len(row[11]) < REMARKS_CUT:
            # Remarks shorter than OFAC's cut cannot continue elsewhere: the files do not match.
            mismatched.append(ent_num)
            extra = None
        _, entity = _primary_entity(primary, line, row, source, extra)
        pending[ent_num] = _Pending(entity, [], [])
        order.append(ent_num)
        if progress is not None and len(order) % 1000 == 0:
            progress(len(order))
    if not order:
        # OFAC's feeds have been seen serving a zero-byte sdn.csv; that is no empty list.
        raise ParseError(primary.display, None, "the primary file has no entries")
    if comments is not None:
        orphan_comments = [e for e in extended if e not in pending]
        if orphan_comments:
            warnings.append(_orphan_warning(comments, primary, len(orphan_comments), set(orphan_comments)))
        if mismatched:
            warnings.append(
                f"{comments.name}: ignored {len(mismatched):,} rows whose entry's Remarks are shorter than "
                f"{REMARKS_CUT:,} characters, so they cannot continue them (files from different dates?)"
            )

    alt = files.get("alt")
    if alt is not None:
        orphans: set[int] = set()
        orphan_rows = 0
        for line, row in read_rows(alt, "alt"):
            ent_num = _ent_num(alt, line, row[0])
            alt_num = _ent_num(alt, line, row[1], "alt_num")
            target = pending.get(ent_num)
            if target is None:
                orphans.add(ent_num)
                orphan_rows += 1
                continue
            alt_type = (_value(row[2]) or "").lower()
            if alt_type not in ALT_KINDS:
                message = f"alt_type {row[2].strip()!r} is not aka/fka/nka"
                raise ParseError(alt.display, f"line {line}", message)
            alt_name = _value(row[3])
            if alt_name is None:
                raise ParseError(alt.display, f"line {line}", f"alias {alt_num} has no alt_name")
            person = target.entity.schema == "Person"
            name = _name(alt_name, alt_type, person, _quality(_value(row[4])))
            target.alt.append((alt_num, line, name))
        if orphans:
            warnings.append(_orphan_warning(alt, primary, orphan_rows, orphans))

    add = files.get("add")
    if add is not None:
        orphans = set()
        orphan_rows = 0
        for line, row in read_rows(add, "add"):
            ent_num = _ent_num(add, line, row[0])
            add_num = _ent_num(add, line, row[1], "Add_num")
            target = pending.get(ent_num)
            if target is None:
                orphans.add(ent_num)
                orphan_rows += 1
                continue
            address = _address(row)
            if address is not None:
                target.add.append((add_num, line, address))
        if orphans:
            warnings.append(_orphan_warning(add, primary, orphan_rows, orphans))

    entities: list[Entity] = []
    for ent_num in order:
        item = pending.pop(ent_num)
        entity = item.entity
        if item.alt:
            # primary name first, then aliases in alt_num order, then the remarks' weak aliases
            aliases = [name for _, _, name in sorted(item.alt, key=lambda a: (a[0], a[1]))]
            entity.names = entity.names[:1] + aliases + entity.names[1:]
        entity.addresses = [a for _, _, a in sorted(item.add, key=lambda a: (a[0], a[1]))]
        entities.append(entity)
    _link_targets(entities)
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=None, warnings=warnings)


FORMATS = [
    Format(
        name=FORMAT,
        sniff=sniff,
        parse=parse,
        roles=ROLES,
        required_roles=("primary",),
        description="OFAC SDN / consolidated non-SDN CSV set (sdn.csv, alt.csv, add.csv, sdn_comments.csv)",
    )
]
