"""Romanised Chinese names compare syllable by syllable."""

from __future__ import annotations

import pytest

from tamga.names.pinyin import is_pinyin_name, segment, syllable_similarity, syllables


def test_inventory_is_the_toneless_syllables() -> None:
    inventory = syllables()
    assert 380 < len(inventory) < 450
    assert {"zhuang", "lv", "er", "a", "quan", "guo"} <= inventory
    assert not {"hm", "ng", "n"} & inventory  # interjections without a vowel


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("zhiqiang", ("zhi", "qiang")),
        ("quanguo", ("quan", "guo")),
        ("xian", ("xian",)),  # fewest syllables: not xi-an
        ("aierken", ("ai", "er", "ken")),  # a Uyghur name in Chinese pinyin
        ("shohrat", None),
        ("tuniyaz", None),
        ("", None),
    ],
)
def test_segment(token: str, expected: tuple[str, ...] | None) -> None:
    assert segment(token) == expected


def test_a_name_is_pinyin_only_if_every_token_is() -> None:
    assert is_pinyin_name(("zhang", "lei"))
    assert is_pinyin_name(("chen", "quanguo"))
    assert not is_pinyin_name(("erkin", "tuniyaz"))
    assert not is_pinyin_name(("maria", "petrova"))
    assert not is_pinyin_name(())


def test_syllables_compare_in_place() -> None:
    assert syllable_similarity("zheng", "zhang") == 0.0
    assert syllable_similarity("zhiqiang", "zhiqing") == 0.5
    assert syllable_similarity("quanguo", "quanguo") == 1.0
    assert syllable_similarity("gang", "guoying") is None  # one syllable against two


def test_only_one_or_two_syllable_words_make_a_pinyin_name() -> None:
    assert is_pinyin_name(("chen", "quanguo"))
    assert is_pinyin_name(("zhu", "hai", "lun"))
    # these split into syllables too, but no Chinese surname or given name has three
    assert not is_pinyin_name(("neriya", "ben", "pazi"))
    assert not is_pinyin_name(("aierken", "tuniyazi"))
