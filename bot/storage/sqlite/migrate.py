"""The SQLite migration runner: the numbered files in `migrations/sqlite/`, each applied in its own
transaction and recorded in `schema_migrations`."""

from __future__ import annotations

import time
from pathlib import Path

import aiosqlite

from bot.storage.errors import SchemaTooNewError
from bot.storage.schema import Migration, migrations_dir, refuse_newer
from bot.storage.schema import available_migrations as _available

MIGRATIONS_DIR = migrations_dir("sqlite")
__all__ = ["MIGRATIONS_DIR", "Migration", "SchemaTooNewError", "available_migrations", "migrate"]


def available_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    return _available(folder)


async def migrate(
    connection: aiosqlite.Connection, database: str, folder: Path = MIGRATIONS_DIR
) -> list[int]:
    """Apply every migration the database lacks, each in its own transaction; return the versions applied."""
    await connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"
    )
    rows = await connection.execute_fetchall("SELECT version FROM schema_migrations")
    applied = {row[0] for row in rows}
    known = available_migrations(folder)
    refuse_newer(applied, known, database)
    done = []
    for migration in known:
        if migration.version in applied:
            continue
        script = migration.path.read_text(encoding="utf-8")
        record = (
            f"INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({migration.version}, '{migration.name}', {int(time.time() * 1000)});"
        )
        try:
            await connection.executescript(f"BEGIN;\n{script}\n{record}\nCOMMIT;")
        except Exception:
            if connection.in_transaction:
                await connection.execute("ROLLBACK")
            # Several processes may start on one new database at once: the one that lost the race for the
            # write lock finds the migration applied by the other (its own attempt was rolled back whole).
            rows = await connection.execute_fetchall(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            )
            if rows:
                continue
            raise
        done.append(migration.version)
    return done
