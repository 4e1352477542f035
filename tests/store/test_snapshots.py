"""The store keeps every state of a source, skips identical files, and diffs any two snapshots."""

from __future__ import annotations

import pytest

from tamga.model import Address, Country, Designation, Entity, Identifier, Name, Relation
from tamga.sources.base import InputFile
from tamga.store import SnapshotWrite, Store, StoreError


def _person(num: int, family: str, given: str, **extra: object) -> Entity:
    return Entity(
        id=f"test-src:{num}",
        schema="Person",
        names=[Name(full=f"{family}, {given}", family=family, given=given)],
        **extra,  # type: ignore[arg-type]
    )


def _write(store: Store, content: bytes, entities: list[Entity], published: str | None = None):
    files = {"main": InputFile.from_bytes("list.csv", content)}
    write = SnapshotWrite("test-src", "test-format", files, entities, published, [])
    return store.write([write])[0]


def _rich_entity() -> Entity:
    return Entity(
        id="test-src:34119",
        schema="Person",
        names=[
            Name(full="TUNIYAZ, Erken", family="TUNIYAZ", given="Erken"),
            Name(full="TUNIYAZ, Erkin", kind="aka", family="TUNIYAZ", given="Erkin"),
            Name(full="艾尔肯·吐尼亚孜", kind="aka"),
        ],
        identifiers=[Identifier(scheme="passport", value="E1234567", country="cn", raw="E 1234567")],
        birth_dates=["1961-12"],
        birth_places=["Aksu, Xinjiang, China"],
        countries=[Country(code="cn", role="nationality")],
        addresses=[Address(full="Urumqi, China", city="Urumqi", country="cn")],
        designations=[Designation(authority="US-OFAC", list="SDN", program="GLOMAG", listed_on="2021-12-10")],
        relations=[Relation(kind="linked_to", target_name="XINJIANG PUBLIC SECURITY BUREAU")],
        remarks="DOB Dec 1961; POB Aksu, Xinjiang, China",
        properties={"gender": ["male"]},
    )


def test_entity_round_trips_through_the_store(store: Store) -> None:
    original = _rich_entity()
    outcome = _write(store, b"v1", [original], published="2021-12-10")
    assert outcome.snapshot is not None and outcome.snapshot.seq == 1
    back = store.entity("test-src:34119")
    assert back is not None
    assert back.to_dict() == original.to_dict()
    assert back.content_hash() == original.content_hash()
    assert back.names[2].script == "Han"


def test_identical_file_set_makes_no_new_snapshot(store: Store) -> None:
    first = _write(store, b"v1", [_person(1, "ZAKIR", "Shohrat")])
    again = _write(store, b"v1", [_person(1, "ZAKIR", "Shohrat")])
    assert not first.unchanged
    assert again.unchanged
    assert [s.seq for s in store.snapshots("test-src")] == [1]


def test_every_past_state_can_be_read_back_and_diffed(store: Store) -> None:
    _write(
        store,
        b"v1",
        [_person(1, "ZAKIR", "Shohrat"), _person(2, "CHEN", "Quanguo"), _person(3, "HU", "Lianhe")],
    )
    changed = _person(2, "CHEN", "Quanguo", birth_dates=["1955"])
    outcome = _write(store, b"v2", [_person(1, "ZAKIR", "Shohrat"), changed, _person(4, "TUNIYAZ", "Erken")])
    assert (outcome.added, outcome.changed, outcome.removed) == (1, 1, 1)

    assert {e.id for e in store.entities("test-src", seq=1)} == {"test-src:1", "test-src:2", "test-src:3"}
    assert {e.id for e in store.entities("test-src")} == {"test-src:1", "test-src:2", "test-src:4"}
    assert store.entity("test-src:2", seq=1).birth_dates == []  # type: ignore[union-attr]
    assert store.entity("test-src:2").birth_dates == ["1955"]  # type: ignore[union-attr]
    assert store.entity("test-src:3") is None
    assert store.entity("test-src:3", seq=1) is not None

    diff = store.diff("test-src")
    assert [c.id for c in diff.added] == ["test-src:4"]
    assert [c.id for c in diff.removed] == ["test-src:3"]
    assert [c.id for c in diff.changed] == ["test-src:2"]
    assert [f.field for f in diff.changed[0].fields] == ["birth_dates"]
    assert diff.changed[0].fields[0].added == ["1955"]
    data = diff.to_dict()
    assert data["changed"][0]["fields"] == ["birth_dates"]
    assert data["from"]["snapshot"] == 1 and data["to"]["snapshot"] == 2

    # Going back to the first file is a new state again, and diffs the other way round.
    _write(
        store,
        b"v1",
        [_person(1, "ZAKIR", "Shohrat"), _person(2, "CHEN", "Quanguo"), _person(3, "HU", "Lianhe")],
    )
    back = store.diff("test-src", 2, 3)
    assert [c.id for c in back.added] == ["test-src:3"]
    assert [c.id for c in back.removed] == ["test-src:4"]
    whole = store.diff("test-src", 0, 1)
    assert len(whole.added) == 3 and whole.from_snapshot is None
    assert store.entity_history("test-src:2") == [(1, 2), (2, 3), (3, None)]


