"""The mistakes drill and `/stats group` through the real Telegram and Discord clients and the fake servers."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.adapters.discord import DiscordAdapter
from bot.adapters.telegram import TelegramAdapter
from bot.config import DiscordConfig, TelegramConfig
from bot.core.service import StudyService
from bot.storage.sqlite.store import SqliteStore
from tests.conftest import wait_until
from tests.fake_discord import GUILD_ID, MANAGE_GUILD, FakeDiscord, button, person, slash
from tests.fake_telegram import FakeTelegram, click, command, user

GROUP = -1007777
ALICE = user(11, "Alice")
BOB = user(22, "Bob")
EPHEMERAL = 64


@pytest.fixture
async def telegram(bank, tmp_path):
    fake = FakeTelegram()
    await fake.start()
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(bank, store, rng=random.Random(3))
    adapter = TelegramAdapter(service, fake.token, TelegramConfig(base_url=fake.base_url, poll_timeout=1))
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    await fake.wait_for("getUpdates")
    yield fake, service
    stop.set()
    await asyncio.wait_for(task, 15)
    await store.close()
    await fake.stop()


def drill_option(service: StudyService, keyboard: list, right: bool) -> str:
    _, card_id, seed, _, section = keyboard[0][0]["callback_data"].split(":")
    correct = service.bank.choices.choices(card_id, int(seed)).correct
    return f"rv:{card_id}:{seed}:{correct if right else (correct + 1) % 4}:{section}"


async def test_the_drill_in_a_telegram_group_is_addressed_to_the_member(telegram):
    fake, service = telegram
    fake.push(command(GROUP, ALICE, "/quiz"))
    question = (await fake.wait_for("sendMessage", chat_id=GROUP))[-1]
    post_id = int(question["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[1])
    post = await service.store.get_post(post_id)
    fake.push(click(GROUP, ALICE, f"a:{post_id}:{(post.correct + 1) % 4}", question["_message_id"]))
    await fake.wait_for("answerCallbackQuery")

    fake.push(command(GROUP, ALICE, "/review", message_id=31))
    drill = (await fake.wait_for("sendMessage", 2, chat_id=GROUP))[-1]
    assert drill["text"].startswith("🔁 <b>Mistakes drill</b> for Alice · 1 to go")
    assert drill["reply_parameters"]["message_id"] == 31
    keyboard = drill["reply_markup"]["inline_keyboard"]
    fake.push(click(GROUP, BOB, drill_option(service, keyboard, True), drill["_message_id"]))
    toast = (await fake.wait_for("answerCallbackQuery", 2))[-1]
    assert toast["text"].startswith("That card is not on your mistakes list")
    fake.push(click(GROUP, ALICE, drill_option(service, keyboard, True), drill["_message_id"]))
    done = (await fake.wait_for("sendMessage", 3, chat_id=GROUP))[-1]
    assert done["text"].startswith("✅ Right: off your mistakes list (0 left). No points in the drill.")
    assert done["reply_parameters"]["message_id"] == drill["_message_id"]
    fake.push(command(GROUP, ALICE, "/review"))
    empty = (await fake.wait_for("sendMessage", 4, chat_id=GROUP))[-1]
    assert empty["text"] == "🎉 No mistakes left to review. Keep learning with /study."

    fake.push(command(GROUP, BOB, "/stats group"))
    refused = (await fake.wait_for("sendMessage", 5, chat_id=GROUP))[-1]
    assert refused["text"] == "Only the group's admins can see the group's statistics."
    fake.admins.add(ALICE["id"])
    fake.push(command(GROUP, ALICE, "/stats group"))
    report = (await fake.wait_for("sendMessage", 6, chat_id=GROUP))[-1]
    assert report["text"].startswith("👥 <b>This group over 30 days</b>\nAnswered this week: 1 of 1 members")
    assert len(fake.sent("getChatMember")) == 2  # the admin check asked Telegram, for Bob then for Alice


@pytest.fixture
async def discord(bank, tmp_path):
    fake = FakeDiscord()
    await fake.start()
    store = await SqliteStore.open(tmp_path / "bot.sqlite3")
    service = StudyService(bank, store, rng=random.Random(3))
    config = DiscordConfig(guild_id=GUILD_ID, api_base=fake.api_base, gateway=fake.gateway)
    adapter = DiscordAdapter(service, "fake-token", config)
    stop = asyncio.Event()
    task = asyncio.create_task(adapter.run(stop))
    await fake.wait_identified()
    await asyncio.sleep(0.1)
    yield fake, service
    stop.set()
    await asyncio.wait_for(task, 15)
    await store.close()
    await fake.stop()


async def ask(fake: FakeDiscord, payload: dict) -> dict:
    await fake.interact(payload)
    return (await wait_until(lambda: fake.replies_to(payload), bool, str(payload["data"])))[0]


async def test_the_drill_on_discord_is_ephemeral_and_stats_group_needs_manage_server(discord):
    fake, service = discord
    alice, bob = person(501, "Alice"), person(502, "Bob")
    await ask(fake, slash("quiz", alice))
    message = next(m for m in reversed(list(fake.messages.values())) if m.get("embeds"))
    post_id = int(message["components"][0]["components"][0]["custom_id"].split(":")[2])
    post = await service.store.get_post(post_id)
    await ask(fake, button(f"sb:a:{post_id}:{(post.correct + 1) % 4}", alice, message))
    drill = await ask(fake, slash("review", alice))
    assert (
        drill["content"].startswith("🔁 **Mistakes drill** for Alice · 1 to go")
        and drill["flags"] & EPHEMERAL
    )
    refused = await ask(fake, slash("stats-group", bob))
    assert refused["content"] == "Only the group's admins can see the group's statistics."
    report = await ask(fake, slash("stats-group", alice, permissions=MANAGE_GUILD))
    assert report["content"].startswith("👥 **This group over 30 days**\nAnswered this week: 1 of 1 members")
