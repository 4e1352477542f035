"""Tests for the trade.gov Consolidated Screening List parsers (CSV in two layouts, and JSON)."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from tamga.model import Entity
from tamga.sources import csl
from tamga.sources.base import InputFile, ParseError, ParseResult

CURRENT = "consolidated_current.csv"
OLD = "csl_2019.csv"
JSON = "consolidated.json"


def parse_csv(path: Path) -> ParseResult:
    return csl.parse_csv({"main": InputFile.from_path(path)}, "us-csl", None)


def parse_json(path: Path) -> ParseResult:
    return csl.parse_json({"main": InputFile.from_path(path)}, "us-csl", None)


def by_id(result: ParseResult) -> dict[str, Entity]:
    return {e.id: e for e in result.entities}


@pytest.fixture(scope="module")
def folder(fixtures: Path) -> Path:
    return fixtures / "csl"


@pytest.fixture(scope="module")
def current(folder: Path) -> dict[str, Entity]:
    return by_id(parse_csv(folder / CURRENT))


@pytest.fixture(scope="module")
def old(folder: Path) -> dict[str, Entity]:
    return by_id(parse_csv(folder / OLD))


# --- full sample files ------------------------------------------------------------------------


def test_current_layout_sample_counts(lists: Path) -> None:
    result = parse_csv(lists / "csl" / "consolidated_watchman_sample.csv")
    assert result.source == "us-csl"
    assert result.published_at is None
    assert result.warnings == []
    assert len(result.entities) == 13
    assert Counter(e.schema for e in result.entities) == {"Organization": 9, "Person": 4}
    assert Counter(e.properties["csl_list"][0] for e in result.entities) == {
        "SSI": 3,
        "PLC": 2,
        "ISN": 1,
        "UVL": 1,
        "MEU": 1,
        "SDN": 1,
        "DTC": 1,
        "DPL": 1,
        "FSE": 1,
        "EL": 1,
    }
    # every row of the current layout has an _id: no hash ids
    assert not [e.id for e in result.entities if e.id.startswith("us-csl:h")]
    assert sum(len(e.names) for e in result.entities) == 28
    assert sum(len(e.designations) for e in result.entities) == 14


def test_old_layout_sample_counts(lists: Path) -> None:
    result = parse_csv(lists / "csl" / "csl_2019_watchman_sample.csv")
    assert result.warnings == []
    assert len(result.entities) == 115
    assert Counter(e.schema for e in result.entities) == {"Organization": 93, "Person": 20, "Vessel": 2}
    assert Counter((d.authority, d.list) for e in result.entities for d in e.designations) == {
        ("US-OFAC", "SDN"): 31,
        ("US-OFAC", "SSI"): 26,
        ("US-BIS", "Entity List"): 22,
        ("US-OFAC", "NS-PLC"): 13,
        ("US-State", "ITAR Debarred"): 10,
        ("US-BIS", "Denied Persons List"): 8,
        ("US-BIS", "Unverified List"): 4,
        ("US-State", "Nonproliferation Sanctions"): 3,
        ("US-OFAC", "CAPTA"): 1,
    }
    # BIS and State rows have no entity number: 47 hash ids, all distinct
    hashed = [e.id for e in result.entities if e.id.startswith("us-csl:h")]
    assert len(hashed) == 47
    assert len({e.id for e in result.entities}) == 115
    schemes = Counter(i.scheme for e in result.entities for i in e.identifiers)
    assert schemes["tax_id"] == 29 and schemes["registration"] == 48 and schemes["imo"] == 2


def test_parse_is_deterministic(folder: Path) -> None:
    for name in (CURRENT, OLD):
        first = [e.to_dict() for e in parse_csv(folder / name).entities]
        second = [e.to_dict() for e in parse_csv(folder / name).entities]
        assert first == second
    first = [e.content_hash() for e in parse_json(folder / JSON).entities]
    assert first == [e.content_hash() for e in parse_json(folder / JSON).entities]


def test_gzip_copy_parses_the_same(folder: Path, tmp_path: Path) -> None:
    packed = tmp_path / "consolidated.csv.gz"
    packed.write_bytes(gzip.compress((folder / CURRENT).read_bytes()))
    plain = [e.to_dict() for e in parse_csv(folder / CURRENT).entities]
    assert [e.to_dict() for e in parse_csv(packed).entities] == plain


# --- specific rows, current layout ------------------------------------------------------------


def test_sdn_individual(current: dict[str, Entity]) -> None:
    rim = current["us-csl:52291"]
    assert rim.schema == "Person"
    name = rim.names[0]
    assert (name.full, name.kind, name.family, name.given) == (
        "RIM, Ryong Nam",
        "primary",
        "RIM",
        "Ryong Nam",
    )
    assert rim.birth_dates == ["1978-12-05"]
    assert [(c.code, c.role) for c in rim.countries] == [
        ("kp", "nationality"),
        ("cn", "country"),
        ("kp", "country"),
    ]
    assert [(a.full, a.country) for a in rim.addresses] == [("Shenyang, CN", "cn"), ("Pyongyang, KP", "kp")]
    [passport] = rim.identifiers
    assert (passport.scheme, passport.value, passport.country, passport.note) == (
        "passport",
        "836238033",
        "kp",
        "Passport",
    )
    [designation] = rim.designations
    assert (designation.authority, designation.list, designation.program) == ("US-OFAC", "SDN", "NPWMD")
    assert designation.source_url == "https://sanctionslist.ofac.treas.gov/Home/SdnList"
    assert rim.properties["gender"] == ["male"]
    assert rim.properties["sanctions_info"][0] == (
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210"
    )
    assert rim.properties["csl_list"] == ["SDN"]


def test_entity_list_row(current: dict[str, Entity]) -> None:
    cetc = current["us-csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"]
    assert cetc.schema == "Organization"  # empty type
    assert cetc.caption == "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)"
    aliases = [n.full for n in cetc.names if n.kind == "aka"]
    assert aliases[-1] == "CETC Research Institute 13"  # BIS "...; and X" lost its "and"
    assert len(aliases) == 6
    # "A; and B; and C, City, Province, CN" is one address, not three
    [address] = cetc.addresses
    assert address.country == "cn" and address.full.startswith("113 Hezuo Road")
    [designation] = cetc.designations
    assert designation.authority == "US-BIS"
    assert designation.list == "Entity List"
    assert designation.program is None
    assert designation.listed_on == "2018-08-01"
    assert designation.legal_basis == "83 FR 37423; 87 FR 77505"
    assert designation.reason.startswith("License requirement: For all items subject to the EAR.")
    assert "License policy: Policy of denial" in designation.reason
    assert cetc.properties["license_policy"][0].startswith("Policy of denial")
    assert cetc.properties["csl_list"] == ["EL"]


@pytest.mark.parametrize(
    ("entity_id", "authority", "list_name", "program", "code"),
    [
        ("us-csl:66f6ab3f26234b75a9093fce79ef0ce0", "US-BIS", "Military End User List", None, "MEU"),
        (
            "us-csl:1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42",
            "US-BIS",
            "Unverified List",
            None,
            "UVL",
        ),
        (
            "us-csl:b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e",
            "US-BIS",
            "Denied Persons List",
            None,
            "DPL",
        ),
        (
            "us-csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b",
            "US-State",
            "Nonproliferation Sanctions",
            "INKSNA",
            "ISN",
        ),
        ("us-csl:34d6611355974b0ba70eba9a096971f8", "US-State", "ITAR Debarred", None, "DTC"),
        ("us-csl:9673", "US-OFAC", "NS-PLC", "NS-PLC", "PLC"),
        ("us-csl:26182", "US-OFAC", "FSE", "FSE-IR", "FSE"),
        ("us-csl:18300", "US-OFAC", "SSI", "UKRAINE-EO13662", "SSI"),
    ],
)
def test_designation_per_list(
    current: dict[str, Entity], entity_id: str, authority: str, list_name: str, program: str | None, code: str
) -> None:
    entity = current[entity_id]
    assert [(d.authority, d.list, d.program) for d in entity.designations] == [
        (authority, list_name, program)
    ]
    assert entity.properties["csl_list"] == [code]


def test_denied_person_dates_and_order(current: dict[str, Entity]) -> None:
    ash = current["us-csl:b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"]
    [designation] = ash.designations
    assert designation.listed_on == "2002-03-04"
    assert designation.removed_on == "2056-06-29"
    assert designation.reason == "Standard denial order"
    assert designation.legal_basis == "67 F.R. 56530 9/4/02 67 F.R. 10890 3/11/02 71 F.R. 38843 7/10/06"
    assert ash.remarks == "50 YEAR DENIAL"
    assert ash.addresses[0].country == "us"


def test_one_designation_per_program_and_ids(current: dict[str, Entity]) -> None:
    tnk = current["us-csl:28603"]
    assert [d.program for d in tnk.designations] == ["VENEZUELA-EO13850", "UKRAINE-EO13662"]
    assert {d.list for d in tnk.designations} == {"SSI"}
    assert [(i.scheme, i.value, i.raw, i.country) for i in tnk.identifiers] == [
        ("tax_id", "CHE267936404", "CHE-267.936.404", "ch"),
        ("registration", "CH66005590112", "CH-660.0.559.011-2", "ch"),
    ]
    sme = current["us-csl:18283"]
    swift = [i for i in sme.identifiers if i.scheme == "swift"]
    assert [(i.value, i.valid) for i in swift] == [("RUDVRUMM", True)]
    assert [i.value for i in sme.identifiers if i.scheme == "website"] == ["mspbank.ru"]
    assert len(sme.names) == 6


def test_plc_person_without_comma_keeps_no_parts(current: dict[str, Entity]) -> None:
    plc = current["us-csl:9673"]
    assert plc.schema == "Person"
    assert [n.full for n in plc.names] == [
        "Mohammed ABU JHEISHEH",
        "Mohammad Mutlaq ABU JHESHEH",
        "Mohammed ABU JEHEISHA",
    ]
    assert plc.names[0].family is None
    assert plc.birth_dates == ["1955"]
    assert plc.birth_places == ["Izna, Hebron"]


# --- specific rows, old layout ----------------------------------------------------------------


def test_old_layout_vessel(old: dict[str, Entity]) -> None:
    vessel = old["us-csl:23156"]
    assert vessel.schema == "Vessel"
    assert vessel.caption == "7-28"
    [imo] = vessel.identifiers
    assert (imo.scheme, imo.value, imo.raw, imo.valid) == ("imo", "8898831", "IMO 8898831", True)
    assert vessel.properties["flag"] == ["Democratic People's Republic of Korea"]
    assert [(r.kind, r.target_name) for r in vessel.relations] == [("linked_to", "YUSONG SHIPPING CO")]
    assert vessel.designations[0].program == "DPRK4"


def test_old_layout_ids_are_reversed(old: dict[str, Entity]) -> None:
    # "US, 80-0890696, Tax ID No." = country, number, type
    [tax] = old["us-csl:20264"].identifiers
    assert (tax.scheme, tax.value, tax.raw, tax.country, tax.note) == (
        "tax_id",
        "800890696",
        "80-0890696",
        "us",
        "Tax ID No.",
    )
    tanker = [e for e in old.values() if e.properties.get("vessel_type") == ["Crude Oil Tanker"]]
    assert len(tanker) == 1 and tanker[0].properties["former_flag"] == ["Panama"]


def test_old_layout_capta_and_person(old: dict[str, Entity]) -> None:
    bank = old["us-csl:15268"]
    assert [(d.authority, d.list, d.program) for d in bank.designations] == [
        ("US-OFAC", "CAPTA", "561-Related")
    ]
    assert [i.value for i in bank.identifiers if i.scheme == "swift"] == ["CKLBCNBJ"]
    assert len(bank.addresses) == 4
    minister = old["us-csl:15205"]
    assert minister.schema == "Person"
    assert minister.properties["title"] == ["Minister of Information"]
    assert (minister.names[0].family, minister.names[0].given) == ("AHED AL-ZOUBI", "Omran")
    assert minister.birth_places == ["Damascus, Syria"]
    two_years = old["us-csl:10727"]
    assert two_years.birth_dates == ["1974", "1975"]
    assert [n.full for n in two_years.names if n.kind == "aka"][:2] == ["HISHAN, Ghazy Fezzaa", "ABU FAYSAL"]


# --- ids --------------------------------------------------------------------------------------


def test_hash_id_fallback(old: dict[str, Entity]) -> None:
    payload = "\x1f".join(["dpl", "adrian manuel hernandez", "3037 s. 69th drive, phoneix, az, 85043"])
    expected = "us-csl:h" + hashlib.sha256(payload.encode()).hexdigest()[:20]
    assert expected == "us-csl:h5d8aa6b5b00318939afb"
    hernandez = old[expected]
    assert hernandez.caption == "ADRIAN MANUEL HERNANDEZ"
    assert hernandez.designations[0].removed_on == "2020-10-13"
    # an old-layout Treasury row uses its entity number
    assert old["us-csl:8124"].caption == "2904977 CANADA, INC."


def test_entity_number_when_id_empty_and_repeated_ids(folder: Path, tmp_path: Path) -> None:
    lines = (folder / CURRENT).read_text(encoding="utf-8").splitlines(keepends=True)
    rim = next(line for line in lines if line.startswith('"52291"'))
    blanked = '""' + rim[len('"52291"') :]
    path = tmp_path / "consolidated.csv"
    path.write_text(lines[0] + blanked + lines[1] + lines[1], encoding="utf-8")
    result = parse_csv(path)
    assert result.entities[0].id == "us-csl:52291"  # from entity_number
    second, third = result.entities[1:]
    assert second.id == "us-csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"
    assert third.id == second.id + "-2"
    assert result.warnings == [f"line 4: id {second.id} repeats; stored as {third.id}"]


def test_source_override(folder: Path) -> None:
    result = csl.parse_csv({"main": InputFile.from_path(folder / CURRENT)}, "us-csl-test", None)
    assert result.source == "us-csl-test"
    assert {e.source for e in result.entities} == {"us-csl-test"}


def test_progress_is_called(folder: Path) -> None:
    seen: list[int] = []
    csl.parse_csv({"main": InputFile.from_path(folder / OLD)}, "us-csl", seen.append)
    assert seen and seen[-1] == 115


def test_list_info_for_unknown_and_known_sources() -> None:
    assert csl.list_info("Military End User (MEU) List - Bureau of Industry and Security") == csl.ListInfo(
        "MEU", "Military End User List", "US-BIS"
    )
    assert csl.list_info(
        "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"
    ) == csl.ListInfo("CMIC", "NS-CMIC", "US-OFAC")
    assert (
        csl.list_info("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department").name
        == "NS-MBS"
    )
    unknown = csl.list_info("Some New List (SNL) - State Department")
    assert unknown == csl.ListInfo("SNL", "Some New List", "US-State")


# --- malformed CSV ----------------------------------------------------------------------------


def test_wrong_column_count_names_the_line(folder: Path, tmp_path: Path) -> None:
    lines = (folder / CURRENT).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace('"NS-PLC",', "", 1)  # line 5: one field fewer
    path = tmp_path / "broken.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.file == str(path)
    assert info.value.location == "line 5"
    assert "expected 29 columns, found 28" in info.value.message


def test_line_numbers_count_physical_lines(folder: Path, tmp_path: Path) -> None:
    text = (folder / OLD).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # a quoted cell spanning three lines on line 2, then a short row on (physical) line 6
    lines[1] = lines[1].replace("FR NOTICE ADDED", '"FR NOTICE\nADDED\nAGAIN"', 1)
    lines[3] = "too,few,columns\n"
    path = tmp_path / "broken.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.location == "line 6"


def test_bad_utf8_names_the_line(folder: Path, tmp_path: Path) -> None:
    data = bytearray((folder / CURRENT).read_bytes())
    lines = data.split(b"\n")
    lines[7] = lines[7].replace(b"I. ASH", b"I. \xffASH")  # line 8
    path = tmp_path / "latin.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.file == str(path)
    assert info.value.location == "line 8, column 135"
    assert "0xff" in info.value.message


def test_missing_name_is_an_error(folder: Path, tmp_path: Path) -> None:
    lines = (folder / OLD).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("183rd Guard Air Defense Missile Regiment", "", 1)
    path = tmp_path / "noname.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.location == "line 3"
    assert "'name'" in info.value.message


def test_bad_header_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.location == "line 1"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ParseError):
        parse_csv(empty)


def test_unterminated_quote_is_a_parse_error(folder: Path, tmp_path: Path) -> None:
    text = (folder / CURRENT).read_text(encoding="utf-8")
    path = tmp_path / "cut.csv"
    path.write_text(text[: text.index("Atlas Sanatgaran")], encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_csv(path)
    assert info.value.location == "line 3"


# --- JSON -------------------------------------------------------------------------------------


def test_json_fixture(folder: Path) -> None:
    result = parse_json(folder / JSON)
    assert len(result.entities) == 19
    assert result.published_at == "2025-06-25T08:30:00"
    assert result.warnings == []
    entities = by_id(result)
    rim = entities["us-csl:52291"]
    assert rim.identifiers[0].value == "836238033" and rim.identifiers[0].country == "kp"
    assert rim.properties["gender"] == ["male"]
    ash = entities["us-csl:b601cbf2841d0aaedfe63661581ffbc3d54b6ba39d7e3a9027cff50e"]
    address = ash.addresses[0]
    assert (address.street, address.city, address.region, address.postal_code, address.country) == (
        "605 TRAIL LAKE DRIVE",
        "RICHARDSON",
        "TX",
        "75081",
        "us",
    )
    assert entities["us-csl:20264"].identifiers[0].country == "us"
    assert "us-csl:h5d8aa6b5b00318939afb" in entities  # no id in the JSON: same hash as the CSV row


def _comparable(entity: Entity) -> dict:
    data = entity.to_dict()
    data["addresses"] = [(a.full, a.country) for a in entity.addresses]
    return data


def test_json_and_csv_give_the_same_entities(folder: Path) -> None:
    """The JSON was built from the CSV rows: apart from address parts, the entities must agree."""
    from_json = by_id(parse_json(folder / JSON))
    current = by_id(parse_csv(folder / CURRENT))
    old = by_id(parse_csv(folder / OLD))
    assert set(current) <= set(from_json)
    for entity_id, entity in current.items():
        assert _comparable(from_json[entity_id]) == _comparable(entity), entity_id
    others = [i for i in from_json if i not in current]
    assert len(others) == 6
    for entity_id in others:
        assert _comparable(from_json[entity_id]) == _comparable(old[entity_id]), entity_id


def test_json_bare_array_and_nulls(tmp_path: Path) -> None:
    records = [
        {
            "id": "abc",
            "source": "Entity List (EL) - Bureau of Industry and Security",
            "name": "Example Co.",
            "alt_names": None,
            "programs": None,
            "addresses": [
                {"address": "1 Road", "city": "Wuhan", "state": None, "postal_code": "", "country": "CN"}
            ],
            "ids": [{"type": "Passport", "number": "X1", "country": "CN", "issue_date": "2010-01-02"}],
            "dates_of_birth": "1960",
            "type": "Individual",
        }
    ]
    path = tmp_path / "results.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = parse_json(path)
    [entity] = result.entities
    assert entity.id == "us-csl:abc"
    assert entity.schema == "Person"
    assert entity.birth_dates == ["1960"]
    assert entity.addresses[0].full == "1 Road, Wuhan, CN"
    assert entity.identifiers[0].note == "Passport; issued 2010-01-02"
    assert result.published_at is None


def test_json_cut_file_names_the_line(folder: Path, tmp_path: Path) -> None:
    text = (folder / JSON).read_text(encoding="utf-8")
    cut = text[: text.index('"Atlas Sanatgaran"') + 10]
    path = tmp_path / "cut.json"
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_json(path)
    assert info.value.file == str(path)
    line = cut.count("\n") + 1
    assert info.value.location == f"line {line}"


def test_json_missing_name_names_the_record(folder: Path, tmp_path: Path) -> None:
    doc = json.loads((folder / JSON).read_text(encoding="utf-8"))
    doc["results"][3]["name"] = None
    path = tmp_path / "noname.json"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_json(path)
    assert info.value.location.endswith("results[3]")
    assert info.value.location.startswith("line ")
    assert "'name'" in info.value.message


def test_json_bad_utf8_and_no_results(folder: Path, tmp_path: Path) -> None:
    data = (folder / JSON).read_bytes().replace(b"Atlas Sanatgaran", b"Atlas \xffSanatgaran")
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(ParseError) as info:
        parse_json(path)
    line = data[: data.index(b"\xff")].count(b"\n") + 1
    assert info.value.location.startswith(f"line {line},")
    other = tmp_path / "other.json"
    other.write_text('{"total": 0, "items": []}', encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse_json(other)
    assert "results" in info.value.message


# --- sniffing ---------------------------------------------------------------------------------


def test_sniff_accepts_csl_files(lists: Path, folder: Path, tmp_path: Path) -> None:
    for path in (
        lists / "csl" / "consolidated_watchman_sample.csv",
        lists / "csl" / "csl_2019_watchman_sample.csv",
        folder / CURRENT,
    ):
        kind = csl.sniff_csv(InputFile.from_path(path))
        assert kind is not None and (kind.format, kind.source, kind.role) == ("csl-csv", "us-csl", "main")
        assert csl.sniff_json(InputFile.from_path(path)) is None
    kind = csl.sniff_json(InputFile.from_path(folder / JSON))
    assert kind is not None and (kind.format, kind.source) == ("csl-json", "us-csl")
    assert csl.sniff_csv(InputFile.from_path(folder / JSON)) is None
    packed = tmp_path / "consolidated.json.gz"
    packed.write_bytes(gzip.compress((folder / JSON).read_bytes()))
    assert csl.sniff_json(InputFile.from_path(packed)) is not None
    minified = tmp_path / "min.json"
    minified.write_text(json.dumps(json.loads((folder / JSON).read_text(encoding="utf-8"))), encoding="utf-8")
    assert csl.sniff_json(InputFile.from_path(minified)) is not None


@pytest.mark.parametrize(
    "relative",
    [
        "ofac_sdn/sdn.csv",
        "ofac_sdn/alt.csv",
        "ofac_non_sdn/cons_prim.csv",
        "ofac_non_sdn/consolidated.xml",
        "un_sc/consolidated.xml",
        "ftm/zala.ftm.json",
        "ftm/parteispenden.ftm.json",
        "us_bis/restricted_parties_casslab.json",
        "us_bis/bis_dpl.txt",
        "us_bis/os_bis_mieu_mieu.csv",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "eu_fsf/eu_oj_opensanctions/consolidated/32020R1998.csv",
        "uk_ofsi/ConList_2020_sample.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
        "us_other/os_dod_chinese_milcorps_sanctions.csv",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, relative: str) -> None:
    file = InputFile.from_path(lists / relative)
    assert csl.sniff_csv(file) is None
    assert csl.sniff_json(file) is None


def test_sniff_never_raises(tmp_path: Path) -> None:
    samples = {
        "empty.csv": b"",
        "binary.csv": bytes(range(256)) * 10,
        "bad.json": b"{\xff\xfe",
        "truncated.csv.gz": gzip.compress(b"_id,source,entity_number")[:-8],
    }
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert csl.sniff_csv(InputFile.from_path(path)) is None
        assert csl.sniff_json(InputFile.from_path(path)) is None


def test_formats_are_declared() -> None:
    names = {f.name: f for f in csl.FORMATS}
    assert set(names) == {"csl-csv", "csl-json"}
    for fmt in names.values():
        assert fmt.roles == ("main",) and fmt.required_roles == ("main",)
        assert fmt.description
