"""OFAC legacy XML parser: real extract, the full consolidated file, malformed input, detection."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from tamga.countries import country_code
from tamga.sources import ofac_xml
from tamga.sources.base import InputFile, ParseError, ParseResult
from tamga.sources.ofac_xml import linked_to_targets, parse, sniff

EXTRACT = "ofac_xml/consolidated_extract.xml"
EXTRACT_UIDS = [
    "9639", "9641", "9647", "17013", "17017", "17018", "17064", "18669", "23552", "27016",
    "28603", "30926", "30946", "30947", "31695", "32087", "32089", "33114", "46072", "50476",
]  # fmt: skip

# Two SDN entries in the legacy ``http://tempuri.org/sdnList.xsd`` layout, with the values of
# their rows in ofac_sdn/sdn.csv (ent_num 4243, a vessel, and 15431, an aircraft).
SDN_VESSEL_XML = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation>
    <Publish_Date>05/03/2024</Publish_Date>
    <Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>4243</uid>
    <lastName>EBANO</lastName>
    <sdnType>Vessel</sdnType>
    <programList>
      <program>CUBA</program>
    </programList>
    <idList>
      <id>
        <uid>1001</uid>
        <idType>Vessel Registration Identification</idType>
        <idNumber>IMO 7406784</idNumber>
      </id>
    </idList>
    <akaList>
      <aka>
        <uid>1002</uid>
        <type>f.k.a.</type>
        <category>weak</category>
        <lastName>ANA I</lastName>
      </aka>
      <aka>
        <uid>1003</uid>
        <type>f.k.a.</type>
        <category>weak</category>
        <lastName>SAND SWAN</lastName>
      </aka>
    </akaList>
    <vesselInfo>
      <vesselType>General Cargo</vesselType>
      <vesselFlag>Panama</vesselFlag>
      <tonnage>2595</tonnage>
      <grossRegisteredTonnage>1865</grossRegisteredTonnage>
    </vesselInfo>
  </sdnEntry>
  <sdnEntry>
    <uid>15431</uid>
    <lastName>EP-GOM</lastName>
    <sdnType>Aircraft</sdnType>
    <programList>
      <program>SDGT</program>
    </programList>
    <idList>
      <id>
        <uid>1004</uid>
        <idType>Aircraft Construction Number (also called L/N or S/N or F/N)</idType>
        <idNumber>8401</idNumber>
      </id>
      <id>
        <uid>1005</uid>
        <idType>Aircraft Manufacture Date</idType>
        <idNumber>1992</idNumber>
      </id>
      <id>
        <uid>1006</uid>
        <idType>Aircraft Model</idType>
        <idNumber>IL76-TD</idNumber>
      </id>
      <id>
        <uid>1007</uid>
        <idType>Aircraft Operator</idType>
        <idNumber>YAS AIR</idNumber>
      </id>
      <id>
        <uid>1008</uid>
        <idType>Aircraft Manufacturer's Serial Number (MSN)</idType>
        <idNumber>1023409321</idNumber>
      </id>
    </idList>
    <remarks>(Linked To: POUYA AIR)</remarks>
  </sdnEntry>
</sdnList>
"""


def _parse_path(path: Path, source: str = "ofac-cons") -> ParseResult:
    return parse({"main": InputFile.from_path(path)}, source, None)


def _parse_bytes(tmp_path: Path, data: bytes, name: str = "consolidated.xml") -> ParseResult:
    path = tmp_path / name
    path.write_bytes(data)
    return _parse_path(path)


@pytest.fixture(scope="module")
def extract(fixtures: Path) -> ParseResult:
    return _parse_path(fixtures / EXTRACT)


@pytest.fixture(scope="module")
def extract_by_id(extract: ParseResult) -> dict:
    return {e.id: e for e in extract.entities}


@pytest.fixture(scope="module")
def full(lists: Path) -> ParseResult:
    country_code("warm up the territory table")  # one-off cost of rigour, not of the parser
    return _parse_path(lists / "ofac_non_sdn" / "consolidated.xml")


# --- the real extract -------------------------------------------------------------------------


