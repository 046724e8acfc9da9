"""Mail over TLS to a real SMTP server (aiosmtpd): STARTTLS on the submission port and implicit TLS (SMTPS),
the server's certificate verified against the agency's own authority (``cafile=`` in INVESTDESK_SMTP_URL).
A certificate nobody vouches for, or a server that wants TLS from a client configured without it, leaves the
message in the outbox with the reason."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import Engine

from investdesk.db import transaction
from investdesk.errors import ValidationFailed
from investdesk.models import User
from investdesk.notifications import outbox as outbox_service
from investdesk.notifications.sender import parse_smtp_url, send_due
from tests.notifications.conftest import SMTP_PASSWORD, SMTP_USER, Inbox, _authenticator, free_port
from tests.notifications.test_mail import outbox

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def due() -> dt.datetime:
    """A clock a minute past the real one: the message queued just now is due."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An agency certificate authority, a server certificate it signed for 127.0.0.1, and an unrelated one."""
    out = tmp_path_factory.mktemp("pki")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    end = start + dt.timedelta(days=30)

    def cert(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, issuer_key: ec.EllipticCurvePrivateKey,
             *, ca: bool) -> x509.Certificate:
        b = x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer)) \
            .public_key(key.public_key()).serial_number(x509.random_serial_number()) \
            .not_valid_before(start).not_valid_after(end) \
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        if ca:
            b = b.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                              content_commitment=False, key_encipherment=False,
                                              data_encipherment=False, key_agreement=False, encipher_only=False,
                                              decipher_only=False), critical=True)
        else:
            b = b.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                critical=False)
        return b.sign(issuer_key, hashes.SHA256())

    def write(name: str, obj: x509.Certificate | ec.EllipticCurvePrivateKey) -> Path:
        path = out / name
        if isinstance(obj, x509.Certificate):
            path.write_bytes(obj.public_bytes(serialization.Encoding.PEM))
        else:
            path.write_bytes(obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return path

    ca_key, server_key, other_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    ca = cert("Agency Mail CA", ca_key, "Agency Mail CA", ca_key, ca=True)
    return {"ca": write("ca.pem", ca), "other_ca": write("other.pem", cert("Other CA", other_key, "Other CA",
                                                                            other_key, ca=True)),
            "cert": write("server.pem", cert("mail.agency.test", server_key, "Agency Mail CA", ca_key, ca=False)),
            "key": write("server.key", server_key)}


def _server_context(pki: dict[str, Path]) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pki["cert"], pki["key"])
    return ctx


@pytest.fixture
def tls_server(pki: dict[str, Path]) -> Iterator[Callable[[str], tuple[int, Inbox]]]:
    """``tls_server("starttls")`` or ``tls_server("smtps")``: a server that takes mail only over TLS."""
    started: list[Controller] = []

    def start(mode: str) -> tuple[int, Inbox]:
        inbox, port = Inbox(), free_port()
        ctx = _server_context(pki)
        if mode == "smtps":
            c = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=ctx, authenticator=_authenticator,
                           auth_required=True, auth_require_tls=False)
        else:
            c = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx, require_starttls=True,
                           authenticator=_authenticator, auth_required=True, auth_require_tls=True)
        c.start()
        started.append(c)
        return port, inbox

    yield start
    for c in started:
        c.stop()


def _queue(engine: Engine, users: dict[str, int]) -> None:
    with transaction(engine) as s:
        user = s.get_one(User, users["officer"])
        outbox_service.enqueue_event(s, user=user, kind="blocker_escalated", title="Land blocker escalated",
                                     url="/mous/1", dedupe_key="tls-test")


def test_starttls_with_the_agency_authority_delivers(engine: Engine, users: dict[str, int], pki: dict[str, Path],
                                                      tls_server: Callable[[str], tuple[int, Inbox]],
                                                      mail_settings: Callable[..., None]) -> None:
    port, inbox = tls_server("starttls")
    _queue(engine, users)
    base = f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{port}"
    # Without TLS the server will not take the password: the message waits, with the reason.
    mail_settings(base)
    assert "the rest wait" in send_due(engine, due())
    [row] = outbox(engine)
    assert row.state == "pending" and "only over TLS: add starttls=1" in row.last_error and inbox.messages == []
    # TLS, but a certificate signed by an authority this desk does not trust: refused, still waiting.
    mail_settings(f"{base}?starttls=1&cafile={pki['other_ca']}")
    send_due(engine, due() + dt.timedelta(hours=1))
    [row] = outbox(engine)
    assert row.state == "pending" and "CERTIFICATE_VERIFY_FAILED" in row.last_error and inbox.messages == []
    mail_settings(f"{base}?starttls=1&cafile={pki['ca']}")
    assert send_due(engine, due() + dt.timedelta(hours=2)) == "sent 1, failed 0"
    [(rcpt, msg)] = inbox.messages
    assert rcpt == ["asha@agency.test"] and "Land blocker escalated" in msg["Subject"]
    assert outbox(engine)[0].state == "sent"


def test_smtps_with_the_agency_authority_delivers(engine: Engine, users: dict[str, int], pki: dict[str, Path],
                                                   tls_server: Callable[[str], tuple[int, Inbox]],
                                                   mail_settings: Callable[..., None]) -> None:
    port, inbox = tls_server("smtps")
    _queue(engine, users)
    base = f"smtps://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{port}"
    mail_settings(base)  # the system's authorities do not know the agency's
    send_due(engine, due())
    assert "CERTIFICATE_VERIFY_FAILED" in outbox(engine)[0].last_error and inbox.messages == []
    mail_settings(f"{base}?cafile={pki['ca']}")
    assert send_due(engine, due() + dt.timedelta(hours=1)) == "sent 1, failed 0"
    assert [m["Subject"] for _, m in inbox.messages] == [outbox(engine)[0].subject]


def test_a_cafile_that_is_missing_or_without_tls_is_named(tmp_path: Path, pki: dict[str, Path]) -> None:
    with pytest.raises(ValidationFailed, match=r"cafile .*missing\.pem is not a readable file"):
        parse_smtp_url(f"smtps://desk@mail.agency.test?cafile={tmp_path / 'missing.pem'}")
    with pytest.raises(ValidationFailed, match="cafile is for TLS"):
        parse_smtp_url(f"smtp://desk@mail.agency.test:25?cafile={pki['ca']}")
    cfg = parse_smtp_url(f"smtp://desk@mail.agency.test:587?starttls=1&cafile={pki['ca']}")
    assert cfg.starttls and cfg.cafile == str(pki["ca"]) and cfg.tls_context().verify_mode is ssl.CERT_REQUIRED
