"""Text clean-up shared by the document readers: site furniture, page furniture, encodings.

Sentences are kept verbatim (evidence is quoted from this text); only what is not part of the
story goes: control characters, trailing "Share this" / "Comments" lines, runs of blank lines,
and in PDFs the running headers, footers, page numbers and the line breaks inside paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

# Lines that news sites leave at the end of copied or extracted text.
_TAIL_JUNK = re.compile(
    r"(comments?(\s*\(\d+\))?|\d+\s+comments?|leave a (comment|reply)|post a comment|add a comment|"
    r"share( this( article| story| post)?| on \w+| via \w+)?|(also read|read also|read more)(\s*[:|\u2013\u2014-].*)?|"
    r"related( news| stories| articles| posts| topics)?|advertisement|sponsored|follow us( on [\w ,&]+)?|"
    r"(tags?|topics?|keywords)\s*:.*|subscribe( to (our|the) newsletter)?|sign up( for (our|the) newsletter)?|"
    r"print( this)?|e-?mail|whatsapp|facebook|twitter|x|linkedin|telegram|copy link|download( our| the)? app|"
    r"\(this story has not been edited.*|more from this section|first published\s*:.*|updated\s*:.*|"
    r"copyright( \u00a9)? \d{4}.*|\u00a9.*|all rights reserved|click here|back to top)"
    r"[\s:|.\u2192>]*", re.I)
_TAIL_JUNK_MAX = 120  # a longer line is a sentence of the story, whatever it starts with

_BREAKS = str.maketrans({"\r": "\n", "\f": "\n", "\v": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"})
_DROP = {"\ufeff", "\ufffe", "\uffff"}


def _keep(ch: str) -> bool:
    if ch in "\n\t":
        return True
    # Controls (Cc) and lone surrogates (Cs) go; format characters (Cf) such as the zero-width joiner
    # that Indic scripts need stay, except byte-order marks.
    return unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _DROP


def clean_text(text: str) -> str:
    """NFC; no control characters; no trailing site furniture; at most one blank line in a row."""
    return clean_block(text, tail=True)


def clean_block(text: str, *, tail: bool = False) -> str:
    """One block of a document cleaned like :func:`clean_text`, without leading or trailing blank lines; the
    trailing site furniture goes only with ``tail`` (the block that ends the document)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_BREAKS))
    text = "".join(ch for ch in text if _keep(ch))
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and (not lines[-1].strip() or (tail and is_tail_junk(lines[-1]))):
        lines.pop()
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def is_tail_junk(line: str) -> bool:
    s = line.strip()
    return len(s) <= _TAIL_JUNK_MAX and _TAIL_JUNK.fullmatch(s) is not None


# --- PDF pages -------------------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"[-\u2013\u2014\s]*((page|p\.|seite)\s*)?\d{1,4}(\s*(of|/|\|)\s*\d{1,4})?[-\u2013\u2014\s]*",
                          re.I)
_EDGE = 3  # running headers and footers sit within the first or last lines of a page
_BULLET = re.compile(r"([\u2022\u25aa\u25cf\u2013*-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s")
# A line ending in one of these words is never the end of a paragraph.
_OPEN_END = re.compile(r"\b(the|a|an|of|in|on|at|to|for|with|from|by|and|or|as|its|their|his|her|between)$", re.I)
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u201d\u2019)\]]*$")


def _furniture_key(line: str) -> str:
    """Digits folded, so "Annual Report 2024 | 7" on page 7 and "... | 8" on page 8 are the same line."""
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def cell_text(value: str | None) -> str:
    """A table cell on one line: cleaned, inner whitespace collapsed, no column separator inside."""
    return " ".join(clean_block(value or "").split()).replace("|", "/")


def strip_page_furniture(pages: list[str] | list[list[str]]) -> list[list[str]]:
    """Each page's lines without running headers and footers (the same edge line on most pages) or page numbers."""
    page_lines = [[line.strip() for line in (page.splitlines() if isinstance(page, str) else page)]
                  for page in pages]
    dropped = furniture(page_lines)
    return [[line for i, line in enumerate(lines) if i not in drop] for lines, drop in zip(page_lines, dropped,
                                                                                           strict=True)]


def furniture(page_lines: list[list[str]], margins: list[set[int] | None] | None = None) -> list[set[int]]:
    """The indexes of each page's running headers, footers and page numbers: edge lines (the first or last few
    of a page, and of those only the ones in its top or bottom margin when ``margins`` says which lines are)
    that recur on most pages once digits are folded, or that are a page number."""
    page_edges = [_edges(lines) for lines in page_lines]
    if margins is not None:
        page_edges = [edges & m if m is not None else edges for edges, m in zip(page_edges, margins, strict=True)]
    edges = [{_furniture_key(lines[i]) for i in idx} for lines, idx in zip(page_lines, page_edges, strict=True)]
    counts: dict[str, int] = {}
    for keys in edges:
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
    threshold = max(2, int(len(page_lines) * 0.6 + 0.5))
    running = {k for k, n in counts.items() if n >= threshold} if len(page_lines) >= 2 else set()
    return [{i for i in idx if _furniture_key(lines[i]) in running or _PAGE_NUMBER.fullmatch(lines[i])}
            for lines, idx in zip(page_lines, page_edges, strict=True)]


def _edges(lines: list[str]) -> set[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line]
    return set(filled[:_EDGE] + filled[-_EDGE:])


def reflow(pages: list[list[str]]) -> str:
    """Join the lines of each paragraph (a PDF breaks lines where the page is full, not where sentences end)
    and words hyphenated at a line end; headings, list items and paragraph ends keep their line breaks."""
    lengths = sorted(len(line) for lines in pages for line in lines if line)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    out: list[str] = []
    for lines in pages:
        for line in lines:
            if not line:
                if out and out[-1]:
                    out.append("")
                continue
            prev = out[-1] if out else ""
            if prev and _continues(prev, line, width):
                if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[0].isalpha():
                    # "devel-" + "opment" is one word; "Indo-" + "Japan" keeps its hyphen.
                    out[-1] = (prev[:-1] if line[0].islower() else prev) + line
                else:
                    out[-1] = prev + " " + line
            else:
                out.append(line)
    return "\n".join(out)


def _continues(prev: str, line: str, width: int) -> bool:
    if _BULLET.match(line) or _SENTENCE_END.search(prev):
        return False
    return (line[0].islower() or prev.endswith(("-", ",")) or _OPEN_END.search(prev) is not None
            or len(prev) >= 0.6 * width)


def pdf_text(pages: list[str]) -> str:
    """The text of a PDF's pages, without page furniture, paragraphs on one line each."""
    return reflow(strip_page_furniture(pages))
