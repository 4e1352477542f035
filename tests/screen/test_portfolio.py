"""Portfolio screening on a small hand-made index: matching steps, verdicts, values, the JSON contract."""

from __future__ import annotations

import pytest

from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.model import Designation, Entity, Identifier, Name, Relation
from tamga.screen.portfolio import (
    STATUSES,
    designation_status,
    issuer_name,
    screen_portfolio,
    ticker_key,
)

CMIC = Designation("US-OFAC", "NS-CMIC", "CMIC-EO13959", "2021-06-03", legal_basis="Executive Order 13959")
SDN = Designation("US-OFAC", "SDN", "SDGT", "2019-01-01", legal_basis="Executive Order 13224")
ENTITY_LIST = Designation("US-BIS", "Entity List", None, "2020-05-22", legal_basis="15 CFR 744.11")


def _entities() -> list[Entity]:
    return [
        Entity(
            "t:cmic",
            "Organization",
            names=[Name("ZHONGWEI DEFENCE ELECTRONICS CO., LTD.")],
            identifiers=[
                Identifier("isin", "CNE100000PM8", valid=True),
                Identifier("ticker", "0728HK", raw="0728 HK"),
            ],
            designations=[CMIC],
        ),
        Entity(
            "t:sdn",
            "Organization",
            names=[Name("KORVANTIS SHIPPING LLC")],
            identifiers=[Identifier("lei", "HWUPKR0MPOU8FGXBT394", valid=True)],
            designations=[SDN],
        ),
        Entity(
            "t:both", "Organization", names=[Name("VELDRAKOR HEAVY INDUSTRIES")], designations=[SDN, CMIC]
        ),
        Entity(
            "t:el",
            "Organization",
            names=[Name("QUANTRIX PHOTONICS")],
            identifiers=[Identifier("isin", "US0378331005", valid=True)],
            designations=[ENTITY_LIST],
        ),
        Entity(
            "t:sub",
            "Organization",
            names=[Name("OSTRAVEN TRADING FZE")],
            designations=[SDN],
            relations=[Relation("owned_by", target_name="Belmarco Petrochemical Group")],
        ),
        Entity(
            "t:removed",
            "Organization",
            names=[Name("FORMERLY LISTED MINING")],
            designations=[Designation("US-OFAC", "SDN", "SDGT", "2010-01-01", removed_on="2015-01-01")],
        ),
        Entity("t:person", "Person", names=[Name("Apple Smith")], designations=[SDN]),
    ]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(NameIndex.build(_entities()))


def _screen(screener: Screener, rows: list[dict[str, str]]):
    return screen_portfolio(rows, screener, None, snapshots=[])


@pytest.mark.parametrize(
    ("description", "issuer"),
    [
        ("ALIBABA GROUP HOLDING-SP ADR", "ALIBABA GROUP HOLDING"),
        ("Xiaomi Corp Class B", "Xiaomi Corp"),
        ("XIAOMI CORP-CLASS B", "XIAOMI CORP"),
        ("SENSETIME GROUP INC-W", "SENSETIME GROUP INC"),
        ("SenseTime Group Inc -W", "SenseTime Group Inc"),
        ("China Telecom Corp Ltd H Shares", "China Telecom Corp Ltd"),
        ("CHINA TELECOM CORP LTD-H", "CHINA TELECOM CORP LTD"),
        ("Hangzhou Hikvision Digital Technology Co Ltd-A", "Hangzhou Hikvision Digital Technology Co Ltd"),
        ("Naspers Ltd-N", "Naspers Ltd"),
        ("Samsung Electronics Co Ltd-Reg S GDR", "Samsung Electronics Co Ltd"),
        ("Nestle SA-Reg", "Nestle SA"),
        ("Petroleo Brasileiro SA-Pref", "Petroleo Brasileiro SA"),
        ("Infosys Ltd ADR", "Infosys Ltd"),
        ("Meituan (Class B)", "Meituan"),
        ("Vale SA", "Vale SA"),  # "SA" is no share class
        ("Apple Inc Common Stock", "Apple Inc"),
        ("A", "A"),  # never cut to nothing
    ],
)
def test_share_class_and_listing_suffixes_are_removed(description: str, issuer: str) -> None:
    assert issuer_name(description) == issuer


@pytest.mark.parametrize(
    ("ticker", "key"),
    [
        ("AAPL US", ("AAPL", "US")),
        ("AAPL UW Equity", ("AAPL", "US")),
        ("0700.HK", ("700", "HK")),
        ("700 HK", ("700", "HK")),
        ("0728 HK", ("728", "HK")),
        ("002415 CH", ("2415", "CN")),
        ("002415.SZ", ("2415", "CN")),
        ("BABA", ("BABA", None)),
    ],
)
def test_tickers_with_or_without_exchange(ticker: str, key: tuple[str, str | None]) -> None:
    assert ticker_key(ticker) == key


