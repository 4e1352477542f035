"""The FCDO's UK Sanctions List: the official CSV, and a normalised multi-file copy of it.

Since 2022 the UK Sanctions List (published by the FCDO) is the list designations are made on;
OFSI's ConList is derived from it. Every designation has a ``Unique ID`` whose three-letter prefix
names the regime (``GHR0078`` is under Global Human Rights, ``RUS0859`` under Russia); entity ids are
``uk-fcdo:{Unique ID}``.

``uk-fcdo-csv`` reads ``UK-Sanctions-List.csv``: a first line ``Report Date: 29-Apr-2026`` (the
publication date), then a header (``Last Updated, Unique ID, OFSI Group ID, UN Reference Number,
Name 6, Name 1..5, Name type, Alias strength, Title, Name non-latin script, …, Regime Name,
Designation Type, Designation source, Sanctions Imposed, Other Information, UK Statement of
Reasons, Address Line 1..6, …, Hull identification number (HIN)``), then one row per combination
of a designation's names, addresses, dates of birth and other repeated fields. Rows are grouped by
Unique ID and the repeats folded. Columns are found by name, so added or reordered columns do not
break the parser.

``uk-fcdo-derived`` reads a third party's normalised copy of that CSV (``subjects.csv``,
``subject_names.csv``, ``subject_identifiers.csv`` and ``subject_dobs.csv``). Its date-of-birth table
is known to attach dates to the wrong subjects, so it is never loaded: a warning says it was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tamga.dates import parse_date
from tamga.model import Designation, Entity, Name, Relation
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
from tamga.sources.uk_ofsi import (
    RowGroup,
    add_birth_places,
    add_country,
    add_identifier,
    add_property,
    build_name,
    head_records,
    make_address,
    read_csv_records,
    script_language,
    split_numbered,
    split_registration_numbers,
    uk_date,
)

SOURCE = "uk-fcdo"
AUTHORITY = "UK"
LIST_NAME = "UK Sanctions List"
SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
PROGRESS_EVERY = 500

# Regime of a designation, from the prefix of its Unique ID (names as OFSI prints the regimes).
REGIMES = {
    "AFG": "Afghanistan",
    "AQD": "ISIL (Da'esh) and Al-Qaida",
    "BEL": "Belarus",
    "BIH": "Bosnia and Herzegovina",
    "CAF": "Central African Republic",
    "CHW": "Chemical Weapons",
    "CTD": "Counter-Terrorism (Domestic)",
    "CTI": "Counter-Terrorism (International)",
    "CYB": "Cyber",
    "DPR": "Democratic People's Republic of Korea",
    "DRC": "Democratic Republic of the Congo",
    "GAC": "Global Anti-Corruption",
    "GHR": "Global Human Rights",
    "GIM": "Global Irregular Migration",
    "GUB": "Guinea-Bissau",
    "GUC": "Guinea",
    "HAI": "Haiti",
    "INU": "Iran (Nuclear)",
    "IRN": "Iran",
    "IRQ": "Iraq",
    "LIB": "Libya",
    "MAL": "Mali",
    "MYA": "Myanmar",
    "NIC": "Nicaragua",
    "RUS": "Russia",
    "SOM": "Somalia",
    "SSU": "South Sudan",
    "SUD": "Sudan",
    "SYR": "Syria",
    "VEN": "Venezuela",
    "YEM": "Yemen",
}

SUBJECT_TYPES = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

# Name type (official spelling, or the derived copy's) -> (name kind, quality).
NAME_TYPES = {
    "primary name": ("primary", None),
    "primary": ("primary", None),
    "primary name variation": ("aka", "variation"),
    "primary_variation": ("aka", "variation"),
    "variation": ("aka", "variation"),
    "alias": ("aka", None),
}

TYPE_COLUMNS = ("Designation Type", "Individual, Entity, Ship")
# Columns that vary between the rows of one designation for its names; the rest repeats.
NAME_COLUMNS = frozenset(
    [f"Name {i}" for i in range(1, 7)]
    + [
        "Name type",
        "Alias strength",
        "Name non-latin script",
        "Non-latin script type",
        "Non-latin script language",
    ]
)
CSV_REQUIRED = ("Unique ID", "Name 6", "Name type")


def regime_of(unique_id: str) -> str | None:
    """The regime a Unique ID belongs to, from its three-letter prefix; ``None`` if unknown."""
    return REGIMES.get(unique_id[:3].upper())


def _name_kind(name_type: str, alias_strength: str) -> tuple[str | None, str | None]:
    """Name kind and quality from ``Name type`` and ``Alias strength`` (low quality -> weak)."""
    kind, quality = NAME_TYPES.get(name_type.strip().lower(), (None, None))
    strength = alias_strength.strip().lower()
    if strength.startswith("low"):
        return "weak", "low"
    if strength.startswith("good") and kind is not None and quality is None and kind != "primary":
        quality = "good"
    return kind, quality


class _Subject(RowGroup):
    """One designation being assembled from its rows."""

    def add_name(self, name: Name | None) -> None:
        if name is not None and self.once("name", f"{name.kind}|{name.quality}|{name.full}"):
            self.entity.names.append(name)


def _role(files: dict[str, InputFile], role: str, fmt: str) -> InputFile:
    """The file of ``role``; a :class:`ParseError` naming the given files when it is missing."""
    file = files.get(role)
    if file is None:
        given = ", ".join(f.display for f in files.values()) or fmt
        raise ParseError(given, None, f"{fmt}: no {role} file given")
    return file


def _read_text(file: InputFile) -> str:
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ParseError(file.display, None, f"cannot read file: {exc.strerror or exc}") from None
    return strip_bom(decode_utf8(data, file))


# --------------------------------------------------------------------------------------------
# The official CSV
# --------------------------------------------------------------------------------------------


def sniff_csv(file: InputFile) -> FileKind | None:
    """Recognise ``UK-Sanctions-List.csv`` by the ``Unique ID``, ``Name 6`` and ``Name type`` columns."""
    for record in head_records(file)[:2]:
        cells = {c.strip() for c in record}
        if all(col in cells for col in CSV_REQUIRED):
            return FileKind(format="uk-fcdo-csv", source=SOURCE, role="main")
    return None


_REPORT_DATE = re.compile(r"^\s*Report Date\s*:?\s*(.+?)\s*$", re.I)


def parse_csv(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Read the official CSV into one entity per Unique ID, in order of first appearance."""
    file = _role(files, "main", "uk-fcdo-csv")
    text = _read_text(file)
    published_at: str | None = None
    header: list[str] | None = None
    type_column: str | None = None
    subjects: dict[str, _Subject] = {}
    warnings: list[str] = []
    unknown_name_types: set[str] = set()
    next_report = PROGRESS_EVERY

    for line, row in read_csv_records(text, file):
        if header is None:
            m = _REPORT_DATE.match(row[0]) if row else None
            if m and "Unique ID" not in row:
                published_at = parse_date(m.group(1))
                continue
            header = [c.strip() for c in row]
            missing = [c for c in CSV_REQUIRED if c not in header]
            type_column = next((c for c in TYPE_COLUMNS if c in header), None)
            if type_column is None:
                missing.append(TYPE_COLUMNS[0])
            if missing:
                raise ParseError(file.display, f"line {line}", f"header lacks column(s) {', '.join(missing)}")
            continue
        if len(row) != len(header):
            raise ParseError(
                file.display, f"line {line}", f"expected {len(header)} columns, found {len(row)}"
            )
        rec = {k: v.strip() for k, v in zip(header, row, strict=True)}
        details = "\x1f".join([rec[c] for c in header if c not in NAME_COLUMNS])
        assert type_column is not None
        _add_csv_row(rec, details, line, file, source, type_column, subjects, unknown_name_types)
        if progress is not None and len(subjects) >= next_report:
            progress(len(subjects))
            next_report += PROGRESS_EVERY

    if header is None:
        raise ParseError(
            file.display, "line 1", "no UK Sanctions List header row (Unique ID, Name 6, …) found"
        )
    entities = []
    for subject in subjects.values():
        entity = subject.entity
        if subject.remarks:
            entity.remarks = "\n".join(subject.remarks)
        if subject.last_updated:
            add_property(entity, "last_updated", subject.last_updated)
        if not entity.names:
            warnings.append(f"{entity.id} (line {subject.line}) has no name")
        entities.append(entity)
    for name_type in sorted(unknown_name_types):
        warnings.append(f"unknown Name type {name_type!r} read as aka")
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=published_at, warnings=warnings)


