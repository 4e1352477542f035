"""OFAC's legacy XML export (``sdn.xml`` / ``consolidated.xml``, root ``<sdnList>``).

The same schema carries the SDN list and the consolidated non-SDN list; only the file name tells
them apart. OFAC has moved the file between namespaces over the years (``http://tempuri.org/
sdnList.xsd``, later the sanctions list service's export namespace), so elements are looked up by
local name under whatever namespace the root declares.

Unlike the CSV set, the XML gives structured identifiers (``idList``) and name parts. Each
``idList/id`` is exactly what the CSV prints as one Remarks item (``ISIN CNE100000PM8``,
``Tax ID No. 7702070139 (Russia)``, ``Listing Date (CMIC) 03 Jun 2021``), so it is classified by
the same rules (:mod:`tamga.sources.ofac_remarks`): both OFAC formats give the same schemes,
notes and property keys. Fact-like ``idType`` values (``Gender``, ``Target Type``, directive
texts) become properties; a listing date sets ``listed_on`` on the designation of the program it
names (``CMIC`` -> ``CMIC-EO13959``, ``EO 14024 Directive 2`` -> ``RUSSIA-EO14024``) only.
Aliases of category ``weak`` and quoted ``a.k.a. '…'`` names in remarks are ``weak`` names.

The generic helpers at the top (:func:`read_head`, :func:`root_name`, :func:`iterate_xml`…) are
shared with the UN parser: both stream the file with ``iterparse`` and free each record once it
is turned into an :class:`~tamga.model.Entity`, so memory stays flat however large the list grows.
"""

from __future__ import annotations

import re

from lxml import etree

from tamga.countries import country_code
from tamga.dates import parse_date, parse_dates
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Address, Country, Entity, Identifier, Name, Relation, clean_text
from tamga.sources.base import FileKind, Format, InputFile, ParseError, ParseResult, Progress
from tamga.sources.ofac_csv import split_person_name
from tamga.sources.ofac_programs import designations
from tamga.sources.ofac_remarks import Remarks, classify_item, parse_remarks
from tamga.sources.xml import (
    add_property,
    child_text,
    element_location,
    iterate_xml,
    local_name,
    xml_root_name,
)

FORMAT_NAME = "ofac-xml"
PROGRESS_EVERY = 200


SCHEMA_BY_TYPE = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Aircraft",
}

ALIAS_KINDS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}

# idTypes the shared remarks classifier does not know (lower case) -> (scheme, note).
EXTRA_ID_TYPES = {
    "british national overseas passport": ("passport", "British National Overseas passport"),
    "citizen's card number": ("national_id", "citizen's card"),
    "n.i.e.": ("national_id", "N.I.E."),
    "n.i.f.": ("tax_id", "N.I.F."),
    "paraguayan tax identification number": ("tax_id", None),
    "romanian tax registration": ("tax_id", None),
    "registration certificate number (dubai)": ("registration", "Dubai registration certificate"),
    "msb registration number": ("registration", "MSB registration"),
    "russian state individual business registration number pattern (ogrnip)": ("ogrn", "OGRNIP"),
    "micex code": ("ticker", "MICEX code"),
    "aircraft manufacturer\u2019s serial number (msn)": ("aircraft_serial", None),
    "previous aircraft tail number": ("aircraft_tail", "previous"),
}
# Words that mark an unknown idType as a fact about the entry rather than a number.
_FACT_WORDS = ("date", "information", "determination", "directive", "risk", "sanction", "section", "type")
_SLUG = re.compile(r"[^a-z0-9]+")
_EO_NUMBER = re.compile(r"\bEO\s*(\d{4,5})\b", re.I)
_TRAILING_COUNTRY = re.compile(r"^(?P<value>.*?)\s*\((?P<country>[^()]+)\)$")
_LINKED_TO = re.compile(r"Linked To:\s*", re.I)


