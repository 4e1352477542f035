"""The UN Security Council Consolidated List in its XML form (root ``<CONSOLIDATED_LIST>``).

One file holds every UN sanctions regime: ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``,
each keyed by its permanent reference number (``QDi.081``: the ISIL/Al-Qaida regime, an
individual), which is also the entity id here (``un-sc:QDi.081``).

Name order. The UN splits an individual's name into ``FIRST_NAME`` … ``FOURTH_NAME`` but in the
order the name is written, not by role: Arabic names run given name, father's, grandfather's,
family; Korean and Chinese names start with the family name (``FIRST_NAME`` ``RI``). There is
no field saying which part is the family name, so the primary :class:`Name` keeps ``given`` =
``FIRST_NAME``, ``middle`` = the parts between, ``family`` = the last part when there are two or
more, and the ``full`` text in the published order. The one exception is the DPRK regime (``KP``
references), where every entry is a Korean or Chinese name written family name first: there
``family`` = ``FIRST_NAME`` and ``given`` = the rest. Matching should still not lean on
``family``/``given`` for UN records.

Aliases. ``QUALITY`` ``Good`` and ``a.k.a.`` become ``aka``, ``f.k.a.`` ``fka`` and ``Low`` ``weak``
(OFAC's and the UN's own word for low-quality aliases); the quality word is kept on the name.
Alias notes of the form ``original script: …`` / ``In Arabic: …``, text in another script in
brackets after an alias, and the Latin spellings a note lists for a non-Latin alias give further
names. Birth dates and places printed on an alias belong to the same person and are added to the
entity.

Documents. ``NUMBER`` often carries words (``CAR diplomatic passport no. D00000898``); the number
is cut out for ``value`` (see :func:`split_document_number`), ``raw`` keeps the text as printed
and the words go to the note. IMO numbers that the UN prints only inside ``COMMENTS1`` (DPRK
shipping companies) become ``imo`` identifiers.
"""

from __future__ import annotations

import re

from lxml import etree

from tamga.countries import country_code
from tamga.dates import parse_date, parse_dates, parse_datetime
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Designation, Entity, Identifier, Name, clean_text, detect_script
from tamga.sources.base import FileKind, Format, InputFile, ParseError, ParseResult, Progress
from tamga.sources.xml import (
    add_property,
    child_text,
    element_location,
    iterate_xml,
    read_head,
    root_name,
)

FORMAT_NAME = "un-sc-xml"
SOURCE = "un-sc"
AUTHORITY = "UN"
LIST_NAME = "UN Security Council Consolidated List"
SOURCE_URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
PROGRESS_EVERY = 200

# Two-letter prefix of the reference number -> the resolution that set up the regime.
LEGAL_BASIS = {
    "QD": (
        "Security Council resolutions 1267 (1999), 1989 (2011) and 2253 (2015) (ISIL (Da'esh) and Al-Qaida)"
    ),
    "TA": "Security Council resolution 1988 (2011) (Taliban)",
    "KP": "Security Council resolution 1718 (2006) (DPRK)",
    "IR": "Security Council resolution 1737 (2006) (Iran)",
    "IQ": "Security Council resolution 1518 (2003) (Iraq)",
    "CD": "Security Council resolution 1533 (2004) (Democratic Republic of the Congo)",
    "LY": "Security Council resolution 1970 (2011) (Libya)",
    "SO": "Security Council resolution 2713 (2023) (Al-Shabaab)",
    "CF": "Security Council resolution 2127 (2013) (Central African Republic)",
    "HT": "Security Council resolution 2653 (2022) (Haiti)",
    "YE": "Security Council resolution 2140 (2014) (Yemen)",
    "GB": "Security Council resolution 2048 (2012) (Guinea-Bissau)",
    "SD": "Security Council resolution 1591 (2005) (Sudan)",
    "SS": "Security Council resolution 2206 (2015) (South Sudan)",
}

