"""The Spark engine in local[2] mode: the same bytes as the local engine, and a Python worker killed
mid-run is retried (spark.task.maxFailures) with no row lost or duplicated.

Skipped only where no Java runtime is installed: Spark runs on the JVM.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tamga.scale.payload import IndexPayload
from tamga.scale.runner import screen_file

from .conftest import HEAD_ROWS, MALFORMED, parquet_as_lines, sorted_lines

if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark tests need a Java runtime: no java on PATH and no JAVA_HOME", allow_module_level=True)

from tamga.scale.spark_engine import SparkEngine, spark_session


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    spark = spark_session("local[2,4]", workers=2)
    yield spark
    spark.stop()


@pytest.fixture
def engine(session: Any, tmp_path: Path) -> SparkEngine:
    return SparkEngine(session=session, staging=tmp_path)


def test_same_output_as_the_local_engine(
    engine: SparkEngine, customers: Path, payload: IndexPayload, local_output: Path, tmp_path: Path
) -> None:
    out = tmp_path / "spark.jsonl"
    summary = screen_file(customers, out, payload, engine, partitions=6)
    assert summary.engine == "spark" and summary.workers == 2 and summary.partitions == 6
    assert [e.location for e in summary.errors] == [f"line {n}" for n in sorted(MALFORMED)]
    assert sorted_lines(out) == sorted_lines(local_output)
    assert out.read_bytes() == local_output.read_bytes()  # in input order, too
    assert engine.failed_tasks == 0
    assert not list(tmp_path.glob(".tamga-spark-*"))  # the staging folder is gone


def _python_workers() -> list[psutil.Process]:
    """The Python worker processes the pyspark daemon forked for this session's JVM."""
    daemons = [p for p in psutil.Process().children(recursive=True) if "pyspark.daemon" in _cmdline(p)]
    children = []
    for daemon in daemons:
        try:
            children.extend(daemon.children())
        except psutil.Error:  # the daemon ended meanwhile
            continue
    return children


def _cmdline(process: psutil.Process) -> str:
    """A process's command line, or "" for one that ended or is a zombie by the time it is read."""
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def test_a_worker_killed_mid_run_is_retried(
    engine: SparkEngine, head_customers: Path, payload: IndexPayload, local_output: Path, tmp_path: Path
) -> None:
    killed: list[list[int]] = []

    def kill_after_first_task(rows: int, total: int) -> None:
        # A task has finished and others are running. Which worker runs one cannot be told from
        # outside, and one killed between tasks fails none: every worker is killed, and again
        # when the next task finishes (a task may fail twice; Spark tries it four times).
        workers = _python_workers()
        if len(killed) < 2 and workers:
            for worker in workers:
                try:
                    os.kill(worker.pid, signal.SIGKILL)
                except ProcessLookupError:  # it ended meanwhile
                    continue
            killed.append([w.pid for w in workers])

    out = tmp_path / "spark.parquet"
    summary = screen_file(head_customers, out, payload, engine, partitions=10, progress=kill_after_first_task)
    assert killed
    assert engine.failed_tasks >= 1  # the task on the killed worker failed, and was run again
    assert summary.rows == HEAD_ROWS
    assert parquet_as_lines(out) == sorted_lines(local_output)[:HEAD_ROWS]
