"""A real SMTP server (aiosmtpd) on a free local port, settings pointing at it, and users to tell."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from investdesk.config import get_settings

SMTP_USER, SMTP_PASSWORD = "desk", "s3cret-pass"
REFUSED = "nobody@agency.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What the server accepted: one entry per delivered message."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address == REFUSED:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER and \
        auth_data.password.decode() == SMTP_PASSWORD
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, authenticator=_authenticator,
                                     auth_require_tls=False, auth_required=True)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def url(self, password: str = SMTP_PASSWORD) -> str:
        return f"smtp://{SMTP_USER}:{password}@127.0.0.1:{self.port}"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port(), inbox=Inbox())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Callable[..., None]:
    """Set the mail settings (and a known secret, so unsubscribe links verify in the web app)."""

    def apply(smtp_url: str | None, **extra: str) -> None:
        monkeypatch.setenv("INVESTDESK_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("INVESTDESK_SECRET_KEY", "test-secret-key-for-links")
        monkeypatch.setenv("INVESTDESK_MAIL_FROM", "InvestDesk <desk@agency.test>")
        monkeypatch.setenv("INVESTDESK_BASE_URL", "https://desk.agency.test")
        if smtp_url is None:
            monkeypatch.delenv("INVESTDESK_SMTP_URL", raising=False)
        else:
            monkeypatch.setenv("INVESTDESK_SMTP_URL", smtp_url)
        for key, value in extra.items():
            monkeypatch.setenv(f"INVESTDESK_{key.upper()}", value)
        get_settings.cache_clear()

    yield apply  # type: ignore[misc]
    get_settings.cache_clear()