class _Tags:
    """Child paths qualified with the file's namespace, each built once per file."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self._cache: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        found = self._cache.get(path)
        if found is None:
            found = "/".join(f"{{{self.ns}}}{step}" for step in path.split("/")) if self.ns else path
            self._cache[path] = found
        return found


def sniff(file: InputFile) -> FileKind | None:
    """Claim files whose root element is ``<sdnList>``, in any namespace.

    The SDN and the consolidated non-SDN export share the layout, so the file name decides the
    source: a name containing ``sdn`` is the SDN list, anything else the consolidated list.
    """
    if xml_root_name(file) != "sdnList":
        return None
    source = "ofac-sdn" if "sdn" in file.name.lower() else "ofac-cons"
    return FileKind(format=FORMAT_NAME, source=source, role="main")


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    """Every ``sdnEntry`` of the file as an :class:`Entity` with id ``{source}:{uid}``.

    ``published_at`` comes from ``publshInformation/Publish_Date`` (US month-first order); a
    ``Record_Count`` that disagrees with the entries found is reported as a warning.
    """
    file = files.get("main")
    if file is None:
        raise ParseError("(ofac-xml)", None, "no main file given")
    entities: list[Entity] = []
    warnings: list[str] = []
    published_at: str | None = None
    record_count: str | None = None
    tags = _Tags("")
    for element in iterate_xml(file, "sdnList", frozenset({"sdnEntry", "publshInformation"})):
        name = local_name(element)
        if name == "sdnList":
            tag = element.tag
            tags = _Tags(tag[1:].split("}", 1)[0] if tag.startswith("{") else "")
        elif name == "publshInformation":
            raw_date = child_text(element, tags("Publish_Date"))
            published_at = parse_date(raw_date, day_first=False)
            if raw_date and published_at is None:
                warnings.append(f"unreadable Publish_Date {raw_date!r}")
            record_count = child_text(element, tags("Record_Count"))
        else:
            entities.append(_entry(element, source, tags, file))
            if progress is not None and len(entities) % PROGRESS_EVERY == 0:
                progress(len(entities))
    if progress is not None:
        progress(len(entities))
    link_by_name(entities)
    if record_count is not None and record_count != str(len(entities)):
        warnings.append(f"Record_Count says {record_count} entries, the file holds {len(entities)}")
    return ParseResult(source=source, entities=entities, published_at=published_at, warnings=warnings)


def _entry(element: etree._Element, source: str, tags: _Tags, file: InputFile) -> Entity:
    location = element_location(element)
    uid = child_text(element, tags("uid"))
    if uid is None:
        raise ParseError(file.display, location, "sdnEntry without <uid>")
    sdn_type = child_text(element, tags("sdnType"))
    if sdn_type is None:
        raise ParseError(file.display, location, f"sdnEntry {uid} without <sdnType>")
    schema = SCHEMA_BY_TYPE.get(sdn_type.lower())
    if schema is None:
        raise ParseError(file.display, location, f"sdnEntry {uid}: unknown sdnType {sdn_type!r}")
    last = child_text(element, tags("lastName"))
    if last is None:
        raise ParseError(file.display, location, f"sdnEntry {uid} without <lastName>")
    person = schema == "Person"

    entity = Entity(id=f"{source}:{uid}", schema=schema)
    props = entity.properties
    entity.names.append(_name(last, child_text(element, tags("firstName")), "primary", person))
    for aka in element.iterfind(tags("akaList/aka")):
        aka_last = child_text(aka, tags("lastName"))
        aka_first = child_text(aka, tags("firstName"))
        if aka_last is None and aka_first is None:
            continue
        category = (child_text(aka, tags("category")) or "strong").lower()
        alias_type = (child_text(aka, tags("type")) or "").lower()
        kind = "weak" if category == "weak" else ALIAS_KINDS.get(alias_type, "aka")
        entity.names.append(_name(aka_last or "", aka_first, kind, person))

    add_property(props, "title", child_text(element, tags("title")))
    programs = [p for p in (clean_text(e.text) for e in element.iterfind(tags("programList/program"))) if p]
    entity.designations.extend(designations(programs, source))

    # idList items are the same "label value (Country)" facts the CSV packs into Remarks: the shared
    # classifier gives both OFAC formats the same schemes and property keys.
    facts = Remarks()
    for item in element.iterfind(tags("idList/id")):
        _id_item(entity, item, tags, facts)
    remarks = clean_text(child_text(element, tags("remarks")))
    if remarks:
        entity.remarks = remarks
        remark_facts = parse_remarks(remarks)
        _merge(entity, remark_facts)
        facts.listing_dates.extend(remark_facts.listing_dates)
        for target in linked_to_targets(remarks):
            if not any(r.kind == "linked_to" and r.target_name == target for r in entity.relations):
                entity.relations.append(Relation(kind="linked_to", target_name=target))
    _merge(entity, facts)
    for scope, iso in facts.listing_dates:
        _set_listed_on(entity, programs, scope, iso)

    for address in element.iterfind(tags("addressList/address")):
        _address(entity, address, tags, person)
    for item in element.iterfind(tags("dateOfBirthList/dateOfBirthItem")):
        raw = child_text(item, tags("dateOfBirth"))
        dates = parse_dates(raw)
        entity.birth_dates.extend(d for d in dates if d not in entity.birth_dates)
        if raw and not dates:
            add_property(props, "birth_date_text", raw)
    for item in element.iterfind(tags("placeOfBirthList/placeOfBirthItem")):
        place = clean_text(child_text(item, tags("placeOfBirth")))
        if place and place not in entity.birth_places:
            entity.birth_places.append(place)
    for path, role in (
        ("nationalityList/nationality", "nationality"),
        ("citizenshipList/citizenship", "citizenship"),
    ):
        for item in element.iterfind(tags(path)):
            _country(entity, child_text(item, tags("country")), role, role)

    vessel = element.find(tags("vesselInfo"))
    if vessel is not None:
        _vessel(entity, vessel, tags)
    return entity


def _name(last: str, first: str | None, kind: str, person: bool) -> Name:
    """``LAST, First`` as OFAC's CSV prints it, split the way the CSV parser splits it.

    Building the same text and parts from the XML's name fields makes the two OFAC formats give
    equal names; weak aliases carry the whole ``LAST, First`` text in ``lastName``.
    """
    full = f"{last}, {first}" if last and first else (last or first or "")
    family, given = split_person_name(full) if person else (None, None)
    return Name(full=full, kind=kind, family=family, given=given)


def _id_item(entity: Entity, item: etree._Element, tags: _Tags, facts: Remarks) -> None:
    """Classify one ``idList/id`` as the CSV remarks item it prints as, else by the fallbacks."""
    id_type = clean_text(child_text(item, tags("idType"))) or ""
    number = clean_text(child_text(item, tags("idNumber")))
    if not number:
        return
    raw_country = clean_text(child_text(item, tags("idCountry")))
    issued = clean_text(child_text(item, tags("issueDate")))
    expires = clean_text(child_text(item, tags("expirationDate")))
    text = f"{id_type} {number}" if id_type else number
    if raw_country:
        text += f" ({raw_country})"
    if issued:
        text += f" issued {issued}"
    if expires:
        text += f" expires {expires}"
    if id_type and classify_item(text, facts) is not None:
        return

    key = id_type.lower()
    if not key.startswith("digital currency") and (_is_fact_label(key) or key == "gender"):
        value = parse_date(number) if "date" in key else None
        add_property(
            entity.properties, _slug(id_type), value or (number.lower() if key == "gender" else number)
        )
        if value and key.startswith("listing date"):
            facts.listing_dates.append((id_type, value))
        return
    country = country_code(raw_country)
    match = _TRAILING_COUNTRY.match(number) if raw_country is None else None
    if match and (found := country_code(match.group("country"))):
        number, country = match.group("value"), found
    scheme, note = EXTRA_ID_TYPES.get(key, ("other", id_type or None))
    notes = [note] if note else []
    if issued:
        notes.append(f"issued {parse_date(issued) or issued}")
    if expires:
        notes.append(f"expires {parse_date(expires) or expires}")
    value = normalise_identifier(scheme, number)
    entity.identifiers.append(
        Identifier(
            scheme=scheme,
            value=value,
            country=country,
            raw=number,
            note="; ".join(notes) or None,
            valid=identifier_valid(scheme, value),
        )
    )


def _is_fact_label(key: str) -> bool:
    return key.endswith((":", " -")) or any(word in key for word in _FACT_WORDS)


def _slug(label: str) -> str:
    return _SLUG.sub("_", label.lower()).strip("_")


def _merge(entity: Entity, facts: Remarks) -> None:
    """Copy what the remarks classifier found onto the entity, without duplicates."""
    person = entity.schema == "Person"
    known = {n.full.casefold() for n in entity.names}
    for name in facts.names:
        if name.full.casefold() not in known:
            known.add(name.full.casefold())
            # Quoted names in remarks are OFAC's low-quality aliases, whatever the a/f/n.k.a.
            entity.names.append(_name(name.full, None, "weak", person))
    for identifier in facts.identifiers:
        if identifier not in entity.identifiers:
            entity.identifiers.append(identifier)
    entity.birth_dates.extend(d for d in facts.birth_dates if d not in entity.birth_dates)
    entity.birth_places.extend(p for p in facts.birth_places if p not in entity.birth_places)
    for country in facts.countries:
        if country not in entity.countries:
            entity.countries.append(country)
    for relation in facts.relations:
        if relation not in entity.relations:
            entity.relations.append(relation)
    for key, values in facts.properties.items():
        for value in values:
            add_property(entity.properties, key, value)
    facts.names, facts.identifiers, facts.relations, facts.countries = [], [], [], []
    facts.birth_dates, facts.birth_places, facts.properties = [], [], {}


def _set_listed_on(entity: Entity, programs: list[str], scope: str, iso: str) -> None:
    """A listing date names its program in brackets (``CMIC``, ``EO 14024 Directive 2``)."""
    if "cmic" in scope.lower():
        targets = {p for p in programs if "CMIC" in p.upper()}
    elif match := _EO_NUMBER.search(scope):
        targets = {p for p in programs if f"EO{match.group(1)}" in p.upper().replace(" ", "")}
    else:
        targets = set(programs)
    for designation in entity.designations:
        if designation.program in targets and (designation.listed_on is None or iso < designation.listed_on):
            designation.listed_on = iso


def _country(entity: Entity, text: str | None, role: str, text_key: str | None) -> str | None:
    """Add ``Country(code, role)``; keep unresolvable text under ``text_key`` when one is given."""
    code = country_code(text)
    if code is None:
        if text_key is not None:
            add_property(entity.properties, text_key, text)
        return None
    if not any(c.code == code and c.role == role for c in entity.countries):
        entity.countries.append(Country(code=code, role=role))
    return code


def _address(entity: Entity, element: etree._Element, tags: _Tags, person: bool) -> None:
    street_parts = [child_text(element, tags(f"address{i}")) for i in (1, 2, 3)]
    street = clean_text(", ".join(p for p in street_parts if p)) or None
    city = clean_text(child_text(element, tags("city")))
    region = clean_text(child_text(element, tags("stateOrProvince")))
    postal = clean_text(child_text(element, tags("postalCode")))
    country_text = clean_text(child_text(element, tags("country")))
    if not any((street, city, region, postal, country_text)):
        return
    code = _country(entity, country_text, "residence" if person else "country", None)
    full = ", ".join(p for p in (street, city, region, postal, country_text) if p)
    entity.addresses.append(
        Address(full=full, street=street, city=city, region=region, postal_code=postal, country=code)
    )


def _vessel(entity: Entity, element: etree._Element, tags: _Tags) -> None:
    """``vesselInfo``, with the property keys the CSV parser uses for the same columns."""
    props = entity.properties
    add_property(props, "call_sign", child_text(element, tags("callSign")))
    add_property(props, "vessel_type", child_text(element, tags("vesselType")))
    flag = child_text(element, tags("vesselFlag"))
    if flag and flag.lower() != "none identified":
        add_property(props, "flag", country_code(flag) or flag)
        _country(entity, flag, "jurisdiction", None)
    owner = clean_text(child_text(element, tags("vesselOwner")))
    if owner:
        add_property(props, "owner", owner)
        entity.relations.append(Relation(kind="owned_by", target_name=owner))
    add_property(props, "tonnage", _number(child_text(element, tags("tonnage"))))
    add_property(
        props, "gross_registered_tonnage", _number(child_text(element, tags("grossRegisteredTonnage")))
    )


def _number(text: str | None) -> str | None:
    """``1,865`` -> ``1865``: tonnage as a plain number."""
    return text.replace(",", "") if text and re.fullmatch(r"\d{1,3}(?:,\d{3})+", text) else text


def linked_to_targets(remarks: str) -> list[str]:
    """The names after each ``Linked To:`` in OFAC remarks.

    The XML wraps a link in brackets, ``(Linked To: HUAWEI TECHNOLOGIES CO., LTD.)``, the CSV ends
    it with ``;`` or a full stop; names themselves contain brackets
    (``ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE``), so the end is the first ``;`` or
    unbalanced ``)`` rather than a simple pattern.
    """
    targets = []
    for match in _LINKED_TO.finditer(remarks):
        start = match.end()
        bracketed = remarks[: match.start()].rstrip().endswith("(")
        depth = 0
        end = len(remarks)
        for index in range(start, len(remarks)):
            char = remarks[index]
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    end = index
                    break
                depth -= 1
            elif char == ";" and depth == 0:
                end = index
                break
        target = remarks[start:end].strip()
        if not bracketed and end == len(remarks) and target.endswith("."):
            target = target[:-1].rstrip()
        if target:
            targets.append(target)
    return targets


def link_by_name(entities: list[Entity]) -> None:
    """Give name-only relations the id of the entity in the same file whose primary name is that name.

    OFAC prints ``Linked To: NAME``, never the target's uid; where exactly one entry of the same
    file carries that primary name, the link can be followed. The printed name is kept.
    """
    by_name: dict[str, str | None] = {}
    for entity in entities:
        for name in entity.names:
            if name.kind == "primary":
                key = name.full.casefold()
                by_name[key] = entity.id if key not in by_name else None
    for entity in entities:
        for relation in entity.relations:
            if relation.target_id is None and relation.target_name:
                target = by_name.get(relation.target_name.casefold())
                if target is not None and target != entity.id:
                    relation.target_id = target


FORMATS = [
    Format(
        name=FORMAT_NAME,
        sniff=sniff,
        parse=parse,
        roles=("main",),
        required_roles=("main",),
        description="OFAC legacy XML (sdn.xml / consolidated.xml, root <sdnList>)",
    )
]

__all__ = ["FORMATS", "link_by_name", "linked_to_targets", "parse", "sniff"]
