"""Tests for the FollowTheMoney JSON-lines parser."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tamga.model import Entity
from tamga.sources import ftm
from tamga.sources.base import InputFile, ParseError, ParseResult

ZALA = "zala_extract.ftm.json"
PARTEI = "parteispenden_extract.ftm.json"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
CST = "NK-abdzbEBkqyT29GyREbiURZ"
OSETROVA = "NK-2Tbri3s6GgNtAwsSXh4qpL"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"
KAHL = "281d01c426ce39ddf80aa0e46574843c1ba8bfc9"
CDU = "c326dd8021ee75fe9608f31ecb4e2e7388144102"


def parse(path: Path, source: str | None = None) -> ParseResult:
    file = InputFile.from_path(path)
    if source is None:
        kind = ftm.sniff(file)
        assert kind is not None
        source = kind.source
    return ftm.parse({"main": file}, source, None)


def by_id(result: ParseResult) -> dict[str, Entity]:
    return {e.id.split(":", 1)[1]: e for e in result.entities}


def write_lines(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(fixtures: Path) -> Path:
    return fixtures / "ftm"


@pytest.fixture(scope="module")
def zala(folder: Path) -> dict[str, Entity]:
    return by_id(parse(folder / ZALA))


# --- full real files --------------------------------------------------------------------------


def test_zala_full_file(lists: Path) -> None:
    result = parse(lists / "ftm" / "zala.ftm.json")
    assert result.source == "ftm-zala"
    assert result.published_at is None
    assert len(result.entities) == 17
    assert Counter(e.schema for e in result.entities) == {"Organization": 11, "Person": 6}
    # all 41 Sanctions, 14 Ownerships + 4 Family + 3 Directorships are folded in
    assert sum(len(e.designations) for e in result.entities) == 41
    relations = Counter(r.kind for e in result.entities for r in e.relations)
    assert relations == {"owned_by": 14, "linked_to": 7}
    entities = by_id(result)
    assert len(entities[ZAKHAROV].designations) == 13
    assert len(entities[CST].designations) == 28
    assert Counter(d.authority for d in entities[CST].designations)["US-BIS"] == 1
    assert {e.id.split(":")[0] for e in result.entities} == {"ftm-zala"}
    assert result.warnings == [
        "skipped 1 record(s): Passport without number",
        "skipped 16 record(s): addressEntity not in the file",
    ]


def test_parteispenden_full_file(lists: Path) -> None:
    result = parse(lists / "ftm" / "parteispenden.ftm.json")
    assert result.source == "ftm-parteispenden"
    assert len(result.entities) == 96  # Company 56 + Organization 18 -> 74, Person 22
    assert Counter(e.schema for e in result.entities) == {"Organization": 74, "Person": 22}
    # 290 payments, one of them to two beneficiaries; every donor address resolved
    assert sum(len(e.relations) for e in result.entities) == 291
    assert sum(len(e.addresses) for e in result.entities) == 103
    assert result.warnings == []
    entities = by_id(result)
    payments_to_cdu = sum(1 for e in result.entities for r in e.relations if r.target_id.endswith(CDU))
    assert payments_to_cdu == 126
    assert entities[CDU].caption == "CDU"


# --- extracts ---------------------------------------------------------------------------------


def test_zala_extract_counts_and_warnings(folder: Path) -> None:
    result = parse(folder / ZALA)
    assert result.source == "ftm-zala_extract"
    assert Counter(e.schema for e in result.entities) == {"Organization": 6, "Person": 5}
    assert sum(len(e.designations) for e in result.entities) == 22
    assert sum(len(e.relations) for e in result.entities) == 17
    assert result.warnings == [
        "skipped 1 record(s): Passport without number",
        "skipped 11 record(s): addressEntity not in the file",
        "skipped 4 record(s): link to no person, organisation, vessel or aircraft in the file",
        "3 relation(s) point to entities not in the file (kept by target id)",
    ]


def test_zakharov(zala: dict[str, Entity]) -> None:
    person = zala[ZAKHAROV]
    assert person.schema == "Person"
    assert person.id == f"ftm-zala_extract:{ZAKHAROV}"
    # the caption is the primary name; the other names are aka
    assert person.names[0].full == "Alexander Vyacheslavovich ZAKHAROV"
    assert person.names[0].kind == "primary"
    assert Counter(n.kind for n in person.names) == {"primary": 1, "aka": 16}
    assert "Александр Вячеславович Захаров" in [n.full for n in person.names]
    assert person.birth_dates == ["1965-09-21"]
    assert ("ru", "nationality") in [(c.code, c.role) for c in person.countries]
    assert [(i.scheme, i.value, i.country) for i in person.identifiers] == [
        ("inn", "183111242406", "ru"),
        ("tax_id", "183111242406", None),
    ]
    assert person.properties["gender"] == ["male"]
    assert person.properties["position"] == ["Propriétaire de LLC CST", "Owner of LLC CST"]
    assert person.properties["target"] == ["true"]
    assert "ofac-45937" in person.properties["referents"]
    designations = {(d.authority, d.list): d for d in person.designations}
    ofac = designations[("US-OFAC", "us_ofac_sdn")]
    assert ofac.program == "RUSSIA-EO14024"
    assert ofac.reason == "Executive Order 14024 (Russia)"
    eu = designations[("EU", "eu_fsf")]
    assert (eu.program, eu.listed_on, eu.reason) == ("UKR", "2025-02-24", "2025/389 (OJ L24022025)")
    seco = designations[("CH", "ch_seco_sanctions")]
    assert seco.program == "SECO-UKRAINE" and seco.legal_basis.startswith("Ordinance of 4 March 2022")
    assert designations[("UK", "gb_fcdo_sanctions")].listed_on == "2023-12-06"
    assert ("GB", "gb_coh_disqualified") in designations  # Insolvency Service: not a sanctions body
    relations = [(r.kind, r.target_id.split(":")[1], r.note) for r in person.relations]
    assert relations == [
        ("linked_to", CST, "Directorship; Leader or official of"),
        ("linked_to", "NK-SiYwWfxwLVrVeFswsvAvsm", "Directorship; Исполнительный директор; since 2005-07-11"),
    ]


def test_company_with_forward_references(zala: dict[str, Entity]) -> None:
    company = zala[CST]
    assert company.schema == "Organization"
    assert company.caption == "LLC CST"
    assert Counter(n.kind for n in company.names)["weak"] == 7  # weakAlias + abbreviation
    assert len(company.designations) == 14
    # the Ownership on line 2 names the company before its own line: still attached
    owners = [(r.target_id.split(":")[1], r.share) for r in company.relations if r.kind == "owned_by"]
    assert (KALASHNIKOV, None) in owners and (ZAKHAROV, 51.0) in owners
    assert len(owners) == 7
    assert company.relations[0].note == "Ownership; subsidiary of"
    # Address entity NK-oPoY… comes after the company and has parts
    [with_parts] = [a for a in company.addresses if a.region]
    assert (with_parts.region, with_parts.postal_code, with_parts.country) == (
        "Udmurt Republic",
        "426011",
        "ru",
    )
    assert with_parts.full == "P.O. Box 9050, Izhevsk, Russian Federation, 426011"
    emails = [i.value for i in company.identifiers if i.scheme == "email"]
    assert "info@zala.aero" in emails
    assert company.properties["legal_form"]


def test_names_kinds_and_family(zala: dict[str, Entity]) -> None:
    maria = zala[OSETROVA]
    assert [(n.full, n.kind) for n in maria.names if n.kind != "aka"] == [
        ("Maria Aleksandrovna Osetrova", "primary"),
        ("Maria Aleksandrovna Zakharova", "fka"),
        ("Мария Александровна Захарова", "fka"),
    ]
    # several names: the parts stay in properties, not on a name
    assert maria.names[0].given is None
    assert "Мария" in maria.properties["first_name"]
    assert maria.properties["gender"] == ["female"]
    assert [(r.kind, r.target_id, r.note) for r in maria.relations] == [
        ("linked_to", f"ftm-zala_extract:{ZAKHAROV}", "Family; Family member of")
    ]
    assert maria.birth_places == ["Russia", "Izhevsk"]


def test_donor_with_payments(folder: Path) -> None:
    result = parse(folder / PARTEI)
    assert result.source == "ftm-parteispenden_extract"
    assert len(result.entities) == 17
    kahl = by_id(result)[KAHL]
    assert kahl.caption == "Herr Christoph Alexander Kahl"
    assert [(a.street, a.city, a.country) for a in kahl.addresses] == [
        ("Pferdmengesstr. 3", "50968 Köln", "de"),
        ("Pferdmengesstraße 3", "50968 Köln", "de"),
    ]
    prefix = "ftm-parteispenden_extract:"
    assert [(r.kind, r.target_id, r.note) for r in kahl.relations] == [
        ("linked_to", prefix + CDU, "Payment; EUR 100000; 2009-03-03"),
        ("linked_to", prefix + "fake-org", "Payment; EUR 100000; 2009-03-03"),
        ("linked_to", prefix + CDU, "Payment; EUR 100000; 2004-08-30"),
    ]


def test_parse_is_deterministic(folder: Path) -> None:
    for name in (ZALA, PARTEI):
        first = [e.content_hash() for e in parse(folder / name).entities]
        assert first == [e.content_hash() for e in parse(folder / name).entities]


def test_gzip_and_source_override(folder: Path, tmp_path: Path) -> None:
    packed = tmp_path / "zala.ftm.json.gz"
    packed.write_bytes(gzip.compress((folder / ZALA).read_bytes()))
    kind = ftm.sniff(InputFile.from_path(packed))
    assert kind is not None and kind.source == "ftm-zala"
    result = parse(packed, "ftm-custom")
    assert result.source == "ftm-custom"
    assert by_id(result)[ZAKHAROV].id == f"ftm-custom:{ZAKHAROV}"
    plain = [e.to_dict()["names"] for e in parse(folder / ZALA).entities]
    assert [e.to_dict()["names"] for e in result.entities] == plain


# --- schemata the real files lack -------------------------------------------------------------


def rec(id_: str, schema: str, **props: str | list[str]) -> dict[str, Any]:
    """A minimal FtM record; single values become one-element lists."""
    values = {k: v if isinstance(v, list) else [v] for k, v in props.items()}
    return {"id": id_, "schema": schema, "properties": values}


SYNTHETIC = [
    rec(
        "v1",
        "Vessel",
        name="OCEAN STAR",
        imoNumber="IMO 9116412",
        mmsi="273456789",
        flag="ru",
        type="Crude Oil Tanker",
        owner="c1",
    ),
    rec(
        "a1", "Airplane", name="EP-ABC", serialNumber="1234", registrationNumber="EP-ABC", model="Airbus A300"
    ),
    rec(
        "p1",
        "Person",
        name="Ivan Petrovich Sidorov",
        firstName="Ivan",
        lastName="Sidorov",
        fatherName="Petrovich",
        birthDate="1970-05",
    ),
    rec("p2", "Person", firstName="Anna", lastName="Ivanova"),
    rec(
        "c1",
        "Company",
        name="Sea Shipping LLC",
        leiCode="5493001KJTIIGC8Y1R12",
        parent="c2",
        jurisdiction="cy",
    ),
    rec("id1", "Identification", holder="p1", number="4509 123456", type="National ID card", country="ru"),
    rec(
        "pp1",
        "Passport",
        holder="p1",
        number="75 1234567",
        country="ru",
        startDate="2015-01-01",
        endDate="2025-01-01",
    ),
    rec("as1", "Associate", person="p1", associate="p2", relationship="business partner"),
    rec("ul1", "UnknownLink", subject="c1", object="v1", role="operator"),
    rec("pos1", "Position", name="Minister of Defence"),
    rec("occ1", "Occupancy", holder="p1", post="pos1"),
    rec("cw1", "CryptoWallet", holder="p2", publicKey="bc1qxyz", currency="XBT"),
    rec("sec1", "Security", issuer="c1", isin="US0378331005"),
    rec(
        "s1",
        "Sanction",
        entity="v1",
        authority="Office of Foreign Assets Control",
        program="IRAN",
        startDate="2019-09-04",
        endDate="2024-01-01",
        reason="Oil",
    ),
    rec("s2", "Sanction", entity="a1", authority="Security Council"),
    rec("n1", "Note", entity="p1", description="x"),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> ParseResult:
    path = write_lines(tmp_path_factory.mktemp("ftm") / "synthetic.ftm.json", SYNTHETIC)
    return parse(path)


def test_synthetic_schemata(synthetic: ParseResult) -> None:
    assert synthetic.source == "ftm-synthetic"
    entities = by_id(synthetic)
    assert list(entities) == ["v1", "a1", "p1", "p2", "c1"]
    assert [e.schema for e in synthetic.entities] == [
        "Vessel",
        "Aircraft",
        "Person",
        "Person",
        "Organization",
    ]
    assert synthetic.warnings == ["skipped 1 record(s): schema Note"]


def test_synthetic_vessel_and_aircraft(synthetic: ParseResult) -> None:
    entities = by_id(synthetic)
    vessel = entities["v1"]
    assert [(i.scheme, i.value, i.valid) for i in vessel.identifiers] == [
        ("imo", "9116412", True),
        ("mmsi", "273456789", None),
    ]
    assert vessel.properties["vessel_type"] == ["Crude Oil Tanker"]
    assert vessel.properties["flag"] == ["ru"]
    assert [(r.kind, r.target_id, r.note) for r in vessel.relations] == [
        ("owned_by", "ftm-synthetic:c1", "owner")
    ]
    [designation] = vessel.designations
    assert (designation.authority, designation.list, designation.program) == (
        "US-OFAC",
        "Office of Foreign Assets Control",
        "IRAN",
    )
    assert (designation.listed_on, designation.removed_on, designation.reason) == (
        "2019-09-04",
        "2024-01-01",
        "Oil",
    )
    plane = entities["a1"]
    assert [(i.scheme, i.value) for i in plane.identifiers] == [
        ("aircraft_tail", "EPABC"),
        ("aircraft_serial", "1234"),
    ]
    assert plane.designations[0].authority == "UN"
    assert plane.properties["model"] == ["Airbus A300"]


def test_synthetic_person_parts_and_documents(synthetic: ParseResult) -> None:
    entities = by_id(synthetic)
    ivan = entities["p1"]
    [name] = ivan.names
    assert (name.full, name.given, name.family, name.patronymic) == (
        "Ivan Petrovich Sidorov",
        "Ivan",
        "Sidorov",
        "Petrovich",
    )
    assert "first_name" not in ivan.properties
    assert ivan.birth_dates == ["1970-05"]
    assert [(i.scheme, i.value, i.country, i.note) for i in ivan.identifiers] == [
        ("national_id", "4509123456", "ru", "National ID card"),
        ("passport", "751234567", "ru", "Passport; issued 2015-01-01; expires 2025-01-01"),
    ]
    assert [(r.kind, r.target_id, r.note) for r in ivan.relations] == [
        ("linked_to", "ftm-synthetic:p2", "Associate; business partner")
    ]
    assert ivan.properties["position"] == ["Minister of Defence"]
    anna = entities["p2"]
    assert [(n.full, n.given, n.family) for n in anna.names] == [("Anna Ivanova", "Anna", "Ivanova")]
    assert [(i.scheme, i.value) for i in anna.identifiers] == [("crypto_wallet", "bc1qxyz")]


def test_synthetic_company(synthetic: ParseResult) -> None:
    company = by_id(synthetic)["c1"]
    assert [(i.scheme, i.value, i.valid) for i in company.identifiers] == [
        ("lei", "5493001KJTIIGC8Y1R12", True),
        ("isin", "US0378331005", True),
    ]
    assert [(r.kind, r.target_id, r.note) for r in company.relations] == [
        ("subsidiary_of", "ftm-synthetic:c2", "parent"),
        ("linked_to", "ftm-synthetic:v1", "UnknownLink; operator"),
    ]
    assert [(c.code, c.role) for c in company.countries] == [("cy", "jurisdiction")]


def test_nameless_and_repeated_things(tmp_path: Path) -> None:
    records = [
        rec("c1", "Company", name="First"),
        rec("c1", "Company", name="Second"),
        rec("c2", "Company", jurisdiction="ru"),
        rec("s1", "Sanction", entity=["c1", "c2"], authority="HM Treasury", program="RUSSIA"),
    ]
    result = parse(write_lines(tmp_path / "x.ftm.json", records))
    assert [e.caption for e in result.entities] == ["First", "ftm-x:c2"]
    assert result.warnings == [
        "1 repeated entity ids: the first record of each was kept",
        "1 entities have no name",
    ]
    first, second = result.entities
    assert first.designations == second.designations
    assert first.designations[0] is not second.designations[0]
    assert first.designations[0].authority == "UK"


def test_source_from_single_dataset(tmp_path: Path) -> None:
    records = [
        {"id": "x1", "schema": "Person", "properties": {"name": ["A"]}, "datasets": ["us_ofac_sdn"]},
        {"id": "x2", "schema": "Person", "properties": {"name": ["B"]}, "datasets": ["us_ofac_sdn"]},
    ]
    path = write_lines(tmp_path / "entities.ftm.json", records)
    kind = ftm.sniff(InputFile.from_path(path))
    assert kind is not None and kind.source == "ftm-us_ofac_sdn"
    records[1]["datasets"] = ["eu_fsf"]
    write_lines(path, records)
    kind = ftm.sniff(InputFile.from_path(path))
    assert kind is not None and kind.source == "ftm-entities"


# --- malformed input --------------------------------------------------------------------------


def test_bad_json_line_is_named(folder: Path, tmp_path: Path) -> None:
    lines = (folder / ZALA).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6][: len(lines[6]) // 2] + "\n"  # line 7 cut in the middle
    path = tmp_path / "cut.ftm.json"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        parse(path)
    assert info.value.file == str(path)
    assert info.value.location == "line 7"
    assert info.value.message.startswith("bad JSON")


def test_truncated_last_line(folder: Path, tmp_path: Path) -> None:
    data = (folder / PARTEI).read_bytes()
    path = tmp_path / "truncated.ftm.json"
    path.write_bytes(data[: len(data) - 40])
    with pytest.raises(ParseError) as info:
        parse(path, "ftm-x")
    last_line = data.count(b"\n")
    assert info.value.location == f"line {last_line}"


def test_bad_utf8_is_named(folder: Path, tmp_path: Path) -> None:
    lines = (folder / PARTEI).read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b'"schema"', b'"sch\xffema"')
    path = tmp_path / "latin.ftm.json"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(ParseError) as info:
        parse(path, "ftm-x")
    assert info.value.location.startswith("line 5, column ")
    assert "0xff" in info.value.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"schema": "Person", "properties": {}}', "'id'"),
        ('{"id": "x", "properties": {}}', "'schema'"),
        ('{"id": "x", "schema": "Person"}', "'properties'"),
        ('["not", "an", "object"]', "one JSON object"),
    ],
)
def test_required_fields(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.ftm.json"
    path.write_text(
        '{"id": "ok", "schema": "Person", "properties": {"name": ["A"]}}\n\n' + line + "\n", encoding="utf-8"
    )
    with pytest.raises(ParseError) as info:
        parse(path, "ftm-x")
    assert info.value.location == "line 3"
    assert message in info.value.message


# --- sniffing ---------------------------------------------------------------------------------


def test_sniff_accepts_ftm(lists: Path, folder: Path) -> None:
    for path, source in (
        (lists / "ftm" / "zala.ftm.json", "ftm-zala"),
        (lists / "ftm" / "parteispenden.ftm.json", "ftm-parteispenden"),
        (folder / PARTEI, "ftm-parteispenden_extract"),
    ):
        kind = ftm.sniff(InputFile.from_path(path))
        assert kind is not None
        assert (kind.format, kind.source, kind.role) == ("ftm-json", source, "main")


def test_sniff_long_first_line(tmp_path: Path) -> None:
    names = [f"Name {i}" for i in range(9000)]
    record = {"id": "big", "schema": "Company", "datasets": ["ru_egrul"], "properties": {"name": names}}
    path = write_lines(tmp_path / "big.ftm.json", [record])
    assert path.stat().st_size > 64 * 1024
    kind = ftm.sniff(InputFile.from_path(path))
    assert kind is not None and kind.source == "ftm-ru_egrul"
    assert len(parse(path).entities[0].names) == 9000
    # "datasets" after the cut: the file stem
    record = {"id": "big", "schema": "Company", "properties": {"name": names}, "datasets": ["ru_egrul"]}
    write_lines(path, [record])
    kind = ftm.sniff(InputFile.from_path(path))
    assert kind is not None and kind.source == "ftm-big"


@pytest.mark.parametrize(
    "relative",
    [
        "csl/consolidated_watchman_sample.csv",
        "ofac_sdn/sdn.csv",
        "ofac_non_sdn/consolidated.xml",
        "un_sc/consolidated.xml",
        "us_bis/restricted_parties_casslab.json",
        "us_bis/bis_dpl.txt",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "eu_fsf/eu_oj_opensanctions/consolidated/32020R1998.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
    ],
)
def test_sniff_rejects_other_formats(lists: Path, relative: str) -> None:
    assert ftm.sniff(InputFile.from_path(lists / relative)) is None


def test_sniff_rejects_csl_json(fixtures: Path, tmp_path: Path) -> None:
    csl_json = fixtures / "csl" / "consolidated.json"
    assert ftm.sniff(InputFile.from_path(csl_json)) is None
    minified = tmp_path / "csl.json"
    minified.write_text(json.dumps(json.loads(csl_json.read_text(encoding="utf-8"))), encoding="utf-8")
    assert ftm.sniff(InputFile.from_path(minified)) is None


def test_sniff_never_raises(tmp_path: Path) -> None:
    samples = {
        "empty.json": b"",
        "binary.json": bytes(range(256)) * 300,
        "bad.json": b'{"id": "\xff"}\n',
        "deep.json": b"[" * 100000,
        "truncated.json.gz": gzip.compress(b'{"id": "x", "schema": "Person", "properties": {}}\n')[:-8],
    }
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert ftm.sniff(InputFile.from_path(path)) is None, name


def test_format_is_declared() -> None:
    [fmt] = ftm.FORMATS
    assert fmt.name == "ftm-json"
    assert fmt.roles == ("main",) and fmt.required_roles == ("main",)
    assert fmt.description