def test_designations_rank_investment_ban_then_blocking_then_other() -> None:
    assert designation_status(CMIC) == "prohibited"
    assert designation_status(Designation("US-OFAC", "NS-CMIC")) == "prohibited"
    assert designation_status(SDN) == "sanctioned"
    assert designation_status(Designation("UN", "UN Security Council Consolidated List")) == "sanctioned"
    assert designation_status(Designation("EU", "EU Consolidated Financial Sanctions List")) == "sanctioned"
    assert designation_status(ENTITY_LIST) == "restricted"
    assert designation_status(Designation("US-OFAC", "SSI", "UKRAINE-EO13662")) == "restricted"
    assert STATUSES == ("prohibited", "sanctioned", "restricted", "clear", "error")


def test_each_step_and_the_most_severe_verdict(screener: Screener) -> None:
    report = _screen(
        screener,
        [
            {"name": "Some Fund Holding -A", "isin": "CNE100000PM8"},  # 2: by ISIN, whatever the name
            {"name": "Veldrakor Heavy Industries Class B"},  # 3: SDN and NS-CMIC: prohibited wins
            {"name": "Korvantis Shipping"},  # 4: by name: SDN
            {"name": "x", "cusip": "037833100"},  # 5: a CUSIP inside the listed US ISIN
            {"name": "y", "lei": "HWUPKR0MPOU8FGXBT394"},  # 6
            {"name": "z", "ticker": "728.HK"},  # 7
            {"name": "Belmarco Petrochemical Group Ltd"},  # 8: named by a listed entity's relation
            {"name": "Formerly Listed Mining"},  # 9: the listing was removed
            {"name": "Apple Smith Inc"},  # 10: only a person has that name
            {"name": "Zhongwei Defence Electronics", "isin": "CNE100000PM9"},  # 11: misprinted ISIN
        ],
    )
    by_row = {h.row: h for h in report.holdings}
    assert [by_row[r].status for r in range(2, 12)] == [
        "prohibited", "prohibited", "sanctioned", "restricted", "sanctioned", "prohibited", "restricted",
        "clear", "clear", "error",
    ]  # fmt: skip
    first = by_row[2].matches[0]
    assert (first.entity_id, first.basis, first.score) == ("t:cmic", "isin", 1.0)
    assert first.evidence == {"scheme": "isin", "value": "CNE100000PM8", "listed": "CNE100000PM8"}
    assert [d.program for d in first.designations] == ["CMIC-EO13959"]
    both = by_row[3].matches[0]
    assert both.basis == "name" and both.status == "prohibited"
    assert {d.list for d in both.designations} == {"SDN", "NS-CMIC"}
    assert by_row[3].lists == ["SDN", "NS-CMIC"]
    assert by_row[4].matches[0].basis == "name" and by_row[4].matches[0].score >= screener.threshold
    assert by_row[5].matches[0].evidence["value"] == "US0378331005 (from CUSIP 037833100)"
    assert by_row[6].matches[0].evidence["scheme"] == "lei"
    assert by_row[7].matches[0].evidence == {"scheme": "ticker", "value": "728.HK", "listed": "0728 HK"}
    relation = by_row[8].matches[0]
    assert (relation.entity_id, relation.basis, relation.status) == ("t:sub", "relation", "restricted")
    assert relation.evidence["relation"] == "owned_by"
    assert relation.evidence["related_name"] == "Belmarco Petrochemical Group"
    assert by_row[8].lists == ["related to a listed entity"] and by_row[8].authorities == ["US-OFAC"]
    assert by_row[9].matches == [] and by_row[10].matches == []
    misprint = by_row[11]
    assert misprint.holding.error is not None and "column 'isin'" in misprint.holding.error
    assert [m.entity_id for m in misprint.matches] == ["t:cmic"]  # found by name, shown to the reviewer


def test_a_bare_numeric_ticker_is_not_matched(screener: Screener) -> None:
    (holding,) = _screen(screener, [{"ticker": "728"}]).holdings
    assert holding.status == "clear"


