"""EU Official Journal sanctions CSVs (``eu-oj-csv``): consolidated and amendment files."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from tamga.countries import country_code
from tamga.ingest import collect, group, ingest
from tamga.sources import detect
from tamga.sources.base import InputFile, ParseError, ParseResult
from tamga.sources.eu_oj import AMENDMENT_HEADER, CONSOLIDATED_HEADER, entity_key, parse, sniff
from tamga.sources.eu_oj_values import countries_in, dates_in, enumerated, numbers_in, split_cell
from tamga.store import Store

FULL = "eu_fsf/eu_oj_opensanctions"
FIXTURE = "eu_oj"
HR = "32020R1998"


def _set(folder: Path) -> dict[str, InputFile]:
    """Every CSV of a folder, keyed by the role sniff gives it (as the ingest groups them)."""
    files = {}
    for path in sorted(folder.glob("*.csv")):
        file = InputFile.from_path(path)
        kind = sniff(file)
        assert kind is not None, path
        files[kind.role] = file
    return files


def _parse(folder: Path, source: str = "eu-oj") -> ParseResult:
    return parse(_set(folder), source, None)


def _by_id(result: ParseResult) -> dict:
    return {e.id: e for e in result.entities}


def _ids(entity) -> list[tuple[str, str, str | None]]:
    return [(i.scheme, i.value, i.country) for i in entity.identifiers]


@pytest.fixture(scope="module")
def consolidated(fixtures: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _parse(fixtures / FIXTURE / "consolidated")


@pytest.fixture(scope="module")
def amendments(fixtures: Path) -> ParseResult:
    return _parse(fixtures / FIXTURE / "amendments", "eu-oj-amend")


@pytest.fixture(scope="module")
def full(lists: Path) -> ParseResult:
    country_code("warm up the territory table")
    return _parse(lists / FULL / "consolidated")


@pytest.fixture(scope="module")
def full_amendments(lists: Path) -> ParseResult:
    return _parse(lists / FULL / "amendments", "eu-oj-amend")


# --- the full real files ----------------------------------------------------------------------


def test_full_consolidated_counts(full: ParseResult, lists: Path) -> None:
    assert len(list((lists / FULL / "consolidated").glob("*.csv"))) == 45
    entities = full.entities
    # 8,017 rows; two persons of 32002R0881 annex I are transcribed twice and merged.
    assert len(entities) == 8015
    assert Counter(e.schema for e in entities) == {"Person": 4498, "Organization": 2809, "Vessel": 708}
    assert Counter(e.properties["ftm_schema"][0] for e in entities) == {
        "Person": 4498,
        "LegalEntity": 2553,
        "Vessel": 708,
        "Company": 200,
        "Asset": 29,
        "Organization": 27,
    }
    designations = [d for e in entities for d in e.designations]
    assert len(designations) == 8015
    assert {d.authority for d in designations} == {"EU"}
    assert sum(1 for d in designations if d.listed_on is None) == 300
    programs = Counter(d.program for d in designations)
    assert len(programs) == 32
    assert programs["EU-UKR"] == 2805 and programs["EU-RUS"] == 1851 and programs["EU-HR"] == 177
    imo = [i for e in entities for i in e.identifiers if i.scheme == "imo"]
    assert len(imo) == 765 and all(i.valid for i in imo)
    assert Counter(n.kind for e in entities for n in e.names) == {
        "aka": 12697,
        "primary": 8015,
        "weak": 198,
        "fka": 62,
    }
    assert len({e.id for e in entities}) == len(entities)
    assert [w.split(": ", 2)[1] for w in full.warnings] == ["line 219", "line 220"]
    assert all(w.startswith(str(lists / FULL / "consolidated" / "32002R0881.csv")) for w in full.warnings)
    assert full.published_at is None


def test_full_amendment_counts(full_amendments: ParseResult) -> None:
    entities = full_amendments.entities
    # 417 rows in 11 files; the vessel AVAX is listed under two measures in one row each.
    assert len(entities) == 416
    assert Counter(e.schema for e in entities) == {"Organization": 297, "Person": 76, "Vessel": 43}
    assert all(e.id.startswith("eu-oj-amend:") for e in entities)
    assert Counter(d.legal_basis for e in entities for d in e.designations)["32026R1843"] == 216
    assert full_amendments.warnings == []


def test_xinjiang_listings_of_the_global_human_rights_regime(full: ParseResult) -> None:
    by_id = _by_id(full)
    zhu = by_id["eu-oj:32020R1998-I.A-5"]
    assert [(n.kind, n.full, n.script) for n in zhu.names] == [
        ("primary", "ZHU Hailun", "Latin"),
        ("aka", "朱海仑", "Han"),
    ]
    assert zhu.birth_dates == ["1958-01"]
    assert zhu.birth_places == ["Lianshui, Jiangsu (China)"]
    assert [(c.code, c.role) for c in zhu.countries] == [("cn", "nationality")]
    assert zhu.properties["gender"] == ["male"]
    (designation,) = zhu.designations
    assert (designation.authority, designation.list, designation.program) == ("EU", "EU-HR", "EU-HR")
    assert designation.listed_on == "2021-03-22"
    assert designation.legal_basis == HR
    assert designation.source_url == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32020R1998"
    assert designation.reason.startswith("Former Secretary of the Central Political and Legal Affairs")
    expected = {
        "I.A-6": ("WANG Junzheng", "王君正", "1963-05"),
        "I.A-7": ("WANG Mingshan", "王明山", "1964-01"),
        "I.A-8": ("CHEN Mingguo", "陈明国", "1966-10"),
    }
    for key, (latin, han, born) in expected.items():
        person = by_id[f"eu-oj:{HR}-{key}"]
        assert [n.full for n in person.names] == [latin, han]
        assert person.birth_dates == [born]
        assert [c.code for c in person.countries] == ["cn"]
        assert [d.listed_on for d in person.designations] == ["2021-03-22"]
    psb = by_id[f"eu-oj:{HR}-I.B-1"]
    assert psb.schema == "Organization"
    assert [n.full for n in psb.names] == [
        "Xinjiang Production and Construction Corps Public Security Bureau",
        "新疆生产建设兵团公安局",
    ]
    assert psb.designations[0].listed_on == "2021-03-22"
    assert psb.properties["legal_form"] == ["Governmental Agency"]
    assert psb.addresses[0].country == "cn"


def test_largest_file_alone(lists: Path) -> None:
    file = InputFile.from_path(lists / FULL / "consolidated" / "32014R0269.csv")
    result = parse({"32014R0269": file}, "eu-oj", None)
    assert len(result.entities) == 2802
    assert Counter(e.properties["annex"][0] for e in result.entities) == {
        "I.PERSONS": 1984,
        "I.ENTITIES": 818,
    }


# --- the fixture extracts ---------------------------------------------------------------------


def test_fixture_set(consolidated: ParseResult) -> None:
    ids = [e.id for e in consolidated.entities]
    assert len(ids) == 26  # 28 data rows, two of them repeats
    assert ids[0] == "eu-oj:32002R0881-I-h63b6dc01005a"  # files in CELEX order, rows in file order
    assert ids[-1] == f"eu-oj:{HR}-I.B-1"


def test_entry_numbers_restart_in_every_annex(consolidated: ParseResult) -> None:
    by_id = _by_id(consolidated)
    assert by_id[f"eu-oj:{HR}-I.A-1"].caption == "Alexander (Alexandr) Petrovich KALASHNIKOV"
    assert by_id[f"eu-oj:{HR}-I.B-1"].caption.startswith("Xinjiang Production")


def test_entries_without_number_are_keyed_by_name(consolidated: ParseResult) -> None:
    by_id = _by_id(consolidated)
    key = entity_key("32014R0833", "XII", "", "Organization", " bank  ROSSIYA")
    assert key == "32014R0833-XII-h69dbd374edb3"
    assert by_id[f"eu-oj:{key}"].caption == "Bank Rossiya"
    assert by_id["eu-oj:32014R0833-XIV-h69dbd374edb3"].properties["measure"] == ["Financial restrictions"]


def test_rows_repeated_in_one_context_are_merged_with_a_warning(
    consolidated: ParseResult, fixtures: Path
) -> None:
    path = fixtures / FIXTURE / "consolidated" / "32002R0881.csv"
    assert consolidated.warnings == [
        f"{path}: line 9: eu-oj:32002R0881-I-h23ce8b97d380 is listed twice under EU-TAQA-EUAQ / "
        "Asset freeze; the rows are merged",
        f"{path}: line 10: eu-oj:32002R0881-I-hf368eea6cf3b is listed twice under EU-TAQA-EUAQ / "
        "Asset freeze; the rows are merged",
    ]
    himmat = _by_id(consolidated)["eu-oj:32002R0881-I-h23ce8b97d380"]
    assert len(himmat.designations) == 1
    # Both transcriptions of the address are kept (they differ in an apostrophe).
    assert len(himmat.addresses) == 2
    nasri = _by_id(consolidated)["eu-oj:32002R0881-I-hf368eea6cf3b"]
    assert [(c.code, c.role) for c in nasri.countries] == [("dz", "nationality"), ("de", "nationality")]
    assert nasri.remarks.splitlines()[0] == "son of Abdelkader and Amina Aissaoui"


def test_assets_and_vessels(consolidated: ParseResult) -> None:
    by_id = _by_id(consolidated)
    port = by_id["eu-oj:32014R0833-XLVII.A-1"]
    assert (port.schema, port.caption, port.properties["ftm_schema"]) == (
        "Organization",
        "Astrakhan",
        ["Asset"],
    )
    zone = by_id["eu-oj:32014R0833-LII.A-1"]
    assert [(c.code, c.role) for c in zone.countries] == [("ru", "country")]
    assert zone.addresses[0].full == "Republic of Tatarstan"
    assert zone.designations[0].program == "EU-RUS"
    vessel = by_id["eu-oj:32014R0833-XLII-1"]
    assert vessel.schema == "Vessel"
    assert _ids(vessel) == [("imo", "9179842", None)]
    assert vessel.identifiers[0].valid is True
    assert vessel.designations[0].listed_on == "2024-06-25"


def test_identifiers_from_printed_phrases(consolidated: ParseResult) -> None:
    by_id = _by_id(consolidated)
    # "(Tax ID/INN)": a Russian INN, and a 9-digit Uzbek taxpayer number that is no INN.
    assert _ids(by_id["eu-oj:32014R0833-IV-584"]) == [("inn", "7721809577", "ru")]
    assert _ids(by_id["eu-oj:32014R0833-IV-497"]) == [("tax_id", "309628784", None)]
    # "INN: 5013044999 KPP: 504001001 OGRN: 1025001627012" in one cell.
    assert _ids(by_id["eu-oj:32014R0269-I.ENTITIES-255"]) == [
        ("inn", "5013044999", "ru"),
        ("kpp", "504001001", "ru"),
        ("ogrn", "1025001627012", "ru"),
    ]
    # "series 6103 No 814361, issued on 8.4.2003 by …"
    tolmachev = by_id["eu-oj:32014R0269-I.PERSONS-2031"]
    assert tolmachev.identifiers[0].value == "6103814361"
    assert tolmachev.identifiers[0].raw == "6103 814361"
    assert tolmachev.identifiers[0].note.startswith("series 6103 No 814361, issued")
    # "(a) M408665 (Tunisian passport number …), (b) W334061 (Tunisian national identity number …)"
    hamdi = by_id["eu-oj:32002R0881-I-he39e08e895d1"]
    assert _ids(hamdi)[:2] == [("passport", "M408665", "tn"), ("national_id", "W334061", "tn")]
    # "… 54201-247561-5, officially cancelled as of 2013": the year is no number.
    noorzai = by_id["eu-oj:32011R0753-I.A-115"]
    assert _ids(noorzai) == [("passport", "FA0157612", "pk"), ("national_id", "542012475615", "pk")]


def test_dates_and_countries_from_printed_phrases(consolidated: ParseResult) -> None:
    by_id = _by_id(consolidated)
    asiri = by_id["eu-oj:32002R0881-I-ha72097c16a78"]
    # The Hijri date is not read as a Gregorian one; the printed text is kept.
    assert asiri.birth_dates == ["1982-04-19", "1982-04-18"]
    assert asiri.properties["birth_date_text"] == [
        "(a) 19.4.1982, (b) 18.4.1982, (c) 24.6.1402 (Hijri Calendar)"
    ]
    escalon = by_id["eu-oj:32002R0881-I-h63b6dc01005a"]
    assert escalon.birth_dates == ["1965-03-03", "1965-01-01", "1965-01-11"]
    assert by_id["eu-oj:32002R0881-I-h23ce8b97d380"].countries[0].code == "it"  # "Italian since 1990"


def test_empty_consolidated_file(fixtures: Path) -> None:
    path = fixtures / FIXTURE / "consolidated" / "32004R0314.csv"
    assert parse({"32004R0314": InputFile.from_path(path)}, "eu-oj", None).entities == []


def test_amendments(amendments: ParseResult) -> None:
    by_id = _by_id(amendments)
    avax = by_id["eu-oj-amend:32016R0044-V-1"]
    assert avax.schema == "Vessel"
    assert avax.properties["measure"] == ["Transportation restrictions", "Financial restrictions"]
    assert avax.properties["flag"] == ["cm"]
    assert avax.properties["amended_act"] == ["32016R0044"]
    (designation,) = avax.designations
    assert (designation.program, designation.listed_on, designation.legal_basis) == (
        "EU-LBY",
        "2026-08-07",
        "32026R1941",
    )
    assert designation.source_url.endswith("CELEX:32026R1941")
    assert _ids(avax) == [("imo", "9058713", None)]
    khavetsky = by_id["eu-oj-amend:32020R1998-I.A-139"]
    assert khavetsky.designations[0].listed_on == "2026-07-13"
    assert len(amendments.entities) == 17  # 18 rows: AVAX has two


def test_a_later_amending_act_restates_an_entry(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / FIXTURE / "amendments" / "32026R1941.csv").read_text(encoding="utf-8")
    (tmp_path / "32026R1941.csv").write_text(text, encoding="utf-8")
    later = text.replace(",32026R1941,", ",32026R1999,").replace(",AVAX,", ",AVAX II,")
    (tmp_path / "32026R1999.csv").write_text(later, encoding="utf-8")
    result = _parse(tmp_path, "eu-oj-amend")
    (avax,) = result.entities
    assert [n.full for n in avax.names] == ["AVAX II"]
    assert {d.legal_basis for d in avax.designations} == {"32026R1999"}
    assert len(result.warnings) == 1
    assert "line 2: 32026R1999 restates eu-oj-amend:32016R0044-V-1 of 32026R1941" in result.warnings[0]


def test_output_is_deterministic(fixtures: Path, consolidated: ParseResult) -> None:
    files = _set(fixtures / FIXTURE / "consolidated")
    shuffled = dict(reversed(list(files.items())))
    again = parse(shuffled, "eu-oj", None)
    assert [e.to_dict() for e in again.entities] == [e.to_dict() for e in consolidated.entities]


def test_progress_and_source_override(fixtures: Path) -> None:
    calls: list[int] = []
    result = parse(_set(fixtures / FIXTURE / "consolidated"), "eu-journal", calls.append)
    assert calls[-1] == len(result.entities) == 26
    assert all(e.id.startswith("eu-journal:") for e in result.entities)


# --- cell values --------------------------------------------------------------------------------


def test_cell_values() -> None:
    assert split_cell('"Foo; Bar"; Baz;  Baz ') == ["Foo; Bar", "Baz"]
    assert split_cell("") == []
    assert enumerated("(a) German, (b) Moroccan") == ["German", "Moroccan"]
    assert enumerated("Member (i) of something") == ["Member (i) of something"]
    assert countries_in("Ukrainian, Russian (the Union does not recognise passports …)") == (
        ("ua", "ru"),
        True,
    )
    assert countries_in("allegedly Russian") == (("ru",), True)
    assert countries_in("Tunisian. National Identification No.: 08619445") == (("tn",), False)
    assert dates_in("Between 1968 and 1970") == (("1968", "1969", "1970"), True)
    assert dates_in("6.3.1955 or 15.3.1955") == (("1955-03-06", "1955-03-15"), True)
    assert dates_in("before 1964") == ((), False)
    (number,) = numbers_in("EC 867868, issued on 27.11.1998 (Ukraine)", "passport")
    assert (number.printed, number.country) == ("EC 867868", "ua")
    assert [n.scheme for n in numbers_in("7730239877, KPP 773001001, OKPO 20239393", "inn")] == [
        "inn",
        "kpp",
        "okpo",
    ]
    assert numbers_in("Does not exist", "imo") == ()


# --- ingest ---------------------------------------------------------------------------------------


def test_a_folder_is_one_snapshot(fixtures: Path, tmp_path: Path) -> None:
    folder = fixtures / FIXTURE / "consolidated"
    detected, skipped = collect([folder])
    assert skipped == []
    (fileset,) = group(detected)[0]
    assert (fileset.source, fileset.format) == ("eu-oj", "eu-oj-csv")
    assert set(fileset.files) == {"32002R0881", "32004R0314", "32011R0753", "32014R0269", "32014R0833", HR}
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    try:
        (outcome,) = ingest(store, [folder]).outcomes
        assert outcome.snapshot.counts["entities"] == 26
        assert set(store.files("eu-oj")) == set(fileset.files)
        zhu = store.entity(f"eu-oj:{HR}-I.A-5")
        assert [n.full for n in zhu.names] == ["ZHU Hailun", "朱海仑"]
        assert ingest(store, [folder]).outcomes[0].unchanged
        (amend,) = ingest(store, [fixtures / FIXTURE / "amendments"]).outcomes
        assert (amend.snapshot.source, amend.snapshot.counts["entities"]) == ("eu-oj-amend", 17)
    finally:
        store.close()


# --- detection ----------------------------------------------------------------------------------


def test_sniff_both_kinds(fixtures: Path, tmp_path: Path) -> None:
    kind = detect(InputFile.from_path(fixtures / FIXTURE / "consolidated" / f"{HR}.csv"))
    assert (kind.format, kind.source, kind.role) == ("eu-oj-csv", "eu-oj", HR)
    kind = sniff(InputFile.from_path(fixtures / FIXTURE / "amendments" / "32026R1941.csv"))
    assert (kind.source, kind.role) == ("eu-oj-amend", "32026R1941")
    # The role is the CELEX in the rows, not the file name; an empty file has only its name.
    copy = tmp_path / "renamed.csv"
    shutil.copy(fixtures / FIXTURE / "consolidated" / f"{HR}.csv", copy)
    assert sniff(InputFile.from_path(copy)).role == HR
    empty = tmp_path / "32004R0314.csv"
    empty.write_bytes(",".join(CONSOLIDATED_HEADER).encode() + b"\r\n")
    assert sniff(InputFile.from_path(empty)).role == "32004R0314"


@pytest.mark.parametrize(
    "relative",
    [
        "ofac_sdn/sdn.csv",
        "ofac_non_sdn/cons_prim.csv",
        "ofac_non_sdn/consolidated.xml",
        "un_sc/consolidated.xml",
        "csl/consolidated_watchman_sample.csv",
        "uk_ofsi/ConList_2020_sample.csv",
        "uk_ofsi/uk_sanctions_list_derived_covyr/subjects.csv",
        "us_other/os_dod_chinese_milcorps_sanctions.csv",
        "eu_fsf/pakote_all_eu_un_ofac.json",
        "ftm/zala.ftm.json",
        "eu_fsf/eu_oj_opensanctions/FORMAT.md",
        "SOURCES.md",
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
        b"celex,recordId,programKey\r\n",
        ",".join(CONSOLIDATED_HEADER[:-1]).encode() + b"\r\n",
        ",".join(CONSOLIDATED_HEADER).encode() + b",extra\r\n",
        b"\xff" + ",".join(AMENDMENT_HEADER).encode(),
    ],
)
def test_sniff_rejects_odd_content(data: bytes) -> None:
    assert sniff(InputFile.from_bytes("32020R1998.csv", data)) is None


# --- bad input ----------------------------------------------------------------------------------


def _broken(fixtures: Path, tmp_path: Path, edit) -> Path:
    """A copy of the 32020R1998 extract with its lines changed by ``edit``."""
    lines = (fixtures / FIXTURE / "consolidated" / f"{HR}.csv").read_bytes().split(b"\r\n")
    path = tmp_path / f"{HR}.csv"
    path.write_bytes(b"\r\n".join(edit(lines)))
    return path


def _error(path: Path) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse({HR: InputFile.from_path(path)}, "eu-oj", None)
    assert info.value.file == str(path)
    return info.value


def _set_line(index: int, old: bytes, new: bytes):
    def edit(lines: list[bytes]) -> list[bytes]:
        assert old in lines[index]
        lines[index] = lines[index].replace(old, new, 1)
        return lines

    return edit


@pytest.mark.parametrize(
    ("edit", "location", "message"),
    [
        (_set_line(3, b",Person,", b",Person,,"), "line 4", "46 columns where the header has 45"),
        (_set_line(2, b"ZHU Hailun,", b"\xff,"), "line 3, column 1685", "invalid UTF-8 byte 0xff"),
        (_set_line(4, b",Person,WANG Mingshan,", b",Person,,"), "line 5", "missing name"),
        (_set_line(5, b"I.A,Asset freeze", b"I.A,"), "line 6", "missing measure"),
        (_set_line(5, b",EU-HR,", b",,"), "line 6", "missing programKey"),
        (_set_line(2, b"32020R1998,", b"CELEX:32020R1998,"), "line 3", "is not a bare CELEX number"),
        (
            _set_line(2, b"32020R1998,", b"32014R0833,"),
            "line 3",
            "CELEX 32014R0833 in a file of act 32020R1998",
        ),
        (_set_line(6, b",LegalEntity,", b",Airplane,"), "line 7", "unknown schema 'Airplane'"),
        (_set_line(0, b"celex,", b"Celex,"), "line 1", "not the header"),
        (lambda lines: [*lines[:3], lines[3][:700]], "line 4", "7 columns where the header has 45"),
    ],
    ids=[
        "columns",
        "bad-utf8",
        "no-name",
        "no-measure",
        "no-program",
        "celex-prefix",
        "celex-mixed",
        "schema",
        "header",
        "cut",
    ],
)
def test_bad_input_names_file_and_line(
    fixtures: Path, tmp_path: Path, edit, location: str, message: str
) -> None:
    error = _error(_broken(fixtures, tmp_path, edit))
    assert error.location == location
    assert message in error.message


def test_line_numbers_count_quoted_line_breaks(fixtures: Path, tmp_path: Path) -> None:
    def edit(lines: list[bytes]) -> list[bytes]:
        lines[1] = lines[1].replace(b"In that position,", b"In that\r\nposition,", 1)
        lines[3] = lines[3] + b",extra"
        return lines

    assert _error(_broken(fixtures, tmp_path, edit)).location == "line 5"


def test_consolidated_and_amendment_files_are_not_one_set(fixtures: Path) -> None:
    files = {
        HR: InputFile.from_path(fixtures / FIXTURE / "consolidated" / f"{HR}.csv"),
        "32026R1941": InputFile.from_path(fixtures / FIXTURE / "amendments" / "32026R1941.csv"),
    }
    with pytest.raises(ParseError, match="separate sources"):
        parse(files, "eu-oj", None)
