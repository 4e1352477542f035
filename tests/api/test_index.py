"""A new snapshot in the store is picked up and swapped in while requests go on."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.ingest import ingest
from tamga.store import Store
from tests.api.conftest import READY_TIMEOUT

ERKIN = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Erkin Tuniyaz"]}}}}
UN_NAME = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Gaston Iyamuremye"]}}}}


def served(client: TestClient) -> list[tuple[str, int]]:
    return [(s["source"], s["snapshot"]) for s in client.get("/readyz").json()["snapshots"]]


def test_a_new_snapshot_is_swapped_in_without_failed_requests(db_copy: str, lists: Path) -> None:
    app = create_app(db_copy, auth=False, poll_interval=0.05)
    with TestClient(app) as client:
        assert app.state.holder.wait_ready(READY_TIMEOUT)
        assert served(client) == [("ofac-cons", 1), ("ofac-sdn", 1)]
        assert client.post("/match/un-sc", json=UN_NAME).status_code == 404
        first = app.state.holder.current

        answers: list[tuple[int, str | None]] = []
        stop = threading.Event()

        def keep_asking() -> None:
            while not stop.is_set():
                response = client.post("/match/default", json=ERKIN)
                results = response.json()["responses"]["q"]["results"] if response.status_code == 200 else []
                answers.append((response.status_code, results[0]["id"] if results else None))

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            ingest(Store(db_copy), [lists / "un_sc"])  # what `tamga ingest` in another process does
            deadline = time.monotonic() + READY_TIMEOUT
            while app.state.holder.current is first and time.monotonic() < deadline:
                time.sleep(0.05)
            before = len(answers)
            while len(answers) < before + 5 and asker.is_alive():  # some requests on the new index too
                time.sleep(0.05)
        finally:
            stop.set()
            asker.join()

        assert app.state.holder.current is not first, "the new snapshot was not picked up"
        assert answers and all(a == (200, "ofac-sdn:34119") for a in answers), set(answers)
        ready = client.get("/readyz").json()
        assert served(client) == [("ofac-cons", 1), ("ofac-sdn", 1), ("un-sc", 1)]
        un = next(s for s in ready["snapshots"] if s["source"] == "un-sc")
        assert un["published_at"] == "2026-02-27T00:00:09"
        assert ready["entities"] > 15_407
        found = client.post("/match/un-sc", json=UN_NAME)
        assert found.status_code == 200
        top = found.json()["responses"]["q"]["results"][0]
        assert top["id"].startswith("un-sc:") and top["datasets"] == ["un-sc"] and top["match"]
        assert not app.state.holder.refresh()  # nothing new: no rebuild
        metrics = client.get("/metrics").text
        assert 'tamga_index_snapshot{source="un-sc"} 1.0' in metrics
        assert "tamga_index_swaps_total 2.0" in metrics