def _add_csv_row(
    rec: dict[str, str],
    details: str,
    line: int,
    file: InputFile,
    source: str,
    type_column: str,
    subjects: dict[str, _Subject],
    unknown_name_types: set[str],
) -> None:
    unique_id = rec.get("Unique ID", "")
    if not unique_id:
        raise ParseError(file.display, f"line {line}", "missing Unique ID")
    subject = subjects.get(unique_id)
    if subject is None:
        type_text = rec.get(type_column, "")
        if not type_text:
            raise ParseError(file.display, f"line {line}", f"missing {type_column} for {unique_id}")
        schema = SUBJECT_TYPES.get(type_text.lower())
        if schema is None:
            raise ParseError(file.display, f"line {line}", f"unknown {type_column} {type_text!r}")
        subject = _Subject(entity=Entity(id=f"{source}:{unique_id}", schema=schema), line=line)
        subjects[unique_id] = subject
    entity = subject.entity
    get = rec.get

    # Names
    name_type = get("Name type", "")
    kind, quality = _name_kind(name_type, get("Alias strength", ""))
    if kind is None:
        if name_type:
            unknown_name_types.add(name_type)
        kind = "aka"
    subject.add_name(
        build_name(
            entity.schema, [get(f"Name {i}", "") for i in range(1, 6)], get("Name 6", ""), kind, quality
        )
    )
    non_latin = get("Name non-latin script", "")
    if non_latin:
        lang = script_language(get("Non-latin script language"))
        subject.add_name(Name(full=non_latin, kind="aka", lang=lang))
    if not subject.once("details", details):
        return  # the same facts as an earlier row of this designation, under another name

    # Designation
    regime_name = get("Regime Name", "")
    if subject.once("regime", regime_name):
        entity.designations.append(
            Designation(
                authority=AUTHORITY,
                list=LIST_NAME,
                program=regime_of(unique_id) or regime_name or None,
                listed_on=uk_date(get("Date Designated")),
                legal_basis=regime_name or None,
                reason=get("UK Statement of Reasons") or None,
                source_url=SOURCE_URL,
            )
        )
    add_property(entity, "designation_source", get("Designation source"))
    for measure in (get("Sanctions Imposed") or "").split("|"):
        add_property(entity, "sanctions_imposed", measure)
    add_property(entity, "ofsi_group_id", get("OFSI Group ID"))
    add_property(entity, "un_reference_number", get("UN Reference Number"))
    other = get("Other Information", "")
    if other and subject.once("remarks", other):
        subject.remarks.append(other)
    updated = uk_date(get("Last Updated"))
    if updated and (subject.last_updated is None or updated > subject.last_updated):
        subject.last_updated = updated

    # Person details
    add_property(entity, "title", get("Title"))
    for raw in split_numbered(get("D.O.B")):
        dob = uk_date(raw)
        if dob and dob not in entity.birth_dates:
            entity.birth_dates.append(dob)
    add_birth_places(entity, get("Town of birth", ""), get("Country of birth", ""))
    for text in split_numbered(get("Nationality(/ies)")):
        add_country(entity, text, "nationality")
    for value in split_numbered(get("Position")):
        add_property(entity, "position", value)
    gender = (get("Gender") or "").lower()
    if gender in ("male", "female"):
        add_property(entity, "gender", gender)
    if number := get("Passport number"):
        add_identifier(entity, subject.once, "passport", number, note=get("Passport additional information"))
    if number := get("National Identifier number"):
        add_identifier(
            entity,
            subject.once,
            "national_id",
            number,
            note=get("National Identifier additional information"),
        )

    # Contact and address
    country_text = get("Address Country", "")
    add_country(entity, country_text, "country")
    address = make_address(
        [get(f"Address Line {i}", "") for i in range(1, 7)], get("Address Postal Code", ""), country_text
    )
    if address is not None and subject.once("address", address.full or ""):
        entity.addresses.append(address)
    for prop, col in (("phone", "Phone number"), ("website", "Website"), ("email", "Email address")):
        add_property(entity, prop, get(col))

    # Organisation details
    add_property(entity, "entity_type", get("Type of entity"))
    for scheme, number, printed in split_registration_numbers(get("Business registration number (s)")):
        add_identifier(entity, subject.once, scheme, number, note=printed if printed != number else None)
    for parent in _split_names(get("Parent company")):
        _add_relation(subject, Relation(kind="subsidiary_of", target_name=parent))
    for child in _split_names(get("Subsidiaries")):
        _add_relation(subject, Relation(kind="linked_to", target_name=child, note="subsidiary"))

    # Ship details
    if imo := get("IMO number"):
        add_identifier(entity, subject.once, "imo", imo)
    if hin := get("Hull identification number (HIN)"):
        add_identifier(entity, subject.once, "other", hin, note="Hull identification number (HIN)")
    for owner in _split_names(get("Current owner/operator (s)")):
        _add_relation(subject, Relation(kind="owned_by", target_name=owner, note="current owner/operator"))
    for owner in _split_names(get("Previous owner/operator (s)")):
        _add_relation(subject, Relation(kind="linked_to", target_name=owner, note="previous owner/operator"))
    for prop, col in (
        ("flag", "Current believed flag of ship"),
        ("vessel_type", "Type of ship"),
        ("tonnage", "Tonnage of ship"),
        ("length", "Length of ship"),
        ("build_year", "Year Built"),
    ):
        add_property(entity, prop, get(col))
    for flag in split_numbered(get("Previous flags")):
        add_property(entity, "past_flags", flag)


