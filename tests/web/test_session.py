"""Signing in: the key kept in an HttpOnly, SameSite=Strict cookie that the API accepts, never in a
URL, and changes signed in by cookie only from this server's own pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.api.auth import COOKIE
from tamga.ingest import ingest
from tamga.store import Store
from tamga.web.session import safe_next

SAME = {"Origin": "http://testserver"}


def test_pages_send_you_to_sign_in_and_back(client: TestClient) -> None:
    response = client.get("/?q=Alken+Tuniaz")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2F%3Fq%3DAlken%2BTuniaz"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and 'type="password"' in page.text
    assert 'name="next" value="/?q=Alken+Tuniaz"' in page.text
    for path in ("/entity/ofac-sdn:34119", "/batch", "/portfolio", "/tracker"):
        assert client.get(path).status_code == 303, path


def test_a_link_from_another_site_reloads_once_from_this_one(client: TestClient) -> None:
    response = client.get("/entity/ofac-sdn:34119", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0;url=/entity/ofac-sdn:34119">' in response.text


def test_sign_in_sets_a_strict_http_only_cookie(web_app, server: str, key: str) -> None:  # type: ignore[no-untyped-def]
    browser = TestClient(web_app, follow_redirects=False)
    response = browser.post("/signin", data={"key": key, "next": "/tracker?country=CN"}, headers=SAME)
    assert response.status_code == 303 and response.headers["location"] == "/tracker?country=CN"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={key};")
    assert (
        "HttpOnly" in cookie
        and "SameSite=strict" in cookie
        and "Path=/" in cookie
        and "Max-Age=43200" in cookie
    )
    assert key not in response.headers["location"]
    page = browser.get("/tracker?country=CN")
    assert page.status_code == 200 and "Signed in as <b>analyst</b>" in page.text
    assert browser.get("/search", params={"q": "hikvision"}).status_code == 200  # the API takes the cookie
    out = browser.post("/signout", headers=SAME)
    assert out.status_code == 303 and f'{COOKIE}=""' in out.headers["set-cookie"]
    assert browser.get("/tracker").status_code == 303


def test_a_wrong_or_missing_key_is_refused_in_words(client: TestClient) -> None:
    response = client.post("/signin", data={"key": "tamga_nothing_like_a_key", "next": "/"}, headers=SAME)
    assert response.status_code == 401 and "invalid API key" in response.text
    assert "set-cookie" not in response.headers
    assert client.post("/signin", data={"key": " ", "next": "/"}, headers=SAME).status_code == 401


def test_sign_in_from_another_site_is_refused(client: TestClient, key: str) -> None:
    for headers in (
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/form"},
    ):
        response = client.post("/signin", data={"key": key, "next": "/"}, headers=headers)
        assert response.status_code == 403 and "set-cookie" not in response.headers, headers
    referer = client.post("/signin", data={"key": key}, headers={"Referer": "http://testserver/signin"})
    assert referer.status_code == 303


def test_cookie_signed_changes_must_come_from_this_origin(signed_in: TestClient) -> None:
    csv = {"file": ("names.csv", b"name\nAlken Tuniaz\n", "text/csv")}
    for headers in ({}, {"Origin": "https://evil.example"}, {"Referer": "http://evil.example/x"}):
        response = signed_in.post("/screen", files=csv, headers=headers)
        assert response.status_code == 403 and "Origin" in response.json()["detail"], headers
    response = signed_in.post("/screen", files=csv, headers=SAME)
    assert response.status_code == 200 and "ofac-sdn:34119" in response.text


def test_the_header_still_works_without_origin(client: TestClient, key: str) -> None:
    response = client.post(
        "/screen",
        content=b"name\nAlken Tuniaz\n",
        headers={"Authorization": f"ApiKey {key}", "Content-Type": "text/csv"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/tracker?x=1", "/tracker?x=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
        ("tracker", "/"),
    ],
)
def test_after_sign_in_only_this_site(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_without_auth_there_is_no_sign_in(tmp_path: Path, fixtures: Path) -> None:
    url = f"sqlite:///{tmp_path / 'small.db'}"
    ingest(Store(url), [fixtures / "ftm" / "zala_extract.ftm.json"])
    app = create_app(url, auth=False, poll_interval=3600)
    with TestClient(app, follow_redirects=False) as open_client:
        assert app.state.holder.wait_ready(60)
        assert open_client.get("/signin?next=/batch").headers["location"] == "/batch"
        page = open_client.get("/batch")
        assert page.status_code == 200 and "Sign out" not in page.text
