"""Structure out of OFAC's free-text ``Remarks`` field.

OFAC's CSV files (and the legacy XML) pack most facts about an entry into one remarks string:
``DOB Dec 1961; POB Aksu, Xinjiang, China; nationality China; Gender Male; Linked To: XINJIANG
PUBLIC SECURITY BUREAU.`` Identity documents, registry numbers, ISINs, tickers, crypto wallets,
listing dates and the low-quality ``a.k.a.`` names all live there and nowhere else in the CSV set.

:func:`parse_remarks` splits the text into its ``;``-separated items and classifies each by its
label. Items it cannot classify are kept in :attr:`Remarks.items` with ``label=None`` so nothing is
lost (the full text also stays on the entity); :attr:`Remarks.coverage` reports the share that
was understood.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tamga.countries import country_code
from tamga.dates import parse_date, parse_dates
from tamga.identifiers import identifier_valid, normalise_identifier
from tamga.model import Country, Identifier, Name, Relation, clean_text


@dataclass
class RemarkItem:
    """One ``;``-separated item of a remarks text and what it was recognised as (``None``: unknown)."""

    text: str
    label: str | None = None


@dataclass
class Remarks:
    """The facts found in one remarks text.

    ``listing_dates`` holds ``(qualifier, iso date)`` pairs such as ``("CMIC", "2021-06-03")`` or
    ``("EO 14024 Directive 2", "2022-02-24")``: the caller decides which one is the listing date of
    which designation.
    """

    names: list[Name] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    listing_dates: list[tuple[str, str]] = field(default_factory=list)
    items: list[RemarkItem] = field(default_factory=list)

    @property
    def unknown(self) -> list[str]:
        """The items no rule recognised, as published."""
        return [item.text for item in self.items if item.label is None]

    @property
    def coverage(self) -> float:
        """Share of items classified (1.0 for an empty text)."""
        if not self.items:
            return 1.0
        return sum(1 for item in self.items if item.label is not None) / len(self.items)

    def add_property(self, key: str, value: str | None) -> None:
        """Append ``value`` to ``properties[key]`` once; empty values are dropped."""
        value = clean_text(value)
        if not value:
            return
        values = self.properties.setdefault(key, [])
        if value not in values:
            values.append(value)


# --------------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------------

# A last token like "S.A." / "C.V." / "LTD." keeps its period: it is part of the name, and OFAC
# does not add a sentence period after it.
_ABBREV_END = re.compile(
    r"(?:^|\s)(?:(?:[A-Za-z]\.){2,}|(?i:ltd|co|inc|corp|ltda|bhd|jr|sr|st|llc|plc|ag|gmbh|cia)\.)$"
)
_AKA_OPEN = re.compile(r"^[afn]\.k\.a\.,?\s*'", re.I)


def _strip_period(item: str) -> str:
    item = item.strip()
    if item.endswith(".") and not _ABBREV_END.search(item):
        item = item[:-1].rstrip()
    return item


def _split_outside_parens(text: str) -> list[str]:
    """Split on ``;`` except inside parentheses; an unclosed parenthesis splits anyway."""
    pieces = text.split(";")
    if "(" not in text:
        return pieces
    parts: list[str] = []
    group: list[str] = []
    depth = 0
    for piece in pieces:
        group.append(piece)
        depth += piece.count("(") - piece.count(")")
        if depth <= 0:
            parts.append(";".join(group))
            group = []
            depth = 0
    parts.extend(group)  # never closed: keep the pieces apart
    return parts


def split_remarks(text: str | None) -> list[str]:
    """The items of a remarks text, whitespace collapsed and the closing period removed.

    ``;`` inside parentheses does not split (one entry nests a whole passport description in
    parentheses), but an unclosed parenthesis (text cut short) does not swallow the rest. A quoted
    ``a.k.a. '…'`` name that contains ``;`` is joined back together.
    """
    if not text:
        return []
    text = " ".join(text.split())
    if not text or text == "-0-":
        return []
    pieces = _split_outside_parens(text)
    items: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i].strip()
        if piece[1:5].lower() == ".k.a" and _AKA_OPEN.match(piece) and not _strip_period(piece).endswith("'"):
            # look ahead (at most three pieces) for the closing quote
            for j in range(i + 1, min(i + 4, len(pieces))):
                if _strip_period(pieces[j]).endswith("'"):
                    piece = ";".join(pieces[i : j + 1]).strip()
                    i = j
                    break
        piece = _strip_period(piece)
        if piece:
            items.append(piece)
        i += 1
    return items


# --------------------------------------------------------------------------------------------
# Identifier labels
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _IdSpec:
    scheme: str
    note: str | None = None  # written to Identifier.note (the label, for ``other`` and variants)
    structured: bool = True  # value may carry "(Country)" and "issued …" clauses


_P = _IdSpec("passport")
_NID = _IdSpec("national_id")
_TAX = _IdSpec("tax_id")
_REG = _IdSpec("registration")


def _spec(scheme: str, note: str | None = None, structured: bool = True) -> _IdSpec:
    return _IdSpec(scheme, note, structured)


# label as printed -> spec. Variants of one label (with/without dots, "#", "No.") are listed
# separately; longer labels win over their prefixes.
ID_LABELS: dict[str, _IdSpec] = {
    # passports and travel documents
    "Passport": _P,
    "Diplomatic Passport": _spec("passport", "diplomatic passport"),
    "Official Passport": _spec("passport", "official passport"),
    "Service Passport": _spec("passport", "service passport"),
    "Passport Booklet": _spec("passport", "passport booklet"),
    "Travel Document Number": _spec("passport", "travel document"),
    # personal identity numbers
    "National ID No.": _NID,
    "National ID": _NID,
    "National ID Number": _NID,
    "Cedula No.": _spec("national_id", "cedula"),
    "D.N.I.": _spec("national_id", "D.N.I."),
    "SSN": _spec("national_id", "SSN"),
    "C.U.R.P.": _spec("national_id", "C.U.R.P."),
    "CURP": _spec("national_id", "C.U.R.P."),
    "Identification Number": _NID,
    "Personal ID Card": _NID,
    "Kenyan ID No.": _NID,
    "Turkish Identification Number": _NID,
    "Numero de Identidad": _NID,
    "Tazkira National ID Card": _spec("national_id", "tazkira"),
    "UAE Identification": _NID,
    "National Foreign ID Number": _spec("national_id", "national foreign id"),
    "Electoral Registry No.": _spec("national_id", "electoral registry"),
    "Credencial electoral": _spec("national_id", "credencial electoral"),
    "I.F.E.": _spec("national_id", "I.F.E."),
    "C.U.I.": _spec("national_id", "C.U.I."),
    "LE Number": _spec("national_id", "libreta electoral"),
    "Identity Card": _NID,
    "Residency Number": _spec("other", "residency number"),
    "Birth Certificate Number": _spec("other", "birth certificate"),
    "Driver's License No.": _spec("other", "driver's license"),
    "Cartilla de Servicio Militar Nacional": _spec("other", "cartilla de servicio militar"),
    "VisaNumberID": _spec("other", "visa"),
    "Immigration No.": _spec("other", "immigration number"),
    "C.U.I.P.": _spec("other", "C.U.I.P."),
    "Refugee ID Card": _spec("other", "refugee id card"),
    "Pilot License Number": _spec("other", "pilot license"),
    "SRE Permit No.": _spec("other", "SRE permit"),
    "Stateless Person Passport": _spec("passport", "stateless person passport"),
    "Stateless Person ID Card": _spec("other", "stateless person id card"),
    "Temporary Residence Permit": _spec("other", "temporary residence permit"),
    "Residency Permit": _spec("other", "residency permit"),
    "Social Security Number": _spec("national_id", "SSN"),
    "Moroccan Personal ID No.": _NID,
    "Bosnian Personal ID No.": _NID,
    "Afghan Money Service Provider License Number": _spec("registration", "money service provider license"),
    # tax numbers
    "Tax ID No.": _TAX,
    "Tax ID": _TAX,
    "NIT": _spec("tax_id", "NIT"),
    "R.F.C.": _spec("tax_id", "R.F.C."),
    "RFC": _spec("tax_id", "R.F.C."),
    "RUC": _spec("tax_id", "RUC"),
    "V.A.T. Number": _spec("tax_id", "VAT"),
    "VAT Number": _spec("tax_id", "VAT"),
    "C.U.I.T.": _spec("tax_id", "C.U.I.T."),
    "CUIT": _spec("tax_id", "C.U.I.T."),
    "RIF": _spec("tax_id", "RIF"),
    "RTN": _spec("tax_id", "RTN"),
    "US FEIN": _spec("tax_id", "US FEIN"),
    "Italian Fiscal Code": _spec("tax_id", "Italian fiscal code"),
    "Numero Unico de Identificacao Tributaria (NUIT)": _spec("tax_id", "NUIT"),
    "C.I.F.": _spec("tax_id", "C.I.F."),
    "Fiscal Code": _TAX,
    # company and registry numbers
    "Registration Number": _REG,
    "Registration ID": _REG,
    "Registration No.": _REG,
    "Company Number": _REG,
    "Company ID": _REG,
    "UK Company Number": _REG,
    "Business Registration Number": _REG,
    "Business Number": _REG,
    "Commercial Registry Number": _REG,
    "C.R. No.": _spec("registration", "C.R."),
    "Romanian C.R.": _spec("registration", "C.R."),
    "Folio Mercantil No.": _spec("registration", "folio mercantil"),
    "Matricula Mercantil No": _spec("registration", "matricula mercantil"),
    "Chamber of Commerce Number": _spec("registration", "chamber of commerce"),
    "Istanbul Chamber of Comm. No.": _spec("registration", "Istanbul chamber of commerce"),
    "Dubai Chamber of Commerce Membership No.": _spec("registration", "Dubai chamber of commerce"),
    "Trade License No.": _spec("registration", "trade license"),
    "Business Registration Document": _REG,
    "Public Registration Number": _REG,
    "Central Registration System Number": _REG,
    "Enterprise Number": _REG,
    "Branch Unit Number": _spec("registration", "branch unit"),
    "Certificate of Incorporation Number": _REG,
    "Economic Register Number (CBLS)": _spec("registration", "CBLS"),
    "Registered Charity No.": _spec("registration", "registered charity"),
    "License": _spec("registration", "license"),
    "Permit Number": _spec("registration", "permit"),
    "File Number": _REG,
    "Organization Code": _spec("registration", "organization code"),
    "Government Gazette Number": _IdSpec("okpo"),
    "Unified Social Credit Code (USCC)": _IdSpec("uscc"),
    "United Social Credit Code Certificate (USCCC)": _IdSpec("uscc"),
    "Legal Entity Number": _IdSpec("lei"),
    "SWIFT/BIC": _IdSpec("swift"),
    "ISIN": _IdSpec("isin"),
    "Equity Ticker": _IdSpec("ticker", structured=False),
    "D-U-N-S Number": _IdSpec("duns"),
    "BIK (RU)": _spec("other", "BIK"),
    "Chinese Commercial Code": _spec("other", "Chinese commercial code", structured=False),
    # vessels and aircraft
    "Vessel Registration Identification": _IdSpec("imo"),
    "IMO": _IdSpec("imo"),
    "MMSI": _IdSpec("mmsi"),
    "Aircraft Manufacturer's Serial Number (MSN)": _IdSpec("aircraft_serial"),
    "Aircraft Serial Identification": _IdSpec("aircraft_serial"),
    "Aircraft Tail Number": _IdSpec("aircraft_tail"),
    "Aircraft Construction Number (also called L/N or S/N or F/N)": _spec(
        "other", "aircraft construction number"
    ),
    # contact details
    "Email Address": _IdSpec("email", structured=False),
    "Email": _IdSpec("email", structured=False),
    "Website": _IdSpec("website", structured=False),
    "Phone Number": _IdSpec("phone", structured=False),
    "Phone No.": _IdSpec("phone", structured=False),
    "Phone": _IdSpec("phone", structured=False),
    "Telephone Number": _IdSpec("phone", structured=False),
    "Telephone No.": _IdSpec("phone", structured=False),
    "Telephone": _IdSpec("phone", structured=False),
    "Fax No.": _spec("phone", "fax", structured=False),
    "Fax": _spec("phone", "fax", structured=False),
}


def _label_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]", "", label.lower())


_ID_BY_KEY = {_label_key(label): spec for label, spec in ID_LABELS.items()}
_ID_BY_LOWER = {label.lower(): spec for label, spec in ID_LABELS.items()}
_ID_RE = re.compile(
    r"^(?P<label>"
    + "|".join(re.escape(label) for label in sorted(ID_LABELS, key=len, reverse=True))
    + r")(?:\s*#|\s+No\.?(?=[\s:]))?\s*:?\s+(?P<rest>\S.*)$",
    re.I,
)
_CRYPTO_RE = re.compile(r"^Digital Currency Address\s*-\s*(?P<cur>[A-Za-z0-9]+)\s+(?P<rest>\S+)$", re.I)
_IMO_VALUE = re.compile(r"^IMO\s*(\d{7})$", re.I)
_IMO_BARE = re.compile(r"^(?:IMO\s*)?(\d{7})$", re.I)
_ID_CLAUSE = re.compile(
    r"\s*,?\s+(?P<clause>(?:issued|expires|expired|expiring|expiration|valid|issue date|date of issue|"
    r"registered|dated)\b.*)$",
    re.I,
)
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_DIGITS = re.compile(r"^\d+$")


def _identifier(spec: _IdSpec, label: str, rest: str) -> Identifier | None:
    rest = rest.strip()
    notes: list[str] = []
    country: str | None = None
    value = rest
    if spec.structured:
        if m := _ID_CLAUSE.search(value):
            notes.append(m.group("clause"))
            value = value[: m.start()]
        # trailing "(Country)"; other parenthesised text becomes a note
        while m := _TRAILING_PAREN.search(value):
            if m.start() == 0:
                break
            content = m.group(1).strip()
            code = country_code(content) if country is None else None
            if code:
                country = code
            elif content:
                notes.insert(0, content)
            value = value[: m.start()]
    value = value.strip(" ,;:")
    if not value:
        return None
    scheme = spec.scheme
    note = spec.note
    if scheme == "imo":
        if m := _IMO_BARE.match(value):
            value = m.group(1)
        else:  # a national ship register number, not an IMO number
            scheme, note = "registration", "vessel registration"
    elif spec.structured and (m := _IMO_VALUE.match(value)):
        scheme, value, note = "imo", m.group(1), f"{label} IMO"
    canonical = normalise_identifier(scheme, value)
    if not canonical:
        return None
    # Russian registry numbers have names of their own: INN (tax), OGRN (state registration).
    if country == "ru" and _DIGITS.match(canonical):
        if scheme == "tax_id" and len(canonical) in (10, 12):
            scheme = "inn"
        elif scheme == "registration" and len(canonical) in (13, 15):
            scheme = "ogrn"
    if notes:
        note = "; ".join([note, *notes] if note else notes)
    return Identifier(
        scheme=scheme,
        value=canonical,
        country=country,
        raw=value,
        note=note,
        valid=identifier_valid(scheme, canonical),
    )


# --------------------------------------------------------------------------------------------
# Classification: each rule names the first words it can start with, so an item is tried only
# against the few rules that could match it.
# --------------------------------------------------------------------------------------------

_Handler = Callable[[re.Match[str], Remarks], str | None]


@dataclass(frozen=True)
class _Rule:
    heads: tuple[str, ...]
    pattern: re.Pattern[str]
    handle: _Handler


def _head(text: str) -> str:
    return text.split(" ", 1)[0].rstrip(":#,").lower()


def _dates_of_birth(value: str) -> list[str]:
    """``DOB`` values: a date, a partial date, ``circa``, or a range (every year it spans)."""
    if " to " in value:
        first, _, last = value.partition(" to ")
        start, end = parse_date(first), parse_date(last)
        if start and end:
            if start == end:
                return [start]
            if start[:7] == end[:7] and len(start) >= 7:
                return [start[:7]]
            y1, y2 = int(start[:4]), int(end[:4])
            if y1 == y2:
                return [start[:4]]
            if y1 < y2 and y2 - y1 <= 10:
                return [f"{y:04d}" for y in range(y1, y2 + 1)]
            return [start, end]
    return parse_dates(value)


def _on_dob(m: re.Match[str], out: Remarks) -> str | None:
    dates = _dates_of_birth(m.group(1))
    for date in dates:
        if date not in out.birth_dates:
            out.birth_dates.append(date)
    return "birth_date" if dates else None


def _on_pob(m: re.Match[str], out: Remarks) -> str | None:
    place = clean_text(m.group(1))
    if place and place not in out.birth_places:
        out.birth_places.append(place)
    return "birth_place"


def _country(out: Remarks, text: str, role: str) -> str:
    code = country_code(re.sub(r"^possibly\s+", "", text.strip(), flags=re.I))
    if code:
        country = Country(code, role)
        if country not in out.countries:
            out.countries.append(country)
    return role


def _on_country(role: str) -> _Handler:
    def handle(m: re.Match[str], out: Remarks) -> str | None:
        return _country(out, m.group(1), role)

    return handle


def _on_gender(m: re.Match[str], out: Remarks) -> str | None:
    out.add_property("gender", m.group(1).lower())
    return "gender"


def _on_linked(m: re.Match[str], out: Remarks) -> str | None:
    target = clean_text(m.group(1))
    if not target:
        return None
    out.relations.append(Relation(kind="linked_to", target_name=target))
    return "linked_to"


_AKA_KINDS = {"a": "weak", "f": "fka", "n": "nka"}


def _on_aka(m: re.Match[str], out: Remarks) -> str | None:
    text = clean_text(m.group(2))
    if not text:
        return None
    kind = _AKA_KINDS[m.group(1).lower()]
    out.names.append(Name(full=text, kind=kind))
    return f"name:{kind}"


def _on_crypto(m: re.Match[str], out: Remarks) -> str | None:
    wallet = m.group("rest")
    out.identifiers.append(
        Identifier(
            scheme="crypto_wallet",
            value=normalise_identifier("crypto_wallet", wallet),
            raw=wallet,
            note=m.group("cur").upper(),
            valid=identifier_valid("crypto_wallet", wallet),
        )
    )
    return "id:crypto_wallet"


def _on_identifier(m: re.Match[str], out: Remarks) -> str | None:
    label = m.group("label")
    spec = _ID_BY_LOWER.get(label.lower()) or _ID_BY_KEY[_label_key(label)]
    identifier = _identifier(spec, label, m.group("rest"))
    if identifier is None:
        return None
    out.identifiers.append(identifier)
    return f"id:{identifier.scheme}"


_DATE_KINDS = {"listing": "listing", "effective": "effective", "purchase/sales for divestment": "divestment"}


def _on_date(m: re.Match[str], out: Remarks) -> str | None:
    date = parse_date(m.group("date"))
    if date is None:
        return None
    kind = _DATE_KINDS[m.group("kind").lower()]
    qualifier = " ".join(m.group("qual").split())
    if qualifier.upper() == "CMIC":
        out.add_property(f"cmic_{kind}_date", date)
    else:
        out.add_property(f"directive_{kind}_date", f"{date} ({qualifier})")
    if kind == "listing":
        out.listing_dates.append((qualifier, date))
    return f"{kind}_date"


def _on_relative(m: re.Match[str], out: Remarks) -> str | None:
    target = clean_text(m.group("name"))
    if not target:
        return None
    out.relations.append(Relation(kind="linked_to", target_name=target, note=m.group("rel").lower()))
    return "relative"


_NULL_VALUES = {"none identified", "undetermined", "unknown"}


def _property(key: str, kind: str = "text") -> _Handler:
    """A handler that stores group 1 in ``properties[key]``: as text, ISO date or ISO2 country."""

    def handle(m: re.Match[str], out: Remarks) -> str | None:
        value = m.group(1).strip()
        if kind == "date":
            value = parse_date(value) or value
        elif kind == "country":
            if value.lower() in _NULL_VALUES:
                return key
            value = country_code(value) or value
        elif kind == "lower":
            value = value.lower()
        out.add_property(key, value)
        return key

    return handle


def _rule(heads: str, pattern: str, handle: _Handler) -> _Rule:
    return _Rule(tuple(heads.split("|")), re.compile(pattern, re.I), handle)


_RELATIVES = ("wife", "husband", "spouse", "son", "daughter", "brother", "sister", "father", "mother")
_RELATIVES += ("nephew", "niece", "cousin", "uncle", "aunt", "grandson", "granddaughter")
_RELATIVE_HEADS = "|".join(
    f"{prefix}{word}{suffix}"
    for word in _RELATIVES
    for prefix in ("", "half-", "step-")
    for suffix in ("", "-in-law")
)

# Order matters among rules sharing a first word (most specific first).
RULES: tuple[_Rule, ...] = (
    _rule("nationality", r"^Nationality of Registration:?\s+(.+)$", _property("flag", "country")),
    _rule("dob", r"^DOB:?\s+(.+)$", _on_dob),
    _rule("pob", r"^POB:?\s+(.+)$", _on_pob),
    _rule("nationality", r"^nationality:?\s+(.+)$", _on_country("nationality")),
    _rule("citizen|citizenship", r"^citizen(?:ship)?:?\s+(.+)$", _on_country("citizenship")),
    _rule("gender", r"^Gender:?\s+(Male|Female)$", _on_gender),
    _rule("linked", r"^Linked To:\s*(.+)$", _on_linked),
    _rule("a.k.a.|f.k.a.|n.k.a.", r"^([afn])\.k\.a\.,?\s*'(.*)'$", _on_aka),
    _rule("digital", r"^Digital Currency Address\s*-\s*(?P<cur>[A-Za-z0-9]+)\s+(?P<rest>\S+)$", _on_crypto),
    _Rule(tuple(sorted({_head(label) for label in ID_LABELS})), _ID_RE, _on_identifier),
    _rule(
        "listing|effective|purchase/sales",
        r"^(?P<kind>Listing|Effective|Purchase/Sales For Divestment) Date"
        r" \((?P<qual>[^)]+)\):?\s+(?P<date>.+)$",
        _on_date,
    ),
    _rule(
        "additional",
        r"^Additional Sanctions Information\s*-\s*(.+)$",
        _property("additional_sanctions_information"),
    ),
    _rule("secondary", r"^Secondary sanctions risk:\s*(.+)$", _property("secondary_sanctions_risk")),
    _rule(
        "transactions",
        r"^Transactions Prohibited For Persons Owned or Controlled By"
        r" U\.?\s?S\.? Financial Institutions:\s*(.+)$",
        _property("transactions_prohibited"),
    ),
    _rule("executive", r"^(Executive Order \d+ Directive Determination\s*-.+)$", _property("directive")),
    _rule("executive", r"^(Executive Order \d+ information:.+)$", _property("executive_order_information")),
    _rule("executive", r"^(Executive Order \d+ Directive Information\b.*)$", _property("directive_info")),
    _rule("caatsa", r"^(CAATSA Section \d+ Information:\s*.+)$", _property("caatsa_information")),
    _rule("ifca", r"^(IFCA Determination\s*-\s*.+)$", _property("ifca_determination")),
    _rule("for", r"^For more information\b.*?(https?://\S+)$", _property("information_url")),
    _rule("issuer", r"^Issuer Name:?\s+(.+)$", _property("issuer_name")),
    _rule("target", r"^Target Type:?\s+(.+)$", _property("target_type")),
    _rule("organization", r"^Organization Established Date:?\s+(.+)$", _property("established_date", "date")),
    _rule("organization", r"^Organization Type:\s*(.+)$", _property("organization_type")),
    _rule("aircraft", r"^Aircraft Manufacture Date:?\s+(.+)$", _property("build_date", "date")),
    _rule("aircraft", r"^Aircraft Model:?\s+(.+)$", _property("aircraft_model")),
    _rule("aircraft", r"^Aircraft Operator:?\s+(.+)$", _property("operator")),
    _rule("aircraft", r"^Aircraft Mode S Transponder Code:?\s+(.+)$", _property("mode_s_code")),
    _rule("former", r"^Former Vessel Flag:?\s+(.+)$", _property("former_flag", "country")),
    _rule("other", r"^Other Vessel Flag:?\s+(.+)$", _property("flag", "country")),
    _rule("other", r"^Other Vessel Type:?\s+(.+)$", _property("vessel_type")),
    _rule("other", r"^Other Vessel Call Sign:?\s+(.+)$", _property("call_sign")),
    _rule("vessel", r"^Vessel Year of Build:?\s+(.+)$", _property("build_date", "date")),
    _rule("icty", r"^(ICTY indictee\b.*)$", _property("legal_status")),
    _rule("arrested", r"^arrested\s+(.+)$", _property("arrested", "date")),
    _rule("ethnicity", r"^ethnicity:?\s+(.+)$", _property("ethnicity")),
    _rule("tribe", r"^Tribe:?\s+(.+)$", _property("tribe")),
    _rule(
        "all|and",
        r"^((?:and\s+)?all\s+(?:other\s+)?(?:offices|branches|locations)\s+worldwide)$",
        _property("scope", "lower"),
    ),
    _rule(_RELATIVE_HEADS, rf"^(?P<rel>{_RELATIVE_HEADS}) of (?P<name>.+)$", _on_relative),
)

_DISPATCH: dict[str, list[_Rule]] = {}
for _r in RULES:
    for _h in _r.heads:
        _DISPATCH.setdefault(_h, []).append(_r)


def classify_item(item: str, out: Remarks, titles: Iterable[str] = ()) -> str | None:
    """Recognise one remarks item, record what it says on ``out``, return its label or ``None``."""
    if titles and item in titles:
        return "title"
    if item[:5].lower() == "alt. ":
        item = item[5:]
    for rule in _DISPATCH.get(_head(item), ()):
        if m := rule.pattern.match(item):
            label = rule.handle(m, out)
            if label is not None:
                return label
    return None


def parse_remarks(text: str | None, titles: Iterable[str] = ()) -> Remarks:
    """Split an OFAC remarks text into structured facts.

    ``titles`` are the entry's titles (the CSV's Title column, split on ``;``): OFAC repeats them
    in the remarks, so an item equal to a title counts as understood.
    """
    out = Remarks()
    title_set = {t for t in (clean_text(t) for t in titles) if t} if titles else set()
    for item in split_remarks(text):
        out.items.append(RemarkItem(item, classify_item(item, out, title_set)))
    return out
