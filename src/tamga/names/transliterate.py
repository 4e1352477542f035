"""Any script to Latin, the way sanctions lists romanise names.

ICU's ``Any-Latin`` handles Cyrillic, Greek, Arabic, Hebrew, Korean and most others. Two scripts need
more than ICU offers: Chinese, where pinyin syllables must be grouped the way names are written
("陈全国" is "Chen Quanguo", not "chen quan guo"), and Uyghur, whose Arabic alphabet has its own
vowel letters that ICU leaves untouched ("ئەركىن" is "Erkin"). Those are handled here.
"""

from __future__ import annotations

import re
from functools import lru_cache

import icu
from pypinyin import Style, lazy_pinyin

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
# Letters used by Uyghur (and not by Arabic or Persian): their presence means the ULY table applies.
_UYGHUR_LETTERS = set("ەۇۆۈېڭۋ")

# Uyghur Arabic script (UEY) to Uyghur Latin script (ULY), folded to ASCII as lists print it.
UEY_TO_ULY = {
    "ا": "a",
    "ە": "e",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ج": "j",
    "چ": "ch",
    "خ": "x",
    "د": "d",
    "ر": "r",
    "ز": "z",
    "ژ": "zh",
    "س": "s",
    "ش": "sh",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ک": "k",
    "گ": "g",
    "ڭ": "ng",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ھ": "h",
    "ه": "h",
    "و": "o",
    "ۇ": "u",
    "ۆ": "o",
    "ۈ": "u",
    "ۋ": "w",
    "ې": "e",
    "ى": "i",
    "ي": "y",
    "ی": "y",
    "ئ": "",  # hamza carrier before a vowel: silent
    "ء": "",
    "ـ": "",  # tatweel
}


