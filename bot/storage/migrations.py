"""Numbered SQL files in `migrations/`, applied in order and recorded in the database."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"
_NAME = re.compile(r"^(\d+)_([\w-]+)\.sql$")


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the bot than this one."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path


def available_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in folder.glob("*.sql"):
        match = _NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise ValueError(f"two migrations in {folder} share a number: {versions}")
    return found


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
    newest_known = max((m.version for m in known), default=0)
    if applied and max(applied) > newest_known:
        raise SchemaTooNewError(
            f"the database {database} has schema version {max(applied)}, newer than this version of study-bot "
            f"knows ({newest_known}): upgrade study-bot, or point it at another database"
        )
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
