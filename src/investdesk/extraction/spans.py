"""Capitalised runs of tokens: the raw material of names (organizations, people, places, policies)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from investdesk.extraction.lexicon import PORTFOLIO_WORDS
from investdesk.extraction.normalize import acronym_of, clean_name, looks_like_acronym

CONNECTORS = {"of", "and", "&", "for", "the", "de", "du", "la", "von", "van", "der", "-", "'s"}
_LEADING_NOISE = {"DET", "ADP", "ADV", "PRON", "CCONJ", "SCONJ", "AUX", "VERB", "PART", "INTJ", "NUM"}
_SENT_OPENERS = {"in", "at", "on", "the", "a", "an", "during", "while", "after", "before", "additionally", "also",
                 "meanwhile", "earlier", "later", "further", "furthermore", "moreover", "besides", "with", "for",
                 "from", "to", "by", "as", "these", "this", "those", "that", "their", "his", "her", "its", "our",
                 "both", "other", "several", "many", "some", "all", "each", "every", "over", "about", "around",
                 "among", "under", "between", "following", "according", "addressing", "speaking", "highlighting",
                 "describing", "calling", "since", "through", "amid", "despite", "however", "thus"}


@dataclass
class Run:
    """A capitalised name-like run of tokens inside one sentence."""

    span: Span

    @property
    def text(self) -> str:
        return clean_name(self.span.text)

    @property
    def head(self) -> str:
        return self.span[-1].text.lower().rstrip(".")


def is_cap(tok: Token) -> bool:
    t = tok.text
    if not t or not (t[0].isupper() or (t[0].isdigit() and any(c.isalpha() for c in t))):
        return False
    return tok.pos_ != "PUNCT" or t in {"&"}


def _joinable_hyphen(doc: Doc, i: int) -> bool:
    """A hyphen written without spaces joins two parts of one name ("Link-J", "Sato-Shoji")."""
    tok = doc[i]
    return tok.text in {"-", "–"} and i > 0 and not doc[i - 1].whitespace_ and not tok.whitespace_


_MISSIONS = {"embassy", "consulate", "consulate-general", "commission", "mission", "ministry", "government"}
_BODIES = {"department", "ministry", "directorate", "bureau", "commission", "council", "board"}


def _remit_list(doc: Doc, i: int, j: int, end: int) -> bool:
    """Whether the comma at ``j`` continues a body's list of remits: "Ministry of Economic Affairs, Regional
    Development and Energy", "Industries, Energy & Labour Department"; the words after the comma are remit
    words up to an "and" or "&" and the list's last item."""
    run = [t.lower_ for t in doc[i:j]]
    opened = any(a in _BODIES and b == "of" for a, b in zip(run, run[1:], strict=False))
    remits = all(w in PORTFOLIO_WORDS or w in {"and", "&", ","} for w in run)
    if not (opened or remits) or j + 1 >= end or doc[j + 1].lower_ not in PORTFOLIO_WORDS or not is_cap(doc[j + 1]):
        return False
    k = j + 1
    while k < end and (is_cap(doc[k]) or doc[k].text == ","):
        k += 1
    if k + 1 >= end or doc[k].lower_ not in {"and", "&"} or not is_cap(doc[k + 1]):
        return False
    if opened:
        return True
    k += 1
    while k < end and is_cap(doc[k]):
        k += 1
    return doc[k - 1].lower_ in _BODIES


def cap_runs(sent: Span) -> list[Run]:
    """Maximal runs of capitalised tokens joined by connectors, leading sentence openers removed."""
    doc = sent.doc
    runs: list[Run] = []
    i, end = sent.start, sent.end
    # "Chicago-based Lakeshore Polymers": where a company is based is part of no name.
    based = {k + d for k in range(i, end - 1) if doc[k].text in {"-", "–"} and doc[k + 1].lower_ == "based"
             for d in (-1, 0, 1)}
    while i < end:
        if not is_cap(doc[i]) or i in based:
            i += 1
            continue
        j = i + 1
        while j < end:
            tok = doc[j]
            if j in based or (j + 1 < end and j + 1 in based and tok.lower_ in CONNECTORS):
                break
            if is_cap(tok) or _joinable_hyphen(doc, j) or (j > 0 and doc[j - 1].text in {"-"} and not
                                                             doc[j - 1].whitespace_):
                j += 1
                continue
            if tok.lower_ in CONNECTORS and tok.text not in {"-"} and j + 1 < end and is_cap(doc[j + 1]) and \
                    tok.lower_ != "'s":
                j += 1
                continue
            if tok.lower_ == "of" and j + 2 < end and doc[j + 1].lower_ == "the" and is_cap(doc[j + 2]) and \
                    doc[j - 1].lower_ in _MISSIONS:
                j += 2  # "Embassy of the Republic of Korea"
                continue
            if tok.text in {"'", "’"} and doc[j - 1].text.endswith("s") and not doc[j - 1].whitespace_ and \
                    j + 1 < end and is_cap(doc[j + 1]) and tok.whitespace_:
                j += 1  # "Indian Merchants' Chamber"
                continue
            if tok.text == "," and _remit_list(doc, i, j, end):
                j += 1  # "Department of Industries, Commerce & Public Enterprises": one body, a list of remits
                continue
            if tok.text == "," and j + 1 < end and doc[j - 1].lower_.rstrip(".") == "co" and \
                    doc[j + 1].lower_.rstrip(".") in {"ltd", "limited", "inc"}:
                j += 1  # "Hoshino Seiki Co., Ltd.": one legal ending
                continue
            if tok.text == "." and j > i and len(doc[j - 1].text) <= 3 and not doc[j - 1].whitespace_:
                j += 1
                continue
            break
        start = i
        # Drop sentence openers and other function words at the front ("In Osaka", "The Governor").
        while start < j and (doc[start].lower_ in _SENT_OPENERS or
                             (doc[start].is_sent_start and doc[start].pos_ in _LEADING_NOISE)):
            start += 1
        stop = j
        while stop > start and doc[stop - 1].lower_ in CONNECTORS:
            stop -= 1
        if stop > start:
            runs.append(Run(doc[start:stop]))
        i = j
    return runs


__all__ = ["CONNECTORS", "Run", "acronym_of", "cap_runs", "clean_name", "is_cap", "looks_like_acronym"]
