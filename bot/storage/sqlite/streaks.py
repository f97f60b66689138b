"""Streak-at-risk nudges (SQL shared by SQLite and PostgreSQL): who has an open, unanswered daily question closing soon, and the
once-a-day claim (the part of the store that issue 15 added for streaks)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from bot.core.streak_nudges import AtRisk
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import from_ms, to_ms

T = TypeVar("T")


class StreakQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections and write lock it uses."""

    if TYPE_CHECKING:

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        async def _execute(self, sql: str, params: tuple) -> None: ...

    async def streaks_at_risk(self, now: datetime, until: datetime, limit: int) -> list[AtRisk]:
        """Members with a reminder whose group's delivered daily question closes in (now, until) and who have
        not answered it."""
        rows = await self._read(
            "SELECT r.user_id, r.platform, r.target, r.timezone, r.language, p.chat_id, p.closes_at"
            " FROM daily_posts p JOIN scores s ON s.chat_id = p.chat_id"
            " JOIN reminders r ON r.user_id = s.user_id AND r.active = 1"
            " WHERE p.state = 'sent' AND p.closes_at > ? AND p.closes_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.post_id = p.post_id AND a.user_id = s.user_id)"
            " ORDER BY p.closes_at, r.user_id LIMIT ?",
            (to_ms(now), to_ms(until), limit),
        )
        return [
            AtRisk(user_id, platform, target, zone, language, chat_id, from_ms(closes))  # type: ignore[arg-type]
            for user_id, platform, target, zone, language, chat_id, closes in rows
        ]

    async def claim_nudge(self, user_id: int, day: str, at: datetime) -> bool:
        """True for the first claim of (user, local date): the caller may send that day's nudge."""

        async def insert(db: SqlConnection) -> bool:
            rows = await db.execute_fetchall(
                "INSERT INTO streak_nudges (user_id, day, sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT (user_id, day) DO NOTHING RETURNING user_id",
                (user_id, day, to_ms(at)),
            )
            return bool(list(rows))

        return await self._write(insert)
