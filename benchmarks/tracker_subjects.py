"""Benchmark: grouping every list's records into subjects, and the tracker's questions after it.

Loads the OFAC SDN and non-SDN lists, the UN list, the UK Sanctions List, the EU Official Journal
annexes and the curated actions into a fresh SQLite store, then times: reading every record with
its dates, grouping them (index build, identifier and name evidence, union), and a gap query and a
history over the grouped store. Prints the counts of subjects by size and of evidence by kind,
and peak memory.

    .venv/bin/python benchmarks/tracker_subjects.py [--lists DIR]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from tamga.data import curated_path
from tamga.ingest import ingest
from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.store import Store
from tamga.tracker import Tracker
from tamga.tracker.gaps import Filters, gaps
from tamga.tracker.history import subject_json
from tamga.tracker.subjects import cluster

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT.parent / "shared" / "data" / "lists"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=LISTS)
    args = parser.parse_args()
    lists: Path = args.lists
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/tamga.db")
        start = time.perf_counter()
        ingest(
            store,
            [
                lists / "ofac_sdn",
                lists / "ofac_non_sdn",
                lists / "un_sc",
                lists / "uk_ofsi" / "uk_sanctions_list_derived_covyr",
                lists / "eu_fsf" / "eu_oj_opensanctions" / "consolidated",
                curated_path(),
            ],
        )
        print(f"ingest: {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        lifetimes = list(store.lifetimes())
        print(f"read {len(lifetimes):,} records with their dates: {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        screener = Screener(NameIndex.build(life.entity for life in lifetimes))
        built = time.perf_counter() - start
        start = time.perf_counter()
        members = cluster(lifetimes, store.judgements(), screener)
        grouped = time.perf_counter() - start
        store.save_memberships(members)
        print(f"index build: {built:.1f} s; grouping: {grouped:.1f} s")

        tracker = Tracker.load(store, recluster=False)
        sizes = Counter(len(s.records) for s in tracker.subjects.values())
        kinds = Counter(e["kind"] for m in members.values() for e in m.evidence)
        print(f"{len(tracker.subjects):,} subjects; by records: {dict(sorted(sizes.items()))}")
        print("evidence pairs: " + ", ".join(f"{k} {v // 2:,}" for k, v in kinds.most_common()))
        sources = Counter(frozenset(r.entity.source for r in s.records) for s in tracker.subjects.values())
        for combo, count in sources.most_common(8):
            print(f"  {count:>6,}  {' + '.join(sorted(combo))}")

        start = time.perf_counter()
        result = gaps(tracker, "US", ("EU", "UK"), None, Filters(country="CN", program="GLOMAG"))
        took = time.perf_counter() - start
        print(f"gaps US vs EU, UK (CN, GLOMAG): {len(result.rows)} subjects in {took:.2f} s")
        start = time.perf_counter()
        history = subject_json(tracker.find("Erkin Tuniyaz"), store)
        took = time.perf_counter() - start
        print(f"history of Erkin Tuniyaz: {len(history['timeline'])} events in {took:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
