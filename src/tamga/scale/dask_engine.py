"""The Dask engine: an existing scheduler, or a LocalCluster of one single-threaded worker per core.

The index payload is scattered to every worker once (``broadcast=True``); each task receives it by
reference and :func:`~tamga.scale.payload.screener_for` unpickles it once per worker process. A
worker that dies mid-run is restarted by its nanny and the scheduler runs its unfinished tasks
again elsewhere; results are taken by partition, so no row is lost or written twice.

Workers need tamga installed (the tasks are tamga's functions, pickled by reference). Dask's
nanny starts workers with ``PYTHONHASHSEED=6640`` (:data:`~tamga.scale.payload.HASH_SEED`); a
cluster whose workers hash otherwise is reported in :attr:`DaskEngine.warnings`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pyarrow as pa
from distributed import Client, LocalCluster

from tamga.scale.engine import Progress, in_order
from tamga.scale.partition import screen_partition
from tamga.scale.payload import HASH_SEED, IndexPayload, hash_seed_ok, screener_for
from tamga.screen.batch import default_workers

WINDOW_PER_WORKER = 3  # partitions submitted per worker thread ahead of the one being taken


def screen_task(partition: pa.Table, payload: IndexPayload, threshold: float | None, limit: int) -> pa.Table:
    """One partition on a Dask worker, with the index that worker holds loaded."""
    return screen_partition(partition, screener_for(payload), threshold, limit)


class DaskEngine:
    """Runs on the scheduler at ``scheduler`` (``tcp://host:8786``), or on a LocalCluster of
    ``workers`` processes (default: one per core) started for the run and stopped after it."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        self.warnings: list[str] = []
        self._cluster: LocalCluster | None = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=max(1, workers or default_workers()),
                threads_per_worker=1,  # the matcher is Python code: one thread per process
                processes=True,
                host="127.0.0.1",  # a cluster of this machine listens on loopback only
                dashboard_address=":0",  # any free port: 8787 may be another cluster's
                silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
        else:
            self.client = Client(scheduler)

    @property
    def workers(self) -> int:
        return sum(self.client.nthreads().values())

    def screen(
        self,
        partitions: Iterator[pa.Table],
        payload: IndexPayload,
        threshold: float | None,
        limit: int,
        progress: Progress,
    ) -> Iterator[pa.Table]:
        seeds = self.client.run(hash_seed_ok)
        odd = sorted(address for address, ok in seeds.items() if not ok)
        if odd:
            self.warnings.append(
                f"{len(odd)} Dask worker(s) do not hash with PYTHONHASHSEED={HASH_SEED}: "
                "near-ties between candidates may be ordered differently than on other engines"
            )
        shipped = self.client.scatter(payload, broadcast=True)
        futures = (
            self.client.submit(screen_task, partition, shipped, threshold, limit, pure=False)
            for partition in partitions
        )
        for result in in_order(futures, max(1, self.workers) * WINDOW_PER_WORKER):
            progress(result.num_rows)
            yield result

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
