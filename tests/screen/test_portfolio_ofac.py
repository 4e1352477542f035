"""The emerging-markets portfolio of issue 5 screened against the real OFAC SDN and non-SDN files.

`tests/fixtures/portfolio/em_portfolio.csv` holds 20 holdings: large caps under their real ISINs,
NS-CMIC companies by the ISINs OFAC prints (Hikvision, China Mobile's ADR, China Telecom's H shares,
SMIC, Dawning), SenseTime and Megvii by name only, and Microsoft with a misprinted ISIN.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from tamga.cli import app
from tamga.match.screener import Screener
from tamga.screen.portfolio import PortfolioReport, screen_portfolio
from tamga.screen.portfolio_report import CSV_COLUMNS, render, to_html
from tamga.sources.base import InputFile
from tamga.store import Store

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "portfolio" / "em_portfolio.csv"

# row -> (entity, basis of the first match)
PROHIBITED = {
    7: ("ofac-cons:30946", "isin"),  # Hikvision, CNE100000PM8
    8: ("ofac-cons:33114", "name"),  # SenseTime, by name only
    9: ("ofac-cons:33091", "name"),  # Megvii, by name only
    10: ("ofac-cons:30923", "isin"),  # China Mobile's ADR, US16941M1099
    16: ("ofac-cons:30882", "isin"),  # China Telecom H shares, CNE1000002V2
    17: ("ofac-cons:30951", "isin"),  # SMIC, KYG8020E1199
    21: ("ofac-cons:33113", "isin"),  # Dawning (Sugon), CNE100001TW7
}
LARGE_CAPS = (2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 18, 19)  # Apple, Tencent, Samsung, TSMC, Alibaba…
MISPRINT = 20  # Microsoft, US5949181046 (US5949181045)
TOTAL = 64_670_000
FLAGGED = 1_740_000 + 630_000 + 250_000 + 960_000 + 702_000 + 1_200_000 + 650_000

runner = CliRunner()


@pytest.fixture(scope="module")
def report(ofac_screener: Screener, ofac_store: Store) -> PortfolioReport:
    return screen_portfolio(FIXTURE, ofac_screener, ofac_store)


def test_every_ns_cmic_holding_is_prohibited_with_its_basis(report: PortfolioReport) -> None:
    by_row = {h.row: h for h in report.holdings}
    assert {h.row for h in report.holdings if h.status == "prohibited"} == set(PROHIBITED)
    for row, (entity_id, basis) in PROHIBITED.items():
        first = by_row[row].matches[0]
        assert (first.entity_id, first.basis) == (entity_id, basis), row
        designation = next(d for d in first.designations if d.program == "CMIC-EO13959")
        assert designation.list == "NS-CMIC" and designation.authority == "US-OFAC"
        assert designation.listed_on in ("2021-06-03", "2021-12-10", "2021-12-16")
        assert designation.legal_basis is not None and "13959" in designation.legal_basis
    assert by_row[7].matches[0].evidence["value"] == "CNE100000PM8"
    assert by_row[8].matches[0].evidence["matched_name"] == "SENSETIME GROUP LIMITED"
    assert by_row[8].issuer == "SenseTime Group Inc"  # "-W" removed
    assert by_row[10].matches[0].evidence["value"] == "US16941M1099"


def test_no_large_cap_is_flagged(report: PortfolioReport) -> None:
    by_row = {h.row: h for h in report.holdings}
    for row in LARGE_CAPS:
        assert by_row[row].status == "clear", (row, by_row[row].holding.name, by_row[row].matches)
        assert by_row[row].matches == []


def test_the_misprinted_isin_is_an_error(report: PortfolioReport) -> None:
    (error,) = [h for h in report.holdings if h.status == "error"]
    assert error.row == MISPRINT
    assert error.holding.error == (
        "row 20, column 'ISIN': 'US5949181046' is not valid as an ISIN: its check digit does not match"
    )


def test_totals_add_up(report: PortfolioReport) -> None:
    s = report.summary
    assert len(report.holdings) == s["holdings"] == 20
    assert (s["total_value"], s["flagged_value"], s["currency"]) == (TOTAL, FLAGGED, "USD")
    assert s["flagged_share"] == round(FLAGGED / TOTAL, 6)
    assert sum(g["holdings"] for g in s["by_status"].values()) == 20
    assert sum(g["value"] for g in s["by_status"].values()) == TOTAL  # the error row counts too
    assert s["by_status"]["error"]["value"] == 4_980_000
    assert s["by_list"] == {"NS-CMIC": {"holdings": 7, "value": FLAGGED, "share": round(FLAGGED / TOTAL, 6)}}
    assert list(s["by_jurisdiction"]) == ["US-OFAC"]
    samsung = next(h for h in report.holdings if h.row == 4)
    assert (samsung.value, samsung.value_basis) == (6_648_000, "quantity_price")  # no market value given
    assert [d["row"] for d in s["divest"]] == [7, 17, 10, 16, 21, 8, 9]  # largest first
    assert s["columns"]["used"]["isin"] == "ISIN" and s["columns"]["ignored"] == []
    assert {(entry["source"], entry["snapshot"]) for entry in report.lists} == {
        ("ofac-sdn", 1),
        ("ofac-cons", 1),
    }


def test_the_xlsx_copy_screens_the_same(
    report: PortfolioReport, ofac_screener: Screener, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    with open(FIXTURE, encoding="utf-8") as handle:
        for i, row in enumerate(csv.reader(handle)):
            sheet.append([float(v) if i and v.replace(".", "", 1).isdigit() and "." in v else v for v in row])
    path = tmp_path / "em_portfolio.xlsx"
    book.save(path)
    from_xlsx = screen_portfolio(path, ofac_screener, None, snapshots=[])
    assert [(h.row, h.status) for h in from_xlsx.holdings] == [(h.row, h.status) for h in report.holdings]
    assert from_xlsx.summary["total_value"] == TOTAL and from_xlsx.summary["flagged_value"] == FLAGGED


# --- the report in each format --------------------------------------------------------------------


def test_json_report_is_the_contract(report: PortfolioReport) -> None:
    data = json.loads(render(report, "json"))
    assert data == json.loads(json.dumps(report.to_dict()))
    assert set(data) == {"holdings", "summary", "lists"}
    assert data["holdings"][5]["row"] == 7 and data["holdings"][5]["status"] == "prohibited"
    assert data["holdings"][5]["input"]["ISIN"] == "CNE100000PM8"


def test_csv_report(report: PortfolioReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 20
    hikvision = next(r for r in rows if r["row"] == "7")
    assert hikvision["status"] == "prohibited" and hikvision["lists"] == "NS-CMIC"
    assert hikvision["programs"] == "CMIC-EO13959" and hikvision["listed_on"] == "2021-06-03"
    assert hikvision["basis"] == "isin" and hikvision["entity_ids"] == "ofac-cons:30946"
    assert next(r for r in rows if r["row"] == "20")["error"].startswith("row 20, column 'ISIN'")


def test_xlsx_report_reads_back(report: PortfolioReport) -> None:
    book = load_workbook(io.BytesIO(render(report, "xlsx")), read_only=True)
    assert book.sheetnames == ["Summary", "Holdings", "Divest", "Lists"]
    holdings = list(book["Holdings"].iter_rows(values_only=True))
    assert holdings[0] == CSV_COLUMNS and len(holdings) == 21
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["total value"] == TOTAL and summary["flagged value"] == FLAGGED
    divest = list(book["Divest"].iter_rows(values_only=True))
    assert divest[1][:4] == (7, "Hangzhou Hikvision Digital Technology Co Ltd-A", "prohibited", 1_740_000)
    lists = list(book["Lists"].iter_rows(values_only=True))
    assert {row[0] for row in lists[1:]} == {"ofac-sdn", "ofac-cons"}


def test_html_report_is_self_contained(report: PortfolioReport) -> None:
    page = to_html(report)
    assert "<svg" in page and "<style>" in page
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert f"{FLAGGED / TOTAL * 100:.2f}%" in page  # 9.48%
    assert "SENSETIME GROUP LIMITED" in page and "Executive Order 13959" in page
    assert "ofac-sdn" in page and "ofac-cons" in page  # the lists used, with their dates


def _chrome():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    if not chromium or not driver:
        pytest.skip("no system Chromium with chromedriver: install Debian's chromium and chromium-driver")
    options = Options()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,2000"):  # fmt: skip
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


def test_html_report_renders_in_headless_chromium(report: PortfolioReport, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(to_html(report), encoding="utf-8")
    browser = _chrome()
    try:
        browser.get(page.as_uri())
        shot = tmp_path / "report.png"
        assert browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert browser.title == "Portfolio screening: " + str(FIXTURE)
        assert browser.find_element("id", "flagged-share").text == "9.48%"
        text = browser.find_element("tag name", "body").text
        assert "7 of 20 holdings" in text and "Megvii Technology Ltd" in text
        bars = browser.find_elements("css selector", "svg rect")
        assert len(bars) == 1 and float(bars[0].get_attribute("width")) > 1
    finally:
        browser.quit()


# --- the command line -----------------------------------------------------------------------------


def test_cli_json_and_reports(ofac_db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["portfolio", str(FIXTURE), "--db", ofac_db, "--json", "--workers", "1"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["flagged_value"] == FLAGGED
    assert {h["row"] for h in data["holdings"] if h["status"] == "prohibited"} == set(PROHIBITED)
    out = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["portfolio", str(FIXTURE), "--db", ofac_db, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert load_workbook(out, read_only=True).sheetnames == ["Summary", "Holdings", "Divest", "Lists"]
    assert f"report -> {out}" in result.stderr
    result = runner.invoke(app, ["portfolio", str(FIXTURE), "--db", ofac_db, "--workers", "1"])
    assert result.exit_code == 0
    assert "7 flagged (9.48% by value)" in result.stdout and "Megvii" in result.stdout


def test_cli_bad_input_exits_2_naming_the_file(ofac_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["portfolio", str(bad), "--db", ofac_db])
    assert result.exit_code == 2 and str(bad) in result.stderr and "no usable column" in result.stderr
    result = runner.invoke(app, ["portfolio", str(tmp_path / "missing.csv"), "--db", ofac_db])
    assert result.exit_code == 2 and "missing.csv" in result.stderr
    result = runner.invoke(
        app, ["portfolio", str(FIXTURE), "--db", ofac_db, "--out", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 2 and "r.pdf" in result.stderr
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(app, ["portfolio", str(FIXTURE), "--db", empty])
    assert result.exit_code == 2 and "no entities" in result.stderr


def test_upload_held_in_memory(ofac_screener: Screener) -> None:
    upload = InputFile.from_bytes("upload.csv", FIXTURE.read_bytes())
    assert screen_portfolio(upload, ofac_screener).summary["flagged_value"] == FLAGGED
