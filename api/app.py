"""The FastAPI application: ``create_app(settings)`` wires storage, the audit supervisor, the API and the pages."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import store
from api.db import PUBLIC_TENANT, make_engine, migrate, session_factory
from api.settings import Settings
from auditor import __version__
from auditor.errors import AuditError

log = logging.getLogger("auditor.service")
API_PREFIX = "/api/v1"
SAMPLES = Path(__file__).resolve().parents[1] / "agreements"
STATIC = Path(__file__).resolve().parent / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/health", "/openapi.json") \
        or "application/json" in request.headers.get("accept", "")


def _error(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    from api.locale import request_locale, templates_for

    return templates_for(request_locale(request)).TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status)


def seed_samples(sessions, settings: Settings) -> int:
    """The sample agreements in agreements/ are the public reference corpus every tenant sees."""
    import hashlib
    import tempfile

    count = 0
    for path in sorted(SAMPLES.glob("*.xml")):
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        tmp_dir = settings.tmp_dir
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir)
        with open(fd, "wb") as out:
            out.write(data)
        _doc, _job, created = store.register_upload(sessions=sessions, files_dir=settings.files_dir,
                                                    tenant=PUBLIC_TENANT, spooled=Path(name), sha256=sha,
                                                    size=len(data), filename=path.name, fmt="tota-xml", pages=None)
        count += created
        Path(name).unlink(missing_ok=True)  # moved into files/ when new; a copy of a known sample otherwise
    return count


def protect_data_dir(settings: Settings) -> None:
    """Uploads, audits and the database are readable by the service's user only; scratch files swept."""
    os.umask(0o077)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.data_dir, 0o700)
    for path in [*settings.data_dir.glob("auditor.db*"), *(settings.files_dir.glob("*") if settings.files_dir.is_dir()
                                                            else [])]:
        if path.is_file():
            os.chmod(path, 0o600)
    for spooled in settings.tmp_dir.glob("upload-*") if settings.tmp_dir.is_dir() else []:
        spooled.unlink(missing_ok=True)  # an upload cut off by a crash


def decide_open_mode(settings: Settings, sessions) -> bool:
    """Open (no keys) only when asked for with --open / AUDITOR_OPEN, bound to loopback, and no key was ever made."""
    keys_made = store.key_ever_created(sessions=sessions)
    if settings.open and not settings.localhost_only:
        log.warning("Open mode refused: bound to %s, not to this machine only. API keys are required.", settings.host)
    elif settings.open and keys_made:
        log.warning("Open mode refused: API keys have been created on this service, so keys are required "
                    "(revoking them does not reopen it).")
    elif settings.open:
        log.warning("Running OPEN (no authentication) for local use on %s: any program on this machine can use "
                    "the service. Create a key with `auditor keys create --tenant NAME` to end open mode.",
                    settings.host)
        return True
    if store.active_key_count(sessions=sessions) == 0:
        log.warning("No active API keys: every request will be refused until keys are created with "
                    "`auditor keys create --tenant NAME` (or, for one person on this machine, start with --open).")
    return False


def _offline_docs(app: FastAPI) -> None:
    """/docs from the Swagger UI assets fastapi-offline ships (no CDN), its one inline script allowed by hash."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html

    assets = Path(fastapi_offline.__file__).resolve().parent / "static"
    app.mount("/static-docs", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url=app.openapi_url, title="Treaty Audit API",
                                   swagger_js_url="/static-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static-docs/swagger-ui.css",
                                   swagger_favicon_url="/static-docs/favicon.png")
        html = page.body.decode()
        hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                          for m in re.findall(r"<script>(.*?)</script>", html, re.DOTALL))
        from api.security import CSP

        return HTMLResponse(html, headers={"content-security-policy": CSP.replace(
            "script-src 'self'", f"script-src 'self' {hashes}")})


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from api.worker import Supervisor, WorkerLimits

        protect_data_dir(settings)
        migrate(settings.url)
        protect_data_dir(settings)  # the database files the migration created
        engine = make_engine(settings.url)
        sessions = session_factory(engine)
        app.state.sessions = sessions
        app.state.open_mode = decide_open_mode(settings, sessions)
        if settings.seed_samples:
            seeded = seed_samples(sessions, settings)
            if seeded:
                log.info("queued %d sample agreement(s) for audit", seeded)
        limits = WorkerLimits(max_pages=settings.max_pages, max_render_pixels=settings.max_render_pixels,
                              max_chars=settings.max_document_chars, memory_mb=settings.worker_memory_mb,
                              scratch=settings.tmp_dir / "workers")
        supervisor = Supervisor(sessions=sessions, files_dir=settings.files_dir, workers=settings.workers,
                                time_budget=settings.time_budget_seconds, limits=limits)
        app.state.supervisor = supervisor
        if start_workers:
            supervisor.start()
        try:
            yield
        finally:
            supervisor.stop()
            engine.dispose()

    app = FastAPI(title="Treaty Audit", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Audit trade agreements for their clauses on culture in the digital environment "
                              "(UNESCO 2005 Convention, Operational Guidelines 18-19, Open Roadmap 3.1 and 3.4).")
    app.state.settings = settings
    from api.security import BodyLimit, CrossSiteCheck, HostCheck, SecurityHeaders
    from api.uploads import MULTIPART_OVERHEAD

    # Added innermost first: headers wrap everything, then host, then cross-site, then the body count.
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD)
    app.add_middleware(CrossSiteCheck)
    app.add_middleware(HostCheck, settings=settings)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    _offline_docs(app)

    @app.exception_handler(AuditError)
    async def audit_error(request: Request, exc: AuditError):
        if not _wants_json(request) and exc.hint and "/api/" in exc.hint:
            # A reader of the pages is told what to do in the pages, not which endpoint to call.
            hint = "Go back to the list of agreements (Agreements, above) and open one from there."
            return _error(request, exc.status, f"{exc.message} {hint}")
        return _error(request, exc.status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Request refused."
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such route: {request.method} {request.url.path}."
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}."
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        return _error(request, 422, f"Invalid request: {problems}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(request, 500, "Internal error; the request was not completed. It has been logged.")

    from api.pages import router as pages_router
    from api.routes import agreements, jobs, provisions

    for module in (agreements, jobs, provisions):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(pages_router)

    @app.get("/health", tags=["health"])
    def health(request: Request) -> dict:
        supervisor = getattr(request.app.state, "supervisor", None)
        workers = sum(s.process.is_alive() for s in supervisor.slots) if supervisor else 0
        return {"ok": True, "version": __version__, "workers": workers}

    return app
