"""The Dask engine on a LocalCluster of two workers: the same bytes as the local engine, and a worker
killed mid-run costs no row and duplicates none."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from tamga.scale.dask_engine import DaskEngine
from tamga.scale.payload import IndexPayload
from tamga.scale.runner import screen_file

from .conftest import HEAD_ROWS, MALFORMED, parquet_as_lines, sorted_lines


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as running:
        yield running


@pytest.fixture(scope="module")
def engine(cluster: LocalCluster) -> Iterator[DaskEngine]:
    engine = DaskEngine(cluster.scheduler_address)
    yield engine
    engine.close()


def test_same_output_as_the_local_engine(
    engine: DaskEngine, customers: Path, payload: IndexPayload, local_output: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask.jsonl"
    summary = screen_file(customers, out, payload, engine, partitions=6)
    assert summary.engine == "dask" and summary.workers == 2 and summary.partitions == 6
    assert [e.location for e in summary.errors] == [f"line {n}" for n in sorted(MALFORMED)]
    assert not summary.warnings  # the nanny gave the workers tamga's hash seed
    assert sorted_lines(out) == sorted_lines(local_output)
    assert out.read_bytes() == local_output.read_bytes()  # in input order, too


def test_a_worker_killed_mid_run_loses_and_duplicates_no_row(
    engine: DaskEngine, head_customers: Path, payload: IndexPayload, local_output: Path, tmp_path: Path
) -> None:
    client: Client = engine.client
    before = client.run(os.getpid)
    killed: list[int] = []

    def kill_after_first_partition(rows: int, total: int) -> None:
        if not killed:  # the other partitions are queued or running on both workers now
            victim = min(before.values())
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    out = tmp_path / "dask.parquet"
    summary = screen_file(
        head_customers, out, payload, engine, partitions=10, progress=kill_after_first_partition
    )
    assert killed
    client.wait_for_workers(2, timeout=60)
    after = client.run(os.getpid)
    assert killed[0] not in after.values()  # the nanny started a new worker in its place
    assert summary.rows == HEAD_ROWS
    assert parquet_as_lines(out) == sorted_lines(local_output)[:HEAD_ROWS]
