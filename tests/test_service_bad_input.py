"""Thirty-plus bad requests: each a clean 4xx JSON error; the server stays healthy and stored data is unharmed."""

from __future__ import annotations

import json
import os
import socket

import httpx
import pytest

from tests.conftest import tota
from tests.service import Server, wait_for_job
from tests.test_cli import ZERO_PAGE_PDF

LIMIT = 2_000_000


@pytest.fixture(scope="module")
def env(tmp_path_factory, rcep_chapter12):
    from reportlab.pdfgen import canvas

    server = Server(tmp_path_factory.mktemp("bad-input"),
                    env={"AUDITOR_MAX_UPLOAD_BYTES": str(LIMIT), "AUDITOR_MAX_PAGES": "100"})
    key = server.create_key("ministry")
    other = server.create_key("other")
    server.start()
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    good = client.post("/api/v1/agreements", files={"file": ("ck.xml", tota(146).read_bytes())})
    wait_for_job(client, good.json()["job"]["id"])
    before = client.get(f"/api/v1/agreements/{good.json()['id']}/audit").text
    tmp = tmp_path_factory.mktemp("inputs")
    locked = tmp / "locked.pdf"
    c = canvas.Canvas(str(locked), encrypt="secret")
    c.drawString(72, 720, "Article 1")
    c.save()
    files = {
        "encrypted": locked.read_bytes(),
        "truncated": rcep_chapter12.read_bytes()[:60_000],
        "many pages": _pdf_of_pages(tmp / "many.pdf", 101),
    }
    yield {"server": server, "client": client, "good": good.json(), "before": before, "files": files, "other": other}
    client.close()
    server.stop()


