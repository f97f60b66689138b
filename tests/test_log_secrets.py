"""No token or key in any log line at any level: `study-bot run` at DEBUG against the fake platforms."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys

import pytest

from tests.conftest import CONTENT
from tests.fake_discord import GUILD_ID, FakeDiscord, person, slash
from tests.fake_telegram import FakeTelegram, command, user

DISCORD_TOKEN = "discord-SECRET-token.abc123"
GRADER_KEY = "sk-grader-SECRET-key-987"
WEBHOOK_SECRET = "webhook-SECRET-555"


@pytest.fixture
async def fakes():
    telegram, discord = FakeTelegram(), FakeDiscord()
    await telegram.start()
    await discord.start()
    yield telegram, discord
    await discord.stop()
    await telegram.stop()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_debug_log_of_a_whole_session_holds_no_secret(fakes, tmp_path):
    telegram, discord = fakes
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'run.sqlite3'}\ncontent: {CONTENT}\nlog_level: DEBUG\n"
        f"grader:\n  base_url: http://127.0.0.1:{closed_port()}/v1\n  model: m\n  timeout_seconds: 2\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
        f"  discord:\n    guild_id: {GUILD_ID}\n    api_base: {discord.api_base}\n    gateway: {discord.gateway}\n"
    )
    env = {**os.environ, "TELEGRAM_TOKEN": telegram.token, "DISCORD_TOKEN": DISCORD_TOKEN,
           "GRADER_API_KEY": GRADER_KEY, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    alice = user(11, "Alice")
    try:
        await telegram.wait_for("getUpdates", timeout=30)
        await discord.wait_identified(timeout=30)
        telegram.push(command(11, alice, "/study"))
        await telegram.wait_for("sendMessage", chat_id=11, timeout=15)
        telegram.push(command(11, alice, "/answer dropout zeroes activations"))  # the model grader fails
        await telegram.wait_for("sendMessage", 2, chat_id=11, timeout=15)
        await discord.interact(slash("help", person(301, "Alice")))
        await discord.wait_for("POST", r"/interactions/.*/callback", timeout=15)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log[-3000:]
    assert "DEBUG" in log and "model grader failed" in log  # the session really logged at DEBUG
    for secret in (telegram.token, telegram.token.split(":")[1], DISCORD_TOKEN, GRADER_KEY, WEBHOOK_SECRET):
        assert secret not in log, secret


def test_a_secret_in_a_message_its_arguments_or_a_traceback_is_redacted():
    script = f"""
import logging, os
from bot.cli.logging_setup import configure_logging
configure_logging("DEBUG", ["{GRADER_KEY}", None, ""])
log = logging.getLogger("x")
log.info("key in the message {GRADER_KEY}")
log.warning("key in an argument %s", "{GRADER_KEY}")
try:
    raise RuntimeError("key in an exception {GRADER_KEY}")
except RuntimeError:
    log.exception("it failed")
logging.getLogger("httpx").info("an ordinary request line")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert GRADER_KEY not in done.stderr
    assert done.stderr.count("[redacted]") == 3 and "RuntimeError" in done.stderr
    assert "an ordinary request line" not in done.stderr  # httpx is held at WARNING
