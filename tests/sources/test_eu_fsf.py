"""Tests for the EU Financial Sanctions File (FSF) parser.

``fsf_extract.xml`` holds real FSF records copied from public repositories and records rebuilt in
the FSF 1.1 schema from the derived EU data in ``shared/data/lists/eu_fsf`` (see the README
beside it). No raw FSF file is available in full, so the full-size test rebuilds one from the
derived ``pakote_all_eu_un_ofac.json`` (5,795 EU records) and parses that.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tamga.model import Address, Country, Designation, Identifier, Name
from tamga.sources import eu_fsf
from tamga.sources.base import InputFile, ParseError

NS = "http://eu.europa.ec/fpi/fsd/export"
GHR = Designation(
    authority="EU",
    list="EU Consolidated Financial Sanctions List",
    program="GHR",
    listed_on="2021-03-22",
    legal_basis="2021/478 (OJ L99I)",
    source_url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32021R0478",
)


@pytest.fixture(scope="module")
def extract(fixtures: Path) -> Path:
    return fixtures / "eu_fsf" / "fsf_extract.xml"


@pytest.fixture(scope="module")
def parsed(extract: Path):
    return eu_fsf.parse({"main": InputFile.from_path(extract)}, "eu-fsf", None)


@pytest.fixture(scope="module")
def by_id(parsed):
    return {e.id: e for e in parsed.entities}


# --- the extract, record by record ---------------------------------------------------------------


def test_extract_counts_order_and_date(parsed):
    assert parsed.source == "eu-fsf"
    assert parsed.published_at == "2026-08-05T16:47:04"
    assert parsed.warnings == []
    assert [e.id for e in parsed.entities] == [
        "eu-fsf:1",
        "eu-fsf:13",
        "eu-fsf:207",
        "eu-fsf:2325",
        "eu-fsf:5357",
        "eu-fsf:5815",
        "eu-fsf:107840",
        "eu-fsf:126887",
        "eu-fsf:128226",
        "eu-fsf:128231",
        "eu-fsf:128236",
        "eu-fsf:128241",
        "eu-fsf:128246",
        "eu-fsf:128296",
        "eu-fsf:147499",
        "eu-fsf:175208",
        "eu-fsf:176852",
    ]
    schemas = [e.schema for e in parsed.entities]
    assert schemas.count("Person") == 9
    assert schemas.count("Organization") == 7
    assert schemas.count("Vessel") == 1


def test_zhu_hailun_cjk_primary(by_id):
    e = by_id["eu-fsf:128226"]
    assert e.schema == "Person"
    assert e.names == [
        Name(full="朱海仑", kind="primary", script="Han", lang="zh"),
        Name(full="ZHU Hailun", kind="aka", script="Latin", given="Hailun", family="ZHU"),
    ]
    assert e.caption == "朱海仑"
    assert e.birth_dates == ["1958-01"]
    assert e.birth_places == ["Lianshui, Jiangsu, CHINA"]
    assert e.countries == [Country("cn", "citizenship")]
    assert e.designations == [GHR]
    assert e.properties == {
        "position": [
            "Member of the 13th National People’s Congress of the People’s Republic of China "
            "(in session from 2018 to 2023) representing the Xinjiang Uyghur Autonomous Region (XUAR)"
        ],
        "gender": ["male"],
    }
    assert e.identifiers == [] and e.addresses == [] and e.remarks is None


def test_wang_mingshan_and_chen_mingguo(by_id):
    wang = by_id["eu-fsf:128236"]
    assert [(n.full, n.kind) for n in wang.names] == [("Mingshan WANG", "primary"), ("王明山", "aka")]
    assert wang.birth_dates == ["1964-01"]
    assert wang.addresses == [
        Address(full="Urumqi, Xinjiang, CHINA", city="Urumqi", region="Xinjiang", country="cn")
    ]
    assert wang.countries == [Country("cn", "citizenship"), Country("cn", "country")]
    assert wang.designations == [GHR]
    chen = by_id["eu-fsf:128241"]
    assert [(n.full, n.kind, n.family) for n in chen.names] == [
        ("陈明国", "primary", None),
        ("Mingguo CHEN", "aka", "CHEN"),
    ]
    assert chen.birth_dates == ["1966-10"]
    assert chen.birth_places == ["Yilong, Sichuan, CHINA"]


def test_xpcc_public_security_bureau(by_id):
    e = by_id["eu-fsf:128296"]
    assert e.schema == "Organization"
    assert e.caption == "Xinjiang Production and Construction Corps Public Security Bureau"
    assert len(e.names) == 18
    assert e.names[1] == Name(full="新疆生产建设兵团公安局", kind="aka", script="Han", lang="zh")
    assert {n.kind for n in e.names[1:]} == {"aka"}
    assert [n.lang for n in e.names[:4]] == [None, "zh", "it", "et"]
    assert e.designations == [GHR]
    assert e.properties == {}


def test_korean_primary_and_name_parts(by_id):
    e = by_id["eu-fsf:128246"]
    assert e.names[0] == Name(full="정경택", kind="primary", script="Hangul", lang="ko")
    assert e.names[3] == Name(
        full="Kjong-thä ČONG", kind="aka", script="Latin", given="Kjong-thä", family="ČONG", lang="cs"
    )
    assert e.countries == [Country("kp", "citizenship")]
    assert e.birth_dates == []


def test_mugabe_real_record(by_id):
    e = by_id["eu-fsf:1"]
    assert e.names == [
        Name(
            full="Robert Gabriel Mugabe",
            kind="primary",
            script="Latin",
            given="Robert",
            middle="Gabriel",
            family="Mugabe",
        )
    ]
    assert e.birth_dates == ["1924-02-21"]
    assert e.birth_places == []  # the FSF writes UNKNOWN
    assert e.identifiers == [
        Identifier(
            scheme="passport",
            value="AD001095",
            country=None,
            raw="AD001095",
            note="National passport; (passport)",
            valid=None,
        )
    ]
    assert e.designations == [
        Designation(
            authority="EU",
            list="EU Consolidated Financial Sanctions List",
            program="ZWE",
            listed_on="2018-02-16",
            legal_basis="2018/223 (OJ L43)",
            source_url="http://eur-lex.europa.eu/legal-content/EN/TXT/PDF/?uri=CELEX:32018R0223&from=EN",
        )
    ]
    assert e.properties == {
        "eu_reference_number": ["EU.36.64"],
        "position": ["Former President"],
        "gender": ["male"],
    }


def test_saddam_hussein_real_record(by_id):
    e = by_id["eu-fsf:13"]
    assert [(n.full, n.kind, n.lang) for n in e.names] == [
        ("Saddam Hussein Al-Tikriti", "primary", None),
        ("Abu Ali", "aka", None),
        ("Abou Ali", "aka", "fr"),
    ]
    assert e.names[0].given == "Saddam" and e.names[0].family == "Hussein Al-Tikriti"
    assert e.remarks == "UNSC RESOLUTION 1483"
    assert e.birth_dates == ["1937-04-28"]
    assert e.birth_places == ["al-Awja, near Tikrit, IRAQ"]
    assert e.countries == [Country("iq", "citizenship")]
    # entryIntoForceDate (07-07) is earlier than publicationDate (07-08) and wins
    assert e.designations[0].listed_on == "2003-07-07"
    assert e.designations[0].program == "IRQ"
    assert e.designations[0].legal_basis == "1210/2003 (OJ L169)"


def test_multilingual_organisation(by_id):
    e = by_id["eu-fsf:207"]
    assert e.schema == "Organization"
    assert len(e.names) == 19
    assert e.names[0] == Name(full="İslami Büyük Doğu Akıncılar Cephesi", kind="primary", script="Latin")
    assert ("IBDA-C", "aka", None) in [(n.full, n.kind, n.lang) for n in e.names]
    assert ("Μέγα Ισλαµικό Μέτωπο των Πολεµιστών της Ανατολής", "Greek", "el") in [
        (n.full, n.script, n.lang) for n in e.names
    ]
    assert e.designations[0].program == "TERR"
    assert e.designations[0].listed_on == "2018-03-23"
    assert e.properties == {"eu_reference_number": ["EU.3523.13"]}


def test_weak_alias_first_is_not_primary(by_id):
    e = by_id["eu-fsf:5357"]
    assert e.names == [
        Name(full="Talha", kind="weak", script="Latin", quality="low"),
        Name(full="Adem Yilmaz", kind="primary", script="Latin", given="Adem", family="Yilmaz"),
    ]
    assert e.caption == "Adem Yilmaz"
    assert e.identifiers == [
        Identifier(
            scheme="passport",
            value="TRP614166",
            country="tr",
            raw="TR- P 614166",
            note="National passport; issued on 22.3.2006, expired on 15.9.2009; "
            "issued by Turkish Consulate General in Frankfurt/Main; expired",
            valid=None,
        )
    ]
    assert e.countries == [Country("tr", "citizenship"), Country("de", "country")]
    assert e.addresses == [
        Address(
            full="Südliche Ringstrasse 133, Langen, 63225, GERMANY",
            street="Südliche Ringstrasse 133",
            city="Langen",
            postal_code="63225",
            country="de",
        )
    ]
    assert e.remarks == (
        "Associated with the Islamic Jihad Union (IJU), also known as the Islamic Jihad Group.\n"
        "Deported from Germany to Türkiye in February 2019."
    )
    assert e.properties == {
        "un_reference_number": ["QDi.261"],
        "gender": ["male"],
        "address_remark": ["previous address"],
    }
    assert e.designations[0].listed_on == "2008-10-27"  # designationDate: the regulation has no date


def test_identifier_schemes(by_id):
    lubiri = by_id["eu-fsf:2325"]
    assert [(i.scheme, i.value, i.country, i.raw) for i in lubiri.identifiers] == [
        ("passport", "M788439", "tn", "M788439"),
        ("tax_id", "LBRHBB61S17Z352F", "it", "LBR HBB 61S17 Z352F"),
        ("other", "01817002", None, "01817002"),
    ]
    assert lubiri.identifiers[2].note == "Other identification number"
    assert lubiri.addresses[1] == Address(full="AFGHANISTAN", country="af")
    bank = by_id["eu-fsf:5815"]
    assert bank.identifiers == [Identifier(scheme="swift", value="KDBKKPPY", raw="KDBKKPPY", valid=True)]
    assert bank.properties == {"un_reference_number": ["KPe.035"]}
    institute = by_id["eu-fsf:176852"]
    assert [(i.scheme, i.value, i.country) for i in institute.identifiers] == [
        ("other", "701701001", "ru"),
        ("tax_id", "7017084932", "ru"),
        ("registration", "1037000170690", "ru"),
    ]
    assert institute.designations[0].program == "UKR"
    assert institute.designations[0].listed_on == "2025-07-19"


def test_imo_company_number_stays_organisation(by_id):
    company = by_id["eu-fsf:107840"]
    assert company.schema == "Organization"
    assert company.identifiers == [
        Identifier(scheme="imo", value="5342883", raw="5342883", note="IMO company number", valid=True)
    ]
    arabic = by_id["eu-fsf:175208"]
    assert arabic.schema == "Organization"
    assert arabic.names[0].script == "Arabic" and arabic.names[0].kind == "primary"
    assert ("imo", "0011359", "IMO company number") in [
        (i.scheme, i.value, i.note) for i in arabic.identifiers
    ]


def test_ship_imo_number_makes_a_vessel(by_id):
    ship = by_id["eu-fsf:147499"]
    assert ship.schema == "Vessel"
    assert ship.identifiers == [Identifier(scheme="imo", value="8514306", raw="8514306", valid=True)]
    assert ship.designations[0].program == "PRK"
    assert ship.designations[0].listed_on == "2022-12-12"


def test_contact_info_and_two_addresses(by_id):
    e = by_id["eu-fsf:126887"]
    assert e.properties == {
        "phone": ["+375 (17) 240-36-50"],
        "email": ["yuriy.serbenkov@synesis.by"],
        "website": ["https://synesis.partners", "https://synesis-group.com/"],
    }
    assert [a.full for a in e.addresses] == [
        "Platonova 20B, Minsk, 220005, BELARUS",
        "Mantulinskaya 24, Moscow, 123100, RUSSIAN FEDERATION",
    ]
    assert e.names[1] == Name(full='ООО "Синезис"', kind="aka", script="Cyrillic", lang="ru")
    assert [(i.scheme, i.value, i.raw) for i in e.identifiers] == [
        ("registration", "190950894", "190950894"),
        ("registration", "7704734000770301001", "7704734000/ 770301001"),
    ]


def test_deterministic_and_gzip(extract: Path, parsed, tmp_path: Path):
    again = eu_fsf.parse({"main": InputFile.from_path(extract)}, "eu-fsf", None)
    assert [e.content_hash() for e in again.entities] == [e.content_hash() for e in parsed.entities]
    gz = tmp_path / "fsf.xml.gz"
    gz.write_bytes(gzip.compress(extract.read_bytes()))
    zipped = eu_fsf.parse({"main": InputFile.from_path(gz)}, "eu-fsf", None)
    assert [e.to_dict() for e in zipped.entities] == [e.to_dict() for e in parsed.entities]


def test_source_override_and_progress(extract: Path):
    seen: list[int] = []
    result = eu_fsf.parse({"main": InputFile.from_path(extract)}, "eu-test", seen.append)
    assert result.entities[0].id == "eu-test:1"
    assert seen[-1] == 17


# --- designations from several regulations ------------------------------------------------------


def _doc(
    body: str, root: str = f'export xmlns="{NS}" generationDate="2025-01-02T03:04:05.678+01:00"'
) -> bytes:
    tag = root.split()[0]
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n{body}\n</{tag}>\n'.encode()


def _parse_bytes(data: bytes, name: str = "fsf.xml"):
    return eu_fsf.parse({"main": InputFile.from_bytes(name, data)}, "eu-fsf", None)


def test_regulations_grouped_by_programme():
    body = """<sanctionEntity logicalId="9" designationDetails="listed for X">
  <regulation publicationDate="2023-05-02" entryIntoForceDate=""
    numberTitle="2023/900 (OJ L1)" programme="RUS">
    <publicationUrl>https://example.test/2023</publicationUrl></regulation>
  <regulation publicationDate="2022-03-15" entryIntoForceDate="2022-03-16"
    numberTitle="2022/400 (OJ L2)" programme="RUS">
    <publicationUrl>https://example.test/2022</publicationUrl></regulation>
  <regulation publicationDate="2024-01-01" numberTitle="2024/1 (OJ L3)" programme="BLR"/>
  <subjectType code="enterprise" classificationCode="E"/>
  <nameAlias wholeName="Example Trading LLC" strong="true"/>
