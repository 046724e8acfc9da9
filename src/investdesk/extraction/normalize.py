"""Names, acronyms and units: the one place where the package normalises them.

Pure functions only (no spaCy, no data files), so anything in the package can import them: the
extraction components, the scorer in ``evaluate.py`` and, later, other areas.

Three families live here. ``clean_name``, ``org_key``, ``acronym_of`` and ``looks_like_acronym`` serve
extraction (names as written, keys to merge mentions). ``norm``, ``norm_person``, ``norm_org``, ``initials``
and ``acronym_key`` are the contract's comparison rules ("How an extraction is scored"). ``normalize``,
``normalize_org`` and ``normalize_person`` make the lookup keys the knowledge base stores beside each name
(``normalized_name`` columns): they are the comparison rules over the same word lists, organizations also
dropping the European legal forms the scorer's list leaves out. Changing a list changes stored keys: a data
migration then recomputes them (see ``20261201_b4d2e8f1a6c3_recompute_name_keys``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# One unit of each amount unit the contract knows, in plain numbers (crore = 10^7, lakh = 10^5).
UNIT_FACTOR: dict[str | None, float] = {None: 1.0, "thousand": 1e3, "lakh": 1e5, "million": 1e6, "crore": 1e7,
                                        "billion": 1e9, "trillion": 1e12}

ACRONYM_STOPWORDS = frozenset({"of", "and", "&", "for", "the", "in"})
# Company endings dropped when organizations are compared ("Tanaka Electric Co., Ltd." = "Tanaka Electric"):
# exactly the contract scorer's list, so the dev score is the one the held-out set gets.
ORG_SUFFIXES = frozenset({"co", "ltd", "inc", "corp", "corporation", "limited", "pvt", "private", "llc", "plc",
                          "gmbh", "kk", "k.k", "company"})
# Legal forms a stored key drops: the same endings and the European ones ("Siemens AG" = "Siemens").
LEGAL_FORMS = ORG_SUFFIXES | {"ag", "sa", "bv", "nv"}
_KEY_DROP = ORG_SUFFIXES | {"the"}
# Titles dropped from a person's name when people are compared or keyed ("Dr. Asha Verma" = "Asha Verma").
HONORIFIC_WORDS = frozenset({"dr", "mr", "mrs", "ms", "shri", "smt", "prof", "hon", "sri", "sir", "h.e", "he"})
_HONORIFIC_PHRASES = re.compile(r"\b(his|her) (royal )?(excellency|highness)\b|\b(the )?hono(u)?rable\b|\bhon ble\b|"
                                r"\btan sri\b|\bdatuk seri\b|\bdato seri\b|\bdato sri\b|\bdatuk\b|\bdato\b|\bphd\b")
_QUOTES_DASHES = str.maketrans({"\u2019": "'", "\u2013": "-", "\u2014": "-", "\u2011": "-", "\u2010": "-"})
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


# --- names as written ---------------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """Names as written, without possessive, leading article or surrounding punctuation."""
    text = " ".join(text.replace("\u2019", "'").split())
    text = text.strip(" ,;:()[]\"“”")
    if text.lower().startswith("the "):
        text = text[4:]
    text = _POSSESSIVE.sub("", text).strip()
    # A sentence's full stop is not part of the name; "Co." and "K.K." keep theirs.
    if text.endswith(".") and not re.search(r"(\b(Co|Ltd|Inc|Corp|Bros|Pvt|Jr|Sr|St)|\.[A-Za-z])\.$", text):
        text = text[:-1].rstrip()
    return text


def org_key(text: str) -> str:
    """The key mentions of one organization share: lower case, no punctuation, no article or company ending."""
    text = re.sub(r"[^\w&\s-]", " ", text.lower().replace("'s", ""))
    return " ".join(w for w in text.split() if w not in _KEY_DROP)


def initials(words: list[str], *, letters_only: bool = False) -> str:
    """First characters of the words that are not stop-words ("of", "and", "&", "for", "the", "in")."""
    kept = [w for w in words if w and w.lower() not in ACRONYM_STOPWORDS]
    return "".join(w[0] for w in kept if not letters_only or w[0].isalpha())


def acronym_of(name: str) -> str:
    """Upper-case initials of a name as written: "Kansai Pharmaceutical Industries Association" -> "KPIA"."""
    return initials(re.split(r"[\s-]+", name), letters_only=True).upper()


def looks_like_acronym(text: str) -> bool:
    """One short word, (nearly) all capitals: "KPIA", "JETRO", "iNDEXTb"."""
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(text) <= 10 and len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 2 \
        and " " not in text


# --- the contract's comparison rules -------------------------------------------------------------------------


def norm(text: Any) -> str:
    """Lower-case NFKC words without punctuation (except ``&`` and ``-``), possessives or a leading "the"."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower().translate(_QUOTES_DASHES)
    s = re.sub(r"'s\b", "", s)
    words = re.sub(r"[^\w&\s-]", " ", s).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def norm_person(text: Any) -> str:
    """A person's name without honorifics ("Dr.", "Shri", "His Excellency", "Datuk Seri" ...)."""
    s = _HONORIFIC_PHRASES.sub(" ", norm(text).replace("'", " "))
    return " ".join(w for w in s.split() if w.strip(".") not in HONORIFIC_WORDS)


def norm_org(text: Any) -> str:
    """An organization's name without company suffixes (Co., Ltd., Inc., GmbH, K.K. ...)."""
    return " ".join(w for w in norm(text).split() if w.strip(".,") not in ORG_SUFFIXES)


def acronym_key(text: Any) -> str:
    """The initials an organization is compared by: "Kansai Pharmaceutical Industries Association" -> "kpia"."""
    return initials(re.split(r"[\s-]+", norm_org(text)))


# --- the knowledge base's stored lookup keys -------------------------------------------------------------------


def normalize(text: str | None) -> str:
    """The key of a name as written: ``norm``, the comparison rule (stored in ``organization_aliases``)."""
    return norm(text)


def normalize_org(name: str | None) -> str:
    """``norm`` less legal forms: "Tanaka Electric Co. Ltd." -> "tanaka electric", "Siemens AG" -> "siemens"."""
    return " ".join(t for t in norm(name).split() if t.strip(".,") not in LEGAL_FORMS)


def normalize_person(name: str | None) -> str:
    """``norm_person``: "Dr. Asha Verma" -> "asha verma", "His Excellency Datuk Seri Ahmad" -> "ahmad"."""
    return norm_person(name)


__all__ = ["ACRONYM_STOPWORDS", "HONORIFIC_WORDS", "LEGAL_FORMS", "ORG_SUFFIXES", "UNIT_FACTOR", "acronym_key",
           "acronym_of", "clean_name", "initials", "looks_like_acronym", "norm", "norm_org", "norm_person", "normalize",
           "normalize_org", "normalize_person", "org_key"]
