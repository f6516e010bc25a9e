"""Server-rendered pages: upload, list, audit, compare. Plain HTML forms; a little JavaScript only for upload progress."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from api import store
from api.app import TEMPLATES
from api.deps import SessionsDep, SettingsDep, TenantDep
from api.uploads import accept_upload
from auditor.report.audit import audit_html

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, sessions: SessionsDep, tenant: TenantDep, q: str | None = None):
    docs, total = store.list_documents(sessions=sessions, tenant=tenant, q=q, limit=200)
    return TEMPLATES.TemplateResponse(request, "index.html", {"docs": docs, "total": total, "q": q or "",
                                                              "tenant": tenant})


@router.post("/upload")
async def upload(request: Request, settings: SettingsDep, sessions: SessionsDep, tenant: TenantDep,
                 file: Annotated[UploadFile, File()]):
    doc, _job, _created = accept_upload(file, request=request, settings=settings, sessions=sessions, tenant=tenant)
    return RedirectResponse(f"/agreements/{doc.id}", status_code=303)


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(request: Request, agreement_id: str, sessions: SessionsDep, tenant: TenantDep):
    doc = store.get_document(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    if doc.status != "done":
        return TEMPLATES.TemplateResponse(request, "pending.html", {"doc": doc})
    audit = store.get_audit(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    report = audit_html(audit)
    nav = TEMPLATES.get_template("_nav.html").render(doc=doc)
    return HTMLResponse(report.replace("<body>", "<body>" + nav, 1))


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, sessions: SessionsDep, tenant: TenantDep, a: str | None = None, b: str | None = None):
    from auditor.report.compare import compare_audits

    docs, _ = store.list_documents(sessions=sessions, tenant=tenant, limit=200)
    done = [d for d in docs if d.status == "done"]
    comparison = None
    if a and b:
        comparison = compare_audits(store.get_audit(sessions=sessions, tenant=tenant, doc_id=a),
                                    store.get_audit(sessions=sessions, tenant=tenant, doc_id=b))
    return TEMPLATES.TemplateResponse(request, "compare.html", {"docs": done, "a": a, "b": b, "comparison": comparison})


@router.post("/login")
def login(key: Annotated[str, Form()], sessions: SessionsDep):
    if store.tenant_for_key(sessions=sessions, key=key) is None:
        raise store.Forbidden("That API key is not valid.", "Ask your administrator for a key.")
    response = RedirectResponse("/", status_code=303)
    response.set_cookie("auditor_key", key, httponly=True, samesite="strict")
    return response
