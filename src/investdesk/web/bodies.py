"""Request bodies before the application sees them: a size limit enforced while streaming, and the form's
``csrf_token`` field found by a streaming parser (linear in the body's size, whatever it holds)."""

from __future__ import annotations

from urllib.parse import parse_qs

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

MB = 1024 * 1024
# Room for the other fields of an upload form beside the file itself.
UPLOAD_FORM_SLACK = 256 * 1024
TOKEN_FIELD = b"csrf_token"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit // MB} MB")
        self.limit = limit


def body_limit(headers: Headers, *, max_body_mb: int, max_upload_mb: int) -> int:
    """Uploads (multipart forms) may be as large as INVESTDESK_MAX_UPLOAD_MB; anything else INVESTDESK_MAX_BODY_MB."""
    if headers.get("content-type", "").lower().startswith("multipart/form-data"):
        return max_upload_mb * MB + UPLOAD_FORM_SLACK
    return max_body_mb * MB


def declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    return int(value) if value is not None and value.strip().isdigit() else None


def limited(receive: Receive, limit: int) -> Receive:
    """``receive`` that raises BodyTooLarge (413) as soon as more than ``limit`` bytes have arrived."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped


class _MultipartToken:
    """Feeds a multipart body through python-multipart's state machine and keeps the csrf_token part."""

    def __init__(self, boundary: bytes) -> None:
        self.token: bytes | None = None
        self._field, self._value, self._name = b"", b"", b""
        self._collecting, self._buffer = False, bytearray()
        self._parser = MultipartParser(boundary, {
            "on_part_begin": self._begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._data, "on_part_end": self._end})
        self.failed = False

    def _begin(self) -> None:
        self._name, self._buffer = b"", bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        if self._field.lower() == b"content-disposition":
            self._name = parse_options_header(self._value)[1].get(b"name", b"")
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        self._collecting = self.token is None and self._name == TOKEN_FIELD

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._collecting and len(self._buffer) <= 256:
            self._buffer += data[start:end]

    def _end(self) -> None:
        if self._collecting:
            self.token, self._collecting = bytes(self._buffer[:256]), False

    def write(self, chunk: bytes) -> None:
        if self.failed or not chunk:
            return
        try:
            self._parser.write(chunk)
        except MultipartParseError:
            self.failed = True


class FormToken:
    """The ``csrf_token`` field of a form body fed in chunks: urlencoded or multipart, anything else has none."""

    def __init__(self, content_type: str) -> None:
        kind, options = parse_options_header(content_type)
        self._multipart = _MultipartToken(options[b"boundary"]) if kind == b"multipart/form-data" and \
            options.get(b"boundary") else None
        self._urlencoded = kind == b"application/x-www-form-urlencoded"
        self._chunks: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        if self._multipart is not None:
            self._multipart.write(chunk)
        elif self._urlencoded:
            self._chunks.append(chunk)

    def value(self) -> str | None:
        if self._multipart is not None:
            token = None if self._multipart.failed else self._multipart.token
            return token.decode("latin-1") if token is not None else None
        if self._urlencoded:
            values = parse_qs(b"".join(self._chunks).decode("latin-1")).get("csrf_token")
            return values[0] if values else None
        return None
