"""Storage operations: keys, uploads, jobs, audits, search. Keyword-only, shared by routes, CLI and tests.

Tenancy is enforced here, not in the routes: every read takes the tenant and
can only see that tenant's documents plus the public reference corpus.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import sessionmaker

from api.db import PUBLIC_TENANT, ApiKey, AuditRecord, Document, Job, ProvisionRow, WebSession, now
from auditor.assess.model import Audit
from auditor.errors import AuditError, DocumentTooLarge, EmptyDocument

KEY_PREFIX = "ta_"


class NotFound(AuditError):
    status = 404


class Forbidden(AuditError):
    status = 401


class TooManyRequests(AuditError):
    status = 429


# ---------------------------------------------------------------- keys


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(*, sessions: sessionmaker, tenant: str) -> tuple[str, str]:
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", tenant) or tenant == PUBLIC_TENANT:
        raise AuditError(f"Invalid tenant name {tenant!r}.", "Use 1-64 letters, digits, '.', '_' or '-' (not 'public').")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    key_id = secrets.token_hex(8)
    with sessions.begin() as s:
        s.add(ApiKey(id=key_id, tenant=tenant, key_hash=hash_key(key)))
    return key_id, key


def list_keys(*, sessions: sessionmaker) -> list[ApiKey]:
    with sessions() as s:
        return list(s.scalars(select(ApiKey).order_by(ApiKey.created_at)))


def revoke_key(*, sessions: sessionmaker, key_id: str) -> None:
    with sessions.begin() as s:
        key = s.get(ApiKey, key_id)
        if key is None:
            raise NotFound(f"No API key with id {key_id}.", "List keys with `auditor keys list`.")
        key.revoked_at = now()


def active_key_count(*, sessions: sessionmaker) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))) or 0


def tenant_for_key(*, sessions: sessionmaker, key: str) -> str | None:
    row = _active_key(sessions=sessions, key=key)
    return row.tenant if row else None


def _active_key(*, sessions: sessionmaker, key: str) -> ApiKey | None:
    with sessions() as s:
        return s.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None)))


def key_ever_created(*, sessions: sessionmaker) -> bool:
    """Open mode ends for good with the first key: revoking the last one never reopens the service."""
    with sessions() as s:
        return (s.scalar(select(func.count()).select_from(ApiKey)) or 0) > 0


# ---------------------------------------------------------------- web sessions

SESSION_DAYS = 7


def start_session(*, sessions: sessionmaker, key: str) -> str | None:
    """Sign a browser in with an API key; returns the session id for the cookie (the key never leaves)."""
    row = _active_key(sessions=sessions, key=key)
    if row is None:
        return None
    session_id = secrets.token_urlsafe(32)
    with sessions.begin() as s:
        s.add(WebSession(id_hash=hash_key(session_id), tenant=row.tenant, key_id=row.id,
                         expires_at=now() + timedelta(days=SESSION_DAYS)))
        s.execute(delete(WebSession).where(WebSession.expires_at < now()))
    return session_id


def tenant_for_session(*, sessions: sessionmaker, session_id: str) -> str | None:
    with sessions() as s:
        row = s.execute(select(WebSession.tenant, WebSession.expires_at).join(ApiKey, ApiKey.id == WebSession.key_id)
                        .where(WebSession.id_hash == hash_key(session_id), ApiKey.revoked_at.is_(None))).first()
    if row is None:
        return None
    tenant, expires = row
    return tenant if _aware(expires) > now() else None


def end_session(*, sessions: sessionmaker, session_id: str) -> None:
    with sessions.begin() as s:
        s.execute(delete(WebSession).where(WebSession.id_hash == hash_key(session_id)))


# ---------------------------------------------------------------- uploads


def document_id(tenant: str, sha256: str, read_with: list[str] | None = None, parties: list[str] | None = None,
                require_treaty: bool = False) -> str:
    """One document per tenant and content; read with other documents, for set Parties or only if it is an
    agreement, it is another audit."""
    options = f"\0{','.join(read_with or [])}\0{','.join(parties or [])}" if (read_with or parties) else ""
    options += "\0treaty" if require_treaty else ""
    return hashlib.sha256(f"{tenant}\0{sha256}{options}".encode()).hexdigest()[:32]


_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_filename(name: str | None) -> str:
    """A display name only: never used as a path. Bidirectional controls go ("\u202etxt.exe" spoofs a name)."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    base = _BIDI_CONTROLS.sub("", base)
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", base).strip(" .") or "upload"
    return base[:200]


