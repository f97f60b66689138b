"""Running at scale: what metrics cost on the answer path, and what a Redis-shared flood limit costs per send.

`python -m bench.scale_bench` runs this module alone.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from telegram.ext import AIORateLimiter

from bench.content_bench import CONTENT, emit
from bot.adapters.metrics import BotMetrics, MeteredStore
from bot.adapters.telegram.shared_limits import SharedFloodLimiter
from bot.core.content import load_content
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore

USERS = 50
POSTS_PER_USER = 100
SENDS = 2000
REDIS_URL = os.environ.get("STUDY_BOT_TEST_REDIS", "redis://127.0.0.1:6379/15")


def request(user: int, action: str | None = None, command: str | None = None) -> Request:
    return Request(platform="bench", chat_id="group", user_id=str(user), user_name=f"user {user}",
                   chat_kind=ChatKind.GROUP, locale="en", action=action, command=command)  # fmt: skip


async def answers_per_second(bank: QuestionBank, path: Path, metered: bool) -> float:
    raw = await SqliteStore.open(path)
    store = MeteredStore(raw, BotMetrics()) if metered else raw
    service = StudyService(bank, store, rng=random.Random(1))  # type: ignore[arg-type]
    chat = await store.ensure_chat("bench", "group", ChatKind.GROUP)
    card_ids = bank.quizzable(None)
    now = datetime.now(UTC)
    posts = [
        await store.create_post(
            chat.id, card_ids[i % len(card_ids)], "quiz", ("a", "b", "c", "d"), 0, 1, now, None
        )
        for i in range(POSTS_PER_USER)
    ]
    for user in range(USERS):
        await service.handle(request(user, command="help"))

    async def member(user: int) -> None:
        for post in posts:
            await service.handle(request(user, action=f"a:{post.id}:{user % 4}"))

    started = time.perf_counter()
    await asyncio.gather(*(member(user) for user in range(USERS)))
    seconds = time.perf_counter() - started
    await raw.close()
    return USERS * POSTS_PER_USER / seconds


async def limiter_cost(limiter) -> tuple[float, float, float]:
    """p50 and p95 milliseconds a send spends in the limiter (limits far above the load), and sends/s."""
    await limiter.initialize()

    async def send() -> bool:
        return True

    spent: list[float] = []

    async def one(n: int) -> None:
        started = time.perf_counter()
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 1000 + n}, None)
        spent.append(time.perf_counter() - started)

    started = time.perf_counter()
    for batch in range(0, SENDS, 50):  # 50 sends in flight, like the scheduler's fan-out
        await asyncio.gather(*(one(n) for n in range(batch, batch + 50)))
    rate = SENDS / (time.perf_counter() - started)
    await limiter.shutdown()
    quantiles = statistics.quantiles(spent, n=20)
    return quantiles[9] * 1000, quantiles[18] * 1000, rate


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as folder:
        plain = await answers_per_second(bank, Path(folder) / "plain.sqlite3", metered=False)
        metered = await answers_per_second(bank, Path(folder) / "metered.sqlite3", metered=True)
    emit("metrics_overhead", answers=USERS * POSTS_PER_USER, plain_per_s=round(plain),
         with_metrics_per_s=round(metered), ratio=round(metered / plain, 2))  # fmt: skip

    local = await limiter_cost(AIORateLimiter(overall_max_rate=1_000_000, group_max_rate=1_000_000))
    shared = SharedFloodLimiter(
        REDIS_URL, "bench", overall_per_second=1_000_000, group_per_minute=1_000_000,
        key_prefix=f"study-bot-bench-{uuid.uuid4().hex[:8]}",
    )  # fmt: skip
    try:
        redis = await limiter_cost(shared)
    except Exception as exc:
        emit("shared_flood_limit", skipped=f"no Redis at {REDIS_URL}: {type(exc).__name__}")
        return
    emit("shared_flood_limit", sends=SENDS, in_flight=50,
         in_process_p50_ms=round(local[0], 3), in_process_p95_ms=round(local[1], 3), in_process_per_s=round(local[2]),
         redis_p50_ms=round(redis[0], 3), redis_p95_ms=round(redis[1], 3), redis_per_s=round(redis[2]),
         telegram_limit_per_s=30)  # fmt: skip


def run() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run()
