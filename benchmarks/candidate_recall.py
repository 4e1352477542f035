"""Benchmark: how much the candidate step loses against scoring every listed name.

For a sample of dev.csv queries, every indexed name is scored (slow: the reason candidates exist)
and the entities scoring at or above the threshold are compared with those the normal path
(candidates, shortlist, scorer) reports as matches. Candidate recall = share of exhaustive
matches the normal path also finds.

    .venv/bin/python benchmarks/candidate_recall.py [--sample 40]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tamga.ingest import read_entities
from tamga.match.evaluate import read_cases
from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener, query_variants
from tamga.model import detect_script

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def exhaustive_best(screener: Screener, query: Query) -> dict[str, float]:
    """Name score of every entity whose best name reaches the threshold, scoring all names
    (one at a time, the scorer's plain path, which also checks the shortlist's batched one)."""
    variants = query_variants(query)
    other_variants = query_variants(query, "Organization") if query.schema is None else variants
    vowelless = detect_script(query.name) == "Arabic"
    best: dict[str, float] = {}
    for listed in screener.index.names:
        if query.schema is not None and listed.schema != query.schema:
            continue
        scored = screener.score_name(listed, variants, other_variants, vowelless)
        entity_id = screener.index.entities[listed.entity].id
        if scored is not None and scored.score > best.get(entity_id, 0.0):
            best[entity_id] = scored.score
    return {k: v for k, v in best.items() if v >= screener.threshold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--cases", type=Path, default=SHARED / "eval" / "dev.csv")
    parser.add_argument("--sample", type=int, default=40, help="use every Nth case")
    args = parser.parse_args()
    entities = read_entities([args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
    screener = Screener(NameIndex.build(entities))
    cases = read_cases(args.cases)[:: args.sample]
    # Qualifiers are left out on both paths: the comparison is of the name scores alone.
    found = total = 0
    start = time.perf_counter()
    for case in cases:
        query = case.query.__class__(case.query.name, case.query.schema)
        wanted = exhaustive_best(screener, query)
        got = {m.entity_id for m in screener.match(query, limit=50) if m.match}
        total += len(wanted)
        found += len(wanted.keys() & got)
    print(
        f"{len(cases)} queries, {total} exhaustive matches at threshold {screener.threshold}: "
        f"candidate recall {found / total if total else 1.0:.4f} ({time.perf_counter() - start:.0f} s)"
    )


if __name__ == "__main__":
    main()
