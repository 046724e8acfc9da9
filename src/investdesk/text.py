"""Name normalisation shared by lookups and entity resolution."""

from __future__ import annotations

import re
import unicodedata

_COMPANY_SUFFIXES = {"co", "ltd", "inc", "corp", "corporation", "limited", "pvt", "private", "llc", "plc",
                     "gmbh", "kk", "company", "ag", "sa", "bv", "nv"}
_HONORIFICS = {"dr", "mr", "mrs", "ms", "shri", "smt", "prof", "sri", "sir", "hon"}


def normalize(text: str | None) -> str:
    """Lower case, NFKC, punctuation dropped except ``&`` and ``-``, no possessive, no leading "the"."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w&\s-]", " ", s)
    tokens = s.split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def normalize_org(name: str | None) -> str:
    """``normalize`` less company suffixes: "Tanaka Electric Co. Ltd." -> "tanaka electric"."""
    tokens = [t for t in normalize(name).split() if t not in _COMPANY_SUFFIXES]
    return " ".join(tokens)


def normalize_person(name: str | None) -> str:
    tokens = [t for t in normalize(name).split() if t not in _HONORIFICS]
    return " ".join(tokens)