def test_extract_entities_in_file_order(extract: ParseResult) -> None:
    assert [e.id for e in extract.entities] == [f"ofac-cons:{uid}" for uid in EXTRACT_UIDS]
    assert extract.source == "ofac-cons"
    assert extract.published_at == "2026-01-08"
    assert extract.warnings == []


def test_source_override_prefixes_ids(fixtures: Path) -> None:
    result = _parse_path(fixtures / EXTRACT, source="ofac-test")
    assert result.entities[0].id == "ofac-test:9639"
    assert result.entities[0].designations[0].list == "NS-PLC"


def test_hikvision_cmic_record(extract_by_id: dict) -> None:
    entity = extract_by_id["ofac-cons:30946"]
    assert entity.schema == "Organization"
    assert entity.caption == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."
    assert [(n.kind, n.full) for n in entity.names[1:]] == [
        ("aka", "HIKVISION"),
        ("aka", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY"),
    ]
    ids = {i.scheme: i for i in entity.identifiers}
    assert ids["isin"].value == "CNE100000PM8"
    assert ids["isin"].valid is True
    assert (ids["ticker"].value, ids["ticker"].raw) == ("002415CN", "002415 CN")
    assert (ids["uscc"].value, ids["uscc"].country) == ("91330000733796106P", "cn")
    [designation] = entity.designations
    assert (designation.authority, designation.list, designation.program) == (
        "US-OFAC",
        "NS-CMIC",
        "CMIC-EO13959",
    )
    assert designation.listed_on == "2021-06-03"
    assert entity.properties["issuer_name"] == ["Hangzhou Hikvision Digital Technology"]
    assert entity.properties["target_type"] == ["Public Company"]
    # The same keys as the CSV parser gives the same remarks items.
    assert entity.properties["cmic_listing_date"] == ["2021-06-03"]
    assert entity.properties["cmic_effective_date"] == ["2021-08-02"]
    assert entity.properties["cmic_divestment_date"] == ["2022-06-03"]
    [address] = entity.addresses
    assert (address.street, address.city, address.postal_code, address.country) == (
        "555, Qianmo Road, Binjiang District",
        "Hangzhou",
        "310051",
        "cn",
    )


def test_person_names_facts_and_remarks(extract_by_id: dict) -> None:
    entity = extract_by_id["ofac-cons:9647"]
    assert entity.schema == "Person"
    primary = entity.names[0]
    assert (primary.full, primary.family, primary.given) == (
        "ZAHHAR, Mahmoud Khaled",
        "ZAHHAR",
        "Mahmoud Khaled",
    )
    assert [(n.kind, n.full, n.family, n.given) for n in entity.names[1:]] == [
        ("aka", "AL ZAHAR, Mahmoud Khaled", "AL ZAHAR", "Mahmoud Khaled"),
        ("weak", "ZAHAR, Mahmoud", "ZAHAR", "Mahmoud"),
        ("weak", "AL-ZAHAR, Mahmoud", "AL-ZAHAR", "Mahmoud"),
    ]
    assert entity.birth_dates == ["1945"]
    assert entity.birth_places == ["Gaza Strip"]
    assert ("ps", "nationality") in [(c.code, c.role) for c in entity.countries]
    assert entity.properties["gender"] == ["male"]
    assert [d.program for d in entity.designations] == ["NS-PLC", "SDGT"]
    assert {d.list for d in entity.designations} == {"NS-PLC"}
    assert entity.remarks == "(Linked To: HAMAS)"
    [relation] = entity.relations
    assert (relation.kind, relation.target_name, relation.target_id) == ("linked_to", "HAMAS", None)


def test_fka_and_weak_aliases_of_a_bank(extract_by_id: dict) -> None:
    entity = extract_by_id["ofac-cons:17013"]
    kinds = Counter(n.kind for n in entity.names)
    assert kinds == {"primary": 1, "aka": 6, "fka": 21, "weak": 1}
    assert ("weak", "JSC VTB BANK NEW DELHI BRANCH") in [(n.kind, n.full) for n in entity.names]
    bik = [i for i in entity.identifiers if i.note == "BIK"]
    assert [(i.scheme, i.value) for i in bik] == [("other", "044030707"), ("other", "044525187")]


def test_linked_to_gets_target_id_when_the_target_is_in_the_file(extract_by_id: dict) -> None:
    [relation] = extract_by_id["ofac-cons:18669"].relations
    assert relation.target_name == "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"
    assert relation.target_id == "ofac-cons:17018"
    # SURGUTNEFTEGAS is not in the extract: the name stays, no id is invented.
    [relation] = extract_by_id["ofac-cons:23552"].relations
    assert (relation.target_name, relation.target_id) == ("SURGUTNEFTEGAS", None)


def test_listing_date_goes_to_the_designation_it_names(extract_by_id: dict) -> None:
    by_program = {d.program: d for d in extract_by_id["ofac-cons:18669"].designations}
    assert by_program["RUSSIA-EO14024"].listed_on == "2022-02-24"
    assert by_program["UKRAINE-EO13662"].listed_on is None
    [burma] = extract_by_id["ofac-cons:46072"].designations
    assert (burma.program, burma.listed_on) == ("BURMA-EO14014", "2023-10-31")


def test_russian_register_numbers(extract_by_id: dict) -> None:
    entity = extract_by_id["ofac-cons:17064"]
    ids = {(i.scheme, i.value): i for i in entity.identifiers}
    # "1026303117642 (Russia)" without idCountry: the country comes out of the brackets.
    assert ids[("ogrn", "1026303117642")].country == "ru"
    assert ("okpo", "33556474") in ids
    entity = extract_by_id["ofac-cons:23552"]
    assert {(i.scheme, i.value) for i in entity.identifiers} >= {
        ("ogrn", "1057803105755"),
        ("inn", "7810327462"),
    }
    # "Nationality of Registration" is stored as the CSV parser stores it.
    assert entity.properties["flag"] == ["ru"]


def test_rare_id_types_and_residence(extract_by_id: dict) -> None:
    entity = extract_by_id["ofac-cons:50476"]
    ids = {i.scheme: i for i in entity.identifiers}
    assert (ids["national_id"].value, ids["national_id"].country) == ("0032768386", "ht")
    assert (ids["other"].value, ids["other"].note, ids["other"].country) == (
        "M634550610520",
        "driver's license",
        "us",
    )
    assert entity.birth_dates == ["1961-02-12"]
    [first, *_] = entity.properties["executive_order_information"]
    assert len(entity.properties["executive_order_information"]) == 3
    assert first.startswith("Executive Order 14059 information: Prohibition on any transactions")
    roles = {(c.code, c.role) for c in entity.countries}
    assert roles == {("us", "residence"), ("ht", "residence"), ("do", "residence"), ("ht", "nationality")}


def test_published_invalid_isin_is_kept_and_flagged(extract_by_id: dict) -> None:
    [isin] = [i for i in extract_by_id["ofac-cons:30926"].identifiers if i.value == "BRC1EODR004"]
    assert (isin.scheme, isin.valid) == ("isin", False)


def test_same_file_same_records(fixtures: Path, extract: ParseResult) -> None:
    again = _parse_path(fixtures / EXTRACT)
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in extract.entities]


