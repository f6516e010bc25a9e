"""A negotiator's path in a real browser: upload a PDF through the page, wait for the audit, read the scorecard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.service import Server
from tests.test_report_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture
def server(tmp_path):
    """The service as `make run` starts it: localhost, no keys (open mode), the sample agreements."""
    running = Server(tmp_path / "data").start()
    yield running
    running.stop()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artifacts():
    """Screenshots a person looks at before saying a page is done."""
    folder = REPO / "tests" / "artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def test_upload_pdf_through_the_page(server, browser, artifacts, tmp_path, aanzfta_pdf):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "/")
    expect(page.locator("h1")).to_have_text("Audit a trade agreement")
    expect(page.locator("tbody tr")).to_have_count(3)  # the public samples
    page.set_input_files("#file", str(aanzfta_pdf))
    page.click("button[type=submit]")
    page.wait_for_url("**/agreements/*", timeout=60_000)
    # The pending page refreshes itself until the audit is there.
    page.wait_for_selector("#scorecard", timeout=180_000)
    expect(page.locator("h1")).to_contain_text("ASEAN-Australia-New Zealand")
    expect(page.locator("#scorecard tbody tr")).to_have_count(9)
    expect(page.locator("#g-19\\.2 .status")).to_have_text("not assessable from the text")
    assert page.locator("#inventory article").count() > 5
    assert page.locator("mark").count() > 5
    page.screenshot(path=str(artifacts / "upload-audit-page.png"))
    with page.expect_download() as download:
        page.click("text=inventory (CSV)")
    name = download.value.suggested_filename  # a name a ministry can file, not the content hash
    assert re.fullmatch(r"agreement-establishing-the-asean[a-z0-9-]*-inventory-\d{4}-\d{2}-\d{2}\.csv", name), name
    page.goto(server.url + "/")
    expect(page.locator("tbody tr")).to_have_count(4)
    page.goto(server.url + "/compare")
    # Two different agreements are preselected and compared at once, with reasons and evidence.
    assert page.locator("#a").input_value() != page.locator("#b").input_value()
    expect(page.locator("#comparison tbody tr.guideline-row")).to_have_count(9)
    differing = page.locator("#comparison tr.guideline-row", has_text="Why they differ")
    assert differing.count() >= 1
    assert page.locator(".side-by-side section").count() == 2
    for name, viewport in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
        page.set_viewport_size(viewport)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, f"compare page overflows at {viewport['width']} px: {width}"
        page.screenshot(path=str(artifacts / f"compare-{name}.png"), full_page=False)
        page.goto(server.url + "/")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        status_cell = page.locator("tbody tr td:nth-child(2)").first
        assert status_cell.bounding_box()["width"] > 40  # "done" on one line, not one letter a line
        page.goto(server.url + "/compare")
    # One's own upload can be re-audited and deleted from its page; the public samples cannot.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(server.url + "/")
    page.click("tbody tr:has-text('ASEAN') a")
    audit_url = page.url
    page.click("text=Re-run the audit")
    page.wait_for_selector("#scorecard", timeout=180_000)
    assert page.url == audit_url
    page.check("input[name=confirm]")
    page.click("form[action$='/delete'] button")
    page.wait_for_url(server.url + "/")
    expect(page.locator("tbody tr")).to_have_count(3)
    page.goto(server.url + "/")
    page.click("tbody tr a >> nth=0")
    page.wait_for_selector("#scorecard")
    assert page.locator("form[action$='/delete']").count() == 0  # a reference agreement
    # Provisions by words, in any spelling, and by label; each hit opens its provision in the report.
    page.goto(server.url + "/search?q=audiovisual")
    spelled = page.locator("#search-count").inner_text()
    page.goto(server.url + "/search?q=audio-visual")
    assert page.locator("#search-count").inner_text() == spelled and not spelled.startswith("0 ")
    page.goto(server.url + "/search")
    page.select_option("#label", "cultural_exception")
    page.click("form button")
    assert page.locator("#hits li").count() >= 1
    page.click("#hits li a >> nth=0")
    page.wait_for_selector("#scorecard")
    assert "#p-" in page.url
    assert (artifacts / "upload-audit-page.png").stat().st_size > 10_000


def test_a_running_audit_can_be_cancelled_from_its_page(server, browser, artifacts, tmp_path, rcep_chapter12):
    """A scanned upload (OCR takes a while): the waiting page says where it stands and stops it on request."""
    from playwright.sync_api import expect

    from tests.typeset import scanned_pdf

    scanned = scanned_pdf(rcep_chapter12, list(range(1, 13)), tmp_path / "scanned.pdf")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.url + "/")
    page.set_input_files("#file", str(scanned))
    page.click("button[type=submit]")
    page.wait_for_url("**/agreements/*", timeout=60_000)
    expect(page.locator("#status")).to_have_text("running", timeout=120_000)
    assert "Reading, structuring" in page.locator("#progress").inner_text()
    # The stage the worker reports, down to the scanned page being OCR'd (the page refreshes itself).
    expect(page.locator("#stage")).to_contain_text(re.compile(r"OCR of scanned page \d+ of 12"), timeout=60_000)
    page.click("text=Cancel this audit")
    expect(page.locator("#status")).to_have_text("failed", timeout=30_000)
    expect(page.locator("[role=alert]")).to_have_text("Cancelled by the user.")
    assert page.locator("text=Run the audit again").count() == 1


ENGLISH_STATUS_WORDS = {"addressed", "partly addressed", "not addressed", "in tension", "depends on schedules",
                        "incomplete", "not applicable", "complete", "not assessable from the text", "queued", "running",
                        "done", "failed", "cancelling", "shielded", "exposed", "not enforceable"}


def _wait_for_samples(server, timeout: float = 180) -> None:
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        docs = httpx.get(server.url + "/api/v1/agreements", params={"limit": 200}).json()["data"]
        if docs and all(d["status"] == "done" for d in docs):
            return
        time.sleep(0.5)
    raise AssertionError("the sample agreements were not audited in time")


def test_french_and_spanish_pages_show_no_english_status_words(server, browser, artifacts, tmp_path):
    """The interface follows the browser's language (Spanish here) or the switch (?lang=fr), at both widths."""
    _wait_for_samples(server)
    for locale, how in (("es", "browser"), ("fr", "switch")):
        context = browser.new_context(locale="es-ES" if how == "browser" else "en-GB",
                                      viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(server.url + ("/?lang=fr" if how == "switch" else "/"))
        assert page.locator("html").get_attribute("lang") == locale
        page.goto(server.url + "/")  # the switch is remembered
        assert page.locator("html").get_attribute("lang") == locale
        pages = ["/", "/compare", "/search?label=cultural_exception"]
        page.click("tbody tr a >> nth=0")
        page.wait_for_selector("#scorecard")
        pages.append(page.url.removeprefix(server.url))
        for path in pages:
            page.goto(server.url + path)
            assert page.locator("html").get_attribute("lang") == locale, path
            shown = {t.strip() for t in page.locator(".status").all_inner_texts()}
            assert shown or path.startswith("/search"), path  # the search page shows labels, not statuses
            assert not shown & ENGLISH_STATUS_WORDS, (locale, path, shown & ENGLISH_STATUS_WORDS)
            headings = " ".join(page.locator("h1, h2, th[scope=col], label, button").all_inner_texts())
            for english in ("Scorecard", "In short", "Compare two agreements", "Search provisions", "Status",
                            "Upload and audit", "Guideline"):
                assert english not in headings, (locale, path, english)
            for width, height in ((1366, 900), (390, 844)):
                page.set_viewport_size({"width": width, "height": height})
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (locale, path, width)
                name = path.strip("/").split("?")[0].split("/")[0] or "home"
                page.screenshot(path=str(artifacts / f"{locale}-{name}-{width}.png"))
            page.set_viewport_size({"width": 1366, "height": 900})
        # Guideline texts exist in English only in the reference: marked as such.
        assert page.locator("#scorecard td.guideline-text[lang=en]").count() == 9
        # The workbook from this page is in the page's language too.
        import io

        from openpyxl import load_workbook

        with page.expect_download() as download:
            page.click("nav a[href*='format=xlsx']")
        book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        assert book.sheetnames[0] == {"fr": "Tableau de bord", "es": "Cuadro de evaluación"}[locale]
        statuses = {row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
        assert statuses and not statuses & ENGLISH_STATUS_WORDS, statuses
        context.close()


def test_rcep_and_a_text_from_another_collection_read_right_at_both_widths(server, browser, artifacts, tmp_path, rcep_pdf):
    """RCEP as published and a text as another collection extracted it, uploaded through the page: titles and
    dates as the texts give them, no horizontal scroll on any page at 1366 or 390 px, citations into the PDF."""
    from playwright.sync_api import expect

    from tests.conftest import CORPUS, shared_file

    wild = shared_file(CORPUS / "wild" / "MUS-TUR_NA__2011O.txt")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    urls = {}
    for name, path in (("rcep", rcep_pdf), ("wild-text", wild)):
        page.goto(server.url + "/")
        page.set_input_files("#file", str(path))
        page.click("#upload-form button[type=submit]")
        page.wait_for_url("**/agreements/*", timeout=60_000)
        page.wait_for_selector("#scorecard", timeout=180_000)
        urls[name] = page.url
    # The text from another collection: its own title and date, no page numbers it does not have.
    page.goto(urls["wild-text"])
    expect(page.locator("h1")).to_have_text("Free Trade Agreement Between the Republic of Turkey and the "
                                            "Republic of Mauritius")
    header = page.locator("header .meta").first.inner_text()
    assert "Signed 2011-09-09" in header and "page" not in header
    assert page.locator("#scorecard a", has_text="(p. 1)").count() == 0
    # RCEP: the negotiator's table, and citations that open the uploaded PDF at the cited page.
    page.goto(urls["rcep"])
    rows = page.locator("#negotiator tbody tr")
    assert rows.count() == 3 and page.locator("#negotiator strong.none").count() == 3
    link = page.locator("#negotiator a.page-link").first
    href = link.get_attribute("href")
    assert re.fullmatch(r"/api/v1/agreements/\w+/file\?inline=true#page=\d+", href), href
    pdf = page.request.get(server.url + href.split("#")[0])
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["content-disposition"].startswith("inline")
    paths = ["/", "/compare", "/search?q=audio-visual", urls["rcep"].removeprefix(server.url),
             urls["wild-text"].removeprefix(server.url)]
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            page.goto(server.url + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width + 1, f"{path} overflows at {width} px: {scroll}"
            name = {"/": "home", "/compare": "compare"}.get(path, "search" if "search" in path else
                                                           "rcep" if path in urls["rcep"] else "wild-text")
            page.screenshot(path=str(artifacts / f"en-{name}-{width}.png"))
