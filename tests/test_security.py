"""Each finding of the December 2026 security review, reproduced against a real `auditor serve`.

The review (shared/reviews/security-2026-12/REPORT.md) ran its attacks by hand; these are the same
attacks as tests: for a stall, /health must answer in under a second from another connection
throughout; for a disk fill, the bytes the server stores are measured; after each attack the server is
healthy and an earlier audit is byte-identical.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests import hostile
from tests.conftest import tota
from tests.service import Server, wait_for_job

LIMIT = 64 * 1024 * 1024
WORKER_MB = 1536


class _Watch:
    """Runs ``sample`` in a thread until the ``with`` block ends."""

    interval = 0.05

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class HealthWatch(_Watch):
    """Polls /health from its own connection every 50 ms; the slowest answer is what a stall shows."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url, self.latencies, self.errors = url, [], []
        self.client = httpx.Client(timeout=30)

    def sample(self) -> None:
        started = time.perf_counter()
        try:
            self.client.get(self.url + "/health").raise_for_status()
        except httpx.HTTPError as exc:
            self.errors.append(repr(exc))
        self.latencies.append(time.perf_counter() - started)

    def __exit__(self, *exc) -> None:
        super().__exit__(*exc)
        self.client.close()

    @property
    def worst(self) -> float:
        return max(self.latencies)


class DiskWatch(_Watch):
    """The largest number of bytes the service holds in its spool folder while an upload runs."""

    interval = 0.01

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder, self.peak = folder, 0

    def sample(self) -> None:
        size = 0
        for path in self.folder.glob("upload-*"):
            try:
                size += path.stat().st_size
            except OSError:
                pass
        self.peak = max(self.peak, size)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _session(pid: int) -> int | None:
    """The session a process belongs to (each audit worker leads its own)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[3])
    except (OSError, IndexError, ValueError):
        return None


def _processes_named(name: str) -> list[int]:
    """Live processes of that name (a killed one waiting to be reaped, state Z, is not running)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name and \
                        (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    out.append(int(entry.name))
            except (OSError, IndexError):
                pass
    return out


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """A keyed service (no open mode) with two tenants and one audited agreement to watch for damage."""
    server = Server(tmp_path_factory.mktemp("security"), open_mode=False,
                    env={"AUDITOR_MAX_UPLOAD_BYTES": str(LIMIT), "AUDITOR_WORKER_MEMORY_MB": str(WORKER_MB),
                         "AUDITOR_MAX_RENDER_PIXELS": "20000000", "AUDITOR_TIME_BUDGET_SECONDS": "90",
                         "AUDITOR_SEED_SAMPLES": "false"})
    keys = {"A": server.create_key("ministry-a"), "B": server.create_key("ministry-b")}
    server.start()
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {keys['A']}"}, timeout=120)
    good = client.post("/api/v1/agreements", files={"file": ("ck.xml", tota(146).read_bytes())}).json()
    assert wait_for_job(client, good["job"]["id"])["status"] == "done"
    before = client.get(f"/api/v1/agreements/{good['id']}/audit").text
    yield {"server": server, "client": client, "keys": keys, "good": good, "before": before}
    client.close()
    server.stop()


def _unharmed(env) -> None:
    assert httpx.get(env["server"].url + "/health", timeout=5).json()["ok"] is True
    assert env["client"].get(f"/api/v1/agreements/{env['good']['id']}/audit").text == env["before"]


def _upload(env, name: str, content: bytes, key: str = "A") -> httpx.Response:
    return httpx.post(env["server"].url + "/api/v1/agreements", files={"file": (name, content)},
                      headers={"Authorization": f"Bearer {env['keys'][key]}"}, timeout=120)


# ---------------------------------------------------------------- H1, M1: nothing untrusted parsed on the event loop

def test_h1_punycode_html_never_stalls_the_service(keyed):
    data = hostile.punycode_html(800_000)
    with HealthWatch(keyed["server"].url) as health:
        started = time.perf_counter()
        response = _upload(keyed, "puny.html", data)
        took = time.perf_counter() - started
        job = wait_for_job(keyed["client"], response.json()["job"]["id"], timeout=120)
    assert response.status_code == 202 and took < 3, (response.status_code, took)
    assert health.worst < 1.0 and not health.errors, (health.worst, health.errors[:2])
    assert job["status"] == "done", job  # the declared codec is ignored: decoded as UTF-8, audited normally
    _unharmed(keyed)


def test_m1_large_legal_html_leaves_the_loop_and_the_api_process_alone(keyed):
    data = hostile.many_tags_html(50)
    server_pid = keyed["server"].process.pid
    rss_before = _rss_mb(server_pid)
    with HealthWatch(keyed["server"].url) as health:
        started = time.perf_counter()
        response = _upload(keyed, "many.html", data)
        took = time.perf_counter() - started
    assert response.status_code == 202 and took < 10, (response.status_code, took)
    assert health.worst < 1.0 and not health.errors, (health.worst, health.errors[:2])
    assert _rss_mb(server_pid, "VmHWM") - rss_before < 300, "the API process parsed the upload"
    job = wait_for_job(keyed["client"], response.json()["job"]["id"], timeout=180)
    assert job["status"] in ("done", "failed") and "internal error" not in (job["error"] or ""), job
    _unharmed(keyed)


# ---------------------------------------------------------------- H2: nothing stored before the caller is known or past the limit

def _chunked_head(path: str, key: str | None) -> bytes:
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Transfer-Encoding: chunked\r\n"
            "Content-Type: multipart/form-data; boundary=XBOUNDARYX\r\n\r\n").encode()