def test_progress_reports_the_final_count(fixtures: Path) -> None:
    seen: list[int] = []
    parse({"main": InputFile.from_path(fixtures / EXTRACT)}, "ofac-cons", seen.append)
    assert seen[-1] == 20


def test_gzip_copy_parses_the_same(fixtures: Path, tmp_path: Path, extract: ParseResult) -> None:
    path = tmp_path / "consolidated.xml.gz"
    path.write_bytes(gzip.compress((fixtures / EXTRACT).read_bytes()))
    result = _parse_path(path)
    assert [e.to_dict() for e in result.entities] == [e.to_dict() for e in extract.entities]


# --- SDN layout: vessels, aircraft, legacy namespace --------------------------------------------


def test_sdn_vessel_and_aircraft_in_legacy_namespace(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(SDN_VESSEL_XML, encoding="utf-8")
    kind = sniff(InputFile.from_path(path))
    assert kind is not None and (kind.format, kind.source) == ("ofac-xml", "ofac-sdn")
    result = _parse_path(path, source=kind.source)
    assert result.published_at == "2024-05-03"
    vessel, aircraft = result.entities
    assert (vessel.id, vessel.schema, vessel.caption) == ("ofac-sdn:4243", "Vessel", "EBANO")
    [imo] = vessel.identifiers
    assert (imo.scheme, imo.value, imo.valid) == ("imo", "7406784", True)
    assert [(n.kind, n.full) for n in vessel.names[1:]] == [("weak", "ANA I"), ("weak", "SAND SWAN")]
    assert vessel.properties["vessel_type"] == ["General Cargo"]
    assert vessel.properties["flag"] == ["pa"]
    assert vessel.properties["tonnage"] == ["2595"]
    assert vessel.properties["gross_registered_tonnage"] == ["1865"]
    assert [(c.code, c.role) for c in vessel.countries] == [("pa", "jurisdiction")]
    assert [(d.list, d.program) for d in vessel.designations] == [("SDN", "CUBA")]

    assert (aircraft.id, aircraft.schema) == ("ofac-sdn:15431", "Aircraft")
    assert {(i.scheme, i.value, i.note) for i in aircraft.identifiers} == {
        ("other", "8401", "aircraft construction number"),
        ("aircraft_serial", "1023409321", None),
    }
    assert aircraft.properties["aircraft_model"] == ["IL76-TD"]
    assert aircraft.properties["operator"] == ["YAS AIR"]
    assert aircraft.properties["build_date"] == ["1992"]
    assert [(r.kind, r.target_name) for r in aircraft.relations] == [("linked_to", "POUYA AIR")]


@pytest.mark.parametrize(
    ("remarks", "targets"),
    [
        ("(Linked To: HUAWEI TECHNOLOGIES CO., LTD.)", ["HUAWEI TECHNOLOGIES CO., LTD."]),
        (
            "All offices worldwide; (Linked To: STATE CORPORATION BANK VNESHECONOMBANK)",
            ["STATE CORPORATION BANK VNESHECONOMBANK"],
        ),
        (
            "Vessel Registration Identification IMO 9187629; Linked To: NATIONAL IRANIAN TANKER COMPANY.",
            ["NATIONAL IRANIAN TANKER COMPANY"],
        ),
        (
            "(Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE; Linked To: MAHAN AIR)",
            ["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE", "MAHAN AIR"],
        ),
        ("HAMAS - Gaza", []),
    ],
)
def test_linked_to_targets(remarks: str, targets: list[str]) -> None:
    assert linked_to_targets(remarks) == targets


def test_quoted_akas_in_remarks_become_weak_names(tmp_path: Path) -> None:
    # Remarks text of ent_num 3754 in ofac_sdn/sdn.csv.
    remarks = (
        "Political Leader in Amman, Jordan and Damascus, Syria for HAMAS; a.k.a. 'ABU-'UMAR'; "
        "f.k.a. 'SAND SWAN'."
    )
    xml = SDN_VESSEL_XML.replace("<remarks>(Linked To: POUYA AIR)</remarks>", f"<remarks>{remarks}</remarks>")
    result = _parse_bytes(tmp_path, xml.encode(), name="sdn.xml")
    aircraft = result.entities[1]
    assert [(n.kind, n.full) for n in aircraft.names[1:]] == [("weak", "ABU-'UMAR"), ("weak", "SAND SWAN")]
    assert aircraft.remarks == remarks


# --- the full real file -------------------------------------------------------------------------


def test_full_file_counts(full: ParseResult) -> None:
    assert len(full.entities) == 442
    assert full.published_at == "2026-01-08"
    assert full.warnings == []
    assert Counter(e.schema for e in full.entities) == {"Organization": 363, "Person": 79}
    assert len({e.id for e in full.entities}) == 442
    # entities on each list: a tag that names a list (UKRAINE-EO13662 -> SSI) puts the entry on it
    assert Counter(lst for e in full.entities for lst in {d.list for d in e.designations}) == {
        "SSI": 286,
        "NS-MBS": 93,
        "NS-PLC": 78,
        "NS-CMIC": 68,
        "Non-SDN": 3,
        "CAPTA": 1,
    }
    # 165 ISIN items, two of them repeated within their entry.
    assert sum(1 for e in full.entities for i in e.identifiers if i.scheme == "isin") == 163


def test_full_file_hikvision(full: ParseResult) -> None:
    entity = next(e for e in full.entities if e.id == "ofac-cons:30946")
    assert [i.value for i in entity.identifiers if i.scheme == "isin"] == ["CNE100000PM8"]
    assert [(d.list, d.program) for d in entity.designations] == [("NS-CMIC", "CMIC-EO13959")]


def test_full_file_agrees_with_the_csv(full: ParseResult, lists: Path) -> None:
    """cons_prim.csv is the same list in OFAC's CSV layout: same ids, schemas, names and programs."""
    schema_of = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft", "-0-": "Organization"}
    by_uid = {e.id.split(":", 1)[1]: e for e in full.entities}
    rows = 0
    with open(lists / "ofac_non_sdn" / "cons_prim.csv", encoding="latin-1", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) < 12:
                continue
            rows += 1
            entity = by_uid[row[0]]
            assert entity.schema == schema_of[row[2].strip()], row[0]
            assert entity.caption == row[1], row[0]
            assert sorted(d.program for d in entity.designations) == sorted(ofac_xml_programs(row[3])), row[0]
    assert rows == 442


def ofac_xml_programs(text: str) -> list[str]:
    return [p.strip(" []") for p in text.split("] [")]


# --- malformed input ----------------------------------------------------------------------------


def test_cut_xml_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / EXTRACT).read_bytes().split(b"\n")
    path = tmp_path / "consolidated.xml"
    path.write_bytes(b"\n".join(lines[:100]))
    with pytest.raises(ParseError) as info:
        _parse_path(path)
    assert info.value.file == str(path)
    assert info.value.location == "line 100, column 31"
    assert "Premature end of data" in info.value.message


