"""The EU Financial Sanctions File (FSF): ``xmlFullSanctionsList_1_1``.

The European Commission publishes the EU consolidated list of persons, groups and entities under
financial sanctions as one XML file: root ``export`` in the namespace
``http://eu.europa.ec/fpi/fsd/export`` with a ``generationDate`` attribute, and one
``sanctionEntity`` per listed subject. Nearly everything is carried in attributes:

- ``sanctionEntity``: ``logicalId`` (the stable id, ``eu-fsf:{logicalId}``), ``euReferenceNumber``,
  ``unitedNationId``, ``designationDetails``, in newer files ``designationDate``;
- ``remark`` (text), ``regulation`` (``programme``, ``numberTitle``, ``publicationDate``,
  ``entryIntoForceDate``; child ``publicationUrl``), ``subjectType`` (``classificationCode`` P|E);
- ``nameAlias`` (``wholeName``, ``firstName``, ``middleName``, ``lastName``, ``nameLanguage``,
  ``strong``, ``function``, ``gender``, ``title``), ``citizenship``, ``birthdate``,
  ``identification`` and ``address`` (with ``contactInfo`` children).

The file is about 24 MB, so it is read with ``iterparse`` and every ``sanctionEntity`` is dropped
from the tree once turned into an :class:`~tamga.model.Entity`.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

from lxml import etree
from rigour.ids import IMO

from tamga.countries import country_code
from tamga.dates import parse_date, parse_datetime
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Designation, Entity, Identifier, Name
from tamga.sources.base import FileKind, Format, InputFile, ParseError, ParseResult, Progress
from tamga.sources.xml import element_line, iterate_xml

NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"
FORMAT_NAME = "eu-fsf-xml"
SOURCE = "eu-fsf"
AUTHORITY = "EU"
LIST_NAME = "EU Consolidated Financial Sanctions List"

_PROGRESS_EVERY = 250

# subjectType: classificationCode (P|E) and code (person|enterprise) -> schema.
_SUBJECT_SCHEMA = {
    "p": "Person",
    "person": "Person",
    "e": "Organization",
    "enterprise": "Organization",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
}

# identificationTypeCode -> identifiers.SCHEMES; every other code (other, tradelic, birthcert,
# travelcardid, electionid, residentperm, drivinglicence…) becomes ``other`` with its
# description kept in the note.
_ID_SCHEMES = {
    "passport": "passport",
    "id": "national_id",
    "nationcert": "national_id",
    "nrn": "national_id",
    "ssn": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax_id",
    "taxid": "tax_id",
    "euvat": "tax_id",
    "unssn": "uscc",
    "swiftbic": "swift",
    "imo": "imo",
}

# Flags on an identification document, said in words in the identifier's note.
_ID_FLAGS = (
    ("diplomatic", "diplomatic"),
    ("knownExpired", "expired"),
    ("knownFalse", "known to be false"),
    ("reportedLost", "reported lost"),
    ("revokedByIssuer", "revoked by issuer"),
)

# contactInfo keys -> property names.
_CONTACT_KEYS = {"PHONE": "phone", "FAX": "fax", "EMAIL": "email", "WEB": "website"}

_GENDERS = {"m": "male", "f": "female"}

# Country codes the FSF uses for "not known".
_NO_COUNTRY = {"", "00", "XX", "ZZ"}

# First element of the document, after the XML declaration, comments and processing instructions.
_ROOT_TAG = re.compile(
    rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:[A-Za-z_][\w.-]*:)?export(?=[\s/>])([^>]*)>",
    re.S,
)
_ENTITY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sanctionEntity[\s/>]")


def sniff(file: InputFile) -> FileKind | None:
    """Recognise an FSF export by its root element ``export`` and the FSF namespace.

    A root called ``export`` is not rare, so the namespace is required, or at least a
    ``sanctionEntity`` element in the first 64 KiB. Never raises: foreign or unreadable content
    simply gives ``None``.
    """
    try:
        head = file.head()
    except (OSError, EOFError, zlib.error):
        return None
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    match = _ROOT_TAG.match(head)
    if match is None:
        return None
    if NAMESPACE.encode() in match.group(1) or _ENTITY_TAG.search(head, match.end()):
        return FileKind(FORMAT_NAME, SOURCE, "main")
    return None


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every ``sanctionEntity`` of the file as an :class:`Entity` with id ``{source}:{logicalId}``.

    Streams the file so that memory stays flat on the 24 MB official export. Cut or malformed
    XML, bytes that are not UTF-8, a root other than ``export``, and a ``sanctionEntity`` without
    ``logicalId`` (or with one seen before) raise :class:`ParseError` naming the line.
    """
    file = files.get("main")
    if file is None:
        raise ParseError(
            ", ".join(f.display for f in files.values()) or FORMAT_NAME, None, "no main file given"
        )
    entities: list[Entity] = []
    warnings: list[str] = []
    first_line: dict[str, int] = {}
    root = None
    for element in iterate_xml(file, "export", frozenset({"sanctionEntity"})):
        if root is None:
            root = element
            continue
        entity = _entity(element, source, file, warnings)
        line = element_line(element)
        if entity.id in first_line:
            raise ParseError(
                file.display,
                f"line {line}, element <sanctionEntity>",
                f"logicalId of {entity.id} occurs twice (first at line {first_line[entity.id]})",
            )
        first_line[entity.id] = line
        entities.append(entity)
        if progress is not None and len(entities) % _PROGRESS_EVERY == 0:
            progress(len(entities))
    if not entities:
        warnings.append(f"{file.display}: no sanctionEntity in the file")
    if progress is not None:
        progress(len(entities))
    published = parse_datetime(_attr(root, "generationDate")) if root is not None else None
    return ParseResult(source=source, entities=entities, published_at=published, warnings=warnings)


