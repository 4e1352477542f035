"""The index a server answers from, and the thread that swaps in a new one when the lists change.

The served index is one immutable object (:class:`ServedIndex`) behind one reference. A request
takes the reference once and uses that index to the end, so a swap never changes an index under
a request in flight; the old one is freed when its last request is done. A background thread
(:class:`Poller`) asks the store for its latest snapshots every few seconds (one small query); when
they differ from the ones served, it builds a new :class:`~tamga.match.screener.Screener` and swaps
the reference. Building takes seconds and needs memory for both indexes until the swap.
"""

from __future__ import annotations

import bisect
import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from fastapi import Request

from tamga.match.screener import DEFAULT_THRESHOLD, Query, Screener
from tamga.model import Entity
from tamga.store import Store
from tamga.store.snapshots import SnapshotHead

log = logging.getLogger("tamga.api")

BUILD_ATTEMPTS = 3  # rebuilds when an ingest lands while an index is being built
WARM_UP = tuple(
    Query(n, s) for n, s in (("Ivan Petrov", "Person"), ("Bank Melli", "Organization"), ("Karim", None))
)


@dataclass
class ServedIndex:
    """A screener and the snapshots it was built from; never changed once built."""

    screener: Screener
    snapshots: tuple[SnapshotHead, ...]
    built_at: datetime
    _properties: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(s.source for s in self.snapshots)

    @property
    def entity_count(self) -> int:
        return len(self.screener.index.entities)

    def entity(self, entity_id: str) -> Entity | None:
        return self.screener.entity(entity_id)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """A value derived from this index (an entity's API shape, say), made once."""
        value = self._properties.get(key)
        if value is None:
            value = self._properties[key] = make()
        return value

    @cached_property
    def vocabulary(self) -> list[str]:
        """Every indexed name token, sorted, for prefix look-ups."""
        return sorted(self.screener.index.by_token)

    def tokens_with_prefix(self, prefix: str, limit: int) -> list[str]:
        words = self.vocabulary
        start = bisect.bisect_left(words, prefix)
        found = []
        for word in words[start : start + limit]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "snapshots": [s.to_dict() for s in self.snapshots],
            "entities": self.entity_count,
            "built_at": self.built_at.isoformat(timespec="seconds"),
        }


class IndexHolder:
    """Holds the served index and rebuilds it when the store's snapshots change."""

    def __init__(
        self,
        store: Store,
        threshold: float | None = None,
        on_swap: Callable[[ServedIndex], None] | None = None,
    ) -> None:
        self.store = store
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.on_swap = on_swap
        self._current: ServedIndex | None = None
        self._building = threading.Lock()
        self._ready = threading.Event()

    @property
    def current(self) -> ServedIndex | None:
        """The index to answer from, or ``None`` before the first one is built."""
        return self._current

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def refresh(self) -> bool:
        """Build and swap in a new index if the store's snapshots changed; true if it did."""
        with self._building:
            heads = tuple(self.store.snapshot_heads())
            current = self._current
            if not heads or (current is not None and current.snapshots == heads):
                return False
            for _ in range(BUILD_ATTEMPTS):
                screener = Screener.from_store(self.store, self.threshold)
                for warm in WARM_UP:  # fill lazy tables and caches before the first request
                    screener.match(warm)
                after = tuple(self.store.snapshot_heads())
                if after == heads:
                    break
                heads = after  # an ingest landed while building: build again to label it right
            served = ServedIndex(screener, heads, datetime.now(UTC).replace(microsecond=0))
            self._current = served
            # The index is a million long-lived objects: keep the cyclic garbage collector from
            # walking them again and again (a full pass would stall every request for a while).
            gc.freeze()
            self._ready.set()
        log.info(
            "serving %s entities from %s",
            f"{served.entity_count:,}",
            ", ".join(f"{s.source} snapshot {s.seq}" for s in heads),
        )
        if self.on_swap is not None:
            self.on_swap(served)
        return True


class Poller:
    """Runs each job now and then every ``interval`` seconds on one daemon thread, until stopped.

    A job that fails is logged and tried again at the next round; the server keeps answering
    from what it has.
    """

    def __init__(self, interval: float, jobs: list[Callable[[], Any]]) -> None:
        self.interval = interval
        self.jobs = jobs
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.errors: dict[str, str] = {}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="tamga-poller", daemon=True)
        self._thread.start()

    def run_once(self) -> None:
        for job in self.jobs:
            name = getattr(job, "__qualname__", repr(job))
            try:
                job()
                self.errors.pop(name, None)
            except Exception as exc:
                if self.errors.get(name) != str(exc):  # log a repeating failure once
                    log.exception("background job %s failed; retrying every %.1f s", name, self.interval)
                self.errors[name] = str(exc)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


class NotReady(Exception):
    """No index is served yet: answered with 503."""


async def served_index(request: Request) -> ServedIndex:
    """The index to answer from (a dependency of the screening endpoints)."""
    served = request.app.state.holder.current
    if served is None:
        raise NotReady()
    return served
