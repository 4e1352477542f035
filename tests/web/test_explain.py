"""Explanations in words: every part of the screener's explanation read out, nothing invented."""

from __future__ import annotations

from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener
from tamga.model import Entity, Name
from tamga.web.explain import describe, qualifier_words


def _explanation(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "query_name": "Alken Tuniaz",
        "matched_name": "Erkin TUNIYAZ",
        "name_kind": "aka",
        "name_score": 0.88,
        "method": "tokens",
        "parts": [
            {"query": "alken", "listed": "erkin", "score": 0.82},
            {"query": "tuniaz", "listed": "tuniyaz", "score": 0.95},
        ],
        "qualifiers": [{"kind": "birth_date", "effect": 0.08, "detail": "1961 agrees with 1961-12"}],
    }
    return {**base, **changes}


def test_parts_are_shown_as_written_with_their_similarity() -> None:
    reading = describe(_explanation())
    assert (
        reading.names
        == "‘Alken Tuniaz’ met the listed alias ‘Erkin TUNIYAZ’: Alken≈Erkin (82%), Tuniaz≈TUNIYAZ (95%)"
    )
    assert reading.qualifiers == ["birth date agrees: 1961 agrees with 1961-12 (+8 points)"]
    assert reading.text == reading.names + "; " + reading.qualifiers[0] + "."


def test_exact_parts_methods_and_name_kinds() -> None:
    exact = describe(
        _explanation(
            parts=[{"query": "tuniaz", "listed": "tuniaz", "score": 1.0}],
            name_kind="primary",
            matched_name="TUNIAZ, Alken",
        )
    )
    assert exact.names == "‘Alken Tuniaz’ met the listed name ‘TUNIAZ, Alken’: Tuniaz = TUNIAZ"
    joined = describe(_explanation(method="joined", name_score=0.91, parts=[]))
    assert joined.names.endswith("written without spaces, the two are 91% alike")
    weak = describe(_explanation(method="weak", name_kind="weak"))
    assert "weak alias" in weak.names and "the name alone does not make an alert" in weak.names
    contained = describe(_explanation(method="contained", name_kind="fka"))
    assert "former name" in contained.names and "holds every word of it" in contained.names


def test_qualifiers_that_lower_or_keep_the_score() -> None:
    assert qualifier_words(
        {"kind": "birth_date", "effect": -0.2, "detail": "1970 conflicts with 1961-12"}
    ) == ("birth date conflicts: 1970 conflicts with 1961-12 (−20 points)")
    assert qualifier_words({"kind": "birth_date", "effect": 0.0, "detail": "1962 is near 1961"}).endswith(
        "(no effect)"
    )
    assert qualifier_words({"kind": "country", "effect": -0.03, "detail": "ru is not among cn"}).startswith(
        "country differs"
    )
    assert qualifier_words({"kind": "new_kind", "effect": 0.1, "detail": "x"}) == "new kind: x (+10 points)"


def test_words_for_a_real_screening_in_another_script() -> None:
    listed = Entity(
        "t:1",
        "Person",
        names=[Name("TUNIYAZ, Erkin"), Name("艾尔肯·吐尼亚孜", kind="aka")],
        birth_dates=["1961-12"],
    )
    screener = Screener(NameIndex.build([listed]))
    (match,) = screener.match(Query("Alken Tuniaz", "Person", "1961"))
    text = describe(match.explanation.to_dict()).text
    assert text.startswith("‘Alken Tuniaz’ met the listed")
    assert "birth date agrees: 1961 agrees with 1961-12" in text
    (chinese,) = screener.match(Query("艾尔肯·吐尼亚孜", "Person"))
    assert "‘艾尔肯·吐尼亚孜’ met" in describe(chinese.explanation.to_dict()).text