FORMATS = [
    Format(
        name=FORMAT_NAME,
        sniff=sniff,
        parse=parse,
        roles=("main",),
        required_roles=("main",),
        description="EU Financial Sanctions File (xmlFullSanctionsList_1_1 XML)",
    )
]


# --- document level -----------------------------------------------------------------------------


def _local(tag: object) -> str | None:
    """The local name of an element tag, ``None`` for comments and processing instructions."""
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2]


# --- one sanctionEntity --------------------------------------------------------------------------


def _attr(node: etree._Element, name: str) -> str | None:
    """An attribute stripped of padding; empty attributes (the FSF writes many) become ``None``."""
    value = node.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _text(node: etree._Element) -> str | None:
    value = (node.text or "").strip()
    return value or None


def _children(node: etree._Element, name: str) -> Iterable[etree._Element]:
    return (child for child in node if _local(child.tag) == name)


def _add(props: dict[str, list[str]], key: str, value: str | None) -> None:
    if not value:
        return
    values = props.setdefault(key, [])
    if value not in values:
        values.append(value)


def _country(node: etree._Element) -> str | None:
    """ISO code of a node's country: the FSF's own ``countryIso2Code``, else its description.

    The code is tried first because it is exact and cheap; ``00`` means unknown. ``CS`` is
    Serbia and Montenegro in the FSF but Czechoslovakia in ISO 3166-3, so it is mapped by hand.
    """
    raw = (_attr(node, "countryIso2Code") or "").upper()
    if raw == "CS":
        return "csxx"
    if raw not in _NO_COUNTRY:
        code = country_code(raw)
        if code:
            return code
    description = _country_text(node)
    return country_code(description) if description else None


def _country_text(node: etree._Element) -> str | None:
    description = _attr(node, "countryDescription")
    if description and description.upper() != "UNKNOWN":
        return description
    return None


def _entity(element: etree._Element, source: str, file: InputFile, warnings: list[str]) -> Entity:
    logical_id = _attr(element, "logicalId")
    where = f"line {element_line(element)}, element <sanctionEntity>"
    if logical_id is None:
        raise ParseError(file.display, where, "sanctionEntity without logicalId")
    entity_id = f"{source}:{logical_id}"

    remarks: list[str] = []
    regulations: list[etree._Element] = []
    name_nodes: list[etree._Element] = []
    subject: etree._Element | None = None
    groups: dict[str, list[etree._Element]] = {
        "citizenship": [],
        "birthdate": [],
        "identification": [],
        "address": [],
    }
    for child in element:
        local = _local(child.tag)
        if local == "remark":
            text = _text(child)
            if text:
                remarks.append(text)
        elif local == "regulation":
            regulations.append(child)
        elif local == "subjectType":
            subject = child
        elif local == "nameAlias":
            name_nodes.append(child)
        elif local in groups:
            groups[local].append(child)

    props: dict[str, list[str]] = {}
    _add(props, "eu_reference_number", _attr(element, "euReferenceNumber"))
    _add(props, "un_reference_number", _attr(element, "unitedNationId"))

    identifiers: list[Identifier] = []
    for node in groups["identification"]:
        identifiers.extend(_identifiers(node))

    schema = _schema(subject, name_nodes, groups["birthdate"], identifiers)
    if schema is None:
        schema = "Person" if groups["birthdate"] else "Organization"
        warnings.append(f"{file.display}: {where}: no known subjectType for {entity_id}, read as {schema}")

    names = _names(name_nodes, schema, props)
    if not names:
        warnings.append(f"{file.display}: {where}: {entity_id} has no name")

    countries: list[Country] = []
    for node in groups["citizenship"]:
        code = _country(node)
        if code:
            countries.append(Country(code, "citizenship"))

    birth_dates: list[str] = []
    birth_places: list[str] = []
    for node in groups["birthdate"]:
        _birth(node, birth_dates, birth_places, props)

    addresses: list[Address] = []
    for node in groups["address"]:
        address = _address(node, props)
        if address is not None:
            addresses.append(address)
            if address.country:
                countries.append(Country(address.country, "country"))

    return Entity(
        id=entity_id,
        schema=schema,
        names=names,
        identifiers=identifiers,
        birth_dates=birth_dates,
        birth_places=birth_places,
        countries=countries,
        addresses=addresses,
        designations=_designations(element, regulations),
        remarks="\n".join(remarks) or None,
        properties=props,
    )


