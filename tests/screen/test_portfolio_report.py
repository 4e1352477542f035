"""The report writers: user strings escaped in HTML, formulas defused in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.screen.portfolio import PortfolioReport, screen_portfolio
from tamga.screen.portfolio_report import format_of, render, to_html, write_report
from tests.screen.test_portfolio import _entities

HOSTILE = '<script>"alert"</script>'


@pytest.fixture(scope="module")
def report() -> PortfolioReport:
    screener = Screener(NameIndex.build(_entities()))
    rows = [
        {"name": "Korvantis Shipping", "ticker": HOSTILE, "market value": "100", "currency": "USD"},
        {"name": "Other <b>Co</b>", "isin": "<img src=x>", "market value": "10", "currency": "USD"},
        {"name": '=HYPERLINK("http://evil")', "market value": "50", "currency": "USD"},
    ]
    return screen_portfolio(rows, screener, None, snapshots=[])


def test_html_escapes_what_the_user_sent(report: PortfolioReport) -> None:
    assert report.holdings[0].status == "sanctioned"  # the name still matched
    page = to_html(report)
    assert "<script" not in page and "<img" not in page and "<b>Co</b>" not in page
    assert "TICKER &lt;script&gt;&quot;alert&quot;&lt;/script&gt;" in page  # the flagged table
    assert (
        "Other &lt;b&gt;Co&lt;/b&gt;" in page and "&#x27;&lt;img src=x&gt;&#x27;" in page
    )  # the error table


def test_csv_and_xlsx_defuse_formulas(report: PortfolioReport, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode("utf-8"))))
    assert rows[2]["name"] == '\'=HYPERLINK("http://evil")'
    book = load_workbook(io.BytesIO(render(report, "xlsx")))
    cell = book["Holdings"]["B4"]
    assert cell.value == '\'=HYPERLINK("http://evil")' and cell.data_type == "s"


def test_format_follows_the_file_name(report: PortfolioReport, tmp_path: Path) -> None:
    assert [format_of(Path(f"r.{s}")) for s in ("html", "CSV", "json", "xlsx", "pdf")] == [
        "html", "csv", "json", "xlsx", None,
    ]  # fmt: skip
    write_report(report, tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError, match="must end in"):
        write_report(report, tmp_path / "r.pdf")
