"""The one entry point the CLI, the API and the batch runner share.

Each stage is a plain function over typed records; this module only wires
them in order (ingest -> structure -> ...), so the shells stay thin.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from auditor.errors import AuditError
from auditor.ingest import Engine, OcrMode, ingest_bytes, read_input
from auditor.ingest.pdf import MAX_RENDER_PIXELS
from auditor.model import Agreement
from auditor.structure import structure

if TYPE_CHECKING:
    from auditor.assess.model import Audit


@dataclass(frozen=True)
class ParseOptions:
    engine: Engine = "pypdfium2"
    ocr: OcrMode = "auto"
    max_pages: int | None = None
    max_bytes: int | None = None
    max_render_pixels: int = MAX_RENDER_PIXELS
    max_chars: int | None = None


# Told where a long audit stands: a stage ("reading", "ocr", "structuring", "classifying", "assessing") and,
# for OCR, the page and the page count. The service's waiting page shows it; nothing depends on it.
Progress = Callable[[str, int, int], None]


def _silent(stage: str, done: int = 0, total: int = 0) -> None:
    pass


def parse_bytes(data: bytes, *, source: str | None = None, options: ParseOptions = ParseOptions(),
                progress: Progress = _silent) -> Agreement:
    progress("reading", 0, 0)
    doc = ingest_bytes(data, source=source, engine=options.engine, ocr=options.ocr, max_pages=options.max_pages,
                       max_render_pixels=options.max_render_pixels, max_chars=options.max_chars,
                       on_ocr_page=lambda page, pages: progress("ocr", page, pages))
    progress("structuring", 0, 0)
    return structure(doc)


def parse_file(path: str | os.PathLike[str], options: ParseOptions = ParseOptions(),
               progress: Progress = _silent) -> Agreement:
    data = read_input(path, max_bytes=options.max_bytes)
    return parse_bytes(data, source=str(path), options=options, progress=progress)


@lru_cache(maxsize=1)
def default_precedents():
    from auditor.assess.precedents import PrecedentIndex

    return PrecedentIndex.load()


def audit_agreement(agreement: Agreement, *, classifier=None, precedents=None, with_precedents: bool = True,
                    parties: list[str] | None = None, progress: Progress = _silent) -> "Audit":
    from auditor import __version__
    from auditor.assess import assess
    from auditor.classify import label_agreement

    progress("classifying", 0, 0)
    labelled = label_agreement(agreement, classifier)
    index = (precedents or default_precedents()) if with_precedents else None
    progress("assessing", 0, 0)
    audit = assess(agreement, labelled, index, parties=parties)
    audit.engine = {"version": __version__, "format": agreement.format}
    return audit


class NotAnAgreement(AuditError):
    """Asked to audit agreements only, and given something else (a memo, a letter, a news item)."""

    status = 422


def refuse_if_not_an_agreement(audit: "Audit") -> None:
    """For a caller that asked for agreements only: the audit's own doubt becomes a refusal."""
    from auditor.assess import NOT_A_TREATY_ADVICE

    warning = audit.agreement.document_warning
    if warning:
        raise NotAnAgreement(f"Refused: {warning.removesuffix(NOT_A_TREATY_ADVICE)}",
                             "Check that the right file was given; audit it without asking for agreements only to "
                             "see its scorecard anyway.")


def _load_models(classifier: bool, precedents: bool) -> None:
    """Warm the caches; a failure here is raised again, with its message, where the model is used."""
    try:
        if classifier:
            from auditor.classify import load_classifier

            load_classifier()
        if precedents:
            default_precedents()
        from auditor.assess.parties import country_names

        country_names()
    except Exception:  # noqa: BLE001 - reported by the caller's own load
        pass


def audit_file(path: str | os.PathLike[str], options: ParseOptions = ParseOptions(), *,
               read_with: list[str | os.PathLike[str]] = (), progress: Progress = _silent, **kwargs) -> "Audit":
    """Read, then audit; ``read_with`` are documents to read with it (an incorporated agreement, a protocol
    published separately), audited as one text. The models load in a thread while the file is read (PDFium releases the GIL), so a
    fresh process such as one ``auditor audit`` pays for the reading and the loading at once, not one after
    the other; where they are loaded already (service and batch workers) the thread finds them cached."""
    loader = threading.Thread(target=_load_models, daemon=True, args=(
        kwargs.get("classifier") is None, kwargs.get("with_precedents", True) and kwargs.get("precedents") is None))
    loader.start()
    try:
        agreement = parse_file(path, options, progress)
        if read_with:
            from auditor.structure.combine import read_together

            agreement = read_together(agreement, [parse_file(extra, options, progress) for extra in read_with])
    finally:
        loader.join()
    return audit_agreement(agreement, progress=progress, **kwargs)