def _schema(
    subject: etree._Element | None,
    name_nodes: list[etree._Element],
    birth_nodes: list[etree._Element],
    identifiers: list[Identifier],
) -> str | None:
    """P is a person, E an organisation; an E with a ship's IMO number is a vessel.

    The FSF has no vessel subject type. Shipping companies carry IMO *company* numbers, which
    use a different check digit from ship numbers, so only a number that passes the ship check
    and fails the company one makes a vessel.
    """
    if subject is None:
        return None
    code = (_attr(subject, "classificationCode") or _attr(subject, "code") or "").lower()
    schema = _SUBJECT_SCHEMA.get(code) or _SUBJECT_SCHEMA.get((_attr(subject, "code") or "").lower())
    if schema == "Organization" and any(_is_ship_imo(i) for i in identifiers):
        return "Vessel"
    return schema


def _is_ship_imo(identifier: Identifier) -> bool:
    if identifier.scheme != "imo":
        return False
    return IMO.is_valid_vessel(identifier.value) and not IMO.is_valid_company(identifier.value)


def _names(nodes: list[etree._Element], schema: str, props: dict[str, list[str]]) -> list[Name]:
    """One :class:`Name` per ``nameAlias``, in file order.

    The FSF marks no primary name: the first strong alias is taken as primary (the first alias
    at all if none is strong), the other strong ones are ``aka``, and ``strong="false"`` or a
    "low quality" remark makes a ``weak`` name. Title, function and gender sit on the aliases and
    go to the entity's properties.
    """
    parsed: list[tuple[Name, bool]] = []
    for node in nodes:
        first = _attr(node, "firstName")
        middle = _attr(node, "middleName")
        last = _attr(node, "lastName")
        full = _attr(node, "wholeName") or " ".join(p for p in (first, middle, last) if p)
        strong = (_attr(node, "strong") or "true").lower() != "false"
        quality = None
        for remark in _children(node, "remark"):
            text = _text(remark)
            if not text:
                continue
            lowered = text.lower()
            if "low quality" in lowered:
                quality, strong = "low", False
            elif "good quality" in lowered or "high quality" in lowered:
                quality = "good"
            else:
                _add(props, "name_remark", text)
        _add(props, "title", _attr(node, "title"))
        _add(props, "position" if schema == "Person" else "function", _attr(node, "function"))
        _add(props, "gender", _GENDERS.get((_attr(node, "gender") or "").lower()))
        if not full:
            continue
        lang = _attr(node, "nameLanguage")
        name = Name(
            full=full,
            kind="aka",
            given=first,
            middle=middle,
            family=last,
            lang=lang.lower() if lang else None,
            quality=quality,
        )
        if name.full:
            parsed.append((name, strong))
    if not parsed:
        return []
    primary = next((i for i, (_, strong) in enumerate(parsed) if strong), 0)
    names = []
    for index, (name, strong) in enumerate(parsed):
        name.kind = "primary" if index == primary else ("aka" if strong else "weak")
        names.append(name)
    return names


def _identifiers(node: etree._Element) -> list[Identifier]:
    type_code = (_attr(node, "identificationTypeCode") or "").lower()
    scheme = _ID_SCHEMES.get(type_code, "other")
    country = _country(node)
    notes: list[str] = []
    description = _attr(node, "identificationTypeDescription")
    if description:
        notes.append(description)
    elif scheme == "other" and type_code and type_code != "other":
        notes.append(type_code)
    for remark in _children(node, "remark"):
        text = _text(remark)
        if text and text not in notes:
            notes.append(text)
    issued_by = _attr(node, "issuedBy")
    if issued_by:
        notes.append(f"issued by {issued_by}")
    issued_on = _attr(node, "issueDate")
    if issued_on:
        notes.append(f"issued on {issued_on}")
    holder = _attr(node, "nameOnDocument")
    if holder:
        notes.append(f"name on document: {holder}")
    for attribute, words in _ID_FLAGS:
        if (_attr(node, attribute) or "").lower() == "true":
            notes.append(words)
    identifiers: list[Identifier] = []
    for raw in (_attr(node, "number"), _attr(node, "latinNumber")):
        if not raw:
            continue
        value = normalise_identifier(scheme, raw)
        if not value or any(i.value == value for i in identifiers):
            continue
        note = list(notes)
        if scheme == "imo" and IMO.is_valid_company(value) and not IMO.is_valid_vessel(value):
            note.insert(0, "IMO company number")
        identifiers.append(
            Identifier(
                scheme=scheme,
                value=value,
                country=country,
                raw=raw,
                note="; ".join(note) or None,
                valid=identifier_valid(scheme, value),
            )
        )
    return identifiers


