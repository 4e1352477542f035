"""Country names and codes as published, turned into ISO 3166 alpha-2 codes.

Lists write countries as "Korea, North", "Burma", "Region: Gaza", "RUS" or "CHN"; the store keeps
lower-case alpha-2 codes so that all sources compare. Look-ups go through rigour's territory
table, which knows the sanctions lists' spellings, with a few additions for the phrasings it lacks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.territories import get_territories, lookup_territory

# Phrasings seen in official lists that the territory table does not resolve on its own.
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


@lru_cache(maxsize=1)
def _exact_names() -> dict[str, str]:
    """Codes, names and full names of every territory, lower case: resolves most list spellings.

    Loading this takes a tenth of a second, whereas rigour's fuzzy look-up table takes seconds to
    build; the fuzzy look-up is used only for the spellings this misses.
    """
    table: dict[str, str] = {}
    for territory in get_territories():
        keys = (territory.name, territory.full_name, territory.code, territory.alpha3, *territory.other_codes)
        for key in keys:
            if key:
                table.setdefault(key.lower(), territory.code)
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
    exact = _exact_names().get(key)
    if exact is not None:
        return exact
    territory = lookup_territory(key)
    if territory is None:
        return None
    return territory.code
