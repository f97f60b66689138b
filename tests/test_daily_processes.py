"""Several `study-bot run` processes on one PostgreSQL database: 2,000 groups due at once, three real
processes sending their daily questions through one fake Telegram server, one of them SIGKILLed in the
middle. No group gets the day twice, and the claims the killed process never sent are sent by the others
once the claim lease (here 3 s) has passed."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter

import asyncpg

from bot.core.daily import DailySettings
from tests.conftest import CONTENT
from tests.fake_telegram import FakeTelegram

STORE_BACKENDS = ("postgres",)
GROUPS = int(os.environ.get("STUDY_BOT_TEST_DAILY_GROUPS", "2000"))
KILL_AFTER = int(os.environ.get("STUDY_BOT_TEST_DAILY_KILL_AFTER", GROUPS // 4))  # sends before the kill


class SharedFakeTelegram(FakeTelegram):
    """The fake Bot API with several consumers of one token allowed (the processes here poll in turn and
    never get updates; only their sends matter)."""

    async def _api_getUpdates(self, params: dict) -> list[dict]:
        await asyncio.sleep(min(float(params.get("timeout", 0) or 0), 1.0))
        return []

    def daily_sends(self) -> Counter[int]:
        return Counter(
            int(call.params["chat_id"])
            for call in list(self.calls)
            if call.method == "sendMessage" and "Daily question" in str(call.params.get("text", ""))
        )


async def seed_due_groups(url: str, count: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        now = int(time.time() * 1000)
        await connection.execute(
            "INSERT INTO chats (platform, platform_chat_id, kind, created_at)"
            " SELECT 'telegram', (-1000000 - g)::text, 'group', $1 FROM generate_series(1, $2) AS g",
            now, count,
        )  # fmt: skip
        await connection.execute(
            "INSERT INTO daily_subscriptions (chat_id, target, post_time, timezone, language, active, next_due_at,"
            " updated_at) SELECT id, platform_chat_id, to_char(now() AT TIME ZONE 'UTC', 'HH24:MI'), 'UTC', 'en',"
            " 1, $1, $1 FROM chats",
            now,
        )
    finally:
        await connection.close()


async def start_bot(config, url: str, token: str, log) -> asyncio.subprocess.Process:
    """`study-bot run` in its own process, logging to the file `log` (a pipe nobody reads would fill up
    and stall it)."""
    env = {**os.environ, "DATABASE_URL": url, "TELEGRAM_TOKEN": token}
    env.pop("DISCORD_TOKEN", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env, cwd=config.parent,
        stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
    )  # fmt: skip


async def wait_for(probe, what: str, timeout: float, seen) -> None:
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; {seen()}")
        await asyncio.sleep(0.05)


async def until_settled(url: str, telegram: SharedFakeTelegram, timeout: float, seen) -> None:
    """Until every group has its question, or every claim is settled: sent, or begun by the killed process
    and never confirmed (those the survivors cannot know about)."""
    connection = await asyncpg.connect(url)
    deadline = time.monotonic() + timeout
    try:
        while len(telegram.daily_sends()) < GROUPS:
            claims, open_claims = await connection.fetchrow(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'sending' AND send_started_at IS NULL"
                " OR state = 'retry') FROM daily_posts"
            )
            if claims == GROUPS and open_claims == 0 and time.monotonic() > deadline - timeout + 60:
                return  # a minute after the kill nothing is left to send
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for all {GROUPS} groups; {seen()}")
            await asyncio.sleep(0.2)
    finally:
        await connection.close()


async def test_three_processes_one_killed_send_every_group_its_question_once(database, tmp_path):
    telegram = SharedFakeTelegram()
    await telegram.start()
    await seed_due_groups(database, GROUPS)
    config = tmp_path / "config.yaml"
    config.write_text(
        f"content: {CONTENT}\nlog_level: INFO\ndaily:\n  claim_lease_seconds: 3\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    log_paths = [tmp_path / f"bot-{i}.log" for i in range(3)]
    log_files = [path.open("wb") for path in log_paths]
    processes = [await start_bot(config, database, telegram.token, log) for log in log_files]
    victim, survivors = processes[0], processes[1:]

    def seen() -> str:
        sends = telegram.daily_sends()
        return f"{len(sends)} groups got {sum(sends.values())} questions; logs: " + " | ".join(
            path.read_text(errors="replace")[-1500:] for path in log_paths
        )

    started = time.monotonic()
    try:
        await wait_for(
            lambda: sum(telegram.daily_sends().values()) >= KILL_AFTER, f"{KILL_AFTER} sends", 120, seen
        )
        victim.kill()  # SIGKILL: no cleanup, its claims stay as they are
        await victim.wait()
        killed_at = time.monotonic()
        await until_settled(database, telegram, 180, seen)
        finished = time.monotonic()
        await asyncio.sleep(2)  # anything sent twice would arrive by now
    finally:
        for process in survivors:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.wait(), 60)
        for log in log_files:
            log.close()
        await telegram.stop()
    logs = [path.read_text(errors="replace") for path in log_paths]
    sends = telegram.daily_sends()
    assert [chat for chat, times in sends.items() if times > 1] == []  # no group got the day twice
    connection = await asyncpg.connect(database)
    try:
        begun_unconfirmed = {
            int(row[0])
            for row in await connection.fetch(
                "SELECT c.platform_chat_id FROM daily_posts p JOIN chats c ON c.id = p.chat_id"
                " WHERE p.state = 'sending' AND p.send_started_at IS NOT NULL"
            )
        }
        states = dict(await connection.fetch("SELECT state, COUNT(*) FROM daily_posts GROUP BY state"))
    finally:
        await connection.close()
    missing = {-1000000 - g for g in range(1, GROUPS + 1)} - set(sends)
    # None was skipped. The one exception by design: sends the killed process had marked as begun and not
    # yet confirmed (at most once: they may have reached the platform). They are the ones in the window
    # between the start's COMMIT and the request leaving, never more than the sends allowed in flight
    # (0, 0 and 5 in three runs of this test).
    in_flight = DailySettings().concurrency
    assert missing <= begun_unconfirmed and len(missing) <= in_flight, (missing, begun_unconfirmed)
    assert all(process.returncode == 0 for process in survivors), "\n".join(log[-2000:] for log in logs[1:])
    # the killed process really left claims behind, and a survivor sent them
    assert any("took over" in log for log in logs[1:]), "\n".join(log[-2000:] for log in logs[1:])
    print(
        f"daily processes: {GROUPS} groups, states {states}, missing {len(missing)}; killed after "
        f"{killed_at - started:.1f} s ({KILL_AFTER} sent), all sent after {finished - started:.1f} s"
    )
