"""Errors the engine raises on purpose.

Every error a user can cause carries a one-line message that says what was
wrong and what to do, plus an HTTP status so the CLI and the API report the
same failure the same way (the CLI maps it to an exit code, the API to a 4xx).
"""

from __future__ import annotations


class AuditError(Exception):
    """Base class: a failure the user can act on, never a bug."""

    status: int = 400
    exit_code: int = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InputNotFound(AuditError):
    status = 404


class UnsupportedInput(AuditError):
    """The bytes are not a format the engine reads (checked by content, not name)."""

    status = 415


class CorruptDocument(AuditError):
    status = 422


class EncryptedDocument(AuditError):
    status = 422


class EmptyDocument(AuditError):
    status = 422


class DocumentTooLarge(AuditError):
    status = 413


class ModelNotAvailable(AuditError):
    status = 500
    exit_code = 3
