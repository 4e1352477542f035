"""The local engine: every core of this machine, one process each.

The worker processes are started afresh (not forked from the driver) with the hash seed every
engine uses, and each loads the index payload once, when it starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pyarrow as pa

from tamga.match.screener import Screener
from tamga.scale.engine import Progress, in_order
from tamga.scale.partition import screen_partition
from tamga.scale.payload import IndexPayload, screener_for, worker_hash_seed
from tamga.screen.batch import default_workers

WINDOW_PER_WORKER = 3  # partitions queued per worker process


_screener: Screener | None = None


def _load(payload: IndexPayload) -> None:
    global _screener
    _screener = screener_for(payload)


def _screen(partition: pa.Table, threshold: float | None, limit: int) -> pa.Table:
    assert _screener is not None, "worker started without its index"
    return screen_partition(partition, _screener, threshold, limit)


class LocalEngine:
    """A pool of ``workers`` processes on this machine (default: one per core)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self._workers = max(1, workers or default_workers())

    @property
    def workers(self) -> int:
        return self._workers

    def screen(
        self,
        partitions: Iterator[pa.Table],
        payload: IndexPayload,
        threshold: float | None,
        limit: int,
        progress: Progress,
    ) -> Iterator[pa.Table]:
        spawn = get_context("spawn")
        with (
            worker_hash_seed(),
            ProcessPoolExecutor(self._workers, spawn, initializer=_load, initargs=(payload,)) as pool,
        ):
            futures = (pool.submit(_screen, partition, threshold, limit) for partition in partitions)
            for result in in_order(futures, self._workers * WINDOW_PER_WORKER):
                progress(result.num_rows)
                yield result

    def close(self) -> None:
        """Nothing outlives :meth:`screen`: the pool is closed when the last result is taken."""
