"""What every engine offers: screen a stream of partitions with a shipped index, results in order.

An engine takes partitions of input rows (Arrow tables, in input order) and the index payload,
runs :func:`~tamga.scale.partition.screen_partition` on its workers and yields the result tables in
the order of the partitions, so that the output is in input order whichever engine ran it. It
reports finished rows to a ``progress`` callback as it goes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import pyarrow as pa

from tamga.scale.payload import IndexPayload

Progress = Callable[[int], None]  # called with the number of rows just finished
ENGINES = ("local", "dask", "spark")


class Engine(Protocol):
    name: str

    @property
    def workers(self) -> int:
        """Worker processes screening at once."""
        ...

    def screen(
        self,
        partitions: Iterator[pa.Table],
        payload: IndexPayload,
        threshold: float | None,
        limit: int,
        progress: Progress,
    ) -> Iterator[pa.Table]:
        """Output tables, one per partition, in the partitions' order."""
        ...

    def close(self) -> None:
        """Stop what the engine started (pools, clusters, sessions); leave what it was given."""
        ...


class FutureLike(Protocol):
    def result(self) -> Any: ...


def in_order(futures: Iterable[FutureLike], window: int) -> Iterator[Any]:
    """Results of ``futures`` in their order, with at most ``window`` submitted and not yet taken.

    ``futures`` is consumed lazily (making a future submits its task), so the input is read only
    as fast as the workers screen it and memory stays bounded however long the input is.
    """
    pending: deque[FutureLike] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
