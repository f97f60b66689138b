"""SqliteStore: the core's Store port on SQLite through aiosqlite.

One writer connection and one reader connection, in WAL mode so reads never wait for writes. Every
write runs in its own `BEGIN IMMEDIATE … COMMIT` under one lock, so coroutines sharing the writer
never interleave their transactions. Answers go through a single writer task that commits them in
batches (group commit): each caller is resumed only after the COMMIT that holds its answer.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.core.messages import ChatKind
from bot.core.ports import (
    ChatState,
    NewAnswer,
    QuizPost,
    RecordedAnswer,
    ScoreLine,
    UserRef,
)
from bot.storage.database_path import explain, prepare_database_path
from bot.storage.migrations import MIGRATIONS_DIR, migrate
from bot.storage.sqlite_answers import independent_groups, insert_statement, outcomes
from bot.storage.sqlite_daily import DailyQueries
from bot.storage.sqlite_decks import DeckQueries
from bot.storage.sqlite_review import ReviewQueries
from bot.storage.sqlite_rounds import RoundQueries
from bot.storage.sqlite_rows import (
    CACHE_SIZE,
    CHAT_COLUMNS,
    POST_COLUMNS,
    USER_CACHE_SIZE,
    LruMap,
    TtlCache,
    chat_row,
    post_row,
    to_ms,
)
from bot.storage.sqlite_streaks import StreakQueries
from bot.storage.sqlite_study import StudyQueries
from bot.storage.sqlite_wal import use_wal

log = logging.getLogger(__name__)
T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
GROUP_COMMIT_BATCH = 256


class SqliteStore(DailyQueries, StudyQueries, DeckQueries, RoundQueries, ReviewQueries, StreakQueries):
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

    # --- users and chats -------------------------------------------------------------------------------

    async def ensure_user(self, platform: str, platform_user_id: str, display_name: str) -> UserRef:
        key = (platform, platform_user_id)
        known = self._users.get(key)
        if known is not None and known.display_name == display_name:
            return known
        if known is None:  # not seen lately: a read is cheaper than a write when the user exists
            rows = await self._read(
                "SELECT id FROM users WHERE platform = ? AND platform_user_id = ? AND display_name = ?",
                (platform, platform_user_id, display_name),
            )
            if rows:
                user = UserRef(rows[0][0], display_name)
                self._users.put(key, user)
                return user

        async def upsert(db: aiosqlite.Connection) -> int:
            rows = await db.execute_fetchall(
                "INSERT INTO users (platform, platform_user_id, display_name, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (platform, platform_user_id) DO UPDATE SET display_name = excluded.display_name "
                "RETURNING id",
                (platform, platform_user_id, display_name, to_ms(datetime.now(UTC))),
            )
            return next(iter(rows))[0]

        user = UserRef(await self._write(upsert), display_name)
        self._users.put(key, user)
        return user

    async def ensure_chat(self, platform: str, platform_chat_id: str, kind: ChatKind) -> ChatState:
        cached = self._chats.get((platform, platform_chat_id))
        if cached is not None:
            return cached
        sql = f"SELECT {CHAT_COLUMNS} FROM chats WHERE platform = ? AND platform_chat_id = ?"
        rows = await self._read(sql, (platform, platform_chat_id))
        if not rows:

            async def insert(db: aiosqlite.Connection) -> None:
                await db.execute(
                    "INSERT INTO chats (platform, platform_chat_id, kind, created_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (platform, platform_chat_id) DO NOTHING",
                    (platform, platform_chat_id, kind.value, to_ms(datetime.now(UTC))),
                )

            await self._write(insert)
            rows = await self._read(sql, (platform, platform_chat_id))
        chat = chat_row(rows[0])
        self._chats.put((platform, platform_chat_id), chat)
        self._chat_keys.put(chat.id, (platform, platform_chat_id))
        return chat

    async def set_chat_language(self, chat_id: int, language: str | None) -> None:
        await self._execute("UPDATE chats SET language = ? WHERE id = ?", (language, chat_id))
        self._forget_chat(chat_id)

    async def set_chat_decks(self, chat_id: int, decks: tuple[str, ...] | None) -> None:
        value = None if decks is None else json.dumps(list(decks))
        await self._execute("UPDATE chats SET decks = ? WHERE id = ?", (value, chat_id))
        self._forget_chat(chat_id)

    async def set_chat_active(self, chat_id: int, active: bool) -> None:
        await self._execute("UPDATE chats SET active = ? WHERE id = ?", (int(active), chat_id))
        self._forget_chat(chat_id)

    def _forget_chat(self, chat_id: int) -> None:
        key = self._chat_keys.get(chat_id)
        if key is not None:
            self._chats.drop(key)

    async def _execute(self, sql: str, params: tuple) -> None:
        async def run(db: aiosqlite.Connection) -> None:
            await db.execute(sql, params)

        await self._write(run)

    # --- quiz posts ------------------------------------------------------------------------------------

    async def asked_cards(self, chat_id: int, quiz_round: int) -> set[str]:
        rows = await self._read(
            "SELECT card_id FROM quiz_posts WHERE chat_id = ? AND round = ?", (chat_id, quiz_round)
        )
        return {row[0] for row in rows}

    async def start_new_round(self, chat_id: int) -> int:
        async def bump(db: aiosqlite.Connection) -> int:
            rows = await db.execute_fetchall(
                "UPDATE chats SET quiz_round = quiz_round + 1 WHERE id = ? RETURNING quiz_round", (chat_id,)
            )
            return next(iter(rows))[0]

        quiz_round = await self._write(bump)
        self._forget_chat(chat_id)
        return quiz_round

    async def create_post(
        self,
        chat_id: int,
        card_id: str,
        mode: str,
        options: tuple[str, ...],
        correct: int,
        quiz_round: int,
        at: datetime,
        closes_at: datetime | None,
    ) -> QuizPost:
        async def insert(db: aiosqlite.Connection) -> QuizPost:
            rows = await db.execute_fetchall(
                "INSERT INTO quiz_posts (chat_id, card_id, mode, options, correct, round, created_at, closes_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {POST_COLUMNS}",
                (
                    chat_id, card_id, mode, json.dumps(list(options), ensure_ascii=False), correct, quiz_round,
                    to_ms(at), None if closes_at is None else to_ms(closes_at),
                ),
            )  # fmt: skip
            return post_row(next(iter(rows)))

        post = await self._write(insert)
        self._posts.put(post.id, post)
        return post

    async def set_post_message(self, post_id: int, message_id: str) -> None:
        """Where a question was shown; a daily question shown in reply to `daily now` is then delivered."""

        async def update(db: aiosqlite.Connection) -> None:
            await db.execute("UPDATE quiz_posts SET message_id = ? WHERE id = ?", (message_id, post_id))
            await db.execute(
                "UPDATE daily_posts SET state = 'sent', sent_at = ? WHERE post_id = ? AND state = 'sending'",
                (to_ms(datetime.now(UTC)), post_id),
            )

        await self._write(update)
        self._posts.drop(post_id)

    async def close_post(self, post_id: int, at: datetime) -> None:
        await self._execute(
            "UPDATE quiz_posts SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            (to_ms(at), post_id),
        )
        self._posts.drop(post_id)

    async def post_results(self, post_id: int) -> tuple[int, int]:
        """(answers, right answers) recorded for a post."""
        rows = await self._read(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM attempts WHERE post_id = ?", (post_id,)
        )
        return rows[0][0], rows[0][1]

    async def get_post(self, post_id: int) -> QuizPost | None:
        cached = self._posts.get(post_id)
        if cached is not None:
            return cached
        rows = await self._read(f"SELECT {POST_COLUMNS} FROM quiz_posts WHERE id = ?", (post_id,))
        if not rows:
            return None
        post = post_row(rows[0])
        self._posts.put(post_id, post)
        return post

    async def latest_open_post(self, chat_id: int) -> QuizPost | None:
        rows = await self._read(
            f"SELECT {POST_COLUMNS} FROM quiz_posts WHERE chat_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
            (chat_id,),
        )
        return post_row(rows[0]) if rows else None

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

    # --- scores ----------------------------------------------------------------------------------------

    async def score(self, chat_id: int, user_id: int) -> tuple[ScoreLine | None, int]:
        rows = await self._read(
            "SELECT s.points, s.answered, s.correct, u.display_name,"
            " (SELECT COALESCE(SUM(members), 0) FROM score_counts c"
            "  WHERE c.chat_id = s.chat_id AND c.period = 'all' AND c.points > s.points) + 1,"
            " (SELECT members FROM chats WHERE id = s.chat_id)"
            " FROM scores s JOIN users u ON u.id = s.user_id WHERE s.chat_id = ? AND s.user_id = ?",
            (chat_id, user_id),
        )
        if not rows:
            players = await self._read("SELECT members FROM chats WHERE id = ?", (chat_id,))
            return None, players[0][0] if players else 0
        points, answered, correct, name, rank, players = rows[0]
        return ScoreLine(user_id, name, points, answered, correct, rank), players

    async def leaderboard(self, chat_id: int, limit: int) -> list[ScoreLine]:
        """The top `limit` players; equal points share a rank (1, 2, 2, 4)."""
        rows = await self._read(
            "SELECT s.user_id, u.display_name, s.points, s.answered, s.correct FROM scores s"
            " JOIN users u ON u.id = s.user_id WHERE s.chat_id = ?"
            " ORDER BY s.points DESC, s.last_answer_at ASC LIMIT ?",
            (chat_id, limit),
        )
        board: list[ScoreLine] = []
        for position, (user_id, name, points, answered, correct) in enumerate(rows, start=1):
            rank = board[-1].rank if board and board[-1].points == points else position
            board.append(ScoreLine(user_id, name, points, answered, correct, rank))
        return board


def _raise_unusable(error: BaseException, path: Path) -> None:
    """Raise DatabaseUnusableError when `error` is about the database file itself (else return)."""
    if isinstance(error, sqlite3.Error | OSError):
        unusable = explain(error, path)
        if unusable is not None:
            raise unusable from error
