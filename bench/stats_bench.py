"""Responsiveness under /stats load: /quiz latency while 8 users ask for their charts at once.

/stats draws a PNG chart (and its first call imports matplotlib); if that ran on the event loop,
every other chat would wait for it. Target: /quiz p95 under 300 ms while 8 /stats run concurrently,
from a cold start (the first charts include the matplotlib import).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

STATS_USERS = 8
QUIZZES = 60
REVIEWS_EACH = 10
TARGET_P95_MS = 300


def request(chat: str, user: str, *, command: str | None = None, action: str | None = None) -> Request:
    return Request(platform="bench", chat_id=chat, user_id=user, user_name=user, chat_kind=ChatKind.PRIVATE,
                   locale="en", command=command, action=action)  # fmt: skip


async def quiz_latencies(service: StudyService, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        replies = await service.handle(request("quiz-chat", "quizzer", command="quiz"))
        timings.append(time.perf_counter() - started)
        assert replies[-1].post_id is not None
        await asyncio.sleep(0.02)  # a user's pace, not a tight loop
    return timings


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(1000 * ordered[-1], 1),
    }


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(Path(tmp) / "stats.sqlite3")
        service = StudyService(bank, store, rng=random.Random(2))
        users = [f"learner-{n}" for n in range(STATS_USERS)]
        for user in users:  # some history, so each chart has bars to draw
            for index in range(REVIEWS_EACH):
                shown = (await service.handle(request(user, user, command="study")))[0]
                reveal = (await service.handle(request(user, user, action=shown.buttons[0][0].action)))[0]
                await service.handle(request(user, user, action=reveal.buttons[0][1 + index % 3].action))
        alone = await quiz_latencies(service, QUIZZES)

        stop = asyncio.Event()
        charts = 0

        async def keep_asking(user: str) -> None:
            nonlocal charts
            while not stop.is_set():
                [reply] = await service.handle(request(user, user, command="stats"))
                assert reply.image
                charts += 1

        started = time.perf_counter()
        load = [asyncio.create_task(keep_asking(user)) for user in users]
        await asyncio.sleep(0)  # the 8 /stats are under way (cold: the first charts import matplotlib)
        loaded = await quiz_latencies(service, QUIZZES)
        stop.set()
        await asyncio.gather(*load)
        elapsed = time.perf_counter() - started
        await store.close()
    emit("quiz_latency_under_stats", concurrent_stats=STATS_USERS, quizzes=QUIZZES, charts_drawn=charts,
         charts_per_s=round(charts / elapsed, 1), alone=summary(alone), under_stats=summary(loaded),
         target_p95_ms=TARGET_P95_MS)  # fmt: skip


def run() -> None:
    asyncio.run(main())
