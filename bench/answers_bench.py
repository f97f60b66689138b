"""Answers per second through the service, against a one-hop baseline measured in the same run.

The baseline is the cheapest honest way to commit each answer on its own: the same number of
coroutines share one aiosqlite connection in autocommit mode and each answer is one INSERT (one thread
hop, its own transaction). Rounds alternate service and baseline so both see the same machine load;
each round is printed and the ratio is their median. Then a curve at 1 to 1,000 concurrent users.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

ROUNDS = int(os.environ.get("BENCH_ANSWER_ROUNDS", 5))
ROUND_USERS = 50
ROUND_ANSWERS = 10_000
CURVE = (1, 10, 50, 200, 1000)
CURVE_ANSWERS = int(os.environ.get("BENCH_CURVE_ANSWERS", 6_000))


def request(chat: str, user: int, action: str | None = None, command: str | None = None) -> Request:
    return Request(platform="bench", chat_id=chat, user_id=str(user), user_name=f"user {user}",
                   chat_kind=ChatKind.GROUP, locale="en", action=action, command=command)  # fmt: skip


class ServiceRun:
    """Answers through StudyService on one store; each run uses a fresh chat and fresh posts."""

    def __init__(self, bank: QuestionBank, store: SqliteStore) -> None:
        self.bank = bank
        self.store = store
        self.service = StudyService(bank, store, rng=random.Random(1))
        self.runs = 0

    async def answers_per_second(self, users: int, total: int) -> float:
        each = max(1, total // users)
        chat_name, posts = await self.prepare(users, each)
        started = time.perf_counter()
        answered = await self.answer_until(chat_name, posts, users, deadline=None)
        return answered / (time.perf_counter() - started)

    async def prepare(self, users: int, posts: int) -> tuple[str, list]:
        """A fresh group with `posts` quiz posts and `users` members who have already spoken there."""
        self.runs += 1
        chat_name = f"group-{self.runs}"
        chat = await self.store.ensure_chat("bench", chat_name, ChatKind.GROUP)
        card_ids = self.bank.quizzable(None)
        now = datetime.now(UTC)
        created = [
            await self.store.create_post(chat.id, card_ids[i % len(card_ids)], "quiz", ("a", "b", "c", "d"), 0, 1,
                                         now, None)
            for i in range(posts)
        ]  # fmt: skip
        for user in range(users):  # users exist before timing starts, as after their first message
            await self.service.handle(request(chat_name, user, command="help"))
        return chat_name, created

    async def answer_until(self, chat_name: str, posts: list, users: int, deadline: float | None) -> int:
        """Every member answers the posts in order, each answer awaiting its reply; with a deadline
        (`time.time()`), a member starts no answer after it. Returns the answers replied to; raises if a
        member ran out of posts before the deadline, which would leave the window partly idle."""

        async def member(user: int) -> int:
            answered = 0
            for post in posts:
                if deadline is not None and time.time() >= deadline:
                    return answered
                replies = await self.service.handle(
                    request(chat_name, user, action=f"a:{post.id}:{user % 4}")
                )
                assert replies[0].text.startswith(("✅", "❌")), replies[0].text
                answered += 1
            if deadline is not None:
                raise RuntimeError(f"member {user} answered all {len(posts)} posts before the deadline")
            return answered

        return sum(await asyncio.gather(*(member(user) for user in range(users))))


class BaselineRun:
    """One aiosqlite connection in autocommit mode; each answer one INSERT, one hop, its own commit."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self.runs = 0

    @classmethod
    async def open(cls, path: Path) -> BaselineRun:
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute(
            "CREATE TABLE attempts (id INTEGER PRIMARY KEY, run INTEGER, user_id INTEGER, post_id INTEGER,"
            " answer TEXT, correct INTEGER, created_at INTEGER, UNIQUE (run, post_id, user_id))"
        )
        return cls(db)

    async def answers_per_second(self, users: int, total: int) -> float:
        self.runs += 1
        each = max(1, total // users)

        async def member(user: int) -> None:
            for post in range(each):
                await self.db.execute(
                    "INSERT INTO attempts (run, user_id, post_id, answer, correct, created_at)"
                    " VALUES (?, ?, ?, 'A', 1, ?)",
                    (self.runs, user, post, int(time.time() * 1000)),
                )

        started = time.perf_counter()
        await asyncio.gather(*(member(user) for user in range(users)))
        return users * each / (time.perf_counter() - started)


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "answers.sqlite3")
        baseline = await BaselineRun.open(Path(tmp) / "baseline.sqlite3")
        service = ServiceRun(bank, store)
        try:
            await service.answers_per_second(ROUND_USERS, 1_000)  # warm-up: imports, caches, first pages
            await baseline.answers_per_second(ROUND_USERS, 1_000)
            ratios = []
            for number in range(1, ROUNDS + 1):
                ours = await service.answers_per_second(ROUND_USERS, ROUND_ANSWERS)
                raw = await baseline.answers_per_second(ROUND_USERS, ROUND_ANSWERS)
                ratios.append(ours / raw)
                emit("answers_per_second_round", round=number, concurrent_users=ROUND_USERS, answers=ROUND_ANSWERS,
                     service_per_s=round(ours), one_hop_autocommit_insert_per_s=round(raw),
                     ratio=round(ours / raw, 2))  # fmt: skip
            emit("answers_per_second", rounds=ROUNDS, concurrent_users=ROUND_USERS,
                 median_ratio_to_baseline=round(statistics.median(ratios), 2), target_min_ratio=0.5)  # fmt: skip
            curve = []
            for users in CURVE:
                ours = await service.answers_per_second(users, CURVE_ANSWERS)
                raw = await baseline.answers_per_second(users, CURVE_ANSWERS)
                curve.append({"users": users, "service_per_s": round(ours), "baseline_per_s": round(raw)})
            emit("answers_per_second_curve", answers_per_point=CURVE_ANSWERS, curve=curve)
        finally:
            await baseline.db.close()
            await store.close()


def run() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run()
