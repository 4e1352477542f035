"""Benchmark: matcher speed and memory against the OFAC index (SDN + non-SDN).

Prints index build time, resident memory, single-query latency (p50, p99) over the dev.csv
queries, and batch throughput on 1 and 2 worker processes for a 10,000-row file.

    .venv/bin/python benchmarks/match_speed.py [--lists DIR] [--cases dev.csv] [--rows N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from tamga.ingest import read_entities
from tamga.match.evaluate import read_cases
from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.screen.batch import Row, screen_rows

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--cases", type=Path, default=SHARED / "eval" / "dev.csv")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    entities = read_entities([args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
    start = time.perf_counter()
    screener = Screener(NameIndex.build(entities))
    build = time.perf_counter() - start
    print(
        f"index: {len(screener.index.entities):,} entities, {len(screener.index.names):,} names; "
        f"build {build:.2f} s"
    )

    queries = [case.query for case in read_cases(args.cases)]
    for query in queries[:200]:  # warm the caches a real service would have warm
        screener.match(query)
    latencies = []
    for query in queries:
        start = time.perf_counter()
        screener.match(query)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)]
    print(
        f"single query over {len(latencies):,} dev.csv names: p50 {statistics.median(latencies):.2f} ms, "
        f"p99 {p99:.2f} ms, mean {statistics.mean(latencies):.2f} ms"
    )
    rows = [Row(i, str(i), queries[i % len(queries)]) for i in range(args.rows)]
    for workers in (1, 2):
        start = time.perf_counter()
        count = sum(1 for _ in screen_rows(screener, rows, workers=workers))
        elapsed = time.perf_counter() - start
        print(
            f"batch of {count:,} rows on {workers} worker(s): {elapsed:.1f} s, "
            f"{count / elapsed:,.0f} queries/s"
        )
    print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