def test_unknown_snapshot_numbers_are_reported(store: Store) -> None:
    _write(store, b"v1", [_person(1, "ZAKIR", "Shohrat")])
    with pytest.raises(StoreError, match="no snapshot 7"):
        store.diff("test-src", 1, 7)
    with pytest.raises(StoreError, match="no snapshots"):
        store.diff("other")


def test_stored_files_are_returned_byte_for_byte(store: Store) -> None:
    payload = "ÄÖÜ 海康威视\n".encode() * 1000
    _write(store, payload, [_person(1, "ZAKIR", "Shohrat")])
    files = store.files("test-src")
    assert files["main"].name == "list.csv"
    assert files["main"].read_bytes() == payload


def test_a_failing_write_leaves_nothing_behind(store: Store) -> None:
    _write(store, b"v1", [_person(1, "ZAKIR", "Shohrat")])
    good = SnapshotWrite(
        "test-src", "f", {"main": InputFile.from_bytes("a", b"v2")}, [_person(5, "A", "B")], None, []
    )
    bad = SnapshotWrite(
        "other-src", "f", {"main": InputFile.from_bytes("b", b"x")}, [_person(6, "C", "D")], None, []
    )
    with pytest.raises(RuntimeError, match="disk full"):
        store.write([good, _Exploding(bad)])  # the first source is written, then the second one breaks
    assert [s.seq for s in store.snapshots("test-src")] == [1]
    assert store.snapshots("other-src") == []
    assert {e.id for e in store.entities("test-src")} == {"test-src:1"}


class _Exploding(SnapshotWrite):
    """A write whose entity list breaks halfway through being read, as a crash mid-ingest would."""

    def __init__(self, inner: SnapshotWrite) -> None:
        super().__init__(inner.source, inner.format, inner.files, inner.entities, None, [])

    def __getattribute__(self, name: str):  # type: ignore[no-untyped-def]
        if name == "entities":
            raise RuntimeError("disk full")
        return super().__getattribute__(name)


def test_sources_summarise_latest_snapshot(store: Store) -> None:
    assert store.sources() == []
    _write(
        store, b"v1", [_person(1, "ZAKIR", "Shohrat"), _person(2, "CHEN", "Quanguo")], published="2024-05-03"
    )
    (summary,) = store.sources()
    assert summary.source == "test-src"
    assert summary.entities == 2
    assert summary.latest.published_at == "2024-05-03"
    assert summary.latest.counts["schemata"] == {"Person": 2}


def test_snapshot_heads_are_the_latest_of_each_source(store: Store) -> None:
    assert store.snapshot_heads() == []
    _write(store, b"one", [_person(1, "ONE", "A")], "2026-01-01")
    _write(store, b"two", [_person(1, "ONE", "A"), _person(2, "TWO", "B")], "2026-02-01")
    (head,) = store.snapshot_heads()
    assert (head.source, head.seq, head.published_at) == ("test-src", 2, "2026-02-01")
    assert head.to_dict()["snapshot"] == 2
