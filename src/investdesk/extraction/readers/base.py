"""What every reader gives back: the document's text with its tables, and the one error a bad document raises.

The text is laid out so that the extraction can quote from it and find the tables in it: prose as it reads,
and every table where it stands, one line per row with the cells joined by ``" | "`` (the line's trailing
blanks stripped), the header row first, a blank line before and after. ``Table.row_spans`` holds where each
data row's line is in the text. A caption, when the table has one, is the line of prose just above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from investdesk.extraction.readers.cleaning import cell_text, clean_block, is_tail_junk

TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGES = (PNG, JPEG, TIFF)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# The most text one document keeps. A longer text is cut at a line end and flagged ``truncated``: a 300 MB
# text (a zip bomb's, or a dump pasted into a Word file) is of no use to a reviewer and must not be stored.
MAX_TEXT_CHARS = 2_000_000
CELL_SEPARATOR = " | "


class DocumentError(Exception):
    """A document that cannot be read; the message names the file and the problem in one line."""


@dataclass(frozen=True)
class Table:
    """A table of the document: the header row, the data rows (each as wide as the header) and where each data
    row's line is in ``DocumentText.text`` (start, end character offsets)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    caption: str | None = None
    row_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class DocumentText:
    """A document's cleaned text and what is known about it."""

    text: str
    sha256: str
    path: str | None
    media_type: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD)
    tables: tuple[Table, ...] = ()
    ocr: bool = False  # some of the text was read by OCR from an image or a scanned page
    truncated: bool = False  # the text was longer than MAX_TEXT_CHARS and was cut there


@dataclass
class _Rows:
    cells: list[list[str]]
    caption: str | None


@dataclass
class Layout:
    """The blocks of a document in reading order: prose and tables, put together into text once at the end."""

    blocks: list[str | _Rows] = field(default_factory=list)
    size: int = 0

    def prose(self, text: str) -> None:
        """A run of prose (one or more lines; blank lines separate paragraphs)."""
        text = clean_block(text)
        if text:
            self.blocks.append(text)
            self.size += len(text) + 1

    @staticmethod
    def cells(rows: Sequence[Sequence[str | None]]) -> list[list[str]]:
        """Rows cleaned cell by cell and padded to one width, without empty rows and columns."""
        cells = [[cell_text(c) for c in row] for row in rows]
        width = max((len(r) for r in cells), default=0)
        cells = [r + [""] * (width - len(r)) for r in cells if any(r)]
        keep = [i for i in range(width) if any(r[i] for r in cells)]
        return [[r[i] for i in keep] for r in cells]

    def table(self, rows: Sequence[Sequence[str | None]], caption: str | None = None) -> None:
        """A table, its first row the header. Cells are cleaned; rows are padded to one width; empty rows
        and columns go. A table of one cell is prose."""
        cells = self.cells(rows)
        caption = cell_text(caption) or None
        if not cells:
            if caption:
                self.prose(caption)
            return
        if len(cells) == 1 and len(cells[0]) == 1:
            self.prose("\n".join(x for x in (caption, cells[0][0]) if x))
            return
        if caption:  # a line of prose above the table, so that the table itself is its rows only
            self.prose(caption)
        self.blocks.append(_Rows(cells, caption))
        self.size += sum(len(CELL_SEPARATOR.join(r)) + 1 for r in cells) + 2

    @property
    def full(self) -> bool:
        """More text than any document keeps: readers may stop adding."""
        return self.size > MAX_TEXT_CHARS

    def continue_table(self, rows: Sequence[Sequence[str | None]]) -> bool:
        """Add ``rows`` to the table that ends the layout so far when they continue it (a table across pages):
        their first row repeats its header (and is dropped) or they have as many columns. False otherwise."""
        last = self.blocks[-1] if self.blocks else None
        cells = self.cells(rows)
        if not isinstance(last, _Rows) or not cells:
            return False
        if cells[0] == last.cells[0]:
            cells = cells[1:]
        elif len(cells[0]) != len(last.cells[0]):
            return False
        last.cells.extend(cells)
        self.size += sum(len(CELL_SEPARATOR.join(r)) + 1 for r in cells)
        return True

    def build(self, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, tuple[Table, ...], bool]:
        """The text, its tables and whether it was cut at ``max_chars``."""
        self._drop_tail_junk()
        out: list[str] = []
        pos = 0
        tables: list[Table] = []
        truncated = False
        previous: str | _Rows | None = None

        def room() -> int:
            return max_chars - pos

        for block in self.blocks:
            if isinstance(block, str):
                sep = "" if previous is None else "\n" if isinstance(previous, str) else "\n\n"
                piece = sep + block
                if len(piece) > room():
                    cut = _cut(piece, room(), len(sep))
                    if cut.strip():
                        out.append(cut)
                        pos += len(cut)
                    truncated = True
                    break
                out.append(piece)
                pos += len(piece)
            else:
                lines = [CELL_SEPARATOR.join(r).rstrip() for r in block.cells]
                head = "" if previous is None else "\n\n"
                if len(head) + len(lines[0]) > room():
                    truncated = True
                    break
                out.append(head + lines[0])
                pos += len(head) + len(lines[0])
                spans: list[tuple[int, int]] = []
                for line in lines[1:]:
                    if len(line) + 1 > room():
                        truncated = True
                        break
                    out.append("\n" + line)
                    spans.append((pos + 1, pos + 1 + len(line)))
                    pos += len(line) + 1
                tables.append(Table(header=tuple(block.cells[0]), rows=tuple(tuple(r) for r in
                                                                            block.cells[1:1 + len(spans)]),
                                    caption=block.caption, row_spans=tuple(spans)))
                if truncated:
                    break
            previous = block
        return "".join(out), tuple(tables), truncated

    def _drop_tail_junk(self) -> None:
        """Site furniture at the very end ("Share this", "Comments (3)") goes, whether prose or a table row."""
        while self.blocks:
            last = self.blocks[-1]
            if isinstance(last, str):
                cleaned = clean_block(last, tail=True)
                if cleaned:
                    self.blocks[-1] = cleaned
                    return
                self.blocks.pop()
                continue
            if not is_tail_junk(CELL_SEPARATOR.join(last.cells[-1])) or len(last.cells) == 1:
                return
            last.cells.pop()


def _cut(piece: str, room: int, sep: int) -> str:
    """The longest head of ``piece`` that fits, ended at a line end, else at a space, else where it must."""
    cut = piece[:room]
    for mark in ("\n", " "):
        at = cut.rfind(mark)
        if at > sep:
            return cut[:at].rstrip()
    return cut.rstrip() if room > sep else ""
