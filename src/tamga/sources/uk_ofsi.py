"""HM Treasury / OFSI Consolidated List of Financial Sanctions Targets (``ConList.csv``).

The file has one row per name of a target: a person with three aliases is four rows that repeat
the person's other fields, and rows of one target share a ``Group ID``. Rows are grouped by that id
into one entity ``uk-hmt:{Group ID}``. Two layouts are in use and both are read by column name:

* the original layout (to 2022): ``Name 6, Name 1..5, Title, DOB, Town of Birth, Country of Birth,
  Nationality, Passport Details, NI Number, Position, Address 1..6, Post/Zip Code, Country, Other
  Information, Group Type, Alias Type, Regime, Listed On, Last Updated, Group ID``;
* the "2022 format", which adds ``Name Non-Latin Script``, ``Passport Number``, ``National
  Identification Number/Details``, ``Alias Quality`` and ``UK Sanctions List Date Designated``.

The official file starts with a banner line ``Last Updated,dd/mm/yyyy`` (the publication date);
copies without it are accepted. Old files are Windows-1252, newer ones UTF-8 (with or without BOM).

The helpers at the bottom (UK dates, numbered lists, registration numbers, CSV reading with line
numbers) are shared with :mod:`tamga.sources.uk_fcdo`, whose list uses the same conventions.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tamga.countries import country_code
from tamga.dates import parse_date
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Designation, Entity, Identifier, Name
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

SOURCE = "uk-hmt"
AUTHORITY = "UK"
LIST_NAME = "UK Consolidated List of Financial Sanctions Targets"
SOURCE_URL = "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"

GROUP_TYPES = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

# Alias Type -> (name kind, quality). "Prime Alias" is the pre-2022 spelling of "Primary name".
ALIAS_TYPES = {
    "primary name": ("primary", None),
    "prime alias": ("primary", None),
    "primary name variation": ("aka", "variation"),
    "aka": ("aka", None),
    "alias": ("aka", None),
    "fka": ("fka", None),
    "nka": ("nka", None),
}

# Columns that vary between the rows of one target (one row per name); the rest repeats.
NAME_COLUMNS = frozenset(
    [f"Name {i}" for i in range(1, 7)]
    + [
        "Alias Type",
        "Alias Quality",
        "Name Non-Latin Script",
        "Non-Latin Script Type",
        "Non-Latin Script Language",
    ]
)

# Columns that must be in the header for the file to be read at all.
REQUIRED_COLUMNS = ("Name 6", "Group Type", "Group ID")
PROGRESS_EVERY = 500


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def head_records(file: InputFile, count: int = 3) -> list[list[str]]:
    """The first few CSV records of a file, decoded leniently; ``[]`` for anything unreadable."""
    try:
        head = file.head()
    except OSError:
        return []
    if b"\x00" in head[:4096]:
        return []
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    # Only complete lines: the 64 KiB cut may end inside a row.
    lines = text.splitlines()[: count + 1]
    try:
        records = [r for r in csv.reader(lines) if any(c.strip() for c in r)]
    except csv.Error:
        return []
    return records[:count]


def sniff(file: InputFile) -> FileKind | None:
    """Recognise ``ConList.csv`` by its header: ``Name 6``, ``Group Type`` and ``Group ID`` columns.

    The FCDO UK Sanctions List also has ``Name 6`` but no ``Group ID`` column (it has ``OFSI Group
    ID`` and ``Unique ID``), so the two are never confused.
    """
    records = head_records(file)
    for record in records[:2]:
        cells = {c.strip() for c in record}
        if all(col in cells for col in REQUIRED_COLUMNS) and "Unique ID" not in cells:
            return FileKind(format="uk-ofsi-csv", source=SOURCE, role="main")
    return None


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


@dataclass
class RowGroup:
    """Everything collected for one target while its rows are read (both UK lists repeat a
    target over one row per name, address or date)."""

    entity: Entity
    line: int  # the target's first row
    seen: set[tuple[str, str]] = field(default_factory=set)
    remarks: list[str] = field(default_factory=list)
    last_updated: str | None = None

    def once(self, kind: str, key: str) -> bool:
        """True the first time ``(kind, key)`` is offered: rows repeat a target's fields."""
        token = (kind, key)
        if token in self.seen:
            return False
        self.seen.add(token)
        return True


