"""Refuse a zip bomb before opening a zip-based file (Word, Excel): a pure function any reader can import.

A DOCX of 758 KB that unpacks to 300 MB takes minutes and gigabytes to parse. The zip's central directory
says how big each member is once unpacked, so the check reads only that directory and decompresses nothing.
The declared sizes are binding for Python's ``zipfile`` (which python-docx and openpyxl use): it stops a
member at its declared size and fails its CRC check rather than return more, so a lying directory cannot
get more bytes past this check.
"""

from __future__ import annotations

import io
import zipfile

from investdesk.extraction.readers.base import DocumentError

# A Word or Excel file's XML compresses 5 to 20 times; images barely at all. Zeros compress 1000 times.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000
# A member smaller than this is never a bomb, whatever its ratio (an empty part compresses 50 times).
_RATIO_FLOOR = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _part(filename: str) -> str:
    return " ".join(filename.split())[:80] or "a part"


def check_zip(data: bytes, name: str, max_uncompressed: int = MAX_UNCOMPRESSED, max_ratio: float = MAX_RATIO,
              *, max_members: int = MAX_MEMBERS) -> None:
    """Raise :class:`DocumentError` (one line naming ``name``) when the zip in ``data`` would unpack to more than
    ``max_uncompressed`` bytes, holds a member that unpacks ``max_ratio`` times bigger than it is stored, or has
    more than ``max_members`` members. A damaged zip is left to the reader, which names the damage."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return
    if len(members) > max_members:
        raise DocumentError(f"{name}: refused as a possible zip bomb ({len(members)} parts, more than {max_members})")
    total = 0
    for member in members:
        total += member.file_size
        if total > max_uncompressed:
            raise DocumentError(f"{name}: refused as a possible zip bomb (it unpacks to more than "
                                f"{_mb(max_uncompressed)}; {_mb(len(data))} packed)")
        if member.file_size > _RATIO_FLOOR and member.file_size > max_ratio * max(member.compress_size, 1):
            raise DocumentError(f"{name}: refused as a possible zip bomb ({_part(member.filename)} unpacks "
                                f"{member.file_size // max(member.compress_size, 1)} times its packed size, "
                                f"more than {max_ratio:g})")
