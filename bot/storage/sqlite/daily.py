"""Daily questions, period scores and streak history: the part of the store that issue 6 added (SQL shared
by SQLite and PostgreSQL; the one function whose name differs is the store's `_greatest`)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from bot.core.ports import ChatState, DailyClaim, DailyPost, QuizPost, ScoreLine, Subscription
from bot.storage.sql import Row, SqlConnection
from bot.storage.sqlite.rows import (
    CHAT_COLUMNS,
    DAILY_COLUMNS,
    DAILY_FROM,
    POST_COLUMNS,
    SUBSCRIPTION_COLUMNS,
    TtlCache,
    chat_row,
    daily_row,
    from_ms,
    post_row,
    ranked,
    subscription_row,
    to_ms,
)

T = TypeVar("T")
CLAIM_ROWS = 200  # rows per multi-row INSERT (SQLite allows 32,766 parameters a statement)
# A period's key in period_scores: its kind's letter and its first local date (see migration 0004).
PERIOD_KEYS = {"today": "d", "week": "w", "month": "m"}


class DailyQueries:
    """Mixed into SqliteStore and PostgresStore, whose connections, write lock and caches it uses."""

    if TYPE_CHECKING:
        _posts: TtlCache[int, QuizPost]
        _greatest: str  # the larger of two values: MAX in SQLite, GREATEST in PostgreSQL
        _skip_locked: str  # "" in SQLite (one writer), " FOR UPDATE SKIP LOCKED" in PostgreSQL

        async def _read(self, sql: str, params: tuple | dict = ()) -> list[Row]: ...
        async def _write(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        async def _execute(self, sql: str, params: tuple) -> None: ...
        async def _group_commit(self, work: Callable[[SqlConnection], Awaitable[T]]) -> T: ...
        def _forget_chat(self, chat_id: int) -> None: ...

    async def set_chat_timezone(self, chat_id: int, timezone: str) -> None:
        await self._execute("UPDATE chats SET timezone = ? WHERE id = ?", (timezone, chat_id))
        self._forget_chat(chat_id)

    async def first_correct(self, post_id: int, limit: int) -> list[str]:
        rows = await self._read(
            "SELECT u.display_name FROM attempts a JOIN users u ON u.id = a.user_id"
            " WHERE a.post_id = ? AND a.correct = 1 ORDER BY a.created_at, a.id LIMIT ?",
            (post_id, limit),
        )
        return [row[0] for row in rows]

    async def period_leaderboard(
        self, chat_id: int, since: str, limit: int, period: str | None = None
    ) -> list[ScoreLine]:
        """The top `limit` members of the period starting on local date `since`. With `period` ("today",
        "week", "month") the board is read from the running totals' index; without it, summed from days."""
        if period in PERIOD_KEYS:
            rows = await self._read(
                "SELECT p.user_id, u.display_name, p.points, p.answered, p.correct FROM period_scores p"
                " JOIN users u ON u.id = p.user_id WHERE p.chat_id = ? AND p.period = ?"
                " ORDER BY p.points DESC, p.first_day, p.user_id LIMIT ?",
                (chat_id, PERIOD_KEYS[period] + since, limit),
            )
            return ranked(rows)
        rows = await self._read(
            "SELECT d.user_id, u.display_name, SUM(d.points) AS pts, SUM(d.answered), SUM(d.correct)"
            " FROM day_scores d JOIN users u ON u.id = d.user_id WHERE d.chat_id = ? AND d.day >= ?"
            " GROUP BY d.user_id, u.display_name ORDER BY pts DESC, MIN(d.day), d.user_id LIMIT ?",
            (chat_id, since, limit),
        )
        return ranked(rows)

    async def period_score(
        self, chat_id: int, user_id: int, since: str, period: str | None = None
    ) -> tuple[ScoreLine | None, int]:
        """A member's line and rank in a period, and how many members answered in it. With `period` the rank
        is 1 + the members holding each higher score (a sum over distinct scores, not over members)."""
        if period in PERIOD_KEYS:
            key = PERIOD_KEYS[period] + since
            rows = await self._read(
                "SELECT (SELECT COALESCE(SUM(members), 0) FROM score_counts WHERE chat_id = ? AND period = ?),"
                " p.points, p.answered, p.correct, u.display_name,"
                " (SELECT COALESCE(SUM(members), 0) FROM score_counts c"
                "  WHERE c.chat_id = p.chat_id AND c.period = p.period AND c.points > p.points) + 1"
                " FROM (SELECT 1) AS one LEFT JOIN period_scores p ON p.chat_id = ? AND p.period = ? AND p.user_id = ?"
                " LEFT JOIN users u ON u.id = p.user_id",
                (chat_id, key, chat_id, key, user_id),
            )
            players, points, answered, correct, name, rank = rows[0]
            if points is None:
                return None, players
            return ScoreLine(user_id, name, points, answered, correct, rank), players
        rows = await self._read(
            "WITH p AS (SELECT user_id, SUM(points) AS pts, SUM(answered) AS n, SUM(correct) AS ok"
            " FROM day_scores WHERE chat_id = ? AND day >= ? GROUP BY user_id)"
            " SELECT me.pts, me.n, me.ok, (SELECT COUNT(*) FROM p WHERE p.pts > me.pts) + 1,"
            " (SELECT COUNT(*) FROM p), u.display_name FROM p me JOIN users u ON u.id = me.user_id"
            " WHERE me.user_id = ?",
            (chat_id, since, user_id),
        )
        if not rows:
            count = await self._read(
                "SELECT COUNT(DISTINCT user_id) FROM day_scores WHERE chat_id = ? AND day >= ?",
                (chat_id, since),
            )
            return None, count[0][0]
        points, answered, correct, rank, players, name = rows[0]
        return ScoreLine(user_id, name, points, answered, correct, rank), players

    async def daily_history(self, chat_id: int, limit: int) -> list[tuple[str, int, bool]]:
        """(local date, quiz post id, closed) of the chat's delivered daily questions, newest first."""
        rows = await self._read(
            "SELECT local_date, post_id, state = 'closed' FROM daily_posts"
            " WHERE chat_id = ? AND state IN ('sent', 'closed') AND post_id IS NOT NULL"
            " ORDER BY local_date DESC LIMIT ?",
            (chat_id, limit),
        )
        return [(day, post_id, bool(closed)) for day, post_id, closed in rows]

    async def daily_answered(
        self, chat_id: int, user_ids: list[int], post_ids: list[int]
    ) -> set[tuple[int, int]]:
        if not user_ids or not post_ids:
            return set()
        users = ",".join("?" * len(user_ids))
        posts = ",".join("?" * len(post_ids))
        rows = await self._read(
            f"SELECT user_id, post_id FROM attempts WHERE chat_id = ? AND user_id IN ({users})"
            f" AND post_id IN ({posts})",
            (chat_id, *user_ids, *post_ids),
        )
        return {(user_id, post_id) for user_id, post_id in rows}

    async def card_accuracy(
        self, chat_ids: list[int], since: datetime
    ) -> dict[int, dict[str, tuple[float, int]]]:
        result: dict[int, dict[str, tuple[float, int]]] = {chat_id: {} for chat_id in chat_ids}
        for start in range(0, len(chat_ids), 500):
            chunk = chat_ids[start : start + 500]
            rows = await self._read(
                "SELECT chat_id, card_id, AVG(CAST(correct AS DOUBLE PRECISION)), COUNT(*) FROM attempts"
                f" WHERE chat_id IN ({','.join('?' * len(chunk))}) AND created_at >= ? GROUP BY chat_id, card_id",
                (*chunk, to_ms(since)),
            )
            for chat_id, card_id, accuracy, count in rows:
                result[chat_id][card_id] = (accuracy, count)
        return result

    async def asked_cards_many(self, rounds: dict[int, int]) -> dict[int, set[str]]:
        result: dict[int, set[str]] = {chat_id: set() for chat_id in rounds}
        items = list(rounds.items())
        for start in range(0, len(items), 400):
            chunk = items[start : start + 400]
            where = " OR ".join("(chat_id = ? AND round = ?)" for _ in chunk)
            rows = await self._read(
                f"SELECT chat_id, card_id FROM quiz_posts WHERE {where}",
                tuple(v for pair in chunk for v in pair),
            )
            for chat_id, card_id in rows:
                result[chat_id].add(card_id)
        return result

    async def subscribe(self, subscription: Subscription, at: datetime) -> None:
        decks = None if subscription.decks is None else json.dumps(list(subscription.decks))
        due = None if subscription.next_due_at is None else to_ms(subscription.next_due_at)

        async def upsert(db: SqlConnection) -> None:
            await db.execute(
                "INSERT INTO daily_subscriptions (chat_id, target, post_time, timezone, decks, language, active,"
                " next_due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (chat_id) DO UPDATE SET"
                " target = excluded.target, post_time = excluded.post_time, timezone = excluded.timezone,"
                " decks = excluded.decks, language = excluded.language, active = 1,"
                " next_due_at = excluded.next_due_at, updated_at = excluded.updated_at",
                (subscription.chat_id, subscription.target, subscription.post_time, subscription.timezone, decks,
                 subscription.language, due, to_ms(at)),
            )  # fmt: skip
            await db.execute(
                "UPDATE chats SET timezone = ? WHERE id = ?", (subscription.timezone, subscription.chat_id)
            )

        await self._write(upsert)
        self._forget_chat(subscription.chat_id)

    async def unsubscribe(self, chat_id: int, at: datetime) -> None:
        await self._execute(
            "UPDATE daily_subscriptions SET active = 0, updated_at = ? WHERE chat_id = ?",
            (to_ms(at), chat_id),
        )

    async def subscription(self, chat_id: int) -> Subscription | None:
        rows = await self._read(
            f"SELECT {SUBSCRIPTION_COLUMNS} FROM daily_subscriptions d JOIN chats c ON c.id = d.chat_id"
            " WHERE d.chat_id = ?",
            (chat_id,),
        )
        return subscription_row(rows[0]) if rows else None

    async def due_subscriptions(
        self, now: datetime, limit: int, platforms: tuple[str, ...]
    ) -> list[tuple[Subscription, ChatState]]:
        rows = await self._read(
            f"SELECT {SUBSCRIPTION_COLUMNS}, {', '.join('c.' + c for c in CHAT_COLUMNS.split(', '))}"
            " FROM daily_subscriptions d JOIN chats c ON c.id = d.chat_id"
            f" WHERE d.active = 1 AND d.next_due_at <= ? AND c.platform IN ({','.join('?' * len(platforms))})"
            " ORDER BY d.next_due_at, d.chat_id LIMIT ?",
            (to_ms(now), *platforms, limit),
        )
        return [(subscription_row(row[:9]), chat_row(row[9:])) for row in rows]

    async def set_next_due(self, chat_id: int, next_due_at: datetime) -> None:
        await self._execute(
            "UPDATE daily_subscriptions SET next_due_at = ? WHERE chat_id = ?", (to_ms(next_due_at), chat_id)
        )

    async def claim_daily(
        self, claims: list[DailyClaim], next_due: dict[int, datetime], instance: str, at: datetime
    ) -> list[tuple[DailyClaim, int, QuizPost] | None]:
        """Claim each (chat, local date) and create its quiz post, and move every listed subscription to its
        next due time, in one transaction. A claim another instance (or an earlier run) holds gives None."""

        async def claim_all(db: SqlConnection) -> list[tuple[DailyClaim, int, QuizPost] | None]:
            claimed: dict[int, int] = {}  # chat id -> daily post id, for the claims this transaction won
            for start in range(0, len(claims), CLAIM_ROWS):
                chunk = claims[start : start + CLAIM_ROWS]
                rows = await db.execute_fetchall(
                    "INSERT INTO daily_posts (chat_id, local_date, state, claimed_by, claimed_at, closes_at,"
                    f" send_attempts) VALUES {', '.join(['(?, ?, ?, ?, ?, ?, 1)'] * len(chunk))}"
                    " ON CONFLICT (chat_id, local_date) DO NOTHING RETURNING chat_id, id",
                    [v for c in chunk for v in (c.chat_id, c.local_date, "sending", instance, to_ms(at),
                                                to_ms(c.closes_at))],
                )  # fmt: skip
                claimed.update((chat_id, daily_id) for chat_id, daily_id in rows)
            won = [claim for claim in claims if claim.chat_id in claimed]
            posts: dict[int, QuizPost] = {}
            for start in range(0, len(won), CLAIM_ROWS):
                chunk = won[start : start + CLAIM_ROWS]
                rows = await db.execute_fetchall(
                    "INSERT INTO quiz_posts (chat_id, card_id, mode, options, correct, round, created_at, closes_at)"
                    f" VALUES {', '.join(['(?, ?, ?, ?, ?, ?, ?, ?)'] * len(chunk))} RETURNING {POST_COLUMNS}",
                    [v for c in chunk for v in (c.chat_id, c.card_id, "daily", json.dumps(list(c.options),
                     ensure_ascii=False), c.correct, c.quiz_round, to_ms(at), to_ms(c.closes_at))],
                )  # fmt: skip
                posts.update((post.chat_id, post) for post in map(post_row, rows))
            await db.executemany(
                "UPDATE daily_posts SET post_id = ? WHERE id = ?",
                [(posts[claim.chat_id].id, claimed[claim.chat_id]) for claim in won],
            )
            await db.executemany(
                "UPDATE daily_subscriptions SET next_due_at = ? WHERE chat_id = ?",
                [(to_ms(due), chat_id) for chat_id, due in next_due.items()],
            )
            return [
                (claim, claimed[claim.chat_id], posts[claim.chat_id]) if claim.chat_id in claimed else None
                for claim in claims
            ]

        results = await self._write(claim_all)
        for result in results:
            if result is not None:
                self._posts.put(result[2].id, result[2])
        return results

    async def daily_post_for(self, chat_id: int, local_date: str) -> DailyPost | None:
        rows = await self._read(
            f"SELECT {DAILY_COLUMNS} FROM {DAILY_FROM} WHERE p.chat_id = ? AND p.local_date = ?",
            (chat_id, local_date),
        )
        return daily_row(rows[0]) if rows else None

    async def mark_daily(
        self, daily_id: int, state: str, at: datetime, *, message_id: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:  # fmt: skip
        async def update(db: SqlConnection) -> None:
            await db.execute(
                "UPDATE daily_posts SET state = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,"
                " retry_at = ? WHERE id = ?",
                (state, state, to_ms(at), None if retry_at is None else to_ms(retry_at), daily_id),
            )
            if message_id is not None:
                await db.execute(
                    "UPDATE quiz_posts SET message_id = ? WHERE id = (SELECT post_id FROM daily_posts WHERE id = ?)",
                    (message_id, daily_id),
                )

        await self._group_commit(update)  # a burst of daily posts is marked in a few transactions

    async def retry_due(self, now: datetime, instance: str, limit: int) -> list[DailyPost]:
        """Daily questions whose earlier send failed and whose retry time has come, taken over by this instance."""

        async def take(db: SqlConnection) -> list[int]:
            rows = await db.execute_fetchall(
                "UPDATE daily_posts SET state = 'sending', claimed_by = ?, claimed_at = ?,"
                " send_attempts = send_attempts + 1, retry_at = NULL, send_started_at = NULL"
                " WHERE id IN (SELECT id FROM daily_posts WHERE state = 'retry' AND retry_at <= ? LIMIT ?)"
                " RETURNING id",
                (instance, to_ms(now), to_ms(now), limit),
            )
            return [row[0] for row in rows]

        return await self._daily_posts(await self._write(take))

    async def abandon_stale(self, older_than: datetime) -> int:
        """A send that began before a crash may or may not have arrived: give it up rather than post twice.
        (A claim whose send never began is taken over instead: take_over_unsent.)"""

        async def give_up(db: SqlConnection) -> int:
            rows = await db.execute_fetchall(
                "UPDATE daily_posts SET state = 'failed' WHERE state = 'sending' AND send_started_at IS NOT NULL"
                " AND send_started_at < ? RETURNING id",
                (to_ms(older_than),),
            )
            return len(list(rows))

        return await self._write(give_up)

    async def start_send(self, daily_id: int, instance: str, at: datetime) -> bool:
        """Record that this instance is sending its claim now; False if the claim is no longer its own (taken
        over after the lease) or its send already began."""

        async def start(db: SqlConnection) -> bool:
            rows = await db.execute_fetchall(
                "UPDATE daily_posts SET send_started_at = ? WHERE id = ? AND claimed_by = ? AND state = 'sending'"
                " AND send_started_at IS NULL RETURNING id",
                (to_ms(at), daily_id, instance),
            )
            return bool(list(rows))

        return await self._group_commit(start)

    async def take_over_unsent(
        self, claimed_before: datetime, now: datetime, instance: str, limit: int, platforms: tuple[str, ...]
    ) -> list[DailyPost]:
        """Claims on `platforms` whose send never began although they were made before `claimed_before`
        (their process died, or is stuck): now this instance's. Processes taking over at once skip each
        other's rows."""
        cutoff = to_ms(claimed_before)
        marks = ",".join("?" * len(platforms))

        async def take(db: SqlConnection) -> list[int]:
            rows = await db.execute_fetchall(
                "UPDATE daily_posts SET claimed_by = ?, claimed_at = ? WHERE id IN (SELECT id FROM daily_posts p"
                " WHERE p.state = 'sending' AND p.send_started_at IS NULL AND p.claimed_at < ?"
                f" AND (SELECT c.platform FROM chats c WHERE c.id = p.chat_id) IN ({marks})"
                f" ORDER BY p.claimed_at, p.id LIMIT ?{self._skip_locked})"
                " AND state = 'sending' AND send_started_at IS NULL AND claimed_at < ? RETURNING id",
                (instance, to_ms(now), cutoff, *platforms, limit, cutoff),
            )
            return [row[0] for row in rows]

        return await self._daily_posts(await self._write(take))

    async def claim_results(self, now: datetime, limit: int) -> list[DailyPost]:
        """Daily questions whose answer window has closed and whose results nobody has posted: claimed."""

        async def take(db: SqlConnection) -> list[int]:
            rows = await db.execute_fetchall(
                "UPDATE daily_posts SET state = 'closed', results_at = ?"
                " WHERE id IN (SELECT id FROM daily_posts WHERE state = 'sent' AND closes_at <= ?"
                " AND (retry_at IS NULL OR retry_at <= ?) LIMIT ?) RETURNING id, post_id",
                (to_ms(now), to_ms(now), to_ms(now), limit),
            )
            rows = list(rows)
            for _, post_id in rows:
                await db.execute(
                    "UPDATE quiz_posts SET status = 'closed', closed_at = ? WHERE id = ?",
                    (to_ms(now), post_id),
                )
            return [row[0] for row in rows]

        posts = await self._daily_posts(await self._write(take))
        for post in posts:
            if post.post_id is not None:
                self._posts.drop(post.post_id)
        return posts

    async def _daily_posts(self, ids: list[int]) -> list[DailyPost]:
        if not ids:
            return []
        rows = await self._read(
            f"SELECT {DAILY_COLUMNS} FROM {DAILY_FROM} WHERE p.id IN ({','.join('?' * len(ids))})", tuple(ids)
        )
        return [daily_row(row) for row in rows]

    async def release_results(self, daily_id: int, retry_at: datetime) -> None:
        await self._execute(
            "UPDATE daily_posts SET state = 'sent', results_at = NULL, retry_at = ? WHERE id = ?",
            (to_ms(retry_at), daily_id),
        )

    async def next_due_at(
        self, platforms: tuple[str, ...], reminders: bool = True, claim_lease: timedelta | None = None
    ) -> datetime | None:
        """The earliest moment something the scheduler sends falls due (it may be past): a daily post on
        one of `platforms`, a send retry, a results window closing (or its retry), with `reminders` a
        study reminder, and with `claim_lease` the moment the oldest unsent claim may be taken over. Each
        part reads the first row of an index."""
        marks = ",".join("?" * len(platforms))
        parts = [
            "SELECT d.next_due_at FROM daily_subscriptions d JOIN chats c ON c.id = d.chat_id WHERE d.active = 1"
            f" AND d.next_due_at IS NOT NULL AND c.platform IN ({marks}) ORDER BY d.next_due_at LIMIT 1",
            "SELECT retry_at FROM daily_posts WHERE state = 'retry' AND retry_at IS NOT NULL ORDER BY retry_at LIMIT 1",
            "SELECT closes_at FROM daily_posts WHERE state = 'sent' AND retry_at IS NULL ORDER BY closes_at LIMIT 1",
            f"SELECT MIN({self._greatest}(closes_at, retry_at)) FROM daily_posts"
            " WHERE state = 'sent' AND retry_at IS NOT NULL",
        ]
        params: list = list(platforms)
        if claim_lease is not None:
            parts.append(
                "SELECT claimed_at + ? FROM daily_posts WHERE state = 'sending' AND send_started_at IS NULL"
                " ORDER BY claimed_at LIMIT 1"
            )
            params.append(int(claim_lease.total_seconds() * 1000))
        if reminders:
            parts.append(
                f"SELECT next_due_at FROM reminders WHERE active = 1 AND platform IN ({marks})"
                " ORDER BY next_due_at LIMIT 1"
            )
            params += platforms
        rows = await self._read(
            "SELECT MIN(t) FROM ("
            + " UNION ALL ".join(f"SELECT ({part}) AS t" for part in parts)
            + ") AS due",
            tuple(params),
        )
        return from_ms(rows[0][0])
