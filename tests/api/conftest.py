"""One store with the full OFAC SDN and non-SDN lists, and one running app over it, for every API test.

Ingesting and indexing take seconds, so both are made once per test session; tests that change
what the app holds (limits) restore it, and tests that ingest use a copy of the store.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.ingest import ingest
from tamga.store import Store

READY_TIMEOUT = 600  # seconds to wait for an index build; a bound, not a measurement


@pytest.fixture(scope="session")
def api_db_path(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "tamga.db"
    store = Store(f"sqlite:///{path}")
    ingest(store, [lists / "ofac_sdn", lists / "ofac_non_sdn"])
    store.close()
    return path


@pytest.fixture(scope="session")
def api_db(api_db_path: Path) -> str:
    return f"sqlite:///{api_db_path}"


@pytest.fixture
def db_copy(api_db_path: Path, tmp_path: Path) -> str:
    """A store of its own with the same lists, for a test that ingests."""
    path = tmp_path / "copy.db"
    shutil.copy(api_db_path, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def app(api_db: str) -> FastAPI:
    # The poller runs once at start-up (building the index) and then only when a test asks.
    return create_app(api_db, auth=True, poll_interval=3600)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        assert app.state.holder.wait_ready(READY_TIMEOUT), "the index was not built"
        yield test_client


@pytest.fixture(scope="session")
def key(api_db: str, client: TestClient) -> str:
    return Store(api_db).create_api_key("tests")


@pytest.fixture(scope="session")
def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


# The request body of issue 4, as a yente client sends it.
YENTE_BODY = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {
                "name": ["Alken Tuniaz"],
                "birthDate": ["1961-12"],
                "nationality": ["cn"],
                "country": ["China"],
                "idNumber": ["XJ-0001"],
                "isin": [],
            },
        }
    }
}
