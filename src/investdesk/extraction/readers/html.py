"""Web pages: the article's text (trafilatura drops the page's boilerplate), with its tables read as tables.

Each data table of the page is read here, with its row and column spans, and marked with a token before
trafilatura sees the page; where trafilatura keeps a table of the main content, the token says which one it
is and the table read here takes its place. A table that trafilatura drops was boilerplate. When trafilatura
cannot be imported or finds no article, a plain reading of the markup without navigation, footers, cookie
banners and link lists takes over.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html as html_lib
import re
from typing import Any

from investdesk.extraction.readers.base import Layout
from investdesk.extraction.readers.txt import decode

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOKEN = re.compile(r"qqzt(\d+)zqq\s?")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "table",
           "blockquote", "pre", "dd", "dt", "td", "th", "ul", "ol", "caption")
_JUNK_TAGS = "//script|//style|//nav|//header|//footer|//aside|//form|//noscript|//title|//button|//select|" \
             "//iframe|//svg|//template"
_JUNK_CLASS = re.compile(r"(^|[-_\s])(cookies?|consent|gdpr|banner|related|share|sharing|social|newsletter|"
                         r"subscribe|breadcrumbs?|nav|navbar|navigation|menu|sidebar|footer|comments?|promo|advert|ads?|popup|"
                         r"modal|signup|login|trending|most-read|recommended|outbrain|taboola)([-_\s]|$)", re.I)
_MAX_SPAN = 50  # columns; rows a cell spans are capped by the rows the table has
_MAX_DATA_CELL = 1000  # a cell longer than this holds an article: the table is page layout, not data


def decode_html(data: bytes, name: str) -> str:
    """An HTML page's text in the charset its <meta> declares, when that is not UTF-8 and the bytes are not."""
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return data.decode(m.group(1).decode("ascii"), errors="replace")
            except LookupError:
                pass
    return decode(data, name)


def iso_date(value: Any) -> str | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    m = _ISO_DATE.match(str(value or ""))
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(0)).isoformat()
    except ValueError:
        return None


# --- tables ----------------------------------------------------------------------------------------------------


def _span(cell: Any, attr: str, cap: int) -> int:
    try:
        return max(1, min(int(str(cell.get(attr) or "1").strip() or 1), cap))
    except ValueError:
        return 1


def _cell_text(cell: Any) -> str:
    """A cell's text; a table inside it is flattened to "a / b; c / d" (cells, then rows)."""
    parts: list[str] = [cell.text or ""]
    for child in cell:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == "table":
            rows, _ = parse_table(child)
            parts.append(" " + "; ".join(" / ".join(c for c in r if c) for r in rows if any(r)) + " ")
        elif child.tag in ("script", "style"):
            pass
        else:
            parts.append((" " if child.tag in _BLOCKS else "") + _cell_text(child) + " " * (child.tag in _BLOCKS))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _own_rows(table: Any) -> list[Any]:
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _carry(pending: dict[int, tuple[str, int]], row: list[str], full: list[str]) -> None:
    """Fill the columns that cells of rows above span down into."""
    while len(row) in pending:
        text, left = pending[len(row)]
        if left <= 1:
            del pending[len(row)]
        else:
            pending[len(row)] = (text, left - 1)
        row.append(text)
        full.append(text)


def parse_table(table: Any) -> tuple[list[list[str]], str | None]:
    """A <table>'s rows, header first, and its caption. A cell spanning rows is repeated in each of them (a
    company named once for two of its MoUs); a cell spanning columns leaves the others blank. The header is
    the first rows of <th> cells, merged into one ("Investment" over "Amount" and "Year" gives "Investment
    Amount" and "Investment Year"); rows above it (a title spanning the table) become the caption. Without
    <th> cells the first row is the header."""
    caption_el = next((c for c in table.iter("caption") if next(c.iterancestors("table"), None) is table), None)
    caption = _cell_text(caption_el) if caption_el is not None else None
    trs = _own_rows(table)
    rows: list[list[str]] = []
    spread: list[list[str]] = []  # the same rows with a column-spanning cell's text in every column it spans
    heads: list[bool] = []
    pending: dict[int, tuple[str, int]] = {}
    for index, tr in enumerate(trs):
        row: list[str] = []
        full: list[str] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for cell in cells:
            _carry(pending, row, full)
            text = _cell_text(cell)
            colspan = _span(cell, "colspan", _MAX_SPAN)
            rowspan = _span(cell, "rowspan", max(1, len(trs) - index))
            start = len(row)
            row.extend([text] + [""] * (colspan - 1))
            full.extend([text] * colspan)
            if rowspan > 1:
                for col in range(start, start + colspan):
                    pending[col] = (text if col == start else "", rowspan - 1)
        _carry(pending, row, full)
        rows.append(row)
        spread.append(full)
        heads.append(bool(cells) and all(c.tag == "th" for c in cells))
    if True not in heads:
        return rows, caption
    first = heads.index(True)
    last = first
    while last + 1 < len(heads) and heads[last + 1]:
        last += 1
    if first:
        caption = caption or " ".join(" ".join(c for c in r if c) for r in rows[:first]) or None
    if last > first:
        width = max(len(r) for r in spread[first:last + 1])
        header = [" ".join(dict.fromkeys(r[k] for r in spread[first:last + 1] if k < len(r) and r[k]))
                  for k in range(width)]
        return [header] + rows[last + 1:], caption
    return rows[first:], caption


