"""Several processes on one Telegram token share its flood limits through a real Redis server."""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sys
import time
import uuid
from urllib.parse import urlsplit

import pytest

from bot.adapters.telegram import TelegramAdapter
from bot.adapters.telegram.shared_limits import RedisUnavailableError, SharedFloodLimiter, redacted
from bot.config import TelegramConfig
from bot.core.messages import Reply
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT

REDIS_URL = os.environ.get("STUDY_BOT_TEST_REDIS", "redis://127.0.0.1:6379/15")
GROUP = "-100777"


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(REDIS_URL),
    reason=f"no Redis server at {redacted(REDIS_URL)}: start one (redis-server --port 6379) "
    "or point STUDY_BOT_TEST_REDIS at one",
)


@pytest.fixture
async def processes(telegram, bank, tmp_path):
    """Two bot processes' Telegram senders on one token, their limits in one Redis namespace."""
    prefix = f"study-bot-test-{uuid.uuid4().hex[:8]}"  # every test run starts with empty windows
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(bank, store, rng=random.Random(2))
    made = []
    for _ in range(2):
        limiter = SharedFloodLimiter(REDIS_URL, bot_id=telegram.token.split(":")[0], key_prefix=prefix)
        adapter = TelegramAdapter(
            service, telegram.token, TelegramConfig(base_url=telegram.base_url), rate_limiter=limiter
        )
        await adapter.application.initialize()
        made.append(adapter)
    yield made
    for adapter in made:
        await adapter.application.shutdown()
    await store.close()


@needs_redis
async def test_two_processes_together_send_at_most_30_messages_a_second(telegram, processes):
    started = time.monotonic()
    sends = [
        processes[n % 2].post(str(1000 + n), Reply(f"daily question {n}")) for n in range(50)
    ]  # 50 private chats, half from each process
    await asyncio.gather(*sends)
    times = sorted(call.at for call in telegram.calls if call.method == "sendMessage")
    assert len(times) == 50
    # each process alone would allow itself 30/s: its 25 would all go out at once (all 50 within a few
    # hundredths of a second). Shared, the 31st message leaves a second after the first; the server sees a
    # little less, since the first 30, admitted together, reach it spread out by two busy event loops
    assert time.monotonic() - started >= 0.95
    assert times[30] - times[0] >= 0.5, [round(t - times[0], 3) for t in times]


@needs_redis
async def test_the_21st_message_to_one_group_within_a_minute_waits_whichever_process_sends_it(
    telegram, processes
):
    await asyncio.gather(*(processes[n % 2].post(GROUP, Reply(f"message {n}")) for n in range(20)))
    late = asyncio.create_task(processes[0].post(GROUP, Reply("one too many")))
    await asyncio.sleep(1.0)
    assert not late.done()
    assert len(telegram.sent(chat_id=int(GROUP))) == 20
    late.cancel()


@needs_redis
async def test_a_flood_wait_told_to_one_process_pauses_the_other_too(telegram, processes):
    telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    first = asyncio.create_task(processes[0].post("2001", Reply("first")))
    await telegram.wait_for("sendMessage")  # the refused attempt
    told = time.monotonic()
    await processes[1].post("2002", Reply("second"))
    assert time.monotonic() - told >= 0.8  # the other process waited out the same flood limit
    await first
    assert [c["chat_id"] for c in telegram.sent()][1:] in (["2001", "2002"], ["2002", "2001"])


async def test_an_unreachable_redis_is_reported_without_its_password():
    limiter = SharedFloodLimiter("redis://:hunter2@127.0.0.1:1/0", bot_id="123")
    with pytest.raises(RedisUnavailableError) as raised:
        await limiter.initialize()
    assert "hunter2" not in str(raised.value)
    assert "redis://:***@127.0.0.1:1/0" in str(raised.value)
    assert "one process own Telegram" in str(raised.value)


async def test_run_with_an_unreachable_redis_url_says_so_and_hides_the_password(telegram, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {CONTENT}\nredis_url: redis://127.0.0.1:6379/0\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    env = {**os.environ, "TELEGRAM_TOKEN": telegram.token, "REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"}
    env.pop("DISCORD_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    text = stderr.decode()
    assert process.returncode == 1
    assert "Redis at redis://:***@127.0.0.1:1/0 (redis_url) cannot be reached" in text  # REDIS_URL wins
    assert "hunter2" not in text
    assert not telegram.sent()  # nothing went out unlimited


def test_the_bootstrap_picks_the_shared_limiter_only_with_redis(bank):
    from bot.adapters.metrics import BotMetrics
    from bot.adapters.telegram.metered_limits import MeteredRateLimiter
    from bot.bootstrap import _telegram_rate_limiter
    from bot.config import Config

    assert _telegram_rate_limiter(Config(), "1:x", {}, None) is None  # the adapter's in-process default
    shared = _telegram_rate_limiter(Config(redis_url=REDIS_URL), "1:x", {}, None)
    assert isinstance(shared, SharedFloodLimiter)
    metered = _telegram_rate_limiter(Config(), "1:x", {"REDIS_URL": REDIS_URL}, BotMetrics())
    assert isinstance(metered, MeteredRateLimiter) and isinstance(metered.inner, SharedFloodLimiter)


async def test_sends_go_on_with_this_processs_own_limits_when_redis_stops_answering(caplog):
    limiter = SharedFloodLimiter("redis://:hunter2@127.0.0.1:1/0", bot_id="123")  # started fine, then gone
    sent = []

    async def send(text: str) -> bool:
        sent.append(text)
        return True

    for text in ("first", "second"):
        assert await limiter.process_request(send, (text,), {}, "sendMessage", {"chat_id": -100}, None)
    assert sent == ["first", "second"]
    warnings = [r.getMessage() for r in caplog.records if "stopped answering" in r.getMessage()]
    assert len(warnings) == 1 and "hunter2" not in warnings[0]
