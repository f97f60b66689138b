"""Copying a whole database from one store to another (SQLite to PostgreSQL and back): `study-bot db copy`.

Both databases are first migrated to this version's schema (the same numbered migrations in either
dialect), so they hold the same tables with the same columns. Every table but `schema_migrations` is
then copied as it is, parents before children (by their foreign keys), from one consistent snapshot of
the source (a read transaction) into one transaction on the target, with the target's triggers off: the
running totals (scores, per-period scores, how many members hold each score) are copied, not counted a
second time from the copied answers. Before the commit every table's row count is compared with the
source's; on PostgreSQL each identity sequence is moved past the highest copied id, so new rows never
collide. A target that already holds rows is refused unless `force`, which empties it first.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import aiosqlite

from bot.storage.errors import DatabaseUnusableError

BATCH_ROWS = 5_000
SKIPPED = frozenset({"schema_migrations"})
Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


class CopyRefusedError(RuntimeError):
    """The copy was not made (the target holds rows, the schemas differ, the counts did not match)."""


@dataclass(frozen=True, slots=True)
class CopiedTable:
    name: str
    rows: int


class _Side(Protocol):
    label: str

    async def tables(self) -> list[str]: ...
    async def parents(self, table: str) -> set[str]: ...
    async def columns(self, table: str) -> list[str]: ...
    async def count(self, table: str) -> int: ...
    def rows(self, table: str, columns: Sequence[str]) -> AsyncIterator[list[tuple]]: ...
    async def begin_load(self, tables: Sequence[str], empty_first: bool) -> None: ...
    async def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None: ...
    async def finish_load(self, tables: Sequence[str]) -> None: ...
    async def rollback(self) -> None: ...
    async def close(self) -> None: ...


async def copy_database(
    source: Path | str, target: Path | str, *, force: bool = False, progress: Progress | None = None
) -> list[CopiedTable]:
    """Copy every table of `source` into `target` (each a SQLite path or a postgresql:// URL)."""
    if _same(source, target):
        raise CopyRefusedError("the source and the target are the same database")
    await _migrate(source)
    await _migrate(target)
    reader = await _open(source)
    try:
        writer = await _open(target)
        try:
            return await _copy(reader, writer, force, progress)
        finally:
            await writer.close()
    finally:
        await reader.close()


async def _copy(reader: _Side, writer: _Side, force: bool, progress: Progress | None) -> list[CopiedTable]:
    tables = _in_dependency_order({t: await reader.parents(t) for t in await reader.tables()})
    target_tables = set(await writer.tables())
    for table in tables:
        if table not in target_tables or set(await reader.columns(table)) != set(await writer.columns(table)):
            raise CopyRefusedError(
                f"table {table} differs between {reader.label} and {writer.label}: migrate both with this "
                "version of study-bot first"
            )
    occupied = [table for table in tables if await writer.count(table)]
    if occupied and not force:
        raise CopyRefusedError(
            f"{writer.label} already holds rows (in {', '.join(occupied[:3])}"
            f"{'…' if len(occupied) > 3 else ''}): copy into an empty database, or pass --force to replace them"
        )
    await writer.begin_load(tables, empty_first=bool(occupied))
    copied: list[CopiedTable] = []
    try:
        for table in tables:
            columns = await reader.columns(table)
            total = await reader.count(table)
            done = 0
            if progress:
                progress(table, 0, total)
            async for batch in reader.rows(table, columns):
                await writer.insert(table, columns, batch)
                done += len(batch)
                if progress:
                    progress(table, done, total)
            landed = await writer.count(table)
            if landed != total:
                raise CopyRefusedError(
                    f"table {table}: {total} rows in the source but {landed} in the target"
                )
            copied.append(CopiedTable(table, total))
        await writer.finish_load(tables)
    except BaseException:
        await writer.rollback()
        raise
    return copied


def _in_dependency_order(parents: dict[str, set[str]]) -> list[str]:
    """Tables with their parents first (a table referring to itself does not wait for itself)."""
    ordered: list[str] = []
    placed: set[str] = set()
    remaining = sorted(parents)
    while remaining:
        ready = [t for t in remaining if all(p in placed or p == t or p not in parents for p in parents[t])]
        if not ready:  # a cycle: copy the rest in name order (the target's triggers and checks are off)
            ready = remaining
        ordered.extend(ready)
        placed.update(ready)
        remaining = [t for t in remaining if t not in placed]
    return ordered


def _same(source: Path | str, target: Path | str) -> bool:
    if isinstance(source, Path) and isinstance(target, Path):
        return source.expanduser().resolve() == target.expanduser().resolve()
    return source == target


async def _migrate(where: Path | str) -> None:
    """Create or upgrade the database with this version's migrations (refusing a newer one)."""
    if isinstance(where, Path):
        from bot.storage.sqlite.store import SqliteStore

        store: Any = await SqliteStore.open(where)
    else:
        from bot.storage.postgres.store import PostgresStore

        store = await PostgresStore.open(where, pool_size=1)
    await store.close()


async def _open(where: Path | str) -> _Side:
    if isinstance(where, Path):
        return await _SqliteSide.open(where)
    return await _PostgresSide.open(where)


class _SqliteSide:
    def __init__(self, path: Path, db: aiosqlite.Connection) -> None:
        self.label = str(path)
        self._db = db
        self._triggers: list[str] = []
        self._reading = False

    @classmethod
    async def open(cls, path: Path) -> _SqliteSide:
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA busy_timeout = 10000")
        return cls(path, db)

    async def tables(self) -> list[str]:
        rows = await self._db.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        return [row[0] for row in rows if row[0] not in SKIPPED]

    async def parents(self, table: str) -> set[str]:
        return {row[2] for row in await self._db.execute_fetchall(f'PRAGMA foreign_key_list("{table}")')}

    async def columns(self, table: str) -> list[str]:
        return [row[1] for row in await self._db.execute_fetchall(f'PRAGMA table_info("{table}")')]

    async def count(self, table: str) -> int:
        return (await self._db.execute_fetchall(f'SELECT COUNT(*) FROM "{table}"'))[0][0]

    async def rows(self, table: str, columns: Sequence[str]) -> AsyncIterator[list[tuple]]:
        if not self._reading:  # one snapshot for every table (WAL keeps it while the bot writes on)
            await self._db.execute("BEGIN")
            self._reading = True
        names = ", ".join(f'"{c}"' for c in columns)
        async with self._db.execute(f'SELECT {names} FROM "{table}"') as cursor:
            while batch := await cursor.fetchmany(BATCH_ROWS):
                yield [tuple(row) for row in batch]

    async def begin_load(self, tables: Sequence[str], empty_first: bool) -> None:
        await self._db.execute("PRAGMA foreign_keys = OFF")
        await self._db.execute("BEGIN IMMEDIATE")
        triggers = await self._db.execute_fetchall(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
        )
        self._triggers = [sql for _, sql in triggers]
        for name, _ in triggers:  # dropped inside the transaction, created again before the commit
            await self._db.execute(f'DROP TRIGGER "{name}"')
        if empty_first:
            for table in reversed(tables):
                await self._db.execute(f'DELETE FROM "{table}"')

    async def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        await self._db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    async def finish_load(self, tables: Sequence[str]) -> None:
        for sql in self._triggers:
            await self._db.execute(sql)
        await self._db.execute("COMMIT")
        await self._db.execute("ANALYZE")  # the query planner knows the copied tables from the first query

    async def rollback(self) -> None:
        if self._db.in_transaction:
            await self._db.execute("ROLLBACK")

    async def close(self) -> None:
        if self._reading and self._db.in_transaction:
            await self._db.execute("ROLLBACK")
        await self._db.close()


class _PostgresSide:
    def __init__(self, url: str, connection: Any) -> None:
        from bot.storage.postgres.url import redacted

        self.label = redacted(url)
        self._db = connection
        self._transaction: Any = None

    @classmethod
    async def open(cls, url: str) -> _PostgresSide:
        import asyncpg

        from bot.storage.postgres.url import unusable

        try:
            connection = await asyncpg.connect(url, timeout=10)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise unusable(url, exc) from None
        return cls(url, connection)

    async def tables(self) -> list[str]:
        rows = await self._db.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        return [row[0] for row in rows if row[0] not in SKIPPED]

    async def parents(self, table: str) -> set[str]:
        rows = await self._db.fetch(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass",
            table,
        )
        return {row[0].strip('"') for row in rows}

    async def columns(self, table: str) -> list[str]:
        rows = await self._db.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [row[0] for row in rows]

    async def count(self, table: str) -> int:
        return await self._db.fetchval(f'SELECT COUNT(*) FROM "{table}"')

    async def rows(self, table: str, columns: Sequence[str]) -> AsyncIterator[list[tuple]]:
        if self._transaction is None:  # one snapshot for every table
            self._transaction = self._db.transaction(isolation="repeatable_read", readonly=True)
            await self._transaction.start()
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = await self._db.cursor(f'SELECT {names} FROM "{table}"')
        while batch := await cursor.fetch(BATCH_ROWS):
            yield [tuple(row) for row in batch]

    async def begin_load(self, tables: Sequence[str], empty_first: bool) -> None:
        self._transaction = self._db.transaction()
        await self._transaction.start()
        for table in tables:  # the owner may switch its own triggers off, no superuser needed
            await self._db.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        if empty_first:
            await self._db.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))

    async def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        await self._db.copy_records_to_table(table, records=rows, columns=list(columns))

    async def finish_load(self, tables: Sequence[str]) -> None:
        for table in tables:
            await self._db.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
            identities = await self._db.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = $1 AND (is_identity = 'YES' OR column_default LIKE 'nextval%')",
                table,
            )
            for (column,) in identities:
                await self._db.execute(
                    f"SELECT setval(pg_get_serial_sequence($1, $2), "
                    f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)',
                    f'"{table}"',
                    column,
                )
        await self._transaction.commit()
        self._transaction = None
        # the planner's statistics at once, not after autovacuum's first pass a minute or more later: plans
        # made for empty tables (an answer's repeat check scanning all of the member's answers that day
        # through the wrong index) would otherwise stay cached on every connection until then
        await self._db.execute("ANALYZE " + ", ".join(f'"{t}"' for t in tables))

    async def rollback(self) -> None:
        if self._transaction is not None:
            await self._transaction.rollback()
            self._transaction = None

    async def close(self) -> None:
        if self._transaction is not None:
            await self._transaction.rollback()
        await asyncio.shield(self._db.close())


__all__ = ["CopiedTable", "CopyRefusedError", "DatabaseUnusableError", "copy_database"]
