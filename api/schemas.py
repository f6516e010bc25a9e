"""Public shapes of the API (kept apart from the ORM tables)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class JobPublic(BaseModel):
    id: str
    status: Literal["queued", "running", "cancelling", "done", "failed"]
    agreement_id: str
    error: str | None = None
    stage: str | None = Field(None, description='Where a running audit stands: "reading", "ocr 3/12" (scanned page 3 '
                                                'of a 12-page PDF), "structuring", "classifying" or "assessing".')


class UploadAccepted(BaseModel):
    id: str
    job: JobPublic
    duplicate: bool


class AgreementPublic(BaseModel):
    id: str
    filename: str
    format: str
    size: int
    pages: int | None
    status: str
    title: str | None
    language: str | None
    date_signed: str | None
    public: bool
    error: str | None
    created_at: datetime
    edited: list[str] = Field(default_factory=list, description="Fields corrected by a reader (title, date_signed).")


class AgreementEdit(BaseModel):
    """Corrections of what was read; null takes a field back to what was read."""

    model_config = {"extra": "forbid"}
    title: str | None = Field(None, max_length=300)
    date_signed: date | None = None


class AgreementsPublic(BaseModel):
    data: list[AgreementPublic]
    count: int
    offset: int
    limit: int


class ProvisionHit(BaseModel):
    agreement_id: str
    agreement_title: str | None
    provision_id: str
    article: str | None
    title: str | None
    labels: list[str]
    page_start: int | None
    text: str


class ProvisionsPublic(BaseModel):
    data: list[ProvisionHit]
    count: int
    offset: int
    limit: int


class ErrorBody(BaseModel):
    ok: bool = False
    error: str
    status: int


def agreement_public(doc) -> AgreementPublic:
    from api.db import PUBLIC_TENANT

    return AgreementPublic(id=doc.id, filename=doc.filename, format=doc.format, size=doc.size, pages=doc.pages,
                           status=doc.status, title=doc.title, language=doc.language, date_signed=doc.date_signed,
                           public=doc.tenant == PUBLIC_TENANT, error=doc.error, created_at=doc.created_at,
                           edited=sorted(doc.edits or {}))


def job_public(job) -> JobPublic:
    return JobPublic(id=job.id, status=job.status, agreement_id=job.document_id, error=job.error,
                     stage=job.stage if job.status in ("running", "cancelling") else None)
