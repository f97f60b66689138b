"""Users, chats, quiz posts and all-time scores: the part of the store every request touches (SQL shared by
SQLite and PostgreSQL). Chats, posts and users are cached (see rows.py): this process's own writes update
the cached copies at once."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from bot.core.messages import ChatKind
from bot.core.ports import ChatState, QuizPost, ScoreLine, UserRef
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import (
    CHAT_COLUMNS,
    POST_COLUMNS,
    LruMap,
    TtlCache,
    chat_row,
    post_row,
    to_ms,
)

T = TypeVar("T")


class ChatQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections, write lock and caches it uses."""

    if TYPE_CHECKING:
        _users: LruMap[tuple[str, str], UserRef]
        _chats: TtlCache[tuple[str, str], ChatState]
        _chat_keys: LruMap[int, tuple[str, str]]
        _posts: TtlCache[int, QuizPost]

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...

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

        async def upsert(db: SqlConnection) -> int:
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

            async def insert(db: SqlConnection) -> None:
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
        async def run(db: SqlConnection) -> None:
            await db.execute(sql, params)

        await self._write(run)

    # --- quiz posts ------------------------------------------------------------------------------------

    async def asked_cards(self, chat_id: int, quiz_round: int) -> set[str]:
        rows = await self._read(
            "SELECT card_id FROM quiz_posts WHERE chat_id = ? AND round = ?", (chat_id, quiz_round)
        )
        return {row[0] for row in rows}

    async def start_new_round(self, chat_id: int) -> int:
        async def bump(db: SqlConnection) -> int:
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
        async def insert(db: SqlConnection) -> QuizPost:
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

        async def update(db: SqlConnection) -> None:
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
