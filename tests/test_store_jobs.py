"""The job queue's claim under a concurrent delete (found by schemathesis: upload, delete, claim).

The supervisor selects queued jobs, then marks them running. An upload deleted between the
two must be skipped, not break the supervisor's transaction.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from api import store
from api.db import AuditRecord, ProvisionRow, make_engine, migrate, session_factory


@pytest.fixture()
def sessions(tmp_path):
    url = f"sqlite:///{tmp_path / 'auditor.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine, session_factory(engine)
    engine.dispose()


def _upload(sessions, tmp_path: Path, content: bytes, tenant: str = "a"):
    spooled = tmp_path / f"spool-{len(content)}"
    spooled.write_bytes(content)
    doc, job, _ = store.register_upload(sessions=sessions, files_dir=tmp_path / "files", tenant=tenant, spooled=spooled,
                                        sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                        filename="a.txt", fmt="text", pages=None)
    return doc, job


def test_claim_skips_an_upload_deleted_after_the_select(sessions, tmp_path):
    engine, factory = sessions
    gone, gone_job = _upload(factory, tmp_path, b"Article 1. First agreement.")
    kept, kept_job = _upload(factory, tmp_path, b"Article 1. Second agreement, longer.")
    fired = []

    @event.listens_for(engine, "after_cursor_execute")
    def delete_between(conn, cursor, statement, params, context, executemany):
        if not fired and statement.lstrip().upper().startswith("SELECT") and "FROM jobs" in statement:
            fired.append(statement)
            store.delete_document(sessions=factory, files_dir=tmp_path / "files", tenant="a", doc_id=gone.id)

    claimed = store.claim_jobs(sessions=factory, limit=5)
    event.remove(engine, "after_cursor_execute", delete_between)

    assert fired, "the hook never ran: the test did not exercise the race"
    assert claimed == [(kept_job.id, kept.id, "a")]
    assert store.get_job(sessions=factory, tenant="a", job_id=kept_job.id).status == "running"
    assert store.get_document(sessions=factory, tenant="a", doc_id=kept.id).status == "running"
    with pytest.raises(store.NotFound):
        store.get_job(sessions=factory, tenant="a", job_id=gone_job.id)
    assert store.claim_jobs(sessions=factory, limit=5) == []  # nothing left queued, nothing claimed twice


@pytest.mark.parametrize("outcome", ["audit", "error"])
def test_finish_survives_an_upload_deleted_while_its_job_is_finished(sessions, tmp_path, outcome):
    """Upload, claim, delete, finish (schemathesis again): the supervisor read the job, the upload
    was deleted by a request thread, and writing the result raised StaleDataError in the
    supervisor's tick. The delete now either comes first (nothing is written back) or waits for the
    result to be written and then removes it; either way the upload is gone and nothing raises."""
    from auditor.pipeline import audit_file
    from auditor.report.audit import audit_json

    engine, factory = sessions
    doc, job = _upload(factory, tmp_path, b"Article 1. Electronic commerce. The Parties shall cooperate.")
    assert store.claim_jobs(sessions=factory, limit=1) == [(job.id, doc.id, "a")]
    body = None
    if outcome == "audit":
        source = tmp_path / "agreement.txt"
        source.write_text("Article 1. Electronic commerce. The Parties shall cooperate.", encoding="utf-8")
        body = audit_json(audit_file(source, with_precedents=False))
    deleter = threading.Thread(target=store.delete_document, kwargs={
        "sessions": factory, "files_dir": tmp_path / "files", "tenant": "a", "doc_id": doc.id})

    @event.listens_for(engine, "after_cursor_execute")
    def delete_meanwhile(conn, cursor, statement, params, context, executemany):
        # Right after finish_job's first statement on the job, a request deletes the upload; give it
        # a second to get through, as it would between the old code's read and write.
        if not deleter.is_alive() and deleter.ident is None and "jobs" in statement:
            deleter.start()
            deleter.join(timeout=1)

    store.finish_job(sessions=factory, job_id=job.id, audit_json=body, error=None if body else "it failed")
    event.remove(engine, "after_cursor_execute", delete_meanwhile)
    deleter.join(timeout=60)

    assert deleter.ident is not None, "the hook never ran: the test did not exercise the race"
    assert not deleter.is_alive()
    with pytest.raises(store.NotFound):
        store.get_document(sessions=factory, tenant="a", doc_id=doc.id)
    with pytest.raises(store.NotFound):
        store.get_job(sessions=factory, tenant="a", job_id=job.id)
    with factory() as s:  # nothing of the deleted upload left behind
        assert s.scalar(select(func.count()).select_from(ProvisionRow)) == 0
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == 0


def test_a_result_that_cannot_be_saved_fails_its_job_with_the_reason(tmp_path, monkeypatch):
    """M4: the database refusing a result must end the job (failed, with why), never leave it running."""
    from api import store
    from api.db import make_engine, migrate, session_factory
    from api.worker import Supervisor, WorkerLimits

    url = f"sqlite:///{tmp_path / 'a.db'}"
    migrate(url)
    sessions = session_factory(make_engine(url))
    spooled = tmp_path / "up.txt"
    spooled.write_bytes(b"Article 1\nCulture.\n")
    doc, job, _ = store.register_upload(sessions=sessions, files_dir=tmp_path / "files", tenant="t", spooled=spooled,
                                        sha256="0" * 64, size=19, filename="up.txt", fmt="text", pages=None)
    assert store.claim_jobs(sessions=sessions, limit=1)
    real = store.finish_job
    calls = []

    def refusing(**kwargs):
        calls.append(kwargs)
        if kwargs["audit_json"] is not None:
            raise RuntimeError("value too long for type character varying(16)")
        return real(**kwargs)

    monkeypatch.setattr(store, "finish_job", refusing)
    supervisor = Supervisor(sessions=sessions, files_dir=tmp_path / "files", workers=0, time_budget=10,
                            limits=WorkerLimits(10, 10, 10, 10, tmp_path / "scratch"))
    supervisor._finish(job.id, '{"not": "saved"}', None)
    saved = store.get_job(sessions=sessions, tenant="t", job_id=job.id)
    assert saved.status == "failed" and "could not be saved" in saved.error
    assert store.get_document(sessions=sessions, tenant="t", doc_id=doc.id).status == "failed"


def test_cancel_rerun_and_edit_refuse_what_they_cannot_do(sessions, tmp_path):
    """Each refusal says what was wrong and what to do; nothing stored changes."""
    from auditor.errors import AuditError

    _, factory = sessions
    doc, job = _upload(factory, tmp_path, b"Article 1. An agreement.")
    store.cancel_document(sessions=factory, tenant="a", doc_id=doc.id)  # queued: fails at once
    assert store.get_job(sessions=factory, tenant="a", job_id=job.id).error == store.CANCELLED
    with pytest.raises(AuditError, match="not waiting or running"):
        store.cancel_document(sessions=factory, tenant="a", doc_id=doc.id)
    with pytest.raises(store.NotFound, match="of yours"):
        store.cancel_document(sessions=factory, tenant="b", doc_id=doc.id)
    rerun = store.rerun_document(sessions=factory, tenant="a", doc_id=doc.id)
    assert rerun.status == "queued" and store.rerun_document(sessions=factory, tenant="a", doc_id=doc.id).id == rerun.id
    with pytest.raises(AuditError, match="pages cannot be edited"):
        store.edit_document(sessions=factory, tenant="a", doc_id=doc.id, changes={"pages": "3"})
    with pytest.raises(store.NotFound):
        store.edit_document(sessions=factory, tenant="b", doc_id=doc.id, changes={"title": "x"})
    assert store.get_document(sessions=factory, tenant="a", doc_id=doc.id).edits is None
