"""The curated table of actions: recognised by its header, one entity per target, flags kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tamga.ingest import ingest
from tamga.sources import detect
from tamga.sources.base import InputFile, ParseError
from tamga.sources.curated import UNVERIFIED, authority_and_list, parse, slug
from tamga.store import Store

BUNDLED = Path(__file__).resolve().parents[2] / "src" / "tamga" / "data" / "curated" / "xinjiang_actions.csv"


@pytest.fixture(scope="module")
def entities() -> dict[str, object]:
    return {e.id: e for e in parse({"main": InputFile.from_path(BUNDLED)}, "curated").entities}


def test_the_header_is_recognised_and_other_lists_are_not(lists: Path) -> None:
    kind = detect(InputFile.from_path(BUNDLED))
    assert kind is not None and (kind.format, kind.source) == ("curated-actions", "curated")
    for other in ("ofac_sdn/sdn.csv", "csl/consolidated_watchman_sample.csv", "un_sc/consolidated.xml"):
        found = detect(InputFile.from_path(lists / other))
        assert found is None or found.format != "curated-actions"


def test_one_entity_per_target_with_every_action(entities: dict) -> None:
    assert len(entities) == 165
    zhu = entities["curated:zhu-hailun"]
    assert zhu.schema == "Person"
    assert {"Zhu Hailun", "朱海仑"} <= {n.full for n in zhu.names}
    first = {(d.authority, d.listed_on) for d in zhu.designations}
    assert {
        ("US-OFAC", "2020-07-09"),
        ("EU", "2021-03-22"),
        ("UK", "2021-03-22"),
        ("CA", "2021-03-22"),
    } <= first
    hikvision = entities["curated:hangzhou-hikvision-digital-technology-co-ltd"]
    assert hikvision.schema == "Organization"
    assert {"Hikvision", "海康威视"} <= {n.full for n in hikvision.names}
    assert any(d.authority == "US-BIS" and d.list == "Entity List" for d in hikvision.designations)


def test_unverified_rows_are_loaded_and_flagged(entities: dict) -> None:
    flagged = [e for e in entities.values() if "unverified" in e.properties]
    assert len(flagged) == 14
    for entity in flagged:
        assert any((d.reason or "").startswith(UNVERIFIED) for d in entity.designations)
        assert any(d.verified is False for d in entity.designations)
    verified = entities["curated:zhu-hailun"]
    assert not any((d.reason or "").startswith(UNVERIFIED) for d in verified.designations)
    assert all(d.verified is True for d in verified.designations)


def test_authorities_and_slugs() -> None:
    assert authority_and_list("US-BIS Entity List") == ("US-BIS", "Entity List")
    assert authority_and_list("US-DHS/CBP Withhold Release Order") == ("US-DHS", "CBP Withhold Release Order")
    assert authority_and_list("Canada SEMA (Global Affairs Canada)")[0] == "CA"
    assert (
        slug("Hangzhou Hikvision Digital Technology Co., Ltd.")
        == "hangzhou-hikvision-digital-technology-co-ltd"
    )


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda lines: [*lines[:3], lines[3] + ",extra", *lines[4:]], "line 4", "13 fields"),
        (lambda lines: [*lines[:2], "not-a-date" + lines[2][10:], *lines[3:]], "line 3", "is not a date"),
        (lambda lines: [lines[0][:-8], *lines[1:]], "line 1", "expected the header"),
    ],
)
def test_bad_rows_name_the_line(tmp_path: Path, change, where: str, message: str) -> None:  # type: ignore[no-untyped-def]
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()[:10]
    path = tmp_path / "actions.csv"
    path.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    with pytest.raises(ParseError) as error:
        parse({"main": InputFile.from_path(path)}, "curated")
    assert where in str(error.value) and message in str(error.value)


def test_bad_utf8_names_the_line(tmp_path: Path) -> None:
    data = BUNDLED.read_bytes().split(b"\n")
    data[5] = data[5] + b"\xff"
    path = tmp_path / "actions.csv"
    path.write_bytes(b"\n".join(data))
    with pytest.raises(ParseError, match="line 6"):
        parse({"main": InputFile.from_path(path)}, "curated")


def test_tamga_ingest_loads_it_as_the_curated_source(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    ingest(store, [BUNDLED])
    assert [s.source for s in store.sources()] == ["curated"]
    erkin = store.entity("curated:erkin-tuniyaz")
    assert erkin is not None and any(d.authority == "US-OFAC" for d in erkin.designations)