def test_invalid_utf8_names_the_line(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    assert b"<lastName>HANIYA</lastName>" in data.split(b"\n")[9]
    broken = data.replace(b"<lastName>HANIYA</lastName>", b"<lastName>HAN\xffIYA</lastName>", 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, broken)
    assert info.value.location == "line 10, column 18"
    assert info.value.message == "invalid UTF-8 byte 0xff"


def test_missing_uid_names_the_entry(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes()
    line = data[: data.index(b"<uid>9641</uid>")].count(b"\n")  # the <sdnEntry> line just above
    data = data.replace(b"<uid>9641</uid>", b"", 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, data)
    assert info.value.location == f"line {line}, element <sdnEntry>"
    assert "without <uid>" in info.value.message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"<sdnType>Individual</sdnType>", b"<sdnType>Planet</sdnType>", "unknown sdnType 'Planet'"),
        (b"<sdnType>Individual</sdnType>", b"", "without <sdnType>"),
        (b"<lastName>HANIYA</lastName>", b"", "without <lastName>"),
    ],
)
def test_missing_or_bad_required_fields(
    fixtures: Path, tmp_path: Path, old: bytes, new: bytes, message: str
) -> None:
    data = (fixtures / EXTRACT).read_bytes().replace(old, new, 1)
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, data)
    assert info.value.location == "line 7, element <sdnEntry>"
    assert message in info.value.message


