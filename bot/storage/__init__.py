"""Storage adapters behind the core's Store port: SQLite (`sqlite/`, the embedded default) and PostgreSQL
(`postgres/`, for several processes on one database), sharing their SQL where the dialects agree."""
