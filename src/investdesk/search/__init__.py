"""Full-text search over every record and document: SQLite FTS5 or PostgreSQL tsvector."""
