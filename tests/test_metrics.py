"""Operability: /healthz and Prometheus /metrics served by the bot on 127.0.0.1, read over real HTTP."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.adapters.discord import DiscordAdapter
from bot.adapters.discord.http_metrics import delivery_trace
from bot.adapters.metrics import BotMetrics, MeteredStore, MetricsServer, WatchedScheduler
from bot.config import DiscordConfig
from bot.core.daily import DailyQuestions, DailySettings
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import CONTENT, Chat, FakeClock, wait_until
from tests.fake_discord import GUILD_ID, FakeDiscord, person, slash
from tests.fake_telegram import click, command, user
from tests.test_daily import FakePoster

ALICE = user(11, "Alice")
GROUP = -100555


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels: str) -> float:
    """The sum of the samples of `name` carrying these labels (and any others)."""
    wanted = set(labels.items())
    return sum(v for (sample, have), v in found.items() if sample == name and wanted <= set(have))


async def wait_for_metric(url: str, name: str, at_least: float, **labels: str) -> dict:
    for _ in range(200):
        found = samples((await get(url))[1])
        if value(found, name, **labels) >= at_least:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"{name}{labels} never reached {at_least}: {value(found, name, **labels)}")


async def test_a_running_bot_reports_health_answers_replies_and_429s(telegram, tmp_path):
    port = free_port()
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {CONTENT}\nmetrics:\n  port: {port}\n"
        f"adapters:\n  telegram:\n    base_url: {telegram.base_url}\n    poll_timeout: 1\n"
    )
    env = {**os.environ, "TELEGRAM_TOKEN": telegram.token}
    env.pop("DISCORD_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        await telegram.wait_for("getUpdates", timeout=30)
        status, body = await get(f"{base}/healthz")
        assert status == 200, body
        assert (
            '"database": {"ok": true' in body
            and '"telegram": true' in body
            and '"scheduler": {"ok": true' in body
        )

        telegram.push(command(GROUP, ALICE, "/quiz"))
        [question] = await telegram.wait_for("sendMessage", chat_id=GROUP)
        option = question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        telegram.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        telegram.push(command(GROUP, ALICE, "/score", message_id=2))
        telegram.push(click(GROUP, ALICE, option, message_id=question["_message_id"]))

        found = await wait_for_metric(f"{base}/metrics", "study_bot_answers_recorded_total", 1, mode="quiz")
        found = await wait_for_metric(
            f"{base}/metrics", "study_bot_rate_limited_total", 1, platform="telegram"
        )
        assert value(found, "study_bot_retry_wait_seconds_sum", platform="telegram") == 1.0
        found = await wait_for_metric(
            f"{base}/metrics", "study_bot_replies_sent_total", 3, platform="telegram"
        )
        assert value(found, "study_bot_replies_failed_total", platform="telegram") == 0
        assert value(found, "study_bot_store_latency_seconds_count", operation="record_answer") == 1
        assert value(found, "study_bot_event_loop_lag_seconds_count") >= 1
        assert value(found, "study_bot_adapter_connected", adapter="telegram") == 1
        assert value(found, "study_bot_scheduler_last_tick_timestamp_seconds") > 0
        assert telegram.token not in (await get(f"{base}/metrics"))[1]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()


async def test_a_taken_metrics_port_stops_run_with_the_key_named(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "config.yaml"
        config.write_text(
            f"database: {tmp_path / 'bot.sqlite3'}\ncontent: {CONTENT}\nmetrics:\n  port: {port}\n"
        )
        env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_TOKEN", "DISCORD_TOKEN")}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(config), env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2  # a setting to change, like a missing token
    assert f"metrics.port: cannot serve on 127.0.0.1:{port}" in stderr.decode()


class Disconnected:
    name = "telegram"
    connected = False


@pytest.fixture
async def metered(bank, tmp_path):
    """A process's store, service and daily scheduler with metrics, on a clock the test moves."""
    metrics = BotMetrics()
    raw = await SqliteStore.open(tmp_path / "bot.sqlite3")
    store = MeteredStore(raw, metrics)
    clock = FakeClock()
    questions = DailyQuestions(bank, store, DailySettings(default_timezone="UTC"), rng=random.Random(5))
    service = StudyService(bank, store, clock=clock, rng=random.Random(5), daily=questions)
    poster = FakePoster()
    scheduler = WatchedScheduler(questions, store, clock, {"test": poster}, instance="one", metrics=metrics)
    yield metrics, store, service, scheduler, clock, poster
    await raw.close()