def _split_names(text: str | None) -> list[str]:
    """Company names in a cell: numbered items, or items separated by ``;`` or ``|``."""
    out: list[str] = []
    for item in split_numbered(text):
        for part in re.split(r"\s*[;|]\s*", item):
            part = part.strip(" ,.")
            if part and part not in out:
                out.append(part)
    return out


def _add_relation(subject: _Subject, relation: Relation) -> None:
    if subject.once("relation", f"{relation.kind}|{relation.target_name}|{relation.note}"):
        subject.entity.relations.append(relation)


# --------------------------------------------------------------------------------------------
# The derived (normalised) copy
# --------------------------------------------------------------------------------------------

DERIVED_HEADERS = {
    "subjects": ("unique_id", "subject_type", "un_reference_number", "ofsi_group_id", "date_designated"),
    "names": ("name_id", "unique_id", "name_type", "alias_strength", "full_name", "name_6"),
    "dobs": ("dob_id", "unique_id", "year", "month", "day", "precision"),
    "identifiers": ("id", "unique_id", "ofsi_group_id", "raw_value", "identifier_type"),
}

IDENTIFIER_TYPES = {
    "passport": "passport",
    "national": "national_id",
    "imo": "imo",
    "hull": "other",
}


def sniff_derived(file: InputFile) -> FileKind | None:
    """Recognise each table of the derived set by its exact leading header columns."""
    records = head_records(file, count=1)
    if not records:
        return None
    header = tuple(c.strip() for c in records[0])
    for role, columns in DERIVED_HEADERS.items():
        if header[: len(columns)] == columns:
            return FileKind(format="uk-fcdo-derived", source=SOURCE, role=role)
    return None


