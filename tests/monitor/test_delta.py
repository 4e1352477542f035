"""Screening against only the changed entities finds what scoring every candidate finds, with the
scores the index of every entity gives. On the real UN list and OFAC extracts."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from tamga.ingest import ingest
from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener, query_variants
from tamga.model import detect_script
from tamga.monitor.bound import ListedNames, Readings, could_reach
from tamga.monitor.delta import DeltaScreener, Rarity, alerts_of_rows, score_against
from tamga.store import Store


class Everything(Screener):
    """Scores every candidate the index finds, not a shortlist of them: the reference."""

    def shortlist(self, query, variants):  # type: ignore[no-untyped-def]
        found: dict[int, None] = {}
        for tokens, _ in variants:
            found.update(dict.fromkeys(self.index.candidates(tokens, limit=10**9, schema=query.schema)))
        return list(found)


@pytest.fixture(scope="module")
def listed(lists: Path, fixtures: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('delta') / 'tamga.db'}")
    ingest(store, [lists / "un_sc", fixtures / "ofac_csv"])
    return store


@pytest.fixture(scope="module")
def full(listed: Store) -> Screener:
    return Screener.from_store(listed)


def test_the_rarity_read_from_the_store_is_the_full_index_s(listed: Store, full: Screener) -> None:
    rarity = Rarity.of_store(listed)
    assert rarity.names == full.index.published
    assert {token: full.index.idf[token] for token in rarity.idf} == rarity.idf
    # the index knows besides only the words of names it takes from the curated table
    curated = {t for n in full.index.names if n.kind == "curated" for t in n.tokens}
    assert full.index.idf.keys() - rarity.idf.keys() <= curated


def queries(entities: list, rng: random.Random) -> list[Query]:
    """Listed names as a watchlist might hold them: as listed, reordered, one word dropped or
    misspelt, with and without birth dates; and names of no one."""
    words = sorted(
        {t for e in entities for n in e.names for t in n.full.replace(",", " ").split() if len(t) > 2}
    )
    found = []
    for entity in entities:
        for name in entity.names[:2]:
            parts = name.full.replace(",", " ").split()
            birth = entity.birth_dates[0] if entity.birth_dates and rng.random() < 0.5 else None
            found.append(Query(name.full, None, birth))
            found.append(Query(" ".join(reversed(parts)), entity.schema))
            if len(parts) > 2:
                found.append(Query(" ".join(parts[:-1]), None))
            typo = rng.randrange(len(name.full))
            found.append(Query(name.full[:typo] + name.full[typo + 1 :], entity.schema, birth))
    found.extend(
        Query(f"{rng.choice(words)} {rng.choice(words)}", None, "1970" if i % 3 else None) for i in range(800)
    )
    return found


def test_the_changed_entities_alert_as_every_candidate_scored_would(listed: Store, full: Screener) -> None:
    rng = random.Random(9)
    everyone = list(listed.entities())
    changed = rng.sample(everyone, 150)
    delta = DeltaScreener(changed, Rarity.of_index(full.index))
    reference = Everything(NameIndex.build(changed))
    reference.index.weigh_by(full.index.idf, full.index.published)
    asked = queries(changed[:30], rng) + queries(rng.sample(everyone, 12), rng)
    got = list(alerts_of_rows(delta, asked))
    expected_count = 0
    for query, alerts in zip(asked, got, strict=True):
        expected = {(m.entity_id, round(m.score, 6)) for m in reference.match(query, limit=1000) if m.match}
        assert {(m.entity_id, round(m.score, 6)) for m in alerts} == expected, query
        expected_count += len(expected)
    assert expected_count > 100  # the sample holds alerts to find, not only names that find none

    # The scores are those of the index of every entity.
    for query, alerts in list(zip(asked, got, strict=True))[:300]:
        for m in alerts:
            same = score_against(full, query, m.entity_id)
            assert same is not None and same.score == pytest.approx(m.score)


def test_rows_screen_alike_on_two_processes(listed: Store, full: Screener) -> None:
    rng = random.Random(3)
    changed = rng.sample(list(listed.entities()), 100)
    delta = DeltaScreener(changed, Rarity.of_index(full.index))
    asked = queries(changed[:10], rng) * 2
    one = [[(m.entity_id, m.score) for m in r] for r in alerts_of_rows(delta, asked, workers=1)]
    two = [[(m.entity_id, m.score) for m in r] for r in alerts_of_rows(delta, asked, workers=2)]
    assert one == two and any(one)


def test_the_bound_lets_through_every_name_at_the_score_the_scorer_gives_it(
    listed: Store, full: Screener
) -> None:
    # At the scorer's own score of a name, whatever it is, the bound must let the pair through:
    # tested at every level, not only at the threshold, on every pair of query and changed name.
    rng = random.Random(5)
    everyone = list(listed.entities())
    changed = rng.sample(everyone, 60)
    delta = DeltaScreener(changed, Rarity.of_index(full.index))
    index = delta.index
    asked = [q for q in queries(changed[:12], rng) if detect_script(q.name) != "Arabic"][:150]
    readings = Readings(index, {})
    pair, reading, name, needed = [], [], [], []
    strong = 0
    for at, query in enumerate(asked):
        person = query_variants(query)
        other = query_variants(query, "Organization") if query.schema is None else person
        for name_id, names in enumerate(index.names):
            scored = delta.score_name(names, person, other, vowelless=False)
            if scored is None:
                continue
            strong += scored.score >= 0.86
            for level in (scored.score - 1e-9, scored.score + 0.05):  # at its score, and above it
                for tokens, _ in person if names.schema == "Person" else other:
                    pair.append((at, name_id, level <= scored.score))
                    reading.append(readings.add(tokens))
                    name.append(name_id)
                    needed.append(level)
    reach = could_reach(ListedNames.of(index), readings, np.array(reading), np.array(name), np.array(needed))
    reached: dict[tuple[int, int, bool], bool] = {}
    for key, ok in zip(pair, reach.tolist(), strict=True):
        reached[key] = reached.get(key, False) or ok  # through any reading of the query
    at_score = [
        (asked[at].name, index.names[n].text) for (at, n, low), ok in reached.items() if low and not ok
    ]
    assert not at_score
    above = [ok for (_, _, low), ok in reached.items() if not low]
    assert strong > 20
    assert sum(above) < 0.2 * len(above)  # and above its score the bound turns most pairs away
