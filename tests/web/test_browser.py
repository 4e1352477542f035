"""The web interface in a real browser: Debian's Chromium, headless, driven by Selenium against the
app served by uvicorn (see conftest). Screenshots go to ``test-output/web/`` (or
``$TAMGA_TEST_OUTPUT/web``); with ``TAMGA_DOCS_SCREENSHOTS`` set, the README's images are written
there too (``scripts/screenshots`` does this).
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.web.conftest import HOSTILE_NAME, ROOT

PORTFOLIO = ROOT / "tests" / "fixtures" / "portfolio" / "em_portfolio.csv"
WAIT = 60  # seconds an element may take to appear; a bound for a loaded machine, not a target
DOCS_SHOTS = {"search", "portfolio"}  # the README's images


def _chrome() -> Any:
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
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-GB",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


class Page:
    """The browser and the server, with the waits and screenshots the tests share."""

    def __init__(self, driver: Any, server: str, output: Path) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.server = server
        self.output = output
        self.wait = WebDriverWait(driver, WAIT)

    def open(self, path: str) -> None:
        self.driver.get(self.server + path)

    def find(self, css: str) -> Any:
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait.until(ec.visibility_of_element_located(("css selector", css)))

    def text_in(self, css: str, text: str) -> Any:
        from selenium.webdriver.support import expected_conditions as ec

        self.wait.until(ec.text_to_be_present_in_element(("css selector", css), text))
        return self.driver.find_element("css selector", css)

    def shot(self, name: str, full: bool = False) -> Path:
        """Save a screenshot: of the window, or with ``full`` of the whole page (the window made
        as tall as the page, up to a bound)."""
        path = self.output / f"{name}.png"
        size = self.driver.get_window_size()
        if full:
            height = self.driver.execute_script("return document.documentElement.scrollHeight")
            self.driver.set_window_size(size["width"], min(height + 150, 3000))
        try:
            assert self.driver.save_screenshot(str(path))
        finally:
            if full:
                self.driver.set_window_size(size["width"], size["height"])
        assert path.stat().st_size > 10_000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        docs = os.environ.get("TAMGA_DOCS_SCREENSHOTS")
        if docs and name in DOCS_SHOTS:
            Path(docs).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(docs) / f"{name}.png")
        return path

    def loaded(self, image: Any) -> None:
        """Wait for an image (lazily loaded: scrolled to first) to load with a size."""
        self.driver.execute_script("arguments[0].scrollIntoView()", image)
        self.wait.until(
            lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
        )

    def errors(self) -> list[str]:
        """Script errors the page logged (a page that broke, or a blocked inline script)."""
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]


@pytest.fixture(scope="module")
def page(server: str, key: str, output_dir: Path) -> Iterator[Page]:
    driver = _chrome()
    try:
        browser = Page(driver, server, output_dir)
        browser.open("/")  # sent to the sign-in page, and back after it
        assert "/signin?next=%2F" in driver.current_url
        browser.find("#key").send_keys(key)
        driver.find_element("css selector", "form button[type=submit]").click()
        browser.find("#q")
        assert driver.current_url == server + "/" and "Signed in as analyst" in driver.page_source.replace(
            "<b>", ""
        ).replace("</b>", "")
        yield browser
    finally:
        driver.quit()


def test_search_alken_tuniaz_and_open_erkin_tuniyaz(page: Page) -> None:
    from selenium.webdriver.common.keys import Keys

    page.open("/")
    box = page.find("#q")
    box.send_keys("Alken Tuniaz", Keys.ENTER)
    result = page.find('a.caption[href="/entity/ofac-sdn:34119"]')
    assert page.driver.current_url.endswith("/?q=Alken+Tuniaz&schema=&birth_date=&country=")
    item = result.find_element("xpath", "./ancestor::li")
    assert "met the listed alias ‘TUNIAZ, Alken’" in item.text and "match" in item.text
    page.shot("search")
    result.click()
    heading = page.find("h1")
    assert heading.text == "TUNIYAZ, Erken"
    assert "Erkin Tuniyaz" in page.find('a[href="/entity/curated:erkin-tuniyaz"]').text  # on other lists
    chart = page.find('img[src="/charts/subjects/ofac-sdn:34119.svg"]')
    page.loaded(chart)
    page.driver.execute_script("window.scrollTo(0, 0)")
    page.shot("entity", full=True)
    assert not page.errors()


def test_type_ahead_in_any_script(page: Page) -> None:
    from selenium.webdriver.common.keys import Keys

    page.open("/")
    box = page.find("#q")
    box.send_keys("艾尔肯·吐尼亚孜")
    option = page.find("#suggestions [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    assert "Erkin Tuniyaz" in option.text
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    box.send_keys(Keys.ENTER)
    heading = page.find("h1")
    assert page.driver.current_url.startswith(page.server + "/entity/")
    assert "Tuniyaz" in heading.text or "TUNIYAZ" in heading.text


def test_portfolio_flagged_share(page: Page) -> None:
    page.open("/portfolio")
    page.find("#holdings").send_keys(str(PORTFOLIO))
    page.driver.find_element("css selector", "#portfolio-form button[type=submit]").click()
    share = page.text_in("#flagged-share", "%")
    assert share.text == "9.48%"
    assert page.find("#flagged-count").text == "7 of 20 holdings"
    rows = page.driver.find_elements("css selector", "#divest-rows tr")
    assert len(rows) == 7 and "Hangzhou Hikvision" in rows[0].text
    bars = page.driver.find_elements("css selector", "#exposure-chart svg rect")
    assert len(bars) == 2 and all(float(b.get_attribute("width")) > 1 for b in bars)
    page.shot("portfolio", full=True)
    assert not page.errors()


def test_gap_matrix(page: Page) -> None:
    page.open("/tracker?country=CN&program=GLOMAG")
    table = page.find("#matrix")
    rows = table.find_elements("css selector", "tbody tr")
    assert rows
    captions = [r.find_element("css selector", "th").text for r in rows]
    assert any("Tuniyaz" in c or "TUNIYAZ" in c for c in captions)
    assert [h.text for h in table.find_elements("css selector", "thead th.cell")] == ["US", "EU", "UK", "CA"]
    chart = page.find('img[src^="/charts/designations.svg"]')
    page.loaded(chart)
    page.driver.execute_script("window.scrollTo(0, 0)")
    page.shot("tracker", full=True)
    page.find("#country").clear()
    page.driver.find_element("css selector", "input[name=view][value=gaps]").click()
    page.driver.find_element("css selector", "form.filters button[type=submit]").click()
    page.text_in("#matrix-title", "Designated by US, not by EU, UK, CA")  # waits for the new page


def test_a_script_in_a_name_shows_as_text(page: Page) -> None:
    page.open("/?q=" + quote("<script>alert('listed')</script> Trading"))
    caption = page.find('a.caption[href="/entity/ftm-hostile:co-1"]')
    assert caption.text == HOSTILE_NAME
    assert page.find("#q").get_attribute("value") == "<script>alert('listed')</script> Trading"
    caption.click()
    assert page.find("h1").text == HOSTILE_NAME
    assert "<img src=x onerror=window.pwned=1>" in page.driver.find_element("tag name", "main").text
    assert page.driver.execute_script("return window.pwned") is None
    assert (
        page.driver.execute_script(
            "return document.querySelectorAll('main script, main img:not([src^=\"/charts/\"])').length"
        )
        == 0
    )
    page.shot("hostile")


def test_batch_upload_and_one_decision(page: Page, tmp_path: Path, server: str, key: str) -> None:
    from selenium.webdriver.common.keys import Keys

    names = tmp_path / "counterparties.csv"
    with names.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["case_id", "name", "birth_date"])
        writer.writerow(["c-1", "Alkin Tuniyaz", "1961"])
        writer.writerow(["c-2", HOSTILE_NAME, ""])
        writer.writerow(["c-3", "Ordinary\nBakery Ltd", ""])  # a quoted line break: still one row
    page.open("/batch")
    page.find("#file").send_keys(str(names))
    page.driver.find_element("css selector", "#batch-form button[type=submit]").click()
    progress = page.text_in("#progress-text", "3 of 3 names screened in")
    assert "alert" in progress.text
    assert page.driver.execute_script("return document.getElementById('progress').value") == 3
    position = page.text_in("#review-position", "Alert 1 of")
    assert position.text.startswith("Alert 1 of")
    assert page.find("#r-query").text == "Alkin Tuniyaz"
    assert "met the listed alias ‘TUNIAZ, Alken’: Tuniyaz≈TUNIAZ (95%)" in page.find("#r-why").text
    total = int(position.text.split(" of ")[1].split()[0])
    body = page.driver.find_element("css selector", "body")
    seen = [page.find("#r-query").text]
    for number in range(2, total + 1):  # J: the next alert
        body.send_keys("j")
        page.text_in("#review-position", f"Alert {number} of")
        seen.append(page.find("#r-query").text)
    assert HOSTILE_NAME in seen  # the hostile name screened, shown as text
    for number in range(total - 1, 0, -1):  # K: back to the first
        body.send_keys("k")
        page.text_in("#review-position", f"Alert {number} of")
    assert page.find("#r-query").text == "Alkin Tuniyaz"
    page.shot("batch-review")
    with httpx.Client(base_url=server, headers={"Authorization": f"ApiKey {key}"}) as api:
        if api.get("/decisions").status_code == 404:
            pytest.skip("the server has no /decisions endpoint yet: the review cannot record a decision")
        page.driver.find_element("css selector", "body").send_keys("f")
        reason = page.driver.switch_to.active_element
        assert reason.get_attribute("id") == "reason"
        reason.send_keys("Different person: born 1975 per passport", Keys.ENTER)
        page.text_in("#decide-status", "Recorded")
        stored = api.get("/decisions", params={"name": "Alkin Tuniyaz", "entity_id": "ofac-sdn:34119"}).json()
        (decision,) = stored["decisions"]
        assert decision["decision"] == "false_positive" and decision["decided_by"] == "analyst"
        assert decision["reason"] == "Different person: born 1975 per passport"
    # screening the same name again shows the decision, and the candidate no longer alerts
    page.driver.find_element("css selector", "#batch-form button[type=submit]").click()
    page.text_in("#progress-text", "suppressed by earlier false-positive decisions")
    page.driver.find_element("css selector", "#show-suppressed").click()
    page.text_in("#r-history", "false positive by analyst")
    page.shot("batch-decided")
    assert not page.errors()


def test_phone_width_and_keyboard(page: Page) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page.driver.set_window_size(390, 844)
    try:
        page.open("/?q=Alken+Tuniaz")
        page.find("a.caption")
        assert page.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        page.shot("search-phone")
        page.open("/entity/ofac-sdn:34119")
        page.find("h1")
        assert page.driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        page.shot("entity-phone")
    finally:
        page.driver.set_window_size(1280, 900)
    page.open("/batch")  # a page with no field focused on arrival
    page.find("#file")
    order = []
    for _ in range(8):
        ActionChains(page.driver).send_keys(Keys.TAB).perform()
        focused = page.driver.switch_to.active_element
        order.append(focused.get_attribute("textContent").strip() or focused.get_attribute("id"))
        assert focused.value_of_css_property("outline-style") == "solid", order[-1]  # focus is visible
    assert order == [
        "Skip to content",
        "Tamga",
        "Search",
        "Batch screening",
        "Portfolio",
        "Tracker",
        "Sign out",
        "file",
    ]
