"""The original bytes of each document, stored once under the documents directory by their sha256.

The stored name is made from the digest alone (``ab/abcdef....pdf``), never from the name the file came
with, so no upload can reach outside the directory. Writes go to a temporary file renamed into place, so a
process killed part-way leaves either nothing or the whole file, and writing the same bytes twice is a no-op.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from investdesk.errors import NotFound, ValidationFailed
from investdesk.i18n import _

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
SUFFIXES = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
}


def relative_path(sha256: str, media_type: str) -> str:
    """Where a document with this digest is kept, relative to the documents directory."""
    if not _SHA256.match(sha256):
        raise ValidationFailed(_('sha256: %(sha256)s is not a sha256 hex digest', sha256=repr(sha256)), field="sha256")
    return f"{sha256[:2]}/{sha256}{SUFFIXES.get(media_type, '.bin')}"


def store(root: Path, sha256: str, media_type: str, data: bytes) -> str:
    """Keep the bytes (once) and return their path relative to ``root``."""
    rel = relative_path(sha256, media_type)
    target = root / rel
    if target.exists() and target.stat().st_size == len(data):
        return rel
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rel


def open_path(root: Path, rel: str) -> Path:
    """The stored file for a document's ``stored_path``; refuses anything outside ``root``."""
    base = root.resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        raise NotFound(_('the stored file of this document is missing (%(rel)s)', rel=rel), field="stored_path")
    return path
