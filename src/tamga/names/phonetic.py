"""A transcription-tolerant key for a name token: the consonant skeleton after unifying spellings.

The same Russian surname reaches the lists as "Shchegolev" (English), "Sjtjogolev" (Swedish),
"Schtschegolew" (German) or "Chtchegolev" (French); an Arabic one as "Chaudhry" or, romanised from
Arabic script that writes no short vowels, "chwhdry". Edit distance between such spellings is
large, but they agree once each language's way of writing one sound is written one way and the
vowels, which vary most, are dropped. The key keeps the first letter (vowel or not) so that
"Ali" and "Li" stay apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Longest spellings first: each alternative is written as the single class letter on the right.
_SOUNDS = (
    ("schtsch|shtch|chtch|stsch|shch|sjtj|szcz|sch|sh|sj|sz|zs", "s"),  # щ ш (and Hungarian zs, ж)
    ("tsch|tch|tsh|tj|cz|cs|ch|c", "c"),  # ч, and ц written c
    ("dzh|dsch|dj|zh|zj", "z"),  # дж ж
    ("kh|q|ck|k|x", "k"),  # х, Arabic qaf, k
    ("gh|g|h", "g"),  # Ukrainian and Belarusian h for Russian g ("Hryhoriy", "Grigoriy"); Arabic ghayn
    ("ts|tz", "c"),  # ц
    ("ph|f", "f"),
    ("w|v", "v"),
    ("th|dh|d|t", "t"),  # dental stops and Arabic interdentals
    ("j|y|i|e|a|o|u", ""),  # vowels and glides: dropped after the first letter
)
_PATTERN = re.compile("|".join(f"(?P<g{i}>{alts})" for i, (alts, _) in enumerate(_SOUNDS)))
_CLASS = {f"g{i}": letter for i, (_, letter) in enumerate(_SOUNDS)}
_VOWELS = set("aeiouyj")  # an initial j or y is a glide before a vowel: "Jauhen", "Yauhen"


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The key of a folded (ASCII, lower-case) token, e.g. ``shchegolev`` and ``sjtjogolev`` → ``sglv``."""
    if not token:
        return ""
    first = "a" if token[0] in _VOWELS else ""
    if len(token) > 3 and token.endswith("h") and token[-2] in _VOWELS:
        token = token[:-1]  # Arabic final -ah/-eh is often written without the h
    body = _PATTERN.sub(lambda m: _CLASS[m.lastgroup or ""], token)
    out: list[str] = []
    for char in body:
        if not out or out[-1] != char:
            out.append(char)
    key = "".join(out)
    if first and not key.startswith("a"):
        key = first + key
    return key


# The same unification with the vowels kept, for telling apart spellings of one name from
# different names that happen to share consonants: "Parshyn" and "Parshin", "Potyopkin" and
# "Potepkin", "Siergiej" and "Sergey" differ only in how each language writes a vowel or a glide.
_SPELLINGS = (
    ("schtsch|shtch|chtch|stsch|shch|sjtj|szcz", "w"),  # щ
    ("sch|sh|sj|sz|zs", "s"),  # ш (and Hungarian zs)
    ("tsch|tch|tsh|tj|cz|cs|ch", "c"),  # ч
    ("dzh|dsch|dj|zh|zj", "z"),  # дж ж
    ("kh|q|ck|k", "k"),
    ("x", "ks"),
    ("gh", "g"),
    ("ts|tz", "c"),
    ("ph", "f"),
    ("w", "v"),
    ("th|dh", "t"),
    ("yo|jo", "io"),  # iotated vowels: ё ю я, with the glide written y, j or i
    ("yu|ju", "iu"),
    ("ya|ja", "ia"),
    ("ye|je|ie", "_"),  # е: "Yelena", "Jelena", "Elena"; Polish "Siergiej"
    ("ou|oo", "u"),
    ("ee|j|y", "i"),
)
_SPELLING_PATTERN = re.compile("|".join(f"(?P<g{i}>{alts})" for i, (alts, _) in enumerate(_SPELLINGS)))
_SPELLING_CLASS = {f"g{i}": letter for i, (_, letter) in enumerate(_SPELLINGS)}


@lru_cache(maxsize=200_000)
def spelling_key(token: str) -> str:
    """A folded token with each transcription habit written one way and doubled consonants single.

    Unlike :func:`skeleton` it keeps the vowels, so it may be trusted for short tokens and near
    misses: ``parshyn`` and ``parshin`` → ``parsin``; ``siergiej`` and ``sergey`` differ by one
    letter where their spellings differ by three.
    """
    body = _SPELLING_PATTERN.sub(lambda m: _SPELLING_CLASS[m.lastgroup or ""], token)
    out: list[str] = []
    for char in body:
        if not out or out[-1] != char or char in "aeiou":
            out.append(char)
    return "".join(out).replace("_", "e")


@lru_cache(maxsize=200_000)
def spelling_keys(token: str) -> tuple[str, ...]:
    """The spelling key, and for a token with "ch" also the key reading it as "kh".

    English writes ч as "ch", German, Polish and Czech write х that way ("Michajlovitj",
    "Chamatowicz"), so a "ch" may be either sound.
    """
    key = spelling_key(token)
    if "ch" not in token:
        return (key,)
    other = spelling_key(re.sub(r"(?<![st])ch", "kh", token))
    return (key,) if other == key else (key, other)
