"""Telegram with more than one process: a second poller on one token is told to stop (409 Conflict)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.polling import CONFLICTS_TO_STOP, PollingConflictError
from bot.config import TelegramConfig
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT
from tests.fake_telegram import CONFLICT, FakeTelegram, command, user

ALICE = user(11, "Alice")


async def test_lasting_409_conflicts_while_polling_stop_the_adapter_with_a_clear_message(
    telegram, bank, tmp_path
):
    for _ in range(CONFLICTS_TO_STOP):
        telegram.fail_next("getUpdates", 409, CONFLICT)
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    try:
        adapter = TelegramAdapter(
            StudyService(bank, store, rng=random.Random(1)), telegram.token,
            TelegramConfig(base_url=telegram.base_url, poll_timeout=1),
        )  # fmt: skip
        with pytest.raises(PollingConflictError) as raised:
            await asyncio.wait_for(adapter.run(asyncio.Event()), 15)
    finally:
        await store.close()
    message = str(raised.value)
    assert "another process is already polling Telegram with this token" in message
    assert "409 Conflict" in message and "webhook" in message


async def test_one_passing_conflict_is_only_logged(telegram, bank, tmp_path):
    """Another process's last poll while it shuts down (a restart) must not stop this one."""
    telegram.fail_next("getUpdates", 409, CONFLICT)
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    adapter = TelegramAdapter(
        StudyService(bank, store, rng=random.Random(1)), telegram.token,
        TelegramConfig(base_url=telegram.base_url, poll_timeout=1),
    )  # fmt: skip
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    try:
        telegram.push(command(11, ALICE, "/start"))
        assert (await telegram.wait_for("sendMessage", chat_id=11, timeout=15))[0]["text"].startswith("👋")
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await store.close()


async def start_bot(telegram: FakeTelegram, config_path, database) -> asyncio.subprocess.Process:
    config_path.write_text(
        f"database: {database}\ncontent: {CONTENT}\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    env = {**os.environ, "TELEGRAM_TOKEN": telegram.token}
    env.pop("DISCORD_TOKEN", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config_path), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_a_second_process_polling_the_same_token_leaves_one_running_and_says_why(telegram, tmp_path):
    database = tmp_path / "bot.sqlite3"
    first = await start_bot(telegram, tmp_path / "first.yaml", database)
    await telegram.wait_for("getUpdates", timeout=30)
    second = await start_bot(telegram, tmp_path / "second.yaml", database)
    processes = [first, second]
    try:
        waits = {asyncio.ensure_future(p.wait()): p for p in processes}
        done, pending = await asyncio.wait(waits, timeout=40, return_when=asyncio.FIRST_COMPLETED)
        for waiter in pending:
            waiter.cancel()
        assert done, "neither process noticed the other"
        stopped = waits[done.pop()]
        survivor = second if stopped is first else first
        stderr = (await stopped.stderr.read()).decode()
        assert stopped.returncode == 1
        assert "another process is already polling Telegram with this token (409 Conflict" in stderr
        assert "webhook" in stderr

        telegram.push(command(11, ALICE, "/start"))  # the other one still serves the bot
        assert (await telegram.wait_for("sendMessage", chat_id=11, timeout=20))[0]["text"].startswith("👋")
        assert survivor.returncode is None
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.wait(), 30)
    assert survivor.returncode == 0
