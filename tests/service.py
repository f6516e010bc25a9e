"""Run the real service (``auditor serve``) and a throwaway PostgreSQL cluster for tests and benchmarks."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``auditor serve`` in its own process group, on a free port, with its own data directory."""

    def __init__(self, data_dir: Path, *, database_url: str | None = None, env: dict | None = None,
                 open_mode: bool = True) -> None:
        """``open_mode``: started with --open, as `make run` does (it ends once a key is created)."""
        self.data_dir = data_dir
        self.open_mode = open_mode
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "AUDITOR_DATA_DIR": str(data_dir), **(env or {})}
        if database_url:
            self.env["AUDITOR_DATABASE_URL"] = database_url
        self.process: subprocess.Popen | None = None
        self.log = data_dir / "server.log"

    def start(self, timeout: float = 90) -> "Server":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "auditor", "serve", "--port", str(self.port), *(["--open"] if self.open_mode else [])],
            cwd=REPO, env=self.env,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).json().get("workers", 0) > 0:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("server did not become healthy")

    def kill(self) -> None:
        """SIGKILL the whole process group: server and its audit workers, no clean-up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "auditor", *args], cwd=REPO, env=self.env, capture_output=True,
                              text=True, timeout=120)

    def create_key(self, tenant: str) -> str:
        result = self.cli("keys", "create", "--tenant", tenant)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]


def wait_for_job(client: httpx.Client, job_id: str, timeout: float = 180) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.25)
    raise TimeoutError(f"job {job_id} not finished")


def pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free port, started and stopped by the tests."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="auditor-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses root
        self.url = f"postgresql+psycopg://auditor@127.0.0.1:{self.port}/auditor"

    def _run(self, *cmd: str) -> None:
        if self.as_postgres:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> "PostgresCluster":
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        data = self.dir / "data"
        self._run(pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "auditor", "--encoding=UTF8", "--no-sync")
        self._run(pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.dir / "pg.log"), "-w", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        self._run(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "auditor", "auditor")
        return self

    def stop(self) -> None:
        try:
            self._run(pg_bin("pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
