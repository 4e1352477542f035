"""Words of names that carry little identity, in every language the lists use.

Three kinds: the common vocabulary of organisation names; people's names, which many firms
bear; and the titles people's names carry ("Haji", "Mullah", "Colonel", "Dr").

Built from the multilingual EU, UK and UN lists by ``scripts/build-name-data``: a word at least
five organisations share ("zavod", "gyár", "sociedad", "εταιρεία" as "etaireia") is vocabulary,
not a name. The scorer weighs such words lightly, so a name the EU translated into Lithuanian
still meets the English or Russian one OFAC lists by the words that identify it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from rigour._core import person_name_prefixes_list

from tamga.names.normalize import fold

# Titles rigour's table of honorifics (English and European forms of address) lacks, as they stand
# in the lists' names of people: the religious and honorific titles of Afghan, Pakistani, Iranian
# and Arab names ("SHAH, Mullah Mohammed", "BARAKZAI, Haji Khairullah") and military ranks as the
# EU writes them ("Général Ali Darassa", "Colonel Rambo"). Folded, one word each.
_TITLES = frozenset(
    {
        "haji", "hajji", "hadji", "alhaj", "alhaji", "alhajj", "alhajji",
        "mullah", "mulla", "mollah", "maulavi", "maulawi", "maulvi", "mawlawi", "mawlavi", "moulavi",
        "mowlawi", "molvi", "moulvi", "maulana", "mawlana", "moulana",
        "sheikh", "shaikh", "shaykh", "qari", "ayatollah", "hojatoleslam", "hojjatoleslam",
        "general", "generale", "generaal", "colonel", "coronel", "colonnello", "oberst", "kolonel",
        "polkovnik", "brigadier", "lieutenant", "commander", "major", "captain", "admiral",
    }
)  # fmt: skip


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


@cache
def _titles() -> frozenset[str]:
    # rigour's one-word honorifics, less those that are given names or surnames too ("Lord")
    honorifics = {fold(p) for p in person_name_prefixes_list()}
    return _TITLES | {t for t in honorifics if " " not in t and t and not is_person_name(t)}


def is_title(token: str) -> bool:
    """Whether a folded token is a title a person's name may carry or leave out: an honorific
    ("mr", "dr", "haji", "mullah") or a rank ("general", "colonel"). One list prints "SHAH, Mullah
    Mohammed", another "Mohammed SHAH": the scorer does not count it missing."""
    return token in _titles()
