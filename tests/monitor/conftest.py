"""A small store of real OFAC extracts (tests/fixtures/ofac_csv), on SQLite and on PostgreSQL,
for the tests of decisions, watchlists, the audit log and webhooks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tamga.ingest import ingest
from tamga.store import Store


@pytest.fixture
def small_store(db_url: str, fixtures: Path) -> Iterator[Store]:
    """The OFAC SDN and non-SDN extracts (Xinjiang officials, Hikvision…) in a fresh store."""
    store = Store(db_url)
    ingest(store, [fixtures / "ofac_csv"])
    yield store
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path, fixtures: Path) -> Iterator[Store]:
    """The same extracts, on SQLite only: for tests that run the CLI or a server on a file."""
    store = Store(f"sqlite:///{tmp_path / 'tamga.db'}")
    ingest(store, [fixtures / "ofac_csv"])
    yield store
    store.close()
