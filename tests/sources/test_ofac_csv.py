"""OFAC CSV set parser: real extracts, the full files, malformed input, detection."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from tamga.model import Country, Entity
from tamga.sources import ofac_csv
from tamga.sources.base import FileKind, InputFile, ParseError, ParseResult
from tamga.sources.ofac_csv import parse, sniff, split_person_name

SDN_FILES = {"primary": "sdn.csv", "alt": "alt.csv", "add": "add.csv", "comments": "sdn_comments.csv"}
CONS_FILES = {
    "primary": "cons_prim.csv",
    "alt": "cons_alt.csv",
    "add": "cons_add.csv",
    "comments": "cons_comments.csv",
}
SDN_EXTRACT_IDS = [
    36, 306, 906, 4238, 4243, 4642, 7731, 7782, 8244, 9338, 9762, 10851, 11313, 12057, 15431, 15904,
    17013, 17018, 18367, 22985, 26367, 26503, 28263, 29159, 29162, 29219, 29220, 29299, 31212, 31493,
    33675, 34079, 34119, 45930, 46884,
]  # fmt: skip


def _files(folder: Path, names: dict[str, str]) -> dict[str, InputFile]:
    return {role: InputFile.from_path(folder / name) for role, name in names.items()}


def _by_id(result: ParseResult) -> dict[str, Entity]:
    return {e.id: e for e in result.entities}


@pytest.fixture(scope="module")
def sdn_extract(fixtures: Path) -> ParseResult:
    return parse(_files(fixtures / "ofac_csv", SDN_FILES), "ofac-sdn", None)


@pytest.fixture(scope="module")
def cons_extract(fixtures: Path) -> ParseResult:
    return parse(_files(fixtures / "ofac_csv", CONS_FILES), "ofac-cons", None)


@pytest.fixture(scope="module")
def sdn_full(lists: Path) -> ParseResult:
    return parse(_files(lists / "ofac_sdn", SDN_FILES), "ofac-sdn", None)


# --------------------------------------------------------------------------------------------
# Real extracts
# --------------------------------------------------------------------------------------------


def test_extract_counts_and_order(sdn_extract: ParseResult) -> None:
    ids = [e.id for e in sdn_extract.entities]
    assert ids == [f"ofac-sdn:{n}" for n in SDN_EXTRACT_IDS]
    assert Counter(e.schema for e in sdn_extract.entities) == {
        "Person": 15,
        "Organization": 16,
        "Vessel": 3,
        "Aircraft": 1,
    }
    assert sdn_extract.published_at is None
    assert sdn_extract.source == "ofac-sdn"


def test_extract_warnings(sdn_extract: ParseResult) -> None:
    assert sdn_extract.warnings == [
        "sdn_comments.csv: skipped 1 rows for 1 ent_nums that are not in sdn.csv "
        "(files from different dates?)",
        "sdn_comments.csv: ignored 1 rows whose entry's Remarks are shorter than 1,000 characters, so they "
        "cannot continue them (files from different dates?)",
        "alt.csv: skipped 8 rows for 2 ent_nums that are not in sdn.csv (files from different dates?)",
        "add.csv: skipped 8 rows for 3 ent_nums that are not in sdn.csv (files from different dates?)",
    ]


def test_person_with_aliases(sdn_extract: ParseResult) -> None:
    e = _by_id(sdn_extract)["ofac-sdn:34119"]
    assert e.schema == "Person"
    assert [(n.full, n.kind, n.family, n.given) for n in e.names] == [
        ("TUNIYAZ, Erken", "primary", "TUNIYAZ", "Erken"),
        ("TUNIYAZ, Erkin", "aka", "TUNIYAZ", "Erkin"),
        ("TUNIYAZI, Arkin", "aka", "TUNIYAZI", "Arkin"),
        ("TUNIYAZI, Aierken", "aka", "TUNIYAZI", "Aierken"),
        ("TUNIAZ, Alken", "aka", "TUNIAZ", "Alken"),
    ]
    assert all(n.script == "Latin" for n in e.names)
    assert e.birth_dates == ["1961-12"]
    assert e.birth_places == ["Aksu, Xinjiang, China"]
    assert e.countries == [Country("cn", "nationality")]
    assert e.properties == {"gender": ["male"]}
    assert [(d.authority, d.list, d.program, d.listed_on) for d in e.designations] == [
        ("US-OFAC", "SDN", "GLOMAG", None)
    ]
    assert [(r.kind, r.target_name, r.target_id) for r in e.relations] == [
        ("linked_to", "XINJIANG PUBLIC SECURITY BUREAU", "ofac-sdn:29159")
    ]
    assert [(a.city, a.country, a.full) for a in e.addresses] == [("Xinjiang", "cn", "Xinjiang, China")]
    assert e.remarks == (
        "DOB Dec 1961; POB Aksu, Xinjiang, China; nationality China; Gender Male; "
        "Linked To: XINJIANG PUBLIC SECURITY BUREAU."
    )


def test_name_suffixes_and_alias_kinds(sdn_extract: ParseResult) -> None:
    entities = _by_id(sdn_extract)
    primary = entities["ofac-sdn:10851"].names[0]
    assert (primary.full, primary.family, primary.given) == (
        "DELOS REYES, Feliciano Semborio, Jr.",
        "DELOS REYES",
        "Feliciano Semborio",
    )
    weak = entities["ofac-sdn:10851"].names[-1]
    assert (weak.full, weak.kind, weak.family, weak.given) == ("ABDILLAH, Abdul", "weak", "ABDILLAH", "Abdul")
    aero = entities["ofac-sdn:8244"]
    assert [n.kind for n in aero.names] == ["primary", "aka", "aka", "nka", "nka", "aka", "aka", "nka"]
    assert aero.names[3].full == "NUEVO CONTINENTE S.A."
    assert aero.names[3].family is None  # organisations keep the full name only
    bank = entities["ofac-sdn:306"]
    assert [(n.full, n.kind) for n in bank.names] == [
        ("BANCO NACIONAL DE CUBA", "primary"),
        ("NATIONAL BANK OF CUBA", "aka"),
        ("BNC", "weak"),
    ]
    assert split_person_name("KNOWLES, JR., Samuel") == ("KNOWLES", "Samuel")
    assert split_person_name("HIZBALLAH") == (None, None)


def test_vessel(sdn_extract: ParseResult) -> None:
    entities = _by_id(sdn_extract)
    tug = entities["ofac-sdn:4238"]
    assert tug.schema == "Vessel"
    assert tug.properties == {
        "call_sign": ["CL2192"],
        "vessel_type": ["Tug"],
        "gross_registered_tonnage": ["212"],
        "flag": ["cu"],
        "owner": ["Samir de Navegacion S.A."],
    }
    assert [(r.kind, r.target_name, r.target_id) for r in tug.relations] == [
        ("owned_by", "Samir de Navegacion S.A.", None)
    ]
    ebano = entities["ofac-sdn:4243"]
    assert ebano.properties["tonnage"] == ["2595"]
    assert [(i.scheme, i.value, i.valid) for i in ebano.identifiers] == [("imo", "7406784", True)]
    assert [(n.full, n.kind) for n in ebano.names[1:]] == [("ANA I", "fka"), ("SAND SWAN", "fka")]
    dino = entities["ofac-sdn:15904"]
    assert dino.properties["former_flag"] == ["tz"]
    assert [r.kind for r in dino.relations] == ["owned_by", "linked_to"]


def test_aircraft(sdn_extract: ParseResult) -> None:
    e = _by_id(sdn_extract)["ofac-sdn:15431"]
    assert e.schema == "Aircraft"
    assert [(i.scheme, i.value) for i in e.identifiers] == [
        ("other", "8401"),
        ("aircraft_serial", "1023409321"),
    ]
    assert e.properties == {"build_date": ["1992"], "aircraft_model": ["IL76-TD"], "operator": ["YAS AIR"]}


def test_titles(sdn_extract: ParseResult) -> None:
    e = _by_id(sdn_extract)["ofac-sdn:9762"]
    assert e.properties["title"] == [
        "Head of the Belarusian State Television and Radio Company (BSTRC)",
        "Member of the Upper House of Parliament",
    ]


def test_comments_continue_remarks_mid_word(sdn_extract: ParseResult, fixtures: Path) -> None:
    e = _by_id(sdn_extract)["ofac-sdn:28263"]
    # Remarks are cut after "a.k.a. 'snowsjo"; the comments file continues with "hn'; Linked To: …".
    assert "a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP." in (e.remarks or "")
    assert e.remarks is not None and len(e.remarks) == 1000 + len("hn'; Linked To: LAZARUS GROUP.")
    assert [n.full for n in e.names if n.kind == "weak"] == ["tianyinyin0404", "snowsjohn"]
    assert [r.target_name for r in e.relations] == ["LAZARUS GROUP"]
    sber = _by_id(sdn_extract)["ofac-sdn:17018"]
    assert (sber.remarks or "").endswith("a.k.a. 'SBERBANK INDIA'; a.k.a. 'SBERBANK MUMBAI'.")
    assert [n.full for n in sber.names if n.kind == "weak"] == ["SBERBANK INDIA", "SBERBANK MUMBAI"]
    # A directive listing date is not the date of the SDN designation.
    assert {d.listed_on for d in sber.designations} == {None}
    assert sber.properties["directive_listing_date"] == [
        "2022-02-24 (EO 14024 Directive 2)",
        "2022-02-24 (EO 14024 Directive 3)",
    ]
    # The comments row for 22985 belongs to a newer version of the remarks: ignored.
    cheil = _by_id(sdn_extract)["ofac-sdn:22985"]
    assert cheil.remarks is not None and cheil.remarks.endswith("f.k.a. 'KYONGYONG CREDIT BANK'.")
    assert not any(i.scheme == "crypto_wallet" for i in cheil.identifiers)


def test_relation_targets_resolved_by_unique_name(sdn_extract: ParseResult) -> None:
    entities = _by_id(sdn_extract)
    assert [(r.target_name, r.target_id) for r in entities["ofac-sdn:26503"].relations] == [
        ("PETROLEOS DE VENEZUELA, S.A.", "ofac-sdn:26367")
    ]
    assert [(r.target_name, r.target_id) for r in entities["ofac-sdn:29299"].relations] == [
        ("CHEN, Quanguo", "ofac-sdn:29220")
    ]
    # a target not in the file keeps only its name
    assert [(r.target_name, r.target_id) for r in entities["ofac-sdn:31212"].relations] == [
        ("FEDERAL SECURITY SERVICE", None)
    ]


def test_identifiers_from_remarks(sdn_extract: ParseResult) -> None:
    vtb = _by_id(sdn_extract)["ofac-sdn:17013"]
    schemes = {(i.scheme, i.value) for i in vtb.identifiers}
    assert {
        ("swift", "VTBRRUMM"),
        ("inn", "7702070139"),
        ("ogrn", "1027739609391"),
        ("okpo", "00032520"),
    } <= schemes
    lei = next(i for i in vtb.identifiers if i.scheme == "lei")
    assert (lei.value, lei.country, lei.valid) == ("253400V1H6ART1UQ0N98", "ru", True)
    pingtan = _by_id(sdn_extract)["ofac-sdn:33675"]
    assert [(i.scheme, i.value, i.raw) for i in pingtan.identifiers] == [
        ("ticker", "PMEUS", "PME US"),
        ("isin", "KYG7114V1023", "KYG7114V1023"),
    ]


def test_cons_extract(cons_extract: ParseResult) -> None:
    entities = _by_id(cons_extract)
    assert len(cons_extract.entities) == 18
    assert cons_extract.warnings == []
    hik = entities["ofac-cons:30946"]
    assert [n.full for n in hik.names] == [
        "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.",
        "HIKVISION",
        "HANGZHOU HIKVISION DIGITAL TECHNOLOGY",
    ]
    assert [(d.authority, d.list, d.program, d.listed_on) for d in hik.designations] == [
        ("US-OFAC", "NS-CMIC", "CMIC-EO13959", "2021-06-03")
    ]
    ids = {i.scheme: i for i in hik.identifiers}
    assert (ids["isin"].value, ids["isin"].valid) == ("CNE100000PM8", True)
    assert (ids["ticker"].raw, ids["ticker"].value) == ("002415 CN", "002415CN")
    assert (ids["uscc"].value, ids["uscc"].country) == ("91330000733796106P", "cn")
    assert [(a.street, a.city, a.country) for a in hik.addresses] == [
        ("555, Qianmo Road, Binjiang District", "Hangzhou 310051", "cn")
    ]
    # the non-SDN list of a directive entity dates from its directive listing
    nwf = entities["ofac-cons:31693"]
    assert [(d.list, d.program, d.listed_on) for d in nwf.designations] == [
        ("NS-MBS", "RUSSIA-EO14024", "2022-02-22")
    ]
    assert Counter(d.list for e in cons_extract.entities for d in e.designations) == {
        "SSI": 6,
        "NS-CMIC": 5,
        "NS-PLC": 3,
        "NS-MBS": 6,
        "CAPTA": 1,
    }
    # a directive listing date dates only the designation under that order
    vtb = entities["ofac-cons:17014"]
    assert [(d.list, d.program, d.listed_on) for d in vtb.designations] == [
        ("SSI", "UKRAINE-EO13662", None),
        ("NS-MBS", "RUSSIA-EO14024", "2022-02-24"),
    ]


def test_primary_only_and_determinism(fixtures: Path) -> None:
    folder = fixtures / "ofac_csv"
    only = parse({"primary": InputFile.from_path(folder / "sdn.csv")}, "ofac-sdn", None)
    e = _by_id(only)["ofac-sdn:34119"]
    assert [n.full for n in e.names] == ["TUNIYAZ, Erken"]
    assert e.addresses == [] and only.warnings == []
    first = parse(_files(folder, SDN_FILES), "ofac-sdn", None)
    second = parse(_files(folder, SDN_FILES), "ofac-sdn", None)
    assert [e.to_dict() for e in first.entities] == [e.to_dict() for e in second.entities]
    assert [e.content_hash() for e in first.entities] == [e.content_hash() for e in second.entities]


def test_source_override_and_progress(fixtures: Path) -> None:
    seen: list[int] = []
    result = parse(_files(fixtures / "ofac_csv", SDN_FILES), "my-ofac", seen.append)
    assert result.entities[0].id == "my-ofac:36"
    assert seen[-1] == 35
    assert "SDN" not in {d.list for e in result.entities for d in e.designations}


def test_gzip_input(fixtures: Path) -> None:
    raw = (fixtures / "ofac_csv" / "cons_prim.csv").read_bytes()
    file = InputFile.from_bytes("cons_prim.csv", gzip.compress(raw))
    assert sniff(file) == FileKind("ofac-csv", "ofac-cons", "primary")
    assert len(parse({"primary": file}, "ofac-cons", None).entities) == 18


def test_missing_primary(fixtures: Path) -> None:
    with pytest.raises(ParseError, match="needs its primary file"):
        parse({"alt": InputFile.from_path(fixtures / "ofac_csv" / "alt.csv")}, "ofac-sdn", None)


def test_empty_primary_file(tmp_path: Path) -> None:
    for data in (b"", b"\x1a", b"\r\n\x1a"):
        path = tmp_path / "sdn.csv"
        path.write_bytes(data)
        with pytest.raises(ParseError, match="no entries") as err:
            parse({"primary": InputFile.from_path(path)}, "ofac-sdn", None)
        assert err.value.file == str(path)


def test_unknown_role_is_reported(fixtures: Path) -> None:
    folder = fixtures / "ofac_csv"
    files = {
        "primary": InputFile.from_path(folder / "sdn.csv"),
        "main": InputFile.from_path(folder / "alt.csv"),
    }
    result = parse(files, "ofac-sdn", None)
    assert result.warnings == ["alt.csv: role 'main' is not part of an OFAC CSV set; ignored"]
    assert len(result.entities) == 35


def test_format_object() -> None:
    (fmt,) = ofac_csv.FORMATS
    assert fmt.name == "ofac-csv"
    assert fmt.roles == ("primary", "alt", "add", "comments")
    assert fmt.required_roles == ("primary",)
    assert fmt.sniff is sniff and fmt.parse is parse


# --------------------------------------------------------------------------------------------
# Full files
# --------------------------------------------------------------------------------------------


def test_full_sdn_set(sdn_full: ParseResult) -> None:
    result = sdn_full
    assert len(result.entities) == 14_965
    assert Counter(e.schema for e in result.entities) == {
        "Person": 6_854,
        "Vessel": 851,
        "Aircraft": 376,
        "Organization": 6_884,
    }
    assert result.warnings == [
        "sdn_comments.csv: skipped 6 rows for 6 ent_nums that are not in sdn.csv "
        "(files from different dates?)",
        "sdn_comments.csv: ignored 5 rows whose entry's Remarks are shorter than 1,000 characters, so they "
        "cannot continue them (files from different dates?)",
        "alt.csv: skipped 2,460 rows for 1,567 ent_nums that are not in sdn.csv "
        "(files from different dates?)",
        "add.csv: skipped 4,893 rows for 4,253 ent_nums that are not in sdn.csv "
        "(files from different dates?)",
    ]


def test_full_sdn_known_records(sdn_full: ParseResult) -> None:
    entities = _by_id(sdn_full)
    e = entities["ofac-sdn:34119"]
    assert [n.full for n in e.names] == [
        "TUNIYAZ, Erken",
        "TUNIYAZ, Erkin",
        "TUNIYAZI, Arkin",
        "TUNIYAZI, Aierken",
        "TUNIAZ, Alken",
    ]
    assert (e.names[0].family, e.names[0].given) == ("TUNIYAZ", "Erken")
    assert [d.program for d in e.designations] == ["GLOMAG"]
    assert e.birth_dates == ["1961-12"]
    assert e.countries == [Country("cn", "nationality")]
    assert [(r.kind, r.target_name, r.target_id) for r in e.relations] == [
        ("linked_to", "XINJIANG PUBLIC SECURITY BUREAU", "ofac-sdn:29159")
    ]
    chen = entities["ofac-sdn:29220"]
    assert (chen.names[0].full, chen.birth_dates, chen.birth_places) == (
        "CHEN, Quanguo",
        ["1955"],
        ["Pingyu, Henan, China"],
    )
    xpsb = entities["ofac-sdn:29159"]
    assert len(xpsb.names) == 5 and xpsb.schema == "Organization"
    # Every program on the SDN set is one designation on the SDN list.
    programs = Counter(d.program for x in entities.values() for d in x.designations)
    assert programs["RUSSIA-EO14024"] == 4_439
    assert programs["GLOMAG"] == 694
    assert {d.list for x in entities.values() for d in x.designations} == {"SDN"}


def test_full_cons_set(lists: Path) -> None:
    result = parse(_files(lists / "ofac_non_sdn", CONS_FILES), "ofac-cons", None)
    assert len(result.entities) == 442
    assert result.warnings == []
    assert Counter(e.schema for e in result.entities) == {"Organization": 363, "Person": 79}
    programs = Counter(d.program for e in result.entities for d in e.designations)
    assert programs["CMIC-EO13959"] == 68
    entities = _by_id(result)
    hik = entities["ofac-cons:30946"]
    ids = {(i.scheme, i.value, i.country, i.valid) for i in hik.identifiers}
    assert ("isin", "CNE100000PM8", None, True) in ids
    assert ("ticker", "002415CN", None, None) in ids
    assert ("uscc", "91330000733796106P", "cn", None) in ids
    assert [(d.list, d.program, d.listed_on) for d in hik.designations] == [
        ("NS-CMIC", "CMIC-EO13959", "2021-06-03")
    ]
    sensetime = entities["ofac-cons:33114"]
    assert [(i.scheme, i.value, i.country) for i in sensetime.identifiers] == [
        ("registration", "2162198", "hk")
    ]


def test_2021_set_joins_completely(lists: Path) -> None:
    folder = lists / "ofac_sdn" / "2021-07_watchman_bench"
    result = parse(_files(folder, SDN_FILES), "ofac-sdn", None)
    assert result.warnings == []
    assert len(result.entities) == 8_976
    assert Counter(e.schema for e in result.entities) == {
        "Person": 4_620,
        "Organization": 3_673,
        "Vessel": 406,
        "Aircraft": 277,
    }
    assert sum(len(e.names) for e in result.entities) - 8_976 >= 11_910  # every alt row joined
    assert sum(len(e.addresses) for e in result.entities) == 11_440  # 13,837 rows, 2,397 all -0-


# --------------------------------------------------------------------------------------------
# Malformed input
# --------------------------------------------------------------------------------------------


def _lines(fixtures: Path, name: str) -> list[bytes]:
    return (fixtures / "ofac_csv" / name).read_bytes().split(b"\r\n")


def _write(tmp_path: Path, name: str, lines: list[bytes]) -> InputFile:
    path = tmp_path / name
    path.write_bytes(b"\r\n".join(lines))
    return InputFile.from_path(path)


def test_wrong_column_count(fixtures: Path, tmp_path: Path) -> None:
    lines = _lines(fixtures, "sdn.csv")
    lines[6] = lines[6].replace(b',"BALKANS"', b"", 1)  # 7731: drop the Program column
    file = _write(tmp_path, "sdn.csv", lines)
    with pytest.raises(ParseError) as err:
        parse({"primary": file}, "ofac-sdn", None)
    assert err.value.file == str(tmp_path / "sdn.csv")
    assert err.value.location == "line 7"
    assert "expected 12 fields" in err.value.message and "found 11" in err.value.message


def test_wrong_column_count_in_alt_file(fixtures: Path, tmp_path: Path) -> None:
    lines = _lines(fixtures, "alt.csv")
    lines[9] += b',"extra"'
    files = {"primary": InputFile.from_path(fixtures / "ofac_csv" / "sdn.csv")}
    files["alt"] = _write(tmp_path, "alt.csv", lines)
    with pytest.raises(ParseError) as err:
        parse(files, "ofac-sdn", None)
    assert (err.value.file, err.value.location) == (str(tmp_path / "alt.csv"), "line 10")


def test_invalid_utf8_byte(fixtures: Path, tmp_path: Path) -> None:
    lines = _lines(fixtures, "sdn.csv")
    assert lines[12].startswith(b"11313,")
    lines[12] = lines[12].replace(b"ROBOW", b"ROB\xffW", 1)
    file = _write(tmp_path, "sdn.csv", lines)
    with pytest.raises(ParseError) as err:
        parse({"primary": file}, "ofac-sdn", None)
    assert err.value.location == "line 13, column 11"
    assert "0xff" in err.value.message
    assert str(tmp_path / "sdn.csv") in str(err.value)


def test_file_cut_inside_quoted_field(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "ofac_csv" / "sdn.csv").read_bytes()
    cut = data.index(b"Aksu, Xinjiang")  # inside the remarks of 34119, the last line but one
    path = tmp_path / "sdn.csv"
    path.write_bytes(data[:cut])
    line = data[:cut].count(b"\n") + 1
    assert line == 33
    with pytest.raises(ParseError) as err:
        parse({"primary": InputFile.from_path(path)}, "ofac-sdn", None)
    assert err.value.location == f"line {line}"
    assert "quoted field" in err.value.message


def test_stray_quote(fixtures: Path, tmp_path: Path) -> None:
    lines = _lines(fixtures, "sdn.csv")
    assert lines[1].startswith(b'306,"BANCO NACIONAL')
    lines[1] = lines[1].replace(b'"BANCO NACIONAL', b'"BANCO "NACIONAL', 1)
    file = _write(tmp_path, "sdn.csv", lines)
    with pytest.raises(ParseError) as err:
        parse({"primary": file}, "ofac-sdn", None)
    assert err.value.location == "line 2"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b'34119,"TUNIYAZ, Erken"', b"34119,-0- ", "entry 34119 has no SDN_Name"),
        (b'34119,"TUNIYAZ', b'3411X,"TUNIYAZ', "ent_num '3411X' is not a number"),
        (b'"TUNIYAZ, Erken","individual"', b'"TUNIYAZ, Erken","person"', "unknown SDN_Type 'person'"),
        (b"29220,", b"34119,", "ent_num 34119 appears twice"),
    ],
)
def test_bad_primary_values(fixtures: Path, tmp_path: Path, old: bytes, new: bytes, message: str) -> None:
    data = (fixtures / "ofac_csv" / "sdn.csv").read_bytes()
    assert old in data
    path = tmp_path / "sdn.csv"
    path.write_bytes(data.replace(old, new, 1))
    with pytest.raises(ParseError) as err:
        parse({"primary": InputFile.from_path(path)}, "ofac-sdn", None)
    assert message in err.value.message
    assert (err.value.location or "").startswith("line ")


def test_bad_alt_type(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / "ofac_csv" / "alt.csv").read_bytes()
    path = tmp_path / "alt.csv"
    path.write_bytes(data.replace(b'"fka"', b'"xka"', 1))
    files = {
        "primary": InputFile.from_path(fixtures / "ofac_csv" / "sdn.csv"),
        "alt": InputFile.from_path(path),
    }
    with pytest.raises(ParseError, match="alt_type 'xka'") as err:
        parse(files, "ofac-sdn", None)
    line = data[: data.index(b'"fka"')].count(b"\n") + 1
    assert err.value.location == f"line {line}"


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "name", "source", "role"),
    [
        ("ofac_sdn", "sdn.csv", "ofac-sdn", "primary"),
        ("ofac_sdn", "alt.csv", "ofac-sdn", "alt"),
        ("ofac_sdn", "add.csv", "ofac-sdn", "add"),
        ("ofac_sdn", "sdn_comments.csv", "ofac-sdn", "comments"),
        ("ofac_sdn/2021-07_watchman_bench", "sdn.csv", "ofac-sdn", "primary"),
        ("ofac_sdn/2021-07_watchman_bench", "sdn_comments.csv", "ofac-sdn", "comments"),
        ("ofac_non_sdn", "cons_prim.csv", "ofac-cons", "primary"),
        ("ofac_non_sdn", "cons_alt.csv", "ofac-cons", "alt"),
        ("ofac_non_sdn", "cons_add.csv", "ofac-cons", "add"),
        ("ofac_non_sdn", "cons_comments.csv", "ofac-cons", "comments"),
    ],
)
def test_sniff_accepts_ofac_files(lists: Path, folder: str, name: str, source: str, role: str) -> None:
    assert sniff(InputFile.from_path(lists / folder / name)) == FileKind("ofac-csv", source, role)


def test_sniff_accepts_fixtures_and_uses_name_only_for_source(fixtures: Path) -> None:
    folder = fixtures / "ofac_csv"
    for names, source in ((SDN_FILES, "ofac-sdn"), (CONS_FILES, "ofac-cons")):
        for role, name in names.items():
            assert sniff(InputFile.from_path(folder / name)) == FileKind("ofac-csv", source, role)
    data = (folder / "sdn.csv").read_bytes()
    assert sniff(InputFile.from_bytes("cons_whatever.csv", data)) == FileKind(
        "ofac-csv", "ofac-cons", "primary"
    )
    assert sniff(InputFile.from_bytes("download (3).csv", data)) == FileKind(
        "ofac-csv", "ofac-sdn", "primary"
    )


@pytest.mark.parametrize(
    "relative",
    [
        "csl/consolidated_watchman_sample.csv",
        "csl/csl_2019_watchman_sample.csv",
        "uk_ofsi/ConList_2020_sample.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subject_names.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subject_dobs.csv",
        "us_bis/bis_dpl.txt",
        "us_bis/os_bis_mieu_mieu.csv",
        "us_bis/restricted_parties_casslab.json",
        "us_other/os_dod_chinese_milcorps_sanctions.csv",
        "us_other/os_fcc_covered_list_table.csv",
        "eu_fsf/eu_oj_opensanctions/consolidated/32001R2580.csv",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "un_sc/consolidated.xml",
        "ofac_non_sdn/consolidated.xml",
        "ftm/zala.ftm.json",
        "SOURCES.md",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, relative: str) -> None:
    assert sniff(InputFile.from_path(lists / relative)) is None


def test_sniff_rejects_odd_content(tmp_path: Path) -> None:
    for name, data in [
        ("sdn.csv", b""),
        ("sdn.csv", b"\x1a"),
        ("sdn.csv", b'ent_num,SDN_Name,SDN_Type\r\n36,"AEROCARIBBEAN AIRLINES",-0- \r\n'),
        ("sdn.csv", b"\x00\xff\xfe binary junk \x89PNG"),
        ("alt.csv", b'36,12,"alias","AERO-CARIBBEAN",-0- \r\n'),
        ("add.csv", b'36,x,-0- ,"Havana","Cuba",-0- \r\n'),
        ("sdn.csv", b"36,AEROCARIBBEAN AIRLINES,-0- ,CUBA,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"),
    ]:
        assert sniff(InputFile.from_bytes(name, data)) is None, data
    missing = InputFile.from_path(tmp_path / "nope.csv")
    assert sniff(missing) is None
