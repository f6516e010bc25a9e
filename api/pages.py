"""Server-rendered pages: upload, list, audit, compare, sign-in. Plain HTML forms; a little JavaScript
(a static file, allowed by the Content-Security-Policy) only for upload progress.

Every form carries a CSRF token that must equal the ``auditor_csrf`` cookie (double submit): another
site can neither read the cookie nor make the browser send it (SameSite=Strict), so it cannot forge a
post, a sign-in into its own tenant included. The browser is signed in by a random session id in an
HttpOnly, Secure, SameSite=Strict cookie; the API key never leaves the sign-in form.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api import store
from api.locale import remember_locale, request_locale, templates_for
from api.deps import SESSION_COOKIE, SessionsDep, SettingsDep, TenantDep
from api.uploads import accept_upload, receive_upload
from auditor.errors import AuditError
from auditor.report.audit import audit_html

router = APIRouter(include_in_schema=False)
CSRF_COOKIE = "auditor_csrf"


class CsrfRefused(AuditError):
    status = 403


def _csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
    if not token:
        token = request.state.csrf = secrets.token_urlsafe(32)
    return token


def render(request: Request, template: str, context: dict, status_code: int = 200):
    """A page with the CSRF token in its context, and the cookie it must match set if the browser lacks it."""
    token = _csrf_token(request)
    templates = templates_for(request_locale(request))
    response = templates.TemplateResponse(request, template, {**context, "csrf": token}, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, secure=True, samesite="strict", path="/")
    remember_locale(request, response)
    return response


def check_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not hmac.compare_digest(cookie.encode(), submitted.encode()):
        raise CsrfRefused("The form has expired or did not come from this service's pages.",
                          "Reload the page and submit it again.")


@router.get("/", response_class=HTMLResponse)
def index(request: Request, sessions: SessionsDep, tenant: TenantDep, q: str | None = None):
    docs, total = store.list_documents(sessions=sessions, tenant=tenant, q=q, limit=200)
    return render(request, "index.html", {"docs": docs, "total": total, "q": q or "", "tenant": tenant,
                                          "signed_in": bool(request.cookies.get(SESSION_COOKIE))})


@router.post("/upload")
async def upload(request: Request, settings: SettingsDep, sessions: SessionsDep, tenant: TenantDep):
    store.check_job_quota(sessions=sessions, tenant=tenant, max_jobs=settings.tenant_max_jobs)
    received = await receive_upload(request, max_bytes=settings.max_upload_bytes, directory=settings.tmp_dir)
    try:
        check_csrf(request, received.fields.get("csrf"))
    except CsrfRefused:
        received.discard()
        raise
    doc, _job, _created = accept_upload(received, request=request, settings=settings, sessions=sessions, tenant=tenant)
    return RedirectResponse(f"/agreements/{doc.id}", status_code=303)


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(request: Request, agreement_id: str, sessions: SessionsDep, tenant: TenantDep):
    doc = store.get_document(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    if doc.status != "done":
        ahead = store.queue_position(sessions=sessions, doc_id=doc.id) if doc.status == "queued" else 0
        stage = store.running_stage(sessions=sessions, doc_id=doc.id) if doc.status in ("running", "cancelling") \
            else None
        name, _, counts = (stage or "").partition(" ")
        page, _, pages = counts.partition("/")
        return render(request, "pending.html", {"doc": doc, "own": doc.tenant == tenant, "ahead": ahead,
                                                "stage": name, "page": page, "pages": pages})
    audit = store.get_audit(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    source = f"/api/v1/agreements/{doc.id}/file?inline=true" if doc.format == "pdf" else None
    locale = request_locale(request)
    report = audit_html(audit, source_url=source, locale=locale)
    token = _csrf_token(request)
    nav = templates_for(locale).get_template("_nav.html").render(doc=doc, csrf=token, own=doc.tenant == tenant,
                                                                  path=request.url.path)
    response = HTMLResponse(report.replace("<body>", "<body>" + nav, 1))
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, secure=True, samesite="strict", path="/")
    remember_locale(request, response)
    return response


@router.post("/agreements/{agreement_id}/edit")
def edit_page(request: Request, agreement_id: str, sessions: SessionsDep, tenant: TenantDep,
              csrf: Annotated[str, Form(max_length=200)] = "", title: Annotated[str, Form(max_length=300)] = "",
              date_signed: Annotated[str, Form(max_length=10)] = ""):
    check_csrf(request, csrf)
    if date_signed and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_signed):
        raise AuditError(f"{date_signed!r} is not a date.", "Give the date signed as YYYY-MM-DD, or leave it empty.")
    store.edit_document(sessions=sessions, tenant=tenant, doc_id=agreement_id,
                        changes={"title": title or None, "date_signed": date_signed or None})
    return RedirectResponse(f"/agreements/{agreement_id}", status_code=303)


@router.post("/agreements/{agreement_id}/cancel")
def cancel_page(request: Request, agreement_id: str, sessions: SessionsDep, tenant: TenantDep,
                csrf: Annotated[str, Form(max_length=200)] = ""):
    check_csrf(request, csrf)
    store.cancel_document(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    request.app.state.supervisor.notify()
    return RedirectResponse(f"/agreements/{agreement_id}", status_code=303)


@router.post("/agreements/{agreement_id}/rerun")
def rerun(request: Request, agreement_id: str, sessions: SessionsDep, tenant: TenantDep,
          csrf: Annotated[str, Form(max_length=200)] = ""):
    check_csrf(request, csrf)
    store.rerun_document(sessions=sessions, tenant=tenant, doc_id=agreement_id)
    request.app.state.supervisor.notify()
    return RedirectResponse(f"/agreements/{agreement_id}", status_code=303)


@router.post("/agreements/{agreement_id}/delete")
def delete_page(request: Request, agreement_id: str, sessions: SessionsDep, settings: SettingsDep, tenant: TenantDep,
                csrf: Annotated[str, Form(max_length=200)] = "", confirm: Annotated[str, Form(max_length=10)] = ""):
    check_csrf(request, csrf)
    if confirm != "yes":
        raise AuditError("Tick “Delete this agreement” to confirm.", "Nothing was deleted.")
    store.delete_document(sessions=sessions, files_dir=settings.files_dir, tenant=tenant, doc_id=agreement_id)
    return RedirectResponse("/", status_code=303)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, sessions: SessionsDep, tenant: TenantDep, a: str | None = None, b: str | None = None):
    from auditor.report.compare import compare_audits

    docs, _ = store.list_documents(sessions=sessions, tenant=tenant, limit=200)
    done = [d for d in docs if d.status == "done"]
    comparison = None
    if not (a and b) and len(done) >= 2:
        # Two different agreements preselected: the user's own latest first, then a reference agreement.
        a = a or done[0].id
        b = b or next(d.id for d in done if d.id != a)
    if a and b:
        comparison = compare_audits(store.get_audit(sessions=sessions, tenant=tenant, doc_id=a),
                                    store.get_audit(sessions=sessions, tenant=tenant, doc_id=b))
    return render(request, "compare.html", {"docs": done, "a": a, "b": b, "comparison": comparison})


SEARCH_PAGE = 25


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, sessions: SessionsDep, tenant: TenantDep,
                q: Annotated[str | None, Query(max_length=200)] = None,
                label: Annotated[str | None, Query(max_length=40)] = None,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    """Provisions across the agreements one can see, by words (any spelling) and by label."""
    from auditor.report.audit import LABEL_NAMES

    if label and label not in LABEL_NAMES:
        raise AuditError(f"No label {label!r}.", "Choose a label from the list.")
    rows, total = ([], 0)
    if q or label:
        rows, total = store.search_provisions(sessions=sessions, tenant=tenant, label=label or None, q=q,
                                              offset=offset, limit=SEARCH_PAGE)
    hits = [{"doc": d, "row": p, "labels": [LABEL_NAMES.get(x, x) for x in p.labels.split()],
             "anchor": "p-" + "".join(ch if ch.isalnum() else "-" for ch in p.provision_id),
             "snippet": _snippet(p.text, q)} for p, d in rows]
    return render(request, "search.html", {"q": q or "", "label": label or "", "labels": LABEL_NAMES, "hits": hits,
                                           "total": total, "offset": offset, "page": SEARCH_PAGE})


def _snippet(text: str, q: str | None, width: int = 260) -> str:
    """The part of a provision around the first word searched for."""
    flat = " ".join(text.split())
    words = [w for w in (q or "").lower().replace("-", " ").split() if len(w) > 2]
    at = min((i for i in (flat.lower().find(w) for w in words) if i >= 0), default=0)
    start = max(0, at - 80)
    return ("… " if start else "") + flat[start:start + width] + (" …" if start + width < len(flat) else "")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request):
    return render(request, "login.html", {"error": None})


@router.post("/login")
def login(request: Request, sessions: SessionsDep, key: Annotated[str, Form(max_length=200)],
          csrf: Annotated[str, Form(max_length=200)] = ""):
    check_csrf(request, csrf)
    session_id = store.start_session(sessions=sessions, key=key.strip())
    if session_id is None:
        return render(request, "login.html", {"error": "That API key is not valid or has been revoked."},
                      status_code=401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, secure=True, samesite="strict", path="/",
                        max_age=store.SESSION_DAYS * 86400)
    return response


@router.post("/logout")
def logout(request: Request, sessions: SessionsDep, csrf: Annotated[str, Form(max_length=200)] = ""):
    check_csrf(request, csrf)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        store.end_session(sessions=sessions, session_id=session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response
