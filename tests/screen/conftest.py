"""One store with the full OFAC SDN and non-SDN lists, and one screener over it, for the portfolio tests.

Ingesting and indexing take seconds, so both are made once per test session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tamga.ingest import ingest
from tamga.match.screener import Screener
from tamga.store import Store


@pytest.fixture(scope="session")
def ofac_db(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('portfolio') / 'tamga.db'}"
    store = Store(url)
    ingest(store, [lists / "ofac_sdn", lists / "ofac_non_sdn"])
    store.close()
    return url


@pytest.fixture(scope="session")
def ofac_store(ofac_db: str) -> Store:
    return Store(ofac_db)


@pytest.fixture(scope="session")
def ofac_screener(ofac_store: Store) -> Screener:
    return Screener.from_store(ofac_store)
