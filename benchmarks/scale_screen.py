"""Screening at scale: a generated customer file through the local, Dask and Spark engines.

    python benchmarks/scale_screen.py [--rows 1000000] [--engines local,dask,spark] [--workers 2]

Index: the OFAC SDN and non-SDN lists of ../shared/data/lists, ingested into a throwaway SQLite
store. Input: ``--rows`` generated names (Latin, Cyrillic, Han and Arabic script, persons and
companies; 1% planted from SDN names with light spelling noise; tamga.scale.synthetic). Prints, per
engine: rows/s (the run itself, and with the engine's start-up), peak resident memory per worker
process, and recall of the planted names, which must equal the single-process result (the planted
rows screened on one process). Also measures the two ways to ship the index: the pickled screener,
and the entity records that a worker would index again.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from tamga.ingest import ingest
from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.scale.local_engine import LocalEngine
from tamga.scale.partition import jsonl_lines
from tamga.scale.payload import pack, unpack
from tamga.scale.runner import make_engine, screen_file
from tamga.scale.synthetic import generate, plantable, write_csv
from tamga.store import Store

LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"


class PeakMemory:
    """Samples the resident memory and CPU time of this process's descendants twice a second; keeps
    each one's peak memory and last CPU time (CPU time per row is the figure that other jobs on a
    shared machine do not move)."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for child in psutil.Process().children(recursive=True):
                try:
                    rss = child.memory_info().rss
                    kind = _kind(child)
                    times = child.cpu_times()
                except psutil.Error:
                    continue
                self.cpu[child.pid] = (kind, times.user + times.system)
                if rss > self.peaks.get(child.pid, ("", 0))[1]:
                    self.peaks[child.pid] = (kind, rss)

    def cpu_seconds(self, kind: str) -> float:
        return sum(seconds for k, seconds in self.cpu.values() if k == kind)

    def by_kind(self) -> dict[str, list[int]]:
        kinds: dict[str, list[int]] = {}
        for kind, rss in self.peaks.values():
            kinds.setdefault(kind, []).append(rss)
        return kinds


def _kind(process: psutil.Process) -> str:
    command = " ".join(process.cmdline())
    if "java" in process.name() or "org.apache.spark" in command:
        return "spark JVM"
    if "pyspark.daemon" in command:
        return "python worker"
    if "resource_tracker" in command:
        return "other"
    if "spawn_main" in command:
        return "python worker"
    return "other"


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def recall(out: Path, truth: dict[str, str]) -> tuple[float, dict[str, str]]:
    """Share of planted rows whose entity is a match, and the planted rows' output lines by id."""
    found, lines = 0, {}
    for line in _lines(out):
        record = json.loads(line)
        expected = truth.get(record["id"])
        if expected is not None:
            lines[record["id"]] = line
            found += any(m["entity_id"] == expected and m["match"] for m in record["matches"])
    return found / max(1, len(truth)), lines


def _lines(out: Path) -> Iterator[str]:
    """The output's JSON lines, read a row group at a time (a million of them do not fit in memory
    as Python strings on a small machine)."""
    if out.suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(out).iter_batches():
            yield from (line.rstrip("\n") for line in jsonl_lines(batch))
        return
    with open(out, encoding="utf-8") as lines:
        yield from (line.rstrip("\n") for line in lines)


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engines", default="local,dask,spark")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=None)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", type=Path, default=None, help="a folder to keep the input and outputs in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tamga-scale-"))
    folder.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    fresh = not (folder / "tamga.db").exists()
    store = Store(f"sqlite:///{folder / 'tamga.db'}")
    if fresh:
        ingest(store, [LISTS / "ofac_sdn", LISTS / "ofac_non_sdn"])
    entities = list(store.entities())
    if not entities:
        sys.exit(f"no entities: are the OFAC lists in {LISTS}?")
    print(f"store: {len(entities):,} entities ({time.perf_counter() - started:.1f} s)")

    started = time.perf_counter()
    screener = Screener(NameIndex.build(entities))
    print(f"index build: {time.perf_counter() - started:.1f} s, {len(screener.index.names):,} names")
    started = time.perf_counter()
    payload = pack(screener)
    packed = time.perf_counter() - started
    started = time.perf_counter()
    unpack(payload)
    loaded = time.perf_counter() - started
    records = pickle.dumps(entities, protocol=5)
    started = time.perf_counter()
    rebuilt = NameIndex.build(pickle.loads(records))
    rebuild = time.perf_counter() - started
    assert len(rebuilt.names) == len(screener.index.names)
    print(
        f"payload, pickled screener: {payload.size / 1e6:.1f} MB, pack {packed:.1f} s, load {loaded:.1f} s; "
        f"entity records: {len(records) / 1e6:.1f} MB, load and index again {rebuild:.1f} s"
    )

    path = folder / f"customers-{args.rows}.csv"
    started = time.perf_counter()
    truth = write_csv(generate(args.rows, plantable(entities), seed=args.seed), path)
    took = time.perf_counter() - started
    print(f"input: {args.rows:,} rows, {len(truth):,} planted, {path} ({took:.1f} s)")

    planted = folder / "planted.csv"
    with open(path, encoding="utf-8") as source, open(planted, "w", encoding="utf-8") as target:
        for number, line in enumerate(source):
            if number == 0 or line.split(",", 1)[0] in truth:
                target.write(line)
    started = time.perf_counter()
    single_out = folder / "planted-single.jsonl"
    screen_file(planted, single_out, payload, LocalEngine(workers=1))
    single_recall, single_lines = recall(single_out, truth)
    took = time.perf_counter() - started
    print(f"single process, planted rows only: recall {single_recall:.4f} ({took:.1f} s)")

    for name in args.engines.split(","):
        started = time.perf_counter()
        driver_cpu = _own_cpu()
        engine = make_engine(name, None, args.workers)
        startup = time.perf_counter() - started
        out = folder / f"out-{name}.parquet"
        try:
            with PeakMemory() as memory:
                summary = screen_file(path, out, payload, engine, partitions=args.partitions)
        finally:
            engine.close()
        total = time.perf_counter() - started
        driver_cpu = _own_cpu() - driver_cpu
        worker_cpu = memory.cpu_seconds("python worker")
        engine_recall, lines = recall(out, truth)
        same = lines == single_lines
        peaks = ", ".join(
            f"{kind} {max(values) / 1e6:,.0f} MB (x{len(values)})"
            for kind, values in sorted(memory.by_kind().items())
            if kind != "other"
        )
        print(
            f"{name}: {summary.rows:,} rows, {summary.alerts:,} alerts, {summary.partitions} partitions, "
            f"{summary.seconds:.1f} s = {summary.rows_per_second:,.0f} rows/s "
            f"(engine start {startup:.1f} s; with it {summary.rows / total:,.0f} rows/s); "
            f"peak RSS {peaks}; CPU per row: workers {1e3 * worker_cpu / summary.rows:.2f} ms, driver "
            f"{1e3 * driver_cpu / summary.rows:.2f} ms; recall {engine_recall:.4f}, planted rows identical "
            f"to single process: {same}"
        )
        if not same:
            sys.exit(f"{name}: the planted rows' output differs from the single-process result")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"driver (this process: store, index, payload, reading and writing): peak RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