@lru_cache(maxsize=8)
def _icu(rule: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(rule)


def han_to_pinyin(text: str, person: bool = True) -> str:
    """Chinese characters to pinyin, one word per run of characters, a person's family name apart.

    For a person, a run of two to four characters is a Chinese name: family name, then the given
    name joined ("陈全国" → "chen quanguo"). Other runs, and runs split by "·" (transcribed foreign
    names such as "艾尔肯·吐尼亚孜"), give one word per run ("aierken tuniyazi").
    """

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
        if person and 2 <= len(run) <= 4 and "·" not in text:
            return f" {syllables[0]} {''.join(syllables[1:])} "
        return f" {''.join(syllables)} "

    return _HAN_RUN.sub(convert, text)


_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
# Korean family names as English-language lists write them (ICU gives Revised Romanization:
# 김 "gim", 박 "bag", 이 "i"); the spelling the lists use for the few dozen common ones.
_KOREAN_FAMILY = {
    "김": "kim", "이": "lee", "리": "ri", "박": "pak", "최": "choe", "정": "jong", "조": "jo",
    "강": "kang", "윤": "yun", "장": "jang", "한": "han", "오": "o", "서": "so", "신": "sin",
    "권": "kwon", "황": "hwang", "안": "an", "송": "song", "류": "ryu", "홍": "hong", "전": "jon",
    "고": "ko", "문": "mun", "손": "son", "양": "yang", "배": "pae", "백": "paek", "허": "ho",
    "남": "nam", "노": "no", "심": "sim", "하": "ha", "곽": "kwak", "성": "song", "차": "cha",
    "주": "ju", "우": "u", "구": "ku", "민": "min", "진": "jin", "지": "ji", "엄": "om", "채": "chae",
    "원": "won", "천": "chon", "방": "pang", "공": "kong", "현": "hyon", "함": "ham", "변": "pyon",
    "염": "yom", "석": "sok", "선": "son", "설": "sol", "마": "ma", "길": "kil", "연": "yon",
    "위": "wi", "표": "pyo", "명": "myong", "기": "ki", "반": "pan", "왕": "wang", "금": "kum",
    "옥": "ok", "육": "yuk", "인": "in", "맹": "maeng", "제": "je", "모": "mo", "탁": "tak",
    "국": "kuk", "여": "yo", "추": "chu", "도": "to", "소": "so", "용": "yong",
}  # fmt: skip


_RR_INITIAL = {"g": "k", "d": "t", "b": "p", "j": "ch"}


def _mccune_reischauer(syllable: str) -> str:
    """A Revised Romanization syllable in the McCune-Reischauer style lists use for DPRK names
    (gyeong → kyong, sig → sik), without its diacritics."""
    if syllable[:1] in _RR_INITIAL and syllable[:2] not in ("ch",):
        syllable = _RR_INITIAL[syllable[0]] + syllable[1:]
    syllable = syllable.replace("eo", "o").replace("eu", "u")
    if syllable.endswith("g") and not syllable.endswith("ng"):
        syllable = syllable[:-1] + "k"
    return syllable


def hangul_to_latin(text: str, person: bool = True) -> str:
    """Korean to Latin, syllable by syllable; a person's family name apart and as lists spell it.

    "김수광" becomes "kim sugwang", which meets OFAC's "KIM, Su-Kwang" once "Su-Kwang" is read
    as one word; other runs become one word each.
    """

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        syllables = [_mccune_reischauer(_icu("Hangul-Latin; Latin-ASCII").transliterate(c)) for c in run]
        if person and 2 <= len(run) <= 4:
            family = _KOREAN_FAMILY.get(run[0], syllables[0])
            return f" {family} {''.join(syllables[1:])} "
        return f" {''.join(syllables)} "

    return _HANGUL_RUN.sub(convert, text)


def uyghur_letters(text: str) -> bool:
    """Whether ``text`` has letters of the Uyghur alphabet that Arabic and Persian lack."""
    return any(char in _UYGHUR_LETTERS for char in text)


def uyghur_to_latin(text: str) -> str:
    """Uyghur Arabic script to Latin (ULY conventions, ASCII-folded)."""
    return "".join(UEY_TO_ULY.get(char, char) for char in text)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_LETTERS = set("їЇєЄґҐ")
_BELARUSIAN_LETTERS = set("ўЎ")


def _script_rule(text: str) -> str:
    """The ICU transform for the text's script, preferring the BGN/PCGN systems lists use.

    OFAC and most English-language lists romanise Russian, Ukrainian and Belarusian names with
    BGN/PCGN ("Shchegolev", "Mykolayovych"); the language is told by the letters it alone uses.
    """
    if _CYRILLIC.search(text):
        if any(c in _UKRAINIAN_LETTERS for c in text):
            return "Ukrainian-Latin/BGN"
        if any(c in _BELARUSIAN_LETTERS for c in text):
            return "Belarusian-Latin/BGN"
        return "Russian-Latin/BGN"
    if _ARABIC.search(text):
        return "Arabic-Latin"
    return "Any-Latin"


_INITIAL_AIN = re.compile(r"(?<![\w])[ʿʾ]")
# Urdu and Persian letters ICU's Arabic-Latin leaves as they are.
_URDU = str.maketrans(
    {"ہ": "h", "ھ": "h", "ۂ": "h", "ے": "e", "ۓ": "e", "ں": "n", "ٹ": "t", "ڈ": "d", "ڑ": "r"}
)


# Arabic letters Persian pronounces, and Iranian names are romanised, otherwise: ض ذ ظ as z,
# ث ص as s, ط as t, ق as gh ("رضا" is Reza, not Rida; "آقاجانی" Aghajani, not Aqajani).
_PERSIAN_SOUNDS = str.maketrans({"ض": "ز", "ذ": "ز", "ظ": "ز", "ث": "س", "ص": "س", "ط": "ت", "ق": "غ"})
# The article written joined to its word ("المعلا", al-Mu'alla): set apart, so that the name
# meets a list that leaves the article out, and, joined again as particles are, one that keeps it.
_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2})")


def persian_reading(text: str) -> str | None:
    """``text`` in Arabic script written with the letters Persian reads as it romanises them, when
    that differs: a name in Arabic script may be Persian or Arabic, and the lists romanise each
    its own way. ``None`` for other scripts, and for Uyghur, which has its own letters."""
    if not _ARABIC.search(text) or any(char in _UYGHUR_LETTERS for char in text):
        return None
    persian = text.translate(_PERSIAN_SOUNDS)
    return persian if persian != text else None


def to_latin(text: str, person: bool = True) -> str:
    """Romanise any script to ASCII Latin, keeping word boundaries; Latin text just loses accents."""
    if _HAN_RUN.search(text):
        text = han_to_pinyin(text, person)
    if _HANGUL_RUN.search(text):
        text = hangul_to_latin(text, person)
    if _ARABIC.search(text):
        if any(char in _UYGHUR_LETTERS for char in text):
            text = uyghur_to_latin(text)
        else:
            text = _ARTICLE.sub("ال ", text.translate(_URDU))
    if text.isascii():
        return text
    rule = _script_rule(text)
    latin = _icu(f"{rule}; Any-Latin").transliterate(text)
    if rule == "Arabic-Latin":
        # A word-initial ʿain or hamza carries a vowel that Arabic script does not write:
        # "ʿmad" is Imad or Emad, "ʿly" is Ali. Inside a word it is simply dropped.
        latin = _INITIAL_AIN.sub("a", latin)
    return _icu("Latin-ASCII").transliterate(latin)
