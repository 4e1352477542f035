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
from collections.abc import Sequence
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


def _spellings(table: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern that cuts a token into the spellings of ``table`` (and single letters), and what
    each spelling is written as.

    The alternatives are grouped by their first letter, keeping their order, so the regex engine
    tries a handful of them at each letter rather than all forty; it picks what the plain
    alternation in table order would, since alternatives with different first letters never
    both match at one place.
    """
    written: dict[str, str] = {}
    for alternatives, letter in table:
        for spelling in alternatives.split("|"):
            written.setdefault(spelling, letter)
    by_first: dict[str, list[str]] = {}
    for spelling in written:
        by_first.setdefault(spelling[0], []).append(spelling[1:])
    groups = [
        first if rests == [""] else f"{first}(?:{'|'.join(rests)})" for first, rests in by_first.items()
    ]
    return re.compile("|".join([*groups, "."]), re.S), written


_PATTERN, _CLASS = _spellings(_SOUNDS)
_RUNS = re.compile(r"(.)\1+", re.S)  # a letter written twice or more in a row
_VOWELS = set("aeiouyj")  # an initial j or y is a glide before a vowel: "Jauhen", "Yauhen"


# Between tokens written one after another, so that many are keyed in one pass of each regex:
# no spelling takes in either character, and no run of one letter spans them.
_SEPARATOR = "\x00\n"


def _rewritten(tokens: Sequence[str], pattern: re.Pattern[str], written: dict[str, str]) -> str:
    """The tokens, joined by :data:`_SEPARATOR`, with each spelling of ``pattern`` rewritten."""
    return "".join([written.get(part, part) for part in pattern.findall(_SEPARATOR.join(tokens))])


def skeletons(tokens: Sequence[str]) -> list[str]:
    """:func:`skeleton` of each token: a few thousand at a time take a third of the time of a
    call per token, since the regexes run once over them all."""
    trimmed = [
        # Arabic final -ah/-eh is often written without the h
        token[:-1] if len(token) > 3 and token.endswith("h") and token[-2] in _VOWELS else token
        for token in tokens
    ]
    keys = _RUNS.sub(r"\1", _rewritten(trimmed, _PATTERN, _CLASS)).split(_SEPARATOR)
    # the first letter is kept, vowel or not, so that "Ali" and "Li" stay apart
    return [
        "a" + key if token and token[0] in _VOWELS and not key.startswith("a") else key
        for token, key in zip(tokens, keys, strict=True)
    ]


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The key of a folded (ASCII, lower-case) token, e.g. ``shchegolev`` and ``sjtjogolev`` → ``sglv``."""
    return skeletons([token])[0]


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
_SPELLING_PATTERN, _SPELLING_CLASS = _spellings(_SPELLINGS)
_CONSONANT_RUNS = re.compile(r"([^aeiou])\1+", re.S)


def _spelling_keys(tokens: Sequence[str]) -> list[str]:
    body = _rewritten(tokens, _SPELLING_PATTERN, _SPELLING_CLASS)
    return _CONSONANT_RUNS.sub(r"\1", body).replace("_", "e").split(_SEPARATOR)


@lru_cache(maxsize=200_000)
def spelling_key(token: str) -> str:
    """A folded token with each transcription habit written one way and doubled consonants single.

    Unlike :func:`skeleton` it keeps the vowels, so it may be trusted for short tokens and near
    misses: ``parshyn`` and ``parshin`` → ``parsin``; ``siergiej`` and ``sergey`` differ by one
    letter where their spellings differ by three.
    """
    return _spelling_keys([token])[0]


_CH = re.compile(r"(?<![st])ch")


def spelling_keys_of(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """The spelling key of each token, and for a token with "ch" also the key reading it as "kh".

    English writes ч as "ch", German, Polish and Czech write х that way ("Michajlovitj",
    "Chamatowicz"), so a "ch" may be either sound. Many tokens at a time are keyed in one pass,
    as :func:`skeletons` are.
    """
    found: list[tuple[str, ...]] = [(key,) for key in _spelling_keys(tokens)]
    with_ch = [i for i, token in enumerate(tokens) if "ch" in token]
    if with_ch:
        others = _spelling_keys([_CH.sub("kh", tokens[i]) for i in with_ch])
        for i, other in zip(with_ch, others, strict=True):
            if other != found[i][0]:
                found[i] = (found[i][0], other)
    return found


@lru_cache(maxsize=200_000)
def spelling_keys(token: str) -> tuple[str, ...]:
    """:func:`spelling_keys_of` one token."""
    return spelling_keys_of([token])[0]
