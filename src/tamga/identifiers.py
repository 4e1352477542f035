"""Identifier schemes, value normalisation and checksum validity.

Numbers are compared across lists, so each is stored in one canonical form: upper case without
spaces or punctuation, ``IMO`` prefix removed. Schemes with a check digit (ISIN, IMO, LEI, BIC)
are validated with rigour's identifier formats, and the result kept on the record: an exact match
on a valid ISIN or IMO number is strong evidence when screening.
"""

from __future__ import annotations

import re

from rigour.ids import BIC, IMO, ISIN, LEI

SCHEMES = (
    "passport",
    "national_id",
    "tax_id",
    "registration",
    "isin",
    "lei",
    "imo",
    "ticker",
    "swift",
    "mmsi",
    "aircraft_serial",
    "aircraft_tail",
    "uscc",
    "ogrn",
    "inn",
    "kpp",
    "okpo",
    "duns",
    "crypto_wallet",
    "email",
    "website",
    "phone",
    "other",
)

_CHECKERS = {"isin": ISIN, "imo": IMO, "lei": LEI, "swift": BIC}
_PUNCT = re.compile(r"[\s\-./,:;()]+")
_FREE_FORM = {"email", "website", "crypto_wallet", "other", "phone"}


def normalise_identifier(scheme: str, value: str) -> str:
    """The canonical form of ``value`` under ``scheme``, used for storage and exact comparison."""
    text = value.strip()
    if scheme in ("email", "website"):
        return text.lower()
    if scheme in _FREE_FORM:
        return text
    text = _PUNCT.sub("", text.upper())
    if scheme == "imo" and text.startswith("IMO"):
        text = text[3:]
    return text


def identifier_valid(scheme: str, value: str) -> bool | None:
    """``True``/``False`` for schemes with a checksum, ``None`` where no check exists."""
    checker = _CHECKERS.get(scheme)
    if checker is None:
        return None
    return bool(checker.is_valid(value))
