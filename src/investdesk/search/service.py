"""Search: the best-ranked records of each kind for a query, within what the reader may see."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from sqlalchemy import TextClause, select, text
from sqlalchemy.orm import Session

from investdesk.i18n import N_, _
from investdesk.models import Document, Mou, SearchEntry
from investdesk.mous import service as mous
from investdesk.paging import PageParams, Pager
from investdesk.permissions import Actor, Perm, require
from investdesk.search import index, subtitles
from investdesk.search.query import Term, parse, to_fts5, to_tsquery, words
from investdesk.search.schemas import Group, Hit

LABELS = {"organization": N_("Organizations"), "person": N_("People"), "opportunity": N_("Opportunities"),
          "mou": N_("MoUs"), "mission": N_("Missions"), "engagement": N_("Meetings"), "document": N_("Documents")}
URLS = {"organization": "/organizations", "person": "/people", "opportunity": "/opportunities", "mou": "/mous",
        "mission": "/missions", "engagement": "/engagements", "document": "/documents"}
# Up to this many matches of a kind are ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL); a word found
# in more ("unit", "delegation") lists the newest records whose title has it, then the newest others: ranking
# 100,000 matches would cost seconds and tell little. Matches are counted up to it too ("more than 1,000"), and a
# kind's pages reach no further.
RANK_CAP = 1000
SNIPPET = 160


@lru_cache(maxsize=64)
def _sqlite_sql(kind: str, scoped: bool) -> tuple[TextClause, TextClause]:
    """On the kind's own FTS5 table (search_fts_<kind>, made by the migration): the newest :cap matches (FTS5 reads
    them in rowid order and stops at the limit), which give the count (up to the cap) and the newest; and the best
    ranked, asked only when no more than the cap match. Scoped: only the entries of the record ids in the JSON
    array :within (``+rowid``: checked on each match, not looked up one by one)."""
    table = f"search_fts_{kind}"
    where = f"{table} MATCH :m" + (" AND +rowid IN (SELECT :base + value FROM json_each(:within))" if scoped else "")
    rank = f"bm25({table}, 10.0, 1.0)"
    return (text(f"SELECT rowid FROM {table} WHERE {where} ORDER BY rowid DESC LIMIT :cap"),
            text(f"SELECT rowid, -{rank} FROM {table} WHERE {where} ORDER BY {rank}, rowid DESC LIMIT :n"))


@lru_cache(maxsize=64)
def _pg_sql(kind: str, scoped: bool) -> tuple[str, str, str, str]:
    """The same on PostgreSQL as parts of the statements that ask for every kind at once (a round trip each): the
    count (up to :cap), the best ranked, the newest, the newest title matches. Each names its kind so the planner
    picks the kind's GIN index; title matches come from the titles' GIN index."""
    scope = " AND record_id = ANY(:within)" if scoped else ""
    where = f"kind = '{kind}' AND tsv @@ to_tsquery('english', :m){scope}"
    return (f"(SELECT count(*) FROM (SELECT 1 FROM search_entries WHERE {where} LIMIT :cap) AS found)",
            f"(SELECT '{kind}' AS kind, id, ts_rank(tsv, to_tsquery('english', :m)) AS r FROM search_entries "
            f"WHERE {where} ORDER BY r DESC, id DESC LIMIT :n)",
            f"(SELECT '{kind}' AS kind, id, 0.0 AS r FROM search_entries WHERE {where} ORDER BY record_id DESC "
            "LIMIT :n)",
            f"ARRAY(SELECT id FROM search_entries WHERE kind = '{kind}' AND tsv_title @@ to_tsquery('english', :m)"
            f"{scope} ORDER BY record_id DESC LIMIT :n)")


# Counts stopped at RANK_CAP + 1 and the newest title matches would be planned as scans in table or id order
# hoping to stop early, testing every entry's words (a second and more when few match): they are planned with
# only the GIN indexes' matches to read, and the planner's settings are put back by the statement that reads the
# titles (set_config applies to the statements after it).
_PG_BITMAP_ONLY = text("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), "
                       "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
_PG_PLANNER_BACK = "set_config('enable_seqscan', :s, true), set_config('enable_indexscan', :i, true)"


class _Query:
    """A query's SQL and arguments for one kind on the session's backend."""

    def __init__(self, session: Session, kind: str, terms: list[Term], within: list[int] | None) -> None:
        scoped = within is not None
        self.pg = session.get_bind().dialect.name == "postgresql"
        if self.pg:
            self.count, self.ranked, self.newest, self.titled = _pg_sql(kind, scoped)
            self.args: dict[str, Any] = {"m": to_tsquery(terms)} | ({"within": within} if scoped else {})
        else:
            self.scan, self.ranked_fts = _sqlite_sql(kind, scoped)
            self.args = {"m": to_fts5(terms)}
            if scoped:
                self.args |= {"within": json.dumps(within), "base": index.entry_id(kind, 0)}
            self.in_title = {**self.args, "m": "{title} : (" + to_fts5(terms) + ")"}


def _hits(session: Session, queries: dict[str, _Query], n: int) -> tuple[dict[str, list[tuple[int, float]]],
                                                                           dict[str, int]]:
    """The best ``n`` entries of each kind as (entry id, rank), and how many match (counted up to RANK_CAP + 1).
    No more than RANK_CAP matches: ranked; more: the newest with the words in their title, then the newest others."""
    if not any(q.pg for q in queries.values()):
        return _sqlite_hits(session, queries, n)
    kinds = list(queries)
    args: dict[str, Any] = {"cap": RANK_CAP + 1, "n": n}
    for q in queries.values():
        args |= q.args
    seqscan, indexscan, *_ = session.execute(_PG_BITMAP_ONLY).one()
    back = {"s": seqscan, "i": indexscan}
    counted = session.execute(text("SELECT " + ", ".join(queries[k].count for k in kinds)), args).one()
    totals = {k: int(c or 0) for k, c in zip(kinds, counted, strict=True)}
    capped = [k for k in kinds if totals[k] > RANK_CAP]
    row = session.execute(text("SELECT " + ", ".join([*(queries[k].titled for k in capped), _PG_PLANNER_BACK])),
                          args | back).one()
    titled = {k: [(int(i), 1.0) for i in ids or []] for k, ids in zip(capped, row[:len(capped)], strict=True)}
    parts = [queries[k].newest if k in titled else queries[k].ranked for k in kinds if totals[k]]
    found: dict[str, list[tuple[int, float]]] = {k: [] for k in kinds}
    if parts:
        for kind, i, r in session.execute(text(" UNION ALL ".join(parts)), args):
            found[kind].append((int(i), float(r)))
    out = {k: _title_first(titled[k], [i for i, _ in found[k]], n) if k in titled else found[k] for k in kinds}
    return out, totals


def _title_first(titled: list[tuple[int, float]], newest: list[int], n: int) -> list[tuple[int, float]]:
    seen = {i for i, _ in titled}
    return titled + [(i, 0.0) for i in newest if i not in seen][:max(0, n - len(titled))]


def _sqlite_hits(session: Session, queries: dict[str, _Query], n: int) -> tuple[dict[str, list[tuple[int, float]]],
                                                                               dict[str, int]]:
    out: dict[str, list[tuple[int, float]]] = {}
    totals: dict[str, int] = {}
    for kind, q in queries.items():
        newest = list(session.scalars(q.scan, {**q.args, "cap": RANK_CAP + 1}))
        totals[kind] = len(newest)
        if not newest:
            out[kind] = []
        elif len(newest) <= RANK_CAP:
            out[kind] = [(int(i), float(r)) for i, r in session.execute(q.ranked_fts, {**q.args, "n": n}).all()]
        else:
            titled = [(int(i), 1.0) for i in session.scalars(q.scan, {**q.in_title, "cap": n})]
            out[kind] = _title_first(titled, newest, n)
    return out, totals


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


def search(session: Session, *, actor: Actor, q: str, limit: int = 10, offset: int = 0,
           kinds: Sequence[str] | None = None) -> list[Group]:
    """Each kind of record matching the query: its best ``limit`` hits (after the first ``offset``), ranked,
    and how many match. MoUs outside a nodal officer's districts and departments are neither shown nor counted."""
    require(actor, Perm.read)
    terms = parse(q)
    if not terms:
        return []
    within: list[int] | None = None
    if not actor.has(Perm.read_all_mous) and (kinds is None or "mou" in kinds):
        within = list(session.scalars(mous.scoped(select(Mou.id), actor)))
    queries = {kind: _Query(session, kind, terms, within if kind == "mou" else None) for kind in kinds or LABELS
               if not (kind == "mou" and within == [])}
    best, totals = _hits(session, queries, min(offset, RANK_CAP) + limit + 1)
    ranked = {kind: best.get(kind, [])[offset:] for kind in kinds or LABELS}
    totals = {kind: totals.get(kind, 0) for kind in ranked}
    ids = [i for hits in ranked.values() for i, _ in hits[:limit]]
    shown = {row.id: row for row in session.execute(
        select(SearchEntry.id, SearchEntry.kind, SearchEntry.record_id, SearchEntry.title, SearchEntry.subtitle)
        .where(SearchEntry.id.in_(ids)))} if ids else {}
    by_kind: dict[str, list[Hit]] = {}
    for kind, hits in ranked.items():
        by_kind[kind] = [Hit(kind=kind, id=shown[i].record_id, title=shown[i].title, subtitle=shown[i].subtitle,
                             url=f"{URLS[kind]}/{shown[i].record_id}", rank=rank) for i, rank in hits[:limit]
                         if i in shown]
    docs = by_kind.get("document", [])
    if docs:
        rows_ = session.execute(select(Document.id, Document.text).where(Document.id.in_([d.id for d in docs])))
        bodies: dict[int, str] = {did: body for did, body in rows_}
        for d in docs:
            d.snippet = snippet(bodies.get(d.id) or "", q)
    subtitles.localise(session, [h for found in by_kind.values() for h in found[:limit]])
    groups = []
    for kind, found in by_kind.items():
        more = len(ranked[kind]) > limit
        name = _(LABELS[kind])
        noun = name if kind == "mou" else name.lower()
        groups.append(Group(kind=kind, label=name, noun=noun, hits=found, more=more,
                            total=min(totals[kind], RANK_CAP), capped=totals[kind] > RANK_CAP,
                            all_url=f"/search?q={quote(q)}&kind={kind}" if more or offset else ""))
    return groups


def search_kind(session: Session, *, actor: Actor, q: str, kind: str,
                page: PageParams | None = None) -> tuple[Group | None, Pager]:
    """One page of one kind's hits (the "See all" of a group), and the pager: pages reach as far as the matches
    are counted (RANK_CAP); past the last page, the last page."""
    page = page or PageParams()
    none = Pager(page=1, per_page=page.per_page, total=0)
    if kind not in LABELS:
        return None, none
    last = max(1, -(-RANK_CAP // page.per_page))
    number = min(page.page, last)
    groups = search(session, actor=actor, q=q, limit=page.per_page, offset=(number - 1) * page.per_page,
                    kinds=[kind])
    if not groups:
        return None, none
    group = groups[0]
    pager = Pager(page=number, per_page=page.per_page, total=group.total)
    if not group.hits and group.total and number > pager.pages:  # past the end: the last page
        return search_kind(session, actor=actor, q=q, kind=kind,
                           page=PageParams(page=pager.pages, per_page=page.per_page))
    return group, pager


def rebuild_index(session: Session, *, actor: Actor) -> dict[str, int]:
    """Write the whole search index again from the records; the entries per kind."""
    require(actor, Perm.admin)
    return index.rebuild(session)