def _pdf_of_pages(path, pages: int) -> bytes:
    """One page over the server's AUDITOR_MAX_PAGES (100), each with a line of text."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(72, 720, f"Article {n + 1}")
        c.showPage()
    c.save()
    return path.read_bytes()


def _upload(env, name, content, mime="application/octet-stream"):
    return env["client"].post("/api/v1/agreements", files={"file": (name, content, mime)})


def _raw(env, head: bytes, body: bytes = b"") -> tuple[int, dict]:
    """Send bytes as they are (for lies httpx will not tell) and read the status line and JSON body."""
    with socket.create_connection(("127.0.0.1", env["server"].port), timeout=30) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < int(
                dict(l.split(b": ", 1) for l in data.split(b"\r\n\r\n")[0].split(b"\r\n")[1:] if b": " in l)
                .get(b"content-length", b"0")):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, json.loads(data.split(b"\r\n\r\n", 1)[1] or b"{}")


CASES = {
    # uploads: wrong or broken content
    "no file field": lambda e: e["client"].post("/api/v1/agreements", files={"other": ("a.txt", b"x")}),
    "empty body": lambda e: e["client"].post("/api/v1/agreements", content=b""),
    "json instead of multipart": lambda e: e["client"].post("/api/v1/agreements", json={"file": "rcep.pdf"}),
    "malformed json": lambda e: e["client"].post("/api/v1/agreements", content=b'{"file": ',
                                                 headers={"content-type": "application/json"}),
    "broken multipart": lambda e: e["client"].post("/api/v1/agreements", content=b"--xx\r\nnonsense",
                                                   headers={"content-type": "multipart/form-data; boundary=xx"}),
    "empty file": lambda e: _upload(e, "empty.pdf", b""),
    "random bytes named pdf": lambda e: _upload(e, "treaty.pdf", os.urandom(4000).replace(b"%PDF", b"xxxx")),
    "docx renamed pdf": lambda e: _upload(e, "treaty.pdf", b"PK\x03\x04" + b"\x14\x00" * 500),
    "png image": lambda e: _upload(e, "scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image/png"),
    "gzip archive": lambda e: _upload(e, "treaty.txt.gz", b"\x1f\x8b\x08" + b"\x00" * 100),
    "whitespace text": lambda e: _upload(e, "t.txt", b"   \n\n\t  "),
    "over the size limit": lambda e: _upload(e, "big.txt", b"Article 1\n" + b"a" * (LIMIT + 10)),
    # ids, parameters, methods, routes
    "unknown agreement": lambda e: e["client"].get("/api/v1/agreements/ffffffffffffffffffffffffffffffff"),
    "unknown job": lambda e: e["client"].get("/api/v1/jobs/nope"),
    "audit of unknown id": lambda e: e["client"].get("/api/v1/agreements/nope/audit"),
    "bad audit format": lambda e: e["client"].get(f"/api/v1/agreements/{e['good']['id']}/audit", params={"format": "docx"}),
    "limit zero": lambda e: e["client"].get("/api/v1/agreements", params={"limit": 0}),
    "limit huge": lambda e: e["client"].get("/api/v1/agreements", params={"limit": 100000}),
    "negative offset": lambda e: e["client"].get("/api/v1/provisions", params={"offset": -1}),
    "non-numeric limit": lambda e: e["client"].get("/api/v1/provisions", params={"limit": "ten"}),
    "unknown label": lambda e: e["client"].get("/api/v1/provisions", params={"label": "poetry"}),
    "query too long": lambda e: e["client"].get("/api/v1/provisions", params={"q": "culture " * 60}),
    "delete unknown": lambda e: e["client"].delete("/api/v1/agreements/nope"),
    "delete public sample": lambda e: e["client"].delete(
        "/api/v1/agreements/" + next(d["id"] for d in e["client"].get("/api/v1/agreements").json()["data"] if d["public"])),
    "compare unknown": lambda e: e["client"].get(f"/api/v1/agreements/{e['good']['id']}/compare/nope"),
    "put on collection": lambda e: e["client"].put("/api/v1/agreements", content=b"x"),
    "patch a job": lambda e: e["client"].patch("/api/v1/jobs/x"),
    "post to search": lambda e: e["client"].post("/api/v1/provisions"),
    "unknown route": lambda e: e["client"].get("/api/v1/treaties"),
    "invalid key": lambda e: httpx.get(e["server"].url + "/api/v1/agreements", headers={"Authorization": "Bearer nope"}),
    "revoked key": lambda e: httpx.get(e["server"].url + "/api/v1/agreements",
                                       headers={"Authorization": "Bearer " + e["revoked"]}),
    "basic auth": lambda e: httpx.get(e["server"].url + "/api/v1/agreements", auth=("user", "pass")),
    "other tenant's agreement": lambda e: httpx.get(e["server"].url + f"/api/v1/agreements/{e['good']['id']}",
                                                    headers={"Authorization": "Bearer " + e["other"]}),
}
EXPECTED = {"no file field": 422, "empty body": 422, "json instead of multipart": 422, "malformed json": 422,
            "broken multipart": 422, "empty file": 422, "random bytes named pdf": 415, "docx renamed pdf": 415,
            "png image": 415, "gzip archive": 415, "whitespace text": 422, "over the size limit": 413,
            "unknown agreement": 404, "unknown job": 404, "audit of unknown id": 404, "bad audit format": 422,
            "limit zero": 422, "limit huge": 422, "negative offset": 422, "non-numeric limit": 422,
            "unknown label": 422, "query too long": 422, "delete unknown": 404, "delete public sample": 404,
            "compare unknown": 404, "put on collection": 405, "patch a job": 405, "post to search": 405,
            "unknown route": 404, "invalid key": 401, "revoked key": 401, "basic auth": 401,
            "other tenant's agreement": 404}


# Files that pass the request's sniff but that only reading them shows to be unreadable. The request never
# parses them (that happens in a budgeted worker): they are accepted, and their audit fails with the reason.
FAILS_IN_THE_WORKER = {
    "encrypted pdf": (lambda e: ("locked.pdf", e["files"]["encrypted"]), "encrypted"),
    "truncated pdf": (lambda e: ("cut.pdf", e["files"]["truncated"]), "could not be read"),
    "zero-page pdf": (lambda e: ("zero.pdf", ZERO_PAGE_PDF), "could not be read"),
    "pdf header only": (lambda e: ("head.pdf", b"%PDF-1.7\n%%EOF"), "could not be read"),
    "broken xml": (lambda e: ("t.xml", b"<?xml version='1.0'?><treaty><meta>"), "not well-formed"),
    "foreign xml": (lambda e: ("i.xml", b"<?xml version='1.0'?><invoice><total>1</total></invoice>"), "not a ToTA"),
    "tota without articles": (lambda e: ("t.xml", b"<?xml version='1.0'?><treaty><meta/><body/></treaty>"),
                              "no article text"),
    "html without text": (lambda e: ("t.html", b"<!DOCTYPE html><html><body><script>x()</script></body></html>"),
                          "no text"),
    "absurd page count": (lambda e: ("many.pdf", e["files"]["many pages"]), "over the 100-page ceiling"),
}


@pytest.mark.parametrize("case", list(FAILS_IN_THE_WORKER))
def test_unreadable_file_fails_its_audit_with_the_reason(env, case):
    make, reason = FAILS_IN_THE_WORKER[case]
    name, content = make(env)
    response = _upload(env, name, content)
    assert response.status_code == 202, response.text
    job = wait_for_job(env["client"], response.json()["job"]["id"], timeout=120)
    assert job["status"] == "failed" and reason in job["error"], job
    assert "internal error" not in job["error"] and "Traceback" not in job["error"]
    meta = env["client"].get(f"/api/v1/agreements/{response.json()['id']}").json()
    assert meta["status"] == "failed"
    assert env["client"].get(f"/api/v1/agreements/{env['good']['id']}/audit").text == env["before"]


@pytest.fixture(scope="module")
def revoked(env):
    key = env["server"].create_key("gone")
    key_id = env["server"].cli("keys", "list").stdout.splitlines()[-1].split()[0]
    assert env["server"].cli("keys", "revoke", key_id).returncode == 0
    env["revoked"] = key
    return key


@pytest.mark.parametrize("case", list(CASES))
def test_bad_request_is_a_clean_4xx(env, revoked, case):
    response = CASES[case](env)
    assert response.status_code == EXPECTED[case], (case, response.status_code, response.text[:300])
    body = response.json()
    assert body["ok"] is False and body["status"] == response.status_code and body["error"], body
    assert "Traceback" not in body["error"]


def test_declared_size_lie_is_refused_before_the_body(env):
    head = (b"POST /api/v1/agreements HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 99999999999\r\n\r\n")
    status, body = _raw(env, head)
    assert status == 413 and "over the" in body["error"]


def test_path_traversal_file_name_is_only_a_label(env):
    response = _upload(env, "../../../../etc/cron.d/evil", b"Article 1: Scope\nThe Parties agree on culture.\n")
    assert response.status_code == 202
    meta = env["client"].get(f"/api/v1/agreements/{response.json()['id']}").json()
    assert meta["filename"] == "evil"
    assert (env["server"].data_dir / "files" / response.json()["id"]).exists()
    assert not any(p.name == "evil" for p in env["server"].data_dir.rglob("*"))


def test_server_healthy_and_data_unharmed_after_all(env, revoked):
    for case in CASES:  # run them all again, in one go
        CASES[case](env)
    assert httpx.get(env["server"].url + "/health").json()["ok"] is True
    after = env["client"].get(f"/api/v1/agreements/{env['good']['id']}/audit").text
    assert after == env["before"]
    # No spooled upload is left behind; the workers' scratch folders hold nothing between audits.
    tmp = env["server"].data_dir / "tmp"
    leftovers = [p for p in tmp.rglob("*") if p.is_file()] if tmp.exists() else []
    assert leftovers == []
    stored = {p.name for p in (env["server"].data_dir / "files").iterdir()}
    listed = {d["id"] for d in env["client"].get("/api/v1/agreements", params={"limit": 200}).json()["data"]}
    assert stored <= listed | {d for d in stored if len(d) == 32}
