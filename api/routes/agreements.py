from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import store
from api.deps import SessionsDep, SettingsDep, TenantDep
from api.schemas import (
    AgreementEdit,
    AgreementPublic,
    AgreementsPublic,
    UploadAccepted,
    agreement_public,
    job_public,
)
from api.uploads import UPLOAD_BODY, accept_upload, receive_upload
from auditor.assess.model import Audit

router = APIRouter(prefix="/agreements", tags=["agreements"])


@router.post("", status_code=202, response_model=UploadAccepted, openapi_extra=UPLOAD_BODY,
             responses={413: {"description": "Too large"}, 415: {"description": "Not a readable agreement"},
                        422: {"description": "Empty"}, 429: {"description": "Over your queue or storage quota"}})
async def upload_agreement(request: Request, settings: SettingsDep, sessions: SessionsDep,
                           tenant: TenantDep) -> UploadAccepted:
    """Store an agreement (content-addressed: the same file twice is one document) and queue its audit.

    The file (multipart field ``file``) is read only after the key is checked, and checked only by its
    first bytes here: a file the engine cannot read fails its job, with the reason, in the worker.
    """
    store.check_job_quota(sessions=sessions, tenant=tenant, max_jobs=settings.tenant_max_jobs)
    received = await receive_upload(request, max_bytes=settings.max_upload_bytes, directory=settings.tmp_dir)
    doc, job, created = accept_upload(received, request=request, settings=settings, sessions=sessions, tenant=tenant)
    return UploadAccepted(id=doc.id, job=job_public(job), duplicate=not created)


@router.get("", response_model=AgreementsPublic)
def list_agreements(sessions: SessionsDep, settings: SettingsDep, tenant: TenantDep,
                    q: Annotated[str | None, Query(max_length=200)] = None,
                    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50) -> AgreementsPublic:
    docs, total = store.list_documents(sessions=sessions, tenant=tenant, q=q, offset=offset, limit=limit)
    return AgreementsPublic(data=[agreement_public(d) for d in docs], count=total, offset=offset, limit=limit)


@router.get("/{agreement_id}", response_model=AgreementPublic)
def get_agreement(agreement_id: str, sessions: SessionsDep, tenant: TenantDep) -> AgreementPublic:
    return agreement_public(store.get_document(sessions=sessions, tenant=tenant, doc_id=agreement_id))


@router.patch("/{agreement_id}", response_model=AgreementPublic)
def edit_agreement(agreement_id: str, edit: AgreementEdit, sessions: SessionsDep, tenant: TenantDep) -> AgreementPublic:
    """Correct the title or the date signed of your upload. What was read stays in the audit (``agreement.edited``
    gives it); null takes a field back to what was read."""
    changes = {field: (value.isoformat() if hasattr(value, "isoformat") else value)
               for field, value in edit.model_dump(exclude_unset=True).items()}
    return agreement_public(store.edit_document(sessions=sessions, tenant=tenant, doc_id=agreement_id, changes=changes))


@router.delete("/{agreement_id}", status_code=204)
def delete_agreement(agreement_id: str, sessions: SessionsDep, settings: SettingsDep, tenant: TenantDep) -> Response:
    """Delete the agreement, its stored file and its audit."""
    store.delete_document(sessions=sessions, files_dir=settings.files_dir, tenant=tenant, doc_id=agreement_id)
    return Response(status_code=204)


_MEDIA = {"json": ("application/json", "json"), "html": ("text/html; charset=utf-8", "html"),
          "md": ("text/markdown; charset=utf-8", "md"), "csv": ("text/csv; charset=utf-8", "csv"),
          "scorecard": ("text/csv; charset=utf-8", "csv"), "commitments": ("text/csv; charset=utf-8", "csv"),
          "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}
_KIND = {"csv": "inventory", "scorecard": "scorecard", "commitments": "commitments"}


@router.get("/{agreement_id}/audit", response_model=Audit,
            responses={200: {"content": {"text/html": {}, "text/csv": {}, "text/markdown": {},
                                         _MEDIA["xlsx"][0]: {}}}, 409: {"description": "Not ready"}})
def get_audit(agreement_id: str, sessions: SessionsDep, tenant: TenantDep,
              format: Literal["json", "html", "md", "csv", "scorecard", "commitments", "xlsx"] = "json",
              download: bool = False, lang: Literal["en", "fr", "es"] = "en"):
    """The audit as JSON, an HTML or Markdown report, CSV (inventory, scorecard or commitments) or an XLSX workbook.

    Spreadsheets and CSV always arrive as attachments; ``download=true`` makes the others attachments too, named
    after the agreement and the day ("rcep-audit-2026-12-02.html"). ``lang`` (fr, es) puts the HTML and Markdown
    reports, the scorecard and commitments CSV and the workbook in French or Spanish: headings and the engine's
    vocabulary; findings and quoted text stay as written. JSON and the inventory CSV keep the stable English keys."""
    from datetime import date

    from auditor.report.audit import RENDERERS, download_name

    audit = store.get_audit(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    media, extension = _MEDIA[format]
    if format == "json":
        body = audit.model_dump_json()
    elif format in ("html", "md", "scorecard", "commitments", "xlsx"):
        body = RENDERERS[format](audit, locale=lang)
    else:
        body = RENDERERS[format](audit)
    headers = {}
    if download or format in ("csv", "scorecard", "commitments", "xlsx"):
        name = download_name(audit, _KIND.get(format, "audit"), extension, date.today().isoformat())
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(body, media_type=media, headers=headers)


@router.get("/{agreement_id}/file", responses={200: {"content": {"application/octet-stream": {}}}})
def get_original(agreement_id: str, sessions: SessionsDep, settings: SettingsDep, tenant: TenantDep,
                 inline: bool = False) -> Response:
    """The file as uploaded, under the name it was uploaded with; ``inline=true`` opens a PDF in the browser, so a
    citation's page link (``#page=N``) lands on the page."""
    from fastapi.responses import FileResponse

    doc = store.get_document(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    path = settings.files_dir / doc.id
    if not path.is_file():
        raise store.NotFound(f"The file of agreement {doc.id} is no longer stored.", "Upload it again.")
    media = {"pdf": "application/pdf", "xml": "application/xml", "html": "text/html", "text": "text/plain",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "rtf": "application/rtf"}.get(doc.format, "application/octet-stream")
    disposition = "inline" if inline and doc.format == "pdf" else "attachment"
    return FileResponse(path, media_type=media, filename=doc.filename, content_disposition_type=disposition)


@router.get("/{agreement_id}/precedents")
def get_precedents(agreement_id: str, sessions: SessionsDep, tenant: TenantDep) -> list[dict]:
    """Precedents from the ToTA corpus, then from agreements you (and the public corpus) audited before."""
    from auditor.assess.precedents import PrecedentIndex

    audit = store.get_audit(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    earlier = store.earlier_clauses(sessions=sessions, tenant=tenant, exclude=agreement_id)
    own = PrecedentIndex(earlier).for_audit(audit) if earlier else []
    return [p.model_dump(mode="json") for p in audit.precedents + own]


@router.get("/{agreement_id}/compare/{other_id}")
def compare_agreements(agreement_id: str, other_id: str, sessions: SessionsDep, tenant: TenantDep) -> dict:
    from auditor.report.compare import compare_audits

    a = store.get_audit(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    b = store.get_audit(sessions=sessions, tenant=tenant, doc_id=other_id)
    return compare_audits(a, b).model_dump(mode="json")