def test_wrong_root_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match=r"root element is <CONSOLIDATED_LIST>"):
        _parse_bytes(tmp_path, b"<?xml version='1.0'?>\n<CONSOLIDATED_LIST/>")
    with pytest.raises(ParseError) as info:
        _parse_bytes(tmp_path, b"")
    assert info.value.location == "line 1"
    with pytest.raises(ParseError, match="cannot read file"):
        _parse_path(tmp_path / "absent.xml")


def test_truncated_gzip_is_a_parse_error(fixtures: Path, tmp_path: Path) -> None:
    packed = gzip.compress((fixtures / EXTRACT).read_bytes())
    path = tmp_path / "consolidated.xml.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ParseError):
        _parse_path(path)


def test_record_count_mismatch_is_a_warning(fixtures: Path, tmp_path: Path) -> None:
    data = (fixtures / EXTRACT).read_bytes().replace(b"<Record_Count>20<", b"<Record_Count>442<", 1)
    result = _parse_bytes(tmp_path, data)
    assert len(result.entities) == 20
    assert result.warnings == ["Record_Count says 442 entries, the file holds 20"]


# --- detection ----------------------------------------------------------------------------------


def test_sniff_accepts_ofac_xml(fixtures: Path, lists: Path, tmp_path: Path) -> None:
    kind = sniff(InputFile.from_path(lists / "ofac_non_sdn" / "consolidated.xml"))
    assert kind is not None and (kind.format, kind.source, kind.role) == ("ofac-xml", "ofac-cons", "main")
    data = (fixtures / EXTRACT).read_bytes()
    assert sniff(InputFile.from_bytes("SDN.XML", data)).source == "ofac-sdn"
    assert sniff(InputFile.from_bytes("consolidated.xml", b"\xef\xbb\xbf" + data)).source == "ofac-cons"
    path = tmp_path / "sdn.xml.gz"
    path.write_bytes(gzip.compress(data))
    assert sniff(InputFile.from_path(path)).source == "ofac-sdn"
    bare = b'<?xml version="1.0"?>\n<!-- comment -->\n<sdnList><sdnEntry/></sdnList>'
    assert sniff(InputFile.from_bytes("list.xml", bare)) is not None


