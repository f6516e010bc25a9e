"""The HTML report of RCEP in a real headless Chromium: rendered, scorecard and highlights present, screenshot saved."""

from __future__ import annotations

import shutil

import pytest

from auditor.pipeline import audit_agreement
from auditor.report.audit import audit_html
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_rcep_html_report_in_chromium(tmp_path, rcep):
    from playwright.sync_api import sync_playwright

    page_path = tmp_path / "rcep.html"
    page_path.write_text(audit_html(audit_agreement(rcep)), encoding="utf-8")
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = browser.new_page(viewport=viewport)
            page.goto(page_path.as_uri())
            assert page.title().startswith("Audit: Regional Comprehensive Economic Partnership")
            rows = page.locator("#scorecard tbody tr")
            assert rows.count() == 9
            assert page.locator("#g-19\\.4 .status").inner_text() == "depends on schedules"
            # The negotiator's table: RCEP's three digital commitments, none reached by a cultural carve-out.
            negotiator = page.locator("#negotiator tbody tr")
            assert negotiator.count() == 3
            for n, article in enumerate(("Article 12.11", "Article 12.14", "Article 12.15")):
                row = negotiator.nth(n)
                assert article in row.inner_text()
                assert row.locator("td.carve-out strong.none").inner_text() == "none"
            assert "depends on schedules" in negotiator.nth(1).locator("td.carve-out").inner_text()
            commitments = page.locator("#commitments tbody tr")
            assert commitments.count() == 3  # 12.11, 12.14, 12.15, each with what reaches it
            assert "Article 12.3" in commitments.nth(1).inner_text() and "dispute settlement" in \
                commitments.nth(1).inner_text()
            customs = page.locator("#p-art-12-11")
            assert "Customs Duties" in customs.locator("h3").inner_text()
            assert customs.locator("mark").count() >= 1
            assert page.locator("mark").count() > 20
            assert page.locator("#precedents .precedent").count() >= 3
            # Every scorecard link lands on a provision in the page.
            for href in page.locator("#scorecard a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
                assert page.locator(href.replace(".", "\\.")).count() == 1, href
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, "page overflows horizontally"
            page.screenshot(path=str(artifacts / f"rcep-report-{name}.png"), full_page=False)
        browser.close()
    assert (artifacts / "rcep-report-desktop.png").stat().st_size > 10_000