# ---------------------------------------------------------------- quotas (per tenant, checked before work is taken on)


def check_job_quota(*, sessions: sessionmaker, tenant: str, max_jobs: int) -> None:
    """Refuse a new upload while the tenant already has ``max_jobs`` audits queued or running."""
    with sessions() as s:
        pending = s.scalar(select(func.count()).select_from(Job).where(
            Job.tenant == tenant, Job.status.in_(("queued", "running")))) or 0
    if pending >= max_jobs:
        raise TooManyRequests(f"You have {pending} audits queued or running, the most one tenant may have.",
                              "Wait for some to finish, then upload again.")


def stored_bytes(*, sessions: sessionmaker, tenant: str) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.coalesce(func.sum(Document.size), 0)).where(Document.tenant == tenant)) or 0)


def check_storage_quota(*, sessions: sessionmaker, tenant: str, adding: int, max_bytes: int) -> None:
    used = stored_bytes(sessions=sessions, tenant=tenant)
    if used + adding > max_bytes:
        raise TooManyRequests(f"This upload ({adding:,} bytes) would take your stored agreements to "
                              f"{used + adding:,} bytes, over your {max_bytes:,}-byte quota.",
                              "Delete agreements you no longer need, or ask the administrator for a larger quota.")


def spool_upload(stream, *, max_bytes: int, directory: Path) -> tuple[Path, str, int]:
    """Copy an upload to a temporary file, hashing it and enforcing the size limit as bytes arrive."""
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(prefix="upload-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise DocumentTooLarge(f"The upload is over the {max_bytes:,}-byte limit.",
                                           "Split the file or ask the administrator to raise AUDITOR_MAX_UPLOAD_BYTES.")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise EmptyDocument("The upload is empty.", "Send the agreement file in the multipart field 'file'.")
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), digest.hexdigest(), size


def register_upload(*, sessions: sessionmaker, files_dir: Path, tenant: str, spooled: Path, sha256: str, size: int,
                    filename: str, fmt: str, pages: int | None, read_with: list[str] | None = None,
                    parties: list[str] | None = None, require_treaty: bool = False) -> tuple[Document, Job, bool]:
    """Store an upload once per tenant, content and audit options. Returns (document, its latest job, created)."""
    doc_id = document_id(tenant, sha256, read_with, parties, require_treaty)
    with sessions.begin() as s:
        existing = s.get(Document, doc_id)
        if existing is not None:
            spooled.unlink(missing_ok=True)
            job = s.scalar(select(Job).where(Job.document_id == doc_id).order_by(Job.created_at.desc()))
            if job is None or existing.status == "failed":
                job = Job(id=secrets.token_hex(16), document_id=doc_id, tenant=tenant, status="queued", attempts=0)
                s.add(job)
                existing.status = "queued"
            return existing, job, False
        target = files_dir / doc_id
        files_dir.mkdir(parents=True, exist_ok=True)
        os.replace(spooled, target)
        doc = Document(id=doc_id, tenant=tenant, sha256=sha256, filename=filename, format=fmt, size=size, pages=pages,
                       status="queued", read_with=read_with or None, parties=parties or None,
                       require_treaty=require_treaty or None)
        job = Job(id=secrets.token_hex(16), document_id=doc_id, tenant=tenant, status="queued", attempts=0)
        s.add(doc)
        s.flush()
        s.add(job)
        return doc, job, True


def _visible(tenant: str):
    return or_(Document.tenant == tenant, Document.tenant == PUBLIC_TENANT)


def list_documents(*, sessions: sessionmaker, tenant: str, q: str | None = None, offset: int = 0,
                   limit: int = 50) -> tuple[list[Document], int]:
    where = [_visible(tenant)]
    if q:
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        where.append(or_(func.lower(Document.title).like(like, escape="\\"),
                         func.lower(Document.filename).like(like, escape="\\")))
    with sessions() as s:
        total = s.scalar(select(func.count()).select_from(Document).where(*where)) or 0
        rows = s.scalars(select(Document).where(*where).order_by(Document.created_at.desc(), Document.id)
                         .offset(offset).limit(limit))
        return list(rows), total


