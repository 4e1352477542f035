"""API keys: made and revoked with `tamga keys`, checked on every endpoint but the health checks."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tamga.cli import app as cli
from tamga.store import Store
from tamga.store.schema import api_key
from tests.api.conftest import YENTE_BODY

runner = CliRunner()


def post_match(client: TestClient, headers: dict[str, str]):
    return client.post("/match/default", json=YENTE_BODY, headers=headers)


def test_missing_key(client: TestClient) -> None:
    response = post_match(client, {})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("missing API key")
    assert response.headers["www-authenticate"] == "ApiKey"


@pytest.mark.parametrize(
    "header",
    [
        "ApiKey tamga_000000000000_not-a-real-secret",
        "ApiKey something-else-entirely",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "ApiKey",
    ],
)
def test_wrong_key(client: TestClient, header: str) -> None:
    response = post_match(client, {"Authorization": header})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert "API key" in response.json()["detail"] or "Authorization" in response.json()["detail"]


def test_apikey_and_bearer_are_accepted(client: TestClient, key: str) -> None:
    for header in (f"ApiKey {key}", f"Bearer {key}", f"apikey {key}", f"bearer   {key}  "):
        response = post_match(client, {"Authorization": header})
        assert response.status_code == 200, header
    # a correct key id with a wrong secret is refused
    tampered = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert post_match(client, {"Authorization": f"ApiKey {tampered}"}).status_code == 401


def test_every_endpoint_but_health_needs_a_key(client: TestClient) -> None:
    for method, path in [
        ("GET", "/search?q=hikvision"),
        ("GET", "/entities/ofac-sdn:34119"),
        ("GET", "/sources"),
        ("GET", "/sources/ofac-sdn/changes"),
        ("POST", "/screen"),
        ("GET", "/metrics"),
        ("GET", "/algorithms"),
    ]:
        assert client.request(method, path).status_code == 401, path
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_a_new_key_works_at_once_and_a_revoked_one_stops(
    app: FastAPI, client: TestClient, api_db: str
) -> None:
    store = Store(api_db)
    new = store.create_api_key("short-lived")
    assert post_match(client, {"Authorization": f"ApiKey {new}"}).status_code == 200  # no restart
    store.revoke_api_key("short-lived")
    app.state.poller.run_once()  # what the server does every poll interval
    response = post_match(client, {"Authorization": f"ApiKey {new}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "API key 'short-lived' has been revoked"
    used = {k.name: k for k in store.api_keys()}["short-lived"]
    assert used.last_used_at is not None and used.revoked_at is not None


def test_keys_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'keys.db'}"
    made = runner.invoke(cli, ["keys", "create", "onboarding", "--db", db])
    assert made.exit_code == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("tamga_") and len(key) > 40
    assert "shown only this once" in made.stderr
    again = runner.invoke(cli, ["keys", "create", "onboarding", "--db", db])
    assert again.exit_code == 2 and "exists" in again.stderr
    assert runner.invoke(cli, ["keys", "create", "two words", "--db", db]).exit_code == 2
    listed = runner.invoke(cli, ["keys", "list", "--db", db, "--json"])
    (row,) = json.loads(listed.stdout)
    assert row["name"] == "onboarding" and row["revoked"] is None and row["last_used"] is None
    assert key not in listed.stdout
    table = runner.invoke(cli, ["keys", "list", "--db", db])
    assert "onboarding" in table.stdout
    revoked = runner.invoke(cli, ["keys", "revoke", "onboarding", "--db", db])
    assert revoked.exit_code == 0
    assert json.loads(runner.invoke(cli, ["keys", "list", "--db", db, "--json"]).stdout)[0]["revoked"]
    assert runner.invoke(cli, ["keys", "revoke", "onboarding", "--db", db]).exit_code == 2
    assert runner.invoke(cli, ["keys", "revoke", "nobody", "--db", db]).exit_code == 2
    # only a salted hash is stored: the key appears nowhere in the table
    store = Store(db)
    with store.engine.connect() as conn:
        (stored,) = conn.execute(select(api_key)).all()
    assert all(key not in str(value) for value in stored)
    assert stored.key_hash != stored.salt and len(stored.key_hash) == 64
