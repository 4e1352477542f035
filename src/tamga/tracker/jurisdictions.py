"""Who acted: authorities grouped into jurisdictions, programs reduced to their codes, and dates.

A researcher asks about the United States, not about OFAC, BIS and the State Department one by
one, so every authority code (``US-OFAC``, ``US-BIS``…) belongs to the jurisdiction before its
dash. Programs are printed differently by each list ("GLOMAG", "GLOBAL MAGNITSKY (GLOMAG) - SDN
asset freeze"); comparing their all-capital codes lets the same program be recognised in both.
"""

from __future__ import annotations

import re

from tamga.model import Designation

JURISDICTIONS = ("US", "EU", "UK", "CA", "UN")
_CODE = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")
_NOT_CODES = {"SDN", "THE", "AND", "FOR", "EAR", "CFR", "USC", "INA", "LTD", "SEC", "NOT", "PER"}


def jurisdiction_of(authority: str) -> str:
    """``US-OFAC`` → ``US``; ``EU`` → ``EU``."""
    return authority.split("-", 1)[0].upper()


def parse_jurisdictions(text: str, option: str = "jurisdictions") -> tuple[str, ...]:
    """``"EU, uk,CA"`` → ``("EU", "UK", "CA")``; unknown codes are an error naming them."""
    codes = tuple(dict.fromkeys(c.strip().upper() for c in text.split(",") if c.strip()))
    unknown = [c for c in codes if c not in JURISDICTIONS]
    if unknown:
        raise ValueError(
            f"{option}: unknown jurisdiction {', '.join(unknown)} (known: {', '.join(JURISDICTIONS)})"
        )
    if not codes:
        raise ValueError(f"{option}: name at least one jurisdiction ({', '.join(JURISDICTIONS)})")
    return codes


def program_codes(program: str | None) -> set[str]:
    """The codes a program text carries: ``GLOBAL MAGNITSKY (GLOMAG) - SDN asset freeze`` →
    {GLOBAL, MAGNITSKY, GLOMAG}; a bare code is itself."""
    if not program:
        return set()
    text = program.strip()
    if " " not in text:
        return {text.upper()}
    return {c for c in _CODE.findall(text) if len(c) >= 4 and c not in _NOT_CODES}


def program_matches(designation: Designation, wanted: str) -> bool:
    """Whether a designation is under the program ``wanted`` (a code, or words of its name)."""
    program = designation.program or ""
    wanted = wanted.strip()
    if wanted.upper() in program_codes(program):
        return True
    return wanted.casefold() in program.casefold() or wanted.casefold() in designation.list.casefold()


def on_or_before(date: str | None, as_of: str | None) -> bool:
    """Whether a (possibly partial) ISO date falls on or before ``as_of`` (``None``: today).

    A partial date counts from its first day: a listing "2021-12" is in force on 2021-12-31 but
    not known to be on 2021-11-30.
    """
    if date is None:
        return False
    if as_of is None:
        return True
    return date <= as_of
