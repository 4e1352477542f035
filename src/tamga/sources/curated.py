"""Curated actions: a sourced fact table, one row per target per action, as a source of its own.

The table (``src/tamga/data/curated/xinjiang_actions.csv``, maintained with the project; its
README names the sources) records what the official lists do not say alone: when each
jurisdiction acted against whom, under which program and legal reference, with the addresses
that show it. The file is recognised by its header. Rows about one target (by name) make one
entity, ``curated:<slug>``, with a designation per action. A row marked ``verified=no`` is
loaded but flagged: its designation has ``verified=False`` and a reason starting with
"UNVERIFIED", and the entity lists such actions under the property ``unverified``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from tamga.dates import parse_date
from tamga.model import Designation, Entity, Name
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

HEADER = (
    "date",
    "jurisdiction",
    "authority",
    "program",
    "target_name",
    "target_type",
    "aliases",
    "native_name",
    "role",
    "legal_reference",
    "source_url",
    "verified",
)
SOURCE = "curated"
UNVERIFIED = "UNVERIFIED"
_NOTE = re.compile(r"\s*\([^)]*\)")  # "和田泰达服装 (per 2020 Entity List report)"
_LANGUAGE = re.compile(r"^(?:Uyghur|Uighur|Chinese|Kazakh)\s*:\s*", re.I)  # "Uyghur: شىنجاڭ …"
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_AUTHORITIES = (("EU ", "EU"), ("UK ", "UK"), ("Canada ", "CA"), ("UN ", "UN"))


def _header(file: InputFile) -> list[str] | None:
    try:
        first = strip_bom(file.head(4096).decode("utf-8", errors="replace")).splitlines()[0]
    except (IndexError, OSError):
        return None
    return next(csv.reader([first]), None)


def sniff(file: InputFile) -> FileKind | None:
    header = _header(file)
    if header is not None and tuple(h.strip() for h in header) == HEADER:
        return FileKind("curated-actions", SOURCE)
    return None


def slug(name: str) -> str:
    """The id of a target within the source: its name folded to ASCII words joined by "-"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_WORD.sub("-", folded).strip("-")


def authority_and_list(text: str) -> tuple[str, str]:
    """``US-BIS Entity List`` → (``US-BIS``, ``Entity List``); ``US-DHS/CBP Withhold Release
    Order`` → (``US-DHS``, ``CBP Withhold Release Order``); ``EU Global Human Rights Sanctions
    Regime (Council)`` → (``EU``, the whole text)."""
    if text.startswith("US-"):
        head, _, rest = text.partition(" ")
        code, _, office = head.partition("/")
        return code, " ".join(p for p in (office, rest) if p) or code
    for prefix, code in _AUTHORITIES:
        if text.startswith(prefix):
            return code, text
    return text, text


def _names(row: dict[str, str]) -> list[Name]:
    names = [Name(full=row["target_name"], kind="primary")]
    for field, kind in (("aliases", "aka"), ("native_name", "aka")):
        for part in row[field].split(";"):
            for piece in _NOTE.sub("", part).split(" / "):
                piece = _LANGUAGE.sub("", piece.strip())
                if piece:
                    names.append(Name(full=piece, kind=kind))
    return names


def parse(files: dict[str, InputFile], source: str, progress: Progress | None = None) -> ParseResult:
    file = files["main"]
    text = strip_bom(decode_utf8(file.read_bytes(), file))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise ParseError(file.display, "line 1", f"expected the header {','.join(HEADER)}")
    entities: dict[str, Entity] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(HEADER):
            raise ParseError(file.display, f"line {line}", f"{len(values)} fields, expected {len(HEADER)}")
        row = dict(zip(HEADER, (v.strip() for v in values), strict=True))
        if not row["target_name"]:
            raise ParseError(file.display, f"line {line}", "target_name is empty")
        listed_on = parse_date(row["date"])  # "unknown" where no source dates the action
        if listed_on is None and row["date"].lower() not in ("", "unknown"):
            raise ParseError(file.display, f"line {line}", f"date {row['date']!r} is not a date")
        if row["verified"] not in ("yes", "no"):
            raise ParseError(
                file.display, f"line {line}", f"verified must be yes or no, not {row['verified']!r}"
            )
        entity_id = f"{source}:{slug(row['target_name'])}"
        entity = entities.get(entity_id)
        if entity is None:
            schema = "Person" if row["target_type"].startswith("individual") else "Organization"
            entity = entities[entity_id] = Entity(id=entity_id, schema=schema)
            entity.properties["target_type"] = [row["target_type"]]
        for name in _names(row):
            if name.full not in {n.full for n in entity.names}:
                entity.names.append(name)
        authority, listing = authority_and_list(row["authority"])
        urls = [u.strip() for u in row["source_url"].split("|") if u.strip()]
        reason = row["role"] or None
        if row["verified"] == "no":
            reason = f"{UNVERIFIED}: {reason}" if reason else UNVERIFIED
            entity.properties.setdefault("unverified", []).append(f"{listed_on} {row['authority']}")
        entity.designations.append(
            Designation(
                authority=authority,
                list=listing,
                program=row["program"] or None,
                listed_on=listed_on,
                legal_basis=row["legal_reference"] or None,
                reason=reason,
                source_url=urls[0] if urls else None,
                verified=row["verified"] == "yes",
            )
        )
        if len(urls) > 1:
            entity.properties.setdefault("source_url", []).extend(urls)
        if progress is not None and len(entities) % 50 == 0:
            progress(len(entities))
    return ParseResult(source, list(entities.values()))


FORMATS = [
    Format(
        name="curated-actions",
        sniff=sniff,
        parse=parse,
        description="curated table of sanctions actions, one row per target per action (tamga's own)",
    )
]
