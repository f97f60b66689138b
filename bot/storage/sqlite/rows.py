"""Rows to records and back for both stores: column lists, conversions, a small TTL cache."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Generic, TypeVar

from bot.core.messages import ChatKind
from bot.core.ports import ChatState, DailyPost, NewAnswer, QuizPost, ScoreLine, Subscription
from bot.storage.sql import Row

K = TypeVar("K")
V = TypeVar("V")
# Chats and quiz posts are read on every request. This process's own writes update the cached copies
# at once; a change made by another process on the same database is seen within CACHE_SECONDS.
CACHE_SECONDS = 5.0
CACHE_SIZE = 4096
USER_CACHE_SIZE = 4096  # users whose id and name are kept in memory

RECORD_ANSWER = """
INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at, local_day)
SELECT :user_id, :chat_id, :card_id, :post_id, :mode, :answer, :correct,
       CASE WHEN EXISTS (
           SELECT 1 FROM attempts
           WHERE user_id = :user_id AND chat_id = :chat_id AND card_id = :card_id AND created_at >= :since
       ) THEN 0 ELSE :points END,
       :at, :local_day
WHERE true
ON CONFLICT (post_id, user_id) DO NOTHING
RETURNING points
"""
POST_COLUMNS = (
    "id, chat_id, card_id, mode, options, correct, round, status, created_at, closes_at, message_id"
)
CHAT_COLUMNS = "id, platform, platform_chat_id, kind, language, decks, quiz_round, active, timezone, members"
SUBSCRIPTION_COLUMNS = (
    "d.chat_id, c.platform, d.target, d.post_time, d.timezone, d.decks, d.active, d.next_due_at, d.language"
)
DAILY_COLUMNS = (
    "p.id, p.chat_id, c.platform, COALESCE(d.target, c.platform_chat_id), p.local_date, p.post_id, p.state,"
    " p.send_attempts, p.closes_at"
)
DAILY_FROM = (
    "daily_posts p JOIN chats c ON c.id = p.chat_id LEFT JOIN daily_subscriptions d ON d.chat_id = p.chat_id"
)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value / 1000, UTC)


class TtlCache(Generic[K, V]):
    """A small map whose entries expire after CACHE_SECONDS; the oldest go first past CACHE_SIZE."""

    def __init__(self) -> None:
        self._entries: dict[K, tuple[float, V]] = {}

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: K, value: V) -> None:
        self._entries.pop(key, None)
        self._entries[key] = (time.monotonic() + CACHE_SECONDS, value)
        if len(self._entries) > CACHE_SIZE:
            del self._entries[next(iter(self._entries))]

    def drop(self, key: K) -> None:
        self._entries.pop(key, None)


class LruMap(Generic[K, V]):
    """A map holding the `size` most recently used entries (the standard library's OrderedDict does the
    bookkeeping), so a cache keyed by users or chats stays bounded however many the bot has ever seen."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def ranked(rows: list[Row]) -> list[ScoreLine]:
    """Score lines in order; equal points share a rank (1, 2, 2, 4)."""
    board: list[ScoreLine] = []
    for position, (user_id, name, points, answered, correct) in enumerate(rows, start=1):
        rank = board[-1].rank if board and board[-1].points == points else position
        board.append(ScoreLine(user_id, name, points, answered, correct, rank))
    return board


def answer_params(answer: NewAnswer) -> dict:
    return {
        "user_id": answer.user_id,
        "chat_id": answer.chat_id,
        "card_id": answer.card_id,
        "post_id": answer.post_id,
        "mode": answer.mode,
        "answer": answer.answer,
        "correct": int(answer.correct),
        "points": answer.points,
        "at": to_ms(answer.at),
        "since": to_ms(answer.repeat_since),
        "local_day": answer.local_day,
    }


def chat_row(row: Row) -> ChatState:
    chat_id, platform, platform_chat_id, kind, language, decks, quiz_round, active, timezone, members = row
    return ChatState(
        chat_id, platform, platform_chat_id, ChatKind(kind), language,
        None if decks is None else tuple(json.loads(decks)), quiz_round, bool(active), timezone, members,
    )  # fmt: skip


def subscription_row(row: Row) -> Subscription:
    chat_id, platform, target, post_time, timezone, decks, active, next_due, language = row
    return Subscription(
        chat_id, platform, target, post_time, timezone, None if decks is None else tuple(json.loads(decks)),
        bool(active), from_ms(next_due), language,
    )  # fmt: skip


def daily_row(row: Row) -> DailyPost:
    daily_id, chat_id, platform, target, day, post_id, state, attempts, closes = row
    return DailyPost(
        daily_id,
        chat_id,
        platform,
        target,
        day,
        post_id,
        state,
        attempts,
        datetime.fromtimestamp(closes / 1000, UTC),
    )


def post_row(row: Row) -> QuizPost:
    post_id, chat_id, card_id, mode, options, correct, quiz_round, status, created, closes, message = row
    return QuizPost(
        post_id, chat_id, card_id, mode, tuple(json.loads(options)), correct, quiz_round, status,
        datetime.fromtimestamp(created / 1000, UTC), from_ms(closes), message,
    )  # fmt: skip