def decode_ofsi(data: bytes, file: InputFile) -> str:
    """Decode a ConList: UTF-8 when it has a BOM or is valid UTF-8, else Windows-1252.

    A file that carries real UTF-8 sequences but also invalid bytes is corrupt UTF-8, not cp1252,
    and is refused with the line of the bad byte rather than silently turned into mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return strip_bom(decode_utf8(data, file))
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8")
    if _looks_like_utf8(data):
        decode_utf8(data, file)  # raises a ParseError naming line and column
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            file.display, f"line {line}", f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252"
        ) from None


def _looks_like_utf8(data: bytes) -> bool:
    """True when most non-ASCII characters decode as UTF-8 (cp1252 text rarely does by chance)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    return good > 0 and good >= bad


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Read ``ConList.csv`` into one entity per Group ID, in the order the groups first appear."""
    file = files.get("main")
    if file is None:
        given = ", ".join(f.display for f in files.values()) or "uk-ofsi-csv"
        raise ParseError(given, None, "uk-ofsi-csv: no main file given")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ParseError(file.display, None, f"cannot read file: {exc.strerror or exc}") from None
    text = decode_ofsi(data, file)
    del data

    published_at: str | None = None
    header: list[str] | None = None
    drop_first = False
    groups: dict[str, RowGroup] = {}
    warnings: list[str] = []
    unknown_alias_types: set[str] = set()
    next_report = PROGRESS_EVERY

    for line, row in read_csv_records(text, file):
        if header is None:
            first = row[0].strip() if row else ""
            if first == "Last Updated" and "Name 6" not in row:
                if published_at is None:
                    published_at = uk_date(row[1]) if len(row) > 1 else None
                continue
            header = [c.strip() for c in row]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise ParseError(file.display, f"line {line}", f"header lacks column(s) {', '.join(missing)}")
            continue
        if drop_first is False and header[0] == "" and len(row) == len(header) - 1:
            # Some copies carry an unnamed first header cell that the data rows do not have.
            header = header[1:]
            drop_first = True
        if len(row) != len(header):
            raise ParseError(
                file.display, f"line {line}", f"expected {len(header)} columns, found {len(row)}"
            )
        rec = {k: v.strip() for k, v in zip(header, row, strict=True)}
        details = "\x1f".join([rec[c] for c in header if c not in NAME_COLUMNS])
        _add_row(rec, details, line, file, source, groups, unknown_alias_types)
        if progress is not None and len(groups) >= next_report:
            progress(len(groups))
            next_report += PROGRESS_EVERY

    if header is None:
        raise ParseError(file.display, "line 1", "no ConList header row (Name 6, ..., Group ID) found")

    entities = []
    for group in groups.values():
        entity = group.entity
        if group.remarks:
            entity.remarks = "\n".join(group.remarks)
        if group.last_updated:
            entity.properties.setdefault("last_updated", []).append(group.last_updated)
        if not entity.names:
            warnings.append(f"{entity.id} (line {group.line}) has no name")
        entities.append(entity)
    for alias_type in sorted(unknown_alias_types):
        warnings.append(f"unknown Alias Type {alias_type!r} read as aka")
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=published_at, warnings=warnings)


def _get(rec: dict[str, str], column: str) -> str:
    """The (already stripped) value of ``column``, '' when the layout lacks the column."""
    return rec.get(column, "")


def _add_row(
    rec: dict[str, str],
    details: str,
    line: int,
    file: InputFile,
    source: str,
    groups: dict[str, RowGroup],
    unknown_alias_types: set[str],
) -> None:
    group_id = _get(rec, "Group ID")
    if not group_id:
        raise ParseError(file.display, f"line {line}", "missing Group ID")
    group = groups.get(group_id)
    if group is None:
        group_type = _get(rec, "Group Type")
        if not group_type:
            raise ParseError(file.display, f"line {line}", f"missing Group Type for group {group_id}")
        schema = GROUP_TYPES.get(group_type.lower())
        if schema is None:
            raise ParseError(file.display, f"line {line}", f"unknown Group Type {group_type!r}")
        group = RowGroup(entity=Entity(id=f"{source}:{group_id}", schema=schema), line=line)
        groups[group_id] = group

    _add_name(rec, group, unknown_alias_types)
    if not group.once("details", details):
        return  # the same facts as an earlier row of this group, under another name
    _add_person_fields(rec, group)
    _add_place_fields(rec, group)
    _add_identifiers(rec, group)
    _add_designation(rec, group)

    other = _get(rec, "Other Information")
    if other and group.once("remarks", other):
        group.remarks.append(other)
        _mine_other_information(other, group)

    updated = uk_date(_get(rec, "Last Updated"))
    if updated and (group.last_updated is None or updated > group.last_updated):
        group.last_updated = updated


def _add_name(rec: dict[str, str], group: RowGroup, unknown_alias_types: set[str]) -> None:
    entity = group.entity
    alias_type = _get(rec, "Alias Type")
    kind, quality = ALIAS_TYPES.get(alias_type.lower(), (None, None))
    if kind is None:
        if alias_type:
            unknown_alias_types.add(alias_type)
        kind = "aka"
    alias_quality = _get(rec, "Alias Quality").lower()
    if alias_quality.startswith("low"):
        kind, quality = "weak", "low"
    name = build_name(
        entity.schema,
        [_get(rec, f"Name {i}") for i in range(1, 6)],
        _get(rec, "Name 6"),
        kind,
        quality,
    )
    if name is not None:
        key = (name.full, name.kind, name.quality)
        if group.once("name", repr(key)):
            entity.names.append(name)
    non_latin = _get(rec, "Name Non-Latin Script")
    if non_latin and group.once("non_latin", non_latin):
        lang = script_language(_get(rec, "Non-Latin Script Language"))
        entity.names.append(Name(full=non_latin, kind="aka", lang=lang))


def build_name(
    schema: str,
    given_parts: list[str],
    last: str,
    kind: str,
    quality: str | None = None,
    full: str | None = None,
) -> Name | None:
    """A name from the UK lists' numbered parts: ``Name 1``..``Name 5`` then ``Name 6``.

    For a person ``Name 6`` is the surname, ``Name 1`` the first given name and ``Name 2..5`` the
    middle names; an organisation or ship carries its whole name in ``Name 6``. ``full`` replaces
    the joined parts as the printed name where a source gives one (persons only).
    """
    parts = [p.strip() for p in given_parts]
    last = last.strip()
    words = [p for p in [*parts, last] if p]
    if not words:
        return None
    if schema != "Person":
        # Organisation names sit in Name 6; a name repeated in another part is printed once.
        unique: list[str] = []
        for word in words:
            if word not in unique:
                unique.append(word)
        text = " ".join(unique)
        return Name(full=text, kind=kind, quality=quality)
    middle = " ".join(p for p in parts[1:] if p) or None
    text = full or " ".join(words)
    return Name(
        full=text,
        kind=kind,
        quality=quality,
        given=parts[0] or None,
        middle=middle,
        family=last or None,
    )


def _add_person_fields(rec: dict[str, str], group: RowGroup) -> None:
    entity = group.entity
    for raw in split_numbered(_get(rec, "DOB")):
        dob = uk_date(raw)
        if dob and dob not in entity.birth_dates:
            entity.birth_dates.append(dob)
    add_birth_places(entity, _get(rec, "Town of Birth"), _get(rec, "Country of Birth"))
    for prop, col in (("title", "Title"), ("position", "Position")):
        for value in split_numbered(_get(rec, col)):
            add_property(entity, prop, value)


def _add_place_fields(rec: dict[str, str], group: RowGroup) -> None:
    entity = group.entity
    for text in split_numbered(_get(rec, "Nationality")):
        add_country(entity, text, "nationality")
    country_text = _get(rec, "Country")
    for text in split_numbered(country_text):
        add_country(entity, text, "country")
    lines = [_get(rec, f"Address {i}") for i in range(1, 7)]
    postcode = _get(rec, "Post/Zip Code")
    address = make_address(lines, postcode, country_text)
    if address is not None and group.once("address", address.full or ""):
        entity.addresses.append(address)


def make_address(lines: list[str], postcode: str, country_text: str) -> Address | None:
    """An address from numbered lines, a postcode and a country; ``None`` when no line is given.

    A bare country is not an address (it is kept as a country link instead).
    """
    lines = [ln.strip() for ln in lines if ln and ln.strip()]
    postcode = postcode.strip()
    if not lines and not postcode:
        return None
    full = ", ".join(p for p in (*lines, postcode, country_text.strip()) if p)
    return Address(
        full=full,
        postal_code=postcode or None,
        country=_country_of(country_text),
    )


def _add_identifiers(rec: dict[str, str], group: RowGroup) -> None:
    entity = group.entity
    if "Passport Number" in rec:  # 2022 layout: number and details in separate columns
        add_numbers_with_details(
            entity, group, "passport", _get(rec, "Passport Number"), _get(rec, "Passport Details")
        )
        add_numbers_with_details(
            entity,
            group,
            "national_id",
            _get(rec, "National Identification Number"),
            _get(rec, "National Identification Details"),
        )
    else:  # original layout: free text only
        for scheme, col in (("passport", "Passport Details"), ("national_id", "NI Number")):
            for item in split_numbered(_get(rec, col)):
                number = first_number(item)
                if number is None:
                    add_property(entity, f"{scheme}_details", item)
                    continue
                note = item if item.strip(" .") != number else None
                add_identifier(entity, group.once, scheme, number, note=note)


def add_numbers_with_details(
    entity: Entity, group: RowGroup, scheme: str, numbers_text: str, details_text: str
) -> None:
    """Numbers from a number column, each paired with the matching item of its details column."""
    numbers = split_numbered(numbers_text)
    details = split_numbered(details_text)
    for i, number in enumerate(numbers):
        note = details[i] if len(details) == len(numbers) else (details_text.strip() or None)
        add_identifier(entity, group.once, scheme, number, note=note)


def _add_designation(rec: dict[str, str], group: RowGroup) -> None:
    regime = _get(rec, "Regime")
    if not regime or not group.once("regime", regime):
        return
    group.entity.designations.append(
        Designation(
            authority=AUTHORITY,
            list=LIST_NAME,
            program=regime,
            listed_on=uk_date(_get(rec, "Listed On")),
            source_url=SOURCE_URL,
        )
    )
    designated = uk_date(_get(rec, "UK Sanctions List Date Designated"))
    if designated:
        add_property(group.entity, "uk_date_designated", designated)


_UK_REF = re.compile(r"\(UK Sanctions List Ref\)\s*:\s*([A-Z]{3}\d{4})")
_GENDER = re.compile(r"\(Gender\)\s*:\s*(Male|Female)\b", re.I)
_IMO = re.compile(r"\bIMO(?:\s*(?:number|no\.?))?\s*[:.]?\s*(\d{7})\b", re.I)
_UN_REF = re.compile(
    r"\bUN\s*Ref(?:erence)?(?:\s*(?:No|Number)\.?)?\s*[:.]?\s*([A-Za-z]{2,4}\.[A-Za-z0-9.]*\d)"
)


def _mine_other_information(text: str, group: RowGroup) -> None:
    """Facts OFSI prints inside Other Information: UK list ref, gender, UN ref, IMO number."""
    entity = group.entity
    for m in _UK_REF.finditer(text):
        add_property(entity, "uk_sanctions_list_ref", m.group(1))
    for m in _GENDER.finditer(text):
        add_property(entity, "gender", m.group(1).lower())
    for m in _UN_REF.finditer(text):
        add_property(entity, "un_reference_number", m.group(1))
    for m in _IMO.finditer(text):
        add_identifier(entity, group.once, "imo", m.group(1))


FORMATS = [
    Format(
        name="uk-ofsi-csv",
        sniff=sniff,
        parse=parse,
        roles=("main",),
        required_roles=("main",),
        description="HM Treasury OFSI Consolidated List of Financial Sanctions Targets (ConList.csv)",
    )
]


# --------------------------------------------------------------------------------------------
# Helpers shared with the FCDO UK Sanctions List parser
# --------------------------------------------------------------------------------------------


def read_csv_records(text: str, file: InputFile) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(physical line where the record starts, cells)`` for every non-blank CSV record.

    Quoted cells may span lines, so the start line is tracked from the reader's line count: error
    messages then point at the line a user sees in an editor.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ParseError(file.display, f"line {start}", f"bad CSV: {exc}") from None
        if not row or not any(cell.strip() for cell in row):
            continue
        yield start, row


_NUMBERED = re.compile(r"\(\d{1,2}\)|(?<![\w(])\d{1,2}\)")
_LETTERED = re.compile(r"(?<![\w(])\(?[a-h]\)")


def split_numbered(text: str | None) -> list[str]:
    """Split the UK lists' enumerations ``(1) A (2) B``, ``1) A 2) B`` or ``a) A, b) B`` into items.

    Letters count as markers only when both ``a)`` and ``b)`` occur, so a stray ``(a)`` inside a
    single value does not cut it.
    """
    if not text:
        return []
    return list(_split_numbered(text))


@lru_cache(maxsize=8192)
def _split_numbered(text: str) -> tuple[str, ...]:
    parts = _NUMBERED.split(text)
    letters = {m.group(0).strip("()") for m in _LETTERED.finditer(text)}
    if {"a", "b"} <= letters:
        parts = [piece for part in parts for piece in _LETTERED.split(part)]
    items = (part.strip(" ,;") for part in parts)
    return tuple(item for item in items if any(ch.isalnum() for ch in item))


@lru_cache(maxsize=8192)
def uk_date(text: str | None) -> str | None:
    """A UK-list date ``dd/mm/yyyy`` as ISO, partial where the day or month is unknown.

    Unknown parts are printed as ``00`` (OFSI) or ``dd``/``mm`` (FCDO): ``00/00/1980`` -> ``1980``,
    ``dd/05/1961`` -> ``1961-05``. Other spellings go through :func:`tamga.dates.parse_date`.
    """
    if not text:
        return None
    value = text.strip()
    parts = re.split(r"[/.\-]", value)
    if len(parts) == 3 and len(parts[2]) == 4 and parts[2].isdigit():
        day, month, year = parts
        if int(year) == 0:
            return None
        if not month.isdigit() or int(month) == 0:
            return f"{int(year):04d}"
        if not day.isdigit() or int(day) == 0:
            return parse_date(f"{year}-{int(month):02d}")
        return parse_date(f"{year}-{int(month):02d}-{int(day):02d}")
    if len(parts) == 2 and len(parts[1]) == 4 and parts[1].isdigit():
        month, year = parts
        if month.isdigit() and 1 <= int(month) <= 12:
            return f"{year}-{int(month):02d}"
        return year
    return parse_date(value)


def _country_of(text: str | None) -> str | None:
    if not text:
        return None
    code = country_code(text)
    if code is None:
        # "Afghanistan (since 2009)", "Russia." -> look up without the bracketed remark.
        bare = re.sub(r"\([^)]*\)", "", text).strip(" .,;")
        code = country_code(bare) if bare and bare != text else None
    return code


def add_birth_places(entity: Entity, town: str, country: str) -> None:
    """Birth places from a town cell and a country cell, each place once.

    Both may be enumerations: ``(1) Ndele (2) Algenana`` with ``(1) CAR (2) Sudan`` pair up item by
    item; ``(1) X (2) Y`` with ``(1)-(2) Indonesia`` gives both towns the one country.
    """
    towns = split_numbered(town) or [""]
    countries = split_numbered(country) or [""]
    if len(countries) != len(towns):
        countries = [countries[-1] if len(countries) == 1 else " ".join(country.split())] * len(towns)
    for item, item_country in zip(towns, countries, strict=True):
        has_country = item_country and item_country.lower() not in item.lower()
        place = ", ".join(p for p in (item, item_country if has_country else "") if p)
        place = " ".join(place.split())
        if place and place not in entity.birth_places:
            entity.birth_places.append(place)


def add_country(entity: Entity, text: str, role: str) -> None:
    """Link a country by name; names that resolve to no country are kept as a property."""
    text = text.strip(" .,;")
    if not text:
        return
    code = _country_of(text)
    if code is None:
        add_property(entity, role, text)
        return
    if not any(c.code == code and c.role == role for c in entity.countries):
        entity.countries.append(Country(code=code, role=role))


def add_property(entity: Entity, key: str, value: str | None) -> None:
    """Append a property value once."""
    if value is None:
        return
    value = " ".join(value.split())
    if not value:
        return
    values = entity.properties.setdefault(key, [])
    if value not in values:
        values.append(value)


def add_identifier(
    entity: Entity,
    once: Callable[[str, str], bool] | None,
    scheme: str,
    raw: str,
    note: str | None = None,
    country: str | None = None,
) -> None:
    """Add an identifier once per (scheme, value); ``once`` is the group's de-duplication hook."""
    raw = " ".join(raw.split()).strip(" .,;").lstrip("'")  # a leading quote is a spreadsheet escape
    if not raw:
        return
    value = normalise_identifier(scheme, raw)
    if not value:
        return
    if once is not None and not once("identifier", f"{scheme}:{value}"):
        return
    note = " ".join(note.split()) if note else None
    entity.identifiers.append(
        Identifier(
            scheme=scheme,
            value=value,
            country=country,
            raw=raw,
            note=note or None,
            valid=identifier_valid(scheme, value),
        )
    )


