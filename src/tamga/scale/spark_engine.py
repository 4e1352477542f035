"""The Spark engine: ``mapInPandas`` over a DataFrame of queries, with the index broadcast once.

:func:`screen_dataframe` is the whole of it for a data platform that already holds its customers
in a DataFrame: it returns a DataFrame of :data:`~tamga.scale.partition.OUTPUT_SCHEMA`. The index
payload goes out as one broadcast variable; each Python worker unpickles it once
(:func:`~tamga.scale.payload.screener_for`, kept across tasks since Spark reuses its Python
workers). A task whose worker dies is run again, up to ``spark.task.maxFailures`` times
(``local[N,F]`` in local mode), and Spark's output commit keeps only one attempt's rows.

:class:`SparkEngine` runs a file through it: the rows are range-partitioned by input line, screened,
written as Parquet to a staging folder by the executors, and read back in partition order, which is
input order. With a cluster (``--scheduler spark://…``) the staging folder, beside the output file,
must be on storage the executors share.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from tamga.scale.engine import Progress
from tamga.scale.partition import INPUT_SCHEMA, OUTPUT_SCHEMA, screen_partition
from tamga.scale.payload import HASH_SEED, IndexPayload, screener_for, worker_hash_seed
from tamga.screen.batch import default_workers

if TYPE_CHECKING:
    from pyspark.broadcast import Broadcast
    from pyspark.sql import DataFrame, SparkSession

TASK_ATTEMPTS = 4  # spark.task.maxFailures: a task is tried this many times before the run fails
BATCH_ROWS = 1_000  # rows per Arrow batch handed to the Python workers
OUTPUT_DDL = "line long, id string, query string, matches string, alerts int"
POLL_SECONDS = 0.5


class SparkUnavailable(RuntimeError):
    """PySpark or Java is missing: the ``spark`` extra and a Java runtime are needed."""


def spark_session(master: str | None = None, workers: int | None = None) -> SparkSession:
    """A Spark session for screening: ``master`` (default ``local[N,4]``, N = ``workers`` or every
    core, 4 tries per task), UI off, Arrow on, adaptive coalescing off so that each partition stays
    one task, and Python workers running this interpreter with tamga's hash seed."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("the Spark engine needs PySpark: pip install 'tamga[spark]'") from None
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkUnavailable("the Spark engine needs a Java runtime (java on PATH or JAVA_HOME)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    cores = max(1, workers or default_workers())
    master = master or f"local[{cores},{TASK_ATTEMPTS}]"
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a local run listens on loopback only
    builder = (
        SparkSession.builder.master(master)
        .appName("tamga-screen")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.task.maxFailures", str(TASK_ATTEMPTS))
        .config("spark.sql.shuffle.partitions", str(2 * cores))
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(BATCH_ROWS))
        .config("spark.python.worker.reuse", "true")
        .config("spark.executorEnv.PYTHONHASHSEED", HASH_SEED)
        .config("spark.driver.memory", "2g")
    )
    with worker_hash_seed():  # read once, when the context starts, for the Python workers it forks
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _screen_batches(
    payload: Broadcast[IndexPayload], threshold: float | None, limit: int
) -> Any:  # a function of pandas DataFrames, for mapInPandas
    def screen(batches: Iterator[Any]) -> Iterator[Any]:
        screener = screener_for(payload.value)
        for frame in batches:
            partition = pa.Table.from_pandas(frame, schema=INPUT_SCHEMA, preserve_index=False)
            yield screen_partition(partition, screener, threshold, limit).to_pandas()

    return screen


def screen_dataframe(
    frame: DataFrame, payload: Broadcast[IndexPayload], threshold: float | None = None, limit: int = 10
) -> DataFrame:
    """Screen a DataFrame of :data:`~tamga.scale.partition.INPUT_SCHEMA` columns (``line``, ``id``,
    ``name``, ``schema``, ``birth_date``, ``country``, ``identifiers``) with the broadcast index:
    a DataFrame of output records, partition for partition, row for row."""
    columns = frame.select(*INPUT_SCHEMA.names)
    return columns.mapInPandas(_screen_batches(payload, threshold, limit), OUTPUT_DDL)


class SparkEngine:
    """Runs on the Spark master ``master`` (default ``local[N,4]``) or on a given session."""

    name = "spark"

    def __init__(
        self,
        master: str | None = None,
        workers: int | None = None,
        session: SparkSession | None = None,
        staging: Path | None = None,
    ) -> None:
        self._own_session = session is None
        self.session = session or spark_session(master, workers)
        self.staging = staging
        self.failed_tasks = 0
        self.warnings: list[str] = []

    @property
    def workers(self) -> int:
        return int(self.session.sparkContext.defaultParallelism)

    def screen(
        self,
        partitions: Iterator[pa.Table],
        payload: IndexPayload,
        threshold: float | None,
        limit: int,
        progress: Progress,
    ) -> Iterator[pa.Table]:
        tables = list(partitions)
        if not tables:
            return
        rows = pa.concat_tables(tables)
        context = self.session.sparkContext
        shipped = context.broadcast(payload)
        staging = Path(tempfile.mkdtemp(prefix=".tamga-spark-", dir=self.staging))
        group = f"tamga-screen-{uuid.uuid4().hex[:12]}"
        try:
            frame = self.session.createDataFrame(rows).repartitionByRange(len(tables), "line")
            results = screen_dataframe(frame.sortWithinPartitions("line"), shipped, threshold, limit)
            context.setJobGroup(group, "tamga screen")
            with _TaskProgress(context, group, rows.num_rows, progress) as tracker:
                results.write.mode("overwrite").parquet(str(staging / "out"))
            self.failed_tasks = tracker.failed_tasks
            for part in sorted((staging / "out").glob("part-*.parquet")):
                yield pq.read_table(part).cast(OUTPUT_SCHEMA).replace_schema_metadata(None)
        finally:
            context.setLocalProperty("spark.jobGroup.id", None)
            shipped.unpersist()
            shutil.rmtree(staging, ignore_errors=True)

    def close(self) -> None:
        if self._own_session:
            self.session.stop()


class _TaskProgress:
    """Polls Spark's status tracker while a job group runs and reports finished rows, pro rata of the
    screening stage's finished tasks; counts failed task attempts."""

    def __init__(self, context: Any, group: str, rows: int, progress: Progress) -> None:
        self.context, self.group, self.rows, self.progress = context, group, rows, progress
        self.failed_tasks = 0
        self._reported = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tamga-spark-progress", daemon=True)

    def __enter__(self) -> _TaskProgress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._poll(final=exc[0] is None)

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self._poll()

    def _poll(self, final: bool = False) -> None:
        tracker = self.context.statusTracker()
        stages, screening = [], None
        for job_id in sorted(tracker.getJobIdsForGroup(self.group)):
            job = tracker.getJobInfo(job_id)
            if job is None:
                continue
            found = [s for s in (tracker.getStageInfo(i) for i in job.stageIds) if s is not None]
            stages.extend(found)
            if len(job.stageIds) > 1 and found:  # the write job (the range sampling job has one stage)
                screening = max(found, key=lambda s: s.stageId)  # its last stage screens and writes
        self.failed_tasks = sum(s.numFailedTasks for s in stages)
        if final:
            done = self.rows
        elif screening is not None:
            done = self.rows * screening.numCompletedTasks // max(1, screening.numTasks)
        else:
            return
        if done > self._reported:
            self.progress(done - self._reported)
            self._reported = done
