"""Benchmark: tamga's matcher against nomenklatura's logic-v2 on the same cases and index.

logic-v2 is what OpenSanctions' yente scores with by default. Both see the same index (OFAC SDN
and non-SDN) and the same candidates: tamga's candidate step feeds logic-v2 the listed entities
behind its best candidate names, so the comparison is of the scorers. Prints recall and
false-alert rate at each matcher's default threshold, the best recall at ≤ 1% false alerts, and
queries per second.

Needs the optional ``peers`` dependencies (not a runtime dependency of tamga):

    .venv/bin/pip install -e ".[peers]"
    .venv/bin/python benchmarks/compare_logic_v2.py [--sample N] [--candidates K]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from followthemoney import model
from nomenklatura.matching import get_algorithm

from tamga.ingest import read_entities
from tamga.match.evaluate import Case, Outcome, read_cases, run_cases, summarise
from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener, query_variants
from tamga.model import Entity

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FTM_SCHEMA = {"Person": "Person", "Organization": "Organization", "Vessel": "Vessel", "Aircraft": "Airplane"}
LOGIC_V2_THRESHOLD = 0.7  # yente's default match threshold


def to_ftm(entity: Entity):  # type: ignore[no-untyped-def]
    proxy = model.make_entity(FTM_SCHEMA[entity.schema])
    proxy.id = entity.id
    for name in entity.names:
        proxy.add("weakAlias" if name.kind == "weak" else "name", name.full, quiet=True)
    if entity.schema == "Person":
        proxy.add("birthDate", entity.birth_dates, quiet=True)
        proxy.add("nationality", [c.code for c in entity.countries], quiet=True)
    else:
        proxy.add("country", [c.code for c in entity.countries], quiet=True)
    return proxy


def query_ftm(query: Query, query_id: str):  # type: ignore[no-untyped-def]
    proxy = model.make_entity(FTM_SCHEMA.get(query.schema or "", "LegalEntity"))
    proxy.id = query_id  # unique: logic-v2 caches what it derives from an entity by its id
    proxy.add("name", query.name)
    if query.birth_date and proxy.schema.name == "Person":
        proxy.add("birthDate", query.birth_date, quiet=True)
    if query.country:
        proxy.add("country", query.country.lower(), quiet=True)
    return proxy


def run_logic_v2(screener: Screener, cases: list[Case], candidates: int) -> list[Outcome]:
    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = algorithm.default_config()
    cache: dict[int, object] = {}
    outcomes = []
    for case in cases:
        query = query_ftm(case.query, f"query-{case.case_id}")
        positions: dict[int, None] = {}
        for name_id in screener.shortlist(case.query, query_variants(case.query))[:candidates]:
            positions[screener.index.names[name_id].entity] = None
        scored = []
        for position in positions:
            if position not in cache:
                cache[position] = to_ftm(screener.index.entities[position])
            result = algorithm.compare(query, cache[position], config)  # type: ignore[arg-type]
            scored.append((result.score, screener.index.entities[position].id))
        scored.sort(reverse=True)
        expected = next((s for s, i in scored if i == case.expected_id), None)
        top = scored[0] if scored else (None, None)
        outcomes.append(Outcome(case, expected, top[1], top[0]))
    return outcomes


def report(label: str, outcomes: list[Outcome], threshold: float, seconds: float) -> None:
    evaluation = summarise(outcomes, threshold)
    groups = ", ".join(f"{g.group} {g.recall:.3f}" for g in evaluation.groups if g.recall is not None)
    print(
        f"{label:<8} threshold {threshold:.3f}: recall {evaluation.overall.recall:.3f}, "
        f"false alerts {evaluation.overall.false_alert_rate:.3%}; best recall at <= 1% false alerts "
        f"{evaluation.best_recall_at_1pct:.3f}; {len(outcomes) / seconds:,.0f} queries/s\n"
        f"{'':<8} per group: {groups}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--cases", type=Path, default=SHARED / "eval" / "dev.csv")
    parser.add_argument("--sample", type=int, default=1, help="use every Nth case")
    parser.add_argument("--candidates", type=int, default=30, help="candidate names per query for logic-v2")
    args = parser.parse_args()

    entities = read_entities([args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
    screener = Screener(NameIndex.build(entities))
    cases = read_cases(args.cases)[:: args.sample]
    print(f"{len(cases):,} cases, index of {len(entities):,} entities")

    start = time.perf_counter()
    ours = run_cases(screener, cases)
    report("tamga", ours, screener.threshold, time.perf_counter() - start)

    start = time.perf_counter()
    theirs = run_logic_v2(screener, cases, args.candidates)
    report("logic-v2", theirs, LOGIC_V2_THRESHOLD, time.perf_counter() - start)


if __name__ == "__main__":
    main()
