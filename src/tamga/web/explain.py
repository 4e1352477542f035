"""A match's explanation in words a reader without the scorer's vocabulary understands.

The screener explains every candidate as data (``Explanation.to_dict()``: the listed name that met
the query, each pair of name parts with its similarity, the qualifiers that moved the score). This
module only puts that data into sentences: "‘Alken Tuniaz’ met the listed alias ‘TUNIYAZ, Erkin’:
Alken≈Erkin (82%), Tuniaz≈TUNIYAZ (95%); birth date agrees: 1961 agrees with 1961-12 (+8 points)".
It decides nothing and scores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tamga.names import name_tokens

NAME_KINDS = {
    "primary": "listed name",
    "aka": "listed alias",
    "nka": "name it is now known by",
    "fka": "listed former name",
    "weak": "listed weak alias (a nickname or partial name)",
    "curated": "Chinese or Uyghur name from tamga's curated table, not the list's",
}
QUALIFIER_WORDS = {  # kind -> (said when it raised, kept, lowered the score)
    "birth_date": ("birth date agrees", "birth date is close", "birth date conflicts"),
    "country": ("country agrees", "country", "country differs"),
    "identifier": ("identifier agrees", "identifier", "identifier differs"),
}
_WORD_SPLIT = re.compile(r"[\s,;/]+")


@dataclass
class Reading:
    """An explanation in words: how the names met, and each qualifier that counted."""

    names: str
    qualifiers: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "; ".join([self.names, *self.qualifiers]) + "."


def _pct(score: float) -> str:
    return f"{round(score * 100)}%"


def _as_written(token: str, text: str) -> str:
    """The word of ``text`` that a normalised name token came from (``tuniyaz`` -> ``TUNIYAZ,``
    -> ``TUNIYAZ``), so that a reader sees the spelling as typed and as listed."""
    for word in _WORD_SPLIT.split(text):
        word = word.strip("()[]\"'.")
        if word and token in name_tokens(word):
            return word
    return token


def _points(effect: float) -> str:
    points = round(effect * 100)
    if points == 0:
        return "no effect"
    return f"+{points} points" if points > 0 else f"−{-points} points"


def qualifier_words(qualifier: dict[str, Any]) -> str:
    """One qualifier: "birth date agrees: 1961 agrees with 1961-12 (+8 points)"."""
    kind = str(qualifier.get("kind", ""))
    effect = float(qualifier.get("effect") or 0.0)
    raised, kept, lowered = QUALIFIER_WORDS.get(kind, (kind.replace("_", " "),) * 3)
    label = raised if effect > 0 else lowered if effect < 0 else kept
    detail = str(qualifier.get("detail") or "").strip()
    return f"{label}: {detail} ({_points(effect)})" if detail else f"{label} ({_points(effect)})"


def describe(explanation: dict[str, Any]) -> Reading:
    """The words for one explanation dict, as ``/match``, ``/screen`` and ``tamga match --json``
    give it (``explanations`` in ``/match``, ``explanation`` in ``/screen``)."""
    query = str(explanation.get("query_name") or "")
    matched = str(explanation.get("matched_name") or "")
    kind = NAME_KINDS.get(str(explanation.get("name_kind")), "listed name")
    method = explanation.get("method")
    parts = explanation.get("parts") or []
    pairs = []
    for part in parts:
        said = _as_written(str(part.get("query", "")), query)
        listed = _as_written(str(part.get("listed", "")), matched)
        score = float(part.get("score") or 0.0)
        pairs.append(f"{said} = {listed}" if score >= 1.0 else f"{said}≈{listed} ({_pct(score)})")
    met = f"‘{query}’ met the {kind} ‘{matched}’"
    if method == "joined":
        alike = _pct(float(explanation.get("name_score") or 0.0))
        names = f"{met}: written without spaces, the two are {alike} alike"
    elif method == "contained":
        names = f"{met}, which holds every word of it: {', '.join(pairs)}"
    elif method == "weak":
        names = (
            f"{met}: {', '.join(pairs)}; only common words agree, so the name alone does not make an alert"
        )
    elif pairs:
        names = f"{met}: {', '.join(pairs)}"
    else:
        names = met
    return Reading(names, [qualifier_words(q) for q in explanation.get("qualifiers") or []])
