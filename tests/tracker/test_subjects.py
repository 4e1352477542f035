"""Grouping records into subjects: the evidence rules, and analysts' links and splits surviving
later automatic runs."""

from __future__ import annotations

from typer.testing import CliRunner

from tamga.cli import app
from tamga.model import Country, Designation, Entity, Identifier, Name
from tamga.store import Lifetime, Store
from tamga.store.subjects import LINK, UNLINK, Judgement
from tamga.tracker import Tracker
from tamga.tracker.subjects import cluster

runner = CliRunner()


def person(entity_id: str, name: str, **facts) -> Lifetime:  # type: ignore[no-untyped-def]
    return Lifetime(
        Entity(id=entity_id, schema="Person", names=[Name(full=name, kind="primary")], **facts), None, None, 1
    )


def subjects(lifetimes: list[Lifetime], judgements: list[Judgement] | None = None) -> dict[str, str]:
    return {k: m.subject_id for k, m in cluster(lifetimes, judgements or []).items()}


def test_a_shared_passport_joins_records_unless_the_countries_differ() -> None:
    passport = [Identifier("passport", "E12345678", country="cn")]
    records = [
        person("a:1", "Wang Lei", identifiers=passport),
        person("b:1", "Lei Wang-Smith", identifiers=passport),
        person("c:1", "Someone Else", identifiers=[Identifier("passport", "E12345678", country="ru")]),
    ]
    groups = subjects(records)
    assert groups["a:1"] == groups["b:1"]
    assert groups["c:1"] != groups["a:1"]


def test_names_join_only_with_agreeing_facts() -> None:
    glomag = [Designation("US-OFAC", "SDN", "GLOMAG")]
    records = [
        person("a:1", "Chen Quanguo", birth_dates=["1955"]),
        person("b:1", "CHEN, Quanguo", birth_dates=["1955-11"]),  # birth dates agree
        person("c:1", "Chen Quanguo", birth_dates=["1970"]),  # conflicts
        person("d:1", "Chen Quanguo"),  # nothing to go on
        person("e:1", "Chen Quanguo", designations=glomag),
        person(
            "f:1", "CHEN, Quanguo", designations=[Designation("US-OFAC", "SDN", "GLOBAL MAGNITSKY (GLOMAG)")]
        ),
        person("g:1", "Chen Quanguo", countries=[Country("cn", "nationality")], birth_dates=["1955"]),
        person("h:1", "Chen Quanguo", countries=[Country("tw", "nationality")], birth_dates=["1955"]),
    ]
    groups = subjects(records)
    assert groups["a:1"] == groups["b:1"]
    assert groups["c:1"] not in (groups["a:1"], groups["d:1"])
    assert groups["e:1"] == groups["f:1"]  # the same program printed two ways
    assert groups["g:1"] != groups["h:1"]  # countries conflict


def test_records_of_one_source_never_join() -> None:
    records = [
        person("a:1", "Zhu Hailun", birth_dates=["1958"]),
        person("a:2", "Zhu Hailun", birth_dates=["1958"]),
    ]
    groups = subjects(records)
    assert groups["a:1"] != groups["a:2"]


def test_judgements_override_the_evidence() -> None:
    from datetime import datetime

    records = [
        person("a:1", "Chen Quanguo", birth_dates=["1955"]),
        person("b:1", "CHEN, Quanguo", birth_dates=["1955"]),
        person("c:1", "Somebody Unrelated"),
    ]
    now = datetime(2026, 1, 1)
    split = [Judgement("a:1", "b:1", UNLINK, "ana", now)]
    joined = [Judgement("a:1", "c:1", LINK, "ana", now)]
    assert subjects(records, split)["a:1"] != subjects(records, split)["b:1"]
    groups = subjects(records, joined)
    assert groups["a:1"] == groups["c:1"] == groups["b:1"]


def test_link_and_unlink_survive_a_rerun(small_db_copy: str) -> None:
    store = Store(small_db_copy)
    before = Tracker.load(store)
    assert before.subject_of("ofac-sdn:34119") is before.subject_of("curated:erkin-tuniyaz")

    result = runner.invoke(
        app,
        [
            "unlink",
            "curated:erkin-tuniyaz",
            "ofac-sdn:34119",
            "--by",
            "ana",
            "--reason",
            "test",
            "--db",
            small_db_copy,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "two subjects" in result.stdout
    for recluster in (None, True):  # the stored grouping, and a fresh automatic run
        tracker = Tracker.load(store, recluster=recluster)
        assert tracker.subject_of("ofac-sdn:34119") is not tracker.subject_of("curated:erkin-tuniyaz")
    split = [e for e in tracker.members["ofac-sdn:34119"].evidence if e["kind"] == "split"]
    assert split and "ana" in split[0]["detail"]

    # a link joins records no rule would: Erkin Tuniyaz's OFAC entry and Shohrat Zakir's
    result = runner.invoke(
        app, ["link", "ofac-sdn:34119", "ofac-sdn:34079", "--by", "ben", "--db", small_db_copy]
    )
    assert result.exit_code == 0, result.output
    for recluster in (None, True):
        tracker = Tracker.load(store, recluster=recluster)
        assert tracker.subject_of("ofac-sdn:34119") is tracker.subject_of("ofac-sdn:34079")

    # the latest judgement about a pair is the one in force
    runner.invoke(
        app, ["link", "curated:erkin-tuniyaz", "ofac-sdn:34119", "--by", "ana", "--db", small_db_copy]
    )
    tracker = Tracker.load(store, recluster=True)
    assert tracker.subject_of("ofac-sdn:34119") is tracker.subject_of("curated:erkin-tuniyaz")
    assert [j.decided_by for j in store.judgements()].count("ana") == 1


def test_link_names_unknown_entities(small_db_copy: str) -> None:
    result = runner.invoke(app, ["link", "ofac-sdn:34119", "ofac-sdn:999999999", "--db", small_db_copy])
    assert result.exit_code == 2 and "ofac-sdn:999999999" in result.stderr


def test_subjects_summary(tracker_db: str) -> None:
    result = runner.invoke(app, ["subjects", "--json", "--db", tracker_db])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["records"] > 15000
    assert data["subjects"] < data["records"]
    assert data["evidence"]["name and designation"] >= 2 * 12  # the OFAC Xinjiang officials
