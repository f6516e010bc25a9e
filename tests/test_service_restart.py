"""kill -9 the server in the middle of an audit: on restart the job completes and nothing uploaded is lost."""

from __future__ import annotations

import shutil
import time

import httpx
import pytest

from tests.conftest import tota
from tests.service import Server, wait_for_job
from tests.typeset import scanned_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def test_restart_mid_job_completes(tmp_path, rcep_chapter12):
    # A scanned agreement: OCR makes the audit long enough to kill the server while it runs.
    slow = scanned_pdf(rcep_chapter12, [1, 2, 3, 4, 5, 6], tmp_path / "scanned.pdf")
    server = Server(tmp_path / "data", env={"AUDITOR_WORKERS": "1"}).start()
    try:
        client = httpx.Client(base_url=server.url, timeout=60)
        quick = client.post("/api/v1/agreements", files={"file": ("ck.xml", tota(146).read_bytes())}).json()
        wait_for_job(client, quick["job"]["id"])
        upload = client.post("/api/v1/agreements", files={"file": ("scanned.pdf", slow.read_bytes())}).json()
        deadline = time.time() + 60
        while client.get(f"/api/v1/jobs/{upload['job']['id']}").json()["status"] != "running":
            assert time.time() < deadline, "job never started"
            time.sleep(0.1)
        server.kill()
        client.close()
        server.start()
        client = httpx.Client(base_url=server.url, timeout=60)
        job = wait_for_job(client, upload["job"]["id"], timeout=300)
        assert job["status"] == "done", job
        audit = client.get(f"/api/v1/agreements/{upload['id']}/audit").json()
        assert audit["agreement"]["pages"] == 6
        assert any(p["number"] == "12.5" for p in audit["provisions"])
        assert client.get(f"/api/v1/agreements/{quick['id']}/audit").status_code == 200
        assert (server.data_dir / "files" / upload["id"]).exists()
        assert "re-queued 1 job" in server.log.read_text()
    finally:
        server.stop()


def test_time_budget_fails_the_job_and_replaces_the_worker(tmp_path, rcep_chapter12):
    slow = scanned_pdf(rcep_chapter12, [1, 2, 3, 4], tmp_path / "scanned.pdf")
    server = Server(tmp_path / "data", env={"AUDITOR_WORKERS": "1", "AUDITOR_TIME_BUDGET_SECONDS": "2",
                                            "AUDITOR_SEED_SAMPLES": "false"}).start()
    try:
        client = httpx.Client(base_url=server.url, timeout=60)
        up = client.post("/api/v1/agreements", files={"file": ("scanned.pdf", slow.read_bytes())}).json()
        job = wait_for_job(client, up["job"]["id"], timeout=120)
        assert job["status"] == "failed" and "2-second budget" in job["error"]
        assert client.get(f"/api/v1/agreements/{up['id']}").json()["status"] == "failed"
        # The worker was replaced: a quick document still gets audited.
        quick = client.post("/api/v1/agreements", files={"file": ("t.txt", b"Article 1: Scope\nCultural industries "
                                                                            b"are excluded from this Agreement.\n")})
        assert wait_for_job(client, quick.json()["job"]["id"], timeout=120)["status"] == "done"
        assert httpx.get(server.url + "/health").json()["workers"] == 1
    finally:
        server.stop()