def _derived_rows(file: InputFile, role: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of one derived table as dicts, after checking its header and every row's width."""
    text = _read_text(file)
    records = read_csv_records(text, file)
    try:
        line, header = next(records)
    except StopIteration:
        raise ParseError(file.display, "line 1", f"empty {role} table") from None
    header = [c.strip() for c in header]
    columns = DERIVED_HEADERS[role]
    if tuple(header[: len(columns)]) != columns:
        raise ParseError(file.display, f"line {line}", f"not a {role} table: header starts {header[:3]}")
    for line, row in records:
        if len(row) != len(header):
            raise ParseError(
                file.display, f"line {line}", f"expected {len(header)} columns, found {len(row)}"
            )
        yield line, dict(zip(header, row, strict=True))


def _required(rec: dict[str, str], column: str, file: InputFile, line: int) -> str:
    value = rec.get(column, "").strip()
    if not value:
        raise ParseError(file.display, f"line {line}", f"missing {column}")
    return value


def parse_derived(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Read the normalised tables into one entity per subject, in ``subjects.csv`` order."""
    for role in ("subjects", "names"):
        _role(files, role, "uk-fcdo-derived")
    warnings: list[str] = []
    if "dobs" in files:
        warnings.append(
            f"{files['dobs'].display}: not loaded; the derived date-of-birth table attaches dates "
            "to the wrong subjects"
        )
    subjects: dict[str, _Subject] = {}
    file = files["subjects"]
    for line, rec in _derived_rows(file, "subjects"):
        unique_id = _required(rec, "unique_id", file, line)
        type_text = _required(rec, "subject_type", file, line)
        schema = SUBJECT_TYPES.get(type_text.lower())
        if schema is None:
            raise ParseError(file.display, f"line {line}", f"unknown subject_type {type_text!r}")
        if unique_id in subjects:
            warnings.append(f"{file.display}: line {line}: {unique_id} repeated; first row kept")
            continue
        entity = Entity(id=f"{source}:{unique_id}", schema=schema)
        program = regime_of(unique_id)
        if program is None:
            program = unique_id.rstrip("0123456789") or None
            warnings.append(f"{unique_id}: unknown regime prefix {program!r}")
        entity.designations.append(
            Designation(
                authority=AUTHORITY,
                list=LIST_NAME,
                program=program,
                listed_on=uk_date(rec.get("date_designated")),
                source_url=SOURCE_URL,
            )
        )
        add_property(entity, "ofsi_group_id", rec.get("ofsi_group_id"))
        add_property(entity, "un_reference_number", rec.get("un_reference_number"))
        add_property(entity, "last_updated", uk_date(rec.get("last_updated")))
        subjects[unique_id] = _Subject(entity=entity, line=line)
        if progress is not None and len(subjects) % PROGRESS_EVERY == 0:
            progress(len(subjects))

    _derived_names(files["names"], subjects, warnings)
    if "identifiers" in files:
        _derived_identifiers(files["identifiers"], subjects, warnings)

    entities = []
    for subject in subjects.values():
        if not subject.entity.names:
            warnings.append(f"{subject.entity.id} has no name")
        entities.append(subject.entity)
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=None, warnings=warnings)


def _derived_names(file: InputFile, subjects: dict[str, _Subject], warnings: list[str]) -> None:
    orphans = 0
    unknown_types: set[str] = set()
    for line, rec in _derived_rows(file, "names"):
        unique_id = _required(rec, "unique_id", file, line)
        subject = subjects.get(unique_id)
        if subject is None:
            orphans += 1
            continue
        name_type = rec.get("name_type", "")
        kind, quality = _name_kind(name_type, rec.get("alias_strength", ""))
        if kind is None:
            unknown_types.add(name_type)
            kind = "aka"
        schema = subject.entity.schema
        parts = [rec.get(f"name_{i}", "") for i in range(1, 6)]
        if schema == "Person":
            full = _required(rec, "full_name", file, line)
            name = build_name(schema, parts, rec.get("name_6", ""), kind, quality, full=full)
        else:
            # Organisation names are in name_6; the copy sometimes repeats them in name_1 as well.
            name = build_name(schema, parts, rec.get("name_6", ""), kind, quality)
            if name is None:
                text = _required(rec, "full_name", file, line)
                name = Name(full=text, kind=kind, quality=quality)
        subject.add_name(name)
    if orphans:
        warnings.append(f"{file.display}: {orphans} name row(s) for subjects not in the subjects table")
    for name_type in sorted(unknown_types):
        warnings.append(f"{file.display}: unknown name_type {name_type!r} read as aka")


def _derived_identifiers(file: InputFile, subjects: dict[str, _Subject], warnings: list[str]) -> None:
    orphans = 0
    unknown_types: set[str] = set()
    seen: set[tuple[str, ...]] = set()
    for line, rec in _derived_rows(file, "identifiers"):
        unique_id = _required(rec, "unique_id", file, line)
        # The copy repeats each number once per row of the official file it came from.
        key = (unique_id, *(rec.get(c, "") for c in ("identifier_type", "raw_value", "additional_info")))
        if key in seen:
            continue
        seen.add(key)
        subject = subjects.get(unique_id)
        if subject is None:
            orphans += 1
            continue
        raw = rec.get("raw_value", "").strip()
        if not raw:
            continue
        id_type = rec.get("identifier_type", "").strip()
        note = rec.get("additional_info", "").strip() or None
        if id_type == "business_registration_numbers":
            for scheme, number, printed in split_registration_numbers(raw):
                add_identifier(
                    subject.entity, subject.once, scheme, number, note=printed if printed != number else None
                )
            continue
        scheme = IDENTIFIER_TYPES.get(id_type)
        if scheme is None:
            unknown_types.add(id_type)
            scheme = "other"
        if id_type == "hull":
            note = note or "Hull identification number (HIN)"
        add_identifier(subject.entity, subject.once, scheme, raw, note=note)
    if orphans:
        warnings.append(f"{file.display}: {orphans} identifier row(s) for subjects not in the subjects table")
    for id_type in sorted(unknown_types):
        warnings.append(f"{file.display}: unknown identifier_type {id_type!r} kept as scheme 'other'")


FORMATS = [
    Format(
        name="uk-fcdo-csv",
        sniff=sniff_csv,
        parse=parse_csv,
        roles=("main",),
        required_roles=("main",),
        description="FCDO UK Sanctions List, official CSV (UK-Sanctions-List.csv)",
    ),
    Format(
        name="uk-fcdo-derived",
        sniff=sniff_derived,
        parse=parse_derived,
        roles=("subjects", "names", "dobs", "identifiers"),
        required_roles=("subjects", "names"),
        description="UK Sanctions List as normalised tables (subjects, subject_names, subject_identifiers)",
    ),
]
