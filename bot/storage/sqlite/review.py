"""The mistakes drill and weak topics: the part of the store that issue 15 added besides rounds (SQL
shared by SQLite and PostgreSQL).

A card is a mistake while its latest wrong answer (a wrong quiz, daily, round or graded study answer, an
FSRS "Again", a wrong drill answer) is newer than its latest right one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import from_ms, to_ms

T = TypeVar("T")

_MISTAKES = """
WITH events (card_id, at, correct) AS (
    SELECT card_id, created_at, correct FROM attempts WHERE user_id = :user
    UNION ALL SELECT card_id, reviewed_at, CASE WHEN rating > 1 THEN 1 ELSE 0 END FROM reviews WHERE user_id = :user
    UNION ALL SELECT card_id, answered_at, correct FROM drill_answers WHERE user_id = :user
)
SELECT card_id, wrong, right_at FROM (
    SELECT card_id, MAX(CASE WHEN correct = 0 THEN at END) AS wrong,
           MAX(CASE WHEN correct = 1 THEN at END) AS right_at
    FROM events GROUP BY card_id
) AS latest
WHERE wrong IS NOT NULL AND (right_at IS NULL OR wrong > right_at)
ORDER BY wrong DESC, card_id
"""


class ReviewQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections and write lock it uses."""

    if TYPE_CHECKING:

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        async def _execute(self, sql: str, params: tuple) -> None: ...

    async def mistakes(self, user_id: int) -> list[tuple[str, datetime]]:
        """(card id, when last answered wrong) of the user's open mistakes, most recent first."""
        rows = await self._read(_MISTAKES, {"user": user_id})
        return [(card_id, from_ms(wrong)) for card_id, wrong, _ in rows]  # type: ignore[misc]

    async def record_drill(self, user_id: int, card_id: str, correct: bool, at: datetime) -> None:
        await self._execute(
            "INSERT INTO drill_answers (user_id, card_id, correct, answered_at) VALUES (?, ?, ?, ?)",
            (user_id, card_id, int(correct), to_ms(at)),
        )

    async def user_card_results(self, user_id: int) -> dict[str, tuple[int, int]]:
        """(right, answered) per card over the user's quiz, daily, round and study answers and FSRS ratings."""
        rows = await self._read(
            "SELECT card_id, SUM(ok), COUNT(*) FROM ("
            " SELECT card_id, correct AS ok FROM attempts WHERE user_id = :user"
            " UNION ALL SELECT card_id, CASE WHEN rating > 1 THEN 1 ELSE 0 END FROM reviews WHERE user_id = :user"
            ") AS results GROUP BY card_id",
            {"user": user_id},
        )
        return {card_id: (right, answered) for card_id, right, answered in rows}

    async def activity_by_day(self, user_id: int, since_day: str) -> dict[str, int]:
        """Answers (in any chat) and flashcard reviews per local date since `since_day`."""
        rows = await self._read(
            "SELECT day, COUNT(*) FROM ("
            " SELECT local_day AS day FROM attempts WHERE user_id = :user AND local_day >= :since"
            " UNION ALL SELECT local_day FROM reviews WHERE user_id = :user AND local_day >= :since"
            ") AS days GROUP BY day",
            {"user": user_id, "since": since_day},
        )
        return {day: count for day, count in rows}

    async def chat_card_results(self, chat_id: int, since: datetime) -> dict[str, tuple[int, int]]:
        """(right, answered) per card over every member's answers in the chat since `since`."""
        rows = await self._read(
            "SELECT card_id, SUM(correct), COUNT(*) FROM attempts WHERE chat_id = ? AND created_at >= ?"
            " GROUP BY card_id",
            (chat_id, to_ms(since)),
        )
        return {card_id: (right, answered) for card_id, right, answered in rows}

    async def chat_participants(self, chat_id: int, since_day: str) -> tuple[int, int]:
        """(members who answered in the chat on or after the local date `since_day`, members who ever did)."""
        rows = await self._read(
            "SELECT (SELECT COUNT(DISTINCT user_id) FROM day_scores WHERE chat_id = ? AND day >= ?),"
            " (SELECT members FROM chats WHERE id = ?)",
            (chat_id, since_day, chat_id),
        )
        return rows[0][0], rows[0][1]
