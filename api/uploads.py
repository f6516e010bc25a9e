"""Accepting an upload: the body streamed to disk, counted and cut off at the limit, after the caller is known.

Nothing untrusted is parsed here. The request only streams the multipart body through a push parser
(python-multipart's ``MultipartParser``), writes the file part to a spool file while hashing and
counting it, and sniffs its first bytes (PDF, markup or text; images and archives are refused at
once). Reading, validating and auditing the document happen in the budgeted worker processes, so a
hostile file costs a worker its budget, never the service its event loop.

The routes that call ``receive_upload`` declare no body parameter, so FastAPI resolves the tenant
(and refuses a missing or bad key) before a single body byte is read.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from api import store
from api.settings import Settings
from auditor.errors import AuditError, DocumentTooLarge, EmptyDocument
from auditor.ingest import sniff_format
from auditor.ingest.docx import is_docx

SNIFF_BYTES = 64 * 1024
# Allowance for multipart framing and small fields on top of the file limit (api.security.BodyLimit).
MULTIPART_OVERHEAD = 64 * 1024
MAX_FIELD_BYTES = 4096  # small form fields beside the file (the page's CSRF token)
# The OpenAPI description of the body the routes read themselves.
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "PDF, ToTA XML, HTML or text"},
        "read_with": {"type": "string", "description": "Ids of earlier uploads to read with this one, comma-separated: "
                      "the agreement it incorporates by reference, a protocol or schedules published separately."},
        "parties": {"type": "string", "description": "The Parties' ISO 3166 alpha-3 codes, comma-separated (EUR for "
                    "the European Union), when the text does not name them."},
        "require_treaty": {"type": "string", "enum": ["true", "false"], "description": "true: fail the job with the "
                           "reason if the document does not read as an agreement, instead of auditing it with a "
                           "warning."}}}}}}}


class MalformedUpload(AuditError):
    """The request is not an upload the service can take (no multipart body, no 'file' field)."""

    status = 422


@dataclass
class ReceivedUpload:
    path: Path
    sha256: str
    size: int
    filename: str
    head: bytes
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class _FormReader:
    """Callbacks for the push parser: the part named ``file`` goes to disk, small fields to memory."""

    def __init__(self, out, max_bytes: int) -> None:
        self.out = out
        self.max_bytes = max_bytes
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = bytearray()
        self.filename: str | None = None
        self.seen_file = False
        self.fields: dict[str, str] = {}
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, str] = {}
        self._name: str | None = None
        self._is_file = False
        self._value = bytearray()

    def callbacks(self) -> dict:
        return {"on_part_begin": self._part_begin, "on_header_field": self._header_field_data,
                "on_header_value": self._header_value_data, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
                "on_part_end": self._part_end}

    def _part_begin(self) -> None:
        self._headers, self._name, self._is_file, self._value = {}, None, False, bytearray()

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = self._header_value.decode("latin-1")
        self._header_field, self._header_value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", ""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self._name = name
        self._is_file = name == "file" and not self.seen_file
        if self._is_file:
            self.seen_file = True
            raw = options.get(b"filename")
            self.filename = raw.decode("utf-8", "replace") if raw is not None else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._is_file:
            self.size += len(chunk)
            if self.size > self.max_bytes:
                raise DocumentTooLarge(f"The upload is over the {self.max_bytes:,}-byte limit.",
                                       "Split the file or ask the administrator to raise AUDITOR_MAX_UPLOAD_BYTES.")
            if len(self.head) < SNIFF_BYTES:
                self.head += chunk[:SNIFF_BYTES - len(self.head)]
            self.digest.update(chunk)
            self.out.write(chunk)
        elif self._name is not None:
            if len(self._value) + len(chunk) > MAX_FIELD_BYTES:
                raise MalformedUpload(f"The form field {self._name!r} is too long.",
                                      "Send the agreement as the multipart field 'file'.")
            self._value += chunk

    def _part_end(self) -> None:
        if self._name and not self._is_file:
            self.fields[self._name] = self._value.decode("utf-8", "replace")


async def receive_upload(request: Request, *, max_bytes: int, directory: Path) -> ReceivedUpload:
    """Stream the multipart body's ``file`` part to a spool file under ``directory``."""
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise MalformedUpload("The upload must be multipart/form-data.",
                              "Send the agreement as the multipart field 'file' (curl -F file=@treaty.pdf).")
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="upload-", dir=directory)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            reader = _FormReader(out, max_bytes)
            parser = MultipartParser(boundary, reader.callbacks())
            try:
                async for chunk in request.stream():
                    parser.write(chunk)
                parser.finalize()
            except MultipartParseError as exc:
                raise MalformedUpload(f"The multipart body could not be read ({exc}).",
                                      "Send the agreement as the multipart field 'file'.") from exc
        if not reader.seen_file:
            raise MalformedUpload("No file in the request.", "Send the agreement as the multipart field 'file'.")
        if reader.size == 0:
            raise EmptyDocument("The upload is empty.", "Send the agreement file in the multipart field 'file'.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ReceivedUpload(path, reader.digest.hexdigest(), reader.size, store.safe_filename(reader.filename),
                          bytes(reader.head), reader.fields)


