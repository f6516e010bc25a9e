"""Accepting an upload: limits, content checks and storage, shared by the API route and the upload page."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request, UploadFile

from api import store
from api.settings import Settings
from auditor.errors import AuditError, UnsupportedInput
from auditor.ingest import sniff_format
from auditor.ingest.markup import read_html, read_text, read_tota
from auditor.ingest.pdf import page_count

# Allowance for multipart framing when the declared request size is checked (api.app.DeclaredSizeLimit).
MULTIPART_OVERHEAD = 64 * 1024


class TooManyPages(AuditError):
    status = 413


def validate(path: Path, settings: Settings) -> tuple[str, int | None]:
    """Refuse what the pipeline could not read, before anything is stored. Returns (format, pages)."""
    data = path.read_bytes()
    fmt = sniff_format(data)
    pages = None
    if fmt == "pdf":
        pages = page_count(data)
        if pages > settings.max_pages:
            raise TooManyPages(f"The PDF has {pages:,} pages, over the {settings.max_pages:,}-page ceiling.",
                               "Upload the agreement without its schedules, or raise AUDITOR_MAX_PAGES.")
    elif fmt == "tota-xml":
        read_tota(data)
    elif fmt == "html":
        read_html(data)
    else:
        read_text(data)
    return fmt, pages


def accept_upload(upload: UploadFile | None, *, request: Request, settings: Settings, sessions, tenant: str):
    if upload is None or not hasattr(upload, "file"):
        raise UnsupportedInput("No file in the request.", "Send the agreement as the multipart field 'file'.")
    spooled, sha256, size = store.spool_upload(upload.file, max_bytes=settings.max_upload_bytes,
                                               directory=settings.data_dir / "tmp")
    try:
        fmt, pages = validate(spooled, settings)
    except BaseException:
        spooled.unlink(missing_ok=True)
        raise
    doc, job, created = store.register_upload(sessions=sessions, files_dir=settings.files_dir, tenant=tenant,
                                              spooled=spooled, sha256=sha256, size=size,
                                              filename=store.safe_filename(upload.filename), fmt=fmt, pages=pages)
    request.app.state.supervisor.notify()
    return doc, job, created
