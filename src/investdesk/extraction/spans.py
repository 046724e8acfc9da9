"""Capitalised runs of tokens: the raw material of names (organizations, people, places, policies)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

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
