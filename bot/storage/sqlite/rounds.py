"""Live rounds: the part of the store that issue 15 added (see migrations/*/0006_rounds_review_streaks.sql).
The SQL is shared by SQLite and PostgreSQL.

Every move of a round (start, next question, end) is one conditional write, so of two schedulers, or a
scheduler and a `/round stop`, only one makes it; the others see that nothing changed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.core.ports import QuizPost
from bot.core.rounds.model import LiveRound, NewQuestion, NewRound, RoundLine
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import POST_COLUMNS, TtlCache, from_ms, post_row, to_ms

T = TypeVar("T")
ROUND_COLUMNS = (
    "id, chat_id, platform, target, starter_id, language, decks, cards, seconds, state, asked, post_id,"
    " shown_at, deadline, created_at"
)


def round_row(row: Row) -> LiveRound:
    (round_id, chat_id, platform, target, starter, language, decks, cards, seconds, state, asked, post_id,
     shown, deadline, created) = row  # fmt: skip
    return LiveRound(
        round_id, chat_id, platform, target, starter, language,
        None if decks is None else tuple(json.loads(decks)), tuple(json.loads(cards)), seconds, state, asked,
        post_id, from_ms(shown), from_ms(deadline), from_ms(created),  # type: ignore[arg-type]
    )  # fmt: skip


class RoundQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections, write lock and caches it uses."""

    if TYPE_CHECKING:
        _posts: TtlCache[int, QuizPost]

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        async def _execute(self, sql: str, params: tuple) -> None: ...

    async def start_round(self, new: NewRound, first: NewQuestion) -> tuple[LiveRound, QuizPost] | None:
        """The round and its first question, or None when the chat already has a running round."""

        async def insert(db: SqlConnection) -> tuple[LiveRound, QuizPost] | None:
            rows = list(
                await db.execute_fetchall(
                    "INSERT INTO rounds (chat_id, platform, target, starter_id, language, decks, cards, seconds,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                    (new.chat_id, new.platform, new.target, new.starter_id, new.language,
                     None if new.decks is None else json.dumps(list(new.decks)), json.dumps(list(new.cards)),
                     new.seconds, to_ms(new.at)),
                )
            )  # fmt: skip
            if not rows:  # rounds_one_running: someone was quicker
                return None
            round_id = rows[0][0]
            return await _ask(db, round_id, new.chat_id, new.cards[0], 1, first, shown=True)

        return await self._write(insert)

    async def next_question(
        self, live: LiveRound, question: NewQuestion
    ) -> tuple[LiveRound, QuizPost] | None:
        """Close the current question and claim the next (not on screen yet); None if the round moved on."""

        async def advance(db: SqlConnection) -> tuple[LiveRound, QuizPost] | None:
            rows = await db.execute_fetchall(
                "UPDATE rounds SET asked = asked + 1 WHERE id = ? AND state = 'running' AND asked = ?"
                " RETURNING id",
                (live.id, live.asked),
            )
            if not list(rows):
                return None
            await _close(db, live.post_id, question.at)
            number = live.asked + 1
            return await _ask(
                db, live.id, live.chat_id, live.cards[number - 1], number, question, shown=False
            )

        result = await self._write(advance)
        if live.post_id is not None:
            self._posts.drop(live.post_id)
        return result

    async def question_shown(self, round_id: int, post_id: int, at: datetime, deadline: datetime) -> None:
        """The question is on screen: its answer window runs from now."""

        async def update(db: SqlConnection) -> None:
            await db.execute(
                "UPDATE rounds SET shown_at = ?, deadline = ? WHERE id = ? AND post_id = ?",
                (to_ms(at), to_ms(deadline), round_id, post_id),
            )
            await db.execute(
                "UPDATE round_questions SET shown_at = ? WHERE round_id = ? AND post_id = ?",
                (to_ms(at), round_id, post_id),
            )
            await db.execute("UPDATE quiz_posts SET closes_at = ? WHERE id = ?", (to_ms(deadline), post_id))

        await self._write(update)
        self._posts.drop(post_id)

    async def end_round(self, round_id: int, state: str, at: datetime) -> bool:
        """Finish or stop a running round (closing its question); False if it had already ended."""

        async def end(db: SqlConnection) -> bool:
            rows = list(
                await db.execute_fetchall(
                    "UPDATE rounds SET state = ?, ended_at = ? WHERE id = ? AND state = 'running'"
                    " RETURNING post_id",
                    (state, to_ms(at), round_id),
                )
            )
            if not rows:
                return False
            await _close(db, rows[0][0], at)
            return True

        ended = await self._write(end)
        rows = await self._read("SELECT post_id FROM rounds WHERE id = ?", (round_id,))
        if rows and rows[0][0] is not None:
            self._posts.drop(rows[0][0])
        return ended

    async def get_round(self, round_id: int) -> LiveRound | None:
        rows = await self._read(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE id = ?", (round_id,))
        return round_row(rows[0]) if rows else None

    async def running_round(self, chat_id: int) -> LiveRound | None:
        rows = await self._read(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE chat_id = ? AND state = 'running'", (chat_id,)
        )
        return round_row(rows[0]) if rows else None

    async def running_rounds(self) -> list[LiveRound]:
        rows = await self._read(f"SELECT {ROUND_COLUMNS} FROM rounds WHERE state = 'running' ORDER BY id")
        return [round_row(row) for row in rows]

    async def round_for_post(self, post_id: int) -> LiveRound | None:
        """The running round whose current question is this post."""
        rows = await self._read(
            f"SELECT {ROUND_COLUMNS} FROM rounds WHERE post_id = ? AND state = 'running'", (post_id,)
        )
        return round_row(rows[0]) if rows else None

    async def round_progress(self, round_id: int, post_id: int) -> tuple[int, int]:
        """(players who answered anything in this round, players who answered this question)."""
        rows = await self._read(
            "SELECT (SELECT COUNT(DISTINCT a.user_id) FROM round_questions q JOIN attempts a ON a.post_id = q.post_id"
            "        WHERE q.round_id = ?),"
            " (SELECT COUNT(*) FROM attempts WHERE post_id = ?)",
            (round_id, post_id),
        )
        return rows[0][0], rows[0][1]

    async def round_standings(self, round_id: int, limit: int) -> list[RoundLine]:
        rows = await self._read(
            "SELECT a.user_id, u.display_name, SUM(a.points) AS pts, SUM(a.correct) AS rights, COUNT(*),"
            " AVG(CAST(a.created_at - q.shown_at AS DOUBLE PRECISION)) AS ms"
            " FROM round_questions q JOIN attempts a ON a.post_id = q.post_id JOIN users u ON u.id = a.user_id"
            " WHERE q.round_id = ? GROUP BY a.user_id, u.display_name ORDER BY pts DESC, rights DESC, ms ASC, a.user_id LIMIT ?",
            (round_id, limit),
        )
        return [
            RoundLine(user_id, name, points, right, answered, max(ms, 0) / 1000)
            for user_id, name, points, right, answered, ms in rows
        ]

    async def right_answers(self, post_id: int, limit: int) -> list[tuple[str, int]]:
        """(name, points) of the right answers to a question, fastest first."""
        rows = await self._read(
            "SELECT u.display_name, a.points FROM attempts a JOIN users u ON u.id = a.user_id"
            " WHERE a.post_id = ? AND a.correct = 1 ORDER BY a.created_at, a.id LIMIT ?",
            (post_id, limit),
        )
        return [(name, points) for name, points in rows]

    async def round_question_post(self, round_id: int, number: int) -> int | None:
        rows = await self._read(
            "SELECT post_id FROM round_questions WHERE round_id = ? AND number = ?", (round_id, number)
        )
        return rows[0][0] if rows else None

    async def round_seconds(self, chat_id: int) -> int | None:
        rows = await self._read("SELECT seconds FROM round_settings WHERE chat_id = ?", (chat_id,))
        return rows[0][0] if rows else None

    async def set_round_seconds(self, chat_id: int, seconds: int) -> None:
        await self._execute(
            "INSERT INTO round_settings (chat_id, seconds) VALUES (?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET seconds = excluded.seconds",
            (chat_id, seconds),
        )


async def _ask(
    db: SqlConnection, round_id: int, chat_id: int, card_id: str, number: int, question: NewQuestion,
    *, shown: bool,
) -> tuple[LiveRound, QuizPost]:  # fmt: skip
    rows = await db.execute_fetchall(
        "INSERT INTO quiz_posts (chat_id, card_id, mode, options, correct, round, created_at, closes_at)"
        f" VALUES (?, ?, 'quiz', ?, ?, ?, ?, ?) RETURNING {POST_COLUMNS}",
        (chat_id, card_id, json.dumps(list(question.options), ensure_ascii=False), question.correct,
         question.quiz_round, to_ms(question.at), to_ms(question.deadline)),
    )  # fmt: skip
    post = post_row(next(iter(rows)))
    await db.execute(
        "INSERT INTO round_questions (round_id, number, post_id, shown_at) VALUES (?, ?, ?, ?)",
        (round_id, number, post.id, to_ms(question.at)),
    )
    rows = await db.execute_fetchall(
        f"UPDATE rounds SET asked = ?, post_id = ?, shown_at = ?, deadline = ? WHERE id = ? RETURNING {ROUND_COLUMNS}",
        (number, post.id, to_ms(question.at) if shown else None, to_ms(question.deadline), round_id),
    )
    return round_row(next(iter(rows))), post


async def _close(db: SqlConnection, post_id: int | None, at: datetime) -> None:
    if post_id is not None:
        await db.execute(
            "UPDATE quiz_posts SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            (to_ms(at), post_id),
        )
