"""Benchmark: Xinjiang-related names in Latin, Chinese and Uyghur script against the OFAC index.

The cases (``benchmarks/data/xinjiang_cases.csv``, in dev.csv's format) were written for tamga:
the officials, agencies and companies the curated table covers, spelt as the press, Chinese
registries and Uyghur-language media spell them, each with its OFAC entry. They are a regression
set, not a blind test: the matcher was improved while they were read. Prints recall and top-1 per
group at the default threshold, and every case missed.

    .venv/bin/python benchmarks/xinjiang_names.py [--lists DIR] [--cases CSV]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tamga.ingest import read_entities
from tamga.match.evaluate import read_cases, run_cases, summarise
from tamga.match.index import NameIndex
from tamga.match.screener import Screener

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--cases", type=Path, default=ROOT / "benchmarks" / "data" / "xinjiang_cases.csv")
    args = parser.parse_args()

    entities = read_entities([args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
    screener = Screener(NameIndex.build(entities))
    curated = sum(1 for n in screener.index.names if n.kind == "curated")
    print(f"index: {len(screener.index.entities):,} entities; {curated} names from the curated table")

    cases = read_cases(args.cases)
    outcomes = run_cases(screener, cases)
    evaluation = summarise(outcomes, screener.threshold)
    for g in [*evaluation.groups, evaluation.overall]:
        print(f"{g.group:18} {g.cases:3} cases  recall {g.recall:.3f}  top-1 {g.top1_accuracy:.3f}")
    for outcome in outcomes:
        if outcome.expected_score is None or outcome.expected_score < screener.threshold:
            case = outcome.case
            score = f"{outcome.expected_score:.2f}" if outcome.expected_score is not None else "-"
            print(f"  missed {case.query.name!r} ({case.group}): {score}, wanted {case.expected_id}")


if __name__ == "__main__":
    main()
