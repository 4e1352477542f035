"""The rest of the service: records, search, health, OpenAPI, metrics, the access log, errors."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from tamga.api import create_app
from tamga.api.app import app_from_env, config_to_env
from tamga.api.limits import Limits


def test_openapi_document_validates(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    validate(spec)
    assert {"/match/{dataset}", "/search", "/entities/{entity_id}", "/sources", "/sources/{slug}/changes",
            "/screen", "/healthz", "/readyz", "/metrics"} <= set(spec["paths"])  # fmt: skip
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "`ApiKey KEY` (or `Bearer KEY`), with a key made by `tamga keys create NAME`.",
    }
    assert "multipart/form-data" in spec["paths"]["/screen"]["post"]["requestBody"]["content"]
    assert client.get("/docs").status_code == 200


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert [(s["source"], s["snapshot"]) for s in ready["snapshots"]] == [("ofac-cons", 1), ("ofac-sdn", 1)]
    assert ready["entities"] == 15_407


def test_entity(client: TestClient, auth: dict[str, str]) -> None:
    response = client.get("/entities/ofac-sdn:34119", headers=auth)
    assert response.status_code == 200, response.text
    entity = response.json()
    assert entity["id"] == "ofac-sdn:34119" and entity["caption"] == "TUNIYAZ, Erken"
    assert "TUNIAZ, Alken" in [n["full"] for n in entity["names"]]
    assert entity["designations"][0]["program"] == "GLOMAG"
    assert entity["relations"]
    assert entity["snapshots"] == [{"from": 1, "until": None}]
    assert client.get("/entities/ofac-sdn:34119?snapshot=1", headers=auth).json()["id"] == "ofac-sdn:34119"


def test_unknown_entity_is_404(client: TestClient, auth: dict[str, str]) -> None:
    response = client.get("/entities/ofac-sdn:999999999", headers=auth)
    assert response.status_code == 404
    assert response.json() == {"detail": "No entity 'ofac-sdn:999999999'"}


def test_sources_and_changes(client: TestClient, auth: dict[str, str]) -> None:
    data = client.get("/sources", headers=auth).json()
    assert [s["source"] for s in data["sources"]] == ["ofac-cons", "ofac-sdn"]
    assert data["served"]["entities"] == 15_407
    assert data["datasets"]["ofac"] == ["ofac-cons", "ofac-sdn"]
    changes = client.get("/sources/ofac-cons/changes", headers=auth).json()
    assert changes["from"] is None and changes["to"]["snapshot"] == 1
    assert len(changes["added"]) == 442 and changes["removed"] == changes["changed"] == []
    missing = client.get("/sources/ofac-cons/changes", params={"to": 5}, headers=auth)
    assert missing.status_code == 404 and "no snapshot 5" in missing.json()["detail"]
    assert client.get("/sources/eu-fsf/changes", headers=auth).status_code == 404


def test_search_is_prefix_friendly(client: TestClient, auth: dict[str, str]) -> None:
    data = client.get("/search", params={"q": "hikv"}, headers=auth).json()
    assert data["results"][0]["id"] == "ofac-cons:30946"
    assert data["results"][0]["method"] == "prefix"
    typed = client.get("/search", params={"q": "Erkin Tuni", "schema": "Person"}, headers=auth).json()
    assert typed["results"][0]["id"] == "ofac-sdn:34119"
    assert all(r["schema"] == "Person" for r in typed["results"])
    full = client.get("/search", params={"q": "Erkin Tuniyaz", "limit": 3}, headers=auth).json()
    assert full["results"][0] == {
        "id": "ofac-sdn:34119",
        "schema": "Person",
        "caption": "TUNIYAZ, Erken",
        "name": "TUNIYAZ, Erkin",
        "datasets": ["ofac-sdn"],
        "method": "fuzzy",
        "score": 1.0,
        "match": True,
    }
    assert len(full["results"]) <= 3 == full["limit"]


def test_metrics(client: TestClient, auth: dict[str, str]) -> None:
    body = {"queries": {"a": {"schema": "Person", "properties": {"name": ["A"]}}}}
    client.post("/match/default", json=body, headers=auth)
    text = client.get("/metrics", headers=auth).text
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    assert samples['tamga_http_requests_total{method="POST",route="/match/{dataset}",status="200"}'] >= 1
    assert samples['tamga_http_request_duration_seconds_count{method="POST",route="/match/{dataset}"}'] >= 1
    assert samples['tamga_queries_screened_total{endpoint="match"}'] >= 1
    assert samples['tamga_index_snapshot{source="ofac-sdn"}'] == 1
    assert samples["tamga_index_entities"] == 15_407
    assert samples["tamga_index_swaps_total"] == 1
    assert not any(name.endswith("_created") for name in samples)


def test_access_log_is_one_json_line(client: TestClient, auth: dict[str, str], caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="tamga.access"):
        client.get("/entities/ofac-sdn:34119", headers=auth, params={"secret": "name"})
        client.get("/healthz")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "tamga.access"]
    assert [line["path"] for line in lines] == ["/entities/ofac-sdn:34119", "/healthz"]
    first = lines[0]
    assert first["method"] == "GET" and first["status"] == 200 and first["key"] == "tests"
    assert isinstance(first["latency_ms"], float) and first["latency_ms"] >= 0
    assert lines[1]["key"] is None
    assert "secret" not in caplog.text  # query strings may hold screened names: not logged


def test_an_unexpected_error_is_a_logged_json_500(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}", auth=False)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kaboom")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    data = response.json()
    assert data["detail"] == f"internal error (logged as {data['error_id']})"
    assert any(data["error_id"] in r.getMessage() and r.exc_info for r in caplog.records)
    assert "kaboom" not in response.text


def test_an_empty_store_is_not_ready(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(f"sqlite:///{tmp_path / 'empty.db'}", auth=False)
    with TestClient(app) as client:
        app.state.poller.run_once()
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not ready"
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["A"]}}}}
        response = client.post("/match/default", json=body)
        assert response.status_code == 503 and response.headers["retry-after"] == "5"
        assert client.get("/search", params={"q": "a"}).status_code == 503
    assert not (tmp_path / "empty.db").exists()  # reading never creates a store


def test_no_auth_warns(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="tamga.api"):
        create_app(f"sqlite:///{tmp_path / 'x.db'}", auth=False)
    assert "authentication is OFF" in caplog.text


def test_worker_config_round_trip(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    limits = Limits(queries=7)
    text = config_to_env(
        store_url=f"sqlite:///{tmp_path / 'w.db'}", auth=False, limits=limits, poll_interval=2
    )
    monkeypatch.setenv("TAMGA_SERVE_CONFIG", text)
    monkeypatch.setattr("tamga.api.app.configure_logging", lambda: None)  # keep pytest's log capture
    app: FastAPI = app_from_env()
    assert app.state.limits == limits and app.state.keyring is None
    assert app.state.poller.interval == 2


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_needs_no_key(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200
