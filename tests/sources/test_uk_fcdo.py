"""UK Sanctions List parsers: the official CSV layout and the derived multi-file copy."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tamga.countries import country_code
from tamga.sources import uk_fcdo
from tamga.sources.base import InputFile, ParseError, ParseResult
from tamga.sources.uk_fcdo import parse_csv, parse_derived, regime_of, sniff_csv, sniff_derived

CSV = "uk_fcdo/UK-Sanctions-List.csv"
DERIVED = "uk_fcdo/derived"
DERIVED_FILES = {
    "subjects": "subjects.csv",
    "names": "subject_names.csv",
    "dobs": "subject_dobs.csv",
    "identifiers": "subject_identifiers.csv",
}
FULL_DERIVED = "uk_ofsi/uk_sanctions_list_derived_covyr"
CSV_IDS = [
    "GHR0078", "GHR0079", "AFG0055", "AQD0126", "AQD0186", "RUS0859", "RUS0232", "BEL0065", "RUS3012",
    "DPR0075", "YEM0007",
]  # fmt: skip


def _csv(path: Path, source: str = "uk-fcdo") -> ParseResult:
    return parse_csv({"main": InputFile.from_path(path)}, source, None)


def _derived(folder: Path, roles=tuple(DERIVED_FILES), source: str = "uk-fcdo", progress=None) -> ParseResult:
    files = {role: InputFile.from_path(folder / DERIVED_FILES[role]) for role in roles}
    return parse_derived(files, source, progress)


def _write(tmp_path: Path, data: bytes, name: str = "UK-Sanctions-List.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _names(entity) -> list[tuple[str, str, str | None]]:
    return [(n.kind, n.full, n.quality) for n in entity.names]


@pytest.fixture(scope="module")
def csv_result(fixtures: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _csv(fixtures / CSV)


@pytest.fixture(scope="module")
def csv_by_id(csv_result: ParseResult) -> dict:
    return {e.id.split(":", 1)[1]: e for e in csv_result.entities}


@pytest.fixture(scope="module")
def derived(fixtures: Path) -> ParseResult:
    return _derived(fixtures / DERIVED)


@pytest.fixture(scope="module")
def derived_by_id(derived: ParseResult) -> dict:
    return {e.id.split(":", 1)[1]: e for e in derived.entities}


@pytest.fixture(scope="module")
def full(lists: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _derived(lists / FULL_DERIVED)


@pytest.fixture(scope="module")
def full_by_id(full: ParseResult) -> dict:
    return {e.id.split(":", 1)[1]: e for e in full.entities}


# --- the official CSV layout --------------------------------------------------------------------


def test_csv_subjects_in_file_order(csv_result: ParseResult) -> None:
    assert [e.id for e in csv_result.entities] == [f"uk-fcdo:{uid}" for uid in CSV_IDS]
    assert Counter(e.schema for e in csv_result.entities) == {"Person": 6, "Organization": 3, "Vessel": 2}
    assert csv_result.published_at == "2026-04-29"
    assert csv_result.warnings == []


def test_csv_ghr0078_zhu(csv_by_id: dict) -> None:
    entity = csv_by_id["GHR0078"]
    primary = entity.names[0]
    assert (primary.kind, primary.full, primary.given, primary.family) == (
        "primary",
        "HAILUN ZHU",
        "HAILUN",
        "ZHU",
    )
    native = entity.names[1]
    assert (native.kind, native.full, native.lang, native.script) == ("aka", "朱海仑", "zho", "Han")
    (designation,) = entity.designations
    assert designation.authority == "UK"
    assert designation.list == "UK Sanctions List"
    assert designation.program == "Global Human Rights"
    assert designation.legal_basis == "The Global Human Rights Sanctions Regulations 2020"
    assert designation.listed_on == "2021-03-22"
    assert designation.reason.startswith("Fixture text")
    assert [(c.code, c.role) for c in entity.countries] == [("cn", "nationality")]
    assert entity.properties["gender"] == ["male"]
    assert entity.properties["ofsi_group_id"] == ["14078"]
    assert entity.properties["sanctions_imposed"] == ["Asset freeze", "Travel Ban"]
    assert entity.properties["designation_source"] == ["UK"]
    assert entity.properties["last_updated"] == ["2025-04-09"]


def test_csv_ghr0079_aliases_and_address(csv_by_id: dict) -> None:
    entity = csv_by_id["GHR0079"]
    assert _names(entity) == [
        ("primary", "Xinjiang Production and Construction Corps Public Security Bureau", None),
        ("aka", "Xinjiang shengchan jianshe bingtuan gong'an ju", None),
        ("aka", "XPCC PSB", None),
    ]
    (address,) = entity.addresses
    assert (address.full, address.country) == ("Xinjiang Uyghur Autonomous Region, China", "cn")
    assert [(c.code, c.role) for c in entity.countries] == [("cn", "country")]


def test_csv_afg0055_person_details(csv_by_id: dict) -> None:
    entity = csv_by_id["AFG0055"]
    assert entity.birth_dates == ["1971"]  # dd/mm/1971
    assert entity.birth_places == ["Moni village, Shigal District, Kunar Province, Afghanistan"]
    assert [(i.scheme, i.value) for i in entity.identifiers] == [
        ("passport", "D0009871"),
        ("national_id", "545167"),
    ]
    assert entity.identifiers[1].note == "Afghan national ID card (tazkira). Issued in 1974"
    assert entity.properties["title"] == ["Maulavi"]
    assert entity.properties["position"] == ["Deputy Minister of Finance under the Taliban regime"]
    assert entity.properties["un_reference_number"] == ["TAi.071"]
    assert entity.properties["designation_source"] == ["UN"]
    assert entity.remarks == "Cousin of Moulavi Noor Jalal. Grandfather's name is Salam."
    # Arabic-script name without a language given
    assert (entity.names[1].script, entity.names[1].lang) == ("Arabic", None)
    assert [n.quality for n in entity.names[2:]] == ["good", "good"]


def test_csv_aqd0126_weak_aliases_and_passports(csv_by_id: dict) -> None:
    entity = csv_by_id["AQD0126"]
    assert Counter(n.kind for n in entity.names) == {"primary": 1, "aka": 14, "weak": 2}
    assert ("weak", "Abu Fatma", "low") in _names(entity)
    assert entity.names[1].lang == "ara"
    assert [(i.scheme, i.value, i.note) for i in entity.identifiers] == [
        ("passport", "19820215", None),
        ("passport", "1084010", "Egypt"),
    ]
    assert entity.birth_dates == ["1951-06-19"]
    assert entity.birth_places == ["Giza, Egypt"]
    assert entity.designations[0].program == "ISIL (Da'esh) and Al-Qaida"


def test_csv_repeated_rows_fold(csv_by_id: dict) -> None:
    entity = csv_by_id["AQD0186"]
    # the primary name is on six rows (one per date of birth): one name, five dates
    assert [n.full for n in entity.names].count("TAHA Ibrahim ABDALLAH BAKR AL KHUWAYT") == 1
    assert entity.birth_dates == ["1965", "1966", "1967", "1968", "1969"]
    assert len(entity.designations) == 1


def test_csv_rus0232_registration_numbers_contacts_relations(csv_by_id: dict) -> None:
    entity = csv_by_id["RUS0232"]
    assert _names(entity) == [
        ("primary", "Bank Rossiya", None),
        ("aka", "Bank of Russia", "variation"),
        ("aka", "Russia Bank", "variation"),
    ]
    assert [(i.scheme, i.value) for i in entity.identifiers] == [
        ("inn", "7831000122"),
        ("other", "License number: 328"),
        ("ogrn", "1027800000084"),
    ]
    (address,) = entity.addresses
    assert (address.full, address.postal_code, address.country) == (
        "2 Rastrelli Square, St Petersburg, 191124, Russia",
        "191124",
        "ru",
    )
    assert entity.properties["website"] == ["www.abr.ru"]
    assert entity.properties["email"] == ["bank@abr.ru"]
    assert entity.properties["entity_type"] == ["Joint Stock Company"]
    assert [(r.kind, r.target_name, r.note) for r in entity.relations] == [
        ("linked_to", "AO ABR Management", "subsidiary")
    ]


def test_csv_bel0065_compound_registration_cell(csv_by_id: dict) -> None:
    entity = csv_by_id["BEL0065"]
    assert [(i.scheme, i.value, i.note) for i in entity.identifiers] == [
        ("inn", "190950894", "(УНН/ИНН): 190950894"),
        ("registration", "7704734000", None),
        ("registration", "770301001", None),
    ]


def test_csv_ship_fields(csv_by_id: dict) -> None:
    entity = csv_by_id["RUS3012"]
    assert entity.schema == "Vessel"
    (imo,) = entity.identifiers
    assert (imo.scheme, imo.value, imo.raw, imo.valid) == ("imo", "9683740", "IMO9683740", True)
    assert entity.properties["vessel_type"] == ["Products Tanker"]
    assert entity.properties["tonnage"] == ["5075"]
    assert entity.properties["flag"] == ["Russia"]
    assert [(r.kind, r.target_name) for r in entity.relations] == [("owned_by", "ALFA-LIZING OOO")]


def test_csv_low_quality_primary_variation_is_weak(csv_by_id: dict) -> None:
    assert _names(csv_by_id["YEM0007"]) == [
        ("primary", "Muhammad Abd Al-Karim Al-Ghamari", None),
        ("weak", "Mohammad Al-Ghamari", "low"),
    ]


def test_csv_same_file_same_records(fixtures: Path, csv_result: ParseResult) -> None:
    again = _csv(fixtures / CSV)
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in csv_result.entities]


def test_csv_without_report_date_and_older_type_column(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / CSV).read_bytes().split(b"\n")
    header = lines[1].replace(b"Designation Type", b'"Individual, Entity, Ship"')
    result = _csv(_write(tmp_path, b"\n".join([header, *lines[2:]])))
    assert result.published_at is None
    assert [e.id for e in result.entities] == [f"uk-fcdo:{uid}" for uid in CSV_IDS]
    assert result.entities[0].schema == "Person"


def test_csv_wrong_column_count(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / CSV).read_bytes().split(b"\n")
    lines[7] += b",extra"
    path = _write(tmp_path, b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _csv(path)
    assert (err.value.file, err.value.location) == (str(path), "line 8")
    assert "expected 58 columns, found 59" in err.value.message


def test_csv_cut_file(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / CSV).read_bytes()
    cut = data[: data.index(b"\n", 9000) + 30]
    last_line = cut.count(b"\n") + 1
    with pytest.raises(ParseError) as err:
        _csv(_write(tmp_path, cut))
    assert err.value.location == f"line {last_line}"


def test_csv_invalid_utf8(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / CSV).read_bytes().split(b"\n")
    lines[4] = lines[4][:3] + b"\xff" + lines[4][3:]
    with pytest.raises(ParseError) as err:
        _csv(_write(tmp_path, b"\n".join(lines)))
    assert err.value.location == "line 5, column 4"


def test_csv_missing_unique_id(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / CSV).read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",GHR0079,", b",,", 1)
    with pytest.raises(ParseError) as err:
        _csv(_write(tmp_path, b"\n".join(lines)))
    assert (err.value.location, err.value.message) == ("line 4", "missing Unique ID")


def test_csv_unknown_designation_type(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / CSV).read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b",Individual,", b",Aircraft,", 1)
    with pytest.raises(ParseError) as err:
        _csv(_write(tmp_path, b"\n".join(lines)))
    assert err.value.location == "line 3"
    assert "Aircraft" in err.value.message


def test_csv_header_lacking_columns(tmp_path: Path) -> None:
    data = b"Report Date: 01-Jan-2026\nUnique ID,Name 6\nRUS0001,X\n"
    with pytest.raises(ParseError) as err:
        _csv(_write(tmp_path, data))
    assert err.value.location == "line 2"
    assert "Name type" in err.value.message and "Designation Type" in err.value.message


def test_csv_sniff(fixtures: Path) -> None:
    kind = sniff_csv(InputFile.from_path(fixtures / CSV))
    assert kind is not None
    assert (kind.format, kind.source, kind.role) == ("uk-fcdo-csv", "uk-fcdo", "main")
    assert sniff_derived(InputFile.from_path(fixtures / CSV)) is None


# --- the derived copy: extract ------------------------------------------------------------------


def test_derived_extract(derived: ParseResult) -> None:
    assert len(derived.entities) == 51
    assert Counter(e.schema for e in derived.entities) == {"Person": 34, "Organization": 15, "Vessel": 2}
    assert derived.published_at is None
    (warning,) = derived.warnings
    assert warning.endswith(
        "subject_dobs.csv: not loaded; the derived date-of-birth table attaches dates to the wrong subjects"
    )
    assert all(e.birth_dates == [] for e in derived.entities)
    names = Counter((n.kind, n.quality) for e in derived.entities for n in e.names)
    assert names == {
        ("aka", None): 58,
        ("primary", None): 56,
        ("aka", "variation"): 48,
        ("aka", "good"): 33,
        ("weak", "low"): 10,
    }


def test_derived_every_regime_prefix(derived: ParseResult) -> None:
    programs = {e.id.split(":")[1][:3]: e.designations[0].program for e in derived.entities}
    assert programs == uk_fcdo.REGIMES


def test_derived_without_dobs_has_no_warning(fixtures: Path) -> None:
    result = _derived(fixtures / DERIVED, roles=("subjects", "names"))
    assert result.warnings == []
    assert len(result.entities) == 51
    assert all(e.identifiers == [] for e in result.entities)


def test_derived_identifiers_deduplicated(derived_by_id: dict) -> None:
    entity = derived_by_id["AFG0055"]
    assert [(i.scheme, i.value) for i in entity.identifiers] == [
        ("national_id", "545167"),
        ("passport", "D0009871"),
    ]
    # the spreadsheet escape quote is dropped
    assert [(i.scheme, i.value) for i in derived_by_id["GHR0179"].identifiers] == [
        ("national_id", "010868617"),
        ("passport", "N00081108"),
    ]


def test_derived_doubled_organisation_name(derived_by_id: dict) -> None:
    # the copy repeats some organisation names in name_1 and name_6; it is printed once
    assert _names(derived_by_id["BEL0122"]) == [
        ("primary", "Minotor-Service Enterprise", None),
        ("primary", "Industrial-Commercial Private Unitary Enterprise Minotor-Service", None),
        ("aka", "INDUSTRIAL-COMMERCIAL PRIVATE UNITARY ENTERPRISE MINOTOR-SERVICE", "variation"),
    ]


def test_derived_matches_csv_names(derived_by_id: dict, csv_by_id: dict) -> None:
    # The CSV fixture was written from the derived rows: names and numbers agree.
    for uid in ("GHR0079", "RUS0232", "DPR0075", "YEM0007"):
        assert _names(derived_by_id[uid]) == _names(csv_by_id[uid])
    for uid in ("RUS0232", "BEL0065", "DPR0075"):
        derived_ids = sorted((i.scheme, i.value) for i in derived_by_id[uid].identifiers)
        assert derived_ids == sorted((i.scheme, i.value) for i in csv_by_id[uid].identifiers)


def test_derived_progress_and_source(fixtures: Path) -> None:
    seen: list[int] = []
    result = _derived(fixtures / DERIVED, source="fcdo-test", progress=seen.append)
    assert result.entities[0].id == "fcdo-test:AFG0001"
    assert seen[-1] == 51


# --- the derived copy: full files ---------------------------------------------------------------


def test_full_counts(full: ParseResult) -> None:
    assert len(full.entities) == 6046
    assert Counter(e.schema for e in full.entities) == {"Person": 3883, "Organization": 1531, "Vessel": 632}
    assert len(full.warnings) == 1 and "subject_dobs.csv: not loaded" in full.warnings[0]
    names = Counter((n.kind, n.quality) for e in full.entities for n in e.names)
    assert sum(names.values()) == 15049
    assert names[("primary", None)] == 6051
    assert names[("weak", "low")] == 605
    schemes = Counter(i.scheme for e in full.entities for i in e.identifiers)
    assert schemes["passport"] == 722
    assert schemes["imo"] == 631
    assert schemes["national_id"] == 418
    assert sum(schemes.values()) == 2503
    assert all(i.valid for e in full.entities for i in e.identifiers if i.scheme == "imo")
    programs = Counter(e.designations[0].program for e in full.entities)
    assert programs["Russia"] == 3252
    assert programs["Global Human Rights"] == 174
    assert programs["Cyber"] == 95


def test_full_ghr0078_zhu(full_by_id: dict) -> None:
    entity = full_by_id["GHR0078"]
    assert entity.schema == "Person"
    (name,) = entity.names
    assert (name.kind, name.full, name.given, name.family) == ("primary", "HAILUN ZHU", "HAILUN", "ZHU")
    assert entity.birth_dates == []  # the dobs table gives 1935, which is not loaded
    assert entity.designations[0].program == "Global Human Rights"
    assert entity.designations[0].listed_on == "2021-03-22"
    assert entity.properties == {"ofsi_group_id": ["14078"], "last_updated": ["2025-04-09"]}


def test_full_ghr0079_aliases(full_by_id: dict) -> None:
    entity = full_by_id["GHR0079"]
    assert entity.schema == "Organization"
    assert _names(entity) == [
        ("primary", "Xinjiang Production and Construction Corps Public Security Bureau", None),
        ("aka", "Xinjiang shengchan jianshe bingtuan gong'an ju", None),
        ("aka", "XPCC PSB", None),
    ]


def test_full_rus0859_patronymic_in_middle(full_by_id: dict) -> None:
    name = full_by_id["RUS0859"].names[0]
    assert (name.full, name.given, name.middle, name.family) == (
        "Erkin Rakhmatovich NOROV",
        "Erkin",
        "Rakhmatovich",
        "NOROV",
    )


def test_full_set_without_dobs(lists: Path) -> None:
    result = _derived(lists / FULL_DERIVED, roles=("subjects", "names", "identifiers"))
    assert len(result.entities) == 6046


# --- the derived copy: malformed input ----------------------------------------------------------


def _copy_derived(fixtures: Path, tmp_path: Path) -> Path:
    for name in DERIVED_FILES.values():
        (tmp_path / name).write_bytes((fixtures / DERIVED / name).read_bytes())
    return tmp_path


def test_derived_wrong_column_count(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    path = folder / "subject_names.csv"
    lines = path.read_bytes().split(b"\n")
    lines[10] = lines[10] + b",x"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _derived(folder)
    assert (err.value.file, err.value.location) == (str(path), "line 11")


def test_derived_invalid_utf8(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    path = folder / "subject_identifiers.csv"
    lines = path.read_bytes().split(b"\n")
    lines[20] = b"\xff" + lines[20]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _derived(folder)
    assert (err.value.file, err.value.location) == (str(path), "line 21, column 1")


def test_derived_missing_unique_id(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    path = folder / "subjects.csv"
    lines = path.read_bytes().split(b"\n")
    lines[5] = b"," + lines[5].split(b",", 1)[1]
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError) as err:
        _derived(folder)
    assert (err.value.location, err.value.message) == ("line 6", "missing unique_id")


def test_derived_unknown_subject_type(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    path = folder / "subjects.csv"
    path.write_bytes(path.read_bytes().replace(b"AFG0001,entity", b"AFG0001,aircraft"))
    with pytest.raises(ParseError) as err:
        _derived(folder)
    assert err.value.location == "line 2"


def test_derived_wrong_table_in_a_role(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    files = {
        "subjects": InputFile.from_path(folder / "subject_names.csv"),
        "names": InputFile.from_path(folder / "subject_names.csv"),
    }
    with pytest.raises(ParseError) as err:
        parse_derived(files, "uk-fcdo", None)
    assert err.value.location == "line 1"


def test_derived_missing_required_role(fixtures: Path) -> None:
    files = {"subjects": InputFile.from_path(fixtures / DERIVED / "subjects.csv")}
    with pytest.raises(ParseError) as err:
        parse_derived(files, "uk-fcdo", None)
    assert "no names file" in err.value.message


def test_derived_orphan_rows_warn(fixtures: Path, tmp_path: Path) -> None:
    folder = _copy_derived(fixtures, tmp_path)
    path = folder / "subject_names.csv"
    path.write_bytes(path.read_bytes() + b"99999,ZZZ0001,primary,,NOBODY,NOBODY,,,,,\n")
    result = _derived(folder, roles=("subjects", "names"))
    assert result.warnings == [f"{path}: 1 name row(s) for subjects not in the subjects table"]


# --- detection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "name"), list(DERIVED_FILES.items()))
def test_sniff_derived_tables(lists: Path, role: str, name: str) -> None:
    kind = sniff_derived(InputFile.from_path(lists / FULL_DERIVED / name))
    assert kind is not None
    assert (kind.format, kind.source, kind.role) == ("uk-fcdo-derived", "uk-fcdo", role)
    assert sniff_csv(InputFile.from_path(lists / FULL_DERIVED / name)) is None


@pytest.mark.parametrize(
    "name",
    [
        "ofac_sdn/sdn.csv",
        "ofac_sdn/add.csv",
        "ofac_non_sdn/cons_alt.csv",
        "ofac_non_sdn/consolidated.xml",
        "un_sc/consolidated.xml",
        "csl/consolidated_watchman_sample.csv",
        "us_bis/bis_dpl.txt",
        "us_bis/restricted_parties_casslab.json",
        "us_other/os_dod_chinese_milcorps_sanctions.csv",
        "ftm/parteispenden.ftm.json",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "uk_ofsi/ConList_2020_sample.csv",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, name: str) -> None:
    file = InputFile.from_path(lists / name)
    assert sniff_csv(file) is None
    assert sniff_derived(file) is None


def test_sniff_rejects_junk() -> None:
    for data in (b"", bytes(range(256)) * 10, b"unique_id,subject_type\n", b'"open quote,unique_id\n'):
        file = InputFile.from_bytes("x.csv", data)
        assert sniff_csv(file) is None
        assert sniff_derived(file) is None


def test_regime_of() -> None:
    assert regime_of("GHR0078") == "Global Human Rights"
    assert regime_of("RUS0859") == "Russia"
    assert regime_of("CYB0001") == "Cyber"
    assert regime_of("XXX0001") is None


def test_format_registration() -> None:
    names = [(f.name, f.roles, f.required_roles) for f in uk_fcdo.FORMATS]
    assert names == [
        ("uk-fcdo-csv", ("main",), ("main",)),
        ("uk-fcdo-derived", ("subjects", "names", "dobs", "identifiers"), ("subjects", "names")),
    ]
