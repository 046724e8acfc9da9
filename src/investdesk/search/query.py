"""What a person types, as a full-text query for SQLite FTS5 and for PostgreSQL ``tsquery``.

The text is cut into words at spaces and punctuation, so "rare-earth" and "rare earth" ask for the same two
words; every word must match (stemmed by the backend: "magnets" finds "magnet"), and the last one also as a
prefix, so the suggestions follow the typing ("Jhan" finds Jhansi). A district or country named in one script
also asks for its name in the other ("लखनऊ" or "Lucknow", "जापान" or "Japan"), from the Hindi names of the
districts and countries (``places``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from investdesk import formatting, places

MAX_WORDS = 12


_SPELLING = {0x093C: None, 0x0901: 0x0902}  # nukta dropped, chandrabindu written as anusvara


def fold(text: str) -> str:
    """One spelling of Devanagari words written two ways ("झाँसी" and "झांसी", "ज़िला" and "जिला"), for the index
    and the query alike."""
    if text.isascii():  # nothing to fold or compose (most entries)
        return text
    if not any("\u0900" <= ch <= "\u097f" for ch in text):
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).translate(_SPELLING))


def words(text: str) -> list[str]:
    """The words of a text, lower-cased: split at spaces, punctuation and symbols (hyphens included). Vowel
    signs and viramas (Unicode marks) stay inside their Devanagari word."""
    out: list[str] = []
    current: list[str] = []
    for ch in fold(text).casefold():
        if unicodedata.category(ch)[0] in "LNM":
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def is_devanagari(word: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in word)


@lru_cache(maxsize=1)
def equivalents() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Place names in one script -> the same name in the other, both ways, as word tuples."""
    pairs = list(places.hindi_names("district").items())
    pairs += [(formatting.country(code), name) for code, name in places.hindi_names("country").items()]
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name, hindi_name in pairs:
        english, hindi = tuple(words(name)), tuple(words(hindi_name))
        if english and hindi:
            out.setdefault(hindi, english)
            out.setdefault(english, hindi)
    return out


@dataclass(frozen=True)
class Term:
    """One thing every match must contain: any of its alternatives, each a phrase of words."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False  # the last word of each alternative may be the start of a longer word


def parse(text: str) -> list[Term]:
    """The terms of a query; the longest run of words naming a place in the other script is one term."""
    ws = words(text)[:MAX_WORDS]
    table = equivalents()
    longest = max((len(k) for k in table), default=1)
    terms: list[Term] = []
    i = 0
    while i < len(ws):
        for n in range(min(longest, len(ws) - i), 0, -1):
            span = tuple(ws[i:i + n])
            if n > 1 and span not in table:
                continue
            other = table.get(span)
            terms.append(Term((span, other) if other else (span,)))
            i += n
            break
    if terms:
        last = terms[-1]
        alts = last.alternatives
        if len(alts) == 1 and len(alts[0]) == 1 and is_devanagari(alts[0][0]) and len(alts[0][0]) >= 2:
            # A Devanagari word still being typed ("लखन") also asks for the places it starts.
            start = alts[0][0]
            alts = (*alts, *[v for k, v in table.items() if len(k) == 1 and k[0] != start and k[0].startswith(start)
                             and not is_devanagari(v[0])][:5])
        terms[-1] = Term(alts, prefix=True)
    return terms


def _fts_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts5(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every term, each any of its phrases."""
    parts = []
    for term in terms:
        alts = []
        for alt in term.alternatives:
            phrase = " + ".join(_fts_word(w) for w in alt)
            alts.append(phrase + ("*" if term.prefix and alt == term.alternatives[0] else ""))
        parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
    return " AND ".join(parts)


def _ts_word(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def to_tsquery(terms: list[Term], weight: str = "") -> str:
    """A ``to_tsquery`` expression: every term (``&``), each any of its phrases (``|``, ``<->``); with a weight
    ("A": the title), only words of that weight match."""
    parts = []
    for term in terms:
        alts = []
        for alt in term.alternatives:
            words_ = []
            for i, w in enumerate(alt):
                # The last word of the first alternative may be unfinished ("Jhan" for Jhansi).
                suffix = ("*" if term.prefix and alt == term.alternatives[0] and i == len(alt) - 1 else "") + weight
                words_.append(_ts_word(w) + (":" + suffix if suffix else ""))
            phrase = " <-> ".join(words_)
            alts.append(phrase if len(alt) == 1 else "(" + phrase + ")")
        parts.append(alts[0] if len(alts) == 1 else "(" + " | ".join(alts) + ")")
    return " & ".join(parts)