async def test_daily_posts_claimed_sent_and_late_are_counted(metered):
    metrics, _, service, scheduler, clock, poster = metered
    for chat_id in ("on-time", "caught-up"):
        chat = Chat(service, chat_id=chat_id)
        chat.admins.add("Admin")
        await chat.say("Admin", "/daily set 09:30 UTC" if chat_id == "on-time" else "/daily set 09:10 UTC")
    clock.advance(minutes=30, seconds=5)  # 09:30:05: the 09:30 group on time, the 09:10 one 20 minutes late
    await scheduler.tick()
    assert len(poster.questions()) == 2
    read = metrics.registry.get_sample_value
    assert read("study_bot_daily_posts_claimed_total") == 2
    assert read("study_bot_daily_posts_sent_total") == 2
    assert read("study_bot_daily_posts_late_total") == 1
    assert read("study_bot_daily_post_delay_seconds_sum") == pytest.approx(5 + 20 * 60 + 5)
    assert read("study_bot_scheduler_last_tick_timestamp_seconds") > 0


async def test_healthz_says_which_check_fails(metered, tmp_path):
    metrics, store, _, scheduler, _, _ = metered
    server = MetricsServer(metrics, store, [Disconnected()], scheduler)
    await server.start()
    try:
        await scheduler.tick()
        status, body = await get(f"http://127.0.0.1:{server.port}/healthz")
        assert status == 503
        assert '"adapters": {"ok": false, "connected": {"telegram": false}}' in body
        assert '"database": {"ok": true' in body and '"scheduler": {"ok": true' in body

        server.adapters = []
        scheduler.last_tick -= scheduler.allowed_silence + 1  # no pass for too long
        status, body = await get(f"http://127.0.0.1:{server.port}/healthz")
        assert status == 503 and '"scheduler": {"ok": false' in body

        scheduler.last_tick += scheduler.allowed_silence + 1
        assert (await get(f"http://127.0.0.1:{server.port}/healthz"))[0] == 200
        await store._store.close()  # the database goes away
        status, body = await get(f"http://127.0.0.1:{server.port}/healthz")
        assert status == 503 and '"database": {"ok": false' in body
    finally:
        await server.stop()


async def test_discord_replies_failures_and_429s_are_counted_per_platform(bank, tmp_path):
    fake = FakeDiscord()
    await fake.start()
    metrics = BotMetrics()
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    adapter = DiscordAdapter(
        StudyService(bank, store, rng=random.Random(1)), "tok",
        DiscordConfig(guild_id=GUILD_ID, api_base=fake.api_base, gateway=fake.gateway),
        http_trace=delivery_trace(metrics),
    )  # fmt: skip
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    try:
        await fake.wait_identified()
        fake.fail_next("POST", r"/callback$", 429, {"message": "You are being rate limited.", "retry_after": 0.2,
                                                     "global": False})  # fmt: skip
        alice = person(301, "Alice")
        payload = slash("help", alice)
        await fake.interact(payload)
        await fake.wait_for("POST", rf"/interactions/{payload['id']}/.*/callback$", count=2)
        for _ in range(5):  # discord.py retries a 5xx a few times, then gives up
            fake.fail_next("POST", r"/callback$", 500, {"message": "Internal Server Error", "code": 0})
        failing = slash("score", alice)
        await fake.interact(failing)
        read = metrics.registry.get_sample_value
        for _ in range(200):
            if (read("study_bot_replies_failed_total", {"platform": "discord"}) or 0) >= 1:
                break
            await asyncio.sleep(0.05)
        assert read("study_bot_rate_limited_total", {"platform": "discord"}) == 1
        assert read("study_bot_retry_wait_seconds_sum", {"platform": "discord"}) == pytest.approx(0.2)
        assert read("study_bot_replies_sent_total", {"platform": "discord"}) >= 1
        assert read("study_bot_replies_failed_total", {"platform": "discord"}) >= 1
        await wait_until(lambda: adapter.connected, bool, "discord ready")  # after the guilds stream in
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
        await store.close()
        await fake.stop()
    assert not adapter.connected


def test_late_means_over_a_minute():
    from bot.adapters.metrics.store import LATE_AFTER

    assert timedelta(seconds=61) > LATE_AFTER >= timedelta(seconds=59)