@pytest.mark.parametrize(
    "relative",
    [
        "un_sc/consolidated.xml",
        "ofac_sdn/sdn.csv",
        "ofac_non_sdn/cons_prim.csv",
        "ofac_non_sdn/cons_alt.csv",
        "csl/consolidated_watchman_sample.csv",
        "ftm/zala.ftm.json",
        "us_bis/restricted_parties_casslab.json",
        "us_bis/bis_dpl.txt",
        "uk_ofsi/ConList_2020_sample.csv",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "eu_fsf/eu_oj_opensanctions/consolidated/32020R1998.csv",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, relative: str) -> None:
    assert sniff(InputFile.from_path(lists / relative)) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe\x1f\x8b",
        b"\x1f\x8b\x08\x00broken",
        b"<html><body/></html>",
        b"sdnList",
        b"<" * 70000,
    ],
)
def test_sniff_never_raises_on_junk(data: bytes) -> None:
    assert sniff(InputFile.from_bytes("sdn.xml", data)) is None


def test_format_is_registered() -> None:
    [fmt] = ofac_xml.FORMATS
    assert (fmt.name, fmt.roles, fmt.required_roles) == ("ofac-xml", ("main",), ("main",))


def test_id_types_outside_the_shared_table(tmp_path: Path) -> None:
    extra = """
      <id><uid>1009</uid><idType>MICEX Code</idType><idNumber>VTBR</idNumber></id>
      <id><uid>1010</uid><idType>Previous Aircraft Tail Number</idType><idNumber>EP-ABC</idNumber></id>
      <id><uid>1011</uid><idType>Mystery Register No.</idType><idNumber>X-17 (Iran)</idNumber></id>
      <id><uid>1012</uid><idType>Designation Date (XYZ):</idType><idNumber>05 Mar 2024</idNumber></id>
    </idList>"""
    xml = SDN_VESSEL_XML.replace("</idList>\n    <remarks>", extra + "\n    <remarks>", 1)
    aircraft = _parse_bytes(tmp_path, xml.encode(), name="sdn.xml").entities[1]
    ids = {(i.scheme, i.value, i.country, i.note) for i in aircraft.identifiers}
    assert ("ticker", "VTBR", None, "MICEX code") in ids
    assert ("aircraft_tail", "EPABC", None, "previous") in ids
    assert ("other", "X-17", "ir", "Mystery Register No.") in ids
    assert aircraft.properties["designation_date_xyz"] == ["2024-03-05"]


def test_full_file_identifiers_equal_the_csv_sets(full: ParseResult, lists: Path) -> None:
    """The XML and the CSV set of the same list give the same identifiers for every entry."""
    from tamga.sources import ofac_csv

    folder = lists / "ofac_non_sdn"
    files = {}
    for name in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"):
        file = InputFile.from_path(folder / name)
        kind = ofac_csv.sniff(file)
        assert kind is not None
        files[kind.role] = file
    from_csv = {e.id: e for e in ofac_csv.parse(files, "ofac-cons", None).entities}
    for entity in full.entities:
        other = from_csv[entity.id]
        mine = {(i.scheme, i.value, i.country) for i in entity.identifiers}
        assert mine == {(i.scheme, i.value, i.country) for i in other.identifiers}, entity.id
        assert entity.names[0] == other.names[0], entity.id