def get_document(*, sessions: sessionmaker, tenant: str, doc_id: str) -> Document:
    with sessions() as s:
        doc = s.scalar(select(Document).where(Document.id == doc_id, _visible(tenant)))
        if doc is None:
            raise NotFound(f"No agreement {doc_id}.", "List your agreements with GET /api/v1/agreements.")
        return doc


def get_job(*, sessions: sessionmaker, tenant: str, job_id: str) -> Job:
    with sessions() as s:
        job = s.scalar(select(Job).where(Job.id == job_id, or_(Job.tenant == tenant, Job.tenant == PUBLIC_TENANT)))
        if job is None:
            raise NotFound(f"No job {job_id}.")
        return job


def delete_document(*, sessions: sessionmaker, files_dir: Path, tenant: str, doc_id: str) -> None:
    with sessions.begin() as s:
        doc = s.scalar(select(Document).where(Document.id == doc_id, Document.tenant == tenant))
        if doc is None:
            raise NotFound(f"No agreement {doc_id} of yours.", "Public reference agreements cannot be deleted.")
        s.execute(delete(ProvisionRow).where(ProvisionRow.document_id == doc_id))
        s.execute(delete(AuditRecord).where(AuditRecord.document_id == doc_id))
        s.execute(delete(Job).where(Job.document_id == doc_id))
        s.delete(doc)
    (files_dir / doc_id).unlink(missing_ok=True)


def rerun_document(*, sessions: sessionmaker, tenant: str, doc_id: str) -> Job:
    """Queue a new audit of one's own upload (after an engine update, or a failure), unless one is pending."""
    with sessions.begin() as s:
        doc = s.scalar(select(Document).where(Document.id == doc_id, Document.tenant == tenant))
        if doc is None:
            raise NotFound(f"No agreement {doc_id} of yours.", "Public reference agreements are re-audited by the "
                                                                "service itself.")
        pending = s.scalar(select(Job).where(Job.document_id == doc_id, Job.status.in_(("queued", "running"))))
        if pending is not None:
            return pending
        job = Job(id=secrets.token_hex(16), document_id=doc_id, tenant=tenant, status="queued", attempts=0)
        s.add(job)
        doc.status = "queued"
        return job


CANCELLED = "Cancelled by the user."


def cancel_document(*, sessions: sessionmaker, tenant: str, doc_id: str) -> None:
    """Stop one's own pending audit: a queued job never starts; a running one is stopped by the supervisor."""
    with sessions.begin() as s:
        doc = s.scalar(select(Document).where(Document.id == doc_id, Document.tenant == tenant))
        if doc is None:
            raise NotFound(f"No agreement {doc_id} of yours.", "Reference agreements cannot be cancelled.")
        job = s.scalar(select(Job).where(Job.document_id == doc_id, Job.status.in_(("queued", "running"))))
        if job is None:
            raise AuditError("This audit is not waiting or running.", "Re-run it from its page if you need it again.")
        if job.status == "queued":
            job.status, job.error, job.finished_at = "failed", CANCELLED, now()
            doc.status, doc.error = "failed", CANCELLED
        else:
            job.status = "cancelling"  # the supervisor stops the worker and fails the job


def cancelling(*, sessions: sessionmaker, job_ids: list[str]) -> set[str]:
    if not job_ids:
        return set()
    with sessions() as s:
        return set(s.scalars(select(Job.id).where(Job.id.in_(job_ids), Job.status == "cancelling")))


def set_job_stage(*, sessions: sessionmaker, job_id: str, stage: str) -> None:
    """What a worker reports of a running audit; a job that has ended keeps no stage."""
    with sessions.begin() as s:
        s.execute(update(Job).where(Job.id == job_id, Job.status.in_(("running", "cancelling")))
                  .values(stage=stage[:32]))


def running_stage(*, sessions: sessionmaker, doc_id: str) -> str | None:
    """The stage of the document's running audit, if it has reported one."""
    with sessions() as s:
        return s.scalar(select(Job.stage).where(Job.document_id == doc_id, Job.status.in_(("running", "cancelling"))))


