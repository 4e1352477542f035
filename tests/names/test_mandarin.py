"""Chinese names in Uyghur script are read back as pinyin; Uyghur names are not."""

from __future__ import annotations

import pytest

from tamga.names.mandarin import mandarin_reading


@pytest.mark.parametrize(
    ("uyghur", "pinyin"),
    [
        ("چېن چۈەنگو", "chen quanguo"),  # ch before ü is q; -üen is -uan; -o is -uo
        ("جۇ خەيلۈن", "zhu hailun"),  # j before u is zh; x is h; -ey is -ai
        ("ۋاڭ مىڭشەن", "wang mingshan"),  # sh before e is sh; -en is -an
        ("سۈن جىنلۇڭ", "sun jinlong"),  # -ung is -ong; j before i is j
        ("ۋاڭ جۈنجېڭ", "wang junzheng"),
        ("شى جىنپىڭ", "xi jinping"),  # sh before i is x
        ("ما شىڭرۇي", "ma xingrui"),
        ("يۈ جېڭشېڭ", "yu zhengsheng"),
    ],
)
def test_a_chinese_name_in_uyghur_script_reads_as_its_pinyin(uyghur: str, pinyin: str) -> None:
    assert mandarin_reading(uyghur) == pinyin


@pytest.mark.parametrize(
    "text",
    [
        "ئەركىن تۇنىياز",  # Erkin Tuniyaz: Uyghur words are not Mandarin syllables
        "شۆھرەت زاكىر",  # Shohrat Zakir
        "شىنجاڭ ئىشلەپچىقىرىش-قۇرۇلۇش بىڭتۇەنى",
        "عماد بن مكي زرقاوي",  # Arabic, not Uyghur
        "Chen Quanguo",
        "陈全国",
    ],
)
def test_other_names_have_no_mandarin_reading(text: str) -> None:
    assert mandarin_reading(text) is None
