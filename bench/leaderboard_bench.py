"""Leaderboards and /score at scale: 100,000 members, 1,000,000 attempts over 90 days, chats in several zones.

The fill is a bulk equivalent of the write path: attempts (with their group-local day) go into a
database at schema 0003 with its triggers set aside, `scores` and `day_scores` are then summed from
them as the triggers would have, and the store opens it so migration 0004 backfills the period totals,
as on an upgrade. A few thousand answers then go through the service itself (the triggers' path). Every period is timed cold (the first call on a
freshly opened store: empty SQLite page cache; the OS file cache stays warm) and warm, next to the
summing queries the boards used before (the baseline).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.content_bench import CONTENT, emit
from bot.core.content import load_content
from bot.core.daily_time import period_start
from bot.core.messages import ChatKind, Request
from bot.core.question_bank import QuestionBank
from bot.core.service import StudyService
from bot.storage.sqlite.migrate import MIGRATIONS_DIR
from bot.storage.sqlite.store import SqliteStore

MEMBERS = int(os.environ.get("BENCH_BOARD_MEMBERS", 100_000))
ATTEMPTS = int(os.environ.get("BENCH_BOARD_ATTEMPTS", 1_000_000))
DAYS = 90
BIG_ZONE = "Asia/Shanghai"
# smaller groups elsewhere, so the tables hold several chats and zones (members, attempts, zone)
OTHER_CHATS = (("berlin", 5_000, 30_000, "Europe/Berlin"), ("new-york", 5_000, 30_000, "America/New_York"))
COLD_RUNS = 12
WARM_CALLS = 150
BASELINE_CALLS = 12
SERVICE_ANSWERS = 2_000


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(1000 * statistics.median(values), 2), "p95_ms": p(values, 0.95)}


def fill(path: Path, now: datetime) -> None:
    """Chats, members and attempts into a schema-0003 database, with the totals its triggers keep."""
    rng = random.Random(5)
    start_ms = int((now - timedelta(days=DAYS)).timestamp() * 1000)
    span_ms = DAYS * 86_400_000
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = OFF")  # a scratch database: no need to survive a crash mid-fill
        db.execute("PRAGMA cache_size = -262144")  # 256 MB: the indexes are built in memory, not on disk
        # bulk load: set the triggers aside and aggregate once below, exactly as they would have
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _ in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.executemany(
            "INSERT INTO users (platform, platform_user_id, display_name, created_at) VALUES ('bench', ?, ?, 0)",
            ((str(i), f"member {i}") for i in range(MEMBERS)),
        )
        first_user = db.execute("SELECT MIN(id) FROM users WHERE platform = 'bench'").fetchone()[0]
        for name, members, attempts, zone_name in (("big", MEMBERS, ATTEMPTS, BIG_ZONE), *OTHER_CHATS):
            db.execute(
                "INSERT INTO chats (platform, platform_chat_id, kind, timezone, created_at)"
                " VALUES ('bench', ?, 'group', ?, 0)",
                (name, zone_name),
            )
            chat_id = db.execute("SELECT id FROM chats WHERE platform_chat_id = ?", (name,)).fetchone()[0]
            zone = ZoneInfo(zone_name)
            times = sorted(start_ms + rng.randrange(span_ms) for _ in range(attempts))

            def rows(times=times, chat_id=chat_id, zone=zone, members=members):
                for i, at in enumerate(times):
                    user = first_user + int(members * rng.random() ** 2)  # a few very active members
                    right = rng.random() < 0.6
                    day = datetime.fromtimestamp(at / 1000, zone).date().isoformat()
                    yield (user, chat_id, f"card-{i % 116}", right, 5 if right else 0, at, day)

            db.executemany(
                "INSERT INTO attempts (user_id, chat_id, card_id, post_id, mode, answer, correct, points,"
                " created_at, local_day) VALUES (?, ?, ?, NULL, 'quiz', 'A', ?, ?, ?, ?)",
                rows(),
            )
        db.execute(
            "INSERT INTO scores (chat_id, user_id, points, answered, correct, last_answer_at)"
            " SELECT chat_id, user_id, SUM(points), COUNT(*), SUM(correct), MAX(created_at) FROM attempts"
            " GROUP BY chat_id, user_id"
        )
        db.execute(
            "INSERT INTO day_scores (chat_id, day, user_id, points, answered, correct)"
            " SELECT chat_id, local_day, user_id, SUM(points), COUNT(*), SUM(correct) FROM attempts"
            " GROUP BY chat_id, local_day, user_id"
        )
        db.execute("UPDATE chats SET members = (SELECT COUNT(*) FROM scores WHERE scores.chat_id = chats.id)")
        for _, sql in triggers:
            db.execute(sql)
        db.execute("ANALYZE")


def caller(member: int, command: str, args: str = "", chat: str = "big") -> Request:
    return Request(platform="bench", chat_id=chat, user_id=str(member), user_name=f"member {member}",
                   chat_kind=ChatKind.GROUP, command=command, args=args, locale="en")  # fmt: skip


async def timed(service: StudyService, request: Request) -> float:
    started = time.perf_counter()
    replies = await service.handle(request)
    elapsed = time.perf_counter() - started
    assert replies and replies[0].text.startswith(("🏆", "📊")), replies[0].text[:80]
    return elapsed


async def ranked_members(path: Path) -> dict[str, int]:
    """Bench member numbers of the top, middle and last-ranked members of the big chat (all time)."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT u.platform_user_id FROM scores s JOIN users u ON u.id = s.user_id JOIN chats c ON"
            " c.id = s.chat_id WHERE c.platform_chat_id = 'big' ORDER BY s.points DESC, s.last_answer_at"
        ).fetchall()
    return {"top": int(rows[0][0]), "middle": int(rows[len(rows) // 2][0]), "last": int(rows[-1][0])}


async def measure(
    bank: QuestionBank, path: Path | str, members: dict[str, int], opener=None, label: str = "sqlite"
) -> None:
    """Cold and warm p50/p95 per period and /score rank; `opener` opens a store on `path` (SQLite by default)."""
    opener = opener or SqliteStore.open
    rng = random.Random(9)
    cases: dict[str, list[Request]] = {}
    for period in ("today", "week", "month", "all"):
        cases[f"leaderboard_{period}"] = [
            caller(rng.randrange(MEMBERS), "leaderboard", period) for _ in range(WARM_CALLS)
        ]
    for rank, member in members.items():
        cases[f"score_{rank}"] = [caller(member, "score")] * WARM_CALLS
    cold: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(COLD_RUNS):
        for name, requests in cases.items():
            store = await opener(path)  # fresh connections: SQLite's page cache is empty
            try:
                cold[name].append(await timed(StudyService(bank, store), requests[0]))
            finally:
                await store.close()
    store = await opener(path)
    try:
        service = StudyService(bank, store)
        for name, requests in cases.items():
            warm = [await timed(service, request) for request in requests]
            emit("leaderboard_latency", store=label, case=name, members=MEMBERS, attempts=ATTEMPTS,
                 cold=summary(cold[name]), warm=summary(warm), cold_runs=COLD_RUNS, warm_calls=len(warm),
                 target_p95_ms=20)  # fmt: skip
        await baseline(store, members)
    finally:
        await store.close()


async def baseline(store: SqliteStore, members: dict[str, int]) -> None:
    """The queries the boards used before migration 0004 (sum `day_scores`, count everyone above), warm."""
    chat = await store.ensure_chat("bench", "big", ChatKind.GROUP)
    zone = ZoneInfo(BIG_ZONE)
    now = datetime.now(UTC)
    last = await store.ensure_user("bench", str(members["last"]), f"member {members['last']}")
    for period in ("today", "week", "month"):
        since = period_start(period, now, zone).isoformat()
        timings = []
        for _ in range(BASELINE_CALLS):
            started = time.perf_counter()
            await store.period_leaderboard(chat.id, since, 10)  # no period: the old summing query
            await store.period_score(chat.id, last.id, since)
            timings.append(time.perf_counter() - started)
        emit("leaderboard_latency_baseline", case=f"leaderboard_{period}", query="sum day_scores per member",
             warm=summary(timings), calls=BASELINE_CALLS)  # fmt: skip
    timings = []
    for rank in ("top", "middle", "last"):
        user = await store.ensure_user("bench", str(members[rank]), f"member {members[rank]}")
        for _ in range(BASELINE_CALLS):
            started = time.perf_counter()
            await store._read(
                "SELECT (SELECT COUNT(*) FROM scores r WHERE r.chat_id = s.chat_id AND r.points > s.points) + 1"
                " FROM scores s WHERE s.chat_id = ? AND s.user_id = ?",
                (chat.id, user.id),
            )
            timings.append(time.perf_counter() - started)
        emit("leaderboard_latency_baseline", case=f"score_{rank}", query="count everyone above",
             warm=summary(timings[-BASELINE_CALLS:]), calls=BASELINE_CALLS)  # fmt: skip


async def answer_through_service(bank: QuestionBank, path: Path) -> float:
    """SERVICE_ANSWERS answers from existing members through the service (the increments' real path)."""
    store = await SqliteStore.open(path)
    try:
        service = StudyService(bank, store, rng=random.Random(2))
        chat = await store.ensure_chat("bench", "big", ChatKind.GROUP)
        card_ids = bank.quizzable(None)
        now = datetime.now(UTC)
        posts = [
            await store.create_post(chat.id, card_ids[i % len(card_ids)], "quiz", ("a", "b"), 0, 1, now, None)
            for i in range(SERVICE_ANSWERS // 50)
        ]
        started = time.perf_counter()

        async def member(number: int) -> None:
            for post in posts:
                request = dataclasses.replace(caller(number, ""), command=None, action=f"a:{post.id}:0")
                replies = await service.handle(request)
                assert replies[0].text.startswith("✅"), replies[0].text

        await asyncio.gather(*(member(number) for number in range(0, MEMBERS, MEMBERS // 50)))
        return time.perf_counter() - started
    finally:
        await store.close()


async def build(path: Path) -> None:
    """The big database at `path`: filled at schema 0003, upgraded (0004 backfills the period totals), then
    a few thousand answers through the service."""
    bank = QuestionBank(load_content([CONTENT]))
    before = path.parent / "migrations-0003"
    before.mkdir(exist_ok=True)
    for migration in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if int(migration.name.split("_", 1)[0]) <= 3:
            shutil.copy(migration, before)
    await (await SqliteStore.open(path, before)).close()
    started = time.perf_counter()
    fill(path, datetime.now(UTC))
    fill_seconds = time.perf_counter() - started
    started = time.perf_counter()
    await (await SqliteStore.open(path)).close()  # migration 0004 backfills the period totals
    backfill_seconds = time.perf_counter() - started
    service_seconds = await answer_through_service(bank, path)
    emit("leaderboard_fill", members=MEMBERS, attempts=ATTEMPTS, days=DAYS, zones=[BIG_ZONE] + [c[3] for c in OTHER_CHATS],
         fill_s=round(fill_seconds, 1), migration_0004_backfill_s=round(backfill_seconds, 1),
         service_answers=SERVICE_ANSWERS, service_answers_s=round(service_seconds, 1))  # fmt: skip


async def main() -> None:
    bank = QuestionBank(load_content([CONTENT]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.sqlite3"
        await build(path)
        await measure(bank, path, await ranked_members(path))


def run() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run()
