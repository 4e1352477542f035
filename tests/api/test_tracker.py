"""The tracker over HTTP: the same answers as the CLI, under the same key auth."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from tamga.api import create_app
from tamga.data import curated_path
from tamga.ingest import ingest
from tamga.store import Store

from .conftest import READY_TIMEOUT


@pytest.fixture(scope="module")
def tracked(api_db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    """A server over the OFAC lists plus the curated actions, and a key for it."""
    path = tmp_path_factory.mktemp("api-tracker") / "tamga.db"
    shutil.copy(api_db_path, path)
    url = f"sqlite:///{path}"
    store = Store(url)
    ingest(store, [curated_path()])
    key = store.create_api_key("tracker-tests")
    app = create_app(url, auth=True, poll_interval=3600)
    with TestClient(app) as client:
        assert app.state.holder.wait_ready(READY_TIMEOUT)
        yield client, {"Authorization": f"ApiKey {key}"}


def test_gaps(tracked: tuple[TestClient, dict]) -> None:
    client, auth = tracked
    answer = client.get(
        "/tracker/gaps",
        params={"of": "US", "vs": "EU,UK", "country": "CN", "program": "GLOMAG"},
        headers=auth,
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["jurisdictions"] == ["US", "EU", "UK"]
    found = {r["caption"] for r in data["rows"]}
    assert {"Chen Quanguo", "Shohrat Zakir", "Erkin Tuniyaz"} <= found
    assert not found & {"Zhu Hailun", "Wang Mingshan", "Chen Mingguo"}
    row = next(r for r in data["rows"] if r["caption"] == "Chen Quanguo")
    assert row["cells"]["US"]["listed_on"] == "2020-07-09" and row["cells"]["US"]["verified"] is True


def test_count_and_matrix(tracked: tuple[TestClient, dict]) -> None:
    client, auth = tracked
    params = {
        "jurisdiction": "US", "authority": "US-OFAC", "program": "GLOMAG", "country": "CN",
        "schema": "Person", "source": "curated", "as_of": "2021-12-31",
    }  # fmt: skip
    data = client.get("/tracker/count", params=params, headers=auth).json()
    assert data["count"] == 10 and len(data["rows"]) == 10
    matrix = client.get("/tracker/matrix", params={"country": "CN", "program": "GLOMAG"}, headers=auth).json()
    assert matrix["jurisdictions"] == ["US", "EU", "UK", "CA"]
    zhu = next(r for r in matrix["rows"] if r["caption"] == "Zhu Hailun")
    assert zhu["cells"]["US"]["listed_on"] == "2020-07-09"
    assert zhu["cells"]["EU"] is None  # the EU's program is not GLOMAG
    everything = client.get("/tracker/matrix", params={"country": "CN"}, headers=auth).json()
    zhu = next(r for r in everything["rows"] if r["caption"] == "Zhu Hailun")
    assert zhu["cells"]["EU"]["listed_on"] == "2021-03-22" and zhu["cells"]["UK"]["listed_on"] == "2021-03-22"


def test_subject_and_charts(tracked: tuple[TestClient, dict]) -> None:
    client, auth = tracked
    data = client.get("/subjects/ofac-sdn:34119", headers=auth).json()
    assert {m["entity_id"] for m in data["members"]} == {"ofac-sdn:34119", "curated:erkin-tuniyaz"}
    assert {("US", "2021-12-10"), ("CA", "2024-12-10")} <= {
        (e["jurisdiction"], e["date"]) for e in data["timeline"] if e["event"] == "listed"
    }
    svg = client.get("/charts/subjects/ofac-sdn:34119.svg", headers=auth)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert etree.fromstring(svg.content).tag.endswith("svg")
    png = client.get("/charts/designations.png", params={"country": "CN"}, headers=auth)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get("/charts/designations.gif", headers=auth).status_code == 404


def test_errors_are_json_4xx(tracked: tuple[TestClient, dict]) -> None:
    client, auth = tracked
    assert client.get("/tracker/gaps", params={"of": "US", "vs": "EU"}).status_code == 401
    bad = client.get("/tracker/gaps", params={"of": "US", "vs": "XX"}, headers=auth)
    assert bad.status_code == 422 and "XX" in bad.text
    bad = client.get("/tracker/count", params={"jurisdiction": "US", "as_of": "soon"}, headers=auth)
    assert bad.status_code == 422 and "as_of" in bad.text
    missing = client.get("/subjects/ofac-sdn:999999999", headers=auth)
    assert missing.status_code == 404 and missing.json()
    feed = client.get("/tracker/changes", headers=auth)
    assert feed.status_code == 200 and feed.json() == {"changes": []}  # first snapshots only
