"""Background audits: a supervisor thread feeding persistent worker processes.

Requests never wait for an audit. The supervisor claims queued jobs from the
database, hands each to an idle worker process (models loaded once per
process), and writes results back itself, so the database has one writer.
A job over its time budget has its worker killed and replaced. Jobs left
``running`` by a killed server are re-queued at start, so nothing is lost.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
from multiprocessing import connection
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from api import store

log = logging.getLogger("auditor.worker")


def _worker_main(conn, max_pages: int) -> None:
    """Runs in a child process: audit files on request, forever."""
    from auditor.classify import load_classifier
    from auditor.errors import AuditError
    from auditor.pipeline import ParseOptions, audit_file, default_precedents
    from auditor.report.audit import audit_json

    load_classifier()
    default_precedents()
    conn.send(("ready", None, None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, path = message
        try:
            audit = audit_file(path, ParseOptions(max_pages=max_pages))
            conn.send((job_id, audit_json(audit), None))
        except AuditError as exc:
            conn.send((job_id, None, str(exc)))
        except Exception as exc:  # reported on the job, never crashes the worker
            conn.send((job_id, None, f"internal error while auditing: {type(exc).__name__}: {exc}"))


@dataclass
class _Slot:
    process: mp.Process
    conn: object
    job: str | None = None
    started: float = 0.0
    ready: bool = False


class Supervisor:
    def __init__(self, *, sessions: sessionmaker, files_dir: Path, workers: int, time_budget: float,
                 max_pages: int) -> None:
        self.sessions = sessions
        self.files_dir = files_dir
        self.workers = workers
        self.time_budget = time_budget
        self.max_pages = max_pages
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx = mp.get_context("spawn")
        self.slots: list[_Slot] = []

    def start(self) -> None:
        requeued = store.requeue_interrupted(sessions=self.sessions)
        if requeued:
            log.warning("re-queued %d job(s) left running by a previous server", requeued)
        self.slots = [self._spawn() for _ in range(self.workers)]
        self._thread = threading.Thread(target=self._loop, name="audit-supervisor", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=10)
        for slot in self.slots:
            try:
                slot.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            slot.process.join(timeout=2)
            if slot.process.is_alive():
                slot.process.kill()

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.max_pages), daemon=True,
                                    name="audit-worker")
        process.start()
        child.close()
        return _Slot(process=process, conn=parent)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._tick()
            except Exception:  # keep supervising; the failure is logged
                log.exception("supervisor tick failed")
                time.sleep(1)
            # Wake as soon as a worker reports (its next job goes out at once), an upload arrives, or 0.2 s pass.
            if self._wake.is_set():
                self._wake.clear()
                continue
            connection.wait([slot.conn for slot in self.slots], timeout=0.2)

    def _tick(self) -> None:
        for i, slot in enumerate(self.slots):
            while slot.conn.poll():
                try:
                    job_id, body, error = slot.conn.recv()
                except (EOFError, OSError):
                    break
                if job_id == "ready":
                    slot.ready = True
                    continue
                store.finish_job(sessions=self.sessions, job_id=job_id, audit_json=body, error=error)
                slot.job = None
            if slot.job and time.monotonic() - slot.started > self.time_budget:
                log.warning("job %s over its %.0f s budget: worker restarted", slot.job, self.time_budget)
                store.finish_job(sessions=self.sessions, job_id=slot.job, audit_json=None,
                                 error=f"The audit took longer than the {self.time_budget:.0f}-second budget.")
                slot.process.kill()
                slot.process.join(timeout=5)
                self.slots[i] = self._spawn()
            elif not slot.process.is_alive():
                if slot.job:
                    store.finish_job(sessions=self.sessions, job_id=slot.job, audit_json=None,
                                     error="The audit worker stopped unexpectedly on this document.")
                self.slots[i] = self._spawn()
        idle = [s for s in self.slots if s.ready and s.job is None and s.process.is_alive()]
        if not idle:
            return
        for (job_id, doc_id, _tenant), slot in zip(store.claim_jobs(sessions=self.sessions, limit=len(idle)), idle):
            slot.job, slot.started = job_id, time.monotonic()
            slot.conn.send((job_id, str(self.files_dir / doc_id)))
