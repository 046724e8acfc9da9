"""Search: the best-ranked records of each kind for a query, within what the reader may see."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from sqlalchemy import Select, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from investdesk.models import Document, Mou, SearchEntry
from investdesk.mous import service as mous
from investdesk.permissions import Actor, Perm, require
from investdesk.search import index
from investdesk.search.query import Term, parse, to_fts5, to_tsquery, words
from investdesk.search.schemas import Group, Hit

LABELS = {"organization": "Organizations", "person": "People", "opportunity": "Opportunities", "mou": "MoUs",
          "mission": "Missions", "engagement": "Meetings", "document": "Documents"}
URLS = {"organization": "/organizations", "person": "/people", "opportunity": "/opportunities", "mou": "/mous",
        "mission": "/missions", "engagement": "/engagements", "document": "/documents"}
# A scoped reader's MoU hits are checked against their scope after ranking: this many are ranked per kind.
SCOPED_POOL = 200
SNIPPET = 160


def _ranked(session: Session, terms: list[Term], per_kind: int) -> Select[Any]:
    """(kind, record id, title, subtitle, rank) of the best ``per_kind`` matches of each kind, best first."""
    if session.get_bind().dialect.name == "postgresql":
        query = func.to_tsquery(literal_column("'english'"), to_tsquery(terms))
        rank = func.ts_rank_cd(SearchEntry.tsv, query)
        inner = select(SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.subtitle,
                       rank.label("rank"), func.row_number().over(partition_by=SearchEntry.kind,
                                                                  order_by=rank.desc()).label("n")
                       ).where(SearchEntry.tsv.op("@@")(query))
    else:
        # bm25 is smaller for better matches; the title counts ten times the body.
        fts = table("search_fts", column("rowid"))
        matched = select(fts.c.rowid.label("entry_id"), literal_column("-bm25(search_fts, 10.0, 1.0)").label("rank")
                         ).select_from(fts).where(literal_column("search_fts").op("MATCH")(to_fts5(terms))).subquery()
        inner = select(SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.subtitle,
                       matched.c.rank, func.row_number().over(partition_by=SearchEntry.kind,
                                                              order_by=matched.c.rank.desc()).label("n")
                       ).join(matched, SearchEntry.id == matched.c.entry_id)
    sub = inner.subquery()
    return select(sub.c.kind, sub.c.record_id, sub.c.title, sub.c.subtitle, sub.c.rank).where(
        sub.c.n <= per_kind).order_by(sub.c.kind, sub.c.rank.desc())


def snippet(body: str, q: str, width: int = SNIPPET) -> str:
    """The stretch of a document's text around the first word of the query it contains."""
    folded = unicodedata.normalize("NFC", body).casefold()
    at = -1
    for word in words(q):
        at = folded.find(word[:max(4, len(word) - 2)])
        if at >= 0:
            break
    if at < 0:
        return ""
    start = max(0, at - width // 3)
    piece = " ".join(body[start:start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


def search(session: Session, *, actor: Actor, q: str, limit: int = 10) -> list[Group]:
    """Each kind of record matching the query: its best ``limit`` hits, ranked, and whether there are more.
    MoUs outside a nodal officer's districts and departments are left out."""
    require(actor, Perm.read)
    terms = parse(q)
    if not terms:
        return []
    scoped = not actor.has(Perm.read_all_mous)
    per_kind = max(limit + 1, SCOPED_POOL if scoped else 0)
    rows = session.execute(_ranked(session, terms, per_kind)).all()
    by_kind: dict[str, list[Hit]] = {kind: [] for kind in LABELS}
    for kind, rid, title, subtitle, rank in rows:
        by_kind[kind].append(Hit(kind=kind, id=rid, title=title, subtitle=subtitle, url=f"{URLS[kind]}/{rid}",
                                 rank=float(rank or 0)))
    if scoped and by_kind["mou"]:
        ids = [h.id for h in by_kind["mou"]]
        allowed = set(session.scalars(mous.scoped(select(Mou.id).where(Mou.id.in_(ids)), actor)))
        by_kind["mou"] = [h for h in by_kind["mou"] if h.id in allowed]
    docs = by_kind["document"][:limit]
    if docs:
        rows_ = session.execute(select(Document.id, Document.text).where(Document.id.in_([d.id for d in docs])))
        bodies: dict[int, str] = {did: text for did, text in rows_}
        for d in docs:
            d.snippet = snippet(bodies.get(d.id) or "", q)
    groups = []
    for kind, hits in by_kind.items():
        groups.append(Group(kind=kind, label=LABELS[kind], hits=hits[:limit], more=len(hits) > limit,
                            all_url=f"/search?q={quote(q)}&kind={kind}" if len(hits) > limit else ""))
    return groups


def search_kind(session: Session, *, actor: Actor, q: str, kind: str, limit: int = 100) -> Group | None:
    """One kind's hits only, up to ``limit`` (the "See all" of a group)."""
    if kind not in LABELS:
        return None
    for group in search(session, actor=actor, q=q, limit=limit):
        if group.kind == kind:
            return group
    return None


def rebuild_index(session: Session, *, actor: Actor) -> dict[str, int]:
    """Write the whole search index again from the records; the entries per kind."""
    require(actor, Perm.admin)
    return index.rebuild(session)
