"""The job queue's claim under a concurrent delete (found by schemathesis: upload, delete, claim).

The supervisor selects queued jobs, then marks them running. An upload deleted between the
two must be skipped, not break the supervisor's transaction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from api import store
from api.db import make_engine, migrate, session_factory


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