</sanctionEntity>"""
    entity = _parse_bytes(_doc(body)).entities[0]
    assert entity.designations == [
        Designation(
            authority="EU",
            list="EU Consolidated Financial Sanctions List",
            program="RUS",
            listed_on="2022-03-16",
            legal_basis="2023/900 (OJ L1); 2022/400 (OJ L2)",
            reason="listed for X",
            source_url="https://example.test/2022",
        ),
        Designation(
            authority="EU",
            list="EU Consolidated Financial Sanctions List",
            program="BLR",
            listed_on="2024-01-01",
            legal_basis="2024/1 (OJ L3)",
            reason="listed for X",
        ),
    ]


def test_missing_subject_type_warns():
    body = (
        '<sanctionEntity logicalId="5"><nameAlias wholeName="Someone"/>'
        '<birthdate year="1970"/></sanctionEntity>'
    )
    result = _parse_bytes(_doc(body))
    assert result.entities[0].schema == "Person"
    assert result.entities[0].birth_dates == ["1970"]
    assert result.entities[0].designations == [
        Designation(authority="EU", list="EU Consolidated Financial Sanctions List")
    ]
    assert result.warnings == [
        "fsf.xml: line 3, element <sanctionEntity>: no known subjectType for eu-fsf:5, read as Person"
    ]


def test_no_namespace_and_empty_file():
    body = (
        '<sanctionEntity logicalId="7"><subjectType code="person" classificationCode="P"/></sanctionEntity>'
    )
    result = _parse_bytes(_doc(body, root='export generationDate="2020-01-01T00:00:00"'))
    assert [e.id for e in result.entities] == ["eu-fsf:7"]
    assert result.published_at == "2020-01-01T00:00:00"
    assert any("has no name" in w for w in result.warnings)
    empty = _parse_bytes(_doc(""))
    assert empty.entities == [] and empty.published_at == "2025-01-02T03:04:05"
    assert empty.warnings == ["fsf.xml: no sanctionEntity in the file"]


# --- malformed input ----------------------------------------------------------------------------


def test_cut_xml_names_the_line(extract: Path, tmp_path: Path):
    data = extract.read_bytes()
    cut = data[:20000]
    path = tmp_path / "cut.xml"
    path.write_bytes(cut)
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.file == str(path)
    lines = cut.count(b"\n") + 1
    assert err.value.location == f"line {lines}, column 59"
    assert err.value.message.startswith("malformed XML:")


def test_cut_at_element_boundary(extract: Path, tmp_path: Path):
    data = extract.read_bytes()
    end = data.index(b"</sanctionEntity>", data.index(b'logicalId="128226"')) + len(b"</sanctionEntity>\n")
    path = tmp_path / "cut.xml"
    path.write_bytes(data[:end])
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.location is not None
    lines = data[:end].count(b"\n") + 1
    assert err.value.location.startswith(f"line {lines},")


def test_sanction_entity_without_logical_id(extract: Path, tmp_path: Path):
    data = extract.read_bytes()
    line = data[: data.index(b'logicalId="128236"')].count(b"\n") + 1
    path = tmp_path / "noid.xml"
    path.write_bytes(data.replace(b' logicalId="128236"', b"", 1))
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.file == str(path)
    assert err.value.location == f"line {line}, element <sanctionEntity>"
    assert err.value.message == "sanctionEntity without logicalId"


def test_duplicate_logical_id(extract: Path, tmp_path: Path):
    data = extract.read_bytes()
    line = data[: data.index(b'logicalId="128231"')].count(b"\n") + 1
    first = data[: data.index(b'logicalId="128226"')].count(b"\n") + 1
    path = tmp_path / "dup.xml"
    path.write_bytes(data.replace(b'logicalId="128231"', b'logicalId="128226"', 1))
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.location == f"line {line}, element <sanctionEntity>"
    assert err.value.message == f"logicalId of eu-fsf:128226 occurs twice (first at line {first})"


def test_invalid_utf8_byte(extract: Path, tmp_path: Path):
    data = extract.read_bytes()
    at = data.index("朱海仑".encode())
    line = data[:at].count(b"\n") + 1
    column = at - data.rfind(b"\n", 0, at)
    path = tmp_path / "bad.xml"
    path.write_bytes(data[:at] + b"\xff" + data[at + 1 :])
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.location == f"line {line}, column {column}"
    assert err.value.message == "invalid UTF-8 byte 0xff"


def test_wrong_root_and_empty_input():
    with pytest.raises(ParseError) as err:
        _parse_bytes(b'<?xml version="1.0"?>\n<sdnList><sanctionEntity logicalId="1"/></sdnList>')
    assert err.value.location == "line 2, element <sdnList>"
    with pytest.raises(ParseError) as err:
        _parse_bytes(b"")
    assert err.value.location == "line 1"
    with pytest.raises(ParseError) as err:
        _parse_bytes(b"\x1f\x8b\x08\x00broken gzip")
    assert err.value.message.startswith("cannot read file")


# --- sniffing -----------------------------------------------------------------------------------


def test_sniff_accepts_fsf(extract: Path, tmp_path: Path):
    kind = eu_fsf.sniff(InputFile.from_path(extract))
    assert (kind.format, kind.source, kind.role) == ("eu-fsf-xml", "eu-fsf", "main")
    gz = tmp_path / "export.xml.gz"
    gz.write_bytes(gzip.compress(b"\xef\xbb\xbf" + extract.read_bytes()))
    assert eu_fsf.sniff(InputFile.from_path(gz)) is not None
    prefixed = b'<?xml version="1.0"?><!-- c --><fsd:export xmlns:fsd="' + NS.encode() + b'"/>'
    assert eu_fsf.sniff(InputFile.from_bytes("a.xml", prefixed)) is not None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b"\x1f\x8b\x08\x00broken gzip",
        b'<?xml version="1.0"?><export><item/></export>',
        b'{"export": "http://eu.europa.ec/fpi/fsd/export"}',
        b"name,export\nx,y\n",
    ],
)
def test_sniff_rejects_foreign_bytes(data: bytes):
    assert eu_fsf.sniff(InputFile.from_bytes("x.xml", data)) is None


def test_sniff_rejects_other_lists(lists: Path):
    others = [
        lists / "un_sc" / "consolidated.xml",
        lists / "ofac_non_sdn" / "consolidated.xml",
        lists / "ofac_non_sdn" / "cons_prim.csv",
        lists / "ofac_sdn" / "sdn.csv",
        lists / "ofac_sdn" / "alt.csv",
        lists / "csl" / "consolidated_watchman_sample.csv",
        lists / "ftm" / "zala.ftm.json",
        lists / "eu_fsf" / "pakote_all_eu_un_ofac.json",
        lists / "eu_fsf" / "eu_oj_opensanctions" / "consolidated" / "32020R1998.csv",
        lists / "uk_ofsi" / "ConList_2020_sample.csv",
        lists / "us_bis" / "bis_dpl.txt",
        lists / "us_bis" / "restricted_parties_casslab.json",
    ]
    for path in others:
        assert eu_fsf.sniff(InputFile.from_path(path)) is None, path


# --- full size, rebuilt from the derived EU data ------------------------------------------------


def _write_fsf_from_pakote(source: Path, target: Path) -> int:
    """Write every EU record of the derived JSON as an FSF ``sanctionEntity``; return the count.

    As in the real export, every name, date and document carries a ``regulationSummary`` on a
    line of its own, so the file has the real file's shape, density and line count (well over
    65,535 lines, where naive XML line counters wrap).
    """
    records = [e for e in json.loads(source.read_text("utf-8"))["entities"] if "EU" in e["source"]]
    summary = (
        '\n      <regulationSummary regulationType="amendment" publicationDate="2021-03-22" '
        'numberTitle="2021/478 (OJ L99I)" publicationUrl="https://eur-lex.europa.eu/legal-content/'
        'EN/TXT/?uri=CELEX:32021R0478"/>\n    '
    )
    with target.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
        out.write(f'<export xmlns="{NS}" generationDate="2026-01-28T06:31:48.762+01:00" globalFileId="1">\n')
        for record in records:
            code = "P" if record["type"] == "individual" else "E"
            kind = "person" if code == "P" else "enterprise"
            out.write(
                f'  <sanctionEntity designationDetails="" unitedNationId=""'
                f' logicalId="{record["source_id"]}">\n'
            )
            out.write(
                '    <regulation regulationType="amendment" programme="XXX" numberTitle="2021/478 (OJ L99I)">'
            )
            out.write("<publicationUrl>https://eur-lex.europa.eu/</publicationUrl></regulation>\n")
            out.write(f'    <subjectType code="{kind}" classificationCode="{code}"/>\n')
            for name in [record["name"], *record["aliases"]]:
                out.write(f'    <nameAlias wholeName={quoteattr(name)} strong="true">{summary}</nameAlias>\n')
            for day in record["birthdates"]:
                out.write(
                    f'    <birthdate circa="false" birthdate="{day}" countryIso2Code="00">'
                    f"{summary}</birthdate>\n"
                )
            for ident in record["identifiers"]:
                country = ident.get("country") or "00"
                # the derived JSON has a few country names where the FSF has codes
                code_attr = country if len(country) == 2 else "00"
                text_attr = "UNKNOWN" if len(country) == 2 else country
                out.write(
                    f"    <identification identificationTypeCode={quoteattr(ident.get('type') or '')} "
                    f"number={quoteattr(ident['number'])} countryIso2Code={quoteattr(code_attr)} "
                    f"countryDescription={quoteattr(text_attr)}>{summary}</identification>\n"
                )
            out.write("  </sanctionEntity>\n")
        out.write("</export>\n")
    return len(records)


@pytest.fixture(scope="module")
def full_file(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("eu_fsf") / "fsf_full.xml"
    assert _write_fsf_from_pakote(lists / "eu_fsf" / "pakote_all_eu_un_ofac.json", path) == 5795
    return path


def test_full_size_rebuilt_from_derived_json(full_file: Path):
    calls: list[int] = []
    result = eu_fsf.parse({"main": InputFile.from_path(full_file)}, "eu-fsf", calls.append)
    assert len(result.entities) == 5795
    assert result.published_at == "2026-01-28T06:31:48"
    assert result.warnings == []
    assert calls[-1] == 5795 and len(calls) > 20
    schemas = [e.schema for e in result.entities]
    assert (schemas.count("Person"), schemas.count("Organization"), schemas.count("Vessel")) == (
        4302,
        1491,
        2,
    )
    by_id = {e.id: e for e in result.entities}
    assert [n.full for n in by_id["eu-fsf:128226"].names] == ["朱海仑", "ZHU Hailun"]
    assert (
        by_id["eu-fsf:128296"].caption == "Xinjiang Production and Construction Corps Public Security Bureau"
    )
    assert "新疆生产建设兵团公安局" in [n.full for n in by_id["eu-fsf:128296"].names]
    assert [(i.scheme, i.value, i.country) for i in by_id["eu-fsf:2325"].identifiers] == [
        ("passport", "M788439", "tn"),
        ("tax_id", "LBRHBB61S17Z352F", "it"),
        ("other", "01817002", None),
    ]
    assert {by_id["eu-fsf:147499"].schema, by_id["eu-fsf:147503"].schema} == {"Vessel"}
    assert by_id["eu-fsf:107840"].schema == "Organization"
    assert by_id["eu-fsf:13"].birth_dates == ["1937-04-28"]
    identifiers = [i for e in result.entities for i in e.identifiers]
    # 2,467 in the JSON; four are a bare "-" and carry no number
    assert len(identifiers) == 2463
    assert by_id["eu-fsf:6428"].identifiers == []
    assert sum(1 for i in identifiers if i.scheme == "imo") == 25
    assert full_file.stat().st_size > 12_000_000


def test_full_size_error_line_beyond_65535(full_file: Path, tmp_path: Path):
    data = full_file.read_bytes()
    at = data.rindex(b"<sanctionEntity ")
    line = data[:at].count(b"\n") + 1
    assert line > 65535
    path = tmp_path / "noid.xml"
    path.write_bytes(data[:at] + data[at:].replace(b' logicalId="', b' otherId="', 1))
    with pytest.raises(ParseError) as err:
        eu_fsf.parse({"main": InputFile.from_path(path)}, "eu-fsf", None)
    assert err.value.location == f"line {line}, element <sanctionEntity>"
