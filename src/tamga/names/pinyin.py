"""Pinyin syllables: telling a Chinese name's syllables apart, where one letter is another name.

Chinese given names and surnames are built from about four hundred syllables, so "Zheng" and
"Zhang", "Jun" and "Yun", "Zhiqiang" and "Zhiqing" are different names, though one or two letters
apart. Edit distance, which serves well elsewhere, rates them alike; comparing syllable by syllable
does not. The syllable inventory comes from pypinyin's character table, tones removed.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from itertools import chain

from pypinyin.pinyin_dict import pinyin_dict

_VOWELS = set("aeiouv")
MAX_SYLLABLE = 6  # "zhuang", "shuang"


@cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable that has a vowel (interjections such as "hm", "ng" left out)."""
    found: set[str] = set()
    # some 1,500 distinct readings among the 40,000 characters: each is read once
    for reading in set(chain.from_iterable(readings.split(",") for readings in pinyin_dict.values())):
        # ü is written "v" (pypinyin's own plain style, as in "lv") or dropped to "u".
        decomposed = unicodedata.normalize("NFD", reading)
        for form in (decomposed.replace("u\u0308", "v"), decomposed):
            plain = "".join(c for c in form if not unicodedata.combining(c))
            if plain.isascii() and plain.isalpha() and _VOWELS.intersection(plain):
                found.add(plain)
    return frozenset(found)


@lru_cache(maxsize=100_000)
def segment(token: str) -> tuple[str, ...] | None:
    """``token`` split into the fewest pinyin syllables ("zhiqiang" → zhi, qiang), or None if it
    cannot be split so."""
    if not token or len(token) > 4 * MAX_SYLLABLE:
        return None
    inventory = syllables()
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - MAX_SYLLABLE), end):
            head = best[start]
            if head is not None and token[start:end] in inventory:
                candidate = (*head, token[start:end])
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(token)]


def is_pinyin_name(tokens: tuple[str, ...]) -> bool:
    """Whether every token of a name is one or two pinyin syllables, as a romanised Chinese name's
    are (a surname or a given name is one or two). Longer words that happen to split into
    syllables ("Neriya": ne-ri-ya, "Tuniyazi") are other languages' names, or Chinese renderings
    of them, and compare better letter by letter."""
    return bool(tokens) and all(_one_or_two_syllables(token) for token in tokens)


@lru_cache(maxsize=100_000)
def _one_or_two_syllables(token: str) -> bool:
    """Whether :func:`segment` splits ``token`` into at most two syllables: a token is a syllable,
    or one split it in two, without the search for the fewest syllables of a longer word."""
    inventory = syllables()
    if token in inventory:
        return True
    return any(
        token[:cut] in inventory and token[cut:] in inventory
        for cut in range(max(1, len(token) - MAX_SYLLABLE), min(len(token), MAX_SYLLABLE + 1))
    )


@lru_cache(maxsize=200_000)
def syllable_similarity(query: str, listed: str) -> float | None:
    """Share of syllables two pinyin tokens have in the same places, or None when they do not split
    into as many syllables (then they are not compared this way)."""
    a, b = segment(query), segment(listed)
    if a is None or b is None or len(a) != len(b):
        return None
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
