"""OFSI ConList parser: the real partial file, the 2022 layout, malformed input, detection, helpers."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tamga.countries import country_code
from tamga.sources import uk_ofsi
from tamga.sources.base import InputFile, ParseError, ParseResult
from tamga.sources.uk_ofsi import (
    first_number,
    parse,
    sniff,
    split_numbered,
    split_registration_numbers,
    uk_date,
)

SAMPLE = "uk_ofsi/ConList_2020_sample.csv"
LAYOUT_2022 = "uk_ofsi/ConList_2022_layout.csv"
SAMPLE_GROUPS = [
    "13349", "13188", "13562", "13556", "13222", "12871", "13526", "10657", "8990", "6894", "13141",
    "12727", "13140", "13130", "13814", "12872", "11912", "12510", "13229", "9049", "12156", "12174",
    "7059", "13301", "6923", "7620", "8244", "8832", "10834", "6897", "13720", "7574", "11123",
    "13194", "11634", "7601", "10693", "8693", "7575", "13155", "12999",
]  # fmt: skip


def _parse_path(path: Path, source: str = "uk-hmt") -> ParseResult:
    return parse({"main": InputFile.from_path(path)}, source, None)


def _write(tmp_path: Path, data: bytes, name: str = "ConList.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _names(entity) -> list[tuple[str, str]]:
    return [(n.kind, n.full) for n in entity.names]


@pytest.fixture(scope="module")
def sample(fixtures: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _parse_path(fixtures / SAMPLE)


@pytest.fixture(scope="module")
def by_group(sample: ParseResult) -> dict:
    return {e.id.split(":", 1)[1]: e for e in sample.entities}


@pytest.fixture(scope="module")
def layout_2022(fixtures: Path) -> dict:
    result = _parse_path(fixtures / LAYOUT_2022)
    return {"result": result, **{e.id.split(":", 1)[1]: e for e in result.entities}}


# --- the real partial file (original layout, cp1252, no banner) -------------------------------


def test_sample_groups_in_file_order(sample: ParseResult) -> None:
    assert [e.id for e in sample.entities] == [f"uk-hmt:{g}" for g in SAMPLE_GROUPS]
    assert Counter(e.schema for e in sample.entities) == {"Person": 32, "Organization": 9}
    assert sample.published_at is None
    assert sample.warnings == []
    assert sample.source == "uk-hmt"


def test_sample_totals(sample: ParseResult) -> None:
    names = [n for e in sample.entities for n in e.names]
    assert Counter(n.kind for n in names) == {"aka": 32, "primary": 18}
    identifiers = Counter(i.scheme for e in sample.entities for i in e.identifiers)
    assert identifiers == {"passport": 15, "national_id": 8, "imo": 1}
    programs = Counter(d.program for e in sample.entities for d in e.designations)
    assert programs["The ISIL (Da'esh) and Al-Qaida organisations"] == 17
    assert programs["Syria"] == 6
    assert all(d.authority == "UK" for e in sample.entities for d in e.designations)
    assert {d.list for e in sample.entities for d in e.designations} == {uk_ofsi.LIST_NAME}


def test_the_full_real_file_gives_the_same(lists: Path, sample: ParseResult) -> None:
    full = _parse_path(lists / "uk_ofsi" / "ConList_2020_sample.csv")
    assert len(full.entities) == 41
    assert [e.to_dict() for e in full.entities] == [e.to_dict() for e in sample.entities]


def test_group_13814_six_names_one_primary(by_group: dict) -> None:
    entity = by_group["13814"]
    assert entity.schema == "Person"
    assert entity.caption == "Yasser Aziz ABBAS"
    assert _names(entity) == [
        ("aka", "Yaser Aziz ABAS"),
        ("aka", "Yasr Aziz ABAS"),
        ("aka", "Yasser Aziz ABAS"),
        ("aka", "Yaser Aziz ABBAS"),
        ("aka", "Yasr Aziz ABBAS"),
        ("primary", "Yasser Aziz ABBAS"),
    ]
    primary = entity.names[-1]
    assert (primary.given, primary.middle, primary.family) == ("Yasser", "Aziz", "ABBAS")
    assert entity.birth_dates == ["1978-08-22"]
    # "Syrian" is a demonym; it still resolves.
    assert [(c.code, c.role) for c in entity.countries] == [("sy", "nationality")]
    designation = entity.designations[0]
    assert (designation.program, designation.listed_on) == ("Syria", "2020-02-17")
    assert entity.properties["last_updated"] == ["2020-02-17"]


def test_group_13349_partial_dates_numbered_nationalities(by_group: dict) -> None:
    entity = by_group["13349"]
    assert _names(entity) == [("aka", "Sheikh Farooq AL-QAHTANI")]
    # 00/00/1980 and 00/00/1981 on two rows -> two year-only dates
    assert entity.birth_dates == ["1980", "1981"]
    assert entity.birth_places == ["Saudi Arabia"]
    # "1) Saudi Arabia 2) Qatar"; address country "Afghanistan (since 2009)"
    assert [(c.code, c.role) for c in entity.countries] == [
        ("sa", "nationality"),
        ("qa", "nationality"),
        ("af", "country"),
    ]
    (passport,) = entity.identifiers
    assert (passport.scheme, passport.value) == ("passport", "592667")
    assert passport.note == "Passport No: 592667 (Qatari passport issued on 3 May 2007)."
    assert entity.properties["un_reference_number"] == ["QDe.004"]
    assert entity.remarks.startswith("UN Ref QDe.004. Emir for the eastern zone of Afghanistan.")


def test_group_12999_documents_positions_places(by_group: dict) -> None:
    entity = by_group["12999"]
    assert [(i.scheme, i.value, i.raw) for i in entity.identifiers] == [
        ("passport", "D00001184", "D00001184"),
        ("passport", "P04838205", "P04838205"),
        ("national_id", "20227088368", "202-2708-8368"),
    ]
    assert entity.birth_dates == ["1970", "1969", "1971", "1970-01-01", "1971-01-01"]
    assert entity.birth_places == ["Ndele, Central African Republic", "Algenana, Sudan"]
    assert entity.properties["position"] == [
        "General",
        "Minister for Security",
        "Director General of the Extraordinary Committee for the Defence of Democratic Achievements",
    ]
    assert [a.full for a in entity.addresses] == ["Birao, Central African Republic"]
    assert entity.addresses[0].country == "cf"
    assert [(c.code, c.role) for c in entity.countries] == [
        ("cf", "nationality"),
        ("sd", "nationality"),
        ("cf", "country"),
        ("sd", "country"),
    ]
    # cp1252 curly quotes decoded
    assert "“Fundamental”" in entity.remarks


def test_group_13556_vessel_imo_from_other_information(by_group: dict) -> None:
    entity = by_group["13556"]
    # Before 2022 OFSI listed ships as "Entity"; the schema follows the Group Type.
    assert entity.schema == "Organization"
    assert _names(entity) == [("primary", "TONG SAN 2")]
    (imo,) = entity.identifiers
    assert (imo.scheme, imo.value, imo.valid) == ("imo", "8937675", True)


def test_group_10657_address_and_alias(by_group: dict) -> None:
    entity = by_group["10657"]
    assert _names(entity) == [("primary", "3M MIZAN MACHINERY MANUFACTURING"), ("aka", "3MG")]
    assert entity.names[0].family is None  # organisation names are not split into parts
    (address,) = entity.addresses
    assert (address.full, address.country) == ("PO Box 16595-365, Tehran, Iran", "ir")
    assert entity.designations[0].program == "Iran (nuclear proliferation)"
    assert entity.designations[0].listed_on == "2008-06-24"


def test_group_6894_shared_birth_country(by_group: dict) -> None:
    entity = by_group["6894"]
    assert entity.birth_places == [
        "Tirpas-Selong Village, East Lombok, Indonesia",
        "Korleko-Lombok Timur, Indonesia",
    ]
    assert entity.birth_dates == ["1958-08-17", "1957-08-17"]


def test_same_file_same_records(fixtures: Path, sample: ParseResult) -> None:
    again = _parse_path(fixtures / SAMPLE)
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in sample.entities]


def test_source_override_and_progress(fixtures: Path) -> None:
    seen: list[int] = []
    result = parse({"main": InputFile.from_path(fixtures / SAMPLE)}, "ofsi-test", seen.append)
    assert result.source == "ofsi-test"
    assert result.entities[0].id == "ofsi-test:13349"
    assert seen and seen[-1] == 41


def test_banner_line_gives_published_at(fixtures: Path, tmp_path: Path, sample: ParseResult) -> None:
    data = b"Last Updated,20/02/2020\r\n" + (fixtures / SAMPLE).read_bytes()
    result = _parse_path(_write(tmp_path, data))
    assert result.published_at == "2020-02-20"
    assert [e.to_dict() for e in result.entities] == [e.to_dict() for e in sample.entities]


def test_gzip_copy_reads_the_same(fixtures: Path, tmp_path: Path, sample: ParseResult) -> None:
    import gzip

    path = _write(tmp_path, gzip.compress((fixtures / SAMPLE).read_bytes()), "ConList.csv.gz")
    result = _parse_path(path)
    assert [e.to_dict() for e in result.entities] == [e.to_dict() for e in sample.entities]


def test_many_groups(fixtures: Path) -> None:
    data = (fixtures / SAMPLE).read_bytes()
    header, body = data.split(b"\n", 1)
    # 40 copies of the sample with distinct group ids: about 1.3 MB, 3,000 rows, 1,640 groups.
    copies = [body.replace(b",1", f",{n}1".encode()) for n in range(1, 41)]
    big = InputFile.from_bytes("ConList.csv", header + b"\n" + b"".join(copies))
    result = parse({"main": big}, "uk-hmt", None)
    assert len(result.entities) > 1000


# --- the 2022 layout ----------------------------------------------------------------------------


def test_2022_layout_banner_bom_and_groups(layout_2022: dict) -> None:
    result = layout_2022["result"]
    assert result.published_at == "2020-02-20"
    assert [e.id for e in result.entities] == [
        "uk-hmt:13556",
        "uk-hmt:10657",
        "uk-hmt:13814",
        "uk-hmt:13720",
        "uk-hmt:12999",
    ]
    assert result.warnings == []


def test_2022_layout_ship_and_alias_quality(layout_2022: dict) -> None:
    assert layout_2022["13556"].schema == "Vessel"
    entity = layout_2022["13814"]
    assert [(n.kind, n.full, n.quality) for n in entity.names] == [
        ("aka", "Yaser Aziz ABAS", None),
        ("weak", "Yasr Aziz ABAS", "low"),
    ]


def test_2022_layout_other_information_facts(layout_2022: dict) -> None:
    entity = layout_2022["13720"]
    assert entity.properties["uk_sanctions_list_ref"] == ["AQD0186"]
    assert entity.properties["gender"] == ["male"]
    assert entity.properties["uk_date_designated"] == ["2018-11-19"]
    assert entity.properties["un_reference_number"] == ["QDi.420"]
    assert entity.birth_dates == ["1965", "1966", "1967", "1968"]
    assert entity.birth_places == ["Tall 'Afar, Iraq"]


def test_2022_layout_numbers_paired_with_details(layout_2022: dict) -> None:
    entity = layout_2022["12999"]
    assert [(i.scheme, i.value, i.note) for i in entity.identifiers] == [
        ("passport", "D00001184", "CAR passport"),
        ("passport", "P04838205", "Passport issued under the name of Mohamed Adam Brema Abdallah"),
        ("national_id", "20227088368", "Sudan"),
    ]


def test_non_latin_name_with_language(tmp_path: Path) -> None:
    header = "Name 6,Name 1,Name Non-Latin Script,Non-Latin Script Language,Group Type,Alias Type,Group ID"
    rows = "PETROV,Ivan,Иван Петров,Russian,Individual,Primary name,900\n"
    result = _parse_path(_write(tmp_path, f"{header}\n{rows}".encode()))
    (entity,) = result.entities
    assert [(n.kind, n.full, n.lang, n.script) for n in entity.names] == [
        ("primary", "Ivan PETROV", None, "Latin"),
        ("aka", "Иван Петров", "rus", "Cyrillic"),
    ]


def test_unknown_alias_type_is_kept_with_a_warning(tmp_path: Path) -> None:
    data = b"Name 6,Group Type,Alias Type,Group ID\nACME,Entity,Nickname,901\n"
    result = _parse_path(_write(tmp_path, data))
    assert _names(result.entities[0]) == [("aka", "ACME")]
    assert result.warnings == ["unknown Alias Type 'Nickname' read as aka"]


# --- malformed input ----------------------------------------------------------------------------


def test_wrong_column_count_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / SAMPLE).read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b",", b"", 1)  # physical line 5 loses a column
    path = _write(tmp_path, b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _parse_path(path)
    assert err.value.file == str(path)
    assert err.value.location == "line 5"
    assert "expected 29 columns, found 28" in err.value.message


def test_cut_file_fails_on_the_last_line(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / SAMPLE).read_bytes()
    cut = data[: data.index(b"\n", 20000) + 40]  # ends 40 bytes into a row
    path = _write(tmp_path, cut)
    line = cut.count(b"\n") + 1
    with pytest.raises(ParseError) as err:
        _parse_path(path)
    assert err.value.location == f"line {line}"


def test_bad_byte_in_a_utf8_file(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / LAYOUT_2022).read_bytes()
    lines = text.split(b"\n")
    lines[6] = lines[6][:10] + b"\xff" + lines[6][10:]
    path = _write(tmp_path, b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _parse_path(path)
    assert err.value.file == str(path)
    assert err.value.location == "line 7, column 11"
    assert "0xff" in err.value.message


def test_bad_byte_in_utf8_without_bom(tmp_path: Path) -> None:
    data = "Name 6,Group Type,Alias Type,Group ID\nÉCOLE,Entity,AKA,1\nX\xffY,Entity,AKA,2\n".encode()
    data = data.replace("\xff".encode(), b"\xff")
    with pytest.raises(ParseError) as err:
        _parse_path(_write(tmp_path, data))
    assert err.value.location == "line 3, column 2"


def test_byte_undefined_in_cp1252(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / SAMPLE).read_bytes().split(b"\n")
    lines[9] = b"\x81" + lines[9]
    with pytest.raises(ParseError) as err:
        _parse_path(_write(tmp_path, b"\n".join(lines)))
    assert err.value.location == "line 10"
    assert "0x81" in err.value.message


def test_missing_group_id(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / SAMPLE).read_bytes().split(b"\n")
    lines[3] = lines[3][: lines[3].rindex(b",") + 1]  # keep the comma, drop the id
    with pytest.raises(ParseError) as err:
        _parse_path(_write(tmp_path, b"\n".join(lines)))
    assert err.value.location == "line 4"
    assert err.value.message == "missing Group ID"


def test_unknown_group_type(tmp_path: Path) -> None:
    data = b"Name 6,Group Type,Alias Type,Group ID\nACME,Aircraft,AKA,77\n"
    with pytest.raises(ParseError) as err:
        _parse_path(_write(tmp_path, data))
    assert err.value.location == "line 2"
    assert "Aircraft" in err.value.message


def test_header_without_group_id(tmp_path: Path) -> None:
    data = b"Last Updated,01/01/2021\nName 6,Group Type,Alias Type\nACME,Entity,AKA\n"
    with pytest.raises(ParseError) as err:
        _parse_path(_write(tmp_path, data))
    assert err.value.location == "line 2"
    assert "Group ID" in err.value.message


def test_no_main_file() -> None:
    with pytest.raises(ParseError):
        parse({}, "uk-hmt", None)


# --- detection ----------------------------------------------------------------------------------


def test_sniff_accepts_both_layouts(fixtures: Path) -> None:
    for name in (SAMPLE, LAYOUT_2022):
        kind = sniff(InputFile.from_path(fixtures / name))
        assert kind is not None
        assert (kind.format, kind.source, kind.role) == ("uk-ofsi-csv", "uk-hmt", "main")


@pytest.mark.parametrize(
    "name",
    [
        "ofac_sdn/sdn.csv",
        "ofac_sdn/alt.csv",
        "ofac_non_sdn/cons_prim.csv",
        "ofac_non_sdn/consolidated.xml",
        "un_sc/consolidated.xml",
        "csl/consolidated_watchman_sample.csv",
        "csl/csl_2019_watchman_sample.csv",
        "us_bis/bis_dpl.txt",
        "us_bis/restricted_parties_casslab.json",
        "us_bis/os_bis_mieu_mieu.csv",
        "ftm/zala.ftm.json",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subject_names.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subject_identifiers.csv",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, name: str) -> None:
    assert sniff(InputFile.from_path(lists / name)) is None


def test_sniff_rejects_the_fcdo_csv_and_junk(fixtures: Path) -> None:
    assert sniff(InputFile.from_path(fixtures / "uk_fcdo" / "UK-Sanctions-List.csv")) is None
    assert sniff(InputFile.from_bytes("x.csv", b"")) is None
    assert sniff(InputFile.from_bytes("x.bin", bytes(range(256)) * 10)) is None
    assert sniff(InputFile.from_bytes("x.csv", b'"unclosed,Name 6,Group ID\n')) is None
    assert sniff(InputFile(name="missing.csv", path=Path("/nonexistent/ConList.csv"))) is None


def test_format_registration() -> None:
    (fmt,) = uk_ofsi.FORMATS
    assert (fmt.name, fmt.roles, fmt.required_roles) == ("uk-ofsi-csv", ("main",), ("main",))
    assert fmt.parse is parse and fmt.sniff is sniff


# --- shared helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19/06/1951", "1951-06-19"),
        ("00/00/1980", "1980"),
        ("00/08/1979", "1979-08"),
        ("dd/mm/1971", "1971"),
        ("dd/05/1961", "1961-05"),
        ("31/02/1970", None),
        ("1965", "1965"),
        ("05/1961", "1961-05"),
        ("", None),
        ("unknown", None),
    ],
)
def test_uk_date(text: str, expected: str | None) -> None:
    assert uk_date(text) == expected


def test_split_numbered() -> None:
    assert split_numbered("(1) Russia (2) Ukraine") == ["Russia", "Ukraine"]
    assert split_numbered("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]
    assert split_numbered("a) General, b) Minister") == ["General", "Minister"]
    assert split_numbered("Afghanistan (since 2009)") == ["Afghanistan (since 2009)"]
    assert split_numbered("Company (a) Ltd") == ["Company (a) Ltd"]
    assert split_numbered("(1)-(2) Indonesia") == ["Indonesia"]
    assert split_numbered("") == []


def test_first_number() -> None:
    assert first_number("Passport No: 592667 (Qatari passport issued on 3 May 2007).") == "592667"
    assert first_number("issued 03/07/1996, number A1234567") == "A1234567"
    assert first_number("no number here") is None


def test_split_registration_numbers() -> None:
    assert split_registration_numbers("OGRN: 1027739090708 INN: 7731018133") == (
        ("ogrn", "1027739090708", "OGRN: 1027739090708"),
        ("inn", "7731018133", "INN: 7731018133"),
    )
    assert split_registration_numbers(
        "Tax ID No. 7703226533 (Russia); Registration Number 1157746244017 (Russia)"
    ) == (
        ("tax_id", "7703226533", "Tax ID No. 7703226533"),
        ("registration", "1157746244017", "Registration Number 1157746244017"),
    )
    assert split_registration_numbers("BIN: 1027800000931INN: 7831001704PPC: 784101001") == (
        ("registration", "1027800000931", "BIN: 1027800000931"),
        ("inn", "7831001704", "INN: 7831001704"),
        ("kpp", "784101001", "PPC: 784101001"),
    )
    assert split_registration_numbers("USCC: 91410105554232989X") == (
        ("uscc", "91410105554232989X", "USCC: 91410105554232989X"),
    )
    assert split_registration_numbers("(УНН/ИНН): 190950894 (Belarus),  7704734000/770301001 (Russia)") == (
        ("inn", "190950894", "(УНН/ИНН): 190950894"),
        ("registration", "7704734000", "7704734000"),
        ("registration", "770301001", "770301001"),
    )
    assert split_registration_numbers("License number: 328") == (
        ("other", "License number: 328", "License number: 328"),
    )
    assert split_registration_numbers("") == ()
