"""Leases: one of several server processes runs the monitoring after an ingest, the others skip it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tamga.api.cases import RUN_LEASE, Monitoring
from tamga.api.index import IndexHolder
from tamga.monitor import leases, rescreen, watchlists
from tamga.monitor.clock import now
from tamga.store import Store


def test_one_holder_at_a_time_until_released_or_expired(
    small_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert leases.claim(small_store, "job", "a", 60)
    assert not leases.claim(small_store, "job", "b", 60)
    assert leases.claim(small_store, "job", "a", 60)  # renewed by its holder
    assert leases.claim(small_store, "other job", "b", 60)  # leases are by name
    leases.release(small_store, "job", "b")  # not b's to give up
    assert not leases.claim(small_store, "job", "b", 60)
    leases.release(small_store, "job", "a")
    assert leases.claim(small_store, "job", "b", 60)

    later = now() + timedelta(seconds=61)  # b died holding it: it expires
    monkeypatch.setattr(leases, "now", lambda: later)
    assert leases.claim(small_store, "job", "c", 60)
    assert not leases.claim(small_store, "job", "b", 60)


def test_a_server_process_skips_the_run_another_holds(small_store: Store, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("id,name\nc1,Erkin Tuniyaz\nc2,Jane Example\n", encoding="utf-8")
    watchlists.add_file(small_store, "clients", rows, "ana")
    holder = IndexHolder(small_store)
    assert holder.refresh()
    first, second = Monitoring(small_store, holder), Monitoring(small_store, holder)
    assert first.lease_holder != second.lease_holder

    assert leases.claim(small_store, RUN_LEASE, first.lease_holder, 60)  # the first is running
    second.job()
    assert second.last is None and rescreen.pending(small_store)  # so the second did nothing

    leases.release(small_store, RUN_LEASE, first.lease_holder)
    second.job()
    assert second.last is not None and second.last.raised >= 1
    assert not rescreen.pending(small_store)
    first.job()  # nothing left for the first to do
    assert first.last is None
    assert leases.claim(small_store, RUN_LEASE, first.lease_holder, 60)  # and the second let go
