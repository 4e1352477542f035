"""Words of organisation names that carry little identity, in every language the lists use.

Two kinds: the common vocabulary of organisation names, and people's names, which many firms
bear.

Built from the multilingual EU, UK and UN lists by ``scripts/build-org-words``: a word at least
five organisations share ("zavod", "gyár", "sociedad", "εταιρεία" as "etaireia") is vocabulary,
not a name. The scorer weighs such words lightly, so a name the EU translated into Lithuanian
still meets the English or Russian one OFAC lists by the words that identify it.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.resources import files

from rigour.names import NameTypeTag
from rigour.names.analyze import analyze_names
from rigour.names.symbol import SymbolCategory


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


@lru_cache(maxsize=100_000)
def is_person_name(token: str) -> bool:
    """Whether a folded token is a known given name or surname (rigour's tables, from Wikidata)."""
    if len(token) < 2 or token.isdigit():
        return False
    for name in analyze_names(NameTypeTag.PER, [token], consolidate=False, phonetics=False):
        if any(symbol.category == SymbolCategory.NAME for symbol in name.symbols):
            return True
    return False
