"""Reading holdings files: columns found by header, identifiers checked, numbers read, no row lost."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from tamga.screen.holdings import check_identifier, field_of, isins_from, parse_number, read_holdings
from tamga.sources.base import InputFile, ParseError


def _csv(tmp_path: Path, text: str, name: str = "holdings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ISIN", "isin"),
        ("  isin code ", "isin"),
        ("CUSIP", "cusip"),
        ("Sedol", "sedol"),
        ("FIGI", "figi"),
        ("Issuer LEI", "lei"),
        ("Bloomberg Ticker", "ticker"),
        ("Symbol", "ticker"),
        ("Issuer Name", "name"),
        ("Security_Name", "name"),
        ("Market Value", "market_value"),
        ("MARKET-VALUE", "market_value"),
        ("Value", "market_value"),
        ("Market Value (USD)", "base_value"),
        ("Quantity", "quantity"),
        ("Shares", "quantity"),
        ("Price", "price"),
        ("Weight (%)", "weight"),
        ("% of Fund", "weight"),
        ("CCY", "currency"),
        ("Sector", None),
        ("Country of Risk", None),
    ],
)
def test_columns_are_found_by_header(header: str, field: str | None) -> None:
    assert field_of(header) == field


def test_columns_used_and_ignored_are_reported(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Fund: EM Opportunities\nAs of 2024-03-31\n"
        "Security Name,Issuer,ISIN,Sector,Mkt Value,Quantity,Price,CCY\n"
        "ALIBABA GROUP HOLDING-SP ADR,Alibaba Group Holding Ltd,US01609W1027,Tech,1000,10,100,USD\n",
    )
    read = read_holdings(path)
    assert read.columns.header_row == 3
    # the issuer column is preferred to the security description for the name
    assert read.columns.used == {
        "name": "Issuer",
        "isin": "ISIN",
        "market_value": "Mkt Value",
        "quantity": "Quantity",
        "price": "Price",
        "currency": "CCY",
    }
    assert read.columns.ignored == ["Security Name", "Sector"]
    (holding,) = read.holdings
    assert holding.row == 4
    assert holding.name == "Alibaba Group Holding Ltd"
    assert holding.identifiers == {"isin": "US01609W1027"}
    assert holding.market_value == Decimal(1000) and holding.currency == "USD"
    assert holding.input["Sector"] == "Tech"  # every cell kept as given


def test_a_file_without_usable_column_names_the_file(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Sector,Weight\nTech,5\n")
    with pytest.raises(ParseError) as caught:
        read_holdings(path)
    assert caught.value.file == str(path)
    assert "no usable column" in str(caught.value) and "Sector, Weight" in str(caught.value)


def test_an_empty_file_and_an_old_excel_file_are_clean_errors(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="empty"):
        read_holdings(_csv(tmp_path, ""))
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ParseError, match=r"\.xls"):
        read_holdings(old)


@pytest.mark.parametrize(
    ("scheme", "value", "valid"),
    [
        ("isin", "US0378331005", True),  # Apple
        ("isin", "us0378331005", True),
        ("isin", "US0378331006", False),
        ("isin", "CNE100000PM8", True),  # Hikvision
        ("isin", "CNE100000PM9", False),
        ("cusip", "037833100", True),
        ("cusip", "037833101", False),
        ("sedol", "2046251", True),
        ("sedol", "2046252", False),
        ("lei", "HWUPKR0MPOU8FGXBT394", True),  # Apple Inc.
        ("lei", "HWUPKR0MPOU8FGXBT395", False),
        ("figi", "BBG000B9XRY4", True),
        ("figi", "BBG000B9XRY5", False),
        ("isin", "US03783310", False),  # too short
    ],
)
def test_check_digits(scheme: str, value: str, valid: bool) -> None:
    normalised, problem = check_identifier(scheme, value)
    assert (problem is None) is valid
    assert normalised == value.upper()


def test_an_invalid_identifier_makes_the_row_an_error_naming_row_and_column(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "Name,ISIN,CUSIP,Value\n"
        "Apple Inc,US0378331005,,100\n"
        "Microsoft Corp,US5949181046,,200\n"
        "Apple again,,037833101,300\n"
        "\n"
        ",,,400\n",
    )
    holdings = read_holdings(path).holdings
    assert [h.row for h in holdings] == [2, 3, 4, 6]  # the blank line is no holding; nothing else dropped
    assert holdings[0].error is None
    assert holdings[1].error == (
        "row 3, column 'ISIN': 'US5949181046' is not valid as an ISIN: its check digit does not match"
    )
    assert holdings[1].invalid == {"isin": "US5949181046"} and holdings[1].identifiers == {}
    assert holdings[2].error is not None and "row 4, column 'CUSIP'" in holdings[2].error
    assert holdings[3].error == "row 6: no identifier and no name to screen"
    assert holdings[3].market_value == Decimal(400)


def test_numbers_as_spreadsheets_write_them() -> None:
    assert parse_number("1,234.50") == Decimal("1234.50")
    assert parse_number("(12.5)") == Decimal("-12.5")
    assert parse_number("3.5%") == Decimal("3.5")
    assert parse_number("USD 1,000") == Decimal(1000)
    assert parse_number("$ 7") == Decimal(7)


def test_an_unreadable_number_is_a_row_error(tmp_path: Path) -> None:
    (holding,) = read_holdings(_csv(tmp_path, "name,market value\nApple,n/a\n")).holdings
    assert holding.error == "row 2, column 'market value': 'n/a' is not a number"


def test_cusip_and_sedol_stand_inside_isins() -> None:
    assert isins_from("cusip", "037833100") == ["US0378331005", "CA0378331007"]
    assert isins_from("sedol", "0263494")[0] == "GB0002634946"  # BAE Systems
    assert isins_from("isin", "US0378331005") == []


def test_semicolon_separated_and_windows_encoded_files(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes("Emetteur;ISIN;Name\nx;US0378331005;Société Générale\n".encode("cp1252"))
    (holding,) = read_holdings(path).holdings
    assert holding.name == "Société Générale" and holding.identifiers == {"isin": "US0378331005"}


def test_ticker_takes_a_separate_exchange_column(tmp_path: Path) -> None:
    (a, b) = read_holdings(_csv(tmp_path, "ticker,exchange\n700,HK\nAAPL US,\n")).holdings
    assert a.identifiers == {"ticker": "700 HK"} and b.identifiers == {"ticker": "AAPL US"}


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Holdings report"])
    sheet.append([])
    sheet.append(["Security", "ISIN", "Market Value", "Weight"])
    sheet.append(["Apple Inc", "US0378331005", 9100000.0, 0.14])
    sheet.append(["Bad", "US0378331006", 1, None])
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_holdings(InputFile.from_bytes("upload", buffer.getvalue()))  # found by content, not name
    assert read.columns.header_row == 3
    first, second = read.holdings
    assert (first.row, first.name, first.market_value) == (4, "Apple Inc", Decimal(9100000))
    assert first.weight == Decimal("0.14")
    assert second.row == 5 and second.error is not None and "column 'ISIN'" in second.error


def test_rows_given_as_mappings() -> None:
    read = read_holdings([{"ISIN": "US0378331005", "Name": "Apple"}, {"Name": "Megvii", "Value": 5}], "mine")
    assert read.name == "mine"
    assert [h.name for h in read.holdings] == ["Apple", "Megvii"]
    assert read.holdings[1].market_value == Decimal(5)
