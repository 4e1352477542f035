"""Country names and codes as published, turned into ISO 3166 alpha-2 codes.

Lists write countries as "Korea, North", "Burma", "Region: Gaza", "RUS" or "CHN"; the store keeps
lower-case alpha-2 codes so that all sources compare. The names come from rigour's territory
data (official, common and other-language names, and major places), normalised here with a cheap
accent and case fold: rigour's own look-up table costs seconds to build on first use, which every
ingest would pay. A few list phrasings it lacks are added below.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.territories import lookup_by_identifier
from rigour.territories.lookup import _load_territory_names

_EXTRA = {
    "crimea region of ukraine": "ua",
    "crimea": "ua",
    "the former yugoslav republic of macedonia": "mk",
    "soviet union": "suhh",
    "ussr": "suhh",
    "yugoslavia": "yucs",
    "czechoslovakia": "cshh",
    "german democratic republic": "ddde",
    "netherlands antilles": "an",
    # OFAC's spellings (sdn.csv, add.csv, Remarks), resolved without the slow fuzzy table.
    "korea, north": "kp",
    "north korea": "kp",
    "korea, south": "kr",
    "south korea": "kr",
    "burma": "mm",
    "turkey": "tr",
    "hong kong": "hk",
    "macau": "mo",
    "west bank": "ps",
    "palestinian": "ps",
    "northern gaza": "ps",
    "north gaza": "ps",
    "bahamas, the": "bs",
    "the gambia": "gm",
    "gambia, the": "gm",
    "virgin islands, british": "vg",
    "congo, democratic republic of the": "cd",
    "congo, republic of the": "cg",
    "cote d ivoire": "ci",
    "cote divoire": "ci",
    "northern mali": "ml",
    "north macedonia, the republic of": "mk",
    "man, isle of": "im",
    "russia": "ru",
    "iran": "ir",
    "syria": "sy",
    "venezuela": "ve",
    "laos": "la",
    "vietnam": "vn",
    "moldova": "md",
    "tanzania": "tz",
    "bolivia": "bo",
    "cabo verde": "cv",
    "sao tome and principe": "st",
    "st. kitts and nevis": "kn",
    "st. kitts & nevis": "kn",
    "st. vincent and the grenadines": "vc",
    "st. lucia": "lc",
    "gaza": "ps",
    "gaza strip": "ps",
    "occupied palestinian territory": "ps",
    "united states of america": "us",
    "usa": "us",
    "u.s.a.": "us",
    "uk": "gb",
    "england": "gb",
    "scotland": "gb",
    "northern ireland": "gb",
    "wales": "gb",
}

_UNKNOWN = {"", "undetermined", "unknown", "-", "none", "n/a", "stateless", "not known"}
_PREFIX = re.compile(r"^(region|country|nationality)\s*:\s*", re.I)


_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded territory name -> code; strong names win over weak ones, and both over places."""
    rows = list(_load_territory_names())
    table: dict[str, str] = {}
    for kind in (1, 2, 3):  # strong names, weak names, places
        for territory, *names in rows:
            for name in names[kind - 1]:
                table.setdefault(_fold(name), territory.code)
    return table


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """ISO alpha-2 (lower case) for a country name or code, or ``None`` when it names no country.

    Historic states keep their ISO 3166-3 style codes (``suhh`` for the Soviet Union) because a
    birth place in the USSR is not a birth place in Russia.
    """
    if not text:
        return None
    key = _PREFIX.sub("", text.strip()).strip(" .;,").lower()
    if key in _UNKNOWN:
        return None
    if key in _EXTRA:
        return _EXTRA[key]
    found = _names().get(_fold(key))
    if found is not None:
        return found
    territory = lookup_by_identifier(key)
    return territory.code if territory is not None else None