def queue_position(*, sessions: sessionmaker, doc_id: str) -> int:
    """How many queued audits were queued before this document's."""
    with sessions() as s:
        job = s.scalar(select(Job).where(Job.document_id == doc_id, Job.status == "queued"))
        if job is None:
            return 0
        return s.scalar(select(func.count()).select_from(Job).where(Job.status == "queued",
                                                                    Job.created_at < job.created_at)) or 0


def get_audit(*, sessions: sessionmaker, tenant: str, doc_id: str) -> Audit:
    doc = get_document(sessions=sessions, tenant=tenant, doc_id=doc_id)
    with sessions() as s:
        record = s.get(AuditRecord, doc.id)
    if record is None:
        status = "failed: " + (doc.error or "") if doc.status == "failed" else doc.status
        raise AuditNotReady(f"The audit of {doc_id} is not ready (status {status}).",
                            "Poll the job, then ask again.")
    audit = Audit.model_validate_json(record.body)
    if doc.edits:
        read = {field: getattr(audit.agreement, field) for field in doc.edits}
        audit.agreement = audit.agreement.model_copy(update={**doc.edits, "edited": {
            field: str(value or "") for field, value in read.items()}})
    return audit


EDITABLE = ("title", "date_signed")


def edit_document(*, sessions: sessionmaker, tenant: str, doc_id: str, changes: dict[str, str | None]) -> Document:
    """Correct what was read (title, date signed) on one's own upload; None takes a field back to what was read."""
    with sessions.begin() as s:
        doc = s.scalar(select(Document).where(Document.id == doc_id, Document.tenant == tenant))
        if doc is None:
            raise NotFound(f"No agreement {doc_id} of yours.", "Reference agreements cannot be edited.")
        before = dict(doc.edits or {})
        edits = dict(before)
        for field, value in changes.items():
            if field not in EDITABLE:
                raise AuditError(f"{field} cannot be edited.", f"Edit {' or '.join(EDITABLE)}.")
            if value is None or not str(value).strip():
                edits.pop(field, None)
            else:
                edits[field] = _fit(getattr(Document, field), str(value).strip())
        doc.edits = edits or None
        reverted = [field for field in before if field not in edits]
        record = s.get(AuditRecord, doc.id) if reverted else None  # what was read is in the stored audit
        read = Audit.model_validate_json(record.body).agreement if record is not None else None
        for field in EDITABLE:
            if field in edits:
                value = edits[field]
            elif field in reverted:
                value = getattr(read, field) if read is not None else None
            else:
                continue  # neither edited nor reverted: the read value stands
            if field == "title":
                doc.title = value or doc.filename  # as finish_job names an untitled upload
            else:
                doc.date_signed = _date(value)
        s.flush()
        s.expunge(doc)
        return doc


class AuditNotReady(AuditError):
    status = 409


# ---------------------------------------------------------------- jobs (one writer: the supervisor thread)


def requeue_interrupted(*, sessions: sessionmaker) -> int:
    """Jobs left running by a killed server go back to the queue."""
    with sessions.begin() as s:
        result = s.execute(update(Job).where(Job.status == "running").values(status="queued", started_at=None))
        s.execute(update(Document).where(Document.status == "running").values(status="queued"))
        return result.rowcount or 0


def _fair_picks(s, limit: int) -> list[tuple[str, str, str]]:
    """Up to ``limit`` queued jobs, round-robin across tenants: the tenant with the fewest audits running
    goes first, then the one served least recently (never served: first), then the one waiting longest,
    so one tenant's burst never makes the others wait behind it."""
    running = dict(s.execute(select(Job.tenant, func.count()).where(Job.status == "running").group_by(Job.tenant)).all())
    waiting = dict(s.execute(select(Job.tenant, func.min(Job.created_at)).where(Job.status == "queued")
                             .group_by(Job.tenant)).all())
    served = {t: _aware(when) for t, when in s.execute(
        select(Job.tenant, func.max(Job.started_at)).where(Job.tenant.in_(list(waiting)), Job.started_at.is_not(None))
        .group_by(Job.tenant)).all()}
    never = datetime.min.replace(tzinfo=timezone.utc)
    picks: list[tuple[str, str, str]] = []
    taken: set[str] = set()
    while len(picks) < limit and waiting:
        tenant = min(waiting, key=lambda t: (running.get(t, 0), served.get(t) or never, _aware(waiting[t]), t))
        row = s.execute(select(Job.id, Job.document_id, Job.tenant, Job.created_at)
                        .where(Job.status == "queued", Job.tenant == tenant, Job.id.not_in(taken or [""]))
                        .order_by(Job.created_at, Job.id).limit(2)).all()
        if not row:
            del waiting[tenant]
            continue
        job_id, document_id, _tenant, _created = row[0]
        picks.append((job_id, document_id, tenant))
        taken.add(job_id)
        running[tenant] = running.get(tenant, 0) + 1
        served[tenant] = now()
        if len(row) > 1:
            waiting[tenant] = row[1][3]
        else:
            del waiting[tenant]
    return picks


