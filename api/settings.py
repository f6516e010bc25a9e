"""Service settings, from the environment (prefix AUDITOR_)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    @field_validator("max_upload_bytes", "max_pages", "workers")
    @classmethod
    def positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'auditor.db'}"

    @property
    def localhost_only(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")
