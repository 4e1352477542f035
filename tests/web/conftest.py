"""One store (the real OFAC SDN and non-SDN files, the curated Xinjiang table, and a small list of
hostile names), one app over it served by uvicorn on a free port, and a key, for every web test.

The app is served for the browser tests and called in process by the route tests; it is built
once per session since ingesting and indexing take seconds.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.ingest import ingest
from tamga.store import Store

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "src" / "tamga" / "data" / "curated" / "xinjiang_actions.csv"
READY_TIMEOUT = 600  # seconds to wait for the index; a bound, not a measurement
HOSTILE_NAME = "<script>alert('listed')</script> Trading LLC"
ARABIC_NAME = "محمد جواد ظريف"
# Things a list could hold that a page must show as text: markup in a name, a javascript: URL.
HOSTILE_RECORDS = [
    {
        "id": "co-1",
        "schema": "Company",
        "datasets": ["hostile"],
        "properties": {
            "name": [HOSTILE_NAME],
            "alias": ["<img src=x onerror=window.pwned=1>"],
            "country": ["ir"],
            "sourceUrl": ["javascript:alert(document.cookie)"],
        },
    },
    {
        "id": "pe-1",
        "schema": "Person",
        "datasets": ["hostile"],
        "properties": {"name": ["Mohammad Javad ZARIF", ARABIC_NAME], "birthDate": ["1960-01-07"]},
    },
    {
        "id": "san-1",
        "schema": "Sanction",
        "datasets": ["hostile"],
        "properties": {
            "entity": ["co-1"],
            "authority": ["Office of Foreign Assets Control"],
            "program": ["IRAN"],
            "startDate": ["2020-01-10"],
        },
    },
]


@pytest.fixture(scope="session")
def web_db(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.ftm.json"
    hostile.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE_RECORDS), encoding="utf-8"
    )
    url = f"sqlite:///{folder / 'tamga.db'}"
    store = Store(url)
    ingest(store, [lists / "ofac_sdn", lists / "ofac_non_sdn", CURATED, hostile])
    store.close()
    return url


@pytest.fixture(scope="session")
def key(web_db: str) -> str:
    return Store(web_db).create_api_key("analyst")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_app(web_db: str, key: str) -> FastAPI:
    return create_app(web_db, auth=True, poll_interval=3600)


@pytest.fixture(scope="session")
def server(web_app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn on a free port (as ``tamga serve`` does), once its index is built."""
    port = _free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, name="tamga-web-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not served.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    assert web_app.state.holder.wait_ready(READY_TIMEOUT), "the index was not built"
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(30)


@pytest.fixture(scope="session")
def client(web_app: FastAPI, server: str) -> TestClient:
    """Calls into the same app the server runs (its index is ready); no cookie, no redirects."""
    return TestClient(web_app, base_url="http://testserver", follow_redirects=False)


@pytest.fixture(scope="session")
def signed_in(web_app: FastAPI, server: str, key: str) -> TestClient:
    """A client holding the sign-in cookie, as a browser would after the sign-in page."""
    browser = TestClient(web_app, base_url="http://testserver", follow_redirects=False)
    response = browser.post(
        "/signin", data={"key": key, "next": "/"}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 303, response.text
    return browser


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where the browser tests save screenshots: ``TAMGA_TEST_OUTPUT`` or ``test-output/web``."""
    folder = Path(os.environ.get("TAMGA_TEST_OUTPUT") or ROOT / "test-output") / "web"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
