"""Personal study: FSRS states, shown flashcards, reviews and reminders (the part of the store issue 7
added; SQL shared by SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from bot.core.ports import NewAnswer, Prompt, Reminder, Review, StudyState
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import RECORD_ANSWER, answer_params, to_ms

T = TypeVar("T")
_STATE_COLUMNS = "card_id, fsrs, state, stability, due_at, reviews"
_PROMPT_COLUMNS = "id, user_id, chat_id, card_id, shown_at, answer, score, proposed, graded_by, rating"
_REMINDER_COLUMNS = "r.user_id, r.platform, r.target, r.remind_time, r.timezone, r.language, r.next_due_at"


def _state(row: Row) -> StudyState:
    card_id, fsrs, state, stability, due, reviews = row
    return StudyState(card_id, fsrs, state, stability, datetime.fromtimestamp(due / 1000, UTC), reviews)


def _prompt(row: Row) -> Prompt:
    prompt_id, user_id, chat_id, card_id, shown, answer, score, proposed, graded_by, rating = row
    return Prompt(
        prompt_id, user_id, chat_id, card_id, datetime.fromtimestamp(shown / 1000, UTC), answer, score, proposed,
        graded_by, rating,
    )  # fmt: skip


def _reminder(row: Row) -> Reminder:
    user_id, platform, target, at, zone, language, due = row
    return Reminder(user_id, platform, target, at, zone, language, datetime.fromtimestamp(due / 1000, UTC))


class StudyQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections and write lock it uses."""

    if TYPE_CHECKING:

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        async def _execute(self, sql: str, params: tuple) -> None: ...

    async def study_states(self, user_id: int) -> dict[str, StudyState]:
        rows = await self._read(f"SELECT {_STATE_COLUMNS} FROM study_cards WHERE user_id = ?", (user_id,))
        return {row[0]: _state(row) for row in rows}

    async def due_study_cards(self, user_id: int, now: datetime) -> list[StudyState]:
        rows = await self._read(
            f"SELECT {_STATE_COLUMNS} FROM study_cards WHERE user_id = ? AND due_at <= ? ORDER BY due_at, card_id",
            (user_id, to_ms(now)),
        )
        return [_state(row) for row in rows]

    async def new_cards_since(self, user_id: int, since: datetime) -> int:
        rows = await self._read(
            "SELECT COUNT(*) FROM study_cards WHERE user_id = ? AND first_review_at >= ?",
            (user_id, to_ms(since)),
        )
        return rows[0][0]

    async def create_prompt(self, user_id: int, chat_id: int, card_id: str, at: datetime) -> Prompt:
        async def insert(db: SqlConnection) -> Prompt:
            rows = await db.execute_fetchall(
                f"INSERT INTO study_prompts (user_id, chat_id, card_id, shown_at) VALUES (?, ?, ?, ?)"
                f" RETURNING {_PROMPT_COLUMNS}",
                (user_id, chat_id, card_id, to_ms(at)),
            )
            return _prompt(next(iter(rows)))

        return await self._write(insert)

    async def get_prompt(self, prompt_id: int) -> Prompt | None:
        rows = await self._read(f"SELECT {_PROMPT_COLUMNS} FROM study_prompts WHERE id = ?", (prompt_id,))
        return _prompt(rows[0]) if rows else None

    async def open_prompt(self, user_id: int, chat_id: int) -> Prompt | None:
        rows = await self._read(
            f"SELECT {_PROMPT_COLUMNS} FROM study_prompts WHERE user_id = ? AND chat_id = ? AND rated_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            (user_id, chat_id),
        )
        return _prompt(rows[0]) if rows else None

    async def grade_prompt(
        self, prompt_id: int, answer: str, score: int | None, proposed: int | None, graded_by: str
    ) -> None:
        await self._execute(
            "UPDATE study_prompts SET answer = ?, score = ?, proposed = ?, graded_by = ? WHERE id = ? AND rated_at IS NULL",
            (answer, score, proposed, graded_by, prompt_id),
        )

    async def rate_prompt(
        self, prompt: Prompt, rating: int, state: StudyState, at: datetime, local_day: str,
        attempt: NewAnswer | None,
    ) -> bool:  # fmt: skip
        """Store a rating and the card's new FSRS state in one transaction; False if the prompt was rated."""

        async def rate(db: SqlConnection) -> bool:
            claimed = await db.execute_fetchall(
                "UPDATE study_prompts SET rating = ?, rated_at = ? WHERE id = ? AND rated_at IS NULL RETURNING id",
                (rating, to_ms(at), prompt.id),
            )
            if not list(claimed):
                return False
            await db.execute(
                "INSERT INTO study_cards (user_id, card_id, fsrs, state, stability, due_at, reviews, first_review_at,"
                " last_review_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (user_id, card_id) DO UPDATE SET"
                " fsrs = excluded.fsrs, state = excluded.state, stability = excluded.stability,"
                " due_at = excluded.due_at, reviews = study_cards.reviews + 1, last_review_at = excluded.last_review_at",
                (prompt.user_id, prompt.card_id, state.fsrs, state.state, state.stability, to_ms(state.due_at),
                 to_ms(at), to_ms(at)),
            )  # fmt: skip
            await db.execute(
                "INSERT INTO reviews (user_id, card_id, prompt_id, rating, score, reviewed_at, local_day, due_after)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (prompt.user_id, prompt.card_id, prompt.id, rating, prompt.score, to_ms(at), local_day,
                 to_ms(state.due_at)),
            )  # fmt: skip
            if attempt is not None:
                await db.execute_fetchall(RECORD_ANSWER, answer_params(attempt))
            return True

        return await self._write(rate)

    async def reviews_since(self, user_id: int, since: datetime) -> list[Review]:
        rows = await self._read(
            "SELECT card_id, rating, reviewed_at, local_day FROM reviews WHERE user_id = ? AND reviewed_at >= ?"
            " ORDER BY reviewed_at",
            (user_id, to_ms(since)),
        )
        return [
            Review(card, rating, datetime.fromtimestamp(at / 1000, UTC), day)
            for card, rating, at, day in rows
        ]

    async def set_reminder(self, reminder: Reminder, at: datetime) -> None:
        await self._execute(
            "INSERT INTO reminders (user_id, platform, target, remind_time, timezone, language, active, next_due_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " platform = excluded.platform, target = excluded.target, remind_time = excluded.remind_time,"
            " timezone = excluded.timezone, language = excluded.language, active = 1,"
            " next_due_at = excluded.next_due_at, updated_at = excluded.updated_at",
            (reminder.user_id, reminder.platform, reminder.target, reminder.remind_time, reminder.timezone,
             reminder.language, to_ms(reminder.next_due_at), to_ms(at)),
        )  # fmt: skip

    async def reminder_off(self, user_id: int, at: datetime) -> None:
        await self._execute(
            "UPDATE reminders SET active = 0, updated_at = ? WHERE user_id = ?", (to_ms(at), user_id)
        )

    async def reminder(self, user_id: int) -> Reminder | None:
        rows = await self._read(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders r WHERE r.user_id = ? AND r.active = 1", (user_id,)
        )
        return _reminder(rows[0]) if rows else None

    async def due_reminders(self, now: datetime, platforms: tuple[str, ...], limit: int) -> list[Reminder]:
        rows = await self._read(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders r WHERE r.active = 1 AND r.next_due_at <= ?"
            f" AND r.platform IN ({','.join('?' * len(platforms))}) ORDER BY r.next_due_at LIMIT ?",
            (to_ms(now), *platforms, limit),
        )
        return [_reminder(row) for row in rows]

    async def set_reminder_next(self, user_id: int, next_due_at: datetime) -> None:
        await self._execute(
            "UPDATE reminders SET next_due_at = ? WHERE user_id = ?", (to_ms(next_due_at), user_id)
        )