def sniff(upload: ReceivedUpload) -> str:
    """The format from the first bytes: cheap, no parsing. Images, archives and binary junk are refused now."""
    if upload.size > len(upload.head) and not upload.head.strip():
        return "text"  # whitespace first, content later: the worker decides
    if upload.head.startswith(b"PK\x03\x04") and is_docx(upload.path):
        return "docx"  # a ZIP's directory is at its end: read the directory of the spooled file, nothing else
    return sniff_format(upload.head)


def audit_options(fields: dict[str, str], *, sessions, tenant: str) -> tuple[list[str], list[str]]:
    """The optional form fields: documents to read with the upload, and the Parties. Refused with the reason."""
    read_with = [x.strip() for x in fields.get("read_with", "").split(",") if x.strip()]
    if len(read_with) > MAX_READ_WITH:
        raise MalformedUpload(f"At most {MAX_READ_WITH} documents can be read with one agreement.",
                              "Name fewer ids in 'read_with'.")
    try:
        store.check_read_with(sessions=sessions, tenant=tenant, ids=read_with)
    except AuditError as exc:
        raise MalformedUpload(f"'read_with' names {exc}", "Upload the incorporated agreement first and give its id "
                              "from GET /api/v1/agreements.") from exc
    parties = [x.strip().upper() for x in fields.get("parties", "").split(",") if x.strip()]
    if parties:
        import pycountry

        bad = [p for p in parties if p != "EUR" and (len(p) != 3 or pycountry.countries.get(alpha_3=p) is None)]
        if bad:
            raise MalformedUpload(f"'parties' has codes that are not ISO 3166 alpha-3: {', '.join(bad)}.",
                                  "Use three letters such as JPN, AUS or KOR; EUR stands for the European Union.")
    flag = fields.get("require_treaty", "").strip().lower()
    if flag not in ("", "true", "false", "on", "1", "0"):
        raise MalformedUpload(f"'require_treaty' is {flag!r}.", "Send true or false.")
    return read_with, parties, flag in ("true", "on", "1")


MAX_READ_WITH = 5


def accept_upload(upload: ReceivedUpload, *, request: Request, settings: Settings, sessions, tenant: str):
    """Register a received upload and queue its audit; refuse it if it is junk or over the tenant's quota."""
    try:
        read_with, parties, require_treaty = audit_options(upload.fields, sessions=sessions, tenant=tenant)
        fmt = sniff(upload)
        store.check_storage_quota(sessions=sessions, tenant=tenant, adding=upload.size,
                                  max_bytes=settings.tenant_max_bytes)
        doc, job, created = store.register_upload(sessions=sessions, files_dir=settings.files_dir, tenant=tenant,
                                                  spooled=upload.path, sha256=upload.sha256, size=upload.size,
                                                  filename=upload.filename, fmt=fmt, pages=None,
                                                  read_with=read_with, parties=parties,
                                                  require_treaty=require_treaty)
    finally:
        upload.discard()  # moved into files/ when registered; otherwise removed
    request.app.state.supervisor.notify()
    return doc, job, created

