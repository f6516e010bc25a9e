"""Background audits: a supervisor thread feeding persistent worker processes.

Requests never wait for an audit. The supervisor claims queued jobs from the
database, hands each to an idle worker process (models loaded once per
process), and writes results back itself, so the database has one writer.
A job over its time budget has its worker killed and replaced. Jobs left
``running`` by a killed server are re-queued at start, so nothing is lost.

Each worker is bounded: its own process group (a budget kill takes Tesseract
with it), an address-space limit inherited by its children, its own scratch
folder under the data directory (swept when it is killed and at start), and
caps on pages, rendered pixels and characters passed to the pipeline.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing import connection
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from api import store

log = logging.getLogger("auditor.worker")


@dataclass(frozen=True)
class WorkerLimits:
    max_pages: int
    max_render_pixels: int
    max_chars: int
    memory_mb: int
    scratch: Path  # this worker's temporary files go in scratch/<pid>


def _confine(limits: WorkerLimits) -> None:
    """Own process group, an address-space cap (children inherit it), temporary files in our own folder."""
    import resource
    import tempfile

    os.setsid()
    # One thread per worker: parallelism comes from the workers, and BLAS thread buffers only take address space.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    cap = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    folder = limits.scratch / str(os.getpid())
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _worker_main(conn, limits: WorkerLimits) -> None:
    """Runs in a child process: audit files on request, forever."""
    _confine(limits)
    import PIL.Image  # noqa: F401 - what OCR needs, mapped now rather than under memory pressure mid-audit
    import pypdfium2  # noqa: F401

    from auditor.classify import load_classifier
    from auditor.errors import AuditError
    from auditor.pipeline import ParseOptions, audit_file, default_precedents, refuse_if_not_an_agreement
    from auditor.report.audit import audit_json

    load_classifier()
    default_precedents()
    options = ParseOptions(max_pages=limits.max_pages, max_render_pixels=limits.max_render_pixels,
                           max_chars=limits.max_chars)
    conn.send(("ready", None, None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job_id, path, read_with, parties, require_treaty = message
        body, error, retire = None, None, False
        try:
            gone = [Path(p).name for p in read_with if not Path(p).is_file()]
            if gone:
                raise AuditError(f"The agreement {', '.join(gone)} named to be read with this one has been deleted.",
                                 "Upload it again, then upload this agreement with it.")
            audit = audit_file(path, options, read_with=read_with, parties=parties, progress=_reporter(conn, job_id))
            if require_treaty:
                refuse_if_not_an_agreement(audit)
            body = audit_json(audit)
        except AuditError as exc:
            error = str(exc)
        except MemoryError:
            error = (f"The audit needed more than the {limits.memory_mb:,} MB of memory one audit may use. "
                     "Split the document, or raise AUDITOR_WORKER_MEMORY_MB.")
            retire = True  # a process that ran out of memory starts afresh
        except Exception as exc:  # reported on the job, never crashes the worker
            error = f"internal error while auditing: {type(exc).__name__}: {exc}"
        # A big document leaves the heap grown: start afresh rather than audit the next one cramped. The
        # supervisor hears it before the result, so it never hands this process another job.
        retire = retire or _resident_mb() > limits.memory_mb / 2
        if retire:
            conn.send(("retiring", None, None))
        conn.send((job_id, body, error))
        if retire:
            return


def _reporter(conn, job_id: str):
    """Tells the supervisor each new stage of the job ("ocr 3/12" for OCR of page 3 of 12)."""
    last = [None]

    def report(stage: str, done: int = 0, total: int = 0) -> None:
        said = f"{stage} {done}/{total}" if total else stage
        if said != last[0]:
            last[0] = said
            conn.send(("progress", job_id, said))

    return report


@dataclass
class _Slot:
    process: mp.Process
    conn: object
    job: str | None = None
    started: float = 0.0
    ready: bool = False


class Supervisor:
    def __init__(self, *, sessions: sessionmaker, files_dir: Path, workers: int, time_budget: float,
                 limits: WorkerLimits) -> None:
        self.sessions = sessions
        self.files_dir = files_dir
        self.workers = workers
        self.time_budget = time_budget
        self.limits = limits
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._ctx = mp.get_context("spawn")
        self.slots: list[_Slot] = []

    def start(self) -> None:
        shutil.rmtree(self.limits.scratch, ignore_errors=True)  # left by workers of a killed server
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
                self._kill(slot)

    def _kill(self, slot: _Slot) -> None:
        """The worker's whole process group (Tesseract included), then its scratch folder."""
        try:
            os.killpg(slot.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            slot.process.kill()
        slot.process.join(timeout=5)
        self._sweep(slot)

    def _sweep(self, slot: _Slot) -> None:
        if slot.process.pid:
            shutil.rmtree(self.limits.scratch / str(slot.process.pid), ignore_errors=True)

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self.limits), daemon=True,
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
                if job_id in ("ready", "retiring"):
                    slot.ready = job_id == "ready"
                    continue
                if job_id == "progress":  # ("progress", job, stage)
                    self._stage(body, error)
                    continue
                slot.job = None
                self._finish(job_id, body, error)
            if slot.job and time.monotonic() - slot.started > self.time_budget:
                log.warning("job %s over its %.0f s budget: worker restarted", slot.job, self.time_budget)
                job_id, slot.job = slot.job, None
                self._kill(slot)
                self._finish(job_id, None, f"The audit took longer than the {self.time_budget:.0f}-second budget.")
                self.slots[i] = self._spawn()
            elif not slot.process.is_alive():
                self._sweep(slot)
                if slot.job:
                    job_id, slot.job = slot.job, None
                    self._finish(job_id, None, "The audit worker stopped unexpectedly on this document.")
                self.slots[i] = self._spawn()
        busy = {slot.job: i for i, slot in enumerate(self.slots) if slot.job}
        for job_id in store.cancelling(sessions=self.sessions, job_ids=list(busy)):
            i = busy[job_id]
            self.slots[i].job = None
            self._kill(self.slots[i])
            self._finish(job_id, None, store.CANCELLED)
            self.slots[i] = self._spawn()
        idle = [s for s in self.slots if s.ready and s.job is None and s.process.is_alive()]
        if not idle:
            return
        for (job_id, doc_id, _tenant), slot in zip(store.claim_jobs(sessions=self.sessions, limit=len(idle)), idle):
            slot.job, slot.started = job_id, time.monotonic()
            read_with, parties, require_treaty = store.audit_options(sessions=self.sessions, doc_id=doc_id)
            slot.conn.send((job_id, str(self.files_dir / doc_id), [str(self.files_dir / d) for d in read_with],
                            parties, require_treaty))

    def _stage(self, job_id: str, stage: str) -> None:
        try:
            store.set_job_stage(sessions=self.sessions, job_id=job_id, stage=stage)
        except Exception:  # noqa: BLE001 - progress is information only; the audit goes on
            log.exception("could not record the stage of job %s", job_id)

    def _finish(self, job_id: str, body: str | None, error: str | None) -> None:
        """Record a job's end. If the result cannot be saved, the job fails with the reason: it never stays running."""
        try:
            store.finish_job(sessions=self.sessions, job_id=job_id, audit_json=body, error=error)
        except Exception as exc:  # noqa: BLE001 - any storage failure ends the job, with its reason
            log.exception("could not save the result of job %s", job_id)
            reason = f"The audit finished but could not be saved ({type(exc).__name__}); it has been logged."
            try:
                store.finish_job(sessions=self.sessions, job_id=job_id, audit_json=None, error=reason)
            except Exception:  # noqa: BLE001
                log.exception("could not mark job %s failed either", job_id)
