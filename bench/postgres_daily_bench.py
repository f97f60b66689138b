"""Daily fan-out on PostgreSQL: 10,000 groups due at once, sent by one and by three bot processes that share
one platform stub accepting 1,000 messages/s in all (a flood limit belongs to the token, not the process).

Each process runs the real daily scheduler (claims in the database, bounded send queue) on its own
PostgresStore; its poster is a client of the stub, which the parent serves on 127.0.0.1 and which spaces
every accepted message 1 ms after the one before, whichever process sent it. Time runs from the
moment the processes are told to go (content loaded, store open) to the stub accepting the last question,
against the 10 s floor (groups / limit); every group must get its question exactly once.
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import sys
import time
from datetime import UTC, datetime

import asyncpg

from bench.content_bench import CONTENT, emit
from bench.worker_processes import start_together
from bot.core.content import load_content
from bot.core.daily import DailyQuestions, DailyScheduler
from bot.core.messages import Reply
from bot.core.question_bank import QuestionBank
from bot.storage.postgres.store import PostgresStore

GROUPS = int(os.environ.get("BENCH_PG_FANOUT_GROUPS", 10_000))
SENDS_PER_SECOND = 1_000


class SharedStub:
    """The platform, seen by every process: one send slot per 1/SENDS_PER_SECOND s, whichever process
    sends; a message waits for its slot, then is accepted (as a platform's rate limiter makes the client
    wait). A line protocol over TCP (`id target` in, `id message_id` out), so that the cost on the bot's side
    is the bot's, not an HTTP client's."""

    def __init__(self) -> None:
        self.interval = 1 / SENDS_PER_SECOND
        self.next_slot = 0.0
        self.received: collections.Counter[str] = collections.Counter()
        self.last_accepted = 0.0
        self.server: asyncio.Server | None = None
        self.address = ""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()

        def accept(request: str, target: str) -> None:
            self.received[target] += 1
            self.last_accepted = time.time()
            if not writer.is_closing():
                writer.write(f"{request} m{sum(self.received.values())}\n".encode())

        while line := await reader.readline():
            request, target = line.decode().split()
            now = loop.time()
            slot = max(now, self.next_slot)
            self.next_slot = slot + self.interval
            loop.call_at(slot, accept, request, target)
        writer.close()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        host, port = self.server.sockets[0].getsockname()[:2]
        self.address = f"{host}:{port}"

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()


class StubPoster:
    """A process's poster: one connection to the shared stub, requests told apart by number."""

    name = "stub"

    def __init__(self, address: str) -> None:
        self.address = address
        self.waiting: dict[str, asyncio.Future[str]] = {}
        self.writer: asyncio.StreamWriter | None = None
        self.reader_task: asyncio.Task[None] | None = None
        self.sent = 0

    async def connect(self) -> None:
        host, port = self.address.rsplit(":", 1)
        reader, self.writer = await asyncio.open_connection(host, int(port))
        self.reader_task = asyncio.create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            request, message_id = line.decode().split()
            self.waiting.pop(request).set_result(message_id)

    async def post(self, target: str, reply: Reply) -> str:
        assert self.writer is not None and reply.text
        self.sent += 1
        request = str(self.sent)
        future = self.waiting[request] = asyncio.get_running_loop().create_future()
        self.writer.write(f"{request} {target}\n".encode())
        return await future

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.reader_task is not None:
            self.reader_task.cancel()


class FrozenClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