def _aware(when: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones: compare them as aware."""
    return when.replace(tzinfo=timezone.utc) if when is not None and when.tzinfo is None else when


def audit_options(*, sessions: sessionmaker, doc_id: str) -> tuple[list[str], list[str] | None, bool]:
    """(documents to read with it, Parties set by the user, agreements only) of a queued document."""
    with sessions() as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            return [], None, False
        return list(doc.read_with or []), list(doc.parties) if doc.parties else None, bool(doc.require_treaty)


def check_read_with(*, sessions: sessionmaker, tenant: str, ids: list[str]) -> list[str]:
    """The documents named to be read with an upload must be this tenant's (or public) uploads."""
    for doc_id in ids:
        get_document(sessions=sessions, tenant=tenant, doc_id=doc_id)
    return ids


def claim_jobs(*, sessions: sessionmaker, limit: int) -> list[tuple[str, str, str]]:
    """Mark up to ``limit`` queued jobs running, fairly across tenants; return (job id, document id, tenant)."""
    with sessions.begin() as s:
        queued = _fair_picks(s, limit)
        out = []
        for job_id, document_id, tenant in queued:
            # Compare-and-set: an upload deleted since the select is skipped, not a failed transaction.
            claimed = s.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                                .values(status="running", started_at=now(), attempts=Job.attempts + 1, stage=None))
            if claimed.rowcount != 1:
                continue
            s.execute(update(Document).where(Document.id == document_id).values(status="running"))
            out.append((job_id, document_id, tenant))
        return out


def finish_job(*, sessions: sessionmaker, job_id: str, audit_json: str | None, error: str | None) -> None:
    with sessions.begin() as s:
        # Write the job row before reading anything else, as claim_jobs does: an upload deleted since
        # leaves nothing to update (return), and a delete that comes later waits for this transaction.
        document_id = s.scalar(update(Job).where(Job.id == job_id).values(finished_at=now())
                               .returning(Job.document_id))
        if document_id is None:  # deleted while running
            return
        job = s.get(Job, job_id)
        doc = s.get(Document, document_id)
        if error is not None or doc is None:
            job.status, job.error = "failed", error or "document deleted"
            if doc is not None:
                doc.status, doc.error = "failed", error
            return
        audit = Audit.model_validate_json(audit_json)
        s.execute(delete(ProvisionRow).where(ProvisionRow.document_id == doc.id))
        s.merge(AuditRecord(document_id=doc.id, body=audit_json, summary={
            "statuses": {g.id: g.status for g in audit.assessments}, "tensions": len(audit.tensions),
            "labels": sorted({label for p in audit.provisions for label in p.labels})}))
        for p in audit.provisions:
            s.add(ProvisionRow(document_id=doc.id, tenant=doc.tenant, provision_id=_fit(ProvisionRow.provision_id, p.id),
                               article=_fit(ProvisionRow.article, p.number), title=p.title,
                               labels=" ".join(p.labels), page_start=p.page_start, text=p.text))
        doc.status, doc.error = "done", None
        doc.title = audit.agreement.title or doc.filename
        doc.language = _fit(Document.language, audit.agreement.language)
        doc.date_signed = _date(audit.agreement.date_signed)
        doc.pages = audit.agreement.pages or doc.pages
        for field, value in (doc.edits or {}).items():  # a reader's corrections outlive a re-run
            setattr(doc, field, value)
        job.status, job.error = "done", None


