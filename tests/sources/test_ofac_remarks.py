"""OFAC Remarks parser: real remark texts taken apart item by item, and coverage on the full list."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from tamga.model import Country, Identifier, Relation
from tamga.sources.ofac_remarks import parse_remarks, split_remarks

# Real remarks from the SDN / non-SDN CSV files (ent_num in the comment).
TUNIYAZ = (  # 34119
    "DOB Dec 1961; POB Aksu, Xinjiang, China; nationality China; Gender Male; "
    "Linked To: XINJIANG PUBLIC SECURITY BUREAU."
)
HIKVISION = (  # cons 30946
    "Equity Ticker 002415 CN; Issuer Name Hangzhou Hikvision Digital Technology; ISIN CNE100000PM8; "
    "Target Type Public Company; Effective Date (CMIC) 02 Aug 2021; Purchase/Sales For Divestment Date "
    "(CMIC) 03 Jun 2022; Listing Date (CMIC) 03 Jun 2021; Unified Social Credit Code (USCC) "
    "91330000733796106P (China)."
)
ROBOW = (  # 11313: a parenthesised passage with semicolons inside
    "DOB 1969; alt. DOB 10 Oct 1969; POB Xudur, Somalia; alt. POB Keren, Eritrea; nationality Eritrea; "
    "Passport 0310857 (Eritrea) issued 21 Aug 2006 expires 20 Aug 2008; National ID No. 1372584 (Kenya); "
    "(Following data derived from an Eritrean passport issued under the alias name of Mukhtar Abdullahi "
    "Ali: Alt. DOB: 10 October 1969; Alt. POB: Keren Eritrea; nationality: Eritrean; National ID No.: "
    "1372584, Kenya; Passport No.: 0310857, Eritrea, Issue Date 21 August 2006, Expire Date 20 August "
    "2008); a.k.a. 'ABU MANSUR'; a.k.a. 'ABU MANSOUR'."
)
NAQDI = (  # 12057: several DOBs and ranges, titles repeated in the remarks
    "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953; POB Najaf, Iraq; "
    "alt. POB Tehran, Iran; nationality Iran; Additional Sanctions Information - Subject to Secondary "
    "Sanctions; Gender Male; Brigadier General and Commander of the IRGC Basij Resistance Force; "
    "President of the Organization of the Basij of the Oppressed; Chief of the Mobilization of the "
    "Oppressed Organization; Head of the Basij."
)
NAQDI_TITLES = [
    "Brigadier General and Commander of the IRGC Basij Resistance Force",
    "President of the Organization of the Basij of the Oppressed",
    "Chief of the Mobilization of the Oppressed Organization",
]
ARRIOLA = (  # 9338
    "DOB 15 Dec 1967; POB Chihuahua, Mexico; nationality Mexico; citizen Mexico; R.F.C. AIMM-671215-387 "
    "(Mexico); C.U.R.P. AIMM67125HCHRRG06 (Mexico) issued 1968."
)
SBERBANK_TAIL = (  # 17018 (part)
    "Listing Date (EO 14024 Directive 2): 24 Feb 2022; Effective Date (EO 14024 Directive 2): 26 Mar 2022; "
    "Tax ID No. 7707083893 (Russia); Registration Number 1027700132195 (Russia); Government Gazette Number "
    "00032537 (Russia); Legal Entity Number 253400WSS48YWMBUA688; SWIFT/BIC SABRRUMM; "
    "a.k.a. 'SBERBANK INDIA'; a.k.a. 'SBERBANK MUMBAI'."
)


def _ids(text: str) -> dict[str, list[Identifier]]:
    found: dict[str, list[Identifier]] = {}
    for identifier in parse_remarks(text).identifiers:
        found.setdefault(identifier.scheme, []).append(identifier)
    return found


def test_person_remarks() -> None:
    r = parse_remarks(TUNIYAZ)
    assert r.birth_dates == ["1961-12"]
    assert r.birth_places == ["Aksu, Xinjiang, China"]
    assert r.countries == [Country("cn", "nationality")]
    assert r.properties == {"gender": ["male"]}
    assert r.relations == [Relation(kind="linked_to", target_name="XINJIANG PUBLIC SECURITY BUREAU")]
    assert r.unknown == []
    assert r.coverage == 1.0
    assert [i.label for i in r.items] == ["birth_date", "birth_place", "nationality", "gender", "linked_to"]


def test_cmic_remarks() -> None:
    r = parse_remarks(HIKVISION)
    by_scheme = {i.scheme: i for i in r.identifiers}
    assert by_scheme["isin"].value == "CNE100000PM8" and by_scheme["isin"].valid is True
    assert by_scheme["ticker"].raw == "002415 CN" and by_scheme["ticker"].value == "002415CN"
    uscc = by_scheme["uscc"]
    assert (uscc.value, uscc.country, uscc.valid) == ("91330000733796106P", "cn", None)
    assert r.listing_dates == [("CMIC", "2021-06-03")]
    assert r.properties["cmic_listing_date"] == ["2021-06-03"]
    assert r.properties["cmic_effective_date"] == ["2021-08-02"]
    assert r.properties["cmic_divestment_date"] == ["2022-06-03"]
    assert r.properties["issuer_name"] == ["Hangzhou Hikvision Digital Technology"]
    assert r.properties["target_type"] == ["Public Company"]
    assert r.coverage == 1.0


def test_semicolons_inside_parentheses_do_not_split() -> None:
    items = split_remarks(ROBOW)
    assert len(items) == 10
    assert items[7].startswith("(Following data derived") and items[7].endswith("Expire Date 20 August 2008)")
    r = parse_remarks(ROBOW)
    assert r.unknown == [items[7]]  # kept, not lost
    assert r.birth_dates == ["1969", "1969-10-10"]
    assert r.birth_places == ["Xudur, Somalia", "Keren, Eritrea"]
    passport = next(i for i in r.identifiers if i.scheme == "passport")
    assert (passport.value, passport.country) == ("0310857", "er")
    assert passport.note == "issued 21 Aug 2006 expires 20 Aug 2008"
    national = next(i for i in r.identifiers if i.scheme == "national_id")
    assert (national.value, national.country) == ("1372584", "ke")
    assert [(n.full, n.kind) for n in r.names] == [("ABU MANSUR", "weak"), ("ABU MANSOUR", "weak")]


def test_unclosed_parenthesis_does_not_swallow_the_rest() -> None:
    # Remarks cut at 1,000 characters can end inside a parenthesis.
    items = split_remarks("Listing Date (EO 14024 Direct; DOB 1961; Gender Male")
    assert items == ["Listing Date (EO 14024 Direct", "DOB 1961", "Gender Male"]


def test_trailing_period_and_abbreviations() -> None:
    assert split_remarks("DOB 1955.") == ["DOB 1955"]
    # The last name ends in an abbreviation: OFAC adds no extra period, the name keeps its own.
    r = parse_remarks("RIF # J-00095036-9 (Venezuela); Linked To: PETROLEOS DE VENEZUELA, S.A.")
    assert r.relations[0].target_name == "PETROLEOS DE VENEZUELA, S.A."
    r = parse_remarks("Linked To: AVICAL S.A.; Linked To: SBT S.A.; Linked To: MILENYUM ENERGY S.A.")
    assert [x.target_name for x in r.relations] == ["AVICAL S.A.", "SBT S.A.", "MILENYUM ENERGY S.A."]
    r = parse_remarks("Linked To: HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
    assert r.relations[0].target_name == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."


def test_wrapped_text_and_quoted_semicolons() -> None:
    text = "DOB 01 Jan\r\n 1958;   POB  Baghdad,\n Iraq; a.k.a. 'AL-QA'QA; ABU'; Gender Male."
    r = parse_remarks(text)
    assert r.birth_dates == ["1958-01-01"]
    assert r.birth_places == ["Baghdad, Iraq"]
    assert [n.full for n in r.names] == ["AL-QA'QA; ABU"]
    assert r.properties["gender"] == ["male"]


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("DOB Dec 1961", ["1961-12"]),
        ("DOB 1955", ["1955"]),
        ("DOB circa 1951", ["1951"]),
        ("DOB circa 01 Jan 1961", ["1961-01-01"]),
        ("DOB 1960 to 1962", ["1960", "1961", "1962"]),
        ("DOB circa 1960-1962", ["1960", "1961", "1962"]),
        ("DOB 01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"]),
        ("DOB 21 Mar 1965 to 20 Mar 1966", ["1965", "1966"]),
        ("alt. DOB 01 Mar 1965 to 31 Mar 1965", ["1965-03"]),
        ("DOB 26 Sep 1946 to 07 Dec 1946", ["1946"]),
        ("DOB 10 Jan 1961; alt. DOB 11 Jan 1961", ["1961-01-10", "1961-01-11"]),
    ],
)
def test_birth_dates(text: str, dates: list[str]) -> None:
    assert parse_remarks(text).birth_dates == dates


def test_several_dobs_and_titles() -> None:
    r = parse_remarks(NAQDI, NAQDI_TITLES)
    assert r.birth_dates == ["1951", "1952", "1953", "1960", "1961", "1962", "1961-04"]
    assert r.birth_places == ["Najaf, Iraq", "Tehran, Iran"]
    assert r.properties["additional_sanctions_information"] == ["Subject to Secondary Sanctions"]
    assert [i.label for i in r.items].count("title") == 3
    assert r.unknown == ["Head of the Basij"]  # not a title in the Title column
    assert parse_remarks(NAQDI).unknown[:1] == [NAQDI_TITLES[0]]


def test_nationality_citizenship_and_mexican_ids() -> None:
    r = parse_remarks(ARRIOLA)
    assert r.countries == [Country("mx", "nationality"), Country("mx", "citizenship")]
    ids = {i.scheme: i for i in r.identifiers}
    assert (ids["tax_id"].value, ids["tax_id"].raw, ids["tax_id"].note) == (
        "AIMM671215387",
        "AIMM-671215-387",
        "R.F.C.",
    )
    assert ids["national_id"].value == "AIMM67125HCHRRG06"
    assert ids["national_id"].note == "C.U.R.P.; issued 1968"
    assert ids["national_id"].country == "mx"


def test_russian_registry_numbers() -> None:
    r = parse_remarks(SBERBANK_TAIL)
    ids = {i.scheme: i for i in r.identifiers}
    assert ids["inn"].value == "7707083893" and ids["inn"].country == "ru"
    assert ids["ogrn"].value == "1027700132195"
    assert ids["okpo"].value == "00032537"
    assert ids["lei"].value == "253400WSS48YWMBUA688" and ids["lei"].valid is True
    assert ids["swift"].value == "SABRRUMM" and ids["swift"].valid is True
    assert r.listing_dates == [("EO 14024 Directive 2", "2022-02-24")]
    assert r.properties["directive_listing_date"] == ["2022-02-24 (EO 14024 Directive 2)"]
    assert r.properties["directive_effective_date"] == ["2022-03-26 (EO 14024 Directive 2)"]
    assert [n.full for n in r.names] == ["SBERBANK INDIA", "SBERBANK MUMBAI"]
    assert r.coverage == 1.0


# (item, scheme, value, country, note)
IDENTIFIER_CASES = [
    ("Passport 1084010 (Egypt)", "passport", "1084010", "eg", None),
    ("alt. Passport A3784761 (Iran) expires 11 Aug 2021", "passport", "A3784761", "ir",
     "expires 11 Aug 2021"),
    ("Diplomatic Passport 008827 (Iran) issued 1999", "passport", "008827", "ir",
     "diplomatic passport; issued 1999"),
    ("Passport PS 472330208 (Korea, North) expires 04 Jul 2017", "passport", "PS472330208", "kp",
     "expires 04 Jul 2017"),
    ("National ID No. 216040 (Yemen)", "national_id", "216040", "ye", None),
    ("Cedula No. 6068015 (Colombia)", "national_id", "6068015", "co", "cedula"),
    ("D.N.I. 78.865.882 (Spain)", "national_id", "78865882", "es", "D.N.I."),
    ("SSN 523-33-8386 (United States)", "national_id", "523338386", "us", "SSN"),
    ("Identification Number 2.194.575 (Paraguay)", "national_id", "2194575", "py", None),
    ("Tax ID No. AABA 670850 Y", "tax_id", "AABA670850Y", None, None),
    ("NIT # 800018928-0 (Colombia)", "tax_id", "8000189280", "co", "NIT"),
    ("RFC SAEA740214 (Mexico)", "tax_id", "SAEA740214", "mx", "R.F.C."),
    ("Registration ID 14063277", "registration", "14063277", None, None),
    ("Company Number 01074897 (United Kingdom)", "registration", "01074897", "gb", None),
    ("Business Registration Number 1037739709138 (Russia)", "ogrn", "1037739709138", "ru", None),
    ("Commercial Registry Number HRB96201 (Germany)", "registration", "HRB96201", "de", None),
    ("Registration Number HRA 738077 (Stuttgart) (Germany)", "registration", "HRA738077", "de",
     "Stuttgart"),
    ("C.R. No. 2162198 (Hong Kong)", "registration", "2162198", "hk", "C.R."),
    ("Government Gazette Number 09804148 (Russia)", "okpo", "09804148", "ru", None),
    ("Unified Social Credit Code (USCC) 9113100033607322XK (China)", "uscc", "9113100033607322XK",
     "cn", None),
    ("Legal Entity Number 253400V1H6ART1UQ0N98 (Russia)", "lei", "253400V1H6ART1UQ0N98", "ru", None),
    ("SWIFT/BIC HAVIGB2L", "swift", "HAVIGB2L", None, None),
    ("alt. ISIN CNE1000002V2", "isin", "CNE1000002V2", None, None),
    ("Equity Ticker 00883 HK", "ticker", "00883HK", None, None),
    ("Vessel Registration Identification IMO 7406784", "imo", "7406784", None, None),
    ("Vessel Registration Identification RS 150443 (Russia)", "registration", "RS150443", "ru",
     "vessel registration"),
    ("Identification Number IMO 5342883", "imo", "5342883", None, "Identification Number IMO"),
    ("MMSI 572469210", "mmsi", "572469210", None, None),
    ("Aircraft Manufacturer's Serial Number (MSN) 1023409321", "aircraft_serial", "1023409321",
     None, None),
    ("Aircraft Tail Number EP-MMH", "aircraft_tail", "EPMMH", None, None),
    ("Email Address esm@rossia3.ru", "email", "esm@rossia3.ru", None, None),
    ("Website www.bank-maskan.ir", "website", "www.bank-maskan.ir", None, None),
    ("Phone Number 982188526300", "phone", "982188526300", None, None),
    ("Telephone (357)(22660766)", "phone", "(357)(22660766)", None, None),
    ("Fax: 0097282858208", "phone", "0097282858208", None, "fax"),
    ("Driver's License No. 180839 (Mexico)", "other", "180839", "mx", "driver's license"),
    ("BIK (RU) 044030707", "other", "044030707", None, "BIK"),
]  # fmt: skip


@pytest.mark.parametrize(("item", "scheme", "value", "country", "note"), IDENTIFIER_CASES)
def test_identifier_labels(item: str, scheme: str, value: str, country: str | None, note: str | None) -> None:
    r = parse_remarks(item)
    assert r.unknown == []
    assert len(r.identifiers) == 1
    identifier = r.identifiers[0]
    assert (identifier.scheme, identifier.value, identifier.country, identifier.note) == (
        scheme,
        value,
        country,
        note,
    )


def test_identifier_validity() -> None:
    ids = _ids("ISIN CNE100000PM8; alt. ISIN CNE100000PM9; Vessel Registration Identification IMO 9569671")
    assert [(i.value, i.valid) for i in ids["isin"]] == [("CNE100000PM8", True), ("CNE100000PM9", False)]
    assert ids["imo"][0].valid is True


def test_crypto_wallets() -> None:
    r = parse_remarks(
        "Digital Currency Address - XBT 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; alt. Digital Currency Address - "
        "ETH 0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
    )
    assert [(i.scheme, i.value, i.note) for i in r.identifiers] == [
        ("crypto_wallet", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", "XBT"),
        ("crypto_wallet", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "ETH"),
    ]


def test_names_and_relations() -> None:
    r = parse_remarks(
        "a.k.a. 'BNC'; f.k.a. 'ANA I'; n.k.a. 'NEW NAME'; Linked To: LAZARUS GROUP; "
        "Linked To: PRIGOZHIN, Yevgeniy Viktorovich; wife of Slobodan Milosevic."
    )
    assert [(n.full, n.kind) for n in r.names] == [("BNC", "weak"), ("ANA I", "fka"), ("NEW NAME", "nka")]
    assert [(x.kind, x.target_name, x.note) for x in r.relations] == [
        ("linked_to", "LAZARUS GROUP", None),
        ("linked_to", "PRIGOZHIN, Yevgeniy Viktorovich", None),
        ("linked_to", "Slobodan Milosevic", "wife"),
    ]


def test_property_labels() -> None:
    r = parse_remarks(
        "Secondary sanctions risk: section 1(b) of Executive Order 13224, as amended by Executive "
        "Order 13886; Organization Established Date 23 Nov 2012; Organization Type: Activities of "
        "holding companies; Target Type State-Owned Enterprise; Executive Order 13662 Directive "
        "Determination - Subject to Directive 1; Transactions Prohibited For Persons Owned or "
        "Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; "
        "Former Vessel Flag Tanzania; alt. Former Vessel Flag None Identified; Aircraft Model IL76-TD; "
        "Aircraft Operator YAS AIR; Aircraft Manufacture Date Sep 1984; Nationality of Registration "
        "Korea, North; all offices worldwide."
    )
    assert r.coverage == 1.0
    p = r.properties
    assert p["secondary_sanctions_risk"] == [
        "section 1(b) of Executive Order 13224, as amended by Executive Order 13886"
    ]
    assert p["established_date"] == ["2012-11-23"]
    assert p["organization_type"] == ["Activities of holding companies"]
    assert p["target_type"] == ["State-Owned Enterprise"]
    assert p["directive"] == ["Executive Order 13662 Directive Determination - Subject to Directive 1"]
    assert p["transactions_prohibited"] == ["North Korea Sanctions Regulations section 510.214"]
    assert p["former_flag"] == ["tz"]
    assert p["aircraft_model"] == ["IL76-TD"] and p["operator"] == ["YAS AIR"]
    assert p["build_date"] == ["1984-09"]
    assert p["flag"] == ["kp"]
    assert p["scope"] == ["all offices worldwide"]


def test_unknown_items_are_kept() -> None:
    r = parse_remarks("Member ETA; DOB 1970; HAMAS - Hebron.")
    assert r.unknown == ["Member ETA", "HAMAS - Hebron"]
    assert r.coverage == pytest.approx(1 / 3)
    assert parse_remarks(None).items == [] and parse_remarks("-0- ").coverage == 1.0


def test_coverage_on_full_lists(lists: Path) -> None:
    """Share of remark items classified over the full SDN and non-SDN files (printed with -s)."""
    total = classified = 0
    labels: Counter[str | None] = Counter()
    for path in (lists / "ofac_sdn" / "sdn.csv", lists / "ofac_non_sdn" / "cons_prim.csv"):
        text = path.read_text("utf-8").rstrip("\x1a")
        for row in csv.reader(text.splitlines()):
            titles = split_remarks(row[4]) if row[4].strip() != "-0-" else []
            remarks = parse_remarks(row[11], titles)
            for item in remarks.items:
                total += 1
                labels[item.label] += 1
                classified += item.label is not None
    share = classified / total
    print(f"\nOFAC remarks coverage: {classified:,} of {total:,} items classified ({share:.2%})")
    assert total == 64_332
    assert labels[None] == 353
    assert share > 0.99
    assert labels["birth_date"] == 7_608
    assert labels["linked_to"] == 6_658
    assert labels["id:isin"] == 169
