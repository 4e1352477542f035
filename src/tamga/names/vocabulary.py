"""Words of organisation names that carry little identity, in every language the lists use.

Two kinds: the common vocabulary of organisation names, and people's names, which many firms
bear.

Built from the multilingual EU, UK and UN lists by ``scripts/build-name-data``: a word at least
five organisations share ("zavod", "gyár", "sociedad", "εταιρεία" as "etaireia") is vocabulary,
not a name. The scorer weighs such words lightly, so a name the EU translated into Lithuanian
still meets the English or Russian one OFAC lists by the words that identify it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def org_words() -> dict[str, int]:
    """Each common organisation word with the number of listed organisations that use it."""
    text = files("tamga.names").joinpath("data/org_words.tsv").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, count = line.split("\t")
            counts[word] = int(count)
    return counts


@cache
def _person_words() -> frozenset[str]:
    text = files("tamga.names").joinpath("data/person_words.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def is_person_name(token: str) -> bool:
    """Whether a folded token is a given name or surname, by rigour's tables (from Wikidata),
    among the words of the names on the lists (``scripts/build-name-data``)."""
    return token in _person_words()
