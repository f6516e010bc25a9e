"""Service settings, from the environment (prefix AUDITOR_)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUDITOR_", env_ignore_empty=True, extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("treaty-audit", appauthor=False)))
    database_url: str | None = None
    max_upload_bytes: int = 100 * 1024 * 1024
    max_pages: int = 3000
    time_budget_seconds: float = 600.0
    workers: int = 2
    host: str = "127.0.0.1"
    port: int = 8000
    seed_samples: bool = True
    page_size_max: int = 200
    # Open mode (no keys, for one person on this machine) only when asked for, and only while no key was
    # ever created; requests must then name a loopback host.
    open: bool = False
    # Host header names the service answers to, besides the loopback names (DNS-rebinding defence).
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Fairness and quotas, per tenant: queued plus running audits, and bytes of stored uploads.
    tenant_max_jobs: int = 50
    tenant_max_bytes: int = 2 * 1024 * 1024 * 1024
    # Each audit worker's address-space limit, and the largest page image OCR renders (pixels).
    worker_memory_mb: int = 4096
    max_render_pixels: int = 60_000_000
    # Characters of clean text per document: beyond it the document is refused with the reason.
    max_document_chars: int = 20_000_000

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def comma_separated(cls, value):
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @field_validator("max_upload_bytes", "max_pages", "workers", "tenant_max_jobs", "tenant_max_bytes",
                     "worker_memory_mb", "max_render_pixels", "max_document_chars")
    @classmethod
    def positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def tmp_dir(self) -> Path:
        """Spooled uploads and OCR scratch: under the data directory, swept at start and after a worker is killed."""
        return self.data_dir / "tmp"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'auditor.db'}"

    @property
    def localhost_only(self) -> bool:
        return self.host in LOOPBACK_NAMES

    def host_allowed(self, host_header: str) -> bool:
        """Does a request's Host header name this service? Loopback names always; others only if configured."""
        name = host_name(host_header)
        if name in LOOPBACK_NAMES:
            return True
        allowed = {h.lower().strip("[]") for h in self.allowed_hosts}
        return "*" in allowed or name in allowed or (name == self.host.lower() and self.host not in ("0.0.0.0", "::"))


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: "localhost:8000" -> "localhost", "[::1]:80" -> "::1"."""
    name = host_header.strip().lower()
    if name.startswith("["):
        return name[1:].split("]", 1)[0]
    return name.split(":", 1)[0] if name.count(":") == 1 else name
