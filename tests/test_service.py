"""The service over real HTTP, on SQLite and on PostgreSQL: upload, poll, fetch, dedupe, tenancy, search, delete."""

from __future__ import annotations

import csv
import io
import time

import httpx
import pytest

from tests.conftest import CORPUS, TOTA, shared_file, tota
from tests.service import wait_for_job


@pytest.fixture(scope="module")
def clients(server):
    a = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.keys['A']}"}, timeout=60)
    b = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.keys['B']}"}, timeout=60)
    yield a, b
    a.close()
    b.close()


@pytest.fixture(scope="module")
def rcep_upload(clients, rcep_chapter12):
    """RCEP's e-commerce chapter as published (a PDF the repository ships), uploaded by tenant A."""
    a, _ = clients
    with rcep_chapter12.open("rb") as fh:
        response = a.post("/api/v1/agreements", files={"file": ("RCEP final text.pdf", fh, "application/pdf")})
    assert response.status_code == 202, response.text
    body = response.json()
    job = wait_for_job(a, body["job"]["id"])
    assert job["status"] == "done", job
    # The public samples are queued at start and interleaved fairly with the tenants' uploads; the tests
    # that count provisions need them all audited, or the counts move between two requests.
    _wait_for_public_samples(a)
    return body


def _wait_for_public_samples(client, timeout: float = 120) -> None:
    """The samples are queued at start like any upload; the fair queue interleaves them with the tenants' own."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        public = [d for d in client.get("/api/v1/agreements", params={"limit": 200}).json()["data"] if d["public"]]
        if public and all(d["status"] == "done" for d in public):
            return
        time.sleep(0.25)
    raise TimeoutError("the public samples were not audited")


def test_health_is_open_and_api_needs_a_key(server):
    assert httpx.get(server.url + "/health").json()["ok"] is True
    response = httpx.get(server.url + "/api/v1/agreements")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "status": 401, "error": response.json()["error"]}
    assert "Bearer" in response.json()["error"]


def test_upload_rcep_then_fetch_json_html_csv(clients, rcep_upload):
    a, _ = clients
    doc_id = rcep_upload["id"]
    assert rcep_upload["job"]["agreement_id"] == doc_id and rcep_upload["duplicate"] is False
    audit = a.get(f"/api/v1/agreements/{doc_id}/audit").json()
    assert audit["agreement"]["pages"] == 12
    assert {g["id"] for g in audit["assessments"]} >= {"18.1", "19.4", "3.4"}
    assert any(c["commitment"] == "art-12.11" and c["outcome"] != "shielded" for c in audit["commitments"])
    html = a.get(f"/api/v1/agreements/{doc_id}/audit", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html") and 'id="scorecard"' in html.text
    rows = list(csv.DictReader(io.StringIO(a.get(f"/api/v1/agreements/{doc_id}/audit", params={"format": "csv"}).text)))
    assert any(r["provision_id"] == "art-12.11" for r in rows)
    meta = a.get(f"/api/v1/agreements/{doc_id}").json()
    assert meta["status"] == "done" and meta["pages"] == 12 and meta["filename"] == "RCEP final text.pdf"
    assert a.get(f"/api/v1/agreements/{doc_id}/precedents").json()


def test_same_file_twice_is_one_document(clients, rcep_upload, rcep_chapter12):
    a, _ = clients
    with rcep_chapter12.open("rb") as fh:
        again = a.post("/api/v1/agreements", files={"file": ("copy.pdf", fh, "application/pdf")})
    assert again.status_code == 202
    assert again.json()["id"] == rcep_upload["id"] and again.json()["duplicate"] is True
    listed = [d for d in a.get("/api/v1/agreements", params={"limit": 200}).json()["data"] if not d["public"]]
    assert [d["id"] for d in listed].count(rcep_upload["id"]) == 1


def test_tenant_b_cannot_reach_tenant_a_upload(clients, rcep_upload):
    a, b = clients
    doc_id, job_id = rcep_upload["id"], rcep_upload["job"]["id"]
    for path in (f"/api/v1/agreements/{doc_id}", f"/api/v1/agreements/{doc_id}/audit",
                 f"/api/v1/agreements/{doc_id}/audit?format=html", f"/api/v1/agreements/{doc_id}/audit?format=csv",
                 f"/api/v1/agreements/{doc_id}/precedents", f"/api/v1/jobs/{job_id}",
                 f"/agreements/{doc_id}", f"/compare?a={doc_id}&b={doc_id}"):
        assert b.get(path).status_code == 404, path
    public = [d for d in b.get("/api/v1/agreements").json()["data"]]
    assert doc_id not in {d["id"] for d in public} and all(d["public"] for d in public)
    sample = public[0]["id"]
    assert b.get(f"/api/v1/agreements/{doc_id}/compare/{sample}").status_code == 404
    hits = b.get("/api/v1/provisions", params={"q": "computing facilities", "limit": 200}).json()
    assert doc_id not in {h["agreement_id"] for h in hits["data"]}
    assert b.get("/api/v1/agreements", params={"q": "RCEP final text"}).json()["count"] == 0
    assert a.get("/api/v1/agreements", params={"q": "RCEP final text"}).json()["count"] == 1
    assert b.delete(f"/api/v1/agreements/{doc_id}").status_code == 404
    assert a.get(f"/api/v1/agreements/{doc_id}").status_code == 200  # untouched


def test_provision_search_by_label_and_words(clients, rcep_upload):
    a, _ = clients
    hits = a.get("/api/v1/provisions", params={"label": "digital_products", "q": "customs duties"}).json()
    assert any(h["provision_id"] == "art-12.11" and h["agreement_id"] == rcep_upload["id"] for h in hits["data"])
    assert all("digital_products" in h["labels"] for h in hits["data"])
    page1 = a.get("/api/v1/provisions", params={"label": "ecommerce", "limit": 5}).json()
    page2 = a.get("/api/v1/provisions", params={"label": "ecommerce", "limit": 5, "offset": 5}).json()
    assert page1["count"] == page2["count"] > 10
    assert {h["provision_id"] + h["agreement_id"] for h in page1["data"]}.isdisjoint(
        {h["provision_id"] + h["agreement_id"] for h in page2["data"]})
    _wait_for_public_samples(a)
    accented = a.get("/api/v1/provisions", params={"q": "comercio electrónico"}).json()
    assert accented["count"] > 0  # the public Chile-Colombia sample, through the full-text index
    # One spelling finds the others: Canada-Korea writes "audio-visual", other treaties "audiovisual".
    counts = {q: a.get("/api/v1/provisions", params={"q": q, "limit": 200}).json()["count"]
              for q in ("audiovisual", "audio-visual", "audio visual")}
    assert counts["audiovisual"] > 0 and len(set(counts.values())) == 1, counts
    ecommerce = {q: a.get("/api/v1/provisions", params={"q": q}).json()["count"]
                 for q in ("e-commerce", "electronic commerce")}
    assert ecommerce["e-commerce"] == ecommerce["electronic commerce"] > 0, ecommerce


def test_delete_removes_file_and_audit_but_not_other_tenants_copy(server, clients):
    a, b = clients
    sample = tota(146).read_bytes()
    ida = a.post("/api/v1/agreements", files={"file": ("ck.xml", sample)}).json()
    idb = b.post("/api/v1/agreements", files={"file": ("ck.xml", sample)}).json()
    assert ida["id"] != idb["id"]
    wait_for_job(a, ida["job"]["id"])
    wait_for_job(b, idb["job"]["id"])
    stored = server.data_dir / "files" / ida["id"]
    assert stored.exists()
    assert a.delete(f"/api/v1/agreements/{ida['id']}").status_code == 204
    assert not stored.exists()
    assert a.get(f"/api/v1/agreements/{ida['id']}/audit").status_code == 404
    assert b.get(f"/api/v1/agreements/{idb['id']}/audit").status_code == 200


def test_precedents_include_earlier_audits_of_the_same_tenant_only(server, clients, rcep_upload):
    a, b = clients
    _wait_for_public_samples(a)
    with shared_file(TOTA / "pta_145.xml").open("rb") as fh:  # EU-Korea, audited by tenant B only
        up = b.post("/api/v1/agreements", files={"file": ("eu-korea.xml", fh)}).json()
    wait_for_job(b, up["job"]["id"])
    precedents = a.get(f"/api/v1/agreements/{rcep_upload['id']}/precedents").json()
    sources = {p["source"] for p in precedents}
    assert any(s.startswith("ToTA ") for s in sources)
    earlier = [p for p in precedents if not p["source"].startswith("ToTA ")]
    # Canada-Korea is a public sample audited before: its cultural-industries exemption is offered for the tension.
    assert any(p["agreement"] == "Canada - Rep. of Korea" and p["gap"] == "art-12.11" for p in earlier)
    assert all(p["source"].startswith(("reference corpus", "your audits")) for p in earlier)
    assert up["id"] not in " ".join(sources)  # tenant B's upload never shows up for tenant A


@pytest.mark.shared
def test_an_agreement_read_with_the_agreement_it_incorporates(clients):
    """UK-Central America 2019 incorporates the EU-Central America Agreement: alone it is 'not assessable from this
    text alone'; uploaded with read_with=<the EU agreement's id> it is audited with it."""
    a, _ = clients
    with shared_file(TOTA / "pta_388.xml").open("rb") as fh:
        base = a.post("/api/v1/agreements", files={"file": ("eu-central-america.xml", fh)}).json()
    assert wait_for_job(a, base["job"]["id"])["status"] == "done"
    uk = shared_file(CORPUS / "wild" / "CNTRAU_2019O.txt").read_bytes()
    alone = a.post("/api/v1/agreements", files={"file": ("uk-ca.txt", uk)}).json()
    together = a.post("/api/v1/agreements", files={"file": ("uk-ca.txt", uk)},
                      data={"read_with": base["id"], "parties": "GBR, CRI, SLV, GTM, HND, NIC, PAN"}).json()
    assert together["id"] != alone["id"]  # the same file read with another is another audit
    for job in (alone["job"], together["job"]):
        assert wait_for_job(a, job["id"])["status"] == "done"
    first = a.get(f"/api/v1/agreements/{alone['id']}/audit").json()
    second = a.get(f"/api/v1/agreements/{together['id']}/audit").json()
    status = {g["id"]: g for g in first["assessments"]}
    assert status["19.1"]["status"] == "incomplete"
    assert "Not assessable from this text alone (it incorporates EU-Central America Agreement)" in status["19.1"]["rationale"]
    status = {g["id"]: g for g in second["assessments"]}
    assert status["19.1"]["status"] == "addressed"  # the EU agreement names the 2005 Convention (Article 74)
    assert second["agreement"]["parties"] == ["GBR", "CRI", "SLV", "GTM", "HND", "NIC", "PAN"]
    assert not any(m["kind"] == "incorporated agreement" for m in second["coverage"]["missing"])


def test_read_with_and_parties_are_checked(clients, rcep_chapter12):
    a, b = clients
    with rcep_chapter12.open("rb") as fh:
        response = a.post("/api/v1/agreements", files={"file": ("x.pdf", fh)}, data={"read_with": "0" * 32})
    assert response.status_code == 422 and "read_with" in response.json()["error"]
    with rcep_chapter12.open("rb") as fh:
        response = a.post("/api/v1/agreements", files={"file": ("x.pdf", fh)}, data={"parties": "JPN, XXQ"})
    assert response.status_code == 422 and "XXQ" in response.json()["error"]


def test_downloads_arrive_as_attachments_with_readable_names(clients, rcep_upload, rcep_chapter12):
    """Every export is an attachment named after the agreement and the day; the XLSX opens; the original returns."""
    import openpyxl

    a, b = clients
    doc_id = rcep_upload["id"]
    for fmt, ext in (("xlsx", "xlsx"), ("scorecard", "csv"), ("commitments", "csv"), ("csv", "csv"),
                     ("md", "md"), ("html", "html"), ("json", "json")):
        response = a.get(f"/api/v1/agreements/{doc_id}/audit", params={"format": fmt, "download": "true"})
        assert response.status_code == 200, fmt
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=") and disposition.endswith(f'.{ext}"'), disposition
        assert doc_id not in disposition  # a name a person can file, not the content hash
    book = openpyxl.load_workbook(io.BytesIO(a.get(f"/api/v1/agreements/{doc_id}/audit",
                                                   params={"format": "xlsx"}).content))
    assert book.sheetnames == ["Scorecard", "Digital commitments", "Inventory"]
    commitments = [row[1] for row in book["Digital commitments"].iter_rows(min_row=2, values_only=True)]
    assert any("Article 12.11" in c for c in commitments)
    inline = a.get(f"/api/v1/agreements/{doc_id}/audit", params={"format": "html"})
    assert "content-disposition" not in inline.headers  # the page view stays in the tab
    original = a.get(f"/api/v1/agreements/{doc_id}/file")
    assert original.status_code == 200 and original.content == rcep_chapter12.read_bytes()
    assert "RCEP%20final%20text.pdf" in original.headers["content-disposition"]  # RFC 5987 for any name
    assert b.get(f"/api/v1/agreements/{doc_id}/file").status_code == 404  # another tenant's upload
    # Citations link to the page of the uploaded PDF, opened in the browser.
    page = a.get(f"/agreements/{doc_id}").text
    assert f'href="/api/v1/agreements/{doc_id}/file?inline=true#page=' in page
    assert a.get(f"/api/v1/agreements/{doc_id}/file", params={"inline": "true"}).headers[
        "content-disposition"].startswith("inline")


def test_title_and_date_can_be_corrected_and_what_was_read_is_kept(clients, rcep_upload):
    a, b = clients
    doc_id = rcep_upload["id"]
    read = a.get(f"/api/v1/agreements/{doc_id}").json()
    read_title = a.get(f"/api/v1/agreements/{doc_id}/audit").json()["agreement"]["title"]
    edited = a.patch(f"/api/v1/agreements/{doc_id}", json={"title": "RCEP, Chapter 12", "date_signed": "2020-11-15"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"] == "RCEP, Chapter 12" and edited.json()["date_signed"] == "2020-11-15"
    assert edited.json()["edited"] == ["date_signed", "title"]
    audit = a.get(f"/api/v1/agreements/{doc_id}/audit").json()
    assert audit["agreement"]["title"] == "RCEP, Chapter 12"
    assert audit["agreement"]["edited"]["title"] == (read_title or "")  # what was read stays
    assert "Corrected by a reader" in a.get(f"/agreements/{doc_id}").text
    # Bad input says what is wrong; another tenant cannot edit; null takes a field back to what was read.
    assert a.patch(f"/api/v1/agreements/{doc_id}", json={"date_signed": "15/11/2020"}).status_code == 422
    assert a.patch(f"/api/v1/agreements/{doc_id}", json={"pages": 3}).status_code == 422
    assert b.patch(f"/api/v1/agreements/{doc_id}", json={"title": "x"}).status_code == 404
    back = a.patch(f"/api/v1/agreements/{doc_id}", json={"title": None, "date_signed": None}).json()
    assert back["title"] == read["title"] and back["date_signed"] == read["date_signed"] and back["edited"] == []


def test_a_running_job_says_its_stage_down_to_the_ocr_page(clients, rcep_chapter12, tmp_path):
    """A scanned upload: the job reports "ocr n/N" while Tesseract works, and no stage once done."""
    from tests.typeset import scanned_pdf

    a, _ = clients
    scanned = scanned_pdf(rcep_chapter12, [1, 2, 3, 4], tmp_path / "scanned-stage.pdf")
    with scanned.open("rb") as fh:
        body = a.post("/api/v1/agreements", files={"file": ("scanned chapter.pdf", fh, "application/pdf")}).json()
    seen = set()
    deadline = time.time() + 300
    while time.time() < deadline:
        job = a.get(f"/api/v1/jobs/{body['job']['id']}").json()
        if job["stage"]:
            seen.add(job["stage"])
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    assert job["stage"] is None
    assert any(s.startswith("ocr ") and s.endswith("/4") for s in seen), seen
    a.delete(f"/api/v1/agreements/{body['id']}")


def test_an_upload_can_ask_to_be_refused_if_it_is_not_an_agreement(clients):
    a, _ = clients
    memo = b"Memo to the minister\n\nPlease find attached the briefing for Tuesday's meeting.\nRegards,\nThe Secretary\n"
    strict = a.post("/api/v1/agreements", files={"file": ("memo.txt", memo, "text/plain")},
                    data={"require_treaty": "true"}).json()
    job = wait_for_job(a, strict["job"]["id"])
    assert job["status"] == "failed" and job["error"].startswith("Refused: This document does not read like a treaty")
    lenient = a.post("/api/v1/agreements", files={"file": ("memo.txt", memo, "text/plain")}).json()
    assert lenient["id"] != strict["id"]  # another audit of the same file
    assert wait_for_job(a, lenient["job"]["id"])["status"] == "done"
    audit = a.get(f"/api/v1/agreements/{lenient['id']}/audit").json()
    assert audit["agreement"]["document_warning"]
    bad = a.post("/api/v1/agreements", files={"file": ("memo.txt", memo, "text/plain")}, data={"require_treaty": "maybe"})
    assert bad.status_code == 422 and "require_treaty" in bad.json()["error"]
    for doc in (strict, lenient):
        a.delete(f"/api/v1/agreements/{doc['id']}")
