"""The PostgreSQL store (asyncpg): the same Store port and guarantees as SQLite's, for several processes on
one database."""