def _fit(column, value: str | None) -> str | None:
    """A value cut to its column's length: what a document says must never fail the write (PostgreSQL
    refuses an over-long value where SQLite keeps it)."""
    length = getattr(column.type, "length", None)
    if value is None or length is None or len(value) <= length:
        return value
    return value[:length - 1] + "…"


def _date(value: str | None) -> str | None:
    """An ISO date (or year, or year-month) as the column keeps it; anything else is not a date."""
    return value if value and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value) else None


def earlier_clauses(*, sessions: sessionmaker, tenant: str, exclude: str, limit: int = 200):
    """Cultural clauses of the tenant's (and the public corpus's) other audited agreements, as precedents."""
    from auditor.assess.precedents import clauses_from_audit

    with sessions() as s:
        rows = s.execute(select(AuditRecord.body, Document.id, Document.tenant).join(
            Document, Document.id == AuditRecord.document_id).where(_visible(tenant), Document.id != exclude)
            .order_by(Document.created_at.desc()).limit(limit)).all()
    clauses = []
    for body, doc_id, owner in rows:
        label = "reference corpus" if owner == PUBLIC_TENANT else "your audits"
        clauses += clauses_from_audit(Audit.model_validate_json(body), f"{label}: {doc_id}")
    return clauses


# ---------------------------------------------------------------- search


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Spellings treaties use for the same thing: a search for one finds the others.
_SPELLINGS = [("audiovisual", "audio visual"), ("ecommerce", "e commerce", "electronic commerce"),
              ("coproduction", "co production"), ("codistribution", "co distribution"),
              ("nondiscrimination", "non discrimination"), ("crossborder", "cross border"), ("online", "on line"),
              ("nondiscriminatory", "non discriminatory")]
MAX_SEARCH_TERMS = 12


def search_terms(q: str) -> list[list[tuple[str, ...]]]:
    """The query as terms, each a list of spellings (each a tuple of words that must stand together)."""
    import unicodedata

    original = _WORD.findall(q.lower().replace("-", " "))
    words = ["".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)) for w in original]
    terms: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(words) and len(terms) < MAX_SEARCH_TERMS:
        for spellings in _SPELLINGS:
            hit = next((sp for sp in spellings if tuple(words[i:i + len(sp.split())]) == tuple(sp.split())), None)
            if hit:
                terms.append([tuple(sp.split()) for sp in spellings])
                i += len(hit.split())
                break
        else:
            # Accents folded, and as written: SQLite's index folds them, PostgreSQL's 'simple' one does not.
            terms.append(list(dict.fromkeys([(words[i],), (original[i],)])))
            i += 1
    return [[v for v in t if all(v)] for t in terms if any(all(v) for v in t)]


def search_provisions(*, sessions: sessionmaker, tenant: str, label: str | None, q: str | None, offset: int,
                      limit: int) -> tuple[list[tuple[ProvisionRow, Document]], int]:
    where = [or_(ProvisionRow.tenant == tenant, ProvisionRow.tenant == PUBLIC_TENANT)]
    if label:
        where.append(or_(ProvisionRow.labels == label, ProvisionRow.labels.like(f"{label} %"),
                         ProvisionRow.labels.like(f"% {label}"), ProvisionRow.labels.like(f"% {label} %")))
    with sessions() as s:
        dialect = s.get_bind().dialect.name
        if q:
            terms = search_terms(q)
            if not terms:
                return [], 0
            if dialect == "sqlite":
                match = " AND ".join("(" + " OR ".join('"' + " ".join(v) + '"' for v in variants) + ")"
                                     for variants in terms)
                where.append(ProvisionRow.id.in_(text("SELECT rowid FROM provisions_fts WHERE provisions_fts MATCH :m")
                                                 .bindparams(m=match)))
            else:
                query = " & ".join("(" + " | ".join("(" + " <-> ".join(v) + ")" for v in variants) + ")"
                                   for variants in terms)
                where.append(text("search @@ to_tsquery('simple', :m)").bindparams(m=query))
        base = select(ProvisionRow, Document).join(Document, Document.id == ProvisionRow.document_id).where(*where)
        total = s.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = s.execute(base.order_by(ProvisionRow.document_id, ProvisionRow.id).offset(offset).limit(limit)).all()
        return [(r[0], r[1]) for r in rows], total

