"""Benchmark: ingest the full OFAC SDN CSV set (sdn, alt, add, comments) into a fresh store.

Prints parse time, write time, total time and peak resident memory of this process. Run it as its
own process so the memory figure is the ingest's alone:

    .venv/bin/python benchmarks/ingest_sdn.py [--lists ../shared/data/lists] [--db URL] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tamga.ingest import collect, group, prepare
from tamga.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run_once(lists: Path, db: str | None) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(db or f"sqlite:///{tmp}/bench.db")
        start = time.perf_counter()
        detected, _ = collect([lists / "ofac_sdn"])
        (fileset,), _ = group(detected)
        write = prepare(fileset, store)
        parsed = time.perf_counter()
        store.write([write])
        done = time.perf_counter()
        store.close()
        return parsed - start, done - parsed, len(write.entities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    parser.add_argument("--db", help="store URL (default: a fresh SQLite file per run)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.db and args.repeat > 1:
        sys.exit("--db with --repeat > 1 would ingest the same set into one store; use --repeat 1")

    runs = [run_once(args.lists, args.db) for _ in range(args.repeat)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    parse_s = [r[0] for r in runs]
    write_s = [r[1] for r in runs]
    total_s = [r[0] + r[1] for r in runs]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"store: {args.db or 'SQLite file'}; entities per run: {runs[0][2]:,}; runs: {len(runs)}")
    print(f"parse  median {statistics.median(parse_s):.2f} s  (min {min(parse_s):.2f})")
    print(f"write  median {statistics.median(write_s):.2f} s  (min {min(write_s):.2f})")
    print(f"total  median {statistics.median(total_s):.2f} s  (min {min(total_s):.2f})")
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
