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

from investdesk.errors import ValidationFailed
from investdesk.i18n import _


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
    home_jurisdiction: str = Field(
        default="Uttar Pradesh", description="The agency's own state: an extraction whose home is another is "
                                             "competitor intelligence (home_is_agency false).")
    max_import_rows: int = Field(default=100_000, ge=1, description="Most rows one spreadsheet import may hold.")
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
    incentive_policies_dir: Path | None = Field(
        default=None, description="Folder of incentive policy YAML files replacing the shipped ones.")
    match_weights: dict[str, float] = Field(
        default_factory=dict, description="Matchmaking signal weights overriding the defaults (JSON object).")
    agency_name: str = Field(default="Invest UP", description="The agency named at the head of every paper.")
    agency_logo: Path | None = Field(
        default=None, description="Logo (SVG or PNG) at the head of every paper; default: the shipped emblem.")

    timezone: str = Field(default="Asia/Kolkata", description="The agency's time zone: when jobs and digests run.")
    smtp_url: str | None = Field(default=None, description="smtp://user:pass@host:587?starttls=1 or smtps://...; "
                                 "unset: mail waits in the outbox.")
    mail_from: str = Field(default="InvestDesk <investdesk@localhost>", description="Sender of the mail.")
    base_url: str = Field(default="http://127.0.0.1:8000", description="Address of the app in mail and calendars.")
    scheduler: bool = Field(default=True, description="Run the periodic jobs inside `investdesk serve`.")
    warm_papers: bool = Field(default=False, description="Load the PDF engine and fonts in the background when "
                              "the web app starts (`investdesk serve` turns it on), so the first brief is quick.")

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

    @property
    def is_production(self) -> bool:
        return self.environment.strip().lower() == "production"

    def ensure_data_dir(self) -> Path:
        """The data directory, created readable by its owner only: it holds the database (password and token
        hashes), the secret key and the stored documents."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.data_dir

    def resolved_secret_key(self) -> str:
        """The configured key, else one generated once and kept in the data directory. In production a
        configured key must look random: a short or placeholder key would let anyone forge a session."""
        if self.secret_key:
            if self.is_production:
                problem = weak_secret(self.secret_key)
                if problem:
                    raise ValidationFailed(_('INVESTDESK_SECRET_KEY %(problem)s; in production set at least '
                                             '%(value)s random characters (e.g. python -c "import secrets; '
                                             'print(secrets.token_urlsafe(48))") or leave it unset to have one '
                                             'generated', problem=problem, value=MIN_SECRET_LENGTH), field="secret_key")
            return self.secret_key
        path = self.ensure_data_dir() / "secret_key"
        if path.exists():
            return path.read_text().strip()
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key


def write_private(path: Path, text: str) -> Path:
    """Write ``text`` to a new file readable by its owner only (an older one is replaced)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 10  # token_urlsafe(32) has about 30 distinct characters, token_hex(16) about 13
PLACEHOLDER_WORDS = ("changeme", "change-me", "change_me", "secret", "password", "example", "placeholder",
                     "default", "insecure", "investdesk", "replace", "dummy")


def weak_secret(key: str) -> str | None:
    """Why a secret key would be guessable (too short, a placeholder, too few distinct characters), or None."""
    if len(key) < MIN_SECRET_LENGTH:
        return f"is {len(key)} characters long, shorter than {MIN_SECRET_LENGTH}"
    lowered = key.lower()
    word = next((w for w in PLACEHOLDER_WORDS if w in lowered), None)
    if word:
        return f"looks like a placeholder (it contains {word!r})"
    if len(set(key)) < MIN_SECRET_DISTINCT:
        return f"has only {len(set(key))} distinct characters, not a random string"
    runs = [key[i:i + 8] for i in range(len(key) - 7)]
    if len(set(runs)) < len(runs):
        return "repeats itself, not a random string"
    return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