_NUMBER_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/]*[A-Za-z0-9]|\d")
_DATE_TOKEN = re.compile(r"^\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2,4}$")


def first_number(text: str) -> str | None:
    """The first document-number-like token in free text (4+ digits, not a date), as printed.

    ``Passport No: 592667 (Qatari passport issued on 3 May 2007)`` -> ``592667``.
    """
    for m in _NUMBER_TOKEN.finditer(text):
        token = m.group(0)
        if sum(ch.isdigit() for ch in token) < 4 or _DATE_TOKEN.match(token):
            continue
        return token
    return None


# Labels printed before company numbers in the UK lists, mapped to identifier schemes.
_REG_LABELS = (
    (re.compile(r"unified social credit code|\buscc\b", re.I), "uscc"),
    (re.compile(r"\bogrnip\b|\bogrn\b|\bsrn\b|\bpsrn\b|огрн", re.I), "ogrn"),
    (re.compile(r"\bkpp\b|\bppc\b|кпп", re.I), "kpp"),
    (re.compile(r"\bokpo\b|окпо", re.I), "okpo"),
    (re.compile(r"\binn\b|инн", re.I), "inn"),
    (re.compile(r"\btin\b|\btax\b|\bunp\b|унн", re.I), "tax_id"),
)
_TRAILING_REMNANT = re.compile(r"^[\s,;]*(?:\([^)]*\))?[\s,;]*")
_GLUED_LABEL = re.compile(r"(?<=\d)(?=(?:INN|OGRN|KPP|PPC|TIN|BIN|OKPO)\b)")


