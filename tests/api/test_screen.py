"""POST /screen: the contract of `tamga screen`, streamed as JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

NAMES = (
    "case_id,name,schema,birth_date,country\n"
    "c1,Erkin Tuniyaz,Person,1961,CN\n"
    "c2,Jane Q. Example,Person,,\n"
    "c3,艾尔肯·吐尼亚孜,,,\n"
    "c4,Hikvision,Organization,,\n"
)


def test_jsonl_streamed_in_input_order(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    with client.stream(
        "POST", "/screen", content=NAMES.encode(), headers=headers, params={"limit": 3}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        lines = [json.loads(line) for line in response.iter_lines() if line]
    assert [line["id"] for line in lines] == ["c1", "c2", "c3", "c4"]
    first = lines[0]
    assert first["query"] == {
        "name": "Erkin Tuniyaz",
        "schema": "Person",
        "birth_date": "1961",
        "country": "CN",
    }
    top = first["matches"][0]
    assert top["entity_id"] == "ofac-sdn:34119" and top["match"] is True
    assert set(top) >= {"entity_id", "name", "score", "match", "explanation"}
    assert {q["kind"] for q in top["explanation"]["qualifiers"]} == {"birth_date", "country"}
    for line in lines:
        scores = [m["score"] for m in line["matches"]]
        assert scores == sorted(scores, reverse=True) and len(scores) <= 3
        assert all(s >= 0.5 for s in scores)
    assert not any(m["match"] for m in lines[1]["matches"])
    assert lines[2]["matches"][0]["entity_id"] == "ofac-sdn:34119"
    assert lines[3]["matches"][0]["entity_id"] == "ofac-cons:30946"


def test_multipart_upload_and_csv_output(client: TestClient, auth: dict[str, str]) -> None:
    files = {"file": ("names.csv", b"id,name\n1,Shohrat Zakir\n2,Jane Q. Example\n", "text/csv")}
    response = client.post("/screen", files=files, headers=auth, params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["id", "query_name", "rank", "entity_id", "name", "schema", "score", "match",
                             "matched_name", "decision", "decision_stale", "suppressed"]  # fmt: skip
    assert rows[0]["id"] == "1" and rows[0]["entity_id"] == "ofac-sdn:34079" and rows[0]["match"] == "true"
    assert rows[0]["rank"] == "1"
    assert any(r["id"] == "2" for r in rows)


def test_a_header_only_file_gives_no_lines(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    assert client.post("/screen", content=b"id,name\n", headers=headers).text == ""
    csv_text = client.post("/screen", content=b"id,name\n", headers=headers, params={"format": "csv"}).text
    assert csv_text.strip() == (
        "id,query_name,rank,entity_id,name,schema,score,match,matched_name,decision,decision_stale,suppressed"
    )


def test_bad_csv_names_the_line(client: TestClient, auth: dict[str, str]) -> None:
    headers = {**auth, "Content-Type": "text/csv"}
    for text, line in [
        ("who,what\nA,B\n", "line 1"),
        ("id,name\n1,Erkin Tuniyaz\n2,\n", "line 3"),
        ("id,name,schema\n1,Erkin Tuniyaz,Company\n", "line 2"),
        ("id,name\n1,A,extra\n", "line 2"),
    ]:
        response = client.post("/screen", content=text.encode(), headers=headers)
        assert response.status_code == 400, text
        data = response.json()
        assert data["location"] == line and line in data["detail"] and data["file"] == "upload.csv"
    files = {"file": ("mine.csv", b"id,name\n1,\n", "text/csv")}
    response = client.post("/screen", files=files, headers=auth)
    assert response.status_code == 400 and response.json()["detail"].startswith("mine.csv: line 2")
