"""Daily fan-out: 100,000 groups due at the same minute, through an adapter stub that enforces a send limit.

Prints the time against the rate-limit floor (groups / limit) and the process's peak resident memory
during the pass next to its memory before it (Linux: the peak is reset through /proc/self/clear_refs).
`BENCH_FANOUT_GROUPS` sets the number of groups (the full 100,000 take 100 s at the stub's limit).
"""

from __future__ import annotations

import asyncio
import collections
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.daily import DailyQuestions, DailyScheduler
from bot.core.messages import Reply
from bot.core.question_bank import QuestionBank
from bot.storage.sqlite.rows import to_ms
from bot.storage.sqlite.store import SqliteStore

GROUPS = int(os.environ.get("BENCH_FANOUT_GROUPS", 100_000))
SENDS_PER_SECOND = 1_000  # the stub's limit, scaled down from a real platform so the run takes seconds


class RateLimitedPlatform:
    """A platform stub that accepts at most SENDS_PER_SECOND messages per second, like a flood limit.

    The scheduler is not told the number: it only sees post() taking as long as the platform makes it."""

    name = "stub"

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate
        self.next_slot = 0.0
        self.lock = asyncio.Lock()
        self.posted: collections.Counter[str] = collections.Counter()
        self.count = 0

    async def post(self, target: str, reply: Reply) -> str:
        async with self.lock:
            now = time.perf_counter()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.interval
        delay = slot - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        self.posted[target] += 1
        self.count += 1
        return f"m{self.count}"


def memory_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith(field + ":"))


def reset_peak_memory() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM, the peak resident set, to the current one
        return True
    except OSError:
        return False


class FrozenClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def subscribe_groups(path: Path, now: datetime) -> None:
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO chats (platform, platform_chat_id, kind, timezone, created_at) VALUES ('stub', ?, 'group', ?, 0)",
            ((f"group-{i}", ("Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC")[i % 4]) for i in range(GROUPS)),
        )  # fmt: skip
        db.execute(
            "INSERT INTO daily_subscriptions (chat_id, target, post_time, timezone, active, next_due_at, updated_at)"
            " SELECT id, platform_chat_id, ?, timezone, 1, ?, 0 FROM chats WHERE platform = 'stub'",
            (now.astimezone(UTC).strftime("%H:%M"), to_ms(now)),
        )


async def fan_out(bank: QuestionBank, folder: Path) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    path = folder / "fanout.sqlite3"
    await (await SqliteStore.open(path)).close()
    subscribe_groups(path, now)
    store = await SqliteStore.open(path)
    platform = RateLimitedPlatform(SENDS_PER_SECOND)
    questions = DailyQuestions(bank, store, rng=random.Random(3))
    scheduler = DailyScheduler(questions, store, FrozenClock(now), {"stub": platform})
    rss_before = memory_mb("VmRSS")
    peak_reset = reset_peak_memory()
    started = time.perf_counter()
    report = await scheduler.tick()
    elapsed = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    second = await scheduler.tick()  # nothing is due twice
    await store.close()
    floor = GROUPS / SENDS_PER_SECOND
    emit("daily_fan_out", groups=GROUPS, platform_limit_per_s=SENDS_PER_SECOND, posted=report.posted,
         distinct_groups=len(platform.posted), posted_twice=sum(1 for n in platform.posted.values() if n > 1),
         second_pass_posted=second.posted, seconds=round(elapsed, 2), floor_seconds=floor,
         ratio_to_floor=round(elapsed / floor, 3), target_max_ratio=1.05, rss_mb_before=round(rss_before, 1),
         peak_rss_mb_during=round(peak, 1), peak_is_of_this_pass=peak_reset, target_max_peak_rss_mb=150)  # fmt: skip


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as tmp:
        await fan_out(bank, Path(tmp))


def run() -> None:
    """In a fresh process, so its peak memory is the fan-out's own, not what earlier benches left behind."""
    subprocess.run(
        [sys.executable, "-m", "bench.daily_bench"], check=True, cwd=Path(__file__).resolve().parent.parent
    )


if __name__ == "__main__":
    asyncio.run(main())
