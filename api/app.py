"""The FastAPI application: ``create_app(settings)`` wires storage, the audit supervisor, the API and the pages."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import store
from api.db import PUBLIC_TENANT, make_engine, migrate, session_factory
from api.settings import Settings
from auditor import __version__
from auditor.errors import AuditError

log = logging.getLogger("auditor.service")
API_PREFIX = "/api/v1"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
SAMPLES = Path(__file__).resolve().parents[1] / "agreements"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path in ("/health", "/openapi.json") \
        or "application/json" in request.headers.get("accept", "")


def _error(request: Request, status: int, message: str):
    if _wants_json(request):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return TEMPLATES.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)


def seed_samples(sessions, settings: Settings) -> int:
    """The sample agreements in agreements/ are the public reference corpus every tenant sees."""
    import hashlib
    import shutil
    import tempfile

    count = 0
    for path in sorted(SAMPLES.glob("*.xml")):
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        tmp_dir = settings.data_dir / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=tmp_dir)
        with open(fd, "wb") as out:
            out.write(data)
        _doc, _job, created = store.register_upload(sessions=sessions, files_dir=settings.files_dir,
                                                    tenant=PUBLIC_TENANT, spooled=Path(name), sha256=sha,
                                                    size=len(data), filename=path.name, fmt="tota-xml", pages=None)
        count += created
    shutil.rmtree(settings.data_dir / "tmp", ignore_errors=True)
    return count


class DeclaredSizeLimit:
    """Refuse a request whose declared Content-Length is over the upload limit before reading its body."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length")
            too_big = False
            if declared is not None:
                try:
                    too_big = int(declared) > self.max_bytes
                except ValueError:
                    too_big = False
            if too_big:
                body = (f'{{"ok": false, "error": "The request declares {int(declared):,} bytes, over the '
                        f'{self.max_bytes:,}-byte limit. Split the file or ask for a higher AUDITOR_MAX_UPLOAD_BYTES.",'
                        f' "status": 413}}').encode()
                await send({"type": "http.response.start", "status": 413,
                            "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from api.worker import Supervisor

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        migrate(settings.url)
        engine = make_engine(settings.url)
        sessions = session_factory(engine)
        app.state.sessions = sessions
        app.state.open_mode = settings.localhost_only
        keys = store.active_key_count(sessions=sessions)
        if keys == 0 and settings.localhost_only:
            log.warning("No API keys configured and bound to %s: running OPEN (no authentication) for local use. "
                        "Create keys with `auditor keys create --tenant NAME` to require them.", settings.host)
        elif keys == 0:
            log.warning("No API keys configured and bound to %s: every API request will be refused until keys are "
                        "created with `auditor keys create --tenant NAME`.", settings.host)
        if settings.seed_samples:
            seeded = seed_samples(sessions, settings)
            if seeded:
                log.info("queued %d sample agreement(s) for audit", seeded)
        supervisor = Supervisor(sessions=sessions, files_dir=settings.files_dir, workers=settings.workers,
                                time_budget=settings.time_budget_seconds, max_pages=settings.max_pages)
        app.state.supervisor = supervisor
        if start_workers:
            supervisor.start()
        try:
            yield
        finally:
            supervisor.stop()
            engine.dispose()

    app = FastAPI(title="Treaty Audit", version=__version__, lifespan=lifespan,
                  description="Audit trade agreements for their clauses on culture in the digital environment "
                              "(UNESCO 2005 Convention, Operational Guidelines 18-19, Open Roadmap 3.1 and 3.4).")
    app.state.settings = settings
    from api.uploads import MULTIPART_OVERHEAD

    app.add_middleware(DeclaredSizeLimit, max_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD)

    @app.exception_handler(AuditError)
    async def audit_error(request: Request, exc: AuditError):
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
