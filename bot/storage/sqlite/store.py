"""SqliteStore: the core's Store port on SQLite through aiosqlite.

One writer connection and one reader connection, in WAL mode so reads never wait for writes. Every
write runs in its own `BEGIN IMMEDIATE … COMMIT` under one lock, so coroutines sharing the writer
never interleave their transactions. Answers go through a single writer task that commits them in
batches (group commit): each caller is resumed only after the COMMIT that holds its answer.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.core.ports import (
    ChatState,
    NewAnswer,
    QuizPost,
    RecordedAnswer,
    UserRef,
)
from bot.storage.sqlite.answers import independent_groups, insert_statement, outcomes
from bot.storage.sqlite.chats import ChatQueries
from bot.storage.sqlite.daily import DailyQueries
from bot.storage.sqlite.database_path import explain, prepare_database_path
from bot.storage.sqlite.decks import DeckQueries
from bot.storage.sqlite.migrate import MIGRATIONS_DIR, migrate
from bot.storage.sqlite.review import ReviewQueries
from bot.storage.sqlite.rounds import RoundQueries
from bot.storage.sqlite.rows import (
    CACHE_SIZE,
    USER_CACHE_SIZE,
    LruMap,
    TtlCache,
)
from bot.storage.sqlite.streaks import StreakQueries
from bot.storage.sqlite.study import StudyQueries
from bot.storage.sqlite.wal import use_wal

log = logging.getLogger(__name__)
T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
GROUP_COMMIT_BATCH = 256


class SqliteStore(
    ChatQueries, DailyQueries, StudyQueries, DeckQueries, RoundQueries, ReviewQueries, StreakQueries
):
    _greatest = "MAX"  # SQLite's MAX with two arguments is PostgreSQL's GREATEST
    _skip_locked = ""  # one writer at a time: nothing to skip

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._users = LruMap[tuple[str, str], UserRef](USER_CACHE_SIZE)
        self._chats = TtlCache[tuple[str, str], ChatState]()
        # twice the chat cache, so every cached chat's key is still here when its settings change
        self._chat_keys = LruMap[int, tuple[str, str]](2 * CACHE_SIZE)
        self._posts = TtlCache[int, QuizPost]()
        # a queued write: a NewAnswer, or a function run inside the batch's transaction
        self._batch_queue: asyncio.Queue[tuple[Any, asyncio.Future]] = asyncio.Queue()
        self._batch_task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, path: Path | str, migrations: Path = MIGRATIONS_DIR) -> SqliteStore:
        """Open (creating it and its folder if needed) and migrate the database at `path`."""
        path = Path(path)
        prepare_database_path(path)  # a folder, a file in the way, no permission: one clear line
        try:
            writer = await aiosqlite.connect(path, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            _raise_unusable(exc, path)
            raise
        try:
            await writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await use_wal(writer, BUSY_TIMEOUT_MS)  # not `PRAGMA` alone: see sqlite_wal.py
            await writer.execute("PRAGMA synchronous = NORMAL")  # durable in WAL mode across app crashes
            await writer.execute("PRAGMA foreign_keys = ON")
            await migrate(writer, str(path), migrations)
            reader = await aiosqlite.connect(path, isolation_level=None)
        except BaseException as exc:
            await writer.close()
            _raise_unusable(exc, path)
            raise
        await reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await reader.execute("PRAGMA query_only = ON")
        return cls(path, writer, reader)

    async def close(self) -> None:
        if self._batch_task is not None:
            await self._batch_queue.join()
            self._batch_task.cancel()
            await asyncio.gather(self._batch_task, return_exceptions=True)
            self._batch_task = None
        await self._reader.close()
        await self._writer.close()

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # --- plumbing --------------------------------------------------------------------------------------

    async def _write(self, work: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """Run `work` in one write transaction; no other write can interleave with it."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                result = await work(self._writer)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")
            return result

    async def _read(self, sql: str, params: tuple | dict = ()) -> list[aiosqlite.Row]:
        return list(await self._reader.execute_fetchall(sql, params))

    async def schema_versions(self) -> list[tuple[int, str]]:
        rows = await self._read("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row[0], row[1]) for row in rows]

    # --- answers ---------------------------------------------------------------------------------------

    async def record_answer(self, answer: NewAnswer) -> RecordedAnswer:
        """Record an answer; returns once it is committed (or known to be a second answer to its post)."""
        return await self._group_commit(answer)

    async def _group_commit(self, work: Callable[[aiosqlite.Connection], Awaitable[T]] | NewAnswer) -> Any:
        """Run `work` (or record an answer) in a transaction shared with whatever other small writes are
        waiting (group commit); return its result once that transaction has committed."""
        if self._batch_task is None or self._batch_task.done():
            self._batch_task = asyncio.create_task(self._batch_writer(), name="sqlite-group-commit")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self._batch_queue.put((work, future))
        return await future

    async def _batch_writer(self) -> None:
        while True:
            batch = [await self._batch_queue.get()]
            while len(batch) < GROUP_COMMIT_BATCH and not self._batch_queue.empty():
                batch.append(self._batch_queue.get_nowait())
            try:
                await self._commit_batch(batch)
            except Exception:
                log.exception("a group commit of %d writes failed; retrying them one by one", len(batch))
                for item in batch:
                    try:
                        await self._commit_batch([item])
                    except Exception as exc:
                        if not item[1].done():
                            item[1].set_exception(exc)
            finally:
                for _ in batch:
                    self._batch_queue.task_done()

    async def _commit_batch(self, batch: list[tuple[Any, asyncio.Future]]) -> None:
        """All the batch's answers go in one INSERT (one thread hop). A batch of answers that fits one
        statement needs no BEGIN/COMMIT: the statement is its own transaction, committed when it returns."""
        answers = [work for work, _ in batch if isinstance(work, NewAnswer)]
        groups = independent_groups(answers)

        async def record(db: aiosqlite.Connection) -> list[RecordedAnswer]:
            recorded: list[RecordedAnswer | None] = [None] * len(answers)
            for group in groups:
                sql, params = insert_statement([answers[index] for index in group])
                rows = await db.execute_fetchall(sql, params)
                for index, outcome in zip(group, outcomes([answers[i] for i in group], rows), strict=True):
                    recorded[index] = outcome
            return [outcome for outcome in recorded if outcome is not None]

        async def run_all(db: aiosqlite.Connection) -> list[Any]:
            done = iter(await record(db))
            return [next(done) if isinstance(work, NewAnswer) else await work(db) for work, _ in batch]

        if len(answers) == len(batch) and len(groups) == 1:
            async with self._write_lock:
                results = await record(self._writer)
        else:
            results = await self._write(run_all)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


def _raise_unusable(error: BaseException, path: Path) -> None:
    """Raise DatabaseUnusableError when `error` is about the database file itself (else return)."""
    if isinstance(error, sqlite3.Error | OSError):
        unusable = explain(error, path)
        if unusable is not None:
            raise unusable from error
