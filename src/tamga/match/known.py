"""Chinese and Uyghur names that tamga's curated table gives entities the lists print in Latin only.

OFAC prints "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." and "HIKVISION", never "海康威视",
and no transliteration leads from one to the other: the English brand is not a reading of the
Chinese ("haikang weishi"), nor "Megvii" of "旷视" ("kuangshi"), nor "Xinjiang Production and
Construction Corps" of "新疆生产建设兵团". The curated Xinjiang table (``src/tamga/data/curated``)
records, with its sources, the Chinese and Uyghur names of the companies, agencies and officials it
covers. An entity of any list that bears, word for word, a name the table gives a target (its main
name, or an alias of two words or more: one word alone, "Dahua", may be another firm's) is indexed
under the target's names in those scripts too, as names of the kind :data:`KIND`; a match on one
says so in its explanation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from tamga.model import Entity, detect_script
from tamga.names import name_tokens
from tamga.sources import curated
from tamga.sources.base import InputFile

KIND = "curated"  # the kind of an indexed name taken from the curated table
SCRIPTS = frozenset({"Han", "Arabic"})  # the scripts whose names are taken: Chinese, Uyghur


@cache
def curated_targets() -> tuple[Entity, ...]:
    """The targets of the curated table shipped with tamga, as its parser reads them."""
    # read with its own parser: detecting the format would import every other parser first
    table = files("tamga.data").joinpath("curated", "xinjiang_actions.csv")
    file = InputFile.from_bytes("xinjiang_actions.csv", table.read_bytes())
    return tuple(curated.parse({"main": file}, curated.SOURCE).entities)


def _linking_names(target: Entity) -> set[tuple[str, ...]]:
    keys = set()
    for name in target.names:
        if detect_script(name.full) in SCRIPTS:
            continue
        tokens = name_tokens(name.full, target.schema)
        if tokens and (name.kind == "primary" or len(tokens) >= 2):
            keys.add(tokens)
    return keys


def other_script_names(
    entities: Sequence[Entity], targets: Sequence[Entity] | None = None
) -> dict[int, list[str]]:
    """For the position of each entity in ``entities`` that bears a curated target's name, the
    target's names in Chinese or Uyghur script that the entity lacks.

    ``targets`` defaults to the curated table's. The table's own entities (source ``curated``,
    when it is loaded too) are left as they are: they have these names already.
    """
    targets = curated_targets() if targets is None else targets
    by_name: dict[tuple[str, tuple[str, ...]], list[Entity]] = defaultdict(list)
    for target in targets:
        if any(detect_script(n.full) in SCRIPTS for n in target.names):
            for tokens in _linking_names(target):
                by_name[(_kind(target.schema), tokens)].append(target)
    found: dict[int, list[str]] = {}
    if not by_name:
        return found
    for position, entity in enumerate(entities):
        if entity.source == curated.SOURCE:
            continue
        kind = _kind(entity.schema)
        linked = {
            target.id: target
            for name in entity.names
            for target in by_name.get((kind, name_tokens(name.full, entity.schema)), ())
        }
        if not linked:
            continue
        have = {n.full for n in entity.names}
        added: list[str] = []
        for target in linked.values():
            for name in target.names:
                if name.full not in have and detect_script(name.full) in SCRIPTS:
                    have.add(name.full)
                    added.append(name.full)
        if added:
            found[position] = added
    return found


def _kind(schema: str) -> str:
    return "Person" if schema == "Person" else "other"