def _send_chunked(port: int, head: bytes, megabytes: int) -> tuple[str, int]:
    """Stream a chunked multipart body of ``megabytes`` until the server answers (or stops reading for 10 s);
    returns its status line and the body bytes sent."""
    import select

    part = (b'--XBOUNDARYX\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            b"Content-Type: text/plain\r\n\r\n")
    chunk = b"a" * (1 << 20)
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent, reply = 0, b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + b"%x\r\n%s\r\n" % (len(part), part))
        sock.setblocking(False)
        pending = memoryview(framed)
        chunks_left = megabytes
        while not reply and chunks_left:
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    break
                reply += data
                if not data:
                    break
                continue
            if not writable:
                break  # the server neither reads nor answers
            try:
                n = sock.send(pending[:1 << 16])
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += n
            pending = pending[n:]
            if not pending:
                chunks_left -= 1
                pending = memoryview(framed)
        sock.setblocking(True)
        sock.settimeout(30)
        while b"\r\n" not in reply:
            try:
                data = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not data:
                break
            reply += data
    return reply.split(b"\r\n", 1)[0].decode(), sent


@pytest.mark.parametrize("path", ["/api/v1/agreements", "/upload"])
@pytest.mark.parametrize("key", [None, "ta_bogus"])
def test_h2_no_body_byte_is_stored_before_the_key_is_checked(keyed, path, key):
    with DiskWatch(keyed["server"].data_dir / "tmp") as disk:
        status, sent = _send_chunked(keyed["server"].port, _chunked_head(path, key), 300)
    assert " 401 " in status + " ", status
    assert disk.peak == 0, f"{disk.peak:,} bytes stored for an unauthenticated request"
    assert sent < 300 * (1 << 20), "the server read the whole body before answering"
    _unharmed(keyed)


def test_h2_chunked_upload_is_cut_off_at_the_limit(keyed):
    with DiskWatch(keyed["server"].data_dir / "tmp") as disk:
        status, sent = _send_chunked(keyed["server"].port, _chunked_head("/api/v1/agreements", keyed["keys"]["A"]),
                                     300)
    assert " 413 " in status + " ", status
    assert disk.peak <= LIMIT + (1 << 20), f"{disk.peak:,} bytes stored, limit {LIMIT:,}"
    assert sent < 300 * (1 << 20)
    assert not list((keyed["server"].data_dir / "tmp").glob("upload-*"))
    _unharmed(keyed)


