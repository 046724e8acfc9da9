"""Word files: paragraphs and tables in the order of the document body (headers and footers left out).

Merged cells never fail: a cell merged down (vMerge) repeats its text in each row it covers, a cell merged
across (gridSpan) leaves the columns it covers blank. A table inside a cell is flattened into that cell's
text ("a / b; c / d"). List paragraphs keep the number Word shows ("1.", "(a)", "ii.") when Word stores it
as numbering rather than as text. The zip is checked for a bomb before python-docx opens it.
"""

from __future__ import annotations

import io
from typing import Any

from investdesk.extraction.readers.base import DocumentError, Layout
from investdesk.extraction.readers.zipcheck import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NS = {"w": W[1:-1]}
_MAX_GRID_SPAN = 63  # Word's own limit on columns
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _val(el: Any, path: str, default: str | None = None) -> str | None:
    found = el.find(path, _NS) if el is not None else None
    return found.get(f"{W}val", default) if found is not None else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The labels Word draws before list paragraphs, counted as the document goes."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstract id -> level -> (start, fmt, text)
        self.nums: dict[str, str] = {}  # num id -> abstract id
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # style -> (numId, ilvl, basedOn)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001  no numbering part: no list labels
            root = None
        if root is not None:
            for abstract in root.iterfind("w:abstractNum", _NS):
                levels = self.levels.setdefault(abstract.get(f"{W}abstractNumId") or "", {})
                for lvl in abstract.iterfind("w:lvl", _NS):
                    levels[_int(lvl.get(f"{W}ilvl"), 0)] = (
                        _int(_val(lvl, "w:start"), 1), _val(lvl, "w:numFmt", "decimal") or "decimal",
                        _val(lvl, "w:lvlText", "") or "")
            for num in root.iterfind("w:num", _NS):
                self.nums[num.get(f"{W}numId") or ""] = _val(num, "w:abstractNumId", "") or ""
        try:
            for style in document.styles.element.iterfind("w:style", _NS):
                self.styles[style.get(f"{W}styleId") or ""] = (
                    _val(style, "w:pPr/w:numPr/w:numId"), _val(style, "w:pPr/w:numPr/w:ilvl"),
                    _val(style, "w:basedOn"))
        except Exception:  # noqa: BLE001  no styles part: direct numbering only
            pass

    def _from_style(self, style: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        while style and style not in seen and style in self.styles:
            seen.add(style)
            num_id, ilvl, based_on = self.styles[style]
            if num_id is not None:
                return num_id, ilvl
            style = based_on
        return None, None

    def label(self, p: Any) -> str:
        """The label of paragraph ``p`` ("3.", "(b)", "•"), counting it; "" when it is not in a list."""
        num_id, ilvl = _val(p, "w:pPr/w:numPr/w:numId"), _val(p, "w:pPr/w:numPr/w:ilvl")
        if num_id is None:
            num_id, style_level = self._from_style(_val(p, "w:pPr/w:pStyle"))
            ilvl = ilvl or style_level
        abstract = self.nums.get(num_id or "")
        if not abstract or abstract not in self.levels or num_id == "0":
            return ""
        level = _int(ilvl, 0)
        levels = self.levels[abstract]
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, {})
        start, fmt, text = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "\u2022"
        if fmt == "none":
            return ""
        for k in range(level + 1):
            k_start, k_fmt, _ = levels.get(k, (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", _format(counters.get(k, k_start), k_fmt))
        return text.strip()


def _paragraph_text(p: Any) -> str:
    """The paragraph's text, without text boxes anchored in it (they are drawings, read apart if at all)."""
    parts: list[str] = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}txbxContent"):
        tag = node.tag[len(W):]
        if tag == "txbxContent" or any(a.tag == f"{W}txbxContent" for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if tag == "t" else "\t" if tag == "tab" else "\n")
    return "".join(parts)


def _children(el: Any) -> list[Any]:
    """Block children, looking through content controls and custom XML wrappers."""
    out: list[Any] = []
    for child in el:
        tag = child.tag[len(W):] if isinstance(child.tag, str) and child.tag.startswith(W) else ""
        if tag in ("sdt",):
            content = child.find("w:sdtContent", _NS)
            if content is not None:
                out.extend(_children(content))
        elif tag == "customXml":
            out.extend(_children(child))
        elif tag:
            out.append(child)
    return out


def _cell_text(tc: Any) -> str:
    parts: list[str] = []
    for child in _children(tc):
        if child.tag == f"{W}p":
            parts.append(_paragraph_text(child))
        elif child.tag == f"{W}tbl":
            rows = _table_rows(child)
            parts.append("; ".join(" / ".join(c for c in row if c) for row in rows if any(row)))
    return " ".join(" ".join(parts).split())


def _table_rows(tbl: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in (c for c in _children(tbl) if c.tag == f"{W}tr"):
        row = [""] * min(_int(_val(tr, "w:trPr/w:gridBefore"), 0), _MAX_GRID_SPAN)
        for tc in (c for c in _children(tr) if c.tag == f"{W}tc"):
            span = max(1, min(_int(_val(tc, "w:tcPr/w:gridSpan"), 1), _MAX_GRID_SPAN))
            merge = tc.find("w:tcPr/w:vMerge", _NS)
            col = len(row)
            if merge is not None and merge.get(f"{W}val", "continue") != "restart":
                text = above.get(col, "")  # merged down: the text of the cell it continues
            else:
                text = _cell_text(tc)
            row.extend([text] + [""] * (span - 1))
            for k in range(col, col + span):
                above[k] = text if k == col else ""
        rows.append(row)
    return rows


def read_docx(data: bytes, name: str, layout: Layout) -> str | None:
    """Put the Word file's paragraphs and tables into ``layout``; return its title."""
    import docx

    check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        title = document.core_properties.title or None
    except Exception as exc:  # noqa: BLE001  zip, XML and package errors from a damaged file
        raise DocumentError(f"{name}: the Word file is damaged ({type(exc).__name__})") from None
    try:
        _body(body, Numbering(document), layout)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise DocumentError(f"{name}: the Word file is damaged ({type(exc).__name__})") from None
    return title


def _body(body: Any, numbering: Numbering, layout: Layout) -> None:
    lines: list[str] = []
    for block in _children(body):
        if block.tag == f"{W}p":
            label = numbering.label(block)
            text = _paragraph_text(block)
            lines.append(f"{label} {text}" if label and text.strip() else text)
            if len(lines) >= 500:  # now and then, so that a huge document stops at the text limit
                layout.prose("\n".join(lines))
                lines = []
        elif block.tag == f"{W}tbl":
            layout.prose("\n".join(lines))
            lines = []
            layout.table(_table_rows(block))
        if layout.full:
            return
    layout.prose("\n".join(lines))