async def seed(url: str, groups: int, now: datetime) -> None:
    await (await PostgresStore.open(url)).close()  # migrated once, before the processes start
    connection = await asyncpg.connect(url)
    try:
        ms = int(now.timestamp() * 1000)
        await connection.execute(
            "INSERT INTO chats (platform, platform_chat_id, kind, timezone, created_at) SELECT 'stub',"
            " 'group-' || g, 'group', (ARRAY['Asia/Shanghai','Europe/Berlin','America/New_York','UTC'])[g % 4 + 1],"
            " $1 FROM generate_series(1, $2) AS g",
            ms, groups,
        )  # fmt: skip
        await connection.execute(
            "INSERT INTO daily_subscriptions (chat_id, target, post_time, timezone, language, active, next_due_at,"
            " updated_at) SELECT id, platform_chat_id, $2, timezone, 'en', 1, $1, $1 FROM chats",
            ms, now.strftime("%H:%M"),
        )  # fmt: skip
        # yesterday's question, sent and closed, for every group: the tables hold a bot's history, as they do
        # on any day but the first, and the planner's statistics say so
        day_ms = 86_400_000
        await connection.execute(
            "INSERT INTO quiz_posts (chat_id, card_id, mode, options, correct, round, message_id, status, created_at,"
            " closes_at, closed_at) SELECT id, 'yesterday', 'daily', '[]', 0, 1, 'm', 'closed', $1, $2, $2 FROM chats",
            ms - day_ms, ms - 3_600_000,
        )  # fmt: skip
        await connection.execute(
            "INSERT INTO daily_posts (chat_id, local_date, post_id, state, claimed_by, claimed_at, send_attempts,"
            " sent_at, send_started_at, closes_at, results_at) SELECT q.chat_id, to_char((to_timestamp($1 / 1000.0)"
            " AT TIME ZONE c.timezone)::date, 'YYYY-MM-DD'), q.id, 'closed', 'earlier', $1, 1, $1, $1, $2, $2"
            " FROM quiz_posts q JOIN chats c ON c.id = q.chat_id",
            ms - day_ms, ms - 3_600_000,
        )  # fmt: skip
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def fan_out(url: str, count: int) -> dict:
    """`count` processes send the day's question to every group of a freshly seeded database."""
    stub = SharedStub()
    await stub.start()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    await seed(url, GROUPS, now)
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.postgres_daily_bench",
            "worker",
            url,
            stub.address,
            str(now.timestamp()),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(count)
    ]
    try:
        go, results = await start_together(workers)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.kill()
        await stub.stop()
    seconds = stub.last_accepted - go
    floor = GROUPS / SENDS_PER_SECOND
    return {
        "processes": count,
        "posted_per_process": [r["posted"] for r in results],
        "distinct_groups": len(stub.received),
        "missing": GROUPS - len(stub.received),
        "posted_twice": sum(1 for n in stub.received.values() if n > 1),
        "seconds": round(seconds, 2),
        "ratio_to_floor": round(seconds / floor, 3),
        "cpu_s_per_process": [round(r["cpu_s"], 2) for r in results],
    }


async def worker(url: str, stub_address: str, at: str) -> None:
    bank = QuestionBank(load_content([CONTENT]))
    bank.prepare()  # as the bot does at start, in its worker thread
    store = await PostgresStore.open(url)
    poster = StubPoster(stub_address)
    await poster.connect()
    try:
        questions = DailyQuestions(bank, store, rng=random.Random())
        clock = FrozenClock(datetime.fromtimestamp(float(at), UTC))
        scheduler = DailyScheduler(questions, store, clock, {"stub": poster})
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        cpu = time.process_time()
        report = await scheduler.tick()
        print(json.dumps({"posted": report.posted, "cpu_s": time.process_time() - cpu}), flush=True)
    finally:
        await poster.close()
        await store.close()


async def run_all(fresh, drop) -> None:
    """Called by the PostgreSQL bench with its database helpers."""
    runs = {}
    for count in (1, 3):
        name = f"bench_pg_fanout_{count}"
        url = await fresh(name)
        try:
            runs[count] = await fan_out(url, count)
        finally:
            await drop(name)
    emit("postgres_daily_fan_out", groups=GROUPS, platform_limit_per_s=SENDS_PER_SECOND,
         floor_seconds=GROUPS / SENDS_PER_SECOND, one=runs[1], three=runs[3], target_max_ratio=1.15)  # fmt: skip


async def main() -> None:
    from bench.postgres_bench import drop, fresh

    await run_all(fresh, drop)


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        asyncio.run(worker(*sys.argv[2:5]))
    else:
        asyncio.run(main())