# ---------------------------------------------------------------- M2, M3: every resource bounded in the worker

def test_m2_render_bomb_is_rendered_within_the_pixel_cap_and_the_memory_limit(keyed):
    response = _upload(keyed, "bomb.pdf", hostile.render_bomb(14400))
    assert response.status_code == 202
    peak = 0.0
    deadline = time.time() + 120
    while time.time() < deadline:
        for pid in _tree(keyed["server"].process.pid)[1:]:
            peak = max(peak, _rss_mb(pid))
        job = keyed["client"].get(f"/api/v1/jobs/{response.json()['job']['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] in ("done", "failed"), job
    # A clear outcome: not a crash, and not a worker left cramped by the 50 MB HTML before it (it retires).
    assert "internal error" not in (job["error"] or "") and "unexpectedly" not in (job["error"] or ""), job
    assert peak < WORKER_MB, f"a worker process reached {peak:.0f} MB"
    _unharmed(keyed)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_m3_a_budget_kill_takes_tesseract_and_the_scratch_folder_with_it(tmp_path, rcep_chapter12):
    from tests.typeset import scanned_pdf

    scanned = scanned_pdf(rcep_chapter12, [1, 2, 3, 4, 5, 6], tmp_path / "scanned.pdf")  # OCR outlasts the budget
    server = Server(tmp_path / "data", env={"AUDITOR_WORKERS": "1", "AUDITOR_TIME_BUDGET_SECONDS": "4",
                                            "AUDITOR_SEED_SAMPLES": "false"}).start()
    try:
        client = httpx.Client(base_url=server.url, timeout=60)
        up = client.post("/api/v1/agreements", files={"file": ("scanned.pdf", scanned.read_bytes())}).json()
        workers: set[int] = set()
        ocr_seen = False
        deadline = time.time() + 60
        while time.time() < deadline:  # note the worker's session, and see Tesseract run in it
            workers |= set(_tree(server.process.pid)[1:])
            ocr_seen = ocr_seen or any(_session(p) in workers for p in _processes_named("tesseract"))
            if client.get(f"/api/v1/jobs/{up['job']['id']}").json()["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        job = wait_for_job(client, up["job"]["id"], timeout=60)
        assert job["status"] == "failed" and "4-second budget" in job["error"], job
        assert ocr_seen, "the budget ran out before OCR started: the test proves nothing"
        time.sleep(1)
        orphans = [p for p in _processes_named("tesseract") if _session(p) in workers]
        assert orphans == [], "Tesseract outlived its worker"
        scratch = server.data_dir / "tmp" / "workers"
        assert [p for p in scratch.rglob("*") if p.is_file()] == [], "the killed worker's files were left behind"
        quick = client.post("/api/v1/agreements", files={"file": ("t.txt", b"Article 1\nCulture is excluded.\n")})
        assert wait_for_job(client, quick.json()["job"]["id"])["status"] == "done"
    finally:
        server.stop()


def test_l7_a_malformed_page_tree_fails_with_the_reason(keyed):
    response = _upload(keyed, "deep.pdf", hostile.deep_page_tree(5000))
    job = wait_for_job(keyed["client"], response.json()["job"]["id"])
    assert job["status"] == "failed" and "could not be read" in job["error"], job
    assert "internal error" not in job["error"]


def test_l1_html_nested_past_the_parser_is_refused_not_cut(keyed):
    response = _upload(keyed, "deep.html", hostile.deep_html(300))
    job = wait_for_job(keyed["client"], response.json()["job"]["id"])
    assert job["status"] == "failed" and "256 levels" in job["error"], job


def test_l2_a_provision_of_over_a_million_characters_is_audited(keyed):
    text = ("Article 1\n" + "The Parties shall cooperate on trade in goods and services. " * 21000).encode()
    assert len(text) > 1_200_000
    response = _upload(keyed, "flat.txt", text)
    job = wait_for_job(keyed["client"], response.json()["job"]["id"], timeout=120)
    assert job["status"] == "done", job


def test_l11_xml_with_its_own_dtd_is_refused(keyed):
    xml = (b"<?xml version='1.0'?><!DOCTYPE treaty [<!ENTITY a 'aaaaaaaaaa'>]><treaty><meta><name>&a;</name>"
           b"</meta><body><chapter><article>Text &a;</article></chapter></body></treaty>")
    job = wait_for_job(keyed["client"], _upload(keyed, "dtd.xml", xml).json()["job"]["id"])
    assert job["status"] == "failed" and "DTD" in job["error"], job


# ---------------------------------------------------------------- M4: a result that cannot be saved never pins a worker

def test_m4_over_long_fields_are_saved_on_both_databases(server):
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.keys['A']}"}, timeout=60)
    up = client.post("/api/v1/agreements", files={"file": ("long.xml", hostile.long_fields_tota())}).json()
    job = wait_for_job(client, up["job"]["id"], timeout=60)
    assert job["status"] == "done", (server.backend, job)
    meta = client.get(f"/api/v1/agreements/{up['id']}").json()
    assert meta["date_signed"] is None  # not a date: not stored as one
    hits = client.get("/api/v1/provisions", params={"q": "cultural industries", "limit": 200}).json()["data"]
    assert any(h["agreement_id"] == up["id"] for h in hits)
    quick = client.post("/api/v1/agreements", files={"file": ("t.txt", b"Article 1\nCulture.\n")}).json()
    assert wait_for_job(client, quick["job"]["id"], timeout=60)["status"] == "done"


# ---------------------------------------------------------------- M5, L4: open mode and the web sign-in

def test_m5_open_mode_answers_only_loopback_hosts_and_same_site_posts(tmp_path):
    server = Server(tmp_path / "data", env={"AUDITOR_SEED_SAMPLES": "false"}).start()  # --open, as `make run`
    try:
        url = server.url
        assert httpx.get(url + "/api/v1/agreements", headers={"Host": "attacker.example"}).status_code == 400
        assert httpx.get(url + "/api/v1/agreements", headers={"Host": f"localhost:{server.port}"}).status_code == 200
        sample = {"file": ("t.txt", b"Article 1\nCulture.\n")}
        cross = httpx.post(url + "/api/v1/agreements", files=sample, headers={"Origin": "https://evil.example"})
        assert cross.status_code == 403
        fetch = httpx.post(url + "/upload", files=sample, headers={"Sec-Fetch-Site": "cross-site"})
        assert fetch.status_code == 403
        assert httpx.post(url + "/api/v1/agreements", files=sample).status_code == 202  # a local program
        key = server.create_key("ministry")
        assert httpx.get(url + "/api/v1/agreements").status_code == 401  # the first key ends open mode
        key_id = server.cli("keys", "list").stdout.split()[0]
        assert server.cli("keys", "revoke", key_id).returncode == 0
        assert httpx.get(url + "/api/v1/agreements").status_code == 401  # and revoking it does not reopen
        assert httpx.get(url + "/api/v1/agreements", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    finally:
        server.stop()
    restarted = Server(tmp_path / "data", env={"AUDITOR_SEED_SAMPLES": "false"}).start()
    try:  # nor does a restart with --open, once a key was ever made
        assert httpx.get(restarted.url + "/api/v1/agreements").status_code == 401
        assert "Open mode refused" in restarted.log.read_text()
    finally:
        restarted.stop()


def test_m5_without_open_and_without_keys_everything_is_refused(tmp_path):
    server = Server(tmp_path / "data", open_mode=False, env={"AUDITOR_SEED_SAMPLES": "false"}).start()
    try:
        assert httpx.get(server.url + "/api/v1/agreements").status_code == 401
        assert httpx.get(server.url + "/").status_code == 401
        assert httpx.get(server.url + "/health").status_code == 200
    finally:
        server.stop()


def _cookie(response: httpx.Response, name: str) -> tuple[str, str]:
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1], header
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def test_l4_sign_in_gives_a_session_not_the_key_and_every_form_needs_its_token(keyed):
    url, key = keyed["server"].url, keyed["keys"]["B"]
    page = httpx.get(url + "/login")
    assert page.status_code == 200 and 'name="csrf"' in page.text
    csrf, header = _cookie(page, "auditor_csrf")
    assert "HttpOnly" in header and "Secure" in header and "SameSite=strict" in header
    assert httpx.post(url + "/login", data={"key": key}, cookies={"auditor_csrf": csrf}).status_code == 403
    assert httpx.post(url + "/login", data={"key": key, "csrf": "forged"}, cookies={"auditor_csrf": csrf}).status_code == 403
    cross = httpx.post(url + "/login", data={"key": key, "csrf": csrf}, cookies={"auditor_csrf": csrf},
                       headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403  # login CSRF: another site cannot sign the victim into its tenant
    signed = httpx.post(url + "/login", data={"key": key, "csrf": csrf}, cookies={"auditor_csrf": csrf})
    assert signed.status_code == 303
    session, header = _cookie(signed, "auditor_session")
    assert session != key and key not in header
    assert "HttpOnly" in header and "Secure" in header and "SameSite=strict" in header
    cookies = {"auditor_csrf": csrf, "auditor_session": session}
    home = httpx.get(url + "/", cookies=cookies)
    assert home.status_code == 200 and "Signed in as ministry-b" in home.text
    forged = httpx.post(url + "/upload", files={"file": ("t.txt", b"Article 1\nCulture.\n")}, cookies=cookies)
    assert forged.status_code == 403  # an upload form without its token
    ok = httpx.post(url + "/upload", files={"file": ("t.txt", b"Article 1\nCulture, signed in.\n")},
                    data={"csrf": csrf}, cookies=cookies)
    assert ok.status_code == 303
    assert httpx.post(url + "/logout", data={"csrf": csrf}, cookies=cookies).status_code == 303
    assert httpx.get(url + "/", cookies=cookies).status_code == 401  # the session is gone server-side
    wrong = httpx.post(url + "/login", data={"key": "ta_wrong", "csrf": csrf}, cookies={"auditor_csrf": csrf})
    assert wrong.status_code == 401 and "not valid" in wrong.text


# ---------------------------------------------------------------- M6: fairness and quotas

@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_m6_one_tenants_burst_does_not_make_another_wait_and_quotas_answer_429(tmp_path, rcep_chapter12):
    from tests.typeset import scanned_pdf

    server = Server(tmp_path / "data", open_mode=False,
                    env={"AUDITOR_WORKERS": "1", "AUDITOR_SEED_SAMPLES": "false", "AUDITOR_TENANT_MAX_JOBS": "12",
                         "AUDITOR_TENANT_MAX_BYTES": "20000000"})
    keys = {"A": server.create_key("busy"), "B": server.create_key("quiet")}
    server.start()
    try:
        a = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {keys['A']}"}, timeout=60)
        b = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {keys['B']}"}, timeout=60)
        # A scanned page takes OCR a few seconds: twelve of them keep the one worker busy.
        scanned = scanned_pdf(rcep_chapter12, [2], tmp_path / "scanned.pdf").read_bytes()
        burst = [a.post("/api/v1/agreements", files={"file": (f"{i}.pdf", scanned + f"%{i}\n".encode())}).json()
                 for i in range(12)]
        over = a.post("/api/v1/agreements", files={"file": ("13.txt", b"Article 1\nCulture.\n")})
        assert over.status_code == 429 and "queued or running" in over.json()["error"]
        quiet = b.post("/api/v1/agreements", files={"file": ("b.txt", b"Article 1\nCultural industries.\n")}).json()
        wait_for_job(b, quiet["job"]["id"], timeout=120)
        done_before = sum(a.get(f"/api/v1/jobs/{j['job']['id']}").json()["status"] == "done" for j in burst)
        assert done_before <= 2, f"{done_before} of the busy tenant's audits went first"
        big = b.post("/api/v1/agreements", files={"file": ("big.txt", b"Article 1\n" + b"a" * 20_100_000)})
        assert big.status_code == 429 and "quota" in big.json()["error"]
    finally:
        server.stop()


# ---------------------------------------------------------------- L3, L5, L6, L9: at rest, headers, exports, search

def test_l3_files_at_rest_are_the_service_users_only(keyed):
    data = keyed["server"].data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in [*data.glob("auditor.db*"), *(data / "files").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_l5_security_headers_everywhere_and_docs_without_a_cdn(keyed):
    client, doc = keyed["client"], keyed["good"]["id"]
    for path in ("/", f"/agreements/{doc}", f"/api/v1/agreements/{doc}/audit",
                 f"/api/v1/agreements/{doc}/audit?format=html", f"/api/v1/agreements/{doc}/audit?format=csv",
                 "/api/v1/agreements/nope", "/no-such-page", "/docs"):
        response = client.get(path)
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, path
        assert "http" not in csp, (path, csp)  # no third-party origin
        assert response.headers.get("x-content-type-options") == "nosniff", path
        assert response.headers.get("x-frame-options") == "DENY", path
        assert response.headers.get("cache-control") == "no-store", path
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "/static-docs/swagger-ui-bundle.js" in docs
    assert client.get("/static-docs/swagger-ui-bundle.js").status_code == 200


def test_l6_exports_neutralise_formulas_and_markup(keyed, tmp_path):
    client = keyed["client"]
    up = _upload(keyed, "formulas.xml", hostile.formula_tota()).json()
    assert wait_for_job(client, up["job"]["id"])["status"] == "done"
    csv_text = client.get(f"/api/v1/agreements/{up['id']}/audit", params={"format": "csv"}).text
    assert ",=" not in csv_text and '"=' not in csv_text
    assert "'=cmd|" in csv_text
    path = tmp_path / "formulas.xml"
    path.write_bytes(hostile.formula_tota())
    md = keyed["server"].cli("audit", str(path), "--format", "md", "--no-precedents")
    assert md.returncode == 0, md.stderr
    assert "<script>" not in md.stdout and "&lt;script&gt;" in md.stdout
    assert "# Audit: =HYPERLINK" in md.stdout  # text in Markdown, not a formula: no spreadsheet reads it


def test_l9_like_wildcards_in_a_search_are_literal(keyed):
    client = keyed["client"]
    everything = client.get("/api/v1/agreements", params={"limit": 200}).json()["count"]
    assert everything > 2
    assert client.get("/api/v1/agreements", params={"q": "%"}).json()["count"] == 0
    underscored = client.get("/api/v1/agreements", params={"q": "_"}).json()
    assert all("_" in (d["title"] or "") + d["filename"] for d in underscored["data"])


def test_l11_direction_controls_are_stripped_from_file_names(keyed):
    up = _upload(keyed, "\u202etxt.exe", b"Article 1\nCulture, spoofed name.\n").json()
    assert keyed["client"].get(f"/api/v1/agreements/{up['id']}").json()["filename"] == "txt.exe"


def test_server_healthy_and_earlier_audit_identical_after_every_attack(keyed):
    _unharmed(keyed)
    assert not list((keyed["server"].data_dir / "tmp").glob("upload-*"))
    assert os.path.isdir(keyed["server"].data_dir / "files")


def test_a_word_draft_uploaded_is_sniffed_by_its_zip_directory_and_audited(keyed):
    from tests.test_formats import _docx_bytes

    data = _docx_bytes(["Article 1", "Cultural Industries",
                        "Nothing in this Agreement shall apply to measures with respect to cultural industries."])
    up = _upload(keyed, "draft.docx", data)
    assert up.status_code == 202, up.text
    job = wait_for_job(keyed["client"], up.json()["job"]["id"])
    assert job["status"] == "done", job
    assert keyed["client"].get(f"/api/v1/agreements/{up.json()['id']}").json()["format"] == "docx"
