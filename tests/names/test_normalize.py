"""Every spelling of a name folds to the Latin tokens a sanctions list would print."""

from __future__ import annotations

import pytest

from tamga.names import fold, name_tokens, to_latin
from tamga.names.transliterate import persian_reading


@pytest.mark.parametrize(
    ("text", "schema", "tokens"),
    [
        ("TUNIYAZ, Erken", "Person", ("tuniyaz", "erken")),
        ("艾尔肯·吐尼亚孜", "Person", ("aierken", "tuniyazi")),  # Chinese rendering of a Uyghur name
        ("ئەركىن تۇنىياز", "Person", ("erkin", "tuniyaz")),  # Uyghur Arabic script
        ("陈全国", "Person", ("chen", "quanguo")),  # family name apart, given name joined
        ("Александр Гельевич ДУГИН", "Person", ("aleksandr", "gelyevich", "dugin")),  # BGN/PCGN
        (
            "Hangzhou Hikvision Digital Technology Co., Ltd.",
            "Organization",
            ("hangzhou", "hikvision", "digital", "technology"),
        ),
        ("OOO Romashka", "Organization", ("romashka",)),
        ("BOIS ROUGE SARLU", "Organization", ("bois", "rouge")),  # a legal form rigour lacks
        ("Limited Liability Company", "Organization", ("limited", "liability", "company")),
        (
            "Xinjiang shengchan jianshe bingtuan gong'an ju",
            "Organization",
            ("xinjiang", "shengchan", "jianshe", "bingtuan", "gongan", "ju"),
        ),
    ],
)
def test_name_tokens(text: str, schema: str, tokens: tuple[str, ...]) -> None:
    assert name_tokens(text, schema) == tokens


def test_korean_names_as_dprk_listings_spell_them() -> None:
    assert name_tokens("김경남", "Person") == ("kim", "kyongnam")  # OFAC: KIM, Kyong Nam
    assert name_tokens("김수광", "Person") == ("kim", "sukwang")  # OFAC: KIM, Su-Kwang


def test_chinese_organisation_names_are_not_split_like_person_names() -> None:
    assert name_tokens("海康威视", "Organization") == ("haikangweishi",)
    assert name_tokens("海康威视", "Person") == ("hai", "kangweishi")


def test_chinese_legal_forms_end_an_organisation_name_without_a_space() -> None:
    # simplified and traditional, with or without "股份" (joint-stock) before them
    hikvision = ("hangzhouhaikangweishishuzijishu",)
    assert name_tokens("杭州海康威视数字技术股份有限公司", "Organization") == hikvision
    assert name_tokens("杭州海康威视数字技术", "Organization") == hikvision
    assert name_tokens("曠視科技有限公司", "Organization") == name_tokens("旷视科技", "Organization")
    assert name_tokens("东方网力有限責任公司", "Organization") == ("dongfangwangli",)
    # a legal form inside the name is kept, and one standing alone is the name
    assert name_tokens("公司法研究所", "Organization") == ("gongsifayanjiusuo",)
    assert name_tokens("有限公司", "Organization") == ("youxiangongsi",)


def test_fold_drops_accents_and_punctuation() -> None:
    assert fold("Müller-Lüdenscheidt, José") == "muller ludenscheidt jose"
    assert to_latin("Ερκίν") == "Erkin"


def test_the_arabic_article_is_set_apart() -> None:
    # "المعلا" is al-Mu'alla: OFAC lists "MUALLA"; "عبدالله" keeps its inner "al"
    assert name_tokens("بديع المعلا", "Person") == ("bdy", "al", "mla")
    assert name_tokens("عبدالله", "Person") == ("abdallh",)


def test_a_persian_reading_of_arabic_script() -> None:
    assert name_tokens(persian_reading("رضا") or "", "Person") == ("rza",)  # Reza, not Rida
    assert name_tokens(persian_reading("آقاجانی") or "", "Person") == ("aghajany",)
    assert persian_reading("Reza") is None
    assert persian_reading("ئەركىن تۇنىياز") is None  # Uyghur has its own letters
