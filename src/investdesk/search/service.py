"""Search: the best-ranked records of each kind for a query, within what the reader may see."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session

from investdesk.i18n import N_, _
from investdesk.models import Document, Mou, SearchEntry
from investdesk.mous import service as mous
from investdesk.permissions import Actor, Perm, require
from investdesk.search import index, subtitles
from investdesk.search.query import Term, parse, to_fts5, to_tsquery, words
from investdesk.search.schemas import Group, Hit

LABELS = {"organization": N_("Organizations"), "person": N_("People"), "opportunity": N_("Opportunities"),
          "mou": N_("MoUs"), "mission": N_("Missions"), "engagement": N_("Meetings"), "document": N_("Documents")}
URLS = {"organization": "/organizations", "person": "/people", "opportunity": "/opportunities", "mou": "/mous",
        "mission": "/missions", "engagement": "/engagements", "document": "/documents"}
# A scoped reader's MoU hits are checked against their scope after ranking: this many are looked at.
SCOPED_POOL = 200
# Up to this many matches of a kind are ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL); a word found
# in more ("unit", "delegation") lists the newest records whose title has it, then the newest others: ranking
# 100,000 matches would cost seconds and tell little.
RANK_CAP = 3000
SNIPPET = 160


def _fts(kind: str, sql: str) -> TextClause:
    """A query on the kind's own FTS5 table (search_fts_<kind>, made by the migration)."""
    table = f"search_fts_{kind}"
    return text(sql.replace("{where}", f"{table} MATCH :m").replace("{fts}", table)
                .replace("{rank}", f"bm25({table}, 10.0, 1.0)"))


_SQLITE = {kind: (_fts(kind, "SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {where} LIMIT :cap)"),
                  _fts(kind, "SELECT rowid, -{rank} FROM {fts} WHERE {where} ORDER BY {rank} LIMIT :n"),
                  _fts(kind, "SELECT rowid, 0.0 FROM {fts} WHERE {where} ORDER BY rowid DESC LIMIT :n"))
           for kind in index.KINDS}


def _pg(kind: str, sql: str) -> TextClause:
    """A query on the kind's entries, written with the kind itself so the planner picks the kind's GIN index."""
    return text(sql.replace("{where}", f"kind = '{kind}' AND tsv @@ to_tsquery('english', :m)"))


# No LIMIT in the count: with one, the planner may read the table in order hoping to stop early.
_PG = {kind: (_pg(kind, "SELECT count(*) FROM search_entries WHERE {where}"),
              _pg(kind, "SELECT id, ts_rank(tsv, to_tsquery('english', :m)) AS r FROM search_entries "
                        "WHERE {where} ORDER BY r DESC, id DESC LIMIT :n"),
              _pg(kind, "SELECT id, 0.0 FROM search_entries WHERE {where} ORDER BY record_id DESC LIMIT :n"),
              text(f"SELECT id, 0.0 FROM search_entries WHERE kind = '{kind}' AND tsv_title @@ "
                   "to_tsquery('english', :m) ORDER BY record_id DESC LIMIT :n"))
       for kind in index.KINDS}


def _kind_hits(session: Session, kind: str, terms: list[Term], n: int) -> tuple[list[tuple[int, float]], int]:
    """The best ``n`` entries of one kind as (entry id, rank), and how many match (counted up to RANK_CAP + 1)."""
    if session.get_bind().dialect.name == "postgresql":
        count, ranked, newest, newest_in_title = _PG[kind]
        args: dict[str, Any] = {"m": to_tsquery(terms)}
        in_title = args
    else:
        count, ranked, newest = _SQLITE[kind]
        newest_in_title = newest
        args = {"m": to_fts5(terms)}
        in_title = {**args, "m": "{title} : (" + to_fts5(terms) + ")"}
    total = session.scalar(count, {**args, "cap": RANK_CAP + 1}) or 0
    if total == 0:
        return [], 0
    if total <= RANK_CAP:
        return [(i, float(r)) for i, r in session.execute(ranked, {**args, "n": n})], total
    rows = [(i, 1.0) for i, _ in session.execute(newest_in_title, {**in_title, "n": n})]
    if len(rows) < n:
        seen = {i for i, _ in rows}
        rows += [(i, 0.0) for i, _ in session.execute(newest, {**args, "n": n}) if i not in seen][:n - len(rows)]
    return rows, total


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


def search(session: Session, *, actor: Actor, q: str, limit: int = 10,
           kinds: Sequence[str] | None = None) -> list[Group]:
    """Each kind of record matching the query: its best ``limit`` hits, ranked, and whether there are more.
    MoUs outside a nodal officer's districts and departments are left out."""
    require(actor, Perm.read)
    terms = parse(q)
    if not terms:
        return []
    scoped = not actor.has(Perm.read_all_mous)
    ranked: dict[str, list[tuple[int, float]]] = {}
    totals: dict[str, int] = {}
    for kind in kinds or LABELS:
        n = SCOPED_POOL if scoped and kind == "mou" else limit + 1
        ranked[kind], totals[kind] = _kind_hits(session, kind, terms, n)
    ids = [i for hits in ranked.values() for i, _ in hits]
    shown = {row.id: row for row in session.execute(
        select(SearchEntry.id, SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.subtitle)
        .where(SearchEntry.id.in_(ids)))} if ids else {}
    by_kind: dict[str, list[Hit]] = {}
    for kind, hits in ranked.items():
        by_kind[kind] = [Hit(kind=kind, id=shown[i].record_id, title=shown[i].title, subtitle=shown[i].subtitle,
                             url=f"{URLS[kind]}/{shown[i].record_id}", rank=rank) for i, rank in hits if i in shown]
    if scoped and by_kind.get("mou"):
        ids = [h.id for h in by_kind["mou"]]
        allowed = set(session.scalars(mous.scoped(select(Mou.id).where(Mou.id.in_(ids)), actor)))
        by_kind["mou"] = [h for h in by_kind["mou"] if h.id in allowed]
    docs = by_kind.get("document", [])[:limit]
    if docs:
        rows_ = session.execute(select(Document.id, Document.text).where(Document.id.in_([d.id for d in docs])))
        bodies: dict[int, str] = {did: body for did, body in rows_}
        for d in docs:
            d.snippet = snippet(bodies.get(d.id) or "", q)
    subtitles.localise(session, [h for found in by_kind.values() for h in found[:limit]])
    groups = []
    for kind, found in by_kind.items():
        total = len(found) if kind == "mou" and scoped else totals[kind]
        name = _(LABELS[kind])
        noun = name if kind == "mou" else name.lower()
        groups.append(Group(kind=kind, label=name, noun=noun, hits=found[:limit], more=len(found) > limit,
                            total=min(total, RANK_CAP), capped=total > RANK_CAP,
                            all_url=f"/search?q={quote(q)}&kind={kind}" if len(found) > limit else ""))
    return groups


def search_kind(session: Session, *, actor: Actor, q: str, kind: str, limit: int = 100) -> Group | None:
    """One kind's hits only, up to ``limit`` (the "See all" of a group)."""
    if kind not in LABELS:
        return None
    groups = search(session, actor=actor, q=q, limit=limit, kinds=[kind])
    return groups[0] if groups else None


def rebuild_index(session: Session, *, actor: Actor) -> dict[str, int]:
    """Write the whole search index again from the records; the entries per kind."""
    require(actor, Perm.admin)
    return index.rebuild(session)
