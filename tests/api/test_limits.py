"""Limits and bad input: each refused with a 4xx JSON answer naming the problem, never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tamga.api import Limits
from tests.api.conftest import YENTE_BODY


@pytest.fixture
def small(app: FastAPI) -> Iterator[Limits]:
    """The app with small limits for the length of one test."""
    before = app.state.limits
    app.state.limits = Limits(
        body_bytes=4000, upload_bytes=3000, queries=3, csv_rows=5, results=20, variants=4
    )
    yield app.state.limits
    app.state.limits = before


def queries(n: int) -> dict:
    return {"queries": {f"q{i}": YENTE_BODY["queries"]["q1"] for i in range(n)}}


def test_queries_per_request(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    assert client.post("/match/default", json=queries(3), headers=auth).status_code == 200
    response = client.post("/match/default", json=queries(4), headers=auth)
    assert response.status_code == 400
    assert response.json()["detail"] == "Too many queries in one batch (4; limit: 3)"


def test_the_default_query_limit_is_yentes(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/match/default", json=queries(101), headers=auth)
    assert response.status_code == 400 and "limit: 100" in response.json()["detail"]


def test_body_size(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["x" * 5000]}}}}
    response = client.post("/match/default", json=body, headers=auth)
    assert response.status_code == 413
    assert response.json()["detail"] == "request body larger than 4,000 bytes (limit of this server)"


def test_body_size_without_content_length(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    data = json.dumps({"queries": {"q": {"schema": "Person", "properties": {"name": ["x" * 5000]}}}}).encode()
    chunks = iter([data[:1000], data[1000:3000], data[3000:]])  # sent chunked: no Content-Length
    response = client.post(
        "/match/default", content=chunks, headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "4,000 bytes" in response.json()["detail"]


def test_bad_content_length(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post(
        "/match/default",
        content=b"{}",
        headers={**auth, "Content-Length": "lots", "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_variants_per_query(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    props = {"name": ["a b", "c d", "e f"], "birthDate": ["1961", "1962"]}
    body = {"queries": {"q": {"schema": "Person", "properties": props}}}
    answer = client.post("/match/default", json=body, headers=auth).json()["responses"]["q"]
    assert (
        answer["status"] == 400 and "6 combinations" in answer["detail"] and "at most 4" in answer["detail"]
    )


def test_results_per_query(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    response = client.post("/match/default", json=YENTE_BODY, headers=auth, params={"limit": 21})
    assert response.status_code == 400 and "limit 21" in response.json()["detail"]


def test_csv_rows_per_upload(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    five = "id,name\n" + "".join(f"{i},Erkin Tuniyaz\n" for i in range(5))
    ok = client.post("/screen", content=five, headers={**auth, "Content-Type": "text/csv"})
    assert ok.status_code == 200 and len(ok.text.splitlines()) == 5
    six = five + "6,Hikvision\n"
    response = client.post("/screen", content=six, headers={**auth, "Content-Type": "text/csv"})
    assert response.status_code == 413
    assert response.json()["detail"] == "6 rows: at most 5 per upload"


def test_upload_size(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    big = "id,name\n" + "1," + "x" * 3500 + "\n"
    response = client.post("/screen", content=big, headers={**auth, "Content-Type": "text/csv"})
    assert response.status_code == 413 and "3,000 bytes" in response.json()["detail"]
    files = {"file": ("names.csv", big.encode(), "text/csv")}
    assert client.post("/screen", files=files, headers=auth).status_code == 413


MALFORMED = [
    b"",
    b"{",
    b"not json",
    b"[]",
    b'{"queries": []}',
    b'{"queries": "q"}',
    b'{"queries": null}',
    b"null",
    b"\xff\xfe\x00",
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\xed\xa0\x80"]}}}}',
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["a"]}}}, "weights": 5}',
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": [1e999]}}}}',
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\\u0000"]}}}}',
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["' + b"[" * 10 + b'"]}}}}',
    b'{"queries": {"q": {"schema": ["Person"], "properties": {"name": "a"}}}}',
    b'{"queries": "\\ud800"}',
    b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\\udfff x"]}}}}',
    b'{"queries": {"\\ud800": {"schema": "Person", "properties": {"name": ["a"]}}}}',
]


@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_json_is_never_a_500(client: TestClient, auth: dict[str, str], body: bytes) -> None:
    response = client.post(
        "/match/default", content=body, headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code in (200, 400, 422), (body, response.status_code, response.text)
    data = response.json()
    if response.status_code == 200:  # well-formed JSON with a bad query: that query's own 400
        assert all(r["status"] in (200, 400) for r in data["responses"].values())
    else:
        assert data["detail"]


def test_malformed_json_answers(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    broken = client.post("/match/default", content=b"{", headers=headers)
    assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"
    wrong = client.post("/match/default", content=b'{"queries": []}', headers=headers)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "queries"]


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/search", {}),
        ("GET", "/search?q=", {}),
        ("GET", "/search?q=a&limit=0", {}),
        ("GET", "/search?q=a&schema=Spaceship", {}),
        ("GET", "/search?q=" + "x" * 300, {}),
        ("GET", "/entities/", {}),
        ("GET", "/entities/no-colon", {}),
        ("GET", "/entities/ofac-sdn:34119?snapshot=0", {}),
        ("GET", "/entities/ofac-sdn:34119?snapshot=99", {}),
        ("GET", "/sources/nope/changes", {}),
        ("GET", "/sources/ofac-sdn/changes?from=7", {}),
        ("GET", "/sources/ofac-sdn/changes?to=x", {}),
        ("POST", "/screen", {"content": b""}),
        ("POST", "/screen", {"content": b"\x1f\x8b\x08\x00"}),
        ("POST", "/screen", {"content": b"\xff\xfeid,name\n"}),
        ("POST", "/screen?format=xml", {"content": b"id,name\n1,A\n"}),
        ("POST", "/screen", {"files": {"other": ("a.csv", b"id,name\n1,A\n")}}),
        (
            "POST",
            "/screen",
            {"content": b"--x\r\n", "headers": {"Content-Type": "multipart/form-data; boundary=x"}},
        ),
        ("GET", "/match/default", {}),
        ("PUT", "/sources", {}),
        ("GET", "/no/such/path", {}),
    ],
)
def test_bad_requests_are_4xx_json(
    client: TestClient, auth: dict[str, str], method: str, path: str, kwargs: dict
) -> None:
    headers = {**auth, **kwargs.pop("headers", {})}
    response = client.request(method, path, headers=headers, **kwargs)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize("q", ["%00%00", "%20", "---", "%F0%9F%98%80"])
def test_search_for_nothing_finds_nothing(client: TestClient, auth: dict[str, str], q: str) -> None:
    response = client.get(f"/search?q={q}", headers=auth)
    assert response.status_code == 200 and response.json()["results"] == []
