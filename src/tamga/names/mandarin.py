"""Chinese names written in Uyghur script, read back as the pinyin the lists print.

Uyghur-language media and documents write the names of Chinese officials in the Uyghur alphabet
by sound: 陈全国 (Chen Quanguo) is "چېن چۈەنگو" (chén chüen'go), 朱海仑 (Zhu Hailun) "جۇ خەيلۈن"
(ju xeylün). Read with Uyghur's own conventions these are "chen chuengo" and "ju xeylun", far from
the pinyin. Mandarin has only some four hundred syllables, and the Uyghur spelling of each follows
fixed habits (pinyin h is written x, q and ch both ch, j and zh both j, x and sh both sh, -an
-en, -ong -ung, -uo -o), most of them undone by the vowel that follows: j, q and x come only
before i and ü. A name whose every word splits into such syllables is read back; one that does not
("ئەركىن تۇنىياز", Erkin Tuniyaz) is a Uyghur name and has no such reading.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tamga.names.pinyin import syllables
from tamga.names.transliterate import UEY_TO_ULY, uyghur_letters

# The Uyghur letters as ULY writes them, keeping one letter for each sound and what ASCII folding
# loses: ü (ۈ) apart from u (ۇ), é (ې) apart from e (ە). The sounds Mandarin lacks are read as the
# nearest it has (zh as r, gh as g, q as k).
_LETTERS = {
    **UEY_TO_ULY,
    "چ": "C", "ش": "S", "ڭ": "N", "ۈ": "v", "ې": "E", "ژ": "r", "غ": "g", "ق": "k",
}  # fmt: skip
# C is ch, S sh, N ng, v ü, E é: one letter each, so that a syllable is one initial and a final.
_VOWEL = "aeEiouv"
_SYLLABLE = re.compile(
    rf"(ts|[bpmfdtnlgkxjCSrzscyw])?"  # the initial, if any
    rf"([yw]?[{_VOWEL}]+(?:y(?![{_VOWEL}])|w(?![{_VOWEL}]))?(?:N|n(?![{_VOWEL}]))?)"  # the final
)
# Uyghur finals as pinyin writes them (i- and u- medials written y and w after a consonant).
_FINALS = {
    "a": "a", "o": "uo", "E": "e", "e": "e", "i": "i", "u": "u", "v": "v",
    "ey": "ai", "ay": "ai", "Ey": "ei", "aw": "ao", "ao": "ao", "ow": "ou", "ou": "ou",
    "en": "an", "an": "an", "En": "en", "in": "in", "un": "un", "vn": "vn",
    "aN": "ang", "EN": "eng", "eN": "eng", "iN": "ing", "uN": "ong",
    "ya": "ia", "ia": "ia", "yE": "ie", "iE": "ie", "yaw": "iao", "iaw": "iao", "yu": "iu",
    "iu": "iu", "yen": "ian", "ien": "ian", "yaN": "iang", "iaN": "iang", "yuN": "iong",
    "iuN": "iong", "wa": "ua", "ua": "ua", "uo": "uo", "way": "uai", "uay": "uai", "uy": "ui",
    "wEy": "ui", "uEy": "ui", "uen": "uan", "wen": "uan", "uaN": "uang", "waN": "uang",
    "vE": "ve", "ven": "van",
}  # fmt: skip
# The sounds Uyghur writes alike, told apart by what follows: j q x before i and ü only.
_PALATAL = {"j": ("j", "zh"), "C": ("q", "ch"), "S": ("x", "sh")}
_PLAIN = {"x": "h", "ts": "c", "C": "ch", "S": "sh"}


def _syllable(initial: str, final: str) -> str | None:
    pinyin_final = _FINALS.get(final)
    if pinyin_final is None:
        return None
    if initial in _PALATAL:
        palatal, retroflex = _PALATAL[initial]
        initial = palatal if pinyin_final[0] in "iv" else retroflex
    else:
        initial = _PLAIN.get(initial, initial)
    if initial in ("b", "p", "m", "f") and pinyin_final == "uo":
        pinyin_final = "o"  # bo, po, mo, fo
    if initial in ("y", "w"):
        # y and w begin a syllable that has no initial: yan, yong, wan, wei
        pinyin_final = {"uan": "an", "iu": "ou", "uo": "ou"}.get(pinyin_final, pinyin_final)
        if initial == "w" and pinyin_final[0] == "u" and len(pinyin_final) > 1:
            pinyin_final = pinyin_final[1:]
    elif not initial and pinyin_final == "uo":
        pinyin_final = "o"
    if pinyin_final[0] == "v" and initial in ("j", "q", "x", "y"):
        pinyin_final = "u" + pinyin_final[1:]  # ju, quan, xun, yu: pinyin drops the umlaut there
    syllable = initial + pinyin_final
    inventory = syllables()
    if syllable not in inventory and "v" in syllable:
        syllable = syllable.replace("v", "u")  # ü written where pinyin has u: "lün" for lun
    return syllable if syllable in inventory else None


@lru_cache(maxsize=20_000)
def _word(word: str) -> str | None:
    """One Uyghur-script word read as pinyin syllables written together, or None."""
    spelled = "".join(_LETTERS.get(char, "?") for char in word)
    if not spelled or "?" in spelled:
        return None
    read, at = [], 0
    for found in _SYLLABLE.finditer(spelled):
        if found.start() != at:
            return None
        syllable = _syllable(found.group(1) or "", found.group(2))
        if syllable is None:
            return None
        read.append(syllable.replace("v", "u"))
        at = found.end()
    return "".join(read) if at == len(spelled) and 1 <= len(read) <= 3 else None


_WORD = re.compile(r"[\u0600-\u06ff]+")


def mandarin_reading(text: str) -> str | None:
    """A name in Uyghur script read as the pinyin of the Chinese name it transcribes, when every
    word is one to three Mandarin syllables ("چېن چۈەنگو" → "chen quanguo"); None otherwise."""
    if not uyghur_letters(text):
        return None
    words = _WORD.findall(text)
    read = [_word(word) for word in words]
    if not words or any(r is None for r in read):
        return None
    return " ".join(r for r in read if r)
