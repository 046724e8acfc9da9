"""Settings from ``INVESTDESK_*`` environment variables, with working defaults.

With nothing set, InvestDesk keeps a SQLite file in the user's data directory,
so ``investdesk serve`` runs on a fresh machine with nothing else installed.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INVESTDESK_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("investdesk", appauthor=False)),
                           description="Where the database file, stored documents and the secret key live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default: SQLite file in data_dir.")
    secret_key: str | None = Field(default=None, description="Signs session cookies; generated and kept when unset.")
    environment: str = Field(default="development", description="development or production.")
    pending_after_days: int = Field(
        default=30, ge=1, description="An MoU with no status update for this long is pending.")
    large_mou_crore: float = Field(
        default=100.0, ge=0, description="MoUs above this value (INR crore) get an account manager.")
    enquiry_response_days: int = Field(
        default=3, ge=1, description="Working days to first response on an investor enquiry.")
    blocker_escalation_days: int = Field(
        default=30, ge=1, description="An open blocker escalates a level after this many days.")
    max_upload_mb: int = Field(default=50, ge=1, description="Largest accepted upload.")
    max_body_mb: int = Field(default=5, ge=1, description="Largest accepted request body other than an upload.")
    session_idle_minutes: int = Field(default=60, ge=1, description="A session unused this long ends.")
    session_max_hours: int = Field(default=12, ge=1, description="A session ends this long after sign-in.")
    one_time_password_hours: int = Field(default=72, ge=1, description="A one-time password expires after this.")
    forwarded_allow_ips: str | None = Field(
        default=None, description="Proxies (comma-separated addresses, or *) whose X-Forwarded-For/-Proto are "
        "believed: the client address and https scheme (Secure cookies) come from them.")
    db_pool_size: int = Field(
        default=15, ge=1, description="Requests holding a database session at once, per server process (the "
        "pool has 5 more connections for sign-in look-ups).")
    user: str | None = Field(
        default=None, description="E-mail of the person at the command line: whose follow-ups --mine lists.")
    rates_file: Path | None = Field(default=None, description="Currency rates (TSV) replacing the shipped ones.")
    districts_file: Path | None = Field(
        default=None, description="Districts (TSV) replacing the shipped Uttar Pradesh list.")

    @field_validator("database_url")
    @classmethod
    def _blank_is_default(cls, v: str | None) -> str | None:
        return v or None

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://"):
                # psycopg 3 is the driver shipped with the package.
                url = "postgresql+psycopg://" + url[len("postgresql://"):]
            return url
        return f"sqlite:///{self.data_dir / 'investdesk.db'}"

    @property
    def documents_dir(self) -> Path:
        return self.data_dir / "documents"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in the data directory."""
        if self.secret_key:
            if self.environment == "production" and self.secret_key in {"changeme", "secret", "change-me"}:
                raise ValueError("INVESTDESK_SECRET_KEY is a placeholder; set a real secret in production")
            return self.secret_key
        path = self.ensure_data_dir() / "secret_key"
        if path.exists():
            return path.read_text().strip()
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
