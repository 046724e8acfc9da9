"""Cheaper writes of MoUs and search entries: two MoU indexes that others begin with dropped, and the title's
words made once per search entry on PostgreSQL

``ix_mous_district`` and ``ix_mous_sector_id`` index the first column of ``ix_mous_district_status_updated_amount``
and ``ix_mous_sector_status_amount``: every query (and every foreign-key check) they served reads the wider
index as well, and each MoU written paid for two more index entries.

The search trigger turned the title into words twice, once weighted for ``tsv`` and once for ``tsv_title``: it
now makes ``tsv_title`` first and weights that (the same vectors; a third less work per entry written).

Revision ID: 7c3e5a9d1f24
Revises: b4d2e8f1a6c3
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c3e5a9d1f24"
down_revision: str | None = "b4d2e8f1a6c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WORDS = "to_tsvector('english', regexp_replace({text}, '[[:punct:]]+', ' ', 'g'))"
_TITLE = _WORDS.format(text="coalesce(NEW.title, '')")
_BODY = _WORDS.format(text="left(coalesce(NEW.body, ''), 900000)")
PG_FUNCTION = f"""CREATE OR REPLACE FUNCTION search_entries_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Punctuation becomes a space first, as in the words of a query: the parser would otherwise read
  -- "<b>alert</b>" as tags, "report-77.txt" as a file name and "a@b.in" as an address, not as words.
  NEW.tsv_title := {_TITLE};
  NEW.tsv := setweight(NEW.tsv_title, 'A') || setweight({_BODY}, 'D');
  -- The words are kept, not a second copy of the text: narrow rows are quick to count and rank.
  NEW.body := '';
  RETURN NEW;
END $$"""
PG_FUNCTION_BEFORE = f"""CREATE OR REPLACE FUNCTION search_entries_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.tsv := setweight({_TITLE}, 'A') || setweight({_BODY}, 'D');
  NEW.tsv_title := {_TITLE};
  NEW.body := '';
  RETURN NEW;
END $$"""


def upgrade() -> None:
    with op.batch_alter_table("mous") as batch_op:
        batch_op.drop_index("ix_mous_district")
        batch_op.drop_index("ix_mous_sector_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION_BEFORE)
    with op.batch_alter_table("mous") as batch_op:
        batch_op.create_index("ix_mous_sector_id", ["sector_id"], unique=False)
        batch_op.create_index("ix_mous_district", ["district"], unique=False)
