"""One store with the full OFAC SDN and non-SDN lists and the curated Xinjiang actions, grouped
into subjects once per session; tests that judge links work on a copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tamga.data import curated_path
from tamga.ingest import ingest
from tamga.store import Store
from tamga.tracker import Tracker


@pytest.fixture(scope="session")
def tracker_db_path(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tracker") / "tamga.db"
    store = Store(f"sqlite:///{path}")
    ingest(store, [lists / "ofac_sdn", lists / "ofac_non_sdn", curated_path()])
    Tracker.load(store)  # groups the records into subjects and stores them
    store.close()
    return path


@pytest.fixture(scope="session")
def tracker_db(tracker_db_path: Path) -> str:
    return f"sqlite:///{tracker_db_path}"


@pytest.fixture(scope="session")
def tracker(tracker_db: str) -> Tracker:
    return Tracker.load(Store(tracker_db))


@pytest.fixture(scope="session")
def small_db_path(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated actions and the OFAC SDN entries that mention GLOMAG or China (about 900):
    small enough to group again and again in a test."""
    folder = tmp_path_factory.mktemp("small")
    lines = (lists / "ofac_sdn" / "sdn.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "sdn.csv").write_text(
        "".join(x for x in lines if "GLOMAG" in x or "China" in x), encoding="utf-8"
    )
    path = folder / "tamga.db"
    store = Store(f"sqlite:///{path}")
    ingest(store, [folder / "sdn.csv", curated_path()])
    Tracker.load(store)
    store.close()
    return path


@pytest.fixture
def small_db_copy(small_db_path: Path, tmp_path: Path) -> str:
    path = tmp_path / "tamga.db"
    shutil.copy(small_db_path, path)
    return f"sqlite:///{path}"
