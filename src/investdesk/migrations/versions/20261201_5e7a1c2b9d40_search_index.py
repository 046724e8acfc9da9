"""Search index: one entry per record and document, matched by FTS5 (SQLite) or tsvector (PostgreSQL);
names in Devanagari for organizations and people

Revision ID: 5e7a1c2b9d40
Revises: de624bdb5196
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "5e7a1c2b9d40"
down_revision: str | None = "de624bdb5196"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One FTS5 index per kind of record, so that a query narrowed to a kind (and the expansion of a word typed half,
# "electr*") reads that kind's word lists only. Words are split at spaces and punctuation (hyphens too),
# Devanagari vowel signs kept inside their word (the M* categories), English words stemmed (porter), case and
# Latin accents ignored.
KINDS = ("organization", "person", "opportunity", "mou", "mission", "engagement", "document")
FTS5_TABLE = """CREATE VIRTUAL TABLE search_fts_{kind} USING fts5(title, body, content='search_entries',
content_rowid='id', tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'")"""
FTS5_TRIGGERS = [
    """CREATE TRIGGER search_entries_ai_{kind} AFTER INSERT ON search_entries WHEN new.kind = '{kind}' BEGIN
  INSERT INTO search_fts_{kind}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER search_entries_ad_{kind} AFTER DELETE ON search_entries WHEN old.kind = '{kind}' BEGIN
  INSERT INTO search_fts_{kind}(search_fts_{kind}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  END""",
    """CREATE TRIGGER search_entries_au_{kind} AFTER UPDATE ON search_entries WHEN old.kind = '{kind}' BEGIN
  INSERT INTO search_fts_{kind}(search_fts_{kind}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO search_fts_{kind}(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
]
# The title weighs more than the body (A over D) when results are ranked.
PG_FUNCTION = """CREATE FUNCTION search_entries_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Punctuation becomes a space first, as in the words of a query: the parser would otherwise read
  -- "<b>alert</b>" as tags, "report-77.txt" as a file name and "a@b.in" as an address, not as words.
  NEW.tsv := setweight(to_tsvector('english', regexp_replace(coalesce(NEW.title, ''), '[[:punct:]]+', ' ', 'g')), 'A')
          || setweight(to_tsvector('english', regexp_replace(left(coalesce(NEW.body, ''), 900000), '[[:punct:]]+', ' ',
                                                              'g')), 'D');
  NEW.tsv_title := to_tsvector('english', regexp_replace(coalesce(NEW.title, ''), '[[:punct:]]+', ' ', 'g'));
  -- The words are kept, not a second copy of the text: narrow rows are quick to count and rank.
  NEW.body := '';
  RETURN NEW;
END $$"""
PG_TRIGGER = """CREATE TRIGGER search_entries_tsv BEFORE INSERT OR UPDATE OF title, body ON search_entries
FOR EACH ROW EXECUTE FUNCTION search_entries_tsv()"""


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("subtitle", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tsv", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.Column("tsv_title", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_search_entries_kind_record_id")),
    )
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.add_column(sa.Column("name_hi", sa.String(length=300), nullable=True))
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("name_hi", sa.String(length=200), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for kind in KINDS:
            op.create_index(f"ix_search_entries_tsv_{kind}", "search_entries", ["tsv"], postgresql_using="gin",
                            postgresql_where=sa.text(f"kind = '{kind}'"))
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for kind in KINDS:
            op.execute(FTS5_TABLE.format(kind=kind))
            for trigger in FTS5_TRIGGERS:
                op.execute(trigger.format(kind=kind))
    # Records written before this revision are indexed by schema.upgrade (search.index.fill_if_empty).


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS search_entries_tsv ON search_entries")
        op.execute("DROP FUNCTION IF EXISTS search_entries_tsv()")
    else:
        for kind in KINDS:
            op.execute(f"DROP TABLE IF EXISTS search_fts_{kind}")
    op.drop_table("search_entries")
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("name_hi")
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.drop_column("name_hi")
