"""The records that flow from parsers into the store and onwards.

Parsers build these plain dataclasses and know nothing of databases; the store persists them and
reads them back unchanged. Every record can be turned into a canonical dict, and that dict is what
snapshots hash and what diffs compare, so two parses of the same file always give equal records.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

SCHEMATA = ("Person", "Organization", "Vessel", "Aircraft")
NAME_KINDS = ("primary", "aka", "fka", "nka", "weak")
RELATION_KINDS = ("owned_by", "subsidiary_of", "subordinate_of", "linked_to", "alias_of")
COUNTRY_ROLES = ("nationality", "citizenship", "residence", "jurisdiction", "country")

_SPACE = re.compile(r"\s+")


def clean_text(value: str | None) -> str | None:
    """Collapse runs of whitespace and NFC-normalise; empty strings become ``None``.

    Official files pad fields, wrap lines inside quoted cells and mix composed and decomposed
    accents; comparing or hashing such text without this step gives false differences.
    """
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isprintable() and "  " not in text:
        return text or None  # nearly every field of every list: skip the regex and NFC
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return text or None


def detect_script(text: str) -> str | None:
    """Name the dominant Unicode script of ``text`` (``Latin``, ``Han``, ``Cyrillic``, ``Arabic``…).

    The store keeps the script beside every name so that matching can choose a transliteration
    and a researcher can filter native-script spellings. Returns ``None`` for text without letters.
    """
    if text.isascii():
        return "Latin" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _char_script(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda item: item[1])[0]


@lru_cache(maxsize=65536)
def _char_script(char: str) -> str:
    """The script of one letter, from its Unicode name; cached because names repeat letters."""
    try:
        return _script_of(unicodedata.name(char))
    except ValueError:
        return "Other"


_SCRIPT_PREFIXES = (
    ("CJK", "Han"),
    ("HIRAGANA", "Hiragana"),
    ("KATAKANA", "Katakana"),
    ("HANGUL", "Hangul"),
    ("LATIN", "Latin"),
    ("CYRILLIC", "Cyrillic"),
    ("ARABIC", "Arabic"),
    ("GREEK", "Greek"),
    ("HEBREW", "Hebrew"),
    ("THAI", "Thai"),
    ("GEORGIAN", "Georgian"),
    ("ARMENIAN", "Armenian"),
    ("DEVANAGARI", "Devanagari"),
    ("BENGALI", "Bengali"),
    ("TAMIL", "Tamil"),
    ("MYANMAR", "Myanmar"),
    ("KHMER", "Khmer"),
    ("ETHIOPIC", "Ethiopic"),
    ("TIBETAN", "Tibetan"),
    ("MONGOLIAN", "Mongolian"),
)


def _script_of(unicode_name: str) -> str:
    for prefix, script in _SCRIPT_PREFIXES:
        if unicode_name.startswith(prefix):
            return script
    return "Other"


@dataclass
class Name:
    """One spelling of an entity's name, as published.

    ``full`` is the text exactly as the source wrote it (whitespace collapsed). Where the source
    splits the name into parts, they are kept: OFAC's ``LAST, First`` gives ``family`` and
    ``given``, UN and UK lists give numbered name parts.
    """

    full: str
    kind: str = "primary"
    script: str | None = None
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    patronymic: str | None = None
    lang: str | None = None
    quality: str | None = None

    def __post_init__(self) -> None:
        self.full = clean_text(self.full) or ""
        if self.kind not in NAME_KINDS:
            raise ValueError(f"unknown name kind {self.kind!r}")
        for attr in ("given", "middle", "family", "patronymic"):
            setattr(self, attr, clean_text(getattr(self, attr)))
        if self.script is None and self.full:
            self.script = detect_script(self.full)


@dataclass
class Identifier:
    """A document or registry number: passport, tax id, ISIN, IMO…

    ``value`` is normalised (upper case, no spaces) so that equal numbers compare equal across
    lists; ``raw`` keeps the text as published. ``valid`` is set only for schemes with a checksum
    (ISIN, IMO, LEI…) and is ``None`` where no check exists.
    """

    scheme: str
    value: str
    country: str | None = None
    raw: str | None = None
    note: str | None = None
    valid: bool | None = None


@dataclass
class Address:
    """A postal address; ``full`` is the address as one line, the parts where the source has them."""

    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass
class Country:
    """A country linked to the entity (ISO 3166 alpha-2, lower case), with the kind of link."""

    code: str
    role: str = "country"

    def __post_init__(self) -> None:
        self.code = self.code.lower()
        if self.role not in COUNTRY_ROLES:
            raise ValueError(f"unknown country role {self.role!r}")


@dataclass
class Designation:
    """One listing of the entity by an authority under a program."""

    authority: str
    list: str
    program: str | None = None
    listed_on: str | None = None
    removed_on: str | None = None
    legal_basis: str | None = None
    reason: str | None = None
    source_url: str | None = None
    # Left unset for official lists. False for a curated action its sources do not confirm.
    verified: bool | None = None


@dataclass
class Relation:
    """A link to another entity: by id where the source gives one, else by the name it prints."""

    kind: str
    target_id: str | None = None
    target_name: str | None = None
    share: float | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in RELATION_KINDS:
            raise ValueError(f"unknown relation kind {self.kind!r}")
        if not self.target_id and not self.target_name:
            raise ValueError("a relation needs a target id or a target name")


@dataclass
class Entity:
    """A person, organisation, vessel or aircraft as one source lists it.

    ``id`` is ``{source}:{id in that source}`` and stays the same across snapshots of the source.
    Dates are ISO 8601 and may be partial (``1961``, ``1961-12``). ``properties`` holds the
    source-specific facts that have no column of their own (vessel flag, tonnage, title, gender…),
    each as a list of strings.
    """

    id: str
    schema: str
    names: list[Name] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    remarks: str | None = None
    properties: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.schema not in SCHEMATA:
            raise ValueError(f"unknown schema {self.schema!r} for {self.id}")
        if ":" not in self.id:
            raise ValueError(f"entity id {self.id!r} lacks its source prefix")

    @property
    def source(self) -> str:
        """The source slug, the part of the id before the first colon."""
        return self.id.split(":", 1)[0]

    @property
    def caption(self) -> str:
        """The name to show a person: the first primary name, else the first name at all."""
        for name in self.names:
            if name.kind == "primary":
                return name.full
        return self.names[0].full if self.names else self.id

    def to_dict(self) -> dict[str, Any]:
        """A canonical, JSON-ready dict: list order kept, duplicates dropped, empty values omitted."""
        data: dict[str, Any] = {"id": self.id, "schema": self.schema}
        for name in _ENTITY_FIELDS:
            value = getattr(self, name)
            if isinstance(value, list):
                items = _dedupe([_compact(v) if not isinstance(v, str) else v for v in value])
                if items:
                    data[name] = items
            elif isinstance(value, dict):
                props = {k: _dedupe(list(v)) for k, v in sorted(value.items()) if v}
                if props:
                    data[name] = props
            elif value not in (None, ""):
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        """Rebuild an entity from :meth:`to_dict` output."""
        return cls(
            id=data["id"],
            schema=data["schema"],
            names=[Name(**n) for n in data.get("names", [])],
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            birth_dates=list(data.get("birth_dates", [])),
            birth_places=list(data.get("birth_places", [])),
            countries=[Country(**c) for c in data.get("countries", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            designations=[Designation(**d) for d in data.get("designations", [])],
            relations=[Relation(**r) for r in data.get("relations", [])],
            remarks=data.get("remarks"),
            properties={k: list(v) for k, v in data.get("properties", {}).items()},
        )

    def content_hash(self) -> str:
        """sha256 of the canonical dict: equal for equal content, whatever the parse order."""
        return hash_canonical(self.to_dict())


def hash_canonical(data: dict[str, Any]) -> str:
    """The content hash of an :meth:`Entity.to_dict` result (for callers that already hold one)."""
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _compact(record: Any) -> dict[str, Any]:
    """A record's non-empty fields, read directly (``dataclasses.asdict`` deep-copies, and is slow)."""
    return {k: v for k, v in vars(record).items() if v is not None and v != ""}


def _dedupe(items: list[Any]) -> list[Any]:
    if not items or isinstance(items[0], str):
        return list(dict.fromkeys(items))
    seen: set[Any] = set()
    out = []
    for item in items:
        key = tuple(item.items())
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


_ENTITY_FIELDS = tuple(f.name for f in fields(Entity) if f.name not in ("id", "schema"))
