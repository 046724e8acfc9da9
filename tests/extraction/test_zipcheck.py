"""Zip bombs are refused before anything is unpacked; honest Word files pass the same check."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from investdesk.extraction import DocumentError, read_document
from investdesk.extraction.readers.zipcheck import check_zip

from .documents import docx_bytes
from .layouts import zip_bomb_docx


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb_docx(64)  # 64 MB of zeros, about 64 KB packed


def test_zip_bomb_docx_is_refused_fast_and_in_one_line(bomb: bytes) -> None:
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        read_document(data=bomb, filename="minutes.docx")
    assert time.monotonic() - started < 5  # generous: the check reads only the zip's directory
    message = str(info.value)
    assert message.startswith("minutes.docx: refused as a possible zip bomb (word/padding.xml unpacks ")
    assert "\n" not in message


def test_the_total_unpacked_size_is_capped(bomb: bytes) -> None:
    with pytest.raises(DocumentError, match=r"^m\.docx: refused as a possible zip bomb \(it unpacks to more than "
                                             r"32 MB; \d+ KB packed\)$"):
        check_zip(bomb, "m.docx", max_uncompressed=32 * 1024 * 1024, max_ratio=10**6)


def test_many_parts_are_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(30):
            z.writestr(f"part{i}.xml", b"<x/>")
    with pytest.raises(DocumentError, match=r"^many\.zip: refused as a possible zip bomb \(30 parts, more than 20\)$"):
        check_zip(buf.getvalue(), "many.zip", max_members=20)


def test_honest_files_pass() -> None:
    check_zip(docx_bytes(["An ordinary trip report."] * 200), "report.docx")
    check_zip(b"not a zip", "x.docx")  # damage is the reader's to name
    paragraphs = [f"Meeting {i} with the delegation in Osaka about plant {i}." for i in range(3000)]
    doc = read_document(data=docx_bytes(paragraphs), filename="long.docx")
    assert doc.text.count("\n") == 2999 and not doc.truncated


def test_a_word_file_with_more_text_than_the_limit_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    from investdesk.extraction.readers import base

    monkeypatch.setattr(base, "MAX_TEXT_CHARS", 5000)
    paragraphs = [f"Meeting {i} with the delegation in Osaka about plant {i}." for i in range(3000)]
    doc = read_document(data=docx_bytes(paragraphs), filename="long.docx", max_chars=5000)
    assert doc.truncated and 4900 < len(doc.text) <= 5000
