"""UN Security Council XML parser: real extract, the full list, malformed input, detection."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from tamga.countries import country_code
from tamga.sources import un_xml
from tamga.sources.base import InputFile, ParseError, ParseResult
from tamga.sources.un_xml import document_scheme, parse, sniff, split_alias, split_document_number

EXTRACT = "un_xml/consolidated_extract.xml"
EXTRACT_REFS = [
    "CDi.001", "CDi.002", "CFi.006", "IQi.025", "IRi.021", "KPi.021", "KPi.035", "LYi.022", "QDi.081",
    "QDi.298", "QDi.306", "QDi.363", "QDi.365", "QDi.398", "SOi.010", "TAi.002", "TAi.034",
    "IRe.001", "KPe.016", "KPe.022", "KPe.066", "QDe.004", "QDe.137", "QDe.157", "TAe.012",
]  # fmt: skip


def _parse_path(path: Path, source: str = "un-sc") -> ParseResult:
    return parse({"main": InputFile.from_path(path)}, source, None)


def _parse_bytes(tmp_path: Path, data: bytes) -> ParseResult:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(data)
    return _parse_path(path)


@pytest.fixture(scope="module")
def extract(fixtures: Path) -> ParseResult:
    return _parse_path(fixtures / EXTRACT)


@pytest.fixture(scope="module")
def by_ref(extract: ParseResult) -> dict:
    return {e.id.split(":", 1)[1]: e for e in extract.entities}


@pytest.fixture(scope="module")
def full(lists: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _parse_path(lists / "un_sc" / "consolidated.xml")


def _names(entity) -> list[tuple[str, str]]:
    return [(n.kind, n.full) for n in entity.names]


# --- the real extract -------------------------------------------------------------------------


def test_extract_records_in_file_order(extract: ParseResult) -> None:
    assert [e.id for e in extract.entities] == [f"un-sc:{ref}" for ref in EXTRACT_REFS]
    assert Counter(e.schema for e in extract.entities) == {"Person": 17, "Organization": 8}
    assert extract.published_at == "2026-02-27T00:00:09"
    assert extract.warnings == []


def test_qdi_081_binalshibh(by_ref: dict) -> None:
    entity = by_ref["QDi.081"]
    assert entity.id == "un-sc:QDi.081"
    primary = entity.names[0]
    assert (primary.full, primary.given, primary.middle, primary.family) == (
        "RAMZI MOHAMED ABDULLAH BINALSHIBH",
        "RAMZI",
        "MOHAMED ABDULLAH",
        "BINALSHIBH",
    )
    original = entity.names[1]
    assert (original.kind, original.full, original.script) == (
        "aka",
        "رمزي محمد عبد الله بن الشيبة",
        "Arabic",
    )
    assert ("aka", "Bin Al Shibh, Ramzi") in _names(entity)
    assert ("weak", "Ramzi Omar") in _names(entity)
    assert Counter(n.kind for n in entity.names) == {"primary": 1, "aka": 11, "weak": 1}
    assert entity.birth_dates == ["1972-05-01", "1973-09-16"]
    assert entity.birth_places == ["Gheil Bawazir, Hadramawt, Yemen", "Khartoum, Sudan"]
    assert [(c.code, c.role) for c in entity.countries] == [("ye", "nationality")]
    [passport] = entity.identifiers
    assert (passport.scheme, passport.value, passport.country) == ("passport", "00085243", "ye")
    assert passport.note == "issued 1997-11-17; issued in Sanaa"
    [designation] = entity.designations
    assert (designation.authority, designation.list, designation.program, designation.listed_on) == (
        "UN",
        "UN Security Council Consolidated List",
        "Al-Qaida",
        "2002-09-30",
    )
    assert designation.legal_basis is not None and "1267 (1999)" in designation.legal_basis
    assert entity.remarks is not None and entity.remarks.startswith(
        "Arrested in Karachi, Pakistan, 30 Sep. 2002."
    )
    assert designation.reason == entity.remarks
    assert entity.properties["dataid"] == ["111943"]
    assert entity.properties["last_updated"][-1] == "2019-12-06"


def test_entity_with_original_script_name(by_ref: dict) -> None:
    entity = by_ref["QDe.004"]
    assert (entity.schema, entity.caption) == ("Organization", "AL-QAIDA")
    assert entity.names[0].given is None and entity.names[0].family is None
    assert (entity.names[1].full, entity.names[1].script) == ("القاعدة", "Arabic")
    assert ("aka", "Al Qaeda") in _names(entity)
    assert {n.quality for n in entity.names[2:]} == {"a.k.a."}


def test_han_alias_and_dprk_family_name_first(by_ref: dict) -> None:
    entity = by_ref["KPi.035"]
    primary = entity.names[0]
    assert (primary.full, primary.family, primary.given) == ("KIM CHOL SAM", "KIM", "CHOL SAM")
    assert ("aka", "Jin Tiesan") in _names(entity)
    [han] = [n for n in entity.names if n.script == "Han"]
    assert (han.full, han.kind, han.quality) == ("金铁三", "aka", "Good")
    company = by_ref["KPe.016"]
    assert ("aka", "朝鲜联合机械贸易会社") in _names(company)


def test_imo_numbers_from_comments(by_ref: dict) -> None:
    [imo] = by_ref["KPe.022"].identifiers  # "IMO Number: 5342883."
    assert (imo.scheme, imo.value, imo.valid) == ("imo", "5342883", True)
    [imo] = by_ref["KPe.066"].identifiers  # "Company Number IMO 5434358."
    assert (imo.scheme, imo.value) == ("imo", "5434358")


def test_aliases_packing_several_spellings(by_ref: dict) -> None:
    assert _names(by_ref["TAi.034"])[3:7] == [
        ("aka", "Akhter Mohmad son of Noor Mohmad"),
        ("aka", "اختر محمد ولد نور محمد"),
        ("aka", "Haji Gulab Gul"),
        ("aka", "حاجی گلاب گل ولد حاجی حضرت گل"),
    ]
    names = _names(by_ref["QDi.398"])
    assert ("weak", "Abu Muhammad Al-Kadari") in names
    assert ("weak", "Абу Мухаммад Аль-Кадари") in names
    assert not any("original script" in full for _, full in names)
    names = _names(by_ref["QDi.306"])
    assert {("aka", "حسن غول"), ("aka", "Hassan Ghul"), ("aka", "Hasan Gul")} <= set(names)
    # Latin spellings listed in the note of an Arabic alias.
    assert ("aka", "Yunis al-Mauritani") in _names(by_ref["QDi.298"])
    # "original script: Ахмад Шишани" in an alias note.
    assert ("aka", "Ахмад Шишани") in _names(by_ref["QDi.365"])


def test_birth_dates_between_approximately_and_notes(by_ref: dict) -> None:
    entity = by_ref["TAi.002"]
    assert entity.birth_dates == [
        "1955",
        "1956",
        "1957",
        "1958",
        "1945",
        "1946",
        "1947",
        "1948",
        "1949",
        "1950",
    ]
    assert entity.properties["birth_date_approximate"] == entity.birth_dates
    entity = by_ref["CDi.001"]
    assert entity.birth_dates == ["1971"]
    assert entity.properties["gender"] == ["male"]
    assert entity.properties["address_note"] == ["Rwanda: as of early 2016"]
    assert [(c.code, c.role) for c in entity.countries] == [("cd", "nationality"), ("rw", "residence")]
    entity = by_ref["LYi.022"]
    assert entity.birth_dates == []
    assert entity.properties["birth_date_note"] == ["30-35 years old"]


def test_documents(by_ref: dict) -> None:
    ids = by_ref["SOi.010"].identifiers
    assert [(i.scheme, i.value, i.country, i.raw) for i in ids] == [
        ("passport", "403062567", "us", "403062567 (US)"),
        ("national_id", "423313021", "us", "Social Security Number 423-31-3021 (US)"),
    ]
    [passport] = by_ref["CFi.006"].identifiers
    assert (passport.value, passport.raw) == ("D00000898", "CAR diplomatic passport no. D00000898")
    assert passport.note == "CAR diplomatic passport; issued 2013-04-11; valid until 10 April 2018"
    [passport] = by_ref["QDi.398"].identifiers
    assert (passport.scheme, passport.value) == ("passport", "8208555627")
    assert [i.note for i in by_ref["KPi.021"].identifiers] == [
        "Expired 29 Dec. 2014",
        "Expired 25 Jan. 2016",
        "Expires 18 Jun. 2018",
    ]


def test_titles_positions_and_addresses(by_ref: dict) -> None:
    entity = by_ref["TAi.034"]
    assert entity.properties["title"] == ["Maulavi", "Mullah"]
    assert entity.properties["position"] == ["Deputy Minister of Foreign Affairs under the Taliban regime"]
    company = by_ref["KPe.066"]
    [address] = company.addresses
    assert (address.street, address.city, address.country) == (
        "Puksong 2-dong, Pyongchon-guyok",
        "Pyongyang",
        "kp",
    )
    assert [(c.code, c.role) for c in company.countries] == [("kp", "country")]


def test_same_file_same_records(fixtures: Path, extract: ParseResult) -> None:
    again = _parse_path(fixtures / EXTRACT)
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in extract.entities]


def test_progress_and_source_override(fixtures: Path) -> None:
    seen: list[int] = []
    result = parse({"main": InputFile.from_path(fixtures / EXTRACT)}, "un-test", seen.append)
    assert seen[-1] == 25
    assert result.entities[0].id == "un-test:CDi.001"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("00085243", ("00085243", "", "")),
        ("CAR diplomatic passport no. D00000898", ("D00000898", "CAR diplomatic passport", "")),
        ("381110042 (Expired 25 Jan. 2016)", ("381110042", "", "Expired 25 Jan. 2016")),
        ("Libya 428720", ("428720", "Libya", "")),
        ("R00012098, South Sudan", ("R00012098", "", "South Sudan")),
        ("Diplomatic Passport: Z30321794", ("Z30321794", "Diplomatic Passport", "")),
        ("Russian passport number 8208 No. 555627", ("8208 555627", "Russian passport", "")),
        ("OB 0243318", ("OB 0243318", "", "")),
    ],
)
def test_split_document_number(raw: str, expected: tuple[str, str, str]) -> None:
    assert split_document_number(raw) == expected


@pytest.mark.parametrize(
    ("doc_type", "detail", "scheme"),
    [
        ("Passport", "", "passport"),
        ("Número de pasaporte", "", "passport"),
        ("National Identification Number", "", "national_id"),
        ("National Identification Number", "Counterfeit Danish driving licence", "other"),
        ("National Identification Number", "Italian Fiscal Code:", "tax_id"),
        ("Passport", "Indonesia travel document", "other"),
        ("", "Ration card number:", "other"),
    ],
)
def test_document_scheme(doc_type: str, detail: str, scheme: str) -> None:
    assert document_scheme(doc_type, detail) == scheme


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Abdul Rehman; Abd Ur-Rehman", ["Abdul Rehman", "Abd Ur-Rehman"]),
        ("General Department of Atomic Energy (GDAE)", ["General Department of Atomic Energy (GDAE)"]),
        ("華信船務(香港)有限公司", ["華信船務(香港)有限公司"]),
        ("Jin Tiesan (金铁三)", ["Jin Tiesan", "金铁三"]),
        (
            "Hay’at Tahrir al-Sham (HTS) (هيئة تحرير الشام (original script); Hayat Tahrir al-Sham)",
            ["Hay’at Tahrir al-Sham (HTS)", "هيئة تحرير الشام", "Hayat Tahrir al-Sham"],
        ),
    ],
)
def test_split_alias(text: str, names: list[str]) -> None:
    assert split_alias(text) == names


# --- the full real file -------------------------------------------------------------------------


def test_full_file_counts(full: ParseResult) -> None:
    assert Counter(e.schema for e in full.entities) == {"Person": 730, "Organization": 273}
    assert full.published_at == "2026-02-27T00:00:09"
    assert full.warnings == []
    assert len({e.id for e in full.entities}) == 1003
    programs = Counter(e.designations[0].program for e in full.entities)
    assert programs["Al-Qaida"] == 341
    assert programs["DPRK"] == 155
    assert programs["Taliban"] == 140
    assert programs["Iran"] == 121
    assert programs["Iraq"] == 75
    assert all(e.designations[0].legal_basis for e in full.entities)
    assert sum(1 for e in full.entities for i in e.identifiers if i.scheme == "imo") == 15
    binalshibh = next(e for e in full.entities if e.id == "un-sc:QDi.081")
    assert binalshibh.birth_dates == ["1972-05-01", "1973-09-16"]


def test_full_file_every_country_resolves(full: ParseResult) -> None:
    assert not any("nationality" in e.properties for e in full.entities)
    assert sum(1 for e in full.entities for c in e.countries if c.role == "nationality") == 652


# --- malformed input ----------------------------------------------------------------------------


def test_cut_xml_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    cut = data[: data.index(b"<REFERENCE_NUMBER>QDi.081")]
    line = cut.count(b"\n") + 1
    path = tmp_path / "consolidated.xml"
    path.write_bytes(cut)
    with pytest.raises(ParseError) as info:
        _parse_path(path)
    assert info.value.file == str(path)
    assert info.value.location is not None and info.value.location.startswith(f"line {line},")
    assert "Premature end of data" in info.value.message


def test_invalid_utf8_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    line = data[: data.index(b"<FIRST_NAME>ERIC</FIRST_NAME>")].count(b"\n") + 1
    broken = data.replace(b"<FIRST_NAME>ERIC</FIRST_NAME>", b"<FIRST_NAME>ER\xffIC</FIRST_NAME>", 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, broken)
    assert info.value.location is not None and info.value.location.startswith(f"line {line},")


def test_missing_reference_number(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    line = data[: data.index(b"<DATAID>6907993</DATAID>")].count(b"\n")  # the <INDIVIDUAL> line
    broken = data.replace(b"<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>", b"", 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, broken)
    assert info.value.location == f"line {line}, element <INDIVIDUAL>"
    assert "without <REFERENCE_NUMBER>" in info.value.message


def test_missing_name(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    line = data[: data.index(b"<DATAID>110403</DATAID>")].count(b"\n")  # IRe.001's <ENTITY> line
    broken = data.replace(b"<FIRST_NAME>7TH OF TIR</FIRST_NAME>", b"<FIRST_NAME> </FIRST_NAME>", 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, broken)
    assert info.value.location == f"line {line}, element <ENTITY>"
    assert "IRe.001" in info.value.message


def test_wrong_root(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"root element is <sdnList>, expected <CONSOLIDATED_LIST>"):
        _parse_bytes(tmp_path, b"<sdnList/>")


# --- detection ----------------------------------------------------------------------------------


def test_sniff_accepts_un_xml(fixtures: Path, lists: Path, tmp_path: Path) -> None:
    kind = sniff(InputFile.from_path(lists / "un_sc" / "consolidated.xml"))
    assert kind is not None and (kind.format, kind.source, kind.role) == ("un-sc-xml", "un-sc", "main")
    path = tmp_path / "un.xml.gz"
    path.write_bytes(gzip.compress((fixtures / EXTRACT).read_bytes()))
    assert sniff(InputFile.from_path(path)) is not None


@pytest.mark.parametrize(
    "relative",
    [
        "ofac_non_sdn/consolidated.xml",
        "ofac_sdn/sdn.csv",
        "ofac_non_sdn/cons_prim.csv",
        "csl/consolidated_watchman_sample.csv",
        "ftm/parteispenden.ftm.json",
        "us_bis/restricted_parties_casslab.json",
        "us_bis/bis_dpl.txt",
        "uk_ofsi/ConList_2020_sample.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
        "eu_fsf/pakote_all_eu_un_ofac.json",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, relative: str) -> None:
    assert sniff(InputFile.from_path(lists / relative)) is None


@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00", b"CONSOLIDATED_LIST", b"<CONSOLIDATED_LIST>", b"<export><x/></export>"]
)
def test_sniff_never_raises_on_junk(data: bytes) -> None:
    assert sniff(InputFile.from_bytes("consolidated.xml", data)) is None


def test_format_is_registered() -> None:
    [fmt] = un_xml.FORMATS
    assert (fmt.name, fmt.roles, fmt.required_roles) == ("un-sc-xml", ("main",), ("main",))
