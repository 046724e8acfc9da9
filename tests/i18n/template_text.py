"""The text a template shows, found without a browser: the template source is cut into Jinja parts
(``{{ }}``, ``{% %}``, ``{# #}``, whole ``{% trans %}`` blocks), HTML tags (with the attributes a person reads:
placeholder, title, aria-label, alt) and the text between them. Text with a letter in it, outside every Jinja part,
is text that nobody marked for translation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm", "data-reason", "summary")
# Names and codes that read the same in both languages.
KEEP = {"InvestDesk", "CSV", "XLSX", "PDF", "DOCX", "ICS", "INR", "USD", "API", "ID", "FY", "OK",
        "htmx", "Plotly", "SortableJS", "JSON", "GCC", "R&D", "URL", "ics", "x", "×"}
LETTER = re.compile(r"[A-Za-z]")
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S)
PLURAL_WORD = re.compile(r"[A-Za-z][A-Za-z&.'-]*")


@dataclass(frozen=True)
class Piece:
    kind: str  # "text", "tag", "jinja", "trans", "raw"
    text: str
    start: int


def pieces(source: str) -> Iterator[Piece]:
    """The template cut into Jinja parts, HTML tags, raw elements (script, style, comments) and text."""
    i, n = 0, len(source)
    buf_start = 0

    def flush(end: int) -> Iterator[Piece]:
        if end > buf_start:
            yield Piece("text", source[buf_start:end], buf_start)

    while i < n:
        two = source[i:i + 2]
        if two in ("{{", "{%", "{#"):
            m = TRANS_BLOCK.match(source, i) if two == "{%" else None
            if m:
                yield from flush(i)
                yield Piece("trans", m.group(0), i)
                i = buf_start = m.end()
                continue
            close = {"{{": "}}", "{%": "%}", "{#": "#}"}[two]
            end = source.find(close, i + 2)
            end = n if end < 0 else end + 2
            yield from flush(i)
            yield Piece("jinja", source[i:end], i)
            i = buf_start = end
            continue
        if source.startswith("<!--", i):
            end = source.find("-->", i)
            end = n if end < 0 else end + 3
            yield from flush(i)
            yield Piece("raw", source[i:end], i)
            i = buf_start = end
            continue
        if source[i] == "<" and i + 1 < n and (source[i + 1].isalpha() or source[i + 1] in "/!"):
            end = _tag_end(source, i)
            yield from flush(i)
            tag = source[i:end]
            yield Piece("tag", tag, i)
            i = buf_start = end
            name = re.match(r"<\s*([a-zA-Z0-9]+)", tag)
            if name and name.group(1).lower() in ("script", "style"):
                close_at = source.lower().find(f"</{name.group(1).lower()}", i)
                close_at = n if close_at < 0 else close_at
                yield Piece("raw", source[i:close_at], i)
                i = buf_start = close_at
            continue
        i += 1
    yield from flush(n)


def _tag_end(source: str, i: int) -> int:
    """The end of an HTML tag starting at ``i``, skipping quoted values and Jinja parts inside it."""
    n, quote = len(source), None
    j = i + 1
    while j < n:
        if source[j:j + 2] in ("{{", "{%", "{#"):
            close = {"{{": "}}", "{%": "%}", "{#": "#}"}[source[j:j + 2]]
            end = source.find(close, j + 2)
            j = n if end < 0 else end + 2
            continue
        c = source[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == ">":
            return j + 1
        j += 1
    return n


ATTRIBUTES = re.compile(r"""^\s*(?:[a-zA-Z:-]+=(?:"[^"]*"|'[^']*')\s*)+$""")


def _has_words(text: str) -> bool:
    """Letters outside the names and codes that read the same in both languages (and outside attributes that a
    macro writes into a tag: ``hx-target="#results"``)."""
    if ATTRIBUTES.match(text):
        return False
    words = PLURAL_WORD.findall(text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&middot;", ""))
    return any(w.strip(".'-") not in KEEP and LETTER.search(w) for w in words)


def attribute_values(tag: str) -> Iterator[tuple[str, str, int]]:
    """(attribute, value, offset in the tag) of the attributes a person reads; Jinja parts blanked out."""
    blank = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", lambda m: " " * len(m.group(0)), tag, flags=re.S)
    for m in re.finditer(r"\s([a-zA-Z-]+)\s*=\s*(\"[^\"]*\"|'[^']*')", blank):
        if m.group(1).lower() in READ_ATTRIBUTES:
            yield m.group(1), tag[m.start(2) + 1:m.end(2) - 1], m.start(2) + 1


def _attribute_runs(all_pieces: list[Piece]) -> set[int]:
    """Indexes of text pieces that, with the ``{{ }}`` around them, only write attributes into a tag (a macro's
    ``aria-describedby="{{ name }}-error"``): markup, not words."""
    found: set[int] = set()
    run: list[int] = []
    for index in range(len(all_pieces) + 1):
        p = all_pieces[index] if index < len(all_pieces) else None
        if p is not None and (p.kind == "text" or (p.kind == "jinja" and p.text.startswith("{{"))):
            run.append(index)
            continue
        joined = "".join("J" if all_pieces[i].kind == "jinja" else all_pieces[i].text for i in run)
        if run and joined.strip() and ATTRIBUTES.match(joined):
            found.update(run)
        run = []
    return found


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of every text node and read attribute with words outside any translation."""
    out: list[tuple[int, str]] = []
    all_pieces = list(pieces(source))
    in_attributes = _attribute_runs(all_pieces)
    for index, p in enumerate(all_pieces):
        if p.kind == "text" and index not in in_attributes and _has_words(p.text):
            out.append((source.count("\n", 0, p.start) + 1, p.text.strip()))
        elif p.kind == "tag":
            for name, value, _offset in attribute_values(p.text):
                bare = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", value, flags=re.S)
                if _has_words(bare):
                    out.append((source.count("\n", 0, p.start) + 1, f"{name}={value}"))
    return out


SENTENCE = re.compile(r"^[A-Z][a-z]|^[A-Z]{2,} [a-z]|[a-z]{2,} [a-z]{2,}")
NOT_PROSE = re.compile(r"^(?:[a-z0-9_-]+(?: [a-z0-9_-]+)*|/.*|#.*|\W*|[A-Z0-9 ._-]+|%.*|[\w.-]+\.(?:html|txt|js|css))$")
GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext", "trans"}


def untranslated_literals(env: object, source: str) -> list[tuple[int, str]]:
    """(line, text) of string literals inside Jinja expressions that read as prose ("Open", "not set yet") and are
    not the argument of ``_()``: a label passed to a macro, a word chosen by a condition."""
    out: list[tuple[int, str]] = []
    tokens = list(env.lex(source))  # type: ignore[attr-defined]
    depth_gettext: list[bool] = []
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "operator" and value == "(":
            prev = tokens[index - 1] if index else None
            depth_gettext.append(bool(prev and prev[1] == "name" and prev[2] in GETTEXT_NAMES))
        elif kind == "operator" and value == ")" and depth_gettext:
            depth_gettext.pop()
        elif kind == "string":
            text = value[1:-1]
            if any(depth_gettext) or not SENTENCE.search(text):
                continue
            if NOT_PROSE.match(text) and not re.search(r"[a-z]{2,} [a-z]{2,}", text):
                continue
            out.append((line, text))
    return out