@lru_cache(maxsize=4096)
def split_registration_numbers(text: str | None) -> tuple[tuple[str, str, str], ...]:
    """Split a ``Business registration number (s)`` cell into ``(scheme, number, printed)`` items.

    The cell mixes labels and several numbers: ``INN: 7731018133 OGRN: 1027739090708``,
    ``Tax ID No. 7703226533 (Russia); Registration Number 1157746244017 (Russia)``. Each number
    takes its scheme from the nearest label before it (INN, OGRN, KPP, TIN, USCC…) and is a plain
    ``registration`` number when unlabelled. ``printed`` is the label and number as they appear.
    """
    if not text or not text.strip():
        return ()
    value = _GLUED_LABEL.sub(" ", text.strip())
    items: list[tuple[str, str, str]] = []
    last_end = 0
    for start, end, token in _registration_tokens(value):
        label_text = value[last_end:start]
        scheme = "registration"
        best = -1
        for pattern, label_scheme in _REG_LABELS:
            for lm in pattern.finditer(label_text):
                if lm.start() > best:
                    best, scheme = lm.start(), label_scheme
        segment = value[last_end:end]
        if last_end:
            # Drop what trails the previous number: "(Russia); ", ", ".
            segment = _TRAILING_REMNANT.sub("", segment)
        printed = segment.strip(" ,;:/")
        items.append((scheme, token, printed))
        last_end = end
    if not items:
        items.append(("other", value, value))
    return tuple(items)


