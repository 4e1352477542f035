"""POST /portfolio: the contract of `tamga portfolio`, with the auth and limits of /screen."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from tamga.api import Limits

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "portfolio" / "em_portfolio.csv"
NS_CMIC_ROWS = {7, 8, 9, 10, 16, 17, 21}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_key_is_needed(client: TestClient) -> None:
    response = client.post("/portfolio", content=FIXTURE.read_bytes(), headers={"Content-Type": "text/csv"})
    assert response.status_code == 401


def test_multipart_csv_gives_the_json_contract(client: TestClient, auth: dict[str, str]) -> None:
    files = {"file": ("em_portfolio.csv", FIXTURE.read_bytes(), "text/csv")}
    response = client.post("/portfolio", files=files, headers=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert set(data) == {"holdings", "summary", "lists"}
    assert {h["row"] for h in data["holdings"] if h["status"] == "prohibited"} == NS_CMIC_ROWS
    sensetime = next(h for h in data["holdings"] if h["row"] == 8)
    assert (
        sensetime["matches"][0]["entity_id"] == "ofac-cons:33114"
        and sensetime["matches"][0]["basis"] == "name"
    )
    assert data["summary"]["flagged_share"] == 0.09482
    assert {entry["source"] for entry in data["lists"]} == {"ofac-sdn", "ofac-cons"}


def test_csv_body_and_every_format(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    body = FIXTURE.read_bytes()
    html = client.post("/portfolio", content=body, headers=headers, params={"format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert 'id="flagged-share">9.48%' in html.text and "holdings.csv" in html.text
    as_csv = client.post("/portfolio", content=body, headers=headers, params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 20 and {int(r["row"]) for r in rows if r["status"] == "prohibited"} == NS_CMIC_ROWS
    as_xlsx = client.post("/portfolio", content=body, headers=headers, params={"format": "xlsx"})
    assert as_xlsx.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(as_xlsx.content), read_only=True)
    assert len(list(book["Holdings"].iter_rows(values_only=True))) == 21
    assert (
        client.post("/portfolio", content=body, headers=headers, params={"format": "pdf"}).status_code == 422
    )


def test_xlsx_body(client: TestClient, auth: dict[str, str]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Issuer", "ISIN", "Weight"])
    sheet.append(["Hangzhou Hikvision Digital Technology Co Ltd-A", "CNE100000PM8", 40])
    sheet.append(["Apple Inc", "US0378331005", 60])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/portfolio", content=buffer.getvalue(), headers={**auth, "Content-Type": XLSX})
    assert response.status_code == 200, response.text
    data = response.json()
    assert [h["status"] for h in data["holdings"]] == ["prohibited", "clear"]
    assert (data["summary"]["value_basis"], data["summary"]["flagged_share"]) == ("weight", 0.4)


def test_bad_files_are_400_naming_file_and_row(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    response = client.post("/portfolio", content=b"Sector,Country\nTech,CN\n", headers=headers)
    assert response.status_code == 400
    data = response.json()
    assert (
        data["file"] == "holdings.csv"
        and data["location"] == "row 1"
        and "no usable column" in data["detail"]
    )
    files = {"file": ("book.xlsx", b"PK\x03\x04 not really a workbook", XLSX)}
    response = client.post("/portfolio", files=files, headers=auth)
    assert response.status_code == 400 and response.json()["file"] == "book.xlsx"
    assert client.post("/portfolio", content=b"", headers=headers).status_code == 400


@pytest.fixture
def small(app: FastAPI) -> Iterator[Limits]:
    before = app.state.limits
    app.state.limits = Limits(upload_bytes=3000, csv_rows=5)
    yield app.state.limits
    app.state.limits = before


def test_the_limits_of_screen_apply(client: TestClient, auth: dict[str, str], small: Limits) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    five = "name\n" + "".join(f"Company {i}\n" for i in range(5))
    assert client.post("/portfolio", content=five.encode(), headers=headers).status_code == 200
    response = client.post("/portfolio", content=(five + "Company 6\n").encode(), headers=headers)
    assert response.status_code == 413 and "at most 5" in response.json()["detail"]
    big = "name\n" + "A Company Name\n" * 300  # over 3,000 bytes, though few rows would be fine
    response = client.post("/portfolio", content=big.encode(), headers=headers)
    assert response.status_code == 413 and "3,000 bytes" in response.json()["detail"]
