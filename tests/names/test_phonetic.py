"""Transcriptions of one name in different languages share a skeleton; different names do not."""

from __future__ import annotations

import pytest

from tamga.names.phonetic import skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("shchegolev", "sjtjogolev"),  # English and Swedish renderings of Щеголев
        ("shchegolev", "schtschegolew"),  # German
        ("piskarev", "piskarjov"),
        ("kartapolov", "kartapolow"),
        ("erkin", "aierken"),  # Uyghur name and its Chinese-pinyin rendering
        ("tuniyaz", "tuniaz"),
        ("yauhenavich", "jauhenavitj"),
        ("amir", "amr"),  # Arabic script writes no short vowels
    ],
)
def test_same_name_same_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("ali", "li"), ("ivanov", "petrov"), ("zakir", "tuniyaz")])
def test_different_names_differ(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)