def test_values_from_market_value_else_quantity_times_price(screener: Screener) -> None:
    report = _screen(
        screener,
        [
            {
                "name": "Korvantis Shipping",
                "market value": "600",
                "quantity": "1",
                "price": "1",
                "currency": "USD",
            },
            {"name": "Plain Company", "quantity": "10", "price": "30", "currency": "USD"},
            {"name": "Quantrix Photonics", "market value": "100", "currency": "USD"},
            {"name": "Nothing Known", "currency": "USD"},
        ],
    )
    values = [(h.value, h.value_basis) for h in report.holdings]
    assert values == [(600, "market_value"), (300, "quantity_price"), (100, "market_value"), (None, None)]
    s = report.summary
    assert (s["total_value"], s["flagged_value"], s["value_basis"], s["currency"]) == (
        1000,
        700,
        "value",
        "USD",
    )
    assert s["flagged_share"] == 0.7
    assert s["by_status"]["sanctioned"] == {"holdings": 1, "value": 600, "share": 0.6}
    assert s["by_status"]["restricted"] == {"holdings": 1, "value": 100, "share": 0.1}
    assert s["by_status"]["clear"] == {"holdings": 2, "value": 300, "share": 0.3}
    assert s["by_list"] == {
        "SDN": {"holdings": 1, "value": 600, "share": 0.6},
        "Entity List": {"holdings": 1, "value": 100, "share": 0.1},
    }
    assert s["by_jurisdiction"] == {
        "US-BIS": {"holdings": 1, "value": 100, "share": 0.1},
        "US-OFAC": {"holdings": 1, "value": 600, "share": 0.6},
    }
    assert [d["row"] for d in s["divest"]] == [2, 4]  # by value, largest first
    assert any("row(s) 5" in w for w in s["warnings"])  # the holding without a value is said


def test_weights_when_there_is_no_value(screener: Screener) -> None:
    report = _screen(
        screener, [{"name": "Korvantis Shipping", "weight": "2.5%"}, {"name": "Other", "weight": "97.5%"}]
    )
    s = report.summary
    assert (s["value_basis"], s["total_value"], s["flagged_value"], s["flagged_share"]) == (
        "weight",
        100,
        2.5,
        0.025,
    )


def test_mixed_currencies_are_not_added_up(screener: Screener) -> None:
    rows = [
        {"name": "Korvantis Shipping", "market value": "100", "currency": "USD"},
        {"name": "Other Co", "market value": "1000", "currency": "HKD"},
    ]
    s = _screen(screener, rows).summary
    assert s["total_value"] is None and s["flagged_value"] is None and s["flagged_share"] is None
    assert s["by_currency"] == {
        "HKD": {"total_value": 1000, "flagged_value": 0, "flagged_share": 0.0},
        "USD": {"total_value": 100, "flagged_value": 100, "flagged_share": 1.0},
    }
    assert "several currencies (HKD, USD)" in s["warnings"][0]
    # with a weight on every holding, the shares come from the weights
    weighted = [dict(r, weight=w) for r, w in zip(rows, ("10", "90"), strict=True)]
    s = _screen(screener, weighted).summary
    assert (s["value_basis"], s["flagged_share"]) == ("weight", 0.1)
    assert "computed from the weights" in s["warnings"][0]
    # a base-currency column makes them one currency again
    based = [dict(r, **{"market value (usd)": v}) for r, v in zip(rows, ("100", "128"), strict=True)]
    s = _screen(screener, based).summary
    assert (s["total_value"], s["flagged_value"], s["warnings"]) == (228, 100, [])


def test_only_counts_without_any_value(screener: Screener) -> None:
    s = _screen(
        screener, [{"name": "Korvantis Shipping"}, {"name": "A"}, {"name": "B"}, {"name": "C"}]
    ).summary
    assert (s["value_basis"], s["total_value"], s["flagged_share"]) == ("count", None, 0.25)
    assert s["by_status"]["sanctioned"] == {"holdings": 1, "value": None, "share": 0.25}


def test_the_json_contract(screener: Screener) -> None:
    data = screen_portfolio(
        [{"name": "Korvantis Shipping", "isin": "US0378331005", "value": "5"}], screener, None, snapshots=[]
    ).to_dict()
    assert set(data) == {"holdings", "summary", "lists"}
    (holding,) = data["holdings"]
    assert {"row", "input", "status", "matches", "error"} <= set(holding)
    assert holding["input"] == {"name": "Korvantis Shipping", "isin": "US0378331005", "value": "5"}
    assert holding["status"] in STATUSES and holding["error"] is None
    for match in holding["matches"]:
        assert {"entity_id", "name", "basis", "score", "designations"} <= set(match)
        assert match["basis"] in ("isin", "name", "relation")
        for designation in match["designations"]:
            assert {"authority", "list", "program", "listed_on", "legal_basis"} <= set(designation)
    assert [m["basis"] for m in holding["matches"]] == ["name", "isin"]  # sanctioned before restricted
    assert {"total_value", "flagged_value", "flagged_share", "by_status", "by_list"} <= set(data["summary"])
    assert set(data["summary"]["by_status"]) == set(STATUSES)
    assert data["lists"] == []
