"""Transcriptions of one name in different languages share a skeleton; different names do not."""

from __future__ import annotations

import pytest

from tamga.names.phonetic import skeleton, skeletons, spelling_key, spelling_keys, spelling_keys_of


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


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("parshyn", "parshin"),  # Ukrainian and Russian renderings of one surname
        ("parsjyn", "parshin"),  # Swedish sj for ш
        ("siergiej", "sergey"),  # Polish
        ("jelena", "yelena"),
        ("yelena", "elena"),
        ("umarow", "umarov"),  # German and Polish w for в
        ("andrej", "andrei"),
        ("alexei", "aleksei"),
    ],
)
def test_transcriptions_share_a_spelling_key(a: str, b: str) -> None:
    assert set(spelling_keys(a)) & set(spelling_keys(b))


def test_ch_is_read_both_ways() -> None:
    # German and Polish write х as "ch" ("Michajlovitj"); English writes ч so.
    assert spelling_key("mikhailovich") in spelling_keys("michajlovitj")
    assert spelling_keys("chaliy") == (spelling_key("tjalyj"), spelling_key("khaliy"))


@pytest.mark.parametrize(
    ("a", "b"), [("yong", "jang"), ("basij", "bassi"), ("zheng", "zhang"), ("saeedi", "saadi")]
)
def test_spelling_keys_keep_vowels_and_glides_apart(a: str, b: str) -> None:
    assert not set(spelling_keys(a)) & set(spelling_keys(b))


def test_many_tokens_keyed_at_once_key_as_each_alone() -> None:
    # Tokens whose keys are empty or repeat the neighbour's letters: nothing may run across them.
    parts = ["", "a", "e", "ah", "aah", "b", "bb", "hh", "sch", "tsch", "chach", "yeh", "x", "shchegolev"]
    tokens = [a + b for a in parts for b in parts]
    assert skeletons(tokens) == [skeletons([t])[0] for t in tokens]
    assert spelling_keys_of(tokens) == [spelling_keys_of([t])[0] for t in tokens]
    assert skeletons(["aa", "", "bab", "b"]) == ["a", "", "b", "b"]