def _registration_tokens(value: str) -> Iterator[tuple[int, int, str]]:
    """Number-like tokens with their spans; ``INN/KPP`` pairs joined by a slash are split."""
    for m in _NUMBER_TOKEN.finditer(value):
        token = m.group(0)
        if sum(ch.isdigit() for ch in token) < 4 or _DATE_TOKEN.match(token):
            continue
        pieces = token.split("/")
        if len(pieces) > 1 and all(p.isdigit() and len(p) >= 6 for p in pieces):
            offset = m.start()
            for piece in pieces:
                yield offset, offset + len(piece), piece
                offset += len(piece) + 1
            continue
        yield m.start(), m.end(), token


_LANGUAGES = {
    "arabic": "ara",
    "belarusian": "bel",
    "bosnian": "bos",
    "bulgarian": "bul",
    "chinese": "zho",
    "georgian": "kat",
    "greek": "ell",
    "hebrew": "heb",
    "korean": "kor",
    "persian": "fas",
    "farsi": "fas",
    "romanian; moldavian; moldovan": "ron",
    "romanian": "ron",
    "russian": "rus",
    "serbian": "srp",
    "turkish": "tur",
    "ukrainian": "ukr",
    "burmese": "mya",
    "pashto": "pus",
    "urdu": "urd",
}


def script_language(text: str | None) -> str | None:
    """ISO 639-3 code for the language the lists name beside a non-Latin name, else ``None``."""
    if not text:
        return None
    return _LANGUAGES.get(text.strip().lower())


def distinct(values: Iterable[str]) -> list[str]:
    """Values in first-seen order without repeats."""
    out: list[str] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out