ALIAS_KINDS = {"good": "aka", "a.k.a.": "aka", "f.k.a.": "fka", "low": "weak", "": "aka"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
RECORDS = frozenset({"INDIVIDUAL", "ENTITY"})

# "IMO number: 5571322", "IMO Number: 5342883.", "Company Number IMO 5434358"
_IMO = re.compile(r"\bIMO(?:\s+(?:company\s+)?(?:number|no\.?))?\s*[:.]?\s*(\d{7})\b", re.I)
# A document number printed with words around it: "CAR diplomatic passport no. D00000898".
_NUMBER_AFTER_WORD = re.compile(r"^(?P<label>.*?)\b(?:number|no\.|no|n°)\s*[:.]?\s*(?P<number>\S.*)$", re.I)
_NUMBER_AFTER_COLON = re.compile(r"^(?P<label>[^:\d]+):\s*(?P<number>\S.*)$")
_LEADING_WORDS = re.compile(r"^(?P<label>(?:(?:[A-Za-z][a-z]+|\([^)]*\))\s+)+)(?P<number>.*\d.*)$")
_TRAILING_NOTE = re.compile(
    r"^(?P<number>.*?\d.*?)\s*(?:\((?P<paren>[^()]*)\)|,\s*(?P<comma>[A-Za-z][A-Za-z ]+))$"
)
_SCRIPT_NOTE = re.compile(r"(?:original script|in arabic(?: script)?)\s*:\s*(?P<name>[^.;]+)", re.I)
_SCRIPT_SUFFIX = re.compile(r"\s*\(original script\)\s*$", re.I)
_SCRIPT_LABEL = re.compile(r"^\s*(?:original script|in arabic(?: script)?)\s*:\s*", re.I)
_INNER_NO = re.compile(r"\s+No\.?\s+(?=\d)", re.I)


def sniff(file: InputFile) -> FileKind | None:
    """Claim files whose root element is ``<CONSOLIDATED_LIST>`` with UN list content in the head."""
    head = read_head(file)
    if head is None or root_name(head) != "CONSOLIDATED_LIST":
        return None
    if not any(marker in head for marker in (b"<INDIVIDUALS", b"<ENTITIES", b"dateGenerated")):
        return None
    return FileKind(format=FORMAT_NAME, source=SOURCE, role="main")


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every INDIVIDUAL (Person) and ENTITY (Organization), in file order.

    ``published_at`` is the root's ``dateGenerated`` attribute, normalised to seconds.
    """
    file = files.get("main")
    if file is None:
        raise ParseError(f"({FORMAT_NAME})", None, "no main file given")
    entities: list[Entity] = []
    published_at: str | None = None
    warnings: list[str] = []
    for element in iterate_xml(file, "CONSOLIDATED_LIST", RECORDS):
        tag = element.tag
        if tag == "CONSOLIDATED_LIST":
            raw = element.get("dateGenerated")
            published_at = parse_datetime(raw)
            if raw and published_at is None:
                warnings.append(f"unreadable dateGenerated {raw!r}")
            continue
        entities.append(_record(element, source, file))
        if progress is not None and len(entities) % PROGRESS_EVERY == 0:
            progress(len(entities))
    if progress is not None:
        progress(len(entities))
    return ParseResult(source=source, entities=entities, published_at=published_at, warnings=warnings)


def _record(element: etree._Element, source: str, file: InputFile) -> Entity:
    location = element_location(element)
    person = element.tag == "INDIVIDUAL"
    reference = child_text(element, "REFERENCE_NUMBER")
    if reference is None:
        raise ParseError(file.display, location, f"<{element.tag}> without <REFERENCE_NUMBER>")
    parts = [clean_text(child_text(element, tag)) for tag in NAME_PARTS]
    parts = [p for p in parts if p]
    if not parts:
        raise ParseError(file.display, location, f"{reference}: no name (<FIRST_NAME> is empty)")

    entity = Entity(id=f"{source}:{reference}", schema="Person" if person else "Organization")
    props = entity.properties
    add_property(props, "dataid", child_text(element, "DATAID"))
    entity.names.append(_primary_name(parts, person, family_first=reference[:2].upper() == "KP"))
    original = clean_text(child_text(element, "NAME_ORIGINAL_SCRIPT"))
    if original:
        _add_name(entity, original, "aka")
    for alias in element.iterfind("INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"):
        _alias(entity, alias)

    for value in element.iterfind("TITLE/VALUE"):
        add_property(props, "title", value.text)
    for value in element.iterfind("DESIGNATION/VALUE"):
        add_property(props, "position", value.text)
    gender = child_text(element, "GENDER")
    if gender:
        add_property(props, "gender", gender.lower())
    for value in element.iterfind("NATIONALITY/VALUE"):
        _country(entity, value.text, "nationality", "nationality")
    for value in element.iterfind("LAST_DAY_UPDATED/VALUE"):
        add_property(props, "last_updated", parse_date(value.text) or value.text)

    comments = clean_text(child_text(element, "COMMENTS1"))
    entity.remarks = comments
    list_type = clean_text(child_text(element, "UN_LIST_TYPE"))
    listed_on = parse_date(child_text(element, "LISTED_ON"))
    entity.designations.append(
        Designation(
            authority=AUTHORITY,
            list=LIST_NAME,
            program=list_type,
            listed_on=listed_on,
            legal_basis=LEGAL_BASIS.get(reference[:2].upper()),
            reason=comments,
            source_url=SOURCE_URL,
        )
    )

    for address in element.iterfind("INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"):
        _address(entity, address, person)
    if person:
        for item in element.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
            _birth_date(entity, item)
        for item in element.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
            _birth_place(
                entity, [child_text(item, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
            )
        for item in element.iterfind("INDIVIDUAL_DOCUMENT"):
            _document(entity, item)
    if comments:
        for number in dict.fromkeys(_IMO.findall(comments)):
            entity.identifiers.append(
                Identifier(
                    scheme="imo",
                    value=number,
                    raw=number,
                    note="from COMMENTS1",
                    valid=identifier_valid("imo", number),
                )
            )
    return entity


def _primary_name(parts: list[str], person: bool, family_first: bool = False) -> Name:
    """Published order in ``full``; parts by position only (see the module notes on name order).

    ``family_first`` is for the DPRK regime, whose entries all write the family name first
    (``KIM`` / ``CHOL SAM``).
    """
    full = " ".join(parts)
    if not person:
        return Name(full=full, kind="primary")
    if len(parts) == 1:
        return Name(full=full, kind="primary", given=parts[0])
    if family_first:
        return Name(full=full, kind="primary", family=parts[0], given=" ".join(parts[1:]))
    return Name(
        full=full,
        kind="primary",
        given=parts[0],
        middle=" ".join(parts[1:-1]) or None,
        family=parts[-1],
    )


def _add_name(entity: Entity, text: str, kind: str, quality: str | None = None) -> None:
    """Add a name unless the entity already has that text."""
    text = clean_text(text) or ""
    if not text:
        return
    key = text.casefold()
    if any(n.full.casefold() == key for n in entity.names):
        return
    entity.names.append(Name(full=text, kind=kind, quality=quality))


def _alias(entity: Entity, element: etree._Element) -> None:
    text = clean_text(child_text(element, "ALIAS_NAME"))
    quality = clean_text(child_text(element, "QUALITY")) or ""
    note = clean_text(child_text(element, "NOTE"))
    if text:
        kind = ALIAS_KINDS.get(quality.lower(), "aka")
        for name in split_alias(text):
            _add_name(entity, name, kind, quality or None)
        if note:
            for match in _SCRIPT_NOTE.finditer(note):
                _add_name(entity, match.group("name"), kind, quality or None)
            for spelling in _note_spellings(text, note):
                _add_name(entity, spelling, kind, quality or None)
    dob = child_text(element, "DATE_OF_BIRTH")
    for iso in parse_dates(dob):
        if iso not in entity.birth_dates:
            entity.birth_dates.append(iso)
    if dob and not parse_dates(dob):
        add_property(entity.properties, "birth_date_note", dob)
    _birth_place(entity, [child_text(element, "CITY_OF_BIRTH"), child_text(element, "COUNTRY_OF_BIRTH")])


def split_alias(text: str) -> list[str]:
    """The separate spellings packed into one UN alias field.

    ``Abdul Rehman; Abd Ur-Rehman`` lists several names; ``Haji Gulab Gul (حاجی گلاب گل …)``,
    ``Abubakar (original script: Абубакар)`` and ``حسن غول (Hassan Ghul; Hassan Gul)`` carry the
    spelling in another script in brackets. Brackets in the same script with no list inside
    (``General Department of Atomic Energy (GDAE)``) stay as printed.
    """
    names: list[str] = []
    for piece in _split_top_level(text):
        piece = _SCRIPT_LABEL.sub("", _SCRIPT_SUFFIX.sub("", piece)).strip(" ,;.")
        if not piece:
            continue
        bracket = _trailing_bracket(piece)
        if bracket is None:
            names.append(piece)
            continue
        outer, inner = bracket
        inner_names = [n for n in split_alias(inner) if n]
        outer_script, inner_script = detect_script(outer), detect_script(" ".join(inner_names))
        if (
            outer
            and inner_names
            and (len(inner_names) > 1 or (outer_script and inner_script and outer_script != inner_script))
        ):
            names.append(outer)
            names.extend(inner_names)
        else:
            names.append(piece)
    return names


def _split_top_level(text: str) -> list[str]:
    """Split on ``;`` outside brackets."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return pieces


def _trailing_bracket(text: str) -> tuple[str, str] | None:
    """``(outer, inner)`` when ``text`` ends with a balanced ``( … )`` group after some text."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                outer = text[:index].strip(" ,;")
                return (outer, text[index + 1 : -1]) if outer else None
    return None


def _note_spellings(alias: str, note: str) -> list[str]:
    """Latin spellings listed in the note of a non-Latin alias (``Yunis al-Mauritani; …``)."""
    if detect_script(alias) in (None, "Latin") or detect_script(note) != "Latin":
        return []
    if any(ch in note for ch in "():") or any(ch.isdigit() for ch in note):
        return []
    return [part.strip() for part in note.split(";") if part.strip()]


def _country(entity: Entity, text: str | None, role: str, text_key: str | None) -> str | None:
    code = country_code(clean_text(text))
    if code is None:
        if text_key is not None:
            add_property(entity.properties, text_key, text)
        return None
    if not any(c.code == code and c.role == role for c in entity.countries):
        entity.countries.append(Country(code=code, role=role))
    return code


def _address(entity: Entity, element: etree._Element, person: bool) -> None:
    street = clean_text(child_text(element, "STREET"))
    city = clean_text(child_text(element, "CITY"))
    region = clean_text(child_text(element, "STATE_PROVINCE"))
    postal = clean_text(child_text(element, "ZIP_CODE"))
    country_text = clean_text(child_text(element, "COUNTRY"))
    if not any((street, city, region, postal, country_text)):
        return
    code = _country(entity, country_text, "residence" if person else "country", None)
    full = ", ".join(p for p in (street, city, region, postal, country_text) if p)
    entity.addresses.append(
        Address(full=full, street=street, city=city, region=region, postal_code=postal, country=code)
    )
    note = clean_text(child_text(element, "NOTE"))
    if note:
        add_property(entity.properties, "address_note", f"{full}: {note}")


def _birth_date(entity: Entity, element: etree._Element) -> None:
    """EXACT / APPROXIMATELY give a DATE or a YEAR; BETWEEN gives FROM_YEAR and TO_YEAR."""
    kind = (child_text(element, "TYPE_OF_DATE") or "").upper()
    note = child_text(element, "NOTE")
    date = parse_date(child_text(element, "DATE"))
    year = child_text(element, "YEAR")
    from_year, to_year = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
    dates: list[str] = []
    if date:
        dates = [date]
    elif from_year and to_year:
        dates = parse_dates(f"{from_year} to {to_year}") or [d for d in (from_year, to_year) if d]
    elif from_year or to_year:
        dates = parse_dates(from_year or to_year)
    elif year:
        # "YEAR 1958, NOTE Sep." is September 1958: keep the month where the note gives one.
        refined = parse_date(f"{note} {year}") if note else None
        dates = [refined] if refined and refined.startswith(year) else parse_dates(year)
        note = None if refined and refined.startswith(year) else note
    elif note:
        dates = parse_dates(note)
        note = None if dates else note
    for iso in dates:
        if iso not in entity.birth_dates:
            entity.birth_dates.append(iso)
    if kind == "APPROXIMATELY" or (note and "approx" in note.lower()):
        for iso in dates:
            add_property(entity.properties, "birth_date_approximate", iso)
    if note and (not dates or "approx" not in note.lower()):
        add_property(entity.properties, "birth_date_note", note)


def _birth_place(entity: Entity, parts: list[str | None]) -> None:
    text = ", ".join(p for p in (clean_text(x) for x in parts) if p)
    if text and text not in entity.birth_places:
        entity.birth_places.append(text)


def _document(entity: Entity, element: etree._Element) -> None:
    raw = clean_text(child_text(element, "NUMBER"))
    if not raw:
        return
    doc_type = clean_text(child_text(element, "TYPE_OF_DOCUMENT")) or ""
    doc_type2 = clean_text(child_text(element, "TYPE_OF_DOCUMENT2")) or ""
    number, label, trailing = split_document_number(raw)
    scheme = document_scheme(doc_type, f"{doc_type2} {label}")
    country = None
    for tag in ("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"):
        country = country_code(clean_text(child_text(element, tag)))
        if country:
            break
    if country is None and trailing:
        country = country_code(trailing)
    notes = [
        doc_type2 or None,
        label or None,
        trailing if trailing and country_code(trailing) is None else None,
    ]
    if issued := parse_date(child_text(element, "DATE_OF_ISSUE")):
        notes.append(f"issued {issued}")
    if city := clean_text(child_text(element, "CITY_OF_ISSUE")):
        notes.append(f"issued in {city}")
    notes.append(clean_text(child_text(element, "NOTE")))
    if scheme == "other" and doc_type and not doc_type2:
        notes.insert(0, doc_type)
    value = normalise_identifier(scheme, number)
    if not value:
        return
    entity.identifiers.append(
        Identifier(
            scheme=scheme,
            value=value,
            country=country,
            raw=raw,
            note="; ".join(dict.fromkeys(n.strip(" .;") for n in notes if n and n.strip(" .;"))) or None,
            valid=identifier_valid(scheme, value),
        )
    )


def split_document_number(raw: str) -> tuple[str, str, str]:
    """Separate the number from the words the UN prints around it.

    ``CAR diplomatic passport no. D00000898`` -> (``D00000898``, ``CAR diplomatic passport``, ``""``);
    ``381110042 (Expired 25 Jan. 2016)`` -> (``381110042``, ``""``, ``Expired 25 Jan. 2016``);
    ``Libya 428720`` -> (``428720``, ``Libya``, ``""``). Numbers without words come back unchanged,
    so exact matching on document numbers works across lists that print only the number.
    """
    number, label, trailing = raw, "", ""
    match = _TRAILING_NOTE.match(number)
    if match:
        number = match.group("number")
        trailing = (match.group("paren") or match.group("comma") or "").strip()
    for pattern in (_NUMBER_AFTER_WORD, _NUMBER_AFTER_COLON, _LEADING_WORDS):
        match = pattern.match(number)
        if match and any(ch.isdigit() for ch in match.group("number")):
            label = match.group("label").strip(" :,")
            number = match.group("number").strip()
            break
    # "8208 No. 555627": series and number of a Russian passport, one document number.
    number = _INNER_NO.sub(" ", number)
    return number, label, trailing


def document_scheme(doc_type: str, detail: str) -> str:
    """Identifier scheme from TYPE_OF_DOCUMENT, refined by TYPE_OF_DOCUMENT2 and the number's label."""
    detail = detail.lower()
    if any(w in detail for w in ("driv", "birth certificate", "ration card", "student", "voter", "alien")):
        return "other"
    if "travel document" in detail or "laissez" in detail:
        return "other"
    if "fiscal" in detail or "tax" in detail:
        return "tax_id"
    if "passport" in detail:
        return "passport"
    if any(w in detail for w in ("identi", "social security", "national number", "personal", "tazkira")):
        return "national_id"
    base = doc_type.lower()
    if any(w in base for w in ("passport", "passeport", "pasaporte")):
        return "passport"
    if "identification" in base or "identidad" in base or "identité" in base:
        return "national_id"
    return "other"


FORMATS = [
    Format(
        name=FORMAT_NAME,
        sniff=sniff,
        parse=parse,
        roles=("main",),
        required_roles=("main",),
        description="UN Security Council Consolidated List XML (root <CONSOLIDATED_LIST>)",
    )
]

__all__ = ["FORMATS", "document_scheme", "parse", "sniff", "split_alias", "split_document_number"]
