"""Country spellings of the official lists resolve to ISO 3166 alpha-2 codes."""

from __future__ import annotations

import pytest

from tamga.countries import country_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "ru"),
        ("RUS", "ru"),
        ("CN", "cn"),
        ("Korea, North", "kp"),
        ("Korea (Democratic People's Republic of)", "kp"),
        ("Burma", "mm"),
        ("Region: Crimea", "ua"),
        ("Region: Gaza", "ps"),
        ("Côte d’Ivoire", "ci"),
        ("Cote d Ivoire", "ci"),
        ("Iran (Islamic Republic of)", "ir"),
        ("Türkiye", "tr"),
        ("Soviet Union", "suhh"),  # a historic state keeps its own code
        ("Bogota", "co"),  # a capital names its country (passports issued there)
    ],
)
def test_list_spellings(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["undetermined", "", None, "-", "Atlantis"])
def test_non_countries(text: str | None) -> None:
    assert country_code(text) is None
