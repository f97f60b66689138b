"""PostgresStore: the core's Store port on PostgreSQL through asyncpg, for one or several processes.

It shares the query mixins of the SQLite store (bot/storage/sqlite/): their SQL runs through PgConnection,
which turns `?` and `:name` into `$n`; only the answers' INSERT, the migrations and a function name
(`GREATEST`) are PostgreSQL's own. Every write is one transaction on a pooled connection, retried when
PostgreSQL rolls it back for a deadlock or a serialization failure; the rules that matter between
processes are constraints and conditional writes (one answer per user and post, one daily post per chat
and day, one running round per chat), so they hold however many processes share the database.

Answers go through one writer task per process that commits them in batches (group commit): a batch is
one transaction, and each caller is resumed only after the COMMIT that holds its answer.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from bot.core.ports import ChatState, NewAnswer, QuizPost, RecordedAnswer, UserRef
from bot.storage.postgres.answers import INSERT_ANSWERS, LOCK_ANSWER_KEYS, answer_lock_keys, insert_arguments
from bot.storage.postgres.connection import PgConnection, bind
from bot.storage.postgres.daily import (
    MARK_DAILIES,
    SET_MESSAGE_IDS,
    START_SENDS,
    MarkDaily,
    StartSend,
    mark_arguments,
    message_id_arguments,
    start_arguments,
)
from bot.storage.postgres.migrate import CONNECT_SECONDS, MIGRATIONS_DIR, migrate
from bot.storage.postgres.url import redacted, unusable
from bot.storage.sql import Params
from bot.storage.sqlite.answers import independent_groups, outcomes
from bot.storage.sqlite.chats import ChatQueries
from bot.storage.sqlite.daily import DailyQueries
from bot.storage.sqlite.decks import DeckQueries
from bot.storage.sqlite.review import ReviewQueries
from bot.storage.sqlite.rounds import RoundQueries
from bot.storage.sqlite.rows import CACHE_SIZE, USER_CACHE_SIZE, LruMap, TtlCache
from bot.storage.sqlite.streaks import StreakQueries
from bot.storage.sqlite.study import StudyQueries

log = logging.getLogger(__name__)
T = TypeVar("T")
GROUP_COMMIT_BATCH = 256
POOL_SIZE = 8
RETRIES = 8  # a transaction rolled back by a deadlock or serialization failure is run again this often
RETRY_BASE_SECONDS = 0.005


async def nothing_to_reset(connection: asyncpg.Connection) -> None:
    """What the pool does to a connection given back, after asyncpg's own ROLLBACK of a transaction left
    open (which it always runs): nothing. Its default also sends `pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL`, a round trip per transaction and per read, and this store leaves none of that
    behind: its advisory locks are per transaction (the migration lock is released in a `finally`), its
    settings are `SET LOCAL`, it opens no cursor outside a transaction and listens to nothing. Skipping it
    gave one process 6,450 vs 5,810 answers/s (mean of 4 alternating rounds each)."""


class PostgresStore(
    ChatQueries, DailyQueries, StudyQueries, DeckQueries, RoundQueries, ReviewQueries, StreakQueries
):
    _greatest = "GREATEST"
    _skip_locked = " FOR UPDATE SKIP LOCKED"  # processes taking over claims at once divide them

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        self.url = redacted(url)  # for messages only: never the password
        self._pool = pool
        self._users = LruMap[tuple[str, str], UserRef](USER_CACHE_SIZE)
        self._chats = TtlCache[tuple[str, str], ChatState]()
        self._chat_keys = LruMap[int, tuple[str, str]](2 * CACHE_SIZE)
        self._posts = TtlCache[int, QuizPost]()
        self._batch_queue: asyncio.Queue[tuple[Any, asyncio.Future]] = asyncio.Queue()
        self._batch_task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, url: str, migrations=MIGRATIONS_DIR, pool_size: int = POOL_SIZE) -> PostgresStore:
        """Connect to `url` and migrate its database (once, under an advisory lock, whoever else starts)."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, timeout=CONNECT_SECONDS, command_timeout=60,
                reset=nothing_to_reset,
            )  # fmt: skip
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as exc:
            raise unusable(url, exc) from None
        try:
            async with pool.acquire() as connection:
                await migrate(connection, redacted(url), migrations)
        except BaseException:
            await pool.close()
            raise
        return cls(url, pool)

    async def close(self) -> None:
        if self._batch_task is not None:
            await self._batch_queue.join()
            self._batch_task.cancel()
            await asyncio.gather(self._batch_task, return_exceptions=True)
            self._batch_task = None
        await self._pool.close()

    async def __aenter__(self) -> PostgresStore:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # --- plumbing --------------------------------------------------------------------------------------

    async def _transaction(self, work: Callable[[PgConnection], Awaitable[T]]) -> T:
        """Run `work` in one transaction; run it again when PostgreSQL rolls it back for a deadlock or a
        serialization failure (another process wrote the same rows), a few times with a growing pause."""
        for attempt in range(RETRIES):
            try:
                async with self._pool.acquire() as connection, connection.transaction():
                    return await work(PgConnection(connection))
            except asyncpg.TransactionRollbackError as exc:
                if attempt == RETRIES - 1:
                    raise
                log.debug("transaction rolled back (%s); trying again", type(exc).__name__)
                await asyncio.sleep(RETRY_BASE_SECONDS * 2**attempt * (0.5 + random.random()))
        raise AssertionError("unreachable")

    async def _write(self, work: Callable[[PgConnection], Awaitable[T]]) -> T:  # type: ignore[override]
        return await self._transaction(work)

    async def _read(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        statement, args = bind(sql, params)
        return await self._pool.fetch(statement, *args)

    async def schema_versions(self) -> list[tuple[int, str]]:
        rows = await self._read("SELECT version, name FROM schema_migrations ORDER BY version")
        return [(row[0], row[1]) for row in rows]

    # --- answers ---------------------------------------------------------------------------------------

    async def record_answer(self, answer: NewAnswer) -> RecordedAnswer:
        """Record an answer; returns once it is committed (or known to be a second answer to its post)."""
        return await self._group_commit(answer)

    # --- daily sends: one statement per kind for the whole batch (bot/storage/postgres/daily.py) ------------

    async def start_send(self, daily_id: int, instance: str, at: datetime) -> bool:
        """Record that this instance is sending its claim now; False if the claim is no longer its own (taken
        over after the lease) or its send already began."""
        return await self._group_commit(StartSend(daily_id, instance, at))

    async def mark_daily(
        self, daily_id: int, state: str, at: datetime, *, message_id: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:  # fmt: skip
        await self._group_commit(MarkDaily(daily_id, state, at, message_id, retry_at))

    async def _group_commit(
        self, work: Callable[[PgConnection], Awaitable[T]] | NewAnswer | StartSend | MarkDaily
    ) -> Any:
        """Run `work` (or record an answer) in a transaction shared with whatever other small writes are
        waiting; return its result once that transaction has committed."""
        if self._batch_task is None or self._batch_task.done():
            self._batch_task = asyncio.create_task(self._batch_writer(), name="postgres-group-commit")
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
        """The batch's daily-send starts in one transaction of their own (below), then the rest in another:
        its answers in one INSERT per independent group, its "sent" marks in one statement per kind, its
        other writes after them. Every future is resolved only after its COMMIT."""
        starts = [(work, future) for work, future in batch if isinstance(work, StartSend)]
        if starts:
            await self._commit_starts(starts)
        rest = [(work, future) for work, future in batch if not isinstance(work, StartSend)]
        if not rest:
            return
        answers = [work for work, _ in rest if isinstance(work, NewAnswer)]
        groups = independent_groups(answers)
        marks = [work for work, _ in rest if isinstance(work, MarkDaily)]

        async def run_all(db: PgConnection) -> list[Any]:
            recorded: list[RecordedAnswer | None] = [None] * len(answers)
            if answers:
                await db.raw.execute(LOCK_ANSWER_KEYS, answer_lock_keys(answers))
            for group in groups:
                members = [answers[index] for index in group]
                rows = await db.raw.fetch(INSERT_ANSWERS, *insert_arguments(members))
                for index, outcome in zip(group, outcomes(members, rows), strict=True):
                    recorded[index] = outcome
            if marks:
                await db.raw.execute(MARK_DAILIES, *mark_arguments(marks))
                if (message_ids := message_id_arguments(marks)) is not None:
                    await db.raw.execute(SET_MESSAGE_IDS, *message_ids)
            done = iter(recorded)
            results: list[Any] = []
            for work, _ in rest:
                if isinstance(work, NewAnswer):
                    results.append(next(done))
                elif isinstance(work, MarkDaily):
                    results.append(None)
                else:
                    results.append(await work(db))
            return results

        results = await self._transaction(run_all)
        for (_, future), result in zip(rest, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def _commit_starts(self, starts: list[tuple[StartSend, asyncio.Future]]) -> None:
        """ "This send begins now" for every daily question about to leave, in one statement and one
        transaction that does not wait for the disk (`synchronous_commit = off`; other processes see it at
        once). A process killed after the COMMIT and before its requests left loses those sends (they are
        never sent twice), so the COMMIT must be as short as it can be; what the asynchronous commit risks
        is only a PostgreSQL crash forgetting a start, after which that question could be sent again."""

        async def start_all(db: PgConnection) -> set[int]:
            await db.raw.execute("SET LOCAL synchronous_commit TO OFF")
            rows = await db.raw.fetch(START_SENDS, *start_arguments([work for work, _ in starts]))
            return {row[0] for row in rows}

        started = await self._transaction(start_all)
        for work, future in starts:
            if not future.done():
                future.set_result(work.daily_id in started)
            started.discard(work.daily_id)  # the same claim twice in a batch: only the first begins it