def _birth(node: etree._Element, dates: list[str], places: list[str], props: dict[str, list[str]]) -> None:
    """A ``birthdate`` element: a full ``birthdate`` or its year/month/day parts, and a place."""
    date = parse_date(_attr(node, "birthdate"))
    if date is None:
        year = _attr(node, "year")
        month = _attr(node, "monthOfYear") or _attr(node, "month")
        day = _attr(node, "dayOfMonth") or _attr(node, "day")
        if year and year.isdigit():
            text = year
            if month and month.isdigit():
                text += f"-{int(month):02d}"
                if day and day.isdigit():
                    text += f"-{int(day):02d}"
            date = parse_date(text)
    if date and date not in dates:
        dates.append(date)
        if (_attr(node, "circa") or "").lower() == "true":
            _add(props, "birth_date_circa", date)
    parts = [_attr(node, key) for key in ("city", "place", "region")]
    parts.append(_country_text(node))
    place = ", ".join(p for p in parts if p)
    if place and place not in places:
        places.append(place)


def _address(node: etree._Element, props: dict[str, list[str]]) -> Address | None:
    """An ``address`` element; its ``contactInfo`` children (phone, e-mail, web) go to properties."""
    street = _attr(node, "street")
    po_box = _attr(node, "poBox")
    place = _attr(node, "place")
    city = _attr(node, "city")
    postal_code = _attr(node, "zipCode")
    region = _attr(node, "region")
    for child in node:
        local = _local(child.tag)
        if local == "contactInfo":
            key = (_attr(child, "key") or "").upper()
            prop = _CONTACT_KEYS.get(key, key.lower() or "contact")
            for value in re.split(r"\s*;\s*|,\s+(?=\S+@|https?://)", _attr(child, "value") or ""):
                _add(props, prop, value.strip() or None)
        elif local == "remark":
            _add(props, "address_remark", _text(child))
    country = _country(node)
    parts = [street, f"P.O. Box {po_box}" if po_box else None, place, city, postal_code, region]
    parts.append(_country_text(node))
    full = ", ".join(p for p in parts if p)
    if not full and country is None:
        return None
    return Address(
        full=full or None,
        street=street,
        city=city,
        region=region,
        postal_code=postal_code,
        country=country,
    )


def _designations(element: etree._Element, regulations: list[etree._Element]) -> list[Designation]:
    """One designation per programme, dated by the earliest of its regulations.

    An entity often carries the amending regulation that last touched it as well as the one that
    listed it; the listing date is the earliest ``entryIntoForceDate`` (else ``publicationDate``)
    among them, or the entity's own ``designationDate`` where that is earlier.
    """
    designated = parse_date(_attr(element, "designationDate"))
    reason = _attr(element, "designationDetails")
    by_programme: dict[str | None, list[etree._Element]] = {}
    for regulation in regulations:
        by_programme.setdefault(_attr(regulation, "programme"), []).append(regulation)
    if not by_programme:
        return [Designation(authority=AUTHORITY, list=LIST_NAME, listed_on=designated, reason=reason)]
    designations = []
    for programme, group in by_programme.items():
        dated: list[tuple[str, int]] = []
        titles: list[str] = []
        urls: list[str | None] = []
        for index, regulation in enumerate(group):
            day = parse_date(_attr(regulation, "entryIntoForceDate")) or parse_date(
                _attr(regulation, "publicationDate")
            )
            if day:
                dated.append((day, index))
            title = _attr(regulation, "numberTitle")
            if title and title not in titles:
                titles.append(title)
            url = next((_text(u) for u in _children(regulation, "publicationUrl") if _text(u)), None)
            urls.append(url)
        candidates = [d for d, _ in dated] + ([designated] if designated else [])
        earliest = min(dated)[1] if dated else 0
        source_url = urls[earliest] or next((u for u in urls if u), None)
        designations.append(
            Designation(
                authority=AUTHORITY,
                list=LIST_NAME,
                program=programme,
                listed_on=min(candidates) if candidates else None,
                legal_basis="; ".join(titles) or None,
                reason=reason,
                source_url=source_url,
            )
        )
    return designations
