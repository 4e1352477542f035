"""Benchmark: parse time and entity count of every format on its largest real file.

    .venv/bin/python benchmarks/parse_formats.py [--lists ../shared/data/lists] [--repeat 3]

The first run of each format includes one-time loads (country tables); the median of the
repeats is the steady figure.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tamga.ingest import collect, group, parse

ROOT = Path(__file__).resolve().parent.parent

CASES = (
    ("ofac-csv SDN set", ("ofac_sdn",)),
    ("ofac-csv non-SDN set", ("ofac_non_sdn/cons_prim.csv", "ofac_non_sdn/cons_alt.csv",
                              "ofac_non_sdn/cons_add.csv", "ofac_non_sdn/cons_comments.csv")),
    ("ofac-xml consolidated", ("ofac_non_sdn/consolidated.xml",)),
    ("un-sc-xml", ("un_sc/consolidated.xml",)),
    ("uk-fcdo-derived", ("uk_ofsi/uk_sanctions_list_derived_covyr",)),
    ("uk-ofsi-csv sample", ("uk_ofsi/ConList_2020_sample.csv",)),
    ("csl-csv 2019 sample", ("csl/csl_2019_watchman_sample.csv",)),
    ("ftm-json", ("ftm/parteispenden.ftm.json",)),
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'format':<24} {'entities':>9} {'first s':>8} {'median s':>9}")
    for label, paths in CASES:
        detected, _ = collect([args.lists / p for p in paths])
        (fileset,), _ = group(detected)
        times = []
        count = 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            count = len(parse(fileset).entities)
            times.append(time.perf_counter() - start)
        print(f"{label:<24} {count:>9,} {times[0]:>8.2f} {statistics.median(times):>9.2f}")


if __name__ == "__main__":
    main()
