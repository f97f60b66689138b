"""The PostgreSQL migration runner: the numbered files in `migrations/postgres/` (the same version numbers as
SQLite's), each applied in its own transaction and recorded in `schema_migrations`. The whole run holds a
session advisory lock, so several processes starting at once on one database migrate it exactly once:
the others wait, then find every version applied."""

from __future__ import annotations

import time
from pathlib import Path

import asyncpg

from bot.storage.schema import Migration, available_migrations, migrations_dir, refuse_newer

MIGRATIONS_DIR = migrations_dir("postgres")
CONNECT_SECONDS = 10
MIGRATION_LOCK = 0x5354_5544_5942_4F54  # "STUDYBOT": the advisory lock key every study-bot process uses


async def migrate(connection: asyncpg.Connection, database: str, folder: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply every migration the database lacks; return the versions applied. `database` names the database
    in errors (a redacted URL)."""
    await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
    try:
        await connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        )
        applied = {row[0] for row in await connection.fetch("SELECT version FROM schema_migrations")}
        known: list[Migration] = available_migrations(folder)
        refuse_newer(applied, known, database)
        done = []
        for migration in known:
            if migration.version in applied:
                continue
            script = migration.path.read_text(encoding="utf-8")
            async with connection.transaction():
                await connection.execute(script)  # no arguments: the simple protocol runs several statements
                await connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    migration.version, migration.name, int(time.time() * 1000),
                )  # fmt: skip
            done.append(migration.version)
        return done
    finally:
        await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)


async def migrate_url(url: str) -> list[tuple[int, str]]:
    """`study-bot migrate` on PostgreSQL: connect, migrate, and return the versions recorded."""
    from bot.storage.postgres.url import redacted

    connection = await connect(url)
    try:
        await migrate(connection, redacted(url))
        rows = await connection.fetch("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row[0], row[1]) for row in rows]
    finally:
        await connection.close()


async def connect(url: str) -> asyncpg.Connection:
    """One connection, or DatabaseUnusableError saying which server (password hidden) and why."""
    from bot.storage.postgres.url import unusable

    try:
        return await asyncpg.connect(url, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
        raise unusable(url, exc) from None
