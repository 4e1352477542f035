"""The common words of organisation names, in the languages the lists use, and people's names."""

from __future__ import annotations

import pytest

from tamga.names.vocabulary import is_person_name, is_title, org_words


@pytest.mark.parametrize(
    "word",
    # plant (Russian, Lithuanian), company (Spanish, Greek), limited liability company (Hungarian)
    ["zavod", "gamykla", "sociedad", "etaireia", "korlatolt", "tarsasag", "company", "bank"],
)
def test_common_organisation_words_in_many_languages(word: str) -> None:
    assert word in org_words()


@pytest.mark.parametrize("word", ["megvii", "hikvision", "anozit", "sensetime", "zelenodolsk"])
def test_a_single_organisations_name_is_not_vocabulary(word: str) -> None:
    assert word not in org_words()


def test_counts_are_of_at_least_five_organisations() -> None:
    words = org_words()
    assert len(words) > 1000
    assert min(words.values()) >= 5


@pytest.mark.parametrize(
    ("token", "expected"), [("rose", True), ("ivanov", True), ("megvii", False), ("zvezda", False)]
)
def test_person_names(token: str, expected: bool) -> None:
    assert is_person_name(token) is expected


@pytest.mark.parametrize(
    "token", ["haji", "hajji", "mullah", "maulavi", "sheikh", "colonel", "general", "mr", "dr"]
)
def test_titles_of_people(token: str) -> None:
    assert is_title(token)


@pytest.mark.parametrize("token", ["lord", "ali", "shah", "mohammed", "hafez", "sayed"])
def test_names_are_not_titles(token: str) -> None:
    # "Lord" is an honorific to rigour and a surname too; "Sayed" is a title and a given name
    assert not is_title(token)