def _is_data_table(table: Any) -> bool:
    if any(True for _ in table.iterdescendants("table")):
        return False
    return all(len(" ".join((c.text_content() or "").split())) <= _MAX_DATA_CELL for c in table.iter("td", "th"))


def _mark_tables(tree: Any, *, replace: bool = False) -> dict[int, tuple[list[list[str]], str | None]]:
    """Read each data table of the page and put its token in its first cell (or in its place)."""
    found: dict[int, tuple[list[list[str]], str | None]] = {}
    for table in list(tree.iter("table")):
        if not _is_data_table(table):
            continue
        first = next(table.iter("td", "th"), None)
        if first is None:
            continue
        found[len(found)] = parse_table(table)
        token = f"qqzt{len(found) - 1}zqq "
        if replace and table.getparent() is not None:
            stand_in = table.makeelement("p", {})
            stand_in.text, stand_in.tail = token, table.tail
            table.getparent().replace(table, stand_in)
        else:
            first.text = token + (first.text or "")
    return found


# --- the page --------------------------------------------------------------------------------------------------


def read_html(raw: str, layout: Layout) -> tuple[str | None, str | None]:
    """Put the page's main text and tables into ``layout``; return its title and published date."""
    from lxml import etree
    from lxml import html as lxml_html

    tables: dict[int, tuple[list[list[str]], str | None]] = {}
    marked = raw
    try:
        tree = lxml_html.fromstring(raw)
        tables = _mark_tables(tree)
        if tables:
            marked = lxml_html.tostring(tree, encoding="unicode")
    except (etree.LxmlError, ValueError, TypeError):
        tree = None
    title, published = None, None
    body = None
    try:
        import trafilatura  # inside: a broken install of it or its dependencies must not stop every page

        meta = trafilatura.extract_metadata(raw)
        if meta is not None:
            title, published = meta.title or None, iso_date(meta.date)
        result = trafilatura.bare_extraction(marked, include_comments=False, include_tables=True,
                                             favor_precision=True)
        body = result.get("body") if isinstance(result, dict) else getattr(result, "body", None)
    except Exception:  # noqa: BLE001  markup trafilatura cannot parse, or no trafilatura: the plain reading below
        body = None
    if body is not None and "".join(body.itertext()).strip():
        _from_article(body, layout, tables)
    else:
        fallback_title = _fallback(raw, layout)
        title = title or fallback_title
    if title is None and tree is not None:
        title_el = tree.find(".//title")
        title = " ".join(title_el.text_content().split()) or None if title_el is not None else None
    return title, published


def _inline(el: Any) -> str:
    """An element's text with trafilatura's line breaks (<lb/>) kept."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _from_article(body: Any, layout: Layout, tables: dict[int, tuple[list[list[str]], str | None]]) -> None:
    used: set[int] = set()
    lines: list[str] = []

    def flush() -> None:
        if lines:
            layout.prose("\n".join(lines))
            lines.clear()

    def loose(text: str | None) -> None:
        if text and text.strip():
            lines.append(_TOKEN.sub("", text).strip())

    def walk(el: Any) -> None:
        loose(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                loose(child.tail)
                continue
            if child.tag == "table":
                flush()
                ids = [int(n) for n in _TOKEN.findall("".join(child.itertext()))]
                known = [i for i in dict.fromkeys(ids) if i in tables and i not in used]
                if known:
                    for i in known:
                        used.add(i)
                        layout.table(*tables[i])
                else:
                    layout.table([[_TOKEN.sub("", _inline(c)) for c in row.iter("cell")]
                                  for row in child.iter("row")])
            elif child.tag == "list":
                lines.extend("- " + " ".join(_TOKEN.sub("", _inline(item)).split())
                             for item in child.findall("item"))
            elif any(True for _ in child.iter("table")):
                walk(child)
            else:
                loose(_inline(child))
            loose(child.tail)
    walk(body)
    flush()


def _fallback(raw: str, layout: Layout) -> str | None:
    """The visible text of any markup, one block per line, without scripts, page navigation, cookie banners and
    lists of links; its data tables as tables. Returns the page's <title>."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(raw)
        title_el = tree.find(".//title")
        title = " ".join(title_el.text_content().split()) if title_el is not None else None
        for bad in tree.xpath(_JUNK_TAGS):
            bad.drop_tree()
        for el in list(tree.iter()):
            if not isinstance(el.tag, str) or el.getparent() is None:
                continue
            marks = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('role') or ''}"
            if _JUNK_CLASS.search(marks) or (el.tag in ("ul", "ol", "div", "section", "p") and _link_list(el)):
                el.drop_tree()
        tables = _mark_tables(tree, replace=True)
        for el in tree.iter(*_BLOCKS):
            el.tail = "\n" + (el.tail or "")
        text = "\n".join(" ".join(line.split()) for line in tree.text_content().splitlines())
    except (etree.LxmlError, ValueError, TypeError):
        stripped = html_lib.unescape(re.sub(r"<[^>]*>", " ", raw))
        layout.prose("\n".join(" ".join(line.split()) for line in stripped.splitlines()))
        return None
    pos = 0
    for m in _TOKEN.finditer(text):
        layout.prose(text[pos:m.start()])
        layout.table(*tables[int(m.group(1))])
        pos = m.end()
    layout.prose(text[pos:])
    return title or None


def _link_list(el: Any) -> bool:
    """Most of the text is links: a menu, a list of related stories, a tag cloud."""
    text = len(" ".join((el.text_content() or "").split()))
    if not text or text > 3000:
        return False
    linked = sum(len(" ".join((a.text_content() or "").split())) for a in el.iter("a"))
    return linked >= 0.7 * text
