"""Bot core speed: answers per second through the service, leaderboard latency at scale, memory."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import statistics
import subprocess
import sys
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
from bot.storage.migrations import MIGRATIONS_DIR
from bot.storage.sqlite_store import SqliteStore, to_ms

USERS = 50
POSTS_PER_USER = 200
BOARD_USERS = 100_000
BOARD_ATTEMPTS = 1_000_000
BOARD_CALLS = 300


def request(user: int, action: str | None = None, command: str | None = None) -> Request:
    return Request(platform="bench", chat_id="group", user_id=str(user), user_name=f"user {user}",
                   chat_kind=ChatKind.GROUP, locale="en", action=action, command=command)  # fmt: skip


async def answers_per_second(bank: QuestionBank, folder: Path) -> None:
    store = await SqliteStore.open(folder / "answers.sqlite3")
    service = StudyService(bank, store, rng=random.Random(1))
    chat = await store.ensure_chat("bench", "group", ChatKind.GROUP)
    card_ids = bank.quizzable(None)
    now = datetime.now(UTC)
    posts = [
        await store.create_post(
            chat.id, card_ids[i % len(card_ids)], "quiz", ("a", "b", "c", "d"), 0, 1, now, None
        )
        for i in range(POSTS_PER_USER)
    ]
    for user in range(USERS):  # users exist before timing starts, as they would after their first message
        await service.handle(request(user, command="help"))

    async def member(user: int) -> None:
        for post in posts:
            replies = await service.handle(request(user, action=f"a:{post.id}:{user % 4}"))
            assert replies[0].text.startswith(("✅", "❌")), replies[0].text

    started = time.perf_counter()
    await asyncio.gather(*(member(user) for user in range(USERS)))
    service_seconds = time.perf_counter() - started
    await store.close()
    total = USERS * POSTS_PER_USER

    baseline = await raw_insert_baseline(folder / "baseline.sqlite3", total)
    rate = total / service_seconds
    emit("answers_per_second", concurrent_users=USERS, answers=total, service_per_s=round(rate),
         raw_aiosqlite_insert_per_s=round(baseline), ratio_to_baseline=round(rate / baseline, 2),
         target_min_per_s=2000, target_min_ratio=0.5)  # fmt: skip


async def raw_insert_baseline(path: Path, total: int) -> float:
    """The plain way: the same 50 coroutines share one aiosqlite connection, one INSERT + COMMIT per answer."""
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA synchronous = NORMAL")
    await db.execute(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, user_id INTEGER, post_id INTEGER, answer TEXT,"
        " correct INTEGER, created_at INTEGER, UNIQUE (post_id, user_id))"
    )
    lock = asyncio.Lock()

    async def member(user: int) -> None:
        for post in range(total // USERS):
            async with lock:
                await db.execute("BEGIN")
                await db.execute(
                    "INSERT INTO attempts (user_id, post_id, answer, correct, created_at) VALUES (?, ?, 'A', 1, ?)",
                    (user, post, int(time.time() * 1000)),
                )
                await db.execute("COMMIT")

    started = time.perf_counter()
    await asyncio.gather(*(member(user) for user in range(USERS)))
    elapsed = time.perf_counter() - started
    await db.close()
    return total / elapsed


def fill_big_chat(path: Path) -> None:
    """100,000 members and 1,000,000 attempts in one chat, with scores aggregated as the trigger would."""
    rng = random.Random(5)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO chats (platform, platform_chat_id, kind, created_at) VALUES ('bench', 'big', 'group', 0)"
        )
        chat_id = db.execute("SELECT id FROM chats WHERE platform_chat_id = 'big'").fetchone()[0]
        db.executemany(
            "INSERT INTO users (platform, platform_user_id, display_name, created_at) VALUES ('bench', ?, ?, 0)",
            ((str(i), f"member {i}") for i in range(BOARD_USERS)),
        )
        first_user = db.execute("SELECT MIN(id) FROM users WHERE platform = 'bench'").fetchone()[0]
        db.execute("DROP TRIGGER attempts_update_scores")  # bulk load: aggregate once below instead
        start = to_ms(datetime(2026, 1, 1, tzinfo=UTC))
        db.executemany(
            "INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points, created_at)"
            " VALUES (?, ?, ?, NULL, 'quiz', 'A', ?, ?, ?)",
            (
                (first_user + rng.randrange(BOARD_USERS), chat_id, f"card-{i % 116}", c := rng.random() < 0.6,
                 5 if c else 0, start + i * 1000)
                for i in range(BOARD_ATTEMPTS)
            ),
        )  # fmt: skip
        db.execute(
            "INSERT INTO scores (chat_id, user_id, points, answered, correct, last_answer_at)"
            " SELECT chat_id, user_id, SUM(points), COUNT(*), SUM(correct), MAX(created_at) FROM attempts"
            " WHERE chat_id = ? GROUP BY chat_id, user_id",
            (chat_id,),
        )
        migration = (MIGRATIONS_DIR / "0001_initial.sql").read_text()
        db.executescript("CREATE TRIGGER" + migration.split("CREATE TRIGGER", 1)[1])
        db.execute("ANALYZE")


async def leaderboard_latency(bank: QuestionBank, folder: Path) -> None:
    path = folder / "big.sqlite3"
    await (await SqliteStore.open(path)).close()
    started = time.perf_counter()
    fill_big_chat(path)
    fill_seconds = time.perf_counter() - started
    store = await SqliteStore.open(path)
    service = StudyService(bank, store)
    rng = random.Random(9)
    timings = []
    for _ in range(BOARD_CALLS):
        member = rng.randrange(BOARD_USERS)
        caller = Request(platform="bench", chat_id="big", user_id=str(member), user_name=f"member {member}",
                         chat_kind=ChatKind.GROUP, command="leaderboard")  # fmt: skip
        t0 = time.perf_counter()
        replies = await service.handle(caller)
        timings.append(time.perf_counter() - t0)
        assert replies[0].text.startswith("🏆")
    await store.close()
    timings.sort()
    emit("leaderboard_latency", members=BOARD_USERS, attempts=BOARD_ATTEMPTS, calls=BOARD_CALLS,
         p50_ms=round(1000 * statistics.median(timings), 2), p95_ms=round(1000 * timings[int(0.95 * len(timings))], 2),
         max_ms=round(1000 * timings[-1], 2), target_p95_ms=20, fill_s=round(fill_seconds, 1))  # fmt: skip


_MEMORY_PROBE = """
import asyncio, json, sys, tempfile
def rss():
    with open('/proc/self/status') as status:
        return next(int(l.split()[1]) / 1024 for l in status if l.startswith('VmRSS:'))
bare = rss()
from bot.core.content import load_content
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite_store import SqliteStore
imported = rss()
bank = QuestionBank(load_content([sys.argv[1]]))
for card_id in bank.quizzable(None):
    bank.choices.choices(card_id, 0)
async def main():
    with tempfile.TemporaryDirectory() as tmp:
        store = await SqliteStore.open(tmp + '/memory.sqlite3')
        StudyService(bank, store)
        running = rss()
        await store.close()
        return running
running = asyncio.run(main())
print(json.dumps({"bare": bare, "imported": imported, "running": running, "cards": bank.card_count}))
"""


def core_memory() -> None:
    """Resident memory of a fresh process running the core (no chat platform imported) with all content."""
    probe = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(CONTENT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    values = json.loads(probe.stdout)
    emit("core_memory", rss_mb_bare_python=round(values["bare"], 1), rss_mb_core_imported=round(values["imported"], 1),
         rss_mb_running_with_content=round(values["running"], 1), cards=values["cards"])  # fmt: skip


async def main() -> None:
    core_memory()
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as tmp:
        await answers_per_second(bank, Path(tmp))
        await leaderboard_latency(bank, Path(tmp))


def run() -> None:
    asyncio.run(main())
