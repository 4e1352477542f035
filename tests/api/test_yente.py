"""POST /match/{dataset}: yente's request and answer, on the full OFAC lists."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tamga.api.yente import YENTE_ALGORITHMS, entity_properties, read_example
from tamga.match.screener import DEFAULT_THRESHOLD
from tamga.model import Country, Entity, Identifier, Name
from tests.api.conftest import YENTE_BODY

RESULT_KEYS = {"id", "schema", "caption", "properties", "datasets", "score", "match", "explanations"}


def match(client: httpx.Client, auth: dict[str, str], body: Any, dataset: str = "default", **params: Any):
    return client.post(f"/match/{dataset}", json=body, headers=auth, params=params)


def one(client: TestClient, auth: dict[str, str], schema: str, props: dict[str, Any], **params: Any):
    response = match(client, auth, {"queries": {"q": {"schema": schema, "properties": props}}}, **params)
    assert response.status_code == 200, response.text
    return response.json()["responses"]["q"]


def test_a_yente_request_gets_a_yente_answer(client: TestClient, auth: dict[str, str]) -> None:
    assert isinstance(client, httpx.Client)  # the test client is an httpx client
    response = match(client, auth, YENTE_BODY, threshold=0.7, limit=3, algorithm="logic-v2")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-batch-size"] == "1"
    data = response.json()
    assert set(data) >= {"responses", "matcher", "limit"}
    assert data["limit"] == 3
    assert data["algorithm"] == {"name": "tamga", "requested": "logic-v2"}
    assert set(data["matcher"]) == {"name", "birth_date", "country", "identifier"}
    answer = data["responses"]["q1"]
    assert answer["status"] == 200
    assert answer["total"]["relation"] == "eq" and answer["total"]["value"] >= len(answer["results"])
    assert answer["query"] == {
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
    results = answer["results"]
    assert 1 <= len(results) <= 3
    top = results[0]
    assert set(top) >= RESULT_KEYS
    assert top["id"] == "ofac-sdn:34119"
    assert top["schema"] == "Person"
    assert top["caption"] == "TUNIYAZ, Erken"
    assert top["datasets"] == ["ofac-sdn"]
    assert top["match"] is True and top["score"] >= 0.7
    assert "TUNIAZ, Alken" in top["properties"]["alias"]
    assert top["properties"]["birthDate"] == ["1961-12"]
    assert top["properties"]["nationality"] == ["cn"]
    explanation = top["explanations"]
    assert explanation["query_name"] == "Alken Tuniaz"
    assert explanation["matched_name"] == "TUNIAZ, Alken"
    assert {(p["query"], p["listed"]) for p in explanation["parts"]} == {
        ("alken", "alken"),
        ("tuniaz", "tuniaz"),
    }
    qualifiers = {q["kind"]: q["effect"] for q in explanation["qualifiers"]}
    assert qualifiers["birth_date"] > 0 and qualifiers["country"] > 0
    assert top["features"]["name"] == explanation["name_score"]
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert all(r["match"] == (r["score"] >= 0.7) for r in results)


def test_several_names_are_each_screened_and_merged(client: TestClient, auth: dict[str, str]) -> None:
    answer = one(client, auth, "Person", {"name": ["Jane Q. Example", "Erkin Tuniyaz"]}, limit=10)
    ids = [r["id"] for r in answer["results"]]
    assert ids[0] == "ofac-sdn:34119"
    assert len(ids) == len(set(ids))  # one result per entity, the best of its names
    assert answer["results"][0]["explanations"]["query_name"] == "Erkin Tuniyaz"
    # first and last names stand in for a missing name, as FollowTheMoney splits them
    parts = one(client, auth, "Person", {"firstName": ["Erkin"], "lastName": ["Tuniyaz"]})
    assert parts["results"][0]["id"] == "ofac-sdn:34119"


def test_default_threshold_and_the_threshold_parameter(client: TestClient, auth: dict[str, str]) -> None:
    props = {"name": ["Erkin Tuniyaz"], "birthDate": ["1980"]}
    default = one(client, auth, "Person", props)["results"][0]
    assert default["id"] == "ofac-sdn:34119"
    assert default["match"] == (default["score"] >= DEFAULT_THRESHOLD)
    strict = one(client, auth, "Person", props, threshold=1.0)["results"][0]
    assert strict["score"] == default["score"] < 1.0
    assert strict["match"] is False


def test_identifiers_are_evidence(client: TestClient, auth: dict[str, str]) -> None:
    answer = one(client, auth, "Company", {"name": ["Hangzhou Digital"], "isin": ["CNE100000PM8"]})
    top = answer["results"][0]
    assert top["id"] == "ofac-cons:30946" and top["match"] is True
    assert [q["kind"] for q in top["explanations"]["qualifiers"]] == ["identifier"]
    assert top["features"]["identifier"] == 0.3
    assert "CNE100000PM8" in top["properties"]["isin"]


def test_dataset_restricts_the_sources(client: TestClient, auth: dict[str, str]) -> None:
    body = {"queries": {"h": {"schema": "Company", "properties": {"name": ["Hikvision"]}}}}
    for dataset in ("default", "ofac-cons", "us_ofac_cons", "ofac", "us"):
        response = match(client, auth, body, dataset)
        assert response.status_code == 200, dataset
        assert response.json()["responses"]["h"]["results"][0]["id"] == "ofac-cons:30946", dataset
    for dataset in ("ofac-sdn", "us_ofac_sdn"):
        results = match(client, auth, body, dataset).json()["responses"]["h"]["results"]
        assert results and all(r["datasets"] == ["ofac-sdn"] for r in results), dataset


def test_unknown_dataset_is_404(client: TestClient, auth: dict[str, str]) -> None:
    response = match(client, auth, YENTE_BODY, dataset="eu-fsf")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such dataset: 'eu-fsf'"
    assert "ofac-sdn" in response.json()["datasets"]


def test_algorithms(client: TestClient, auth: dict[str, str]) -> None:
    for algorithm in (*YENTE_ALGORITHMS, "tamga"):
        response = match(client, auth, YENTE_BODY, algorithm=algorithm)
        assert response.status_code == 200, algorithm
        assert response.json()["algorithm"] == {"name": "tamga", "requested": algorithm}
    response = match(client, auth, YENTE_BODY, algorithm="magic-v9")
    assert response.status_code == 400 and "magic-v9" in response.json()["detail"]
    listed = client.get("/algorithms", headers=auth).json()
    assert listed["default"] == listed["best"] == "tamga"
    assert set(listed["algorithms"][0]["aliases"]) == set(YENTE_ALGORITHMS)


def test_a_bad_query_gets_its_own_400(client: TestClient, auth: dict[str, str]) -> None:
    body = copy.deepcopy(YENTE_BODY)
    body["queries"].update(
        {
            "no_schema": {"properties": {"name": ["X"]}},
            "bad_schema": {"schema": "Spaceship", "properties": {"name": ["X"]}},
            "no_name": {"schema": "Person", "properties": {"birthDate": ["1961"]}},
            "bad_date": {"schema": "Person", "properties": {"name": ["X"], "birthDate": ["yesterday"]}},
            "bad_country": {"schema": "Person", "properties": {"name": ["X"], "country": ["Atlantis"]}},
            "nested": {"schema": "Person", "properties": {"name": [{"a": 1}]}},
            "not_object": "Erkin Tuniyaz",
        }
    )
    response = match(client, auth, body)
    assert response.status_code == 200
    responses = response.json()["responses"]
    assert responses["q1"]["status"] == 200 and responses["q1"]["results"][0]["id"] == "ofac-sdn:34119"
    expected = {
        "no_schema": "'schema' is missing",
        "bad_schema": "'Spaceship'",
        "no_name": "properties.name is missing",
        "bad_date": "'yesterday' is not a date",
        "bad_country": "'Atlantis' is not a country",
        "nested": "values must be strings",
        "not_object": "must be an object",
    }
    for key, words in expected.items():
        assert responses[key]["status"] == 400, key
        assert words in responses[key]["detail"], (key, responses[key]["detail"])
        assert responses[key]["results"] == [] and responses[key]["total"]["value"] == 0


def test_request_level_errors(client: TestClient, auth: dict[str, str]) -> None:
    empty = match(client, auth, {"queries": {}})
    assert empty.status_code == 400 and empty.json()["detail"] == "No queries provided."
    assert match(client, auth, YENTE_BODY, limit=0).status_code == 422
    assert match(client, auth, YENTE_BODY, threshold=1.5).status_code == 422


def test_read_example_expands_names_dates_and_countries() -> None:
    example = read_example(
        {
            "id": "x",
            "schema": "Company",
            "properties": {
                "name": "Acme",  # a single string, as yente also accepts
                "alias": ["Acme Trading", "Acme"],
                "jurisdiction": ["ru", "Kazakhstan"],
                "registrationNumber": ["1027700000000"],
                "taxNumber": ["7700000000"],
            },
        },
        max_variants=20,
    )
    assert example.echo["id"] == "x"
    unused = read_example(
        {
            "schema": "Person",
            "properties": {"name": ["A"], "addressEntity": [{"schema": "Address"}], "notes": "x"},
        },
        20,
    )
    assert unused.echo["properties"] == {
        "name": ["A"],
        "addressEntity": [{"schema": "Address"}],
        "notes": ["x"],
    }
    assert [(s.name, s.country) for s in example.screenings] == [
        ("Acme", "ru"),
        ("Acme", "kz"),
        ("Acme Trading", "ru"),
        ("Acme Trading", "kz"),
    ]
    assert {s.schema for s in example.screenings} == {"Organization"}
    assert set(example.screenings[0].identifiers) == {"1027700000000", "7700000000"}
    person = read_example(
        {"schema": "LegalEntity", "properties": {"name": ["A"], "birthDate": ["1961-12-01T00:00:00"]}}, 20
    )
    assert person.screenings[0].schema is None and person.screenings[0].birth_date == "1961-12-01"


def test_entity_properties_follow_followthemoney() -> None:
    entity = Entity(
        id="x:1",
        schema="Person",
        names=[Name("DOE, John"), Name("Johnny", kind="aka"), Name("Jon Dough", kind="weak")],
        identifiers=[Identifier("passport", "A123"), Identifier("tax_id", "99"), Identifier("other", "Z")],
        birth_dates=["1970"],
        countries=[Country("RU", "nationality"), Country("cy", "residence")],
        properties={"gender": ["male"]},
    )
    assert entity_properties(entity) == {
        "name": ["DOE, John"],
        "alias": ["Johnny"],
        "weakAlias": ["Jon Dough"],
        "birthDate": ["1970"],
        "nationality": ["ru"],
        "country": ["cy"],
        "passportNumber": ["A123"],
        "taxNumber": ["99"],
        "idNumber": ["Z"],
        "gender": ["male"],
    }


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_limit(client: TestClient, auth: dict[str, str], limit: int) -> None:
    answer = one(client, auth, "LegalEntity", {"name": ["Mohammad Ali"]}, limit=limit)
    assert len(answer["results"]) == limit < answer["total"]["value"]
