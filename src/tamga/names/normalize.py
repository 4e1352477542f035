"""Names to comparable tokens: romanised, case- and accent-folded, legal forms removed.

Two spellings compare only after the same treatment: "Hangzhou Hikvision Digital Technology Co.,
Ltd." and "HIKVISION" both lose their legal form, "ZAKIR, Shohrat" and "Shohrat Zakir" give the
same tokens, and a Chinese or Uyghur spelling becomes the Latin tokens a list would print.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types

from tamga.names.transliterate import to_latin

_APOSTROPHES = re.compile(r"['’ʼ`´‘ʻʿʾ·]")  # BGN writes "t·s" for т+с; a word, not two
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Legal forms rigour's table lacks, as they appear folded in the lists (Turkish, Russian state
# forms, the French one-member SARL and SAS).
_EXTRA_ORG_TYPES = re.compile(
    r"\b(?:sanayi ve ticaret|san ve tic|ltd sti|fsue|fse|fgup|fgbu|fkp|federal state (?:unitary |budgetary )?"
    r"(?:enterprise|institution)|sarlu|sasu)\b"
)
# Chinese legal forms, which end a name written without spaces ("杭州海康威视数字技术股份有限公司"),
# in simplified and traditional characters: rigour knows them only as words of their own.
_HAN_ORG_TYPES = re.compile(
    r"(?:股份有限公司|有限责任公司|有限責任公司|有限公司|股份公司|公司)(?![\u4e00-\u9fff])"
)
# Words that carry no identity in an organisation's name.
_ORG_STOPWORDS = frozenset(
    {"the", "of", "and", "for", "in", "de", "la", "le", "des", "du", "und", "der", "die"}
)


def fold(text: str, person: bool = True) -> str:
    """Romanised, lower-case ASCII words separated by single spaces; apostrophes dropped."""
    text = unicodedata.normalize("NFKC", text)
    latin = to_latin(text, person=person).lower()
    latin = _APOSTROPHES.sub("", latin)
    return _NON_WORD.sub(" ", latin).strip()


@lru_cache(maxsize=200_000)
def name_tokens(text: str, schema: str | None = None) -> tuple[str, ...]:
    """The tokens of a name for comparison; organisations lose legal forms and filler words.

    When removing the legal form would leave nothing ("Limited Liability Company"), the name is
    kept whole rather than reduced to an empty string that matches nothing.
    """
    person = schema in (None, "Person")
    if not person:
        # Legal forms go before romanisation too: rigour knows "ООО", "részvénytársaság", "ΕΠΕ"
        # in their own scripts, and their romanisations are not always the ones it knows.
        bare = _HAN_ORG_TYPES.sub(" ", text)
        folded_org = fold(remove_org_types(_EXTRA_ORG_TYPES.sub(" ", bare.lower())), person=False)
        stripped = remove_org_types(_EXTRA_ORG_TYPES.sub(" ", folded_org)).strip()
        words = [w for w in stripped.split() if w not in _ORG_STOPWORDS]
        if words:
            return tuple(words)
    return tuple(fold(text, person=person).split())


# Arabic name particles, written apart or joined to the next word depending on the list
# ("AL-SHEHRI" / "ALSHEHRI", "ABD AL-BASIT" / "ABDUL BASET", "BIN LADEN" / "BINLADEN").
_PARTICLES = frozenset(
    {"al", "el", "ul", "ad", "ud", "abd", "abdal", "abu", "abou", "bin", "bn", "ibn", "ben", "bint", "ould"}
)
_ABD_FORMS = {"abdul": "abdal", "abdel": "abdal", "abdol": "abdal", "abdoul": "abdal", "abdil": "abdal"}


def merge_particles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Tokens with each particle joined to the word it introduces: one spelling of both habits."""
    out: list[str] = []
    for token in reversed(tokens):
        token = _ABD_FORMS.get(token, token)
        if token in _PARTICLES and out:
            out[-1] = token + out[-1]
        else:
            out.append(token)
    return tuple(reversed(out))
