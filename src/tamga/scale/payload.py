"""The index as one compact payload: built once by the driver, shipped once to each worker process.

The payload is the :class:`~tamga.match.screener.Screener` pickled with protocol 5 (42 MB for the
OFAC SDN and non-SDN lists; about 1.5 s to load, against 1.2 s to load the entity records alone
plus 3 s to index them again: ``benchmarks/scale_screen.py`` measures both). A worker process
loads it the first time a task needs it and keeps it, keyed by the payload's digest, for every
later task; a payload with another digest (a new list snapshot) replaces it.

Every worker process is started with the same ``PYTHONHASHSEED`` (:data:`HASH_SEED`, the one Dask's
nanny gives its workers). The matcher's scores must not depend on the order in which Python
iterates a set of strings, which that seed decides (``tests/match`` checks two seeds); the pinned
seed keeps every engine's processes alike should such an order creep back in.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tamga.collector import collector_paused
from tamga.match.screener import Screener

HASH_SEED = "6640"  # distributed's Nanny sets this seed in its workers unless told otherwise


@dataclass(frozen=True)
class IndexPayload:
    """A pickled screener and its sha256, the key under which worker processes keep it loaded."""

    digest: str
    data: bytes
    entities: int

    @property
    def size(self) -> int:
        return len(self.data)


def pack(screener: Screener) -> IndexPayload:
    """Serialise ``screener`` (index, entities, threshold) for shipping to workers."""
    data = pickle.dumps(screener, protocol=5)
    return IndexPayload(hashlib.sha256(data).hexdigest(), data, len(screener.index.entities))


_loaded: dict[str, Screener] = {}


def unpack(payload: IndexPayload) -> Screener:
    """The screener ``payload`` holds, loaded afresh."""
    with collector_paused():  # else the load takes twice as long
        screener = pickle.loads(payload.data)
    if not isinstance(screener, Screener):
        raise TypeError(f"index payload {payload.digest[:12]} holds a {type(screener).__name__}")
    return screener


def screener_for(payload: IndexPayload) -> Screener:
    """The screener of ``payload``, unpickled once per process and reused by every later task."""
    screener = _loaded.get(payload.digest)
    if screener is None:
        _loaded.clear()  # one index at a time: a new snapshot's payload replaces the old one
        screener = _loaded[payload.digest] = unpack(payload)
        # The index is millions of long-lived objects: kept out of the cyclic collector's passes,
        # they cost the worker no collection time however many queries it screens.
        gc.freeze()
    return screener


def loaded_digests() -> list[str]:
    """Digests of the payloads this process holds loaded (one at most): for checks and tests."""
    return list(_loaded)


def hash_seed_ok() -> bool:
    """Whether this process hashes strings with :data:`HASH_SEED`, as the engines' workers must."""
    return os.environ.get("PYTHONHASHSEED") == HASH_SEED and bool(sys.flags.hash_randomization)


@contextmanager
def worker_hash_seed() -> Iterator[None]:
    """Start the processes made within this block with ``PYTHONHASHSEED`` = :data:`HASH_SEED`."""
    before = os.environ.get("PYTHONHASHSEED")
    os.environ["PYTHONHASHSEED"] = HASH_SEED
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONHASHSEED"]
        else:
            os.environ["PYTHONHASHSEED"] = before
