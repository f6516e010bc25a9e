"""schemathesis against the service's own OpenAPI: generated requests never produce a server error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import tota
from tests.service import Server, wait_for_job

SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(__file__).resolve().parents[1] / ".venv" / "bin")) \
    or shutil.which("schemathesis")


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is not installed")
def test_no_server_errors_from_generated_requests(tmp_path):
    server = Server(tmp_path / "data")
    key = server.create_key("fuzz")
    server.start()
    try:
        client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        up = client.post("/api/v1/agreements", files={"file": ("ck.xml", tota(146).read_bytes())})
        wait_for_job(client, up.json()["job"]["id"])
        result = subprocess.run(
            [SCHEMATHESIS, "run", f"{server.url}/openapi.json", "--checks", "not_a_server_error",
             "--header", f"Authorization: Bearer {key}", "--max-examples", "40", "--generation-deterministic",
             "--request-timeout", "30", "--no-color"],
            capture_output=True, text=True, timeout=900)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-4000:]
        assert "Tested: 12" in output, output[-2000:]  # every operation of /api/v1 and /health was exercised
        assert httpx.get(server.url + "/health").json()["ok"]
        # The stateful phase may delete the tenant's documents through the API (as it may); the service still
        # takes an upload and serves its audit after the fuzzing.
        again = client.post("/api/v1/agreements", files={"file": ("ck.xml", tota(146).read_bytes())})
        assert wait_for_job(client, again.json()["job"]["id"])["status"] == "done"
        assert client.get(f"/api/v1/agreements/{again.json()['id']}/audit").status_code == 200
        assert "Traceback" not in server.log.read_text()
    finally:
        server.stop()
